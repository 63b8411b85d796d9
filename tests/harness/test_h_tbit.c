/*
 * test_h_tbit.c: tbit's and sting's state machines driven through the
 * in-process harness (harness.h): the real core with a simulated
 * firewall (the leases tbit and sting ask for) and datalink, simulated
 * time, no root.  The test plays the server step by step: it reads each
 * segment the prober sent (harness_probe) and answers with segments of
 * its own (harness_inject): SYN retransmissions and giving up, the
 * request lost and retransmitted, a reset mid-test, ECN's answers, a
 * blind reset challenged, sting's holes; and the firewall or datalink
 * refused, or missing.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netio.h"
#include "pkt.h"
#include "scamper_file.h"
#include "scamper_sting.h"
#include "scamper_tbit.h"
#include "scen.h"
#include "tcpconn.h"
#include "../lib/check_table.h"

#define SERVER	"192.0.2.2"
#define IRS	5000u

/* The server is beside the prober: the simulator knows no route to it,
 * so only the test answers. */
static const char *topo =
    "router r1 addr 198.19.0.1\n"
    "path 198.18.0.0/24 r1 dest silent\n";

static struct harness *H;
static uint32_t ISS;		/* the prober's initial sequence number */

/* The TCP segment of probe I. */
static struct tcpconn_seg
out(uint32_t i)
{
	struct pkt_reply r;
	struct tcpconn_seg g;
	const uint8_t *p;
	size_t len;

	ck_assert_msg(i < harness_nprobes(H), "probe %u of %u", i,
	    harness_nprobes(H));
	p = harness_probe(H, i, &len, NULL);
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(pkt_parse(p, len, &r), 0);
	ck_assert_int_eq(tcpconn_parse(&r, &g), 0);
	return g;
}

static uint32_t
nsent(void)
{
	return harness_nprobes(H);
}

static int
finished(void)
{
	return harness_finished(H, 0);
}

/* Fire the next timer (or whatever is due next). */
static int
fire(void)
{
	return harness_step(H) == 0;
}

/* Start command LINE on a harness with a firewall and a datalink, up to
 * its first segment (the SYN). */
static void
start(const char *line)
{
	H = scen_new(topo);
	harness_set_firewall(H, 1, 0);
	harness_set_datalink(H, 1, 0);
	scen_cmd(H, line);
	ck_assert_int_eq(harness_run_to(H, 0), 0);
	ck_assert_uint_eq(nsent(), 1);
	ISS = out(0).seq;
}

/* The server sends FLAGS SEQ ACK with LEN bytes of data (ECN bits TOS),
 * arriving 1 ms from now; the prober has answered when this returns. */
static void
server(uint8_t flags, uint32_t seq, uint32_t ack, size_t len, uint8_t tos)
{
	static uint8_t data[1460], buf[2000];
	struct pkt_probe p;
	struct pkt_reply r;
	uint8_t opts[4] = { 2, 4, 0x05, 0xb4 };	/* MSS 1460 */
	const uint8_t *syn;
	size_t n, synlen;
	int64_t at = harness_now(H) + HARNESS_MS;

	syn = harness_probe(H, 0, &synlen, NULL);
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(pkt_parse(syn, synlen, &r), 0);
	memset(&p, 0, sizeof(p));
	p.af = r.af;
	memcpy(p.src, r.dst, sizeof(p.src));
	memcpy(p.dst, r.src, sizeof(p.dst));
	p.proto = IPPROTO_TCP;
	p.ttl = 64;
	p.tos = tos;
	p.df = 1;
	p.sport = r.dport;
	p.dport = r.sport;
	p.tcp_flags = flags;
	p.tcp_seq = seq;
	p.tcp_ack = ack;
	p.tcp_win = 65535;
	if (flags & TCP_SYN) {
		p.tcpopts = opts;
		p.tcpoptlen = 4;
	}
	memset(data, 'x', sizeof(data));
	p.payload = data;
	p.paylen = len;
	n = pkt_build(&p, buf, sizeof(buf));
	ck_assert_uint_gt(n, 0);
	harness_inject(H, at, buf, n);
	ck_assert_int_eq(harness_run_to(H, at), 0);
}

/* The tbit result, once the task has ended. */
static const struct scamper_tbit *
the_tbit(void)
{
	ck_assert_msg(finished(), "tbit still running");
	return harness_need_result(H, SCAMPER_FILE_OBJ_TBIT, "tbit");
}

/* The end: the firewall lease and the datalink were given back. */
static void
done(void)
{
	uint32_t leases, held, opened, open;

	ck_assert_int_eq(harness_run(H, 3600 * HARNESS_S), 0);
	harness_fw_stats(H, &leases, &held, NULL);
	harness_dl_stats(H, &opened, &open);
	ck_assert_uint_eq(leases, 1);
	ck_assert_uint_eq(held, 0);
	ck_assert_uint_le(opened, 1);
	ck_assert_uint_eq(open, 0);
	harness_free(H);
	H = NULL;
}

/* ---- tbit ----------------------------------------------------------------- */

START_TEST(syn_retransmitted_then_noconn)
{
	start("tbit -t null -q 3 " SERVER);
	ck_assert_uint_eq(out(0).flags, TCP_SYN);
	while (!finished() && fire())
		;
	ck_assert_uint_eq(nsent(), 3);		/* the SYN and 2 more */
	ck_assert_uint_eq(out(2).flags, TCP_SYN);
	ck_assert_uint_eq(the_tbit()->result, 1);	/* tcp-noconn */
	ck_assert_uint_eq(the_tbit()->synretx, 2);
	ck_assert_int_eq(harness_now(H), 7 * HARNESS_S); /* 1 s, 2 s, 4 s */
	done();
}
END_TEST

START_TEST(request_lost_then_data)
{
	uint32_t req;

	start("tbit -t null -u http://s/ " SERVER);
	server(TCP_SYN | TCP_ACK, IRS, ISS + 1, 0, 0);
	ck_assert_uint_eq(nsent(), 2);		/* the request */
	req = out(1).datalen;
	ck_assert_uint_gt(req, 0);
	ck_assert(fire());			/* lost: sent again */
	ck_assert_uint_eq(nsent(), 3);
	ck_assert_uint_eq(out(2).seq, ISS + 1);
	ck_assert_uint_eq(out(2).datalen, req);
	server(TCP_ACK, IRS + 1, ISS + 1 + req, 100, 0);
	ck_assert_uint_eq(out(nsent() - 1).ack, IRS + 101);	/* ACKed */
	server(TCP_ACK | TCP_FIN, IRS + 101, ISS + 1 + req, 0, 0);
	ck_assert(finished());
	ck_assert_uint_eq(the_tbit()->result, 40);	/* null-success */
	ck_assert_uint_eq(the_tbit()->dataretx, 1);
	ck_assert_uint_eq(out(nsent() - 1).flags, TCP_RST);
	done();
}
END_TEST

START_TEST(reset_mid_test)
{
	start("tbit -t null " SERVER);
	server(TCP_SYN | TCP_ACK, IRS, ISS + 1, 0, 0);
	server(TCP_RST, IRS + 1, 0, 0, 0);
	ck_assert(finished());
	ck_assert_uint_eq(the_tbit()->result, 2);	/* tcp-rst */
	ck_assert_uint_ne(out(nsent() - 1).flags, TCP_RST); /* none back */
	done();
}
END_TEST

/* IPv6: the raw socket gives no IPv6 header, tbit hears its server
 * through the datalink, whole. */
START_TEST(ipv6_reset)
{
	start("tbit -t null 2001:db8::2");
	server(TCP_SYN | TCP_ACK, IRS, ISS + 1, 0, 0);
	ck_assert_uint_ge(nsent(), 2);	/* the handshake goes on */
	server(TCP_RST, IRS + 1, 0, 0, 0);
	ck_assert(finished());
	ck_assert_uint_eq(the_tbit()->result, 2);	/* tcp-rst */
	done();
}
END_TEST

START_TEST(ecn_answers)
{
	static const struct { uint8_t synack, ack; uint16_t want; } c[] = {
		{ TCP_ECE, TCP_ECE, 30 },		/* success */
		{ TCP_ECE, 0, 33 },			/* noece */
		{ 0, 0, 31 },				/* incapable */
		{ TCP_ECE | TCP_CWR, 0, 32 },		/* badsynack */
	};

	start("tbit -t ecn " SERVER);
	ck_assert_uint_eq(out(0).flags, TCP_SYN | TCP_ECE | TCP_CWR);
	server(TCP_SYN | TCP_ACK | c[_i].synack, IRS, ISS + 1, 0, 0);
	if (c[_i].want == 30 || c[_i].want == 33) {
		ck_assert_uint_eq(out(1).ecn, 3);	/* the request: CE */
		server(TCP_ACK | c[_i].ack, IRS + 1, ISS + 1 + out(1).datalen,
		    0, 0);
	}
	ck_assert(finished());
	ck_assert_uint_eq(the_tbit()->result, c[_i].want);
	done();
}
END_TEST

START_TEST(blind_rst_challenged)
{
	start("tbit -t blind-rst " SERVER);
	server(TCP_SYN | TCP_ACK, IRS, ISS + 1, 0, 0);
	ck_assert_uint_eq(nsent(), 3);	/* the handshake's ACK, the RST */
	ck_assert_uint_eq(out(1).flags, TCP_ACK);
	ck_assert_uint_eq(out(2).flags, TCP_RST);
	ck_assert_uint_eq(out(2).seq, ISS + 1 + 10);
	ck_assert(fire());		/* no answer: the RST again */
	ck_assert_uint_eq(out(3).flags, TCP_RST);
	server(TCP_ACK, IRS + 1, ISS + 1, 0, 0);	/* challenge ACK */
	ck_assert_uint_eq(the_tbit()->result, 81);
	done();
}
END_TEST

/* The firewall leased the port it picked, and the SYN leaves from it. */
START_TEST(lease_port)
{
	struct netio_fw_rule r;
	char a[INET6_ADDRSTRLEN];

	start("tbit -t null " SERVER);
	harness_fw_stats(H, NULL, NULL, &r);
	ck_assert_int_eq(r.af, AF_INET);
	inet_ntop(AF_INET, r.dst, a, sizeof(a));
	ck_assert_str_eq(a, SERVER);
	ck_assert_uint_eq(r.dport, 80);
	server(TCP_SYN | TCP_ACK, IRS, ISS + 1, 0, 0);
	server(TCP_RST, IRS + 1, 0, 0, 0);
	ck_assert_uint_eq(the_tbit()->sport, 40000);
	done();
}
END_TEST

START_TEST(refused_without_firewall)
{
	struct harness *h = scen_new(topo);

	harness_set_datalink(h, 1, 0);
	ck_assert_int_eq(harness_command(h, "tbit " SERVER), -1);
	ck_assert_ptr_nonnull(strstr(harness_error(h), "needs the firewall"));
	ck_assert_int_eq(harness_command(h, "sting " SERVER), -1);
	harness_free(h);
}
END_TEST

/* The firewall or the datalink refused: nothing is sent, the result says
 * so (an error), and nothing is left held. */
START_TEST(lease_or_datalink_refused)
{
	uint32_t held, open;

	H = scen_new(topo);
	harness_set_firewall(H, 1, _i == 0 ? EPERM : 0);
	harness_set_datalink(H, 1, _i == 1 ? ENODEV : 0);
	scen_cmd(H, "tbit -t null " SERVER);
	ck_assert_int_eq(harness_run(H, 60 * HARNESS_S), 0);
	ck_assert_uint_eq(nsent(), 0);
	ck_assert_uint_eq(the_tbit()->result, 4);	/* syserr */
	harness_fw_stats(H, NULL, &held, NULL);
	harness_dl_stats(H, NULL, &open);
	ck_assert_uint_eq(held, 0);
	ck_assert_uint_eq(open, 0);
	harness_free(H);
	H = NULL;
}
END_TEST

/* The kernel refuses the SYN (a firewall's EPERM): the test ends with an
 * error, not a hang. */
START_TEST(syn_refused)
{
	H = scen_new(topo);
	harness_set_firewall(H, 1, 0);
	harness_set_datalink(H, 1, 0);
	harness_on_probe(H, scen_refuse, NULL);
	scen_cmd(H, "tbit -t null " SERVER);
	ck_assert_int_eq(harness_run(H, 60 * HARNESS_S), 0);
	ck_assert_uint_eq(the_tbit()->result, 4);	/* syserr */
	ck_assert_int_lt(harness_now(H), HARNESS_S);	/* not timed out */
	done();
}
END_TEST

/* ---- sting ---------------------------------------------------------------- */

/* Samples, one lost, and the hole filled; IPv4 and IPv6. */
START_TEST(sting_holes)
{
	const struct scamper_sting *s;
	uint32_t data[8];
	int nd = 0;

	start(_i == 0 ? "sting -c 4 -m 10 -i 100 -H 3 " SERVER :
	    "sting -c 4 -m 10 -i 100 -H 3 2001:db8::2");
	server(TCP_SYN | TCP_ACK, IRS, ISS + 1, 0, 0);
	/* data seeding: samples at ISS+4.. (after the 3-byte hole) */
	while (!finished() && nd < 4) {
		nd = 0;
		for (uint32_t i = 0; i < nsent() && nd < 8; i++)
			if (out(i).datalen == 1)
				data[nd++] = i;
		if (nd < 4)
			ck_assert(fire());
	}
	ck_assert_int_eq(nd, 4);
	ck_assert_uint_eq(out(data[0]).seq, ISS + 1 + 3);
	/* samples 0, 2, 3 arrive: a duplicate ACK each; sample 1 is lost */
	for (int k = 0; k < 3; k++)
		server(TCP_ACK, IRS + 1, ISS + 1, 0, 0);
	ck_assert(fire());			/* the pause; the hole */
	ck_assert_uint_eq(out(nsent() - 1).seq, ISS + 1);
	ck_assert_uint_eq(out(nsent() - 1).datalen, 3);
	server(TCP_ACK, IRS + 1, ISS + 1 + 3 + 1, 0, 0);	/* lacks #1 */
	ck_assert_uint_eq(out(nsent() - 1).seq, ISS + 1 + 4);
	server(TCP_ACK, IRS + 1, ISS + 1 + 3 + 4, 0, 0);	/* all */
	ck_assert(finished());
	s = harness_result(H, 0, SCAMPER_FILE_OBJ_STING);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(s->dataackc, 3);
	ck_assert_uint_eq(s->holec, 1);
	ck_assert_uint_eq(s->result, SCAMPER_STING_RESULT_COMPLETED);
	done();
}
END_TEST

int
main(void)
{
	const TTest *first[] = {
		syn_retransmitted_then_noconn, request_lost_then_data,
		reset_mid_test, ipv6_reset
	};
	const TTest *then[] = {
		blind_rst_challenged, lease_port, refused_without_firewall
	};
	TCase *tc = check_case("tbit", first, CHECK_N(first));

	tcase_add_loop_test(tc, ecn_answers, 0, 4);
	check_add(tc, then, CHECK_N(then));
	tcase_add_loop_test(tc, lease_or_datalink_refused, 0, 2);
	tcase_add_test(tc, syn_refused);
	tcase_add_loop_test(tc, sting_holes, 0, 2);	/* IPv4, IPv6 */
	return unit_run(check_suite("harness-tbit", tc));
}
