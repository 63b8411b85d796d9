/*
 * timer.c: FIFO queues and a min-heap of embedded timers (see timer.h).
 */
#include <errno.h>
#include <stdlib.h>

#include "log.h"
#include "mem.h"
#include "timer.h"

#define ARITY 4

/* The kinds: a timer's callback and its argument's distance from the
 * timer (uintptr_t arithmetic: the argument may be anything, even NULL). */
static struct {
	timer_cb	*cb;
	uintptr_t	 off;
} kinds[TIMER_KINDS];		/* 0: none (a zeroed timer's) */
static uint32_t nkinds = 1;

_Static_assert(sizeof(struct timer) <= 32, "a timer is held per trace in flight (issue 22)");

/* What a heaped timer's next points at. */
static struct timer heaped;
#define HEAPED (&heaped)

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
	e->t->at.idx = i;
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

/* Take heaped timer T out of the heap. */
static void
heap_remove(struct timer_heap *h, struct timer *t)
{
	size_t i = t->at.idx;

	if (--h->len == i)
		return;
	heap_set(h, i, &h->v[h->len]);
	/* the moved timer may belong above or below slot i */
	if (i > 0 && ent_before(&h->v[i], &h->v[(i - 1) / ARITY]))
		sift_up(h, i);
	else
		sift_down(h, i);
}

/* Put T (when and seq set) in the heap.  Returns 0 or -1 (ENOMEM). */
static int
heap_insert(struct timer_heap *h, struct timer *t)
{
	if (mem_grow(&h->v, &h->cap, h->len + 1, sizeof(*h->v), 64) == -1)
		return -1;
	h->v[h->len] = (struct timer_ent){ t->when.ns, t->seq, t };
	t->next = HEAPED;
	t->at.idx = h->len++;
	sift_up(h, t->at.idx);
	return 0;
}

/* Q's head key from its first timer (or none). */
static void
queue_head_set(struct timer_queue *q)
{
	struct timer *f = q->s.next;

	q->head_when = f == &q->s ? INT64_MAX : f->when.ns;
	q->head_seq = f == &q->s ? UINT32_MAX : f->seq;
}

/* The queue T (when set) may go at the tail of: the one whose tail is
 * due latest but not after T, else an empty one; NULL if none. */
static struct timer_queue *
queue_pick(struct timer_heap *h, const struct timer *t)
{
	struct timer_queue *best = NULL, *empty = NULL;
	int64_t bw = INT64_MIN;

	for (int i = 0; i < TIMER_NQ; i++) {
		struct timer_queue *q = &h->q[i];
		const struct timer *tail = q->s.at.prev;

		if (tail == &q->s) {
			if (empty == NULL)
				empty = q;
		} else if (tail->when.ns <= t->when.ns && tail->when.ns >= bw) {
			best = q;
			bw = tail->when.ns;
		}
	}
	return best != NULL ? best : empty;
}

static void
queue_append(struct timer_queue *q, struct timer *t)
{
	t->next = &q->s;
	t->at.prev = q->s.at.prev;
	q->s.at.prev->next = t;
	q->s.at.prev = t;
	if (t->at.prev == &q->s) {
		q->head_when = t->when.ns;
		q->head_seq = t->seq;
	}
}

/* Unlink queued T; if it was a head, its queue's key follows. */
static void
queue_remove(struct timer_heap *h, struct timer *t)
{
	struct timer *p = t->at.prev, *n = t->next;

	p->next = n;
	n->at.prev = p;
	for (int i = 0; i < TIMER_NQ; i++)
		if (p == &h->q[i].s) {
			queue_head_set(&h->q[i]);
			break;
		}
}

/* Kinds by (callback, distance): open addressing over twice as many
 * slots as kinds, so that timer_init is O(1) whatever the order its
 * call sites run in (a trace start makes two kinds of timer). */
#define KIND_SLOTS	(2 * TIMER_KINDS)
static uint16_t kind_slot[KIND_SLOTS];	/* 0: empty, else a kind */

static size_t
kind_hash(timer_cb *cb, uintptr_t off)
{
	uint64_t h = ((uint64_t)(uintptr_t)cb ^ ((uint64_t)off << 17)) *
	    0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 40) & (KIND_SLOTS - 1);
}

/* The kind of (CB, OFF), made if new. */
static uint32_t
kind_of(timer_cb *cb, uintptr_t off)
{
	size_t i = kind_hash(cb, off);
	uint32_t k;

	_Static_assert(TIMER_KINDS <= 65536, "a kind fits a slot");
	for (; (k = kind_slot[i]) != 0; i = (i + 1) & (KIND_SLOTS - 1))
		if (kinds[k].cb == cb && kinds[k].off == off)
			return k;
	if (nkinds == TIMER_KINDS)
		fatalx("timer_init: more than %d (callback, argument distance) "
		    "pairs: an argument not beside its timer?", TIMER_KINDS - 1);
	kinds[nkinds].cb = cb;
	kinds[nkinds].off = off;
	kind_slot[i] = (uint16_t)nkinds;
	return nkinds++;
}

void
timer_init(struct timer *t, timer_cb *cb, void *arg)
{
	t->when.ns = 0;
	t->seq = 0;
	t->next = NULL;
	t->at.idx = 0;
	t->kind = kind_of(cb, (uintptr_t)arg - (uintptr_t)t);
}

/* Call T's callback with its argument. */
static void
timer_fire(struct timer *t)
{
	kinds[t->kind].cb((void *)((uintptr_t)t + kinds[t->kind].off));
}

void
timer_heap_init(struct timer_heap *h)
{
	h->v = NULL;
	h->len = h->cap = 0;
	h->seq = 0;
	h->n = 0;
	for (int i = 0; i < TIMER_NQ; i++) {
		struct timer_queue *q = &h->q[i];

		q->s.when.ns = 0;
		q->s.seq = q->s.kind = 0;
		q->s.next = q->s.at.prev = &q->s;
		queue_head_set(q);
	}
}

void
timer_heap_fini(struct timer_heap *h)
{
	for (size_t i = 0; i < h->len; i++)
		h->v[i].t->next = NULL;
	for (int i = 0; i < TIMER_NQ; i++) {
		struct timer *t, *n;

		for (t = h->q[i].s.next; t != &h->q[i].s; t = n) {
			n = t->next;
			t->next = NULL;
		}
	}
	free(h->v);
	timer_heap_init(h);
}

int
timer_schedule(struct timer_heap *h, struct timer *t, struct monotime when)
{
	struct timer_queue *q;

	timer_cancel(h, t);
	if (h->seq == UINT32_MAX && timer_heap_renumber(h) == -1)
		return -1;
	t->when = when;
	t->seq = h->seq++;
	if ((q = queue_pick(h, t)) != NULL)
		queue_append(q, t);
	else if (heap_insert(h, t) == -1)
		return -1;
	h->n++;
	return 0;
}

void
timer_cancel(struct timer_heap *h, struct timer *t)
{
	if (t->next == NULL)
		return;
	if (t->next == HEAPED)
		heap_remove(h, t);
	else
		queue_remove(h, t);
	t->next = NULL;
	h->n--;
}

struct timer *
timer_heap_peek(const struct timer_heap *h)
{
	struct timer_ent best = { INT64_MAX, UINT32_MAX, NULL };

	if (h->len > 0)
		best = h->v[0];
	for (int i = 0; i < TIMER_NQ; i++) {
		const struct timer_queue *q = &h->q[i];
		struct timer_ent e = { q->head_when, q->head_seq, q->s.next };

		if (q->s.next != &q->s && ent_before(&e, &best))
			best = e;
	}
	return best.t;
}

static int
seq_cmp(const void *a, const void *b)
{
	uint32_t x = (*(struct timer *const *)a)->seq;
	uint32_t y = (*(struct timer *const *)b)->seq;

	return (x > y) - (x < y);
}

int
timer_heap_renumber(struct timer_heap *h)
{
	struct timer **v;
	size_t n = 0;

	if (h->n == 0) {
		h->seq = 0;
		return 0;
	}
	if ((v = calloc(h->n, sizeof(*v))) == NULL)
		return -1;
	for (size_t i = 0; i < h->len; i++)
		v[n++] = h->v[i].t;
	for (int i = 0; i < TIMER_NQ; i++)
		for (struct timer *t = h->q[i].s.next; t != &h->q[i].s;
		    t = t->next)
			v[n++] = t;
	qsort(v, n, sizeof(*v), seq_cmp);
	for (size_t i = 0; i < n; i++)
		v[i]->seq = (uint32_t)i;
	/* the order is kept, so the heap stays a heap: only its keys' copies
	 * and the queues' heads change */
	for (size_t i = 0; i < h->len; i++)
		h->v[i].seq = h->v[i].t->seq;
	for (int i = 0; i < TIMER_NQ; i++)
		queue_head_set(&h->q[i]);
	h->seq = (uint32_t)n;
	free(v);
	return 0;
}

size_t
timer_heap_run(struct timer_heap *h, struct monotime now)
{
	size_t n = 0;
	struct timer *t;

	while ((t = timer_heap_peek(h)) != NULL &&
	    monotime_cmp(t->when, now) <= 0) {
		timer_cancel(h, t);
		timer_fire(t);
		n++;
	}
	return n;
}
