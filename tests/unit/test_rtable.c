/*
 * test_rtable.c: the routing tables' copy (prober/net/rtable.c): the
 * longest prefix decides, the first table holding the destination
 * decides, the local table and anything not plain (or two routes of one
 * prefix) is the kernel's to answer, a route's source slot is one per
 * route, and a route's next hop is given only when known.
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "rtable.h"
#include "../lib/check_table.h"

static const uint8_t *
a4(const char *s)
{
	static uint8_t b[4][16];
	static int i;
	uint8_t *p = b[i++ % 4];

	memset(p, 0, 16);
	ck_assert_int_eq(inet_pton(AF_INET, s, p), 1);
	return p;
}

static const uint8_t *
a6(const char *s)
{
	static uint8_t b[4][16];
	static int i;
	uint8_t *p = b[i++ % 4];

	ck_assert_int_eq(inet_pton(AF_INET6, s, p), 1);
	return p;
}

/* The prefix of the route DST takes, as "a.b.c.d/len", or "ask". */
static const char *
which4(struct rtable *t, const char *dst, const char *const *names)
{
	int id = rtable_lookup(t, a4(dst));

	return id == -1 ? "ask" : names[id];
}

/* Routes of a typical host: the default route, a /24 and a /16 on-link,
 * a /32, in main; local routes in table 0. */
static struct rtable *
host4(void)
{
	struct rtable *t = rtable_new(AF_INET);

	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(rtable_add(t, 1, a4("0.0.0.0"), 0, 1), 0);
	ck_assert_int_eq(rtable_add(t, 1, a4("198.18.0.0"), 15, 1), 0);
	ck_assert_int_eq(rtable_add(t, 1, a4("198.18.7.0"), 24, 1), 0);
	ck_assert_int_eq(rtable_add(t, 1, a4("198.18.7.9"), 32, 1), 0);
	ck_assert_int_eq(rtable_add(t, 0, a4("192.0.2.1"), 32, 0), 0);
	ck_assert_int_eq(rtable_add(t, 0, a4("192.0.2.255"), 32, 0), 0);
	rtable_finish(t);
	return t;
}

/* Names by id, found by looking up each route's own prefix. */
static void
name_ids(struct rtable *t, const char **names, size_t n)
{
	static const char *const pfx[][2] = {
		{ "0.0.0.0/0", "203.0.113.1" },
		{ "198.18.0.0/15", "198.19.200.1" },
		{ "198.18.7.0/24", "198.18.7.1" },
		{ "198.18.7.9/32", "198.18.7.9" },
	};

	for (size_t i = 0; i < n; i++)
		names[i] = "?";
	for (size_t i = 0; i < sizeof(pfx) / sizeof(pfx[0]); i++) {
		int id = rtable_lookup(t, a4(pfx[i][1]));
		ck_assert_int_ge(id, 0);
		ck_assert_int_lt(id, (int)n);
		names[id] = pfx[i][0];
	}
}

START_TEST(longest_prefix)
{
	struct rtable *t = host4();
	const char *names[8];

	name_ids(t, names, 8);
	ck_assert_str_eq(which4(t, "198.18.7.9", names), "198.18.7.9/32");
	ck_assert_str_eq(which4(t, "198.18.7.8", names), "198.18.7.0/24");
	ck_assert_str_eq(which4(t, "198.18.7.255", names), "198.18.7.0/24");
	ck_assert_str_eq(which4(t, "198.18.8.0", names), "198.18.0.0/15");
	ck_assert_str_eq(which4(t, "198.19.255.255", names),
	    "198.18.0.0/15");
	ck_assert_str_eq(which4(t, "198.20.0.0", names), "0.0.0.0/0");
	ck_assert_str_eq(which4(t, "198.17.255.255", names), "0.0.0.0/0");
	ck_assert_int_eq((int)rtable_count(t), 6);
	rtable_free(t);
}
END_TEST

/* a destination the local table holds is the kernel's, even with a
 * plain route for it in main */
START_TEST(local_first)
{
	struct rtable *t = host4();
	const char *names[8];

	name_ids(t, names, 8);
	ck_assert_str_eq(which4(t, "192.0.2.1", names), "ask");
	ck_assert_str_eq(which4(t, "192.0.2.255", names), "ask");
	ck_assert_str_eq(which4(t, "192.0.2.2", names), "0.0.0.0/0");
	rtable_free(t);
}
END_TEST

/* not plain, or two routes of one prefix: ask; no route at all: ask */
START_TEST(ask_the_kernel)
{
	struct rtable *t = rtable_new(AF_INET);

	ck_assert_int_eq(rtable_add(t, 1, a4("198.51.100.0"), 24, 0), 0);
	ck_assert_int_eq(rtable_add(t, 1, a4("203.0.113.0"), 24, 1), 0);
	ck_assert_int_eq(rtable_add(t, 1, a4("203.0.113.77"), 24, 1), 0);
	ck_assert_int_eq(rtable_add(t, 1, a4("192.0.2.0"), 25, 1), 0);
	rtable_finish(t);
	ck_assert_int_eq(rtable_lookup(t, a4("198.51.100.3")), -1);
	ck_assert_int_eq(rtable_lookup(t, a4("203.0.113.3")), -1);
	ck_assert_int_ge(rtable_lookup(t, a4("192.0.2.127")), 0);
	ck_assert_int_eq(rtable_lookup(t, a4("192.0.2.128")), -1);
	ck_assert_int_eq(rtable_lookup(t, a4("8.8.8.8")), -1);
	ck_assert_int_eq((int)rtable_count(t), 3);
	rtable_free(t);
}
END_TEST

/* main before default: a shorter prefix in main beats a longer one in
 * default; default answers what main does not hold */
START_TEST(table_order)
{
	struct rtable *t = rtable_new(AF_INET);
	int m, d;

	ck_assert_int_eq(rtable_add(t, 2, a4("198.18.0.0"), 24, 1), 0);
	ck_assert_int_eq(rtable_add(t, 1, a4("198.18.0.0"), 16, 1), 0);
	ck_assert_int_eq(rtable_add(t, 2, a4("203.0.113.0"), 24, 1), 0);
	rtable_finish(t);
	m = rtable_lookup(t, a4("198.18.0.1"));
	d = rtable_lookup(t, a4("203.0.113.1"));
	ck_assert_int_ge(m, 0);
	ck_assert_int_ge(d, 0);
	ck_assert_int_ne(m, d);
	ck_assert_int_eq(rtable_lookup(t, a4("198.18.1.1")), m);
	ck_assert_int_eq(rtable_lookup(t, a4("192.0.2.1")), -1);
	rtable_free(t);
}
END_TEST

/* the source slot is the route's: shared by its destinations */
START_TEST(source_per_route)
{
	struct rtable *t = host4();
	struct rtable_src *s1, *s2, *s3;

	s1 = rtable_src(t, rtable_lookup(t, a4("198.18.7.1")));
	s2 = rtable_src(t, rtable_lookup(t, a4("198.18.7.200")));
	s3 = rtable_src(t, rtable_lookup(t, a4("198.18.9.1")));
	ck_assert_ptr_eq(s1, s2);
	ck_assert_ptr_ne(s1, s3);
	ck_assert_int_eq(s1->known, 0);
	s1->known = 1;
	ck_assert_int_eq(s2->known, 1);
	ck_assert_int_eq(s3->known, 0);
	rtable_free(t);
}
END_TEST

START_TEST(ipv6)
{
	struct rtable *t = rtable_new(AF_INET6);
	int a, b, c;

	ck_assert_int_eq(rtable_add(t, 1, a6("::"), 0, 1), 0);
	ck_assert_int_eq(rtable_add(t, 1, a6("2001:db8::"), 32, 1), 0);
	ck_assert_int_eq(rtable_add(t, 1, a6("2001:db8:1:2::"), 63, 1), 0);
	ck_assert_int_eq(rtable_add(t, 0, a6("2001:db8::1"), 128, 0), 0);
	rtable_finish(t);
	a = rtable_lookup(t, a6("2001:db8:1:3::5"));
	b = rtable_lookup(t, a6("2001:db8:1:4::5"));
	c = rtable_lookup(t, a6("2001:2::1"));
	ck_assert_int_ge(a, 0);
	ck_assert_int_ge(b, 0);
	ck_assert_int_ge(c, 0);
	ck_assert_int_ne(a, b);
	ck_assert_int_ne(b, c);
	ck_assert_int_eq(rtable_lookup(t, a6("2001:db8:1:2::ffff")), a);
	ck_assert_int_eq(rtable_lookup(t, a6("2001:db8::1")), -1);
	ck_assert_int_eq(rtable_lookup(t, a6("2001:db8::2")), b);
	rtable_free(t);
}
END_TEST

START_TEST(bad_input)
{
	struct rtable *t = rtable_new(AF_INET);

	ck_assert_int_eq(rtable_add(t, 3, a4("192.0.2.0"), 24, 1), -1);
	ck_assert_int_eq(rtable_add(t, -1, a4("192.0.2.0"), 24, 1), -1);
	ck_assert_int_eq(rtable_add(t, 1, a4("192.0.2.0"), 33, 1), -1);
	rtable_finish(t);
	ck_assert_int_eq(rtable_lookup(t, a4("192.0.2.1")), -1);
	rtable_free(t);
	rtable_free(NULL);
}
END_TEST

/* many routes of many lengths against a linear longest match */
START_TEST(against_linear)
{
	enum { N = 2000 };
	static uint32_t pfx[N];
	static unsigned len[N];
	struct rtable *t = rtable_new(AF_INET);
	uint32_t x = 12345;

	for (int i = 0; i < N; i++) {
		uint8_t b[16] = { 0 };
		x = x * 1103515245u + 12345u;
		len[i] = 8 + (x >> 8) % 25;
		pfx[i] = x & (len[i] == 32 ? 0xffffffffu :
		    ~(0xffffffffu >> len[i]));
		uint32_t n = htonl(pfx[i]);
		memcpy(b, &n, 4);
		ck_assert_int_eq(rtable_add(t, 1, b, len[i], 1), 0);
	}
	rtable_finish(t);
	for (int k = 0; k < 20000; k++) {
		uint8_t b[16] = { 0 };
		int best = -1, id;
		x = x * 1103515245u + 12345u;
		uint32_t d = k % 2 ? x : pfx[k % N] | (x & 0xff);
		uint32_t n = htonl(d);
		memcpy(b, &n, 4);
		for (int i = 0; i < N; i++) {
			uint32_t m = len[i] == 32 ? 0xffffffffu :
			    ~(0xffffffffu >> len[i]);
			if ((d & m) == pfx[i] && (best == -1 ||
			    len[i] > len[best]))
				best = i;
		}
		id = rtable_lookup(t, b);
		if (best == -1) {
			ck_assert_int_eq(id, -1);
			continue;
		}
		/* the same route, or -1 if its prefix came twice */
		int twice = 0;
		for (int i = 0; i < N; i++)
			twice += i != best && len[i] == len[best] &&
			    pfx[i] == pfx[best];
		if (twice) {
			ck_assert_int_eq(id, -1);
			continue;
		}
		uint8_t rp[16];
		unsigned rl;
		uint32_t bp = htonl(pfx[best]);
		ck_assert_int_ge(id, 0);
		rtable_route(t, id, rp, &rl);
		ck_assert_uint_eq(rl, len[best]);
		ck_assert_int_eq(memcmp(rp, &bp, 4), 0);
	}
	rtable_free(t);
}
END_TEST

/* next hops: given as added; not for a route without one (no OIF), a
 * prefix added twice (two paths), a route not plain (multipath, what
 * rtcopy.c marks so) or the local table */
START_TEST(next_hop)
{
	struct rtable *t = rtable_new(AF_INET);
	struct rtable_nh gw = { .oif = 7, .has_gw = 1 }, link = { .oif = 3 };
	struct rtable_nh none = { .oif = 0, .has_gw = 1 }, got;
	int id;

	memcpy(gw.gw, a4("192.0.2.2"), 4);
	ck_assert_int_eq(rtable_add_nh(t, 1, a4("0.0.0.0"), 0, 1, &gw), 0);
	ck_assert_int_eq(rtable_add_nh(t, 1, a4("192.0.2.0"), 24, 1, &link),
	    0);
	ck_assert_int_eq(rtable_add_nh(t, 1, a4("198.18.0.0"), 15, 1, &none),
	    0);
	ck_assert_int_eq(rtable_add(t, 1, a4("198.19.0.0"), 16, 1), 0);
	ck_assert_int_eq(rtable_add_nh(t, 1, a4("203.0.113.0"), 24, 1, &gw),
	    0);
	ck_assert_int_eq(rtable_add_nh(t, 1, a4("203.0.113.0"), 24, 1,
	    &link), 0);
	ck_assert_int_eq(rtable_add_nh(t, 1, a4("198.51.100.0"), 24, 0, &gw),
	    0);
	ck_assert_int_eq(rtable_add_nh(t, 0, a4("192.0.2.1"), 32, 0, &link),
	    0);
	rtable_finish(t);

	ck_assert_int_ge(id = rtable_lookup(t, a4("203.0.114.1")), 0);
	memset(&got, 0xff, sizeof(got));
	ck_assert_int_eq(rtable_nexthop(t, id, &got), 0);
	ck_assert_uint_eq(got.oif, 7);
	ck_assert_int_eq(got.has_gw, 1);
	ck_assert_int_eq(memcmp(got.gw, a4("192.0.2.2"), 4), 0);

	ck_assert_int_ge(id = rtable_lookup(t, a4("192.0.2.9")), 0);
	ck_assert_int_eq(rtable_nexthop(t, id, &got), 0);
	ck_assert_uint_eq(got.oif, 3);
	ck_assert_int_eq(got.has_gw, 0);

	/* a plain route whose next hop is not known */
	ck_assert_int_ge(id = rtable_lookup(t, a4("198.18.1.1")), 0);
	ck_assert_int_eq(rtable_nexthop(t, id, &got), -1);
	ck_assert_int_ge(id = rtable_lookup(t, a4("198.19.1.1")), 0);
	ck_assert_int_eq(rtable_nexthop(t, id, &got), -1);
	/* two paths, not plain, local: no route at all from the copy */
	ck_assert_int_eq(rtable_lookup(t, a4("203.0.113.5")), -1);
	ck_assert_int_eq(rtable_lookup(t, a4("198.51.100.5")), -1);
	ck_assert_int_eq(rtable_lookup(t, a4("192.0.2.1")), -1);
	rtable_free(t);

	/* IPv6: a 16-byte gateway */
	t = rtable_new(AF_INET6);
	memcpy(gw.gw, a6("fe80::1"), 16);
	ck_assert_int_eq(rtable_add_nh(t, 1, a6("2001:db8::"), 32, 1, &gw),
	    0);
	rtable_finish(t);
	ck_assert_int_ge(id = rtable_lookup(t, a6("2001:db8:5::1")), 0);
	ck_assert_int_eq(rtable_nexthop(t, id, &got), 0);
	ck_assert_int_eq(memcmp(got.gw, a6("fe80::1"), 16), 0);
	rtable_free(t);
}
END_TEST

CHECK_MAIN("rtable", "rtable", longest_prefix, local_first, ask_the_kernel,
    table_order, source_per_route, ipv6, bad_input, against_linear, next_hop)
