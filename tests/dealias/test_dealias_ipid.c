/*
 * test_dealias_ipid.c: the IP-ID sequence tests of prober/dealias
 * (ipid.h): steps and wraps, -O inseq, 32-bit fragment IDs,
 * byte-swapped counters accepted only on their own evidence, and the
 * interleavings that made scamper 20211212 call two routers aliases.
 */
#include <check.h>
#include <stdlib.h>

#include "ipid.h"
#include "../lib/check_table.h"

static const struct ipid_rules R16 = { 200, 16, 0 };
static const struct ipid_rules R16NOBS = { 200, 16, 1 };
static const struct ipid_rules RINSEQ = { 0, 16, 0 };
static const struct ipid_rules R32 = { 200, 32, 0 };

static uint32_t
sw(uint32_t v)
{
	return ipid_swap(v, 16);
}

/* A series alternating between addresses 0 and 1 from V (N values). */
static void
alt(struct ipid_sample *s, const uint32_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		s[i].id = v[i];
		s[i].who = (uint32_t)(i % 2);
	}
}

START_TEST(swap)
{
	ck_assert_uint_eq(ipid_swap(0x1234, 16), 0x3412);
	ck_assert_uint_eq(ipid_swap(0x12345678, 32), 0x78563412);
	ck_assert_uint_eq(ipid_swap(ipid_swap(0xbeef, 16), 16), 0xbeef);
}
END_TEST

START_TEST(inseq_basic)
{
	uint32_t a[] = { 100, 150, 200, 390 }, b[] = { 100, 350 };
	uint32_t w[] = { 65500, 10, 60 }, eq[] = { 5, 5, 6 };
	uint32_t back[] = { 100, 99, 120 };

	ck_assert(ipid_inseq(a, 4, &R16));
	ck_assert(!ipid_inseq(b, 2, &R16));		/* step 250 > 200 */
	ck_assert(ipid_inseq(w, 3, &R16));		/* across the wrap */
	ck_assert(!ipid_inseq(eq, 3, &R16));		/* no step */
	ck_assert(!ipid_inseq(back, 3, &R16));		/* backwards */
	ck_assert(!ipid_inseq(a, 1, &R16));		/* one is no series */
}
END_TEST

START_TEST(inseq_unbounded)
{
	uint32_t ok[] = { 1, 30000, 60000 }, lap[] = { 1, 30000, 60000, 20000 };
	uint32_t half[] = { 1, 40000 };

	ck_assert(ipid_inseq(ok, 3, &RINSEQ));
	ck_assert(!ipid_inseq(lap, 4, &RINSEQ));	/* more than a turn */
	ck_assert(!ipid_inseq(half, 2, &RINSEQ));	/* more than half */
}
END_TEST

START_TEST(inseq_32)
{
	uint32_t a[] = { 4294967200u, 5, 150 }, b[] = { 100000, 100100,
	    100201 + 0x10000 };

	ck_assert(ipid_inseq(a, 3, &R32));
	ck_assert(!ipid_inseq(b, 3, &R32));
}
END_TEST

START_TEST(series_shared)
{
	uint32_t v[] = { 1000, 1003, 1007, 1010, 1012 };
	struct ipid_sample s[5];

	alt(s, v, 5);
	ck_assert_int_eq(ipid_series(s, 5, &R16), IPID_YES);
}
END_TEST

START_TEST(series_separate)
{
	uint32_t v[] = { 1000, 21000, 1010, 21010, 1020 };
	struct ipid_sample s[5];

	alt(s, v, 5);
	ck_assert_int_eq(ipid_series(s, 5, &R16), IPID_NO);
	ck_assert(ipid_surely_not(s, 5, &R16));
}
END_TEST

/* One little-endian counter shared by both addresses. */
START_TEST(series_swapped)
{
	uint32_t v[] = { sw(1000), sw(1003), sw(1007), sw(1010), sw(1012) };
	struct ipid_sample s[5];

	alt(s, v, 5);
	ck_assert(ipid_shows_swapped(s, 5, 0, &R16));
	ck_assert(ipid_shows_swapped(s, 5, 1, &R16));
	ck_assert_int_eq(ipid_series(s, 5, &R16), IPID_YES_SWAPPED);
	ck_assert_int_eq(ipid_series(s, 5, &R16NOBS), IPID_NO);
	ck_assert(!ipid_surely_not(s, 5, &R16));
	ck_assert(ipid_surely_not(s, 5, &R16NOBS));
}
END_TEST

/* 20211212's false alias: A counts normally, B's values swapped happen
 * to fall between A's.  B's own samples do not show a swapped counter
 * to the rule (A's do not either), so no alias. */
START_TEST(series_lucky_swap)
{
	uint32_t v[] = { 0x0105, sw(0x0107), 0x0110, sw(0x0112), 0x011b };
	struct ipid_sample s[5];

	alt(s, v, 5);
	ck_assert(!ipid_shows_swapped(s, 5, 0, &R16));
	ck_assert_int_eq(ipid_series(s, 5, &R16), IPID_NO);
}
END_TEST

/* Both look swapped on their own, but their swapped values do not
 * interleave: two little-endian routers are still two. */
START_TEST(series_two_swapped)
{
	uint32_t v[] = { sw(1000), sw(9000), sw(1010), sw(9010), sw(1020) };
	struct ipid_sample s[5];

	alt(s, v, 5);
	ck_assert_int_eq(ipid_series(s, 5, &R16), IPID_NO);
}
END_TEST

/* A counter whose low byte does not move in a sample shows nothing. */
START_TEST(shows_swapped_needs_two)
{
	struct ipid_sample s[] = { { sw(10), 0 }, { sw(12), 1 } };

	ck_assert(!ipid_shows_swapped(s, 2, 0, &R16));
}
END_TEST

START_TEST(all_zero)
{
	struct ipid_sample z[] = { { 0, 0 }, { 0, 1 }, { 0, 0 } };
	struct ipid_sample nz[] = { { 0, 0 }, { 1, 1 }, { 0, 0 } };

	ck_assert(ipid_all_zero(z, 3));
	ck_assert(!ipid_all_zero(nz, 3));
	ck_assert_int_eq(ipid_series(z, 3, &R16), IPID_NO);
}
END_TEST

/* Random IDs from two addresses: no alias however they fall (a fixed
 * seed; the count of chance sequences of 5 is far below one in 10^4). */
START_TEST(random_pairs)
{
	uint64_t x = 88172645463325252ULL;
	int yes = 0;

	for (int t = 0; t < 20000; t++) {
		struct ipid_sample s[5];

		for (int i = 0; i < 5; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			s[i].id = (uint32_t)(x & 0xffff);
			s[i].who = (uint32_t)(i % 2);
		}
		yes += ipid_series(s, 5, &R16) != IPID_NO;
	}
	ck_assert_int_eq(yes, 0);
}
END_TEST

CHECK_MAIN("dealias_ipid", "ipid", swap, inseq_basic, inseq_unbounded,
    inseq_32, series_shared, series_separate, series_swapped,
    series_lucky_swap, series_two_swapped, shows_swapped_needs_two, all_zero,
    random_pairs)
