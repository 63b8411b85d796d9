/*
 * test_tcpconn.c: the hand-made TCP connection of tbit and sting
 * (prober/core/tcpconn): the SYN's options as the server will parse
 * them, later segments' timestamps and SACK blocks, the SYN/ACK taken
 * in, malformed options refused, sequence arithmetic across the wrap.
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <string.h>

#include "pkt.h"
#include "tcpconn.h"
#include "../lib/check_table.h"

static uint8_t A[16], B[16];

static void
setup(struct tcpconn *c, int af)
{
	inet_pton(af, af == AF_INET ? "192.0.2.1" : "2001:db8::1", A);
	inet_pton(af, af == AF_INET ? "192.0.2.2" : "2001:db8::2", B);
	tcpconn_init(c, af, A, B, 40000, 80, 0xfffffff0u);
	c->mss = 1460;
}

/* Build P, parse it back as a reply, decode its segment into G. */
static void
roundtrip(const struct pkt_probe *p, struct tcpconn_seg *g, uint8_t *buf)
{
	struct pkt_reply r;
	size_t len = pkt_build(p, buf, PKT_MAXLEN);

	ck_assert_uint_gt(len, 0);
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(pkt_parse(buf, len, &r), 0);
	ck_assert_int_eq(tcpconn_parse(&r, g), 0);
}

START_TEST(syn_options)
{
	static uint8_t buf[PKT_MAXLEN];
	struct tcpconn c;
	struct pkt_probe p;
	struct tcpconn_seg g;
	uint8_t opts[40];
	size_t n;

	setup(&c, _i == 0 ? AF_INET : AF_INET6);
	c.offer = TCPCONN_O_SACK | TCPCONN_O_TS | TCPCONN_O_WSCALE |
	    TCPCONN_O_FO;
	c.wscale = 7;
	c.tsval = 1234;
	memcpy(c.fo_cookie, "\x01\x02\x03\x04", 4);
	c.fo_len = 4;
	n = tcpconn_syn_opts(&c, opts);
	ck_assert_uint_eq(n % 4, 0);
	ck_assert_uint_le(n, 40);
	tcpconn_seg(&c, &p, TCP_SYN | TCP_ECE | TCP_CWR, c.iss, 0, opts, n,
	    NULL, 0, 0);
	roundtrip(&p, &g, buf);
	ck_assert_uint_eq(g.flags, TCP_SYN | TCP_ECE | TCP_CWR);
	ck_assert_uint_eq(g.seq, 0xfffffff0u);
	ck_assert_uint_eq(g.mss, 1460);
	ck_assert_int_eq(g.sackok, 1);
	ck_assert_int_eq(g.wscale, 7);
	ck_assert_int_eq(g.has_ts, 1);
	ck_assert_uint_eq(g.tsval, 1234);
	ck_assert_int_eq(g.has_fo, 1);
	ck_assert_uint_eq(g.fo_len, 4);
	ck_assert_int_eq(memcmp(g.fo_cookie, "\x01\x02\x03\x04", 4), 0);
	ck_assert_uint_eq(g.datalen, 0);
}
END_TEST

START_TEST(synack_then_sack)
{
	static uint8_t buf[PKT_MAXLEN];
	struct tcpconn c;
	struct pkt_probe p;
	struct tcpconn_seg g, sa;
	uint8_t opts[40];
	uint32_t blocks[3][2] = { { 100, 200 }, { 300, 400 }, { 500, 600 } };
	size_t n;

	setup(&c, AF_INET);
	c.offer = TCPCONN_O_TS | TCPCONN_O_SACK;
	memset(&sa, 0, sizeof(sa));
	sa.seq = 5000;
	sa.ack = c.iss + 1;	/* wraps to 0xfffffff1 */
	sa.flags = TCP_SYN | TCP_ACK;
	sa.mss = 1400;
	sa.sackok = 1;
	sa.has_ts = 1;
	sa.tsval = 77;
	sa.wscale = -1;
	tcpconn_synack(&c, &sa);
	ck_assert_int_eq(c.established, 1);
	ck_assert_uint_eq(c.rcv_nxt, 5001);
	ck_assert_uint_eq(c.snd_nxt, 0xfffffff1u);
	ck_assert_uint_eq(c.peer_mss, 1400);
	/* timestamps (12 bytes) leave room for three SACK blocks */
	n = tcpconn_opts(&c, (const uint32_t (*)[2])blocks, 3, opts);
	ck_assert_uint_eq(n, 12 + 4 + 24);
	tcpconn_seg(&c, &p, TCP_ACK, c.snd_nxt, c.rcv_nxt, opts, n,
	    (const uint8_t *)"GET", 3, 0x03);
	roundtrip(&p, &g, buf);
	ck_assert_uint_eq(g.ecn, 3);
	ck_assert_uint_eq(g.ack, 5001);
	ck_assert_int_eq(g.has_ts, 1);
	ck_assert_uint_eq(g.tsecr, 77);
	ck_assert_int_eq(g.nsack, 3);
	ck_assert_uint_eq(g.sack[1][0], 300);
	ck_assert_uint_eq(g.sack[1][1], 400);
	ck_assert_uint_eq(g.datalen, 3);
	ck_assert_int_eq(memcmp(g.data, "GET", 3), 0);
}
END_TEST

START_TEST(bad_options)
{
	static uint8_t buf[PKT_MAXLEN];
	struct tcpconn c;
	struct pkt_probe p;
	struct pkt_reply r;
	struct tcpconn_seg g;
	/* an MSS option claiming 12 bytes in a 4-byte option space */
	uint8_t opts[4] = { 2, 12, 5, 0xb4 };
	size_t len;

	setup(&c, AF_INET);
	tcpconn_seg(&c, &p, TCP_SYN, c.iss, 0, opts, sizeof(opts), NULL, 0,
	    0);
	len = pkt_build(&p, buf, sizeof(buf));
	ck_assert_int_eq(pkt_parse(buf, len, &r), 0);
	ck_assert_int_eq(tcpconn_parse(&r, &g), -1);
	/* a data offset beyond the segment */
	buf[20 + 12] = 0xf0;
	ck_assert_int_eq(pkt_parse(buf, len, &r), 0);
	ck_assert_int_eq(tcpconn_parse(&r, &g), -1);
}
END_TEST

START_TEST(seq_wrap)
{
	ck_assert(SEQ_LT(0xfffffff0u, 0x10u));
	ck_assert(SEQ_GT(0x10u, 0xfffffff0u));
	ck_assert(SEQ_LEQ(5u, 5u));
	ck_assert(SEQ_GEQ(0u, 0xffffffffu));
	ck_assert(!SEQ_LT(7u, 7u));
}
END_TEST

int
main(void)
{
	const TTest *tests[] = { synack_then_sack, bad_options, seq_wrap };
	TCase *tc = tcase_create("tcpconn");

	tcase_add_loop_test(tc, syn_options, 0, 2);	/* IPv4, IPv6 */
	check_add(tc, tests, CHECK_N(tests));
	return unit_run(check_suite("tcpconn", tc));
}
