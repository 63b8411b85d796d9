/*
 * test_trace_hops.c: the trace technique's compact records (trace_hops.c)
 * give back every field of the hops put into them: each hop below goes
 * through trace_rec_add and trace_hops_commit and must come out as it
 * went in, for IPv4 and IPv6 -- a reply quoting the probe as sent, one
 * quoting another length or TOS, one quoting nothing, an echo reply, a
 * TCP reply, a next-hop MTU -- with probe records spread over modes and
 * the buffer grown several times -- and the encoding's edges (edges()),
 * and the result's hop arrays reused (hops_reuse), and IPv6 addresses
 * counted from the previous record's (prev6_cycles, prev6_size).  No
 * network, no core: the state is built by hand.
 */
#include <check.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scamper_trace.h"
#include "task.h"
#include "trace_int.h"
#include "../lib/check_table.h"

#define PROBE_SIZE	44
#define TOS		8
#define START_NS	1700000000123456000LL

/* Hop K of the test set answering probe K (TTL K + 1) of S. */
static void
mkhop(const struct trace_state *s, int k, struct scamper_trace_hop *h)
{
	uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	const struct trace_probe *p = trace_probe_at(s, (uint16_t)k);

	memset(h, 0, sizeof(*h));
	if (s->af == AF_INET) {
		a[0] = 192; a[1] = 0; a[2] = 2; a[3] = (uint8_t)(k + 1);
	} else
		a[15] = (uint8_t)(k + 1);
	scamper_addr_set(&h->addr, task_addr_type(s->af), a);
	h->probe_ttl = p->ttl;
	h->probe_id = p->attempt;
	h->probe_size = PROBE_SIZE;
	h->tx = stamp_tv(trace_probe_tx(s, p));
	h->rtt = 1000u * (uint32_t)(k + 1) + 7;
	h->flags = SCAMPER_TRACE_HOP_REPLY_TTL | SCAMPER_TRACE_HOP_TS_SOCK_RX;
	h->reply_ttl = (uint8_t)(250 - k);
	h->reply_tos = k == 2 ? 0xc0 : 0;
	h->reply_size = (uint16_t)(56 + k);
	h->reply_ipid = s->af == AF_INET ? (uint16_t)(0x1234 + k) : 0;
	switch (k % 6) {
	case 0:		/* time exceeded, quoting the probe as sent */
	case 3:
		h->icmp_type = s->af == AF_INET ? 11 : 3;
		h->icmp_q_ttl = 1;
		h->icmp_q_tos = TOS;
		h->icmp_q_ipl = PROBE_SIZE;
		break;
	case 1:		/* another length and TOS in the quote */
		h->icmp_type = s->af == AF_INET ? 11 : 3;
		h->icmp_q_ttl = 2;
		h->icmp_q_tos = 0x02;
		h->icmp_q_ipl = 0x2c00;		/* byte-swapped */
		break;
	case 2:		/* time exceeded without a quote read */
		h->icmp_type = s->af == AF_INET ? 11 : 3;
		break;
	case 4:		/* a TCP reset */
		h->flags |= SCAMPER_TRACE_HOP_TCP;
		h->tcp_flags = 0x14;
		break;
	case 5:		/* too big, and echo reply at the last */
		if (k == 11) {
			h->icmp_type = s->af == AF_INET ? 0 : 129;
			break;
		}
		h->icmp_type = s->af == AF_INET ? 3 : 2;
		h->icmp_code = s->af == AF_INET ? 4 : 0;
		h->icmp_nhmtu = 1280;
		h->icmp_q_ttl = 1;
		h->icmp_q_tos = TOS;
		h->icmp_q_ipl = PROBE_SIZE;
		break;
	}
}

static void
same_hop(const struct scamper_trace_hop *a, const struct scamper_trace_hop *b,
    int k)
{
	ck_assert_msg(scamper_addr_cmp(&a->addr, &b->addr) == 0, "hop %d addr",
	    k);
	ck_assert_msg(a->probe_ttl == b->probe_ttl && a->probe_id ==
	    b->probe_id && a->probe_size == b->probe_size, "hop %d probe", k);
	ck_assert_msg(a->tx.tv_sec == b->tx.tv_sec && a->tx.tv_usec ==
	    b->tx.tv_usec && a->rtt == b->rtt, "hop %d times", k);
	ck_assert_msg(a->flags == b->flags && a->reply_ttl == b->reply_ttl &&
	    a->reply_tos == b->reply_tos && a->reply_size == b->reply_size &&
	    a->reply_ipid == b->reply_ipid, "hop %d reply", k);
	ck_assert_msg(a->icmp_type == b->icmp_type && a->icmp_code ==
	    b->icmp_code && a->tcp_flags == b->tcp_flags &&
	    a->icmp_nhmtu == b->icmp_nhmtu, "hop %d type %u/%u tcp %x mtu %u, "
	    "want %u/%u tcp %x mtu %u", k, b->icmp_type, b->icmp_code,
	    b->tcp_flags, b->icmp_nhmtu, a->icmp_type, a->icmp_code,
	    a->tcp_flags, a->icmp_nhmtu);
	ck_assert_msg(a->icmp_q_ttl == b->icmp_q_ttl && a->icmp_q_tos ==
	    b->icmp_q_tos && a->icmp_q_ipl == b->icmp_q_ipl,
	    "hop %d quote %u/%u/%u, want %u/%u/%u", k, b->icmp_q_ttl,
	    b->icmp_q_tos, b->icmp_q_ipl, a->icmp_q_ttl, a->icmp_q_tos,
	    a->icmp_q_ipl);
}

/* Commit S's records into T, compare T's hops with the N of IN (in TTL
 * order), and free T and what S holds. */
static void
commit_compare(struct trace_state *s, struct scamper_trace *t,
    const struct scamper_trace_hop *in, int n)
{
	ck_assert_int_eq(trace_hops_commit(s, t), 0);
	ck_assert_uint_eq(t->hops.hopc, n);
	for (int k = 0; k < n; k++)
		same_hop(&in[k], &t->hops.hops[k], k);
	scamper_trace_free(t);
	trace_state_clear(s);
}

/* Twelve hops of family AF through the records and back. */
static void
roundtrip(int af)
{
	struct trace_state s;
	struct scamper_trace *t;
	struct scamper_trace_hop in[12], h;
	const int n = (int)(sizeof(in) / sizeof(in[0]));
	struct trace_hoprec r;
	uint32_t off = 0;
	int nrec = 0;

	memset(&s, 0, sizeof(s));
	s.af = (uint8_t)af;
	s.c.tos = TOS;
	s.c.probe_size = PROBE_SIZE;
	s.c.start = (struct stamp){ START_NS };
	ck_assert_ptr_nonnull(t = scamper_trace_alloc());
	for (int k = 0; k < n; k++) {
		struct trace_probe *p = trace_probe_add(&s, (uint8_t)(k + 1),
		    (uint8_t)(k % 3 + 1), PROBE_SIZE);
		ck_assert_ptr_nonnull(p);
		trace_probe_set_tx(&s, p, (struct stamp){ START_NS +
		    (int64_t)k * 1234567891 });
		s.probec++;
	}
	for (int k = 0; k < n; k++) {
		mkhop(&s, k, &in[k]);
		h = in[k];
		ck_assert_int_eq(trace_rec_add(&s, &h, (uint16_t)k), 0);
	}
	for (int k = 0; trace_rec_next(&s, &off, &r) == 0; k++) {
		ck_assert_uint_eq(trace_rec_ttl(&s, &r), k + 1);
		ck_assert_uint_eq(r.probe, k);
		nrec++;
	}
	ck_assert_int_eq(nrec, n);
	commit_compare(&s, t, in, n);
}

START_TEST(ipv4)
{
	roundtrip(AF_INET);
}
END_TEST

START_TEST(ipv6)
{
	roundtrip(AF_INET6);
}
END_TEST

/* The encoding's edges, family AF: a record whose address is the
 * destination's (IPv4: none kept), one sharing all but a byte with the
 * source (IPv6), one sharing nothing; a "negative" RTT (a clock step:
 * 5 varint bytes), RTT 0, reply sizes far below and above a full quote,
 * every optional field at its extremes, probe numbers past 127 (2
 * varint bytes), and 200 probes growing the buffer past its first
 * sizes with records already in it. */
static void
edges(int af)
{
	struct trace_state s;
	struct scamper_trace *t;
	struct scamper_trace_hop in[4], h;
	const uint16_t idx[4] = { 0, 127, 128, 199 };
	const int n = 4;
	uint8_t a[16];

	memset(&s, 0, sizeof(s));
	s.af = (uint8_t)af;
	s.c.probe_size = PROBE_SIZE;
	s.c.start = (struct stamp){ START_NS };
	memset(s.c.src, 0x11, 16);
	memset(s.c.dst, 0x22, 16);
	ck_assert_ptr_nonnull(t = scamper_trace_alloc());
	for (int k = 0; k < 200; k++) {
		ck_assert_ptr_nonnull(trace_probe_add(&s, (uint8_t)(k + 1), 1,
		    PROBE_SIZE));
		trace_probe_set_tx(&s, trace_probe_at(&s, (uint16_t)k),
		    (struct stamp){ START_NS + (int64_t)k * 999 });
		s.probec++;
		for (int j = 0; j < n; j++) {
			if (idx[j] != k)
				continue;
			memset(&in[j], 0, sizeof(in[j]));
			memcpy(a, j == 0 ? s.c.dst : s.c.src, 16);
			if (j == 1)
				a[af == AF_INET ? 3 : 15] = 0x99;
			if (j >= 2)
				memset(a, 0x80 + j, 16);
			scamper_addr_set(&in[j].addr, task_addr_type(af), a);
			in[j].probe_ttl = (uint8_t)(k + 1);
			in[j].probe_id = 1;
			in[j].probe_size = PROBE_SIZE;
			in[j].tx = stamp_tv(trace_probe_tx(&s,
			    trace_probe_at(&s, (uint16_t)k)));
			in[j].rtt = j == 0 ? 0xfffffff0u : j == 1 ? 0 :
			    j == 2 ? 0x7fffffffu : 127;
			in[j].flags = j == 0 ? 0 : 0xff & ~SCAMPER_TRACE_HOP_TCP;
			in[j].reply_ttl = j == 3 ? 0 : 255;
			in[j].reply_tos = j == 2 ? 0xff : 0;
			in[j].reply_size = j == 0 ? 20 : j == 1 ? 65535 :
			    (uint16_t)(PROBE_SIZE + 28);
			in[j].reply_ipid = af == AF_INET && j != 0 ? 0xffff : 0;
			in[j].icmp_type = j == 3 ? 255 : 11;
			in[j].icmp_code = j == 2 ? 255 : 0;
			in[j].icmp_q_ttl = j == 1 ? 255 : j == 3 ? 1 : 0;
			h = in[j];
			ck_assert_int_eq(trace_rec_add(&s, &h, (uint16_t)k), 0);
		}
	}
	/* the loop check reads the same addresses and TTLs */
	memset(a, 0x33, 16);
	ck_assert_int_eq(trace_rec_looped(&s, a, 100), 0);
	for (int j = 0; j < n; j++) {
		ck_assert_int_eq(trace_rec_looped(&s, in[j].addr.addr,
		    in[j].probe_ttl), 0);
		ck_assert_int_eq(trace_rec_looped(&s, in[j].addr.addr,
		    (uint8_t)(in[j].probe_ttl + 1)), 0);
		ck_assert_int_eq(trace_rec_looped(&s, in[j].addr.addr,
		    (uint8_t)(in[j].probe_ttl > 100 ? 1 : 250)), 1);
	}
	commit_compare(&s, t, in, n);
}

START_TEST(edges4)
{
	edges(AF_INET);
}
END_TEST

START_TEST(edges6)
{
	edges(AF_INET6);
}
END_TEST

/* A probe's send time keeps its nanoseconds, before and after the
 * start, and its flags beside it: in the 7-byte record up to 137 s
 * (2^37 - 1 ns) either way, further ones aside (struct trace_far),
 * which a time set again reuses or leaves. */
START_TEST(probe_tx)
{
	struct trace_state s;
	const int64_t lim = ((int64_t)1 << 37) - 1;
	const int64_t off[] = { 0, 1, -1, 999999999, -123456789012LL,
	    30000000000000LL, -30000000000000LL, lim, -lim, lim + 1,
	    -lim - 1, INT64_MAX / 2 };
	const size_t n = sizeof(off) / sizeof(off[0]);

	ck_assert_uint_eq(sizeof(struct trace_probe), 7);
	memset(&s, 0, sizeof(s));
	s.af = AF_INET;
	s.c.start = (struct stamp){ START_NS };
	for (size_t i = 0; i < n; i++) {
		struct trace_probe *p = trace_probe_add(&s, 1, 1, 40);

		ck_assert_ptr_nonnull(p);
		trace_probe_txf_set(p, i % 2 ? TRACE_TX_ANSWERED : TRACE_TX_DL);
		trace_probe_set_tx(&s, p, (struct stamp){ START_NS + off[i] });
		s.probec++;
	}
	for (size_t i = 0; i < n; i++) {
		const struct trace_probe *p = trace_probe_at(&s, (uint16_t)i);

		ck_assert_int_eq(trace_probe_tx(&s, p).ns, START_NS + off[i]);
		ck_assert_uint_eq(trace_probe_txf(p), i % 2 ?
		    TRACE_TX_ANSWERED : TRACE_TX_DL);
	}
	ck_assert_ptr_nonnull(s.x);
	ck_assert_uint_eq(s.x->farc, 5);
	/* near again, then far again: the entry is reused */
	trace_probe_set_tx(&s, trace_probe_at(&s, 5), (struct stamp){
	    START_NS + 5 });
	ck_assert_int_eq(trace_probe_tx(&s, trace_probe_at(&s, 5)).ns,
	    START_NS + 5);
	trace_probe_set_tx(&s, trace_probe_at(&s, 5), (struct stamp){
	    START_NS - lim - 7 });
	ck_assert_int_eq(trace_probe_tx(&s, trace_probe_at(&s, 5)).ns,
	    START_NS - lim - 7);
	ck_assert_uint_eq(s.x->farc, 5);
	ck_assert_uint_eq(trace_probe_txf(trace_probe_at(&s, 5)),
	    TRACE_TX_ANSWERED);
	trace_state_clear(&s);
}
END_TEST

/* The buffer grows by an eighth, at least 48 bytes, to the slab's sizes
 * (multiples of 8), from 120: every step keeps the probes
 * (at its back) and the records (at its front) as they were. */
START_TEST(growth)
{
	struct trace_state s;
	struct scamper_trace_hop h;
	uint32_t cap = 0, steps = 0;

	memset(&s, 0, sizeof(s));
	s.af = AF_INET;
	s.c.probe_size = PROBE_SIZE;
	s.c.start = (struct stamp){ START_NS };
	for (int k = 0; k < 300; k++) {
		struct trace_probe *p = trace_probe_add(&s, (uint8_t)(k + 1),
		    (uint8_t)(k % 3 + 1), PROBE_SIZE);

		ck_assert_ptr_nonnull(p);
		trace_probe_set_tx(&s, p, (struct stamp){ START_NS + k });
		s.probec++;
		mkhop(&s, k % 12, &h);
		ck_assert_int_eq(trace_rec_add(&s, &h, (uint16_t)k), 0);
		if (s.bufcap != cap) {
			uint32_t step = cap / 8 > 48 ? cap / 8 : 48;

			ck_assert_uint_eq(s.bufcap % 8, 0);
			ck_assert_uint_ge(s.bufcap, cap == 0 ? 120 : cap + step);
			ck_assert_uint_lt(s.bufcap, cap == 0 ? 128 :
			    cap + step + 16 + 40);
			cap = s.bufcap;
			steps++;
		}
		ck_assert_uint_le(s.c.reclen + s.probec * 7u, s.bufcap);
	}
	for (uint16_t k = 0; k < 300; k++) {
		const struct trace_probe *p = trace_probe_at(&s, k);

		ck_assert_uint_eq(p->ttl, (uint8_t)(k + 1));
		ck_assert_uint_eq(p->attempt, k % 3 + 1);
		ck_assert_int_eq(trace_probe_tx(&s, p).ns, START_NS + k);
	}
	ck_assert_uint_ge(steps, 10);
	trace_state_clear(&s);
}
END_TEST

/* Records answering the probes SEQ (8 of them) of a trace of family AF
 * come back with those numbers, for the decoder and the loop check. */
static void
numbers(int af, const uint16_t *seq)
{
	struct trace_state s;
	struct scamper_trace_hop h;
	struct trace_hoprec r;
	uint32_t off = 0;
	int k = 0;

	memset(&s, 0, sizeof(s));
	s.af = (uint8_t)af;
	s.c.probe_size = PROBE_SIZE;
	s.c.start = (struct stamp){ START_NS };
	for (int i = 0; i < 8; i++) {
		ck_assert_ptr_nonnull(trace_probe_add(&s, (uint8_t)(i + 1), 1,
		    PROBE_SIZE));
		s.probec++;
	}
	for (int i = 0; i < 8; i++) {
		mkhop(&s, seq[i], &h);
		ck_assert_int_eq(trace_rec_add(&s, &h, seq[i]), 0);
	}
	for (; trace_rec_next(&s, &off, &r) == 0; k++) {
		ck_assert_uint_eq(r.probe, seq[k]);
		ck_assert_uint_eq(trace_rec_ttl(&s, &r), seq[k] + 1);
	}
	ck_assert_int_eq(k, 8);
	/* hop 6's address answered at TTL 7: a loop seen from TTL 1, none
	 * from TTL 6 */
	mkhop(&s, 6, &h);
	ck_assert_int_eq(trace_rec_looped(&s, h.addr.addr, 1), 1);
	ck_assert_int_eq(trace_rec_looped(&s, h.addr.addr, 6), 0);
	trace_state_clear(&s);
}

/* A record gives its probe number only when it is not the previous
 * record's + 1 (the first record's: 0): repeated, earlier, later and
 * first-but-not-0 numbers come back, IPv4 and IPv6. */
START_TEST(probe_numbers)
{
	static const uint16_t seq[][8] = {
		{ 0, 1, 1, 0, 5, 6, 2, 3 },
		{ 3, 4, 5, 7, 6, 7, 0, 1 },
	};

	for (size_t q = 0; q < sizeof(seq) / sizeof(seq[0]); q++) {
		numbers(AF_INET, seq[q]);
		numbers(AF_INET6, seq[q]);
	}
}
END_TEST

/* An array of N hops from scamper_trace_hops_alloc into H, filled (as
 * trace_hops_commit fills it), its first hop holding a name. */
static struct scamper_trace_hop *
hops_filled(struct scamper_trace_hops *h, uint16_t n)
{
	memset(h, 0, sizeof(*h));
	ck_assert_ptr_nonnull(scamper_trace_hops_alloc(h, n));
	ck_assert_uint_ge(h->alloc, n);
	ck_assert_uint_eq(h->hopc, 0);
	memset(h->hops, 0, n * sizeof(*h->hops));
	h->hops[0].name = strdup("r1");
	h->hopc = n;
	return h->hops;
}

/* Hop arrays freed by scamper_trace_hops_clear come back from
 * scamper_trace_hops_alloc: the smallest that is large enough; the
 * four largest of at most 64 hops are kept, the others freed. */
START_TEST(hops_reuse)
{
	static const uint16_t sizes[] = { 3, 5, 70, 12, 20, 8 };
	struct scamper_trace_hops drain[4], h[6], g;
	struct scamper_trace_hop *a[6];

	/* whatever earlier tests left kept is taken out of the way */
	for (int i = 0; i < 4; i++)
		(void)hops_filled(&drain[i], 1);
	for (int i = 0; i < 6; i++)
		a[i] = hops_filled(&h[i], sizes[i]);
	for (int i = 0; i < 6; i++) {
		scamper_trace_hops_clear(&h[i]);
		ck_assert_ptr_null(h[i].hops);
		ck_assert_uint_eq(h[i].hopc, 0);
	}
	/* kept: 20, 12, 8, 5 (3 gave way to a larger one, 70 is too many) */
	ck_assert_ptr_eq(hops_filled(&g, 15), a[4]);
	ck_assert_uint_eq(g.alloc, 20);
	scamper_trace_hops_clear(&g);
	ck_assert_ptr_eq(hops_filled(&g, 9), a[3]);
	ck_assert_uint_eq(g.alloc, 12);
	scamper_trace_hops_clear(&g);
	ck_assert_ptr_eq(hops_filled(&g, 1), a[1]);
	ck_assert_uint_eq(g.alloc, 5);
	scamper_trace_hops_clear(&g);
	(void)hops_filled(&g, 100);		/* none kept is so large */
	ck_assert_uint_eq(g.alloc, 100);
	scamper_trace_hops_clear(&g);		/* not kept: freed */
	for (int i = 0; i < 4; i++)
		scamper_trace_hops_clear(&drain[i]);
}
END_TEST

/* The address of IPv6 record K of prev6's set (K from START): by K % 8
 * an address unrelated to any other, the previous one's with its last
 * byte changed, the previous one again, the destination, the source's
 * but for its last two bytes, the previous one's with its second half
 * changed, an earlier record's again, or one sharing a byte more with
 * the previous one than with the destination. */
static void
prev6_addr(const struct trace_state *s, const struct scamper_trace_hop *in,
    int k, int start, uint8_t *a)
{
	const uint8_t *p = k > 0 ? in[k - 1].addr.addr : s->c.dst;

	memcpy(a, p, 16);
	switch ((k + start) % 8) {
	case 0:
		for (int j = 0; j < 16; j++)
			a[j] = (uint8_t)(0x40 + 37 * k + 11 * j);
		break;
	case 1:
		a[15] = (uint8_t)(a[15] + 1);
		break;
	case 2:
		break;
	case 3:
		memcpy(a, s->c.dst, 16);
		break;
	case 4:
		memcpy(a, s->c.src, 16);
		a[14] = (uint8_t)k;
		a[15] = (uint8_t)(k * 3);
		break;
	case 5:
		memset(a + 8, 0x5a ^ k, 8);
		break;
	case 6:
		if (k >= 3)
			memcpy(a, in[k / 3].addr.addr, 16);
		break;
	case 7:
		a[7] = (uint8_t)(s->c.dst[7] ^ 0xff);	/* dst shares 0 */
		a[14] = (uint8_t)(a[14] ^ 1);
		break;
	}
}

/* Whether a record of IN (N) holds ADDR at a TTL more than one from
 * TTL: the loop check done the long way. */
static int
looped_naive(const struct scamper_trace_hop *in, int n, const uint8_t *addr,
    int ttl)
{
	for (int k = 0; k < n; k++)
		if (memcmp(in[k].addr.addr, addr, 16) == 0 &&
		    abs(in[k].probe_ttl - ttl) > 1)
			return 1;
	return 0;
}

/* IPv6 addresses counted from the previous record's (REC_V6PREV), the
 * source's or the destination's: N records (every third probe left
 * unanswered: anonymous hops) starting in START's place of prev6_addr's
 * cycle come back from the decoder, the loop check and the commit, with
 * the buffer grown while records are in it. */
static void
prev6(int n, int start)
{
	struct trace_state s;
	struct scamper_trace *t;
	struct scamper_trace_hop in[160], h;
	struct trace_hoprec r;
	uint32_t off = 0;
	uint8_t a[16];
	int k = 0, nprobe = n + n / 2 + 1;

	ck_assert_int_le(n, 160);
	memset(&s, 0, sizeof(s));
	s.af = AF_INET6;
	s.c.tos = TOS;
	s.c.probe_size = PROBE_SIZE;
	s.c.start = (struct stamp){ START_NS };
	memcpy(s.c.src, (uint8_t[16]){ 0x20, 0x01, 0x0d, 0xb8, 0, 1 }, 16);
	memcpy(s.c.dst, (uint8_t[16]){ 0x20, 0x01, 0x0d, 0xb8, 0xff, 2, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 9 }, 16);
	ck_assert_ptr_nonnull(t = scamper_trace_alloc());
	for (int i = 0; i < nprobe; i++) {
		ck_assert_ptr_nonnull(trace_probe_add(&s, (uint8_t)(i + 1), 1,
		    PROBE_SIZE));
		trace_probe_set_tx(&s, trace_probe_at(&s, (uint16_t)i),
		    (struct stamp){ START_NS + (int64_t)i * 1000003 });
		s.probec++;
		if (i % 3 == 2 || k == n)
			continue;			/* anonymous */
		mkhop(&s, i, &in[k]);
		prev6_addr(&s, in, k, start, a);
		scamper_addr_set(&in[k].addr, SCAMPER_ADDR_IPV6, a);
		h = in[k];
		ck_assert_int_eq(trace_rec_add(&s, &h, (uint16_t)i), 0);
		k++;
	}
	ck_assert_int_eq(k, n);
	for (k = 0; trace_rec_next(&s, &off, &r) == 0; k++) {
		ck_assert_msg(memcmp(r.addr, in[k].addr.addr, 16) == 0,
		    "record %d of %d (from %d): address", k, n, start);
		ck_assert_uint_eq(trace_rec_ttl(&s, &r), in[k].probe_ttl);
	}
	ck_assert_int_eq(k, n);
	for (k = 0; k < n; k++)
		for (int ttl = 1; ttl < nprobe + 3; ttl += 7)
			ck_assert_int_eq(trace_rec_looped(&s, in[k].addr.addr,
			    (uint8_t)ttl), looped_naive(in, n,
			    in[k].addr.addr, ttl));
	memcpy(a, s.c.dst, 16);
	a[15] ^= 0x80;				/* known to none */
	ck_assert_int_eq(trace_rec_looped(&s, a, 200), looped_naive(in, n,
	    a, 200));
	commit_compare(&s, t, in, n);
}

START_TEST(prev6_cycles)
{
	for (int start = 0; start < 8; start++) {
		prev6(1, start);
		prev6(2, start);
		prev6(9, start);
		prev6(160, start);
	}
}
END_TEST

/* A path's routers sharing all but their last byte take 7 bytes a
 * record counted from the previous one (against 16 counted from the
 * destination, which shares six with them), and a repeated address 6. */
START_TEST(prev6_size)
{
	struct trace_state s;
	struct scamper_trace_hop h;
	uint32_t len = 0;

	memset(&s, 0, sizeof(s));
	s.af = AF_INET6;
	s.c.probe_size = PROBE_SIZE;
	s.c.start = (struct stamp){ START_NS };
	memcpy(s.c.dst, (uint8_t[16]){ 0x20, 0x01, 0, 2, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, 7 }, 16);
	for (int k = 0; k < 12; k++) {
		ck_assert_ptr_nonnull(trace_probe_add(&s, (uint8_t)(k + 1), 1,
		    PROBE_SIZE));
		trace_probe_set_tx(&s, trace_probe_at(&s, (uint16_t)k),
		    (struct stamp){ START_NS + k * 1000 });
		s.probec++;
		mkhop(&s, 0, &h);
		h.probe_ttl = (uint8_t)(k + 1);
		memcpy(h.addr.addr, (uint8_t[16]){ 0x20, 0x01, 0, 2, 0, 0,
		    0xe0, 0, 0, 0, 0, 0, 0, 0, 0, (uint8_t)(k < 11 ? k + 1 :
		    k) }, 16);
		ck_assert_int_eq(trace_rec_add(&s, &h, (uint16_t)k), 0);
		/* header, probe by REC_NEXT, RTT 2, size, TTL, address */
		ck_assert_uint_eq(s.c.reclen - len, k == 0 ? 16 : k < 11 ?
		    7 : 6);
		len = s.c.reclen;
	}
	trace_state_clear(&s);
}
END_TEST

CHECK_MAIN("trace-hops", "records", ipv4, ipv6, edges4, edges6, probe_tx,
    growth, probe_numbers, hops_reuse, prev6_cycles, prev6_size)
