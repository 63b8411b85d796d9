/*
 * test_fpset.c: the datalink pool's set of delivered replies
 * (prober/net/fpset.c).  The raw-socket copy of a reply must be
 * recognised however many datalink deliveries came between (a ring of
 * the last 256 lost them at 500 IPv6 dealias tasks at once, and the
 * replies were recorded twice), once per delivery, and never for a
 * fingerprint not delivered.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>

#include "fpset.h"
#include "../lib/check_table.h"

/* Fingerprints as dl_fingerprint makes them: spread 64-bit values. */
static uint64_t
fp_of(uint64_t i)
{
	uint64_t h = 1469598103934665603ULL;

	for (int k = 0; k < 8; k++)
		h = (h ^ ((i >> (8 * k)) & 0xff)) * 1099511628211ULL;
	return h == 0 ? 1 : h;
}

static struct fpset *
fresh(void)
{
	struct fpset *s = calloc(1, sizeof(*s));

	ck_assert_ptr_nonnull(s);
	return s;
}

/* 8,192 deliveries, then their raw copies in the same order: every one
 * is known (the old ring knew the last 256) */
START_TEST(late_copies)
{
	struct fpset *s = fresh();
	int n = 8192;

	for (int i = 0; i < n; i++)
		fpset_add(s, fp_of((uint64_t)i));
	for (int i = 0; i < n; i++)
		ck_assert_msg(fpset_take(s, fp_of((uint64_t)i)),
		    "copy %d of %d not recognised", i, n);
	free(s);
}
END_TEST

/* the copies interleaved, each a few thousand deliveries late */
START_TEST(lagging_copies)
{
	struct fpset *s = fresh();
	int lag = 3000, n = 20000, missed = 0;

	for (int i = 0; i < n + lag; i++) {
		if (i < n)
			fpset_add(s, fp_of((uint64_t)i));
		if (i >= lag && !fpset_take(s, fp_of((uint64_t)(i - lag))))
			missed++;
	}
	ck_assert_int_eq(missed, 0);
	free(s);
}
END_TEST

/* one copy per delivery: a second raw copy is a reply of its own */
START_TEST(once_each)
{
	struct fpset *s = fresh();

	fpset_add(s, 42);
	ck_assert_int_eq(fpset_take(s, 42), 1);
	ck_assert_int_eq(fpset_take(s, 42), 0);
	fpset_add(s, 42);
	fpset_add(s, 42);
	ck_assert_int_eq(fpset_take(s, 42), 1);
	ck_assert_int_eq(fpset_take(s, 42), 1);
	ck_assert_int_eq(fpset_take(s, 42), 0);
	free(s);
}
END_TEST

/* never a fingerprint not delivered, nor 0 ("none") */
START_TEST(no_strangers)
{
	struct fpset *s = fresh();

	for (int i = 0; i < 1000; i++)
		fpset_add(s, fp_of((uint64_t)i));
	for (int i = 1000; i < 5000; i++)
		ck_assert_int_eq(fpset_take(s, fp_of((uint64_t)i)), 0);
	fpset_add(s, 0);
	ck_assert_int_eq(fpset_take(s, 0), 0);
	free(s);
}
END_TEST

/* bounded: far more than it holds are added, the newest are known */
START_TEST(bounded)
{
	struct fpset *s = fresh();
	int n = 200000, missed = 0;

	for (int i = 0; i < n; i++)
		fpset_add(s, fp_of((uint64_t)i));
	for (int i = n - 2000; i < n; i++)
		missed += !fpset_take(s, fp_of((uint64_t)i));
	ck_assert_int_eq(missed, 0);
	free(s);
}
END_TEST

CHECK_MAIN("fpset", "fpset", late_copies, lagging_copies, once_each,
    no_strangers, bounded)
