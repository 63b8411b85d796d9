/*
 * test_match.c: the reply -> task table: add/find/delete, duplicates,
 * growth (and the old slots' move, a few at a time), deletion amid runs
 * of displaced slots, the key derived from each kind of reply, and the
 * prefetch hint.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "../lib/check_table.h"

static void
key(struct match_key *k, int af, uint8_t proto, uint16_t id, const char *dst)
{
	memset(k, 0, sizeof(*k));
	k->af = (uint8_t)af;
	k->proto = proto;
	k->id = id;
	ck_assert_int_eq(inet_pton(af, dst, k->dst), 1);
}

/* R: a reply from SRC, of family AF and protocol PROTO, nothing else
 * set. */
static void
reply(struct pkt_reply *r, int af, uint8_t proto, const char *src)
{
	memset(r, 0, sizeof(*r));
	r->af = af;
	r->proto = proto;
	ck_assert_int_eq(inet_pton(af, src, r->src), 1);
}

/* R keys to (AF, PROTO, ID, DST). */
static void
keys_to(const struct pkt_reply *r, int af, uint8_t proto, uint16_t id,
    const char *dst)
{
	struct match_key k, want;

	ck_assert_int_eq(match_key_of_reply(r, &k), 1);
	key(&want, af, proto, id, dst);
	ck_assert_mem_eq(&k, &want, sizeof(k));
}

START_TEST(table)
{
	enum { N = 20000 };
	struct match_table *t = match_new();
	struct match_entry *e = calloc(N, sizeof(*e)), dup;
	char a[64];

	ck_assert_ptr_nonnull(t);
	for (int i = 0; i < N; i++) {
		snprintf(a, sizeof(a), "198.18.%d.%d", i / 256, i % 256);
		key(&e[i].key, AF_INET, IPPROTO_UDP, (uint16_t)(40000 + i % 7),
		    a);
		ck_assert_int_eq(match_add(t, &e[i]), 0);
	}
	ck_assert_uint_eq(match_count(t), N);
	dup = e[5];
	ck_assert_int_eq(match_add(t, &dup), -1);
	ck_assert_int_eq(errno, EEXIST);
	for (int i = 0; i < N; i++) {
		match_prefetch(t, &e[i].key);	/* a hint: changes nothing */
		ck_assert_ptr_eq(match_find(t, &e[i].key), &e[i]);
	}
	ck_assert_uint_eq(match_count(t), N);
	for (int i = 0; i < N; i += 2)
		match_del(t, &e[i]);
	match_del(t, &e[0]);	/* twice is harmless */
	for (int i = 0; i < N; i++)
		ck_assert_ptr_eq(match_find(t, &e[i].key),
		    (i % 2) ? &e[i] : NULL);
	ck_assert_uint_eq(match_count(t), N / 2);
	match_free(t);
	free(e);
}
END_TEST

/* A range of flows goes in all or none: one busy key refuses the lot,
 * leaving nothing linked; deleting the range unlinks every entry. */
START_TEST(ranges)
{
	struct match_table *t = match_new();
	struct match_entry r[8], busy;

	ck_assert_ptr_nonnull(t);
	for (int i = 0; i < 8; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		key(&r[i].key, AF_INET, IPPROTO_TCP, (uint16_t)(65532 + i),
		    "192.0.2.9");	/* wraps past 65535 */
	}
	memset(&busy, 0, sizeof(busy));
	busy.key = r[5].key;
	ck_assert_int_eq(match_add(t, &busy), 0);
	ck_assert_int_eq(match_add_all(t, r, 8), -1);
	ck_assert_int_eq(errno, EEXIST);
	ck_assert_uint_eq(match_count(t), 1);
	for (int i = 0; i < 8; i++)
		ck_assert(!r[i].linked);
	match_del(t, &busy);
	ck_assert_int_eq(match_add_all(t, r, 8), 0);
	ck_assert_uint_eq(match_count(t), 8);
	for (int i = 0; i < 8; i++)
		ck_assert_ptr_eq(match_find(t, &r[i].key), &r[i]);
	match_del_all(t, r, 8);
	ck_assert_uint_eq(match_count(t), 0);
	match_free(t);
}
END_TEST

START_TEST(reply_keys)
{
	struct pkt_reply r;
	struct match_key k;

	/* an ICMP error quoting a UDP probe -> the probe's flow */
	reply(&r, AF_INET, IPPROTO_ICMP, "198.51.100.1");
	r.icmp_type = 11;
	r.has_quote = 1;
	r.q.af = AF_INET;
	r.q.proto = IPPROTO_UDP;
	r.q.sport = 40001;
	r.q.l4len = 8;
	inet_pton(AF_INET, "203.0.113.9", r.q.dst);
	keys_to(&r, AF_INET, IPPROTO_UDP, 40001, "203.0.113.9");

	/* a quote too short to hold the port is useless */
	r.q.l4len = 1;
	ck_assert_int_eq(match_key_of_reply(&r, &k), 0);

	/* a quoted echo request -> its id; a quoted echo reply is not ours */
	r.q.proto = IPPROTO_ICMP;
	r.q.l4len = 8;
	r.q.icmp_type = 8;
	r.q.icmp_id = 0x8123;
	ck_assert_int_eq(match_key_of_reply(&r, &k), 1);
	ck_assert_int_eq(k.id, 0x8123);
	r.q.icmp_type = 0;
	ck_assert_int_eq(match_key_of_reply(&r, &k), 0);

	/* echo reply from the destination */
	reply(&r, AF_INET6, IPPROTO_ICMPV6, "2001:db8::9");
	r.icmp_type = 129;
	r.icmp_id = 77;
	keys_to(&r, AF_INET6, IPPROTO_ICMPV6, 77, "2001:db8::9");
	r.icmp_type = 128;	/* somebody's echo request */
	ck_assert_int_eq(match_key_of_reply(&r, &k), 0);

	/* TCP reset from the destination: our sport is its dport */
	reply(&r, AF_INET, IPPROTO_TCP, "192.0.2.7");
	r.sport = 80;
	r.dport = 40002;
	keys_to(&r, AF_INET, IPPROTO_TCP, 40002, "192.0.2.7");
}
END_TEST

/* Many adds and deletes in a small key space (long runs of slots, many
 * entries away from their home), checked against what each entry says
 * after every step: a deleted entry's slot must not hide the others. */
START_TEST(churn)
{
	enum { N = 3000, STEPS = 60000 };
	struct match_table *t = match_new();
	struct match_entry *e = calloc(N, sizeof(*e));
	uint64_t x = 88172645463325252ULL;
	size_t live = 0;
	char a[64];

	ck_assert_ptr_nonnull(t);
	ck_assert_ptr_nonnull(e);
	for (int i = 0; i < N; i++) {
		snprintf(a, sizeof(a), "2001:db8::%x", i / 3);
		key(&e[i].key, AF_INET6, IPPROTO_UDP, (uint16_t)(i % 3), a);
	}
	for (int step = 0; step < STEPS; step++) {
		size_t i;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		i = (size_t)(x % N);
		if (e[i].linked) {
			match_del(t, &e[i]);
			live--;
		} else {
			ck_assert_int_eq(match_add(t, &e[i]), 0);
			live++;
		}
		ck_assert_uint_eq(match_count(t), live);
		if (step % 1000 == 999)
			for (int j = 0; j < N; j++)
				ck_assert_ptr_eq(match_find(t, &e[j].key),
				    e[j].linked ? &e[j] : NULL);
	}
	match_free(t);
	for (int j = 0; j < N; j++)
		ck_assert(!e[j].linked);
	free(e);
}
END_TEST

/* Growth moves the old slots a few at a time: right after it starts,
 * entries in the old slots and the new are found, deleted and re-added,
 * and the table is freed mid-move with every entry unlinked. */
START_TEST(grow_midway)
{
	enum { N = 3000, FIRST = 769 };	/* the 769th add grows 1,024 slots */
	struct match_table *t = match_new();
	struct match_entry *e = calloc(N, sizeof(*e));
	char a[64];

	ck_assert_ptr_nonnull(t);
	ck_assert_ptr_nonnull(e);
	for (int i = 0; i < N; i++) {
		snprintf(a, sizeof(a), "198.18.%d.%d", i / 250, i % 250);
		key(&e[i].key, AF_INET, IPPROTO_ICMP, (uint16_t)(i & 7), a);
	}
	for (int i = 0; i < FIRST; i++)
		ck_assert_int_eq(match_add(t, &e[i]), 0);
	for (int i = 0; i < FIRST; i++)
		ck_assert_ptr_eq(match_find(t, &e[i].key), &e[i]);
	for (int i = 0; i < FIRST; i += 2)
		match_del(t, &e[i]);
	ck_assert_int_eq(match_add(t, &e[1]), -1);
	ck_assert_int_eq(errno, EEXIST);
	for (int i = 0; i < FIRST; i++)
		ck_assert_ptr_eq(match_find(t, &e[i].key), i % 2 ? &e[i] : NULL);
	for (int i = 0; i < N; i++)
		if (!e[i].linked) {
			ck_assert_int_eq(match_add(t, &e[i]), 0);
			ck_assert_ptr_eq(match_find(t, &e[i].key), &e[i]);
		}
	ck_assert_uint_eq(match_count(t), N);
	for (int i = 0; i < N; i++)
		ck_assert_ptr_eq(match_find(t, &e[i].key), &e[i]);
	match_free(t);
	for (int i = 0; i < N; i++)
		ck_assert(!e[i].linked);
	free(e);
}
END_TEST

CHECK_MAIN("match", "match", table, reply_keys, ranges, churn, grow_midway)
