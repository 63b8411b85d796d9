/*
 * test_timer.c: the timer heap: ordering, ties, cancel, reschedule,
 * callbacks that touch the heap, and many thousands of timers.
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

START_TEST(order)
{
	struct timer_heap h;
	struct fired f = { .n = 0 };
	struct tt x[5];
	int64_t when[5] = { 50, 10, 40, 20, 30 };

	timer_heap_init(&h);
	for (int i = 0; i < 5; i++) {
		mk(&x[i], i, &f, &h);
		ck_assert_int_eq(timer_schedule(&h, &x[i].t, at(when[i])), 0);
	}
	ck_assert_int_eq(timer_heap_peek(&h)->when.ns, 10);
	ck_assert_uint_eq(timer_heap_run(&h, at(25)), 2);
	ck_assert_int_eq(f.log[0], 1);
	ck_assert_int_eq(f.log[1], 3);
	ck_assert_uint_eq(timer_heap_run(&h, at(1000)), 3);
	ck_assert_int_eq(f.log[2], 4);
	ck_assert_int_eq(f.log[3], 2);
	ck_assert_int_eq(f.log[4], 0);
	ck_assert_ptr_null(timer_heap_peek(&h));
	for (int i = 0; i < 5; i++)
		ck_assert(!timer_pending(&x[i].t));
	timer_heap_fini(&h);
}
END_TEST

START_TEST(ties_fifo)
{
	struct timer_heap h;
	struct fired f = { .n = 0 };
	struct tt x[100];

	timer_heap_init(&h);
	for (int i = 0; i < 100; i++) {
		mk(&x[i], i, &f, &h);
		timer_schedule(&h, &x[i].t, at(7));
	}
	timer_heap_run(&h, at(7));
	ck_assert_int_eq(f.n, 100);
	for (int i = 0; i < 100; i++)
		ck_assert_int_eq(f.log[i], i);
	timer_heap_fini(&h);
}
END_TEST

START_TEST(cancel_and_reschedule)
{
	struct timer_heap h;
	struct fired f = { .n = 0 };
	struct tt x[10];

	timer_heap_init(&h);
	for (int i = 0; i < 10; i++) {
		mk(&x[i], i, &f, &h);
		timer_schedule(&h, &x[i].t, at(100 + i));
	}
	timer_cancel(&h, &x[0].t);	/* the root */
	timer_cancel(&h, &x[5].t);	/* the middle */
	timer_cancel(&h, &x[9].t);	/* the last slot */
	timer_cancel(&h, &x[9].t);	/* twice is harmless */
	timer_schedule(&h, &x[3].t, at(1));	/* move earlier */
	timer_schedule(&h, &x[1].t, at(500));	/* move later */
	ck_assert(!timer_pending(&x[0].t));
	ck_assert(timer_pending(&x[1].t));
	timer_heap_run(&h, at(1000));
	int want[] = { 3, 2, 4, 6, 7, 8, 1 };
	ck_assert_int_eq(f.n, 7);
	for (int i = 0; i < 7; i++)
		ck_assert_int_eq(f.log[i], want[i]);
	timer_heap_fini(&h);
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
	ck_assert_uint_eq(h.len, (size_t)expect);

	struct monotime last = at(-1);
	uint64_t lastseq = 0;
	size_t fired = 0;
	struct timer *t;
	while ((t = timer_heap_peek(&h)) != NULL) {
		struct tt *tx = t->arg;
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
		many, clamp
	};
	TCase *tc = tcase_create("heap");

	check_add(tc, tests, CHECK_N(tests));
	/* check's timeouts are wall-clock: 50,000 timers under ASan on a
	 * loaded 2-core machine overran the default 4 s */
	tcase_set_timeout(tc, 60);
	return unit_run(check_suite("timer", tc));
}
