/*
 * test_h_trace.c: trace's state machine driven through the in-process
 * harness (harness.h): sc_netsim's simulator as the network, simulated
 * time, no root.  Each scenario builds its own topology (sc_netsim's
 * topology file grammar) and looks at the result a real run would write.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkt.h"
#include "scamper_trace.h"
#include "scen.h"
#include "../lib/check_table.h"

#define DST	"198.18.0.9"

/* Three routers, then the destinations, which answer everything. */
static const char *line3 =
    "router r1 addr 198.19.0.1\n"
    "router r2 addr 198.19.0.2\n"
    "router r3 addr 198.19.0.3\n"
    "path 198.18.0.0/24 r1 r2 r3 dest echo,udp,rst\n";

#define LINE3_PATH "1:198.19.0.1 2:198.19.0.2 3:198.19.0.3 4:" DST

/* Run CMD alone on TOPO; the harness (freed by the caller) and the
 * trace in *T. */
static struct harness *
trace1(const char *topo, const char *cmd, const struct scamper_trace **t)
{
	struct harness *h = scen_new(topo);

	scen_cmd(h, cmd);
	scen_run(h, 600);
	*t = scen_trace(h, 0);
	return h;
}

static void
expect(struct harness *h, const struct scamper_trace *t, uint8_t reason,
    const char *path)
{
	char p[512];

	ck_assert_msg(t->stop_reason == reason, "stop %s, want %s: %s",
	    scamper_trace_stop_tostr(t->stop_reason),
	    scamper_trace_stop_tostr(reason), harness_json(h, 0));
	ck_assert_msg(strcmp(scen_path(t, p, sizeof(p)), path) == 0,
	    "path '%s', want '%s'", p, path);
}

/* Every method crosses the line to the destination and stops there. */
START_TEST(methods)
{
	static const char *m[] = { "icmp-paris", "udp-paris", "tcp", "udp",
	    "icmp", "tcp-ack" };
	const struct scamper_trace *t;
	char cmd[128];

	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		snprintf(cmd, sizeof(cmd), "trace -P %s " DST, m[i]);
		struct harness *h = trace1(line3, cmd, &t);
		expect(h, t, SCAMPER_TRACE_STOP_COMPLETED, LINE3_PATH);
		ck_assert_msg(t->probec == 4, "%s: %u probes", m[i], t->probec);
		harness_free(h);
	}
}
END_TEST

START_TEST(ipv6)
{
	static const char *topo =
	    "router r1 addr 2001:2:0:e000::1\n"
	    "router r2 addr 2001:2:0:e000::2\n"
	    "path 2001:2::/64 r1 r2 dest echo,udp,rst\n";
	static const char *m[] = { "icmp-paris", "udp-paris", "tcp" };
	const struct scamper_trace *t;
	char cmd[128];

	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		snprintf(cmd, sizeof(cmd), "trace -P %s 2001:2::9", m[i]);
		struct harness *h = trace1(topo, cmd, &t);
		expect(h, t, SCAMPER_TRACE_STOP_COMPLETED,
		    "1:2001:2:0:e000::1 2:2001:2:0:e000::2 3:2001:2::9");
		harness_free(h);
	}
}
END_TEST

/* ICMP extensions (MPLS labels) stay with the reply that carried them:
 * every reply of hops 1 and 3 has one, hop 2's none, with -Q's two
 * replies a hop (the records keep extensions aside while the trace runs). */
START_TEST(extensions)
{
	static const char *topo =
	    "router r1 addr 198.19.0.1 mpls 16001\n"
	    "router r2 addr 198.19.0.2\n"
	    "router r3 addr 198.19.0.3 mpls 16002,16003\n"
	    "path 198.18.0.0/24 r1 r2 r3 dest echo,udp,rst\n";
	const struct scamper_trace *t;
	struct harness *h = trace1(topo, "trace -P icmp-paris -Q -q 2 " DST,
	    &t);

	expect(h, t, SCAMPER_TRACE_STOP_COMPLETED, LINE3_PATH);
	ck_assert_int_eq(t->hops.hopc, 8);
	for (uint16_t i = 0; i < t->hops.hopc; i++) {
		const struct scamper_trace_hop *hop = &t->hops.hops[i];
		int want = hop->probe_ttl == 1 || hop->probe_ttl == 3;

		ck_assert_msg((hop->icmpext != NULL) == want &&
		    (hop->icmpext_len > 0) == want,
		    "hop %u (ttl %u): extension %p, %u bytes: %s", i,
		    hop->probe_ttl, (void *)hop->icmpext, hop->icmpext_len,
		    harness_json(h, 0));
	}
	ck_assert_int_gt(t->hops.hops[4].icmpext_len,
	    t->hops.hops[0].icmpext_len);	/* two labels, then one */
	harness_free(h);
}
END_TEST

/* An anonymous router: its hop is unanswered after -q attempts, each
 * waited for -w; the trace goes on past it. */
START_TEST(silent_hop)
{
	static const char *topo =
	    "router r1 addr 198.19.0.1\n"
	    "router r2 addr 198.19.0.2 anon\n"
	    "router r3 addr 198.19.0.3\n"
	    "path 198.18.0.0/24 r1 r2 r3 dest echo\n";
	const struct scamper_trace *t;
	struct harness *h = trace1(topo, "trace -P icmp-paris -q 2 -w 2 " DST,
	    &t);
	int64_t tx2, tx3;

	expect(h, t, SCAMPER_TRACE_STOP_COMPLETED,
	    "1:198.19.0.1 2:* 3:198.19.0.3 4:" DST);
	ck_assert_int_eq(t->probec, 5);
	/* the second attempt at TTL 2 left when the first timed out */
	harness_probe(h, 1, NULL, &tx2);
	harness_probe(h, 2, NULL, &tx3);
	ck_assert_int_eq(tx3 - tx2, 2 * HARNESS_S);
	harness_free(h);
}
END_TEST

/* -g 2: two silent hops in a row end the trace; -G adds -q last-ditch
 * probes at TTL 255, and the trace still ends at the gap limit. */
START_TEST(gaplimit)
{
	static const char *topo =
	    "router r1 addr 198.19.0.1\n"
	    "router r2 addr 198.19.0.2\n"
	    "path 198.18.0.0/24 r1 r2 dest silent\n";
	const struct scamper_trace *t;
	struct harness *h = trace1(topo,
	    "trace -P icmp-paris -q 1 -w 1 -g 2 " DST, &t);

	expect(h, t, SCAMPER_TRACE_STOP_GAPLIMIT,
	    "1:198.19.0.1 2:198.19.0.2 3:* 4:*");
	ck_assert_int_eq(t->probec, 4);
	ck_assert_ptr_null(t->lastditch);
	harness_free(h);

	h = trace1(topo, "trace -P icmp-paris -q 2 -w 1 -g 2 -G 2 " DST, &t);
	expect(h, t, SCAMPER_TRACE_STOP_GAPLIMIT,
	    "1:198.19.0.1 2:198.19.0.2 3:* 4:*");
	/* 2 answered hops, 2 x 2 silent attempts, 2 last-ditch probes */
	ck_assert_int_eq(t->probec, 8);
	ck_assert_int_eq(t->gapaction, SCAMPER_TRACE_GAPACTION_LASTDITCH);
	ck_assert_ptr_nonnull(t->lastditch);
	ck_assert_int_eq(t->lastditch->hopc, 0);
	for (uint32_t i = 6; i < 8; i++) {
		size_t len;
		const uint8_t *p = harness_probe(h, i, &len, NULL);
		ck_assert_int_eq(p[8], 255);	/* last-ditch TTL */
	}
	harness_free(h);
}
END_TEST

/* The options few traces give are kept aside (struct trace_side) and
 * reach the result as given; without them the result has the defaults;
 * the addresses are typed and hop_count is the highest TTL probed. */
START_TEST(rare_options)
{
	const struct scamper_trace *t;
	struct harness *h = trace1(line3, "trace -P udp-paris " DST, &t);

	expect(h, t, SCAMPER_TRACE_STOP_COMPLETED, LINE3_PATH);
	ck_assert_int_eq(t->wait_probe, 0);
	ck_assert_int_eq(t->gapaction, SCAMPER_TRACE_GAPACTION_STOP);
	ck_assert_int_eq(t->confidence, 0);
	ck_assert_int_eq(t->offset, 0);
	ck_assert_int_eq(t->probe_size, 20 + 8 + 16);
	ck_assert_int_eq(t->hop_count, 4);
	ck_assert_int_eq(t->type, SCAMPER_TRACE_TYPE_UDP_PARIS);
	ck_assert_int_eq(t->src.type, SCAMPER_ADDR_IPV4);
	ck_assert_int_eq(t->dst.type, SCAMPER_ADDR_IPV4);
	ck_assert_int_eq(t->dst.len, 4);
	harness_free(h);
	h = trace1(line3, "trace -P udp -W 5 -G 2 -c 99 -p 0102030405 -f 2 "
	    DST, &t);
	expect(h, t, SCAMPER_TRACE_STOP_COMPLETED,
	    "1:* 2:198.19.0.2 3:198.19.0.3 4:" DST);
	ck_assert_int_eq(t->wait_probe, 5);
	ck_assert_int_eq(t->gapaction, SCAMPER_TRACE_GAPACTION_LASTDITCH);
	ck_assert_int_eq(t->confidence, 99);
	ck_assert_int_eq(t->probe_size, 20 + 8 + 5);
	ck_assert_int_eq(t->hop_count, 4);
	ck_assert_int_eq(t->type, SCAMPER_TRACE_TYPE_UDP);
	harness_free(h);
}
END_TEST

/* A forwarding loop (r2 r3 r2 r3 ...): -l 1 stops at the first address
 * seen again more than one hop away; -l 0 probes on to -m. */
START_TEST(loop)
{
	static const char *topo =
	    "router r1 addr 198.19.0.1\n"
	    "router r2 addr 198.19.0.2\n"
	    "router r3 addr 198.19.0.3\n"
	    "path 198.18.0.0/24 r1 r2 r3 r2 r3 r2 r3 r2 r3 r2 r3 r2 r3 r2 "
	    "dest echo\n";
	const struct scamper_trace *t;
	struct harness *h = trace1(topo, "trace -P icmp-paris -q 1 " DST, &t);

	expect(h, t, SCAMPER_TRACE_STOP_LOOP,
	    "1:198.19.0.1 2:198.19.0.2 3:198.19.0.3 4:198.19.0.2");
	harness_free(h);
	h = trace1(topo, "trace -P icmp-paris -q 1 -l 0 -m 8 " DST, &t);
	expect(h, t, SCAMPER_TRACE_STOP_HOPLIMIT,
	    "1:198.19.0.1 2:198.19.0.2 3:198.19.0.3 4:198.19.0.2 "
	    "5:198.19.0.3 6:198.19.0.2 7:198.19.0.3 8:198.19.0.2");
	harness_free(h);
	/* -l 2: the second looping TTL stops it */
	h = trace1(topo, "trace -P icmp-paris -q 1 -l 2 " DST, &t);
	ck_assert_int_eq(t->stop_reason, SCAMPER_TRACE_STOP_LOOP);
	ck_assert_int_eq(t->hop_count, 5);
	harness_free(h);
}
END_TEST

/* -M with a router that says so (fragmentation needed, MTU 1400). */
START_TEST(pmtud_ptb)
{
	static const char *topo =
	    "router r1 addr 198.19.0.1\n"
	    "router r2 addr 198.19.0.2 mtu 1400\n"
	    "router r3 addr 198.19.0.3\n"
	    "path 198.18.0.0/24 r1 r2 r3 dest echo,udp,rst\n";
	const struct scamper_trace *t;
	struct harness *h = trace1(topo, "trace -M -P udp-paris " DST, &t);
	char a[64];

	expect(h, t, SCAMPER_TRACE_STOP_COMPLETED, LINE3_PATH);
	ck_assert_msg(t->pmtud != NULL && t->pmtud->pmtu == 1400 &&
	    t->pmtud->ifmtu == 1500 && t->pmtud->notec == 1,
	    "%s", harness_json(h, 0));
	ck_assert_int_eq(t->pmtud->notes[0].type,
	    SCAMPER_TRACE_PMTUD_NOTE_PTB);
	ck_assert_int_eq(t->pmtud->notes[0].nhmtu, 1400);
	ck_assert_int_ge(t->pmtud->notes[0].hop, 0);
	scamper_addr_tostr(&t->pmtud->hops.hops[t->pmtud->notes[0].hop].addr,
	    a, sizeof(a));
	ck_assert_str_eq(a, "198.19.0.2");
	harness_free(h);
}
END_TEST

/* -M with a router that drops big packets without a word: the size
 * search finds 1400 and the TTL search names the router that is silent
 * (its replies at TTL 2, where small probes are answered). */
START_TEST(pmtud_silent)
{
	static const char *topo =
	    "router r1 addr 198.19.0.1\n"
	    "router r2 addr 198.19.0.2 mtu 1400 nopmtud\n"
	    "router r3 addr 198.19.0.3\n"
	    "path 198.18.0.0/24 r1 r2 r3 dest echo,udp,rst\n";
	const struct scamper_trace *t;
	struct harness *h = trace1(topo, "trace -M -q 1 -w 1 -P udp-paris "
	    DST, &t);

	expect(h, t, SCAMPER_TRACE_STOP_COMPLETED, LINE3_PATH);
	ck_assert_msg(t->pmtud != NULL && t->pmtud->pmtu == 1400 &&
	    t->pmtud->notec == 1, "%s", harness_json(h, 0));
	ck_assert_int_eq(t->pmtud->notes[0].type,
	    SCAMPER_TRACE_PMTUD_NOTE_SILENCE);
	ck_assert_int_eq(t->pmtud->notes[0].nhmtu, 1400);
	ck_assert_msg(t->pmtud->notes[0].hop >= 0 &&
	    t->pmtud->hops.hops[t->pmtud->notes[0].hop].probe_ttl == 2,
	    "%s", harness_json(h, 0));
	harness_free(h);
}
END_TEST

/* Doubletree: forwards from -f 3 to the global stop set's address, then
 * backwards from TTL 2 filling the local stop set; a second trace with
 * that set stops going backwards at the first address already in it. */
START_TEST(doubletree)
{
	static const char *topo =
	    "router r1 addr 198.19.0.1\n"
	    "router r2 addr 198.19.0.2\n"
	    "router r3 addr 198.19.0.3\n"
	    "router r4 addr 198.19.0.4\n"
	    "router r5 addr 198.19.0.5\n"
	    "path 198.18.0.0/24 r1 r2 r3 r4 r5 dest echo\n";
	struct harness *h = scen_new(topo);
	const struct scamper_trace *a, *b;
	char s[64];

	/* (the local stop set lives as long as the process: this test's
	 * own, as check runs each test in a process of its own) */
	scen_cmd(h, "trace -P icmp-paris -q 1 -f 3 -z 198.19.0.4 -Z hlss "
	    DST);
	scen_run(h, 600);
	a = scen_trace(h, 0);
	ck_assert_msg(a->stop_reason == SCAMPER_TRACE_STOP_GSS &&
	    a->dtree != NULL, "%s", harness_json(h, 0));
	ck_assert_str_eq(scamper_addr_tostr(&a->dtree->gss_stop, s,
	    sizeof(s)), "198.19.0.4");
	ck_assert_int_eq(a->dtree->firsthop, 3);
	/* forwards 3, 4; backwards 2, 1: every hop answered once */
	ck_assert_int_eq(a->probec, 4);
	ck_assert_int_eq(scen_hopc(a, 1) + scen_hopc(a, 2) +
	    scen_hopc(a, 3) + scen_hopc(a, 4), 4);
	harness_free(h);

	h = scen_new(topo);
	scen_cmd(h, "trace -P icmp-paris -q 1 -f 3 -Z hlss " DST);
	scen_run(h, 600);
	b = scen_trace(h, 0);
	ck_assert_msg(b->stop_reason == SCAMPER_TRACE_STOP_COMPLETED &&
	    b->dtree != NULL, "%s", harness_json(h, 0));
	/* backwards from TTL 2: 198.19.0.2 is in the set already */
	ck_assert_str_eq(scamper_addr_tostr(&b->dtree->lss_stop, s,
	    sizeof(s)), "198.19.0.2");
	ck_assert_int_eq(scen_hopc(b, 1), 0);
	harness_free(h);
}
END_TEST

/* Every reply comes twice: each copy is recorded with its probe's
 * attempt number, and nothing else changes (no extra probe, same path). */
static void
twice(void *arg, struct harness_pkt *p)
{
	p->copies = 2;
	p->gap_ns = 10000;	/* before the next reply */
}

START_TEST(duplicates)
{
	struct harness *h = scen_new(line3);
	const struct scamper_trace *t;

	harness_on_reply(h, twice, NULL);
	scen_cmd(h, "trace -P icmp-paris " DST);
	scen_run(h, 600);
	t = scen_trace(h, 0);
	expect(h, t, SCAMPER_TRACE_STOP_COMPLETED, LINE3_PATH);
	ck_assert_int_eq(t->probec, 4);
	for (int ttl = 1; ttl <= 3; ttl++)
		ck_assert_int_eq(scen_hopc(t, ttl), 2);
	for (uint16_t i = 0; i < t->hops.hopc; i++)
		ck_assert_int_eq(t->hops.hops[i].probe_id, 1);
	harness_free(h);
}
END_TEST

/* The reply to the first probe at TTL 2 comes after -w, while TTL 3 (a
 * silent router) is being waited for: the second attempt's reply ended
 * the hop, the late one is recorded too (attempt 1, its own RTT) and the
 * trace goes on as if it were not there. */
static void
late_second(void *arg, struct harness_pkt *p)
{
	if (p->probe_no == 1)
		p->delay_ns += 1500 * HARNESS_MS;
}

START_TEST(late_reply)
{
	static const char *topo =
	    "router r1 addr 198.19.0.1\n"
	    "router r2 addr 198.19.0.2\n"
	    "router r3 addr 198.19.0.3 anon\n"
	    "path 198.18.0.0/24 r1 r2 r3 dest echo\n";
	struct harness *h = scen_new(topo);
	const struct scamper_trace *t;
	int ids = 0;

	harness_on_reply(h, late_second, NULL);
	scen_cmd(h, "trace -P icmp-paris -w 1 " DST);
	scen_run(h, 600);
	t = scen_trace(h, 0);
	expect(h, t, SCAMPER_TRACE_STOP_COMPLETED,
	    "1:198.19.0.1 2:198.19.0.2 3:* 4:" DST);
	ck_assert_int_eq(t->probec, 6);
	ck_assert_int_eq(harness_unmatched(h), 0);
	ck_assert_int_eq(scen_hopc(t, 2), 2);
	for (uint16_t i = 0; i < t->hops.hopc; i++) {
		const struct scamper_trace_hop *hp = &t->hops.hops[i];
		if (hp->probe_ttl != 2)
			continue;
		ids |= 1 << hp->probe_id;
		if (hp->probe_id == 1)
			ck_assert_uint_ge(hp->rtt, 1500000);
		else
			ck_assert_uint_lt(hp->rtt, 1000000);
	}
	ck_assert_int_eq(ids, 0x6);	/* attempts 1 and 2 */
	harness_free(h);
}
END_TEST

/* Halted mid-run (the destination is silent, each hop waits 5 s): the
 * trace ends HALTED with the hops answered so far. */
START_TEST(halt)
{
	static const char *topo =
	    "router r1 addr 198.19.0.1\n"
	    "router r2 addr 198.19.0.2\n"
	    "path 198.18.0.0/24 r1 r2 dest silent\n";
	struct harness *h = scen_new(topo);
	const struct scamper_trace *t;
	char p[256];

	scen_cmd(h, "trace -P icmp-paris " DST);
	harness_halt_at(h, 7 * HARNESS_S, 0);
	scen_run(h, 600);
	t = scen_trace(h, 0);
	ck_assert_int_eq(t->stop_reason, SCAMPER_TRACE_STOP_HALTED);
	ck_assert_str_eq(scen_path(t, p, sizeof(p)),
	    "1:198.19.0.1 2:198.19.0.2 3:*");
	ck_assert_int_eq(harness_now(h), 7 * HARNESS_S);
	harness_free(h);
}
END_TEST

/* The kernel refuses the third probe (a firewall's EPERM): the trace
 * ends with ERROR and errno 1, keeping what it had. */
START_TEST(refused)
{
	static uint32_t third = 2;
	struct harness *h = scen_new(line3);
	const struct scamper_trace *t;

	harness_on_probe(h, scen_refuse, &third);
	scen_cmd(h, "trace -P icmp-paris " DST);
	scen_run(h, 600);
	t = scen_trace(h, 0);
	ck_assert_msg(t->stop_reason == SCAMPER_TRACE_STOP_ERROR &&
	    t->stop_data == EPERM, "%s", harness_json(h, 0));
	ck_assert_int_eq(scen_hopc(t, 1) + scen_hopc(t, 2), 2);
	ck_assert_int_eq(scen_hopc(t, 3), 0);
	harness_free(h);
}
END_TEST

/* -W 30: consecutive probes leave at least 300 ms apart (counted from
 * the previous probe to the millisecond: replies take < 1 ms here). */
START_TEST(wait_probe)
{
	const struct scamper_trace *t;
	struct harness *h = trace1(line3, "trace -P icmp-paris -W 30 " DST,
	    &t);
	int64_t a, b;

	expect(h, t, SCAMPER_TRACE_STOP_COMPLETED, LINE3_PATH);
	ck_assert_int_eq(harness_nprobes(h), 4);
	for (uint32_t i = 1; i < 4; i++) {
		harness_probe(h, i - 1, NULL, &a);
		harness_probe(h, i, NULL, &b);
		ck_assert_int_ge(b - a, 300 * HARNESS_MS);
		ck_assert_int_lt(b - a, 301 * HARNESS_MS);
	}
	harness_free(h);
}
END_TEST

/* -f 3 -m 4: TTLs 3 and 4 only, stop at the hop limit. */
START_TEST(first_max)
{
	static const char *topo =
	    "router r1 addr 198.19.0.1\n"
	    "router r2 addr 198.19.0.2\n"
	    "router r3 addr 198.19.0.3\n"
	    "router r4 addr 198.19.0.4\n"
	    "router r5 addr 198.19.0.5\n"
	    "path 198.18.0.0/24 r1 r2 r3 r4 r5 dest echo\n";
	const struct scamper_trace *t;
	struct harness *h = trace1(topo, "trace -P icmp-paris -f 3 -m 4 " DST,
	    &t);

	ck_assert_int_eq(t->stop_reason, SCAMPER_TRACE_STOP_HOPLIMIT);
	ck_assert_int_eq(t->firsthop, 3);
	ck_assert_int_eq(t->probec, 2);
	ck_assert_int_eq(scen_hopc(t, 1) + scen_hopc(t, 2), 0);
	ck_assert_int_eq(scen_hopc(t, 3) + scen_hopc(t, 4), 2);
	harness_free(h);
}
END_TEST

/* -Q -q 3: every attempt at every hop. */
START_TEST(all_attempts)
{
	const struct scamper_trace *t;
	struct harness *h = trace1(line3, "trace -P icmp-paris -Q -q 3 " DST,
	    &t);

	expect(h, t, SCAMPER_TRACE_STOP_COMPLETED, LINE3_PATH);
	ck_assert_int_eq(t->probec, 12);
	for (int ttl = 1; ttl <= 4; ttl++)
		ck_assert_int_eq(scen_hopc(t, ttl), 3);
	harness_free(h);
}
END_TEST

/* -c 95 behind a per-flow balancer of two branches: classic UDP (a new
 * port per probe) finds both; each hop gets 6 probes while one address
 * answers there, 11 where two do. */
START_TEST(confidence)
{
	static const char *topo =
	    "router r1 addr 198.19.0.1\n"
	    "router a1 addr 198.19.1.1\n"
	    "router a2 addr 198.19.1.2\n"
	    "lb d1 per-flow branch a1 branch a2\n"
	    "router m1 addr 198.19.0.3\n"
	    "path 198.18.0.0/24 r1 d1 m1 dest udp\n";
	const struct scamper_trace *t;
	struct harness *h = trace1(topo, "trace -P udp -c 95 -w 1 " DST, &t);

	ck_assert_msg(t->stop_reason == SCAMPER_TRACE_STOP_COMPLETED,
	    "%s", harness_json(h, 0));
	ck_assert_int_eq(scen_hopc(t, 1), 6);
	ck_assert_int_eq(scen_hopc(t, 2), 11);
	ck_assert_int_eq(scen_hopc(t, 3), 6);
	harness_free(h);
}
END_TEST

/* A router quoting only 28 bytes of the probe (IP header + 8): every
 * method still finds its probe in the quotation. */
START_TEST(short_quote)
{
	static const char *topo =
	    "router r1 addr 198.19.0.1\n"
	    "router r2 addr 198.19.0.2 quote 28\n"
	    "router r3 addr 198.19.0.3\n"
	    "path 198.18.0.0/24 r1 r2 r3 dest echo,udp,rst\n";
	static const char *m[] = { "icmp-paris", "udp-paris", "tcp", "udp" };
	const struct scamper_trace *t;
	char cmd[128];

	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		snprintf(cmd, sizeof(cmd), "trace -P %s " DST, m[i]);
		struct harness *h = trace1(topo, cmd, &t);
		expect(h, t, SCAMPER_TRACE_STOP_COMPLETED, LINE3_PATH);
		ck_assert_int_eq(t->probec, 4);
		harness_free(h);
	}
}
END_TEST

/* The last router says the destination is unreachable (host). */
START_TEST(unreach)
{
	static const char *topo =
	    "router r1 addr 198.19.0.1\n"
	    "router r2 addr 198.19.0.2\n"
	    "path 198.18.0.0/24 r1 r2 dest unreach\n";
	const struct scamper_trace *t;
	struct harness *h = trace1(topo, "trace -P icmp-paris " DST, &t);

	ck_assert_msg(t->stop_reason == SCAMPER_TRACE_STOP_UNREACH &&
	    t->stop_data == 1, "%s", harness_json(h, 0));
	harness_free(h);
}
END_TEST

/* Packets that are not answers to this trace (a quotation of a probe to
 * another destination, an echo reply with another id, garbage) change
 * nothing: they are counted as unmatched. */
static size_t
icmp_error(uint8_t *buf, size_t cap, const char *from, const uint8_t *q,
    size_t qlen)
{
	struct pkt_probe p;

	memset(&p, 0, sizeof(p));
	p.af = AF_INET;
	inet_pton(AF_INET, from, p.src);
	inet_pton(AF_INET, HARNESS_SRC4, p.dst);
	p.proto = IPPROTO_ICMP;
	p.ttl = 64;
	p.icmp_type = 11;
	p.payload = q;
	p.paylen = qlen;
	return pkt_build(&p, buf, cap);
}

START_TEST(foreign)
{
	struct harness *h = scen_new(line3);
	const struct scamper_trace *t;
	struct pkt_probe p;
	uint8_t probe[64], pkt[256], junk[5] = { 0x45, 0, 0, 5, 0 };
	size_t n;

	/* a probe of ours in shape, but to 198.18.0.77 */
	memset(&p, 0, sizeof(p));
	p.af = AF_INET;
	inet_pton(AF_INET, HARNESS_SRC4, p.src);
	inet_pton(AF_INET, "198.18.0.77", p.dst);
	p.proto = IPPROTO_ICMP;
	p.ttl = 1;
	p.ipid = 1;
	p.icmp_type = 8;
	p.icmp_id = 0x8123;
	n = pkt_build(&p, probe, sizeof(probe));
	n = icmp_error(pkt, sizeof(pkt), "198.19.0.1", probe, n);
	harness_inject(h, 100000, pkt, n);
	/* an echo reply from the destination with another id */
	memset(&p, 0, sizeof(p));
	p.af = AF_INET;
	inet_pton(AF_INET, DST, p.src);
	inet_pton(AF_INET, HARNESS_SRC4, p.dst);
	p.proto = IPPROTO_ICMP;
	p.ttl = 60;
	p.icmp_id = 0x1111;
	n = pkt_build(&p, pkt, sizeof(pkt));
	harness_inject(h, 300000, pkt, n);
	harness_inject(h, 500000, junk, sizeof(junk));
	scen_cmd(h, "trace -P icmp-paris " DST);
	scen_run(h, 600);
	t = scen_trace(h, 0);
	expect(h, t, SCAMPER_TRACE_STOP_COMPLETED, LINE3_PATH);
	ck_assert_int_eq(t->probec, 4);
	ck_assert_int_eq(harness_unmatched(h), 2);	/* junk: malformed */
	harness_free(h);
}
END_TEST

/* Two traces of one destination and method at once: the second gets its
 * own flow (the next source port) and each gets its own replies. */
START_TEST(two_at_once)
{
	struct harness *h = scen_new(line3);
	const struct scamper_trace *a, *b;
	char p[256];

	scen_cmd(h, "trace -P icmp-paris -Q -q 2 " DST);
	scen_cmd(h, "trace -P icmp-paris -Q -q 2 " DST);
	scen_run(h, 600);
	ck_assert_int_eq(harness_nresults(h), 2);
	a = scen_trace(h, 0);
	b = scen_trace(h, 1);
	ck_assert_int_ne(a->sport, b->sport);
	ck_assert_str_eq(scen_path(a, p, sizeof(p)), LINE3_PATH);
	ck_assert_str_eq(scen_path(b, p, sizeof(p)), LINE3_PATH);
	ck_assert_int_eq(a->hops.hopc, 8);
	ck_assert_int_eq(b->hops.hopc, 8);
	harness_free(h);
}
END_TEST

/* The same scenario twice gives the same result, byte for byte. */
START_TEST(deterministic)
{
	char *first = NULL;

	for (int i = 0; i < 2; i++) {
		const struct scamper_trace *t;
		struct harness *h = trace1(line3,
		    "trace -P udp -q 2 -c 95 " DST, &t);
		if (first == NULL)
			first = strdup(harness_json(h, 0));
		else
			ck_assert_str_eq(harness_json(h, 0), first);
		harness_free(h);
	}
	free(first);
}
END_TEST

CHECK_MAIN("harness-trace", "trace", methods, ipv6, extensions, silent_hop, gaplimit, loop,
    pmtud_ptb, pmtud_silent, doubletree, duplicates, late_reply, halt, refused,
    wait_probe, rare_options, first_max, all_attempts, confidence,
    short_quote, unreach, foreign, two_at_once, deterministic)
