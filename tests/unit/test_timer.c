/*
 * test_timer.c: the timers: ordering, ties, cancel, reschedule,
 * callbacks that touch the heap, many thousands of timers, and the FIFO
 * queues beside the heap (delays in more classes than queues, ties
 * between a queue and the heap, a churn checked against a reference),
 * the 32-bit sequence renumbered before it wraps.
 */
#include <check.h>
#include <stdlib.h>

#include "timer.h"
#include "../lib/check_table.h"

#define NLOG 20000

struct fired {
	int log[NLOG];
	int n;
};

struct tt {
	struct timer t;
	int id;
	struct fired *f;
	struct timer_heap *h;
	struct tt *victim;	/* cancelled by this timer's callback */
	int again;		/* reschedule self this many times */
};

static void
cb(void *arg)
{
	struct tt *x = arg;

	if (x->f->n < NLOG)
		x->f->log[x->f->n++] = x->id;
	if (x->victim != NULL)
		timer_cancel(x->h, &x->victim->t);
	if (x->again > 0) {
		x->again--;
		timer_schedule(x->h, &x->t, x->t.when);
	}
}

static struct monotime
at(int64_t ns)
{
	return (struct monotime){ ns };
}

static void
mk(struct tt *x, int id, struct fired *f, struct timer_heap *h)
{
	timer_init(&x->t, cb, x);
	x->id = id;
	x->f = f;
	x->h = h;
	x->victim = NULL;
	x->again = 0;
}

/* The small tests' heap, log and timers (fix() makes them). */
static struct timer_heap H;
static struct fired F;
static struct tt X[100];

/* An empty log, and X[0..N) (ids 0..N-1) in H, each at WHEN[i], or at
 * BASE + STEP * i without WHEN. */
static void
fix(int n, const int64_t *when, int64_t base, int64_t step)
{
	F.n = 0;
	timer_heap_init(&H);
	for (int i = 0; i < n; i++) {
		mk(&X[i], i, &F, &H);
		ck_assert_int_eq(timer_schedule(&H, &X[i].t,
		    at(when != NULL ? when[i] : base + step * i)), 0);
	}
}

/* The log is WANT[0..N). */
static void
log_is(const int *want, int n)
{
	ck_assert_int_eq(F.n, n);
	for (int i = 0; i < n; i++)
		ck_assert_int_eq(F.log[i], want[i]);
}

START_TEST(order)
{
	static const int64_t when[5] = { 50, 10, 40, 20, 30 };
	static const int want[5] = { 1, 3, 4, 2, 0 };

	fix(5, when, 0, 0);
	ck_assert_int_eq(timer_heap_peek(&H)->when.ns, 10);
	ck_assert_uint_eq(timer_heap_run(&H, at(25)), 2);
	log_is(want, 2);
	ck_assert_uint_eq(timer_heap_run(&H, at(1000)), 3);
	log_is(want, 5);
	ck_assert_ptr_null(timer_heap_peek(&H));
	for (int i = 0; i < 5; i++)
		ck_assert(!timer_pending(&X[i].t));
	timer_heap_fini(&H);
}
END_TEST

START_TEST(ties_fifo)
{
	int want[100];

	for (int i = 0; i < 100; i++)
		want[i] = i;
	fix(100, NULL, 7, 0);
	timer_heap_run(&H, at(7));
	log_is(want, 100);
	timer_heap_fini(&H);
}
END_TEST

START_TEST(cancel_and_reschedule)
{
	static const int want[] = { 3, 2, 4, 6, 7, 8, 1 };

	fix(10, NULL, 100, 1);
	timer_cancel(&H, &X[0].t);	/* the root */
	timer_cancel(&H, &X[5].t);	/* the middle */
	timer_cancel(&H, &X[9].t);	/* the last slot */
	timer_cancel(&H, &X[9].t);	/* twice is harmless */
	timer_schedule(&H, &X[3].t, at(1));	/* move earlier */
	timer_schedule(&H, &X[1].t, at(500));	/* move later */
	ck_assert(!timer_pending(&X[0].t));
	ck_assert(timer_pending(&X[1].t));
	timer_heap_run(&H, at(1000));
	log_is(want, 7);
	timer_heap_fini(&H);
}
END_TEST

START_TEST(callback_edits_heap)
{
	struct timer_heap h;
	struct fired f = { .n = 0 };
	struct tt a, b, c;

	timer_heap_init(&h);
	mk(&a, 1, &f, &h);
	mk(&b, 2, &f, &h);
	mk(&c, 3, &f, &h);
	a.victim = &b;		/* a cancels b before b is due */
	c.again = 2;		/* c reschedules itself at the same time */
	timer_schedule(&h, &a.t, at(10));
	timer_schedule(&h, &b.t, at(20));
	timer_schedule(&h, &c.t, at(15));
	timer_heap_run(&h, at(30));
	ck_assert_int_eq(f.n, 4);
	ck_assert_int_eq(f.log[0], 1);
	ck_assert_int_eq(f.log[1], 3);
	ck_assert_int_eq(f.log[2], 3);
	ck_assert_int_eq(f.log[3], 3);
	ck_assert(!timer_pending(&b.t));
	timer_heap_fini(&h);
}
END_TEST

/* Many thousands of timers at pseudo-random times, some cancelled: they
 * fire in (time, scheduling order), and none fires twice or after cancel. */
START_TEST(many)
{
	enum { N = 50000 };
	struct timer_heap h;
	struct fired *f = calloc(1, sizeof(*f));
	struct tt *x = calloc(N, sizeof(*x));
	uint32_t s = 12345;
	int expect = 0;

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(x);
	timer_heap_init(&h);
	for (int i = 0; i < N; i++) {
		s = s * 1103515245 + 12345;
		mk(&x[i], i, f, &h);
		ck_assert_int_eq(timer_schedule(&h, &x[i].t,
		    at((s >> 8) % 1000)), 0);
	}
	for (int i = 0; i < N; i += 3)
		timer_cancel(&h, &x[i].t);
	for (int i = 0; i < N; i++)
		expect += (i % 3) != 0;
	ck_assert_uint_eq(timer_heap_count(&h), (size_t)expect);

	struct monotime last = at(-1);
	uint32_t lastseq = 0;
	size_t fired = 0;
	struct timer *t;
	while ((t = timer_heap_peek(&h)) != NULL) {
		struct tt *tx = (struct tt *)t;	/* t is its first member */
		ck_assert(tx->id % 3 != 0);
		ck_assert(monotime_cmp(t->when, last) >= 0);
		if (monotime_cmp(t->when, last) == 0)
			ck_assert(t->seq > lastseq);
		last = t->when;
		lastseq = t->seq;
		timer_cancel(&h, t);
		fired++;
	}
	ck_assert_uint_eq(fired, (size_t)expect);
	timer_heap_fini(&h);
	free(x);
	free(f);
}
END_TEST

/* Queues and heap together: 0 (t=100) takes the first queue, 1..3 (t=50,
 * 40, 30) fit no tail and take the other queues, 4, 5 and 7 (t=20) the
 * heap, 6 (t=100) the first queue's tail; equal times fire in scheduling
 * order wherever they are. */
START_TEST(queue_heap_ties)
{
	static const int64_t when[8] = { 100, 50, 40, 30, 20, 20, 100, 20 };
	static const int want[7] = { 4, 5, 7, 3, 2, 1, 6 };

	fix(8, when, 0, 0);
	ck_assert(H.len > 0);		/* some went to the heap */
	ck_assert_uint_eq(timer_heap_count(&H), 8);
	timer_cancel(&H, &X[0].t);	/* a queue's only timer */
	ck_assert_uint_eq(timer_heap_run(&H, at(1000)), 7);
	log_is(want, 7);
	timer_heap_fini(&H);
}
END_TEST

/* Cancelling a queue's head, middle and tail: the rest fire in order and
 * the queue's head moves on. */
START_TEST(queue_cancel)
{
	static const int want[] = { 1, 5, 2, 4 };

	fix(6, NULL, 10, 10);
	ck_assert_uint_eq(H.len, 0);	/* in order: all in one queue */
	timer_cancel(&H, &X[0].t);
	timer_cancel(&H, &X[3].t);
	timer_cancel(&H, &X[5].t);
	ck_assert_int_eq(timer_heap_peek(&H)->when.ns, 20);
	timer_schedule(&H, &X[5].t, at(25));	/* back, earlier than tail */
	ck_assert_uint_eq(timer_heap_run(&H, at(100)), 4);
	log_is(want, 4);
	ck_assert_ptr_null(timer_heap_peek(&H));
	timer_heap_fini(&H);
}
END_TEST

/* A prober's day: timers scheduled at now + one of a few delays (more
 * than there are queues) or at random times, some cancelled, some
 * rescheduled, the clock advancing.  Each run fires exactly the pending
 * timers due, in (time, scheduling order), and nothing cancelled. */
struct ref {
	struct timer_heap *h;
	struct timer t;
	int pending;		/* what the test believes */
	int64_t when;
	uint64_t seq;		/* the test's own scheduling count */
	int64_t *last_when;
	uint64_t *last_seq;
	int *nfired;
};

static void
ref_cb(void *arg)
{
	struct ref *r = arg;

	ck_assert(r->pending);
	ck_assert(r->when > *r->last_when || (r->when == *r->last_when &&
	    r->seq > *r->last_seq));
	*r->last_when = r->when;
	*r->last_seq = r->seq;
	r->pending = 0;
	(*r->nfired)++;
}

/* The churn from sequence SEQ0 on (near UINT32_MAX: renumbered). */
static void
churn_from(uint32_t seq0)
{
	enum { N = 4000, STEPS = 200000 };
	static const int64_t delay[] = { 0, 5000, 5000, 5000, 1000, 20, 777,
	    5000, 10000, 3 };
	struct timer_heap h;
	struct ref *r = calloc(N, sizeof(*r));
	uint64_t x = 0x2545f4914f6cdd1dULL, seq = 1;
	int64_t now = 0, last_when;
	uint64_t last_seq;
	int nfired = 0, npend = 0;

	ck_assert_ptr_nonnull(r);
	timer_heap_init(&h);
	h.seq = seq0;
	for (int i = 0; i < N; i++) {
		r[i].h = &h;
		timer_init(&r[i].t, ref_cb, &r[i]);
		r[i].last_when = &last_when;
		r[i].last_seq = &last_seq;
		r[i].nfired = &nfired;
	}
	for (int step = 0; step < STEPS; step++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		struct ref *e = &r[(x >> 8) % N];
		unsigned what = (unsigned)(x % 16);

		if (what < 9) {		/* (re)schedule */
			int64_t d = what < 8 ? delay[(x >> 32) % 10] :
			    (int64_t)((x >> 24) % 20000);
			npend += !e->pending;
			e->pending = 1;
			e->when = now + d;
			e->seq = seq++;
			ck_assert_int_eq(timer_schedule(&h, &e->t,
			    at(e->when)), 0);
		} else if (what < 13) {	/* cancel */
			npend -= e->pending;
			e->pending = 0;
			timer_cancel(&h, &e->t);
		} else {		/* time passes */
			now += (int64_t)((x >> 40) % 300);
			last_when = INT64_MIN;
			last_seq = 0;
			nfired = 0;
			timer_heap_run(&h, at(now));
			npend -= nfired;
			struct timer *t = timer_heap_peek(&h);
			ck_assert(t == NULL || t->when.ns > now);
		}
		ck_assert_uint_eq(timer_heap_count(&h), (size_t)npend);
		ck_assert_int_eq(timer_pending(&e->t), e->pending);
	}
	/* from near the end the sequence was renumbered (at most N live) */
	ck_assert(seq0 < UINT32_MAX - STEPS || h.seq < 2 * STEPS);
	timer_heap_fini(&h);
	for (int i = 0; i < N; i++)
		ck_assert(!timer_pending(&r[i].t));
	free(r);
}

START_TEST(churn)
{
	churn_from(0);
}
END_TEST

/* The same with the sequence wrapping about 50,000 schedules in. */
START_TEST(churn_wrap)
{
	churn_from(UINT32_MAX - 50000);
}
END_TEST

/* Ties across the queues and the heap keep their order through the
 * renumbering: 0 and 2 in a queue, 1 in the heap, all at t=20, the
 * sequence wrapping at 2. */
START_TEST(renumber_ties)
{
	struct timer_heap h;
	struct fired f = { .n = 0 };
	struct tt x[3], y[TIMER_NQ];

	timer_heap_init(&h);
	for (int i = 0; i < TIMER_NQ; i++) {	/* one queue each */
		mk(&y[i], 10 + i, &f, &h);
		timer_schedule(&h, &y[i].t, at(100 - i));
	}
	h.seq = UINT32_MAX - 2;
	for (int i = 0; i < 3; i++)
		mk(&x[i], i, &f, &h);
	timer_schedule(&h, &x[0].t, at(20));	/* heap */
	timer_schedule(&h, &x[1].t, at(20));	/* heap */
	ck_assert_uint_eq(h.len, 2);
	timer_cancel(&h, &y[0].t);		/* a queue empties */
	timer_schedule(&h, &x[2].t, at(20));	/* renumbered, queued */
	ck_assert_uint_eq(h.len, 2);
	ck_assert_uint_lt(h.seq, 10);
	ck_assert_uint_eq(timer_heap_run(&h, at(20)), 3);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(f.log[i], i);
	timer_heap_fini(&h);
}
END_TEST

START_TEST(clamp)
{
	struct monotime t = monotime_add_ms(at(INT64_MAX - 5), 1000);

	ck_assert(monotime_cmp(t, MONOTIME_MAX) == 0);
	t = monotime_add_ms(at(0), INT64_MAX);
	ck_assert(monotime_cmp(t, MONOTIME_MAX) == 0);
	t = monotime_add_ns(at(INT64_MAX - 1), 10);
	ck_assert(monotime_cmp(t, MONOTIME_MAX) == 0);
	ck_assert_int_eq(monotime_add_ms(at(5), 2).ns, 2000005);
}
END_TEST

int
main(void)
{
	const TTest *tests[] = {
		order, ties_fifo, cancel_and_reschedule, callback_edits_heap,
		many, queue_heap_ties, queue_cancel, churn, churn_wrap,
		renumber_ties, clamp
	};
	TCase *tc = tcase_create("heap");

	check_add(tc, tests, CHECK_N(tests));
	/* check's timeouts are wall-clock: 50,000 timers under ASan on a
	 * loaded 2-core machine overran the default 4 s */
	tcase_set_timeout(tc, 60);
	return unit_run(check_suite("timer", tc));
}
