/*
 * test_readyq.c: the core's ring of tasks wanting a token: first come
 * first served through growth, holes from tasks leaving early, emptying
 * and refilling, against a reference FIFO.
 */
#include <check.h>
#include <stdlib.h>

#include "core_int.h"
#include "readyq.h"
#include "../lib/check_table.h"

/* A churn of pushes, pops and deletions checked against an array FIFO
 * (REF[rh..rt), NULL for a task deleted). */
START_TEST(fifo)
{
	enum { N = 3000, STEPS = 200000 };
	struct task *t = calloc(N, sizeof(*t));
	struct task **ref = calloc(STEPS, sizeof(*ref));
	struct readyq q = { 0 };
	uint64_t x = 88172645463325252ULL;
	size_t rh = 0, rt = 0, n = 0;

	ck_assert_ptr_nonnull(t);
	ck_assert_ptr_nonnull(ref);
	for (int step = 0; step < STEPS; step++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		struct task *e = &t[(x >> 8) % N];
		unsigned what = (unsigned)(x % 8);

		if (what < 4 && !e->wants) {		/* want */
			ck_assert_int_eq(readyq_push(&q, e, &e->rslot), 0);
			e->wants = 1;
			ref[rt++] = e;
			n++;
		} else if (what < 7) {			/* a token */
			struct task *p = readyq_pop(&q);

			while (rh < rt && ref[rh] == NULL)
				rh++;
			ck_assert_ptr_eq(p, rh < rt ? ref[rh] : NULL);
			if (p != NULL) {
				p->wants = 0;
				rh++;
				n--;
			}
		} else if (e->wants) {			/* leaves early */
			readyq_del(&q, e);
			e->wants = 0;
			for (size_t i = rh; i < rt; i++)
				if (ref[i] == e)
					ref[i] = NULL;
			n--;
		}
		ck_assert_int_eq(readyq_empty(&q), n == 0);
		ck_assert_uint_eq(q.n, n);
	}
	readyq_free(&q);
	free(ref);
	free(t);
}
END_TEST

int
main(void)
{
	const TTest *tests[] = { fifo };
	TCase *tc = tcase_create("readyq");

	check_add(tc, tests, CHECK_N(tests));
	tcase_set_timeout(tc, 60);
	return unit_run(check_suite("readyq", tc));
}
