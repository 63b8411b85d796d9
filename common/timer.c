/*
 * timer.c: min-heap of embedded timers (see timer.h).
 */
#include <errno.h>
#include <stdlib.h>

#include "mem.h"
#include "timer.h"

#define ARITY 4

/* Nonzero if A must fire before B. */
static inline int
ent_before(const struct timer_ent *a, const struct timer_ent *b)
{
	return a->when < b->when || (a->when == b->when && a->seq < b->seq);
}

static inline void
heap_set(struct timer_heap *h, size_t i, const struct timer_ent *e)
{
	h->v[i] = *e;
	e->t->idx = i;
}

static void
sift_up(struct timer_heap *h, size_t i)
{
	struct timer_ent e = h->v[i];

	while (i > 0) {
		size_t p = (i - 1) / ARITY;
		if (!ent_before(&e, &h->v[p]))
			break;
		heap_set(h, i, &h->v[p]);
		i = p;
	}
	heap_set(h, i, &e);
}

static void
sift_down(struct timer_heap *h, size_t i)
{
	struct timer_ent e = h->v[i];

	for (;;) {
		size_t c = ARITY * i + 1, m = i, last = c + ARITY;
		const struct timer_ent *best = &e;

		if (last > h->len)
			last = h->len;
		for (; c < last; c++)
			if (ent_before(&h->v[c], best))
				best = &h->v[m = c];
		if (m == i)
			break;
		heap_set(h, i, best);
		i = m;
	}
	heap_set(h, i, &e);
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
		h->v[i].t->idx = TIMER_IDLE;
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
	h->v[h->len] = (struct timer_ent){ when.ns, t->seq, t };
	t->idx = h->len++;
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
	heap_set(h, i, &h->v[h->len]);
	/* the moved timer may belong above or below slot i */
	if (i > 0 && ent_before(&h->v[i], &h->v[(i - 1) / ARITY]))
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
