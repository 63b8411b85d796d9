/*
 * timer.c: min-heap of embedded timers (see timer.h).
 */
#include <errno.h>
#include <stdlib.h>

#include "mem.h"
#include "timer.h"

/* Nonzero if A must fire before B. */
static int
timer_before(const struct timer *a, const struct timer *b)
{
	int c = monotime_cmp(a->when, b->when);

	return c < 0 || (c == 0 && a->seq < b->seq);
}

static void
heap_set(struct timer_heap *h, size_t i, struct timer *t)
{
	h->v[i] = t;
	t->idx = i;
}

static void
sift_up(struct timer_heap *h, size_t i)
{
	struct timer *t = h->v[i];

	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (!timer_before(t, h->v[p]))
			break;
		heap_set(h, i, h->v[p]);
		i = p;
	}
	heap_set(h, i, t);
}

static void
sift_down(struct timer_heap *h, size_t i)
{
	struct timer *t = h->v[i];

	for (;;) {
		size_t l = 2 * i + 1, m = i;
		struct timer *best = t;

		if (l < h->len && timer_before(h->v[l], best))
			best = h->v[m = l];
		if (l + 1 < h->len && timer_before(h->v[l + 1], best))
			best = h->v[m = l + 1];
		if (m == i)
			break;
		heap_set(h, i, best);
		i = m;
	}
	heap_set(h, i, t);
}

void
timer_init(struct timer *t, timer_cb *cb, void *arg)
{
	t->when.ns = 0;
	t->seq = 0;
	t->idx = TIMER_IDLE;
	t->cb = cb;
	t->arg = arg;
}

void
timer_heap_init(struct timer_heap *h)
{
	h->v = NULL;
	h->len = h->cap = 0;
	h->seq = 0;
}

void
timer_heap_fini(struct timer_heap *h)
{
	for (size_t i = 0; i < h->len; i++)
		h->v[i]->idx = TIMER_IDLE;
	free(h->v);
	timer_heap_init(h);
}

int
timer_schedule(struct timer_heap *h, struct timer *t, struct monotime when)
{
	timer_cancel(h, t);
	if (mem_grow(&h->v, &h->cap, h->len + 1, sizeof(*h->v), 64) == -1)
		return -1;
	t->when = when;
	t->seq = h->seq++;
	heap_set(h, h->len++, t);
	sift_up(h, t->idx);
	return 0;
}

void
timer_cancel(struct timer_heap *h, struct timer *t)
{
	size_t i = t->idx;

	if (i == TIMER_IDLE)
		return;
	t->idx = TIMER_IDLE;
	if (--h->len == i)
		return;
	heap_set(h, i, h->v[h->len]);
	/* the moved timer may belong above or below slot i */
	if (i > 0 && timer_before(h->v[i], h->v[(i - 1) / 2]))
		sift_up(h, i);
	else
		sift_down(h, i);
}

size_t
timer_heap_run(struct timer_heap *h, struct monotime now)
{
	size_t n = 0;
	struct timer *t;

	while ((t = timer_heap_peek(h)) != NULL &&
	    monotime_cmp(t->when, now) <= 0) {
		timer_cancel(h, t);
		t->cb(t->arg);
		n++;
	}
	return n;
}
