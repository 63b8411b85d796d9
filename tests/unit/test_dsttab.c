/*
 * test_dsttab.c: the packet path's destination table
 * (prober/net/dsttab.c) against a plain array of what each destination
 * should hold: live entries are found with what was stored in them,
 * expired or unknown ones come back fresh; through growth (entries moved
 * a few a call from the old table), the sweep's removals (entries moved
 * back over the removed), IPv4 and IPv6 addresses alike.  Then a steady
 * stream of new destinations, each living a while: the table stops
 * growing, so the sweep keeps up.
 */
#include "config.h"

#include <check.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "dsttab.h"
#include "../lib/check_table.h"

#define NDST	20000

struct ref {
	int64_t	until;		/* 0: never stored */
	uint8_t	tag;
};

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

/* Destination I's family and address (198.18.0.0/15 or 2001:db8::/32). */
static int
addr_of(uint32_t i, uint8_t *a)
{
	memset(a, 0, 16);
	if (i % 5 == 4) {
		a[0] = 0x20;
		a[1] = 0x01;
		a[2] = 0x0d;
		a[3] = 0xb8;
		a[12] = (uint8_t)(i >> 24);
		a[13] = (uint8_t)(i >> 16);
		a[14] = (uint8_t)(i >> 8);
		a[15] = (uint8_t)i;
		return AF_INET6;
	}
	a[0] = 198;
	a[1] = (uint8_t)(18 + ((i >> 16) & 1));
	a[2] = (uint8_t)(i >> 8);
	a[3] = (uint8_t)i;
	return AF_INET;
}

/* Look destination I up at NOW and check it against REF; store a new
 * tag living LIFE if it came back fresh. */
static void
visit(struct dsttab *d, struct ref *ref, uint32_t i, int64_t now,
    int64_t life)
{
	uint8_t a[16];
	int af = addr_of(i, a), fresh = -1;
	struct dst_ent *e = dsttab_get(d, af, a, now, &fresh);

	/* plain tests, not ck_assert: check writes a record per assert */
	if (e == NULL)
		ck_abort_msg("no entry for destination %u", i);
	if (memcmp(e->addr, a, af == AF_INET ? 4 : 16) != 0 ||
	    e->v6 != (af == AF_INET6))
		ck_abort_msg("destination %u: another address", i);
	if (ref[i].until > now) {
		if (fresh != 0)
			ck_abort_msg("live destination %u lost", i);
		if (e->mac[0] != ref[i].tag || e->until != ref[i].until)
			ck_abort_msg("destination %u: not what was stored", i);
		return;
	}
	if (fresh != 1 || e->state != DST_EMPTY || e->until != 0)
		ck_abort_msg("destination %u should be fresh", i);
	ref[i].tag = (uint8_t)next();
	ref[i].until = now + life;
	e->state = 1;
	e->mac[0] = ref[i].tag;
	e->until = ref[i].until;
}

/* random: random destinations at random times, lives of 1-3,000 ticks */
START_TEST(random_against_array)
{
	struct dsttab d;
	struct ref *ref = calloc(NDST, sizeof(*ref));
	int64_t now = 1;

	ck_assert_ptr_nonnull(ref);
	ck_assert_int_eq(dsttab_init(&d), 0);
	for (int k = 0; k < 200000; k++) {
		/* a working set that widens, then narrows */
		uint32_t span = k < 100000 ? 100 + (uint32_t)k / 6 : 2000;

		visit(&d, ref, next() % span, now, 1 + next() % 3000);
		if (next() % 4 == 0)
			now++;
		if (d.used * 2 > d.n)
			ck_abort_msg("more than half full: %zu of %zu", d.used,
			    d.n);
	}
	ck_assert_uint_gt(d.grown, 0);
	ck_assert_uint_gt(d.swept, 0);
	dsttab_free(&d);
	free(ref);
}
END_TEST

/* steady: 20 new destinations a tick, each living 500 ticks, each
 * looked up 4 times: the table settles at a size, the sweep keeping
 * expired entries from filling it */
START_TEST(steady_stream)
{
	struct dsttab d;
	struct ref *ref = calloc(NDST, sizeof(*ref));
	size_t n_mid = 0;
	uint32_t id = 0;

	ck_assert_ptr_nonnull(ref);
	ck_assert_int_eq(dsttab_init(&d), 0);
	for (int64_t now = 1; id + 20 <= NDST; now++) {
		for (int j = 0; j < 20; j++, id++)
			for (int r = 0; r < 4; r++)
				visit(&d, ref, id - (id >= 40 ? (uint32_t)r *
				    10 : 0), now, 500);
		if (id == NDST / 2)
			n_mid = d.n;
	}
	/* 10,000 live at most: 16,384 slots would do; growth stopped */
	ck_assert_uint_eq(d.n, n_mid);
	ck_assert_uint_le(d.n, 65536);
	ck_assert_ptr_null(d.old);
	dsttab_free(&d);
	free(ref);
}
END_TEST

/* huge: a table past a huge page (65,536 slots) is mapped, not
 * allocated, and still starts zeroed */
START_TEST(huge_table)
{
	struct dsttab d;
	struct ref *ref = calloc(120000, sizeof(*ref));

	ck_assert_ptr_nonnull(ref);
	ck_assert_int_eq(dsttab_init(&d), 0);
	for (uint32_t i = 0; i < 120000; i++)	/* addresses all distinct */
		visit(&d, ref, i, 1, 1000);
	for (uint32_t i = 0; i < 120000; i += 7)
		visit(&d, ref, i, 2, 1000);
	ck_assert_uint_ge(d.n, 262144);
	dsttab_free(&d);
	free(ref);
}
END_TEST

CHECK_MAIN("dsttab", "dsttab", random_against_array, steady_stream,
    huge_table)
