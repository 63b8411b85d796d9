/*
 * test_txstamp.c: matching the kernel's transmit timestamps to probes
 * by their OPT_ID key (prober/net/txstamp.c), with keys fed by hand:
 * in order, reordered, lost, after refusals that did or did not use a
 * key, packets without a token, expiry and a growing ring; and by the
 * fingerprints of copies of the probes (a receive ring's outgoing
 * frames): in order, out of order, strays, a missing copy, duplicates,
 * far from where they were expected.  The last case reads
 * real timestamps of UDP datagrams to loopback (no privilege needed).
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "txstamp.h"
#include "../lib/check_table.h"

#define MAXSEEN 4096

struct seen {
	int		 n;
	void		*token[MAXSEEN];
	uint32_t	 tag[MAXSEEN];
	int64_t		 ns[MAXSEEN];	/* -1: no timestamp came */
};

static struct seen S;

static void
on_ts(void *arg, void *token, uint32_t tag, const struct stamp *ts)
{
	struct seen *s = arg;

	ck_assert_int_lt(s->n, MAXSEEN);
	s->token[s->n] = token;
	s->tag[s->n] = tag;
	s->ns[s->n] = ts != NULL ? ts->ns : -1;
	s->n++;
}

static struct stamp
at(int64_t ns)
{
	return (struct stamp){ ns };
}

/* The time reported for TAG, -2 if it was not reported. */
static int64_t
time_of(uint32_t tag)
{
	for (int i = 0; i < S.n; i++)
		if (S.tag[i] == tag)
			return S.ns[i];
	return -2;
}

static struct txs *
fresh(void)
{
	memset(&S, 0, sizeof(S));
	return txs_new(-1, on_ts, &S);
}

static int tok;		/* any non-NULL token */

START_TEST(in_order)
{
	struct txs *x = fresh();

	for (uint32_t i = 0; i < 5; i++)
		txs_sent(x, &tok, 10 + i, at(1000));
	ck_assert_uint_eq(txs_waiting(x), 5);
	for (uint32_t k = 0; k < 5; k++)
		txs_stamp(x, k, at(2000 + k));
	ck_assert_int_eq(S.n, 5);
	for (uint32_t i = 0; i < 5; i++) {
		ck_assert_uint_eq(S.tag[i], 10 + i);
		ck_assert_int_eq(S.ns[i], 2000 + i);
	}
	ck_assert_uint_eq(txs_waiting(x), 0);
	ck_assert_uint_eq(txs_stats(x)->stamped, 5);
	ck_assert_uint_eq(txs_stats(x)->stray, 0);
	txs_free(x);
}
END_TEST

START_TEST(reordered)
{
	struct txs *x = fresh();

	for (uint32_t i = 0; i < 4; i++)
		txs_sent(x, &tok, i, at(1000));
	txs_stamp(x, 2, at(3002));
	txs_stamp(x, 0, at(3000));
	txs_stamp(x, 3, at(3003));
	txs_stamp(x, 1, at(3001));
	for (uint32_t i = 0; i < 4; i++)
		ck_assert_int_eq(time_of(i), 3000 + i);
	txs_free(x);
}
END_TEST

START_TEST(lost_then_expired)
{
	struct txs *x = fresh();

	txs_sent(x, &tok, 0, at(1000));
	txs_sent(x, &tok, 1, at(1000));
	txs_sent(x, &tok, 2, at(1000));
	txs_stamp(x, 0, at(1100));
	txs_stamp(x, 2, at(1102));
	ck_assert_int_eq(S.n, 2);
	/* not yet given up */
	txs_expire(x, at(1000 + TXS_WAIT_NS - 1));
	ck_assert_int_eq(S.n, 2);
	txs_expire(x, at(1000 + TXS_WAIT_NS));
	ck_assert_int_eq(S.n, 3);
	ck_assert_int_eq(time_of(1), -1);
	ck_assert_int_eq(time_of(2), 1102);
	ck_assert_uint_eq(txs_stats(x)->missing, 1);
	/* keys go on after the loss */
	txs_sent(x, &tok, 3, at(5000));
	txs_stamp(x, 3, at(5001));
	ck_assert_int_eq(time_of(3), 5001);
	txs_free(x);
}
END_TEST

/* A fresh txs: tags 0, 1 and 2 sent at 1000, N refusals after the
 * first. */
static struct txs *
sent_around_refusals(int n)
{
	struct txs *x = fresh();

	txs_sent(x, &tok, 0, at(1000));
	for (int i = 0; i < n; i++)
		txs_refused(x);
	txs_sent(x, &tok, 1, at(1000));
	txs_sent(x, &tok, 2, at(1000));
	return x;
}

/* A firewall's drop: the refused packet used key 1. */
START_TEST(refusal_used_a_key)
{
	struct txs *x = sent_around_refusals(1);

	txs_stamp(x, 0, at(1100));
	txs_stamp(x, 2, at(1102));
	txs_stamp(x, 3, at(1103));
	ck_assert_int_eq(time_of(0), 1100);
	ck_assert_int_eq(time_of(1), 1102);
	ck_assert_int_eq(time_of(2), 1103);
	/* settled: later keys are exact again */
	txs_sent(x, &tok, 3, at(2000));
	txs_stamp(x, 4, at(2004));
	ck_assert_int_eq(time_of(3), 2004);
	ck_assert_uint_eq(txs_stats(x)->stray, 0);
	txs_free(x);
}
END_TEST

/* A routing failure: the refused packet used no key. */
START_TEST(refusal_used_none)
{
	struct txs *x = sent_around_refusals(2);

	txs_stamp(x, 0, at(1100));
	txs_stamp(x, 1, at(1101));
	txs_stamp(x, 2, at(1102));
	for (uint32_t i = 0; i < 3; i++)
		ck_assert_int_eq(time_of(i), 1100 + i);
	txs_sent(x, &tok, 3, at(2000));
	txs_stamp(x, 3, at(2003));
	ck_assert_int_eq(time_of(3), 2003);
	txs_free(x);
}
END_TEST

/* A key in doubt never goes to a probe sent after the timestamp. */
START_TEST(not_before_its_send)
{
	struct txs *x = fresh();

	txs_sent(x, &tok, 0, at(1000));
	txs_refused(x);
	txs_sent(x, &tok, 1, at(5000));
	/* key 1: probe 0 cannot have it (its key is 0); probe 1 was sent
	 * after 1500, so not probe 1's either */
	txs_stamp(x, 1, at(1500));
	ck_assert_int_eq(S.n, 0);
	ck_assert_uint_eq(txs_stats(x)->stray, 1);
	txs_stamp(x, 1, at(5100));
	ck_assert_int_eq(time_of(1), 5100);
	txs_free(x);
}
END_TEST

START_TEST(no_token)
{
	struct txs *x = fresh();

	txs_sent(x, &tok, 0, at(1000));
	txs_sent(x, NULL, 1, at(1000));
	txs_sent(x, &tok, 2, at(1000));
	txs_stamp(x, 0, at(1100));
	txs_stamp(x, 1, at(1101));
	txs_stamp(x, 2, at(1102));
	ck_assert_int_eq(S.n, 2);
	ck_assert_int_eq(time_of(1), -2);
	ck_assert_int_eq(time_of(2), 1102);
	ck_assert_uint_eq(txs_waiting(x), 0);
	/* NULL tokens count keys but are never reported */
	txs_sent(x, NULL, 9, at(2000));
	txs_sent(x, &tok, 3, at(2000));
	txs_expire(x, at(2000 + TXS_WAIT_NS));
	ck_assert_int_eq(S.n, 3);
	ck_assert_int_eq(time_of(3), -1);
	txs_free(x);
}
END_TEST

START_TEST(grows_and_wraps)
{
	struct txs *x = fresh();
	uint32_t k = 0;

	/* the ring grows past its first size and wraps while in use */
	for (uint32_t round = 0; round < 3; round++) {
		for (uint32_t i = 0; i < 1000; i++)
			txs_sent(x, &tok, round * 1000 + i, at(10));
		for (uint32_t i = 0; i < 700; i++, k++)
			txs_stamp(x, k, at(20 + k));
	}
	for (; k < 3000; k++)
		txs_stamp(x, k, at(20 + k));
	ck_assert_int_eq(S.n, 3000);
	for (uint32_t i = 0; i < 3000; i++)
		ck_assert_int_eq(S.ns[i], 20 + i);
	ck_assert_uint_eq(txs_waiting(x), 0);
	txs_free(x);
}
END_TEST

/* The probes of one batch whose timestamps did not come with it. */
START_TEST(waiting_since_mark)
{
	struct txs *x = fresh();
	uint32_t mark;

	txs_sent(x, &tok, 0, at(1000));		/* an earlier batch */
	mark = txs_mark(x);
	txs_sent(x, &tok, 1, at(2000));
	txs_sent(x, NULL, 2, at(2000));		/* no token: not told */
	txs_sent(x, &tok, 3, at(2000));
	txs_stamp(x, 1, at(2100));
	S.n = 0;
	txs_waiting_since(x, mark, on_ts, &S);
	ck_assert_int_eq(S.n, 1);
	ck_assert_uint_eq(S.tag[0], 3);
	ck_assert_int_eq(S.ns[0], 2000);	/* its before-send time */
	txs_free(x);
}
END_TEST

START_TEST(stray_and_duplicate)
{
	struct txs *x = fresh();

	txs_sent(x, &tok, 0, at(1000));
	txs_stamp(x, 7, at(1100));
	txs_stamp(x, 0, at(1100));
	txs_stamp(x, 0, at(1101));
	ck_assert_int_eq(S.n, 1);
	ck_assert_uint_eq(txs_stats(x)->stray, 2);
	txs_free(x);
}
END_TEST

/* The fingerprint of a made-up probe I: an IPv4 UDP header. */
static uint32_t
fp_of(uint32_t i)
{
	uint8_t p[28];

	memset(p, 0, sizeof(p));
	p[0] = 0x45;
	p[8] = (uint8_t)(1 + i % 30);		/* TTL */
	p[9] = 17;
	memcpy(p + 4, &i, 2);			/* ID */
	memcpy(p + 22, &i, 4);			/* port, length */
	return txs_fp(p, sizeof(p));
}

/* A fresh txs with probes 0..N-1 sent at 1000, each its fingerprint. */
static struct txs *
sent_fp(uint32_t n)
{
	struct txs *x = fresh();

	for (uint32_t i = 0; i < n; i++)
		txs_sent_fp(x, &tok, i, at(1000), fp_of(i));
	return x;
}

START_TEST(copy_fp_differs)
{
	uint8_t a[48], b[48];

	for (uint32_t i = 0; i < 1000; i++)
		ck_assert_uint_ne(fp_of(i), fp_of(i + 1));
	memset(a, 7, sizeof(a));
	memcpy(b, a, sizeof(b));
	ck_assert_uint_eq(txs_fp(a, 48), txs_fp(b, 48));
	/* only the first bytes count */
	ck_assert_uint_eq(txs_fp(a, 48), txs_fp(a, 40 + 8));
	b[47] = 8;
	ck_assert_uint_ne(txs_fp(a, 48), txs_fp(b, 48));
	ck_assert_uint_ne(txs_fp(a, 27), txs_fp(a, 28));
}
END_TEST

START_TEST(copy_in_order)
{
	struct txs *x = sent_fp(200);

	for (uint32_t i = 0; i < 200; i++)
		txs_copy(x, fp_of(i), at(2000 + i));
	ck_assert_int_eq(S.n, 200);
	for (uint32_t i = 0; i < 200; i++) {
		ck_assert_uint_eq(S.tag[i], i);
		ck_assert_int_eq(S.ns[i], 2000 + i);
	}
	ck_assert_uint_eq(txs_waiting(x), 0);
	ck_assert_uint_eq(txs_stats(x)->stamped, 200);
	ck_assert_uint_eq(txs_stats(x)->stray, 0);
	txs_free(x);
}
END_TEST

/* Out of order (a multiqueue device), strays between (the host's own
 * traffic): each copy still finds its probe. */
START_TEST(copy_out_of_order)
{
	static const uint32_t order[] = { 1, 0, 3, 2, 5, 9, 4, 6, 8, 7 };
	struct txs *x = sent_fp(10);

	for (size_t k = 0; k < 10; k++) {
		txs_copy(x, fp_of(order[k]), at(3000 + order[k]));
		txs_copy(x, fp_of(1000 + (uint32_t)k), at(3000));  /* stray */
	}
	ck_assert_int_eq(S.n, 10);
	for (uint32_t i = 0; i < 10; i++)
		ck_assert_int_eq(time_of(i), 3000 + i);
	ck_assert_uint_eq(txs_stats(x)->stray, 10);
	ck_assert_uint_eq(txs_stats(x)->stamped, 10);
	txs_free(x);
}
END_TEST

/* A copy lost (the ring full): its probe keeps the time read before it
 * was sent, after TXS_WAIT_NS; those after it are matched. */
START_TEST(copy_missing)
{
	struct txs *x = sent_fp(5);

	txs_copy(x, fp_of(0), at(1100));
	txs_copy(x, fp_of(2), at(1102));
	txs_copy(x, fp_of(3), at(1103));
	txs_copy(x, fp_of(4), at(1104));
	ck_assert_int_eq(S.n, 4);
	ck_assert_uint_eq(txs_waiting(x), 1);
	txs_expire(x, at(1000 + TXS_WAIT_NS - 1));
	ck_assert_int_eq(S.n, 4);
	txs_expire(x, at(1000 + TXS_WAIT_NS));
	ck_assert_int_eq(S.n, 5);
	ck_assert_int_eq(time_of(1), -1);
	ck_assert_int_eq(time_of(4), 1104);
	ck_assert_uint_eq(txs_stats(x)->missing, 1);
	txs_free(x);
}
END_TEST

/* Two probes alike (a retry of the same bytes): their copies go to them
 * in turn; a third copy, and one older than its probe, are strays. */
START_TEST(copy_duplicates)
{
	struct txs *x = fresh();

	txs_sent_fp(x, &tok, 0, at(1000), fp_of(5));
	txs_sent_fp(x, &tok, 1, at(2000), fp_of(5));
	txs_sent_fp(x, &tok, 2, at(2000), fp_of(6));
	txs_copy(x, fp_of(6), at(1500));	/* before its probe: stray */
	txs_copy(x, fp_of(5), at(1001));
	txs_copy(x, fp_of(5), at(2001));
	txs_copy(x, fp_of(5), at(2002));	/* a third: stray */
	txs_copy(x, fp_of(6), at(2003));
	ck_assert_int_eq(time_of(0), 1001);
	ck_assert_int_eq(time_of(1), 2001);
	ck_assert_int_eq(time_of(2), 2003);
	ck_assert_uint_eq(txs_stats(x)->stray, 2);
	txs_free(x);
}
END_TEST

/* Copies far from where the next was expected (more than TXS_SCAN lost
 * in a row: a full ring) are found by their fingerprint's table, and the
 * next ones follow from there; those lost expire. */
START_TEST(copy_far)
{
	struct txs *x = sent_fp(4 * TXS_SCAN);
	uint64_t k;

	txs_copy(x, fp_of(0), at(1100));
	for (uint32_t i = 2 * TXS_SCAN; i < 4 * TXS_SCAN; i++)
		txs_copy(x, fp_of(i), at(1100 + i));
	/* (the table is direct-mapped: the first far copy may find its
	 * slot taken by a later probe's, and be a stray; the next ones
	 * then follow) */
	k = txs_stats(x)->stray;
	ck_assert_uint_le(k, 1);
	ck_assert_int_eq(S.n, 1 + 2 * TXS_SCAN - (int)k);
	ck_assert_int_eq(time_of(2 * TXS_SCAN + 1), 1100 + 2 * TXS_SCAN + 1);
	ck_assert_int_eq(time_of(4 * TXS_SCAN - 1), 1100 + 4 * TXS_SCAN - 1);
	txs_copy(x, fp_of(9999), at(1200));
	ck_assert_uint_eq(txs_stats(x)->stray, k + 1);
	txs_expire(x, at(1000 + TXS_WAIT_NS));
	ck_assert_int_eq(S.n, 4 * TXS_SCAN);
	ck_assert_int_eq(time_of(1), -1);
	ck_assert_uint_eq(txs_stats(x)->missing, 2 * TXS_SCAN - 1 + k);
	txs_free(x);
}
END_TEST

/* The kernel's own timestamps of UDP datagrams sent to loopback. */
START_TEST(kernel_loopback)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	struct stamp before;
	struct txs *x;
	int rx, tx;

	rx = socket(AF_INET, SOCK_DGRAM, 0);
	tx = socket(AF_INET, SOCK_DGRAM, 0);
	ck_assert_int_ge(rx, 0);
	ck_assert_int_ge(tx, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(rx, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(rx, (struct sockaddr *)&sin, &sl), 0);
	if (txs_enable(tx) == -1) {
		/* not Linux, or a kernel without them: nothing to read */
		ck_assert_int_eq(errno, EOPNOTSUPP);
		close(rx);
		close(tx);
		return;
	}
	memset(&S, 0, sizeof(S));
	ck_assert_ptr_nonnull(x = txs_new(tx, on_ts, &S));
	for (uint32_t i = 0; i < 3; i++) {
		before = stamp_now();
		ck_assert_int_eq(sendto(tx, "x", 1, 0, (struct sockaddr *)&sin,
		    sizeof(sin)), 1);
		txs_sent(x, &tok, i, before);
	}
	/* loopback stamps them as they are sent; allow a slow machine */
	for (int tries = 0; tries < 100 && S.n < 3; tries++) {
		txs_drain(x, stamp_now(), 0);
		if (S.n < 3)
			usleep(10000);
	}
	ck_assert_int_eq(S.n, 3);
	/* each drain read the error queue, the last one at least once */
	ck_assert_uint_ge(txs_stats(x)->reads, 1);
	for (int i = 0; i < 3; i++) {
		ck_assert_uint_eq(S.tag[i], (uint32_t)i);
		ck_assert_int_gt(S.ns[i], 0);
		ck_assert_int_le(S.ns[i], stamp_now().ns);
		if (i > 0)
			ck_assert_int_ge(S.ns[i], S.ns[i - 1]);
	}
	txs_free(x);
	close(rx);
	close(tx);
}
END_TEST

CHECK_MAIN("txstamp", "match", in_order, reordered, lost_then_expired,
    refusal_used_a_key, refusal_used_none, not_before_its_send, no_token,
    grows_and_wraps, waiting_since_mark, stray_and_duplicate, copy_fp_differs,
    copy_in_order, copy_out_of_order, copy_missing, copy_duplicates,
    copy_far, kernel_loopback)
