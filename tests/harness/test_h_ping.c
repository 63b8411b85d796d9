/*
 * test_h_ping.c: ping's state machine driven through the in-process
 * harness (harness.h): sc_netsim's simulator as the network, simulated
 * time, no root.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scamper_ping.h"
#include "scen.h"
#include "../lib/check_table.h"

#define DST	"198.18.0.9"

/* Two routers, then destinations answering each kind of probe. */
static const char *topo =
    "router r1 addr 198.19.0.1\n"
    "router r2 addr 198.19.0.2\n"
    "path 198.18.0.0/24 r1 r2 dest echo,udp,rst\n"
    "path 198.18.1.0/24 r1 r2 dest synack\n"
    "path 198.18.2.0/24 r1 r2 dest silent\n";

static const char *topo6 =
    "router r1 addr 2001:2:0:e000::1\n"
    "path 2001:2::/64 r1 dest echo,udp,rst\n";

static const struct scamper_ping *
ping_of(struct harness *h, int i)
{
	const struct scamper_ping *p = harness_ping(h, i);

	ck_assert_msg(p != NULL, "result %d is not a ping (%d results)", i,
	    harness_nresults(h));
	return p;
}

/* Run CMD alone on TOP; the harness (freed by the caller), the ping in
 * *P. */
static struct harness *
ping1(const char *top, const char *cmd, harness_reply_fn *fn,
    const struct scamper_ping **p)
{
	struct harness *h = scen_new(top);

	harness_on_reply(h, fn, NULL);
	scen_cmd(h, cmd);
	scen_run(h, 600);
	*p = ping_of(h, 0);
	return h;
}

static void
stats(const struct scamper_ping *p, uint32_t replies, uint32_t dups,
    uint32_t loss)
{
	struct scamper_ping_stats st;

	scamper_ping_stats(p, &st);
	ck_assert_msg(st.nreplies == replies && st.ndups == dups &&
	    st.nloss == loss, "replies %u dups %u loss %u, want %u %u %u",
	    st.nreplies, st.ndups, st.nloss, replies, dups, loss);
}

/* -c 3 -i 1: three probes a second apart, three replies in order; the
 * ping ends -W (1 s) after the last probe. */
START_TEST(echo)
{
	const struct scamper_ping *p;
	struct harness *h = ping1(topo, "ping -c 3 -i 1 " DST, NULL, &p);
	int64_t a, b;

	ck_assert_int_eq(p->stop_reason, SCAMPER_PING_STOP_COMPLETED);
	ck_assert_int_eq(p->ping_sent, 3);
	ck_assert_int_eq(p->replyc, 3);
	for (uint16_t i = 0; i < 3; i++)
		ck_assert_int_eq(p->replies[i].probe_id, i);
	stats(p, 3, 0, 0);
	for (uint32_t i = 1; i < 3; i++) {
		harness_probe(h, i - 1, NULL, &a);
		harness_probe(h, i, NULL, &b);
		ck_assert_int_eq(b - a, HARNESS_S);
	}
	ck_assert_int_eq(harness_now(h), 3 * HARNESS_S);
	harness_free(h);
}
END_TEST

/* Send times: with the simulated kernel's transmit timestamps (reported
 * before the reply) and without them (NOSTAMP: the clock read before the
 * send stands), each reply's send time is its probe's and its RTT the
 * simulated round trip; the same either way. */
static void
send_times(int nostamp)
{
	struct harness *h = scen_new(topo);
	const struct scamper_ping *p;
	int64_t tx;

	harness_set_nostamp(h, nostamp);
	scen_cmd(h, "ping -c 3 -i 1 " DST);
	scen_run(h, 600);
	p = ping_of(h, 0);
	ck_assert_int_eq(p->replyc, 3);
	for (uint16_t i = 0; i < 3; i++) {
		const struct scamper_ping_reply *r = &p->replies[i];

		harness_probe(h, i, NULL, &tx);
		ck_assert_int_eq((int64_t)r->tx.tv_sec * HARNESS_S +
		    (int64_t)r->tx.tv_usec * 1000, (int64_t)HARNESS_EPOCH *
		    HARNESS_S + tx);
		ck_assert_msg(r->rtt > 0 && r->rtt < 1000000, "rtt %u",
		    r->rtt);
		ck_assert_int_eq(r->rtt, p->replies[0].rtt);
	}
	harness_free(h);
}

START_TEST(stamped)
{
	send_times(0);
}
END_TEST

START_TEST(nostamp)
{
	send_times(1);
}
END_TEST

/* The reply to probe 1 is lost: two replies, one loss. */
static void
lose_second(void *arg, struct harness_pkt *p)
{
	if (p->probe_no == 1)
		p->copies = 0;
}

START_TEST(loss)
{
	const struct scamper_ping *p;
	struct harness *h = ping1(topo, "ping -c 3 -i 1 " DST, lose_second,
	    &p);

	ck_assert_int_eq(p->replyc, 2);
	ck_assert_int_eq(p->replies[0].probe_id, 0);
	ck_assert_int_eq(p->replies[1].probe_id, 2);
	stats(p, 2, 0, 1);
	harness_free(h);
}
END_TEST

/* Every reply twice: each copy is kept, counted as a duplicate. */
static void
twice(void *arg, struct harness_pkt *p)
{
	p->copies = 2;
	p->gap_ns = 5 * HARNESS_MS;
}

START_TEST(duplicates)
{
	const struct scamper_ping *p;
	struct harness *h = ping1(topo, "ping -c 3 -i 1 " DST, twice, &p);

	ck_assert_int_eq(p->replyc, 6);
	stats(p, 3, 3, 0);
	ck_assert_int_eq(harness_unmatched(h), 0);
	harness_free(h);
}
END_TEST

/* The last reply comes after the -W wait: the ping has ended and does
 * not take it. */
static void
late_last(void *arg, struct harness_pkt *p)
{
	if (p->probe_no == 2)
		p->delay_ns += 1500 * HARNESS_MS;
}

START_TEST(late)
{
	const struct scamper_ping *p;
	struct harness *h = ping1(topo, "ping -c 3 -i 1 -W 1 " DST, late_last,
	    &p);

	ck_assert_int_eq(p->stop_reason, SCAMPER_PING_STOP_COMPLETED);
	stats(p, 2, 0, 1);
	ck_assert_int_eq(harness_unmatched(h), 1);
	harness_free(h);
}
END_TEST

/* The first reply overtakes nothing but comes after the second: both are
 * kept, in probe order, each with its own RTT. */
static void
slow_first(void *arg, struct harness_pkt *p)
{
	if (p->probe_no == 0)
		p->delay_ns += 1500 * HARNESS_MS;
}

START_TEST(reordered)
{
	const struct scamper_ping *p;
	struct harness *h = ping1(topo, "ping -c 2 -i 1 -W 2 " DST, slow_first,
	    &p);

	ck_assert_int_eq(p->replyc, 2);
	ck_assert_int_eq(p->replies[0].probe_id, 0);
	ck_assert_int_eq(p->replies[1].probe_id, 1);
	ck_assert_uint_ge(p->replies[0].rtt, 1500000);
	ck_assert_uint_lt(p->replies[1].rtt, 100000);
	stats(p, 2, 0, 0);
	harness_free(h);
}
END_TEST

/* -o 2: the ping ends once two probes are answered. */
START_TEST(reply_count)
{
	const struct scamper_ping *p;
	struct harness *h = ping1(topo, "ping -c 5 -i 1 -o 2 " DST, NULL, &p);

	ck_assert_int_eq(p->stop_reason, SCAMPER_PING_STOP_COMPLETED);
	ck_assert_int_eq(p->ping_sent, 2);
	ck_assert_int_eq(p->replyc, 2);
	ck_assert_int_lt(harness_now(h), 2 * HARNESS_S);
	harness_free(h);
}
END_TEST

/* Halted after its fourth probe: HALTED, four sent, their replies kept. */
START_TEST(halt)
{
	struct harness *h = scen_new(topo);
	const struct scamper_ping *p;

	scen_cmd(h, "ping -c 10 -i 1 " DST);
	harness_halt_at(h, 3500 * HARNESS_MS, 0);
	scen_run(h, 600);
	p = ping_of(h, 0);
	ck_assert_int_eq(p->stop_reason, SCAMPER_PING_STOP_HALTED);
	ck_assert_int_eq(p->ping_sent, 4);
	ck_assert_int_eq(p->replyc, 4);
	harness_free(h);
}
END_TEST

/* A silent destination: every probe lost, the ping still ends. */
START_TEST(silent)
{
	const struct scamper_ping *p;
	struct harness *h = ping1(topo, "ping -c 3 -i 1 198.18.2.9", NULL, &p);

	ck_assert_int_eq(p->stop_reason, SCAMPER_PING_STOP_COMPLETED);
	ck_assert_int_eq(p->replyc, 0);
	stats(p, 0, 0, 3);
	harness_free(h);
}
END_TEST

/* tcp-syn: a listening destination answers SYN-ACK, a closed one RST;
 * udp: port unreachable. */
START_TEST(methods)
{
	static const struct {
		const char	*cmd;
		uint8_t		 proto, flags, type, code;
	} c[] = {
		{ "ping -c 2 -P tcp-syn -d 80 198.18.1.9", 6, 0x12, 0, 0 },
		{ "ping -c 2 -P tcp-syn -d 81 " DST, 6, 0x14, 0, 0 },
		{ "ping -c 2 -P tcp-ack " DST, 6, 0x04, 0, 0 },
		{ "ping -c 2 -P udp " DST, 1, 0, 3, 3 },
		{ "ping -c 2 -P udp-dport " DST, 1, 0, 3, 3 },
		{ "ping -c 2 -P icmp-echo " DST, 1, 0, 0, 0 },
	};
	const struct scamper_ping *p;

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct harness *h = ping1(topo, c[i].cmd, NULL, &p);
		ck_assert_msg(p->replyc == 2, "%s: %s", c[i].cmd,
		    harness_json(h, 0));
		for (uint16_t j = 0; j < 2; j++) {
			const struct scamper_ping_reply *r = &p->replies[j];
			ck_assert_int_eq(r->probe_id, j);
			ck_assert_int_eq(r->reply_proto, c[i].proto);
			if (c[i].proto == 6)
				ck_assert_int_eq(r->tcp_flags, c[i].flags);
			else
				ck_assert_msg(r->icmp_type == c[i].type &&
				    r->icmp_code == c[i].code, "%s: %s",
				    c[i].cmd, harness_json(h, 0));
		}
		harness_free(h);
	}
}
END_TEST

START_TEST(ipv6)
{
	static const char *cmds[] = { "ping -c 2 2001:2::9",
	    "ping -c 2 -P udp 2001:2::9", "ping -c 2 -P tcp-ack 2001:2::9" };
	const struct scamper_ping *p;

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		struct harness *h = ping1(topo6, cmds[i], NULL, &p);
		ck_assert_msg(p->replyc == 2, "%s: %s", cmds[i],
		    harness_json(h, 0));
		harness_free(h);
	}
}
END_TEST

/* tcp-ack-sport: a new source port per probe; the resets come back 100
 * ms late, after later probes went out from other ports: each still
 * finds the ping (every port of the range is its). */
static void
slow(void *arg, struct harness_pkt *p)
{
	p->delay_ns += 100 * HARNESS_MS;
}

START_TEST(ack_sport_late)
{
	const struct scamper_ping *p;
	struct harness *h = ping1(topo,
	    "ping -c 5 -i 0.01 -W 3 -P tcp-ack-sport " DST, slow, &p);
	int seen = 0;

	ck_assert_int_eq(p->replyc, 5);
	for (uint16_t i = 0; i < 5; i++)
		seen |= 1 << p->replies[i].probe_id;
	ck_assert_int_eq(seen, 0x1f);
	ck_assert_int_eq(harness_unmatched(h), 0);
	harness_free(h);
}
END_TEST

/* The kernel refuses the second probe: the ping ends with ERROR/EPERM,
 * the first probe's reply kept. */
START_TEST(refused)
{
	static uint32_t second = 1;
	struct harness *h = scen_new(topo);
	const struct scamper_ping *p;

	harness_on_probe(h, scen_refuse, &second);
	scen_cmd(h, "ping -c 3 -i 1 " DST);
	scen_run(h, 600);
	p = ping_of(h, 0);
	ck_assert_msg(p->stop_reason == SCAMPER_PING_STOP_ERROR &&
	    p->stop_data == EPERM, "%s", harness_json(h, 0));
	ck_assert_int_eq(p->replyc, 1);
	harness_free(h);
}
END_TEST

/* A router's own address answers echo requests. */
START_TEST(router)
{
	const struct scamper_ping *p;
	struct harness *h = ping1(topo, "ping -c 2 198.19.0.2", NULL, &p);
	char a[64];

	ck_assert_int_eq(p->replyc, 2);
	ck_assert_str_eq(scamper_addr_tostr(&p->replies[0].addr, a,
	    sizeof(a)), "198.19.0.2");
	harness_free(h);
}
END_TEST

/* Many pings at once, one destination each and one between them all:
 * every one gets exactly its own replies. */
START_TEST(many)
{
	struct harness *h = scen_new(topo);
	char cmd[64];

	for (int i = 0; i < 50; i++) {
		snprintf(cmd, sizeof(cmd), "ping -c 4 -i 0.5 198.18.0.%d",
		    10 + i % 5);
		scen_cmd(h, cmd);
	}
	scen_run(h, 600);
	ck_assert_int_eq(harness_nresults(h), 50);
	for (int i = 0; i < 50; i++) {
		const struct scamper_ping *p = ping_of(h, i);
		stats(p, 4, 0, 0);
	}
	ck_assert_int_eq(harness_unmatched(h), 0);
	harness_free(h);
}
END_TEST

CHECK_MAIN("harness-ping", "ping", echo, stamped, nostamp, loss, duplicates,
    late, reordered, reply_count, halt, silent, methods, ipv6, ack_sport_late,
    refused, router, many)
