/*
 * test_netsim.c: sc_netsim's behaviours, each exercised by a crafted
 * packet fed to netsim_input() and its reply checked field by field
 * (checksums included).  No TUN, no privilege.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netsim.h"
#include "ns_pkt.h"
#include "../unit/sanitized.h"
#include "../lib/check_table.h"

#define SRC4 "192.0.2.1"
#define SRC6 "2001:db8::1"

static const char topo[] =
    "# behaviours, one per path\n"
    "router r1 addr 198.19.0.1 ittl 64 ipid shared velocity 0\n"
    "router r2 addr 198.19.0.2 addr 198.19.0.12 ipid per-interface "
    "velocity 0 unreach-src inbound\n"
    "router an addr 198.19.0.3 anon\n"
    "router m addr 198.19.0.4 mpls 16001,16002 ittl 255\n"
    "router rl addr 198.19.0.5 ratelimit 1 2\n"
    "router small addr 198.19.0.6 mtu 1400\n"
    "router bh addr 198.19.0.7 mtu 1400 nopmtud\n"
    "router z addr 198.19.0.8 ipid zero\n"
    "router q addr 198.19.0.9 quote 28\n"
    "router pa addr 198.19.1.1\n"
    "router pb addr 198.19.1.2\n"
    "lb pp per-packet branch pa branch pb\n"
    "router fa addr 198.19.2.1\n"
    "router fb addr 198.19.2.2\n"
    "router fc addr 198.19.2.3\n"
    "lb fl per-flow branch fa branch fb branch fc\n"
    "router fm addr 198.19.2.4\n"
    "path 198.18.0.0/24 r1 r2 an m rl dest echo,udp,synack dest-ttl 64\n"
    "path 198.18.1.0/24 r1 small dest echo,udp\n"
    "path 198.18.2.0/24 r1 bh dest echo\n"
    "path 198.18.3.0/24 r1 dest silent\n"
    "path 198.18.4.0/24 r1 dest rst\n"
    "path 198.18.5.0/24 r1 z dest unreach\n"
    "path 198.18.6.0/24 r1 q pp dest echo\n"
    "path 198.18.7.0/24 r1 fl fm dest echo,udp\n"
    "router s1 addr 2001:2:0:ff::1 ittl 64\n"
    "router s2 addr 2001:2:0:ff::2 mpls 100\n"
    "router s3 addr 2001:2:0:ff::3 mtu 1280\n"
    "path 2001:2::/56 s1 s2 dest echo,udp,synack dest-ttl 64\n"
    "path 2001:2:0:100::/56 s1 s3 dest echo\n";

static struct netsim *sim;
static struct netsim_reply rep;
static struct ns_pkt rp;	/* the parsed reply */

static struct netsim *
load(const char *text, int delay)
{
	struct netsim_params p;
	char err[256];
	struct netsim *s;

	netsim_params_default(&p);
	p.delay_min_us = delay;
	p.delay_max_us = delay;
	p.jitter_us = 0;
	s = netsim_parse(text, strlen(text), &p, err, sizeof(err));
	ck_assert_msg(s != NULL, "parse: %s", err);
	return s;
}

static void
setup(void)
{
	sim = load(topo, 100);
}

static void
teardown(void)
{
	netsim_free(sim);
	sim = NULL;
}

/* ---- crafting packets ------------------------------------------------ */

static int
af_of(const char *a)
{
	return strchr(a, ':') != NULL ? 6 : 4;
}

static void
pton(const char *a, uint8_t *out)
{
	memset(out, 0, 16);
	ck_assert(inet_pton(af_of(a) == 4 ? AF_INET : AF_INET6, a, out) == 1);
}

/* An IP packet SRC -> DST carrying L4 (L4LEN bytes); fills in the L4
 * checksum.  Returns its length. */
static size_t
mkpkt(uint8_t *b, const char *src, const char *dst, uint8_t ttl,
    uint8_t proto, int df, const uint8_t *l4, size_t l4len)
{
	uint8_t s[16], d[16];
	int af = af_of(dst);
	size_t hl = af == 4 ? 20 : 40;
	uint8_t *o = b + hl;
	uint32_t sum;

	pton(src, s);
	pton(dst, d);
	memcpy(o, l4, l4len);
	if (af == 6 && proto == NS_PROTO_ICMP)
		proto = NS_PROTO_ICMP6;
	sum = ns_pseudo_sum(af, s, d, proto, l4len);
	switch (proto) {
	case NS_PROTO_ICMP:
		o[2] = o[3] = 0;
		wire_set_be16(o + 2, ns_cksum(o, l4len, 0));
		break;
	case NS_PROTO_ICMP6:
		o[2] = o[3] = 0;
		wire_set_be16(o + 2, ns_cksum(o, l4len, sum));
		break;
	case NS_PROTO_UDP:
		o[6] = o[7] = 0;
		wire_set_be16(o + 6, ns_cksum(o, l4len, sum));
		break;
	case NS_PROTO_TCP:
		o[16] = o[17] = 0;
		wire_set_be16(o + 16, ns_cksum(o, l4len, sum));
		break;
	default:
		break;
	}
	if (af == 4)
		ns_build_ip4(b, s, d, ttl, proto, 0x1234, df, l4len);
	else
		ns_build_ip6(b, s, d, ttl, proto, l4len);
	return hl + l4len;
}

static size_t
echo(uint8_t *b, const char *dst, uint8_t ttl, size_t paylen, int df)
{
	uint8_t l4[2048] = { 0 };
	int v6 = af_of(dst) == 6;

	l4[0] = v6 ? 128 : 8;
	wire_set_be16(l4 + 4, 0x4242);
	wire_set_be16(l4 + 6, 7);
	for (size_t i = 0; i < paylen; i++)
		l4[8 + i] = (uint8_t)i;
	return mkpkt(b, v6 ? SRC6 : SRC4, dst, ttl, NS_PROTO_ICMP, df, l4,
	    8 + paylen);
}

static size_t
udp(uint8_t *b, const char *dst, uint8_t ttl, uint16_t sport, uint16_t dport)
{
	uint8_t l4[24] = { 0 };

	wire_set_be16(l4, sport);
	wire_set_be16(l4 + 2, dport);
	wire_set_be16(l4 + 4, sizeof(l4));
	return mkpkt(b, af_of(dst) == 6 ? SRC6 : SRC4, dst, ttl,
	    NS_PROTO_UDP, 1, l4, sizeof(l4));
}

static size_t
tcp(uint8_t *b, const char *dst, uint8_t ttl, uint8_t flags)
{
	uint8_t l4[20] = { 0 };

	wire_set_be16(l4, 40000);
	wire_set_be16(l4 + 2, 80);
	wire_set_be32(l4 + 4, 1000);
	wire_set_be32(l4 + 8, 5000);
	l4[12] = 5 << 4;
	l4[13] = flags;
	wire_set_be16(l4 + 14, 1024);
	return mkpkt(b, af_of(dst) == 6 ? SRC6 : SRC4, dst, ttl,
	    NS_PROTO_TCP, 1, l4, sizeof(l4));
}

/* Feed PKT; return whether there was a reply, checking every checksum
 * of the reply and parsing it into rp. */
static int
feed(const uint8_t *pkt, size_t len, int64_t now)
{
	uint32_t sum;

	if (!netsim_input(sim, pkt, len, now, &rep))
		return 0;
	ck_assert_int_eq(ns_pkt_parse(&rp, rep.pkt, rep.len), 0);
	ck_assert_uint_eq(rp.len, rep.len);
	sum = ns_pseudo_sum(rp.af, rp.src, rp.dst, rp.proto, rp.l4len);
	if (rp.proto == NS_PROTO_ICMP)
		ck_assert_uint_eq(ns_cksum(rp.l4, rp.l4len, 0), 0);
	else
		ck_assert_uint_eq(ns_cksum(rp.l4, rp.l4len, sum), 0);
	return 1;
}

/* The reply is ICMP(v6) of TYPE and CODE. */
static void
assert_icmp(int type, int code)
{
	ck_assert_int_eq(rp.l4[0], type);
	ck_assert_int_eq(rp.l4[1], code);
}

static void
assert_addr(const uint8_t *a, const char *want)
{
	uint8_t w[16];

	pton(want, w);
	ck_assert_msg(memcmp(a, w, af_of(want) == 4 ? 4 : 16) == 0,
	    "address is not %s", want);
}

/* ---- tests ------------------------------------------------------------ */

START_TEST(test_time_exceeded)
{
	uint8_t b[256];
	size_t n = udp(b, "198.18.0.9", 1, 40000, 33435);

	ck_assert(feed(b, n, 0));
	assert_icmp(11, 0);
	assert_addr(rp.src, "198.19.0.1");
	assert_addr(rp.dst, SRC4);
	ck_assert_int_eq(rp.ttl, 64);
	/* the quotation: the probe's header with TTL 1, valid checksum */
	ck_assert_int_eq(rp.l4[8 + 8], 1);
	ck_assert_uint_eq(ns_cksum(rp.l4 + 8, 20, 0), 0);
	ck_assert(memcmp(rp.l4 + 8 + 12, b + 12, 8) == 0);
	ck_assert(memcmp(rp.l4 + 8 + 20, b + 20, 8) == 0);
	ck_assert_uint_eq(netsim_counters(sim)->out_time_exceeded, 1);
	/* 2 hops away: r2, from its in-link interface; the delay is 2 x 2
	 * links of 100 us */
	n = udp(b, "198.18.0.9", 2, 40000, 33435);
	ck_assert(feed(b, n, 0));
	assert_addr(rp.src, "198.19.0.2");
	ck_assert_int_eq(rep.delay_ns, 400000);
}
END_TEST

START_TEST(test_anonymous)
{
	uint8_t b[256];
	size_t n = echo(b, "198.18.0.9", 3, 16, 0);

	ck_assert(!feed(b, n, 0));
	ck_assert_uint_eq(netsim_counters(sim)->drop_anon, 1);
}
END_TEST

START_TEST(test_mpls)
{
	uint8_t b[256];
	size_t n = echo(b, "198.18.0.9", 4, 16, 0);
	const uint8_t *ext;

	ck_assert(feed(b, n, 0));
	ck_assert_int_eq(rp.l4[0], 11);
	ck_assert_int_eq(rp.ttl, 255 - 3);	/* ittl 255, 3 hops back */
	ck_assert_int_eq(rp.l4[5], 32);		/* RFC 4884: 128 bytes */
	ck_assert_uint_eq(rp.l4len, 8 + 128 + 4 + 4 + 8);
	ext = rp.l4 + 8 + 128;
	ck_assert_int_eq(ext[0] >> 4, 2);
	ck_assert_uint_eq(ns_cksum(ext, 16, 0), 0);
	ck_assert_uint_eq(wire_be16(ext + 4), 12);
	ck_assert_int_eq(ext[6], 1);
	ck_assert_int_eq(ext[7], 1);
	ck_assert_uint_eq(wire_be32(ext + 8) >> 12, 16001);
	ck_assert_uint_eq(wire_be32(ext + 8) & 0x100, 0);
	ck_assert_uint_eq(wire_be32(ext + 12) >> 12, 16002);
	ck_assert_uint_eq(wire_be32(ext + 12) & 0x100, 0x100);
	ck_assert_uint_eq(wire_be32(ext + 12) & 0xff, 1);
}
END_TEST

START_TEST(test_ratelimit)
{
	uint8_t b[256];
	size_t n = echo(b, "198.18.0.9", 5, 16, 0);
	int64_t t = 1000000000;

	ck_assert(feed(b, n, t));	/* burst of 2 */
	ck_assert(feed(b, n, t));
	ck_assert(!feed(b, n, t));
	ck_assert_uint_eq(netsim_counters(sim)->drop_ratelimit, 1);
	ck_assert(!feed(b, n, t + 500000000));	/* 1/s: half a token */
	ck_assert(feed(b, n, t + 1000000000));
}
END_TEST

START_TEST(test_echo_reply)
{
	uint8_t b[256];
	size_t n = echo(b, "198.18.0.9", 64, 24, 0);

	ck_assert(feed(b, n, 0));
	ck_assert_int_eq(rp.l4[0], 0);
	assert_addr(rp.src, "198.18.0.9");
	ck_assert_int_eq(rp.ttl, 64 - 5);	/* 5 routers back */
	ck_assert_uint_eq(rp.l4len, 8 + 24);
	ck_assert(memcmp(rp.l4 + 4, b + 20 + 4, 4 + 24) == 0);
	ck_assert_uint_eq(netsim_counters(sim)->out_echo_reply, 1);
}
END_TEST

START_TEST(test_port_unreachable)
{
	uint8_t b[256];
	size_t n = udp(b, "198.18.0.9", 30, 40000, 33435);

	ck_assert(feed(b, n, 0));
	assert_icmp(3, 3);
	assert_addr(rp.src, "198.18.0.9");
	ck_assert_int_eq(rp.l4[8 + 8], 30 - 5);	/* TTL as it arrived */
	ck_assert_uint_eq(ns_cksum(rp.l4 + 8, 20, 0), 0);
	/* a UDP checksum that does not verify: a host drops it */
	b[n - 1] ^= 0xff;
	ck_assert(!feed(b, n, 0));
	ck_assert_uint_eq(netsim_counters(sim)->drop_bad_cksum, 1);
}
END_TEST

START_TEST(test_tcp)
{
	uint8_t b[256];
	size_t n = tcp(b, "198.18.0.9", 64, 0x02);

	ck_assert(feed(b, n, 0));	/* SYN -> SYN-ACK */
	ck_assert_int_eq(rp.proto, NS_PROTO_TCP);
	ck_assert_int_eq(rp.l4[13], 0x12);
	ck_assert_uint_eq(wire_be16(rp.l4), 80);
	ck_assert_uint_eq(wire_be16(rp.l4 + 2), 40000);
	ck_assert_uint_eq(wire_be32(rp.l4 + 8), 1001);
	n = tcp(b, "198.18.4.9", 64, 0x02);
	ck_assert(feed(b, n, 0));	/* closed: RST+ACK */
	ck_assert_int_eq(rp.l4[13], 0x14);
	ck_assert_uint_eq(wire_be32(rp.l4 + 8), 1001);
	n = tcp(b, "198.18.4.9", 64, 0x10);
	ck_assert(feed(b, n, 0));	/* ACK -> RST, seq = its ack */
	ck_assert_int_eq(rp.l4[13], 0x04);
	ck_assert_uint_eq(wire_be32(rp.l4 + 4), 5000);
	n = tcp(b, "198.18.4.9", 64, 0x04);
	ck_assert(!feed(b, n, 0));	/* never answer a RST */
	ck_assert_uint_eq(netsim_counters(sim)->out_syn_ack, 1);
	ck_assert_uint_eq(netsim_counters(sim)->out_rst, 2);
}
END_TEST

START_TEST(test_silent_and_unreach)
{
	uint8_t b[256];
	size_t n = echo(b, "198.18.3.9", 64, 8, 0);

	ck_assert(!feed(b, n, 0));
	n = udp(b, "198.18.3.9", 64, 1, 2);
	ck_assert(!feed(b, n, 0));
	ck_assert_uint_eq(netsim_counters(sim)->drop_silent, 2);
	n = echo(b, "198.18.5.9", 64, 8, 0);	/* the last router answers */
	ck_assert(feed(b, n, 0));
	assert_icmp(3, 1);
	assert_addr(rp.src, "198.19.0.8");
	ck_assert_uint_eq(netsim_counters(sim)->out_dest_unreach, 1);
}
END_TEST

START_TEST(test_frag_needed)
{
	uint8_t b[2048];
	size_t n = echo(b, "198.18.1.9", 64, 1472, 1);

	ck_assert(feed(b, n, 0));
	assert_icmp(3, 4);
	ck_assert_uint_eq(wire_be16(rp.l4 + 6), 1400);
	assert_addr(rp.src, "198.19.0.6");
	ck_assert_uint_eq(rp.len, 576);		/* quotes up to 576 bytes */
	n = echo(b, "198.18.1.9", 64, 1472, 0);	/* no DF: it gets through */
	ck_assert(feed(b, n, 0));
	ck_assert_int_eq(rp.l4[0], 0);
	n = echo(b, "198.18.2.9", 64, 1472, 1);	/* the black hole */
	ck_assert(!feed(b, n, 0));
	ck_assert_uint_eq(netsim_counters(sim)->drop_pmtud_blackhole, 1);
	n = echo(b, "198.18.2.9", 64, 1300, 1);
	ck_assert(feed(b, n, 0));
}
END_TEST

START_TEST(test_ipid)
{
	uint8_t b[256];
	size_t n = echo(b, "198.18.0.9", 1, 8, 0);
	uint16_t a, c;

	/* r1: one shared counter, velocity 0: TE and echo replies count up */
	ck_assert(feed(b, n, 0));
	a = wire_be16(rp.ip + 4);
	n = echo(b, "198.19.0.1", 64, 8, 0);
	ck_assert(feed(b, n, 0));
	ck_assert_int_eq(rp.l4[0], 0);
	assert_addr(rp.src, "198.19.0.1");
	c = wire_be16(rp.ip + 4);
	ck_assert_uint_eq((uint16_t)(a + 1), c);
	/* r2: per-interface counters */
	n = echo(b, "198.19.0.2", 64, 8, 0);
	ck_assert(feed(b, n, 0));
	a = wire_be16(rp.ip + 4);
	n = echo(b, "198.19.0.12", 64, 8, 0);
	ck_assert(feed(b, n, 0));
	assert_addr(rp.src, "198.19.0.12");
	n = echo(b, "198.19.0.2", 64, 8, 0);
	ck_assert(feed(b, n, 0));
	ck_assert_uint_eq(wire_be16(rp.ip + 4), (uint16_t)(a + 1));
	/* z: always zero */
	n = echo(b, "198.18.5.9", 2, 8, 0);
	ck_assert(feed(b, n, 0));
	assert_addr(rp.src, "198.19.0.8");
	ck_assert_uint_eq(wire_be16(rp.ip + 4), 0);
}
END_TEST

START_TEST(test_router_addressed)
{
	uint8_t b[256];
	size_t n = udp(b, "198.19.0.12", 64, 40000, 33435);

	/* unreach-src inbound: port unreachable from the in-link address */
	ck_assert(feed(b, n, 0));
	assert_icmp(3, 3);
	assert_addr(rp.src, "198.19.0.2");
	ck_assert_int_eq(rp.ttl, 255 - 1);
	n = tcp(b, "198.19.0.2", 64, 0x02);
	ck_assert(feed(b, n, 0));
	ck_assert_int_eq(rp.l4[13], 0x14);
	n = echo(b, "198.19.0.12", 1, 8, 0);	/* expires at r1 first */
	ck_assert(feed(b, n, 0));
	ck_assert_int_eq(rp.l4[0], 11);
	assert_addr(rp.src, "198.19.0.1");
}
END_TEST

START_TEST(test_quote)
{
	uint8_t b[256];
	size_t n = echo(b, "198.18.6.9", 2, 64, 0);

	ck_assert(feed(b, n, 0));
	assert_addr(rp.src, "198.19.0.9");
	ck_assert_uint_eq(rp.l4len, 8 + 28);
}
END_TEST

START_TEST(test_per_packet)
{
	uint8_t b[256];
	size_t n = echo(b, "198.18.6.9", 3, 8, 0);
	int seen[2] = { 0, 0 };

	for (int i = 0; i < 64; i++) {
		ck_assert(feed(b, n, 0));
		seen[rp.src[3] - 1]++;
	}
	ck_assert(seen[0] > 0 && seen[1] > 0);
}
END_TEST

START_TEST(test_per_flow)
{
	uint8_t b[256], s[16], d[16];
	int seen[3] = { 0, 0, 0 };

	pton(SRC4, s);
	pton("198.18.7.9", d);
	for (uint16_t port = 33435; port < 33435 + 64; port++) {
		size_t n = udp(b, "198.18.7.9", 2, 40000, port);
		uint8_t l4[4];
		int first;

		ck_assert(feed(b, n, 0));
		first = rp.src[3];
		ck_assert(feed(b, n, 0));	/* the same flow, same hop */
		ck_assert_int_eq(rp.src[3], first);
		seen[first - 1]++;
		/* and the documented hash names it (lb "fl" is number 1) */
		wire_set_be16(l4, 40000);
		wire_set_be16(l4 + 2, port);
		ck_assert_int_eq(netsim_flow_hash(1, 4, s, d, NS_PROTO_UDP, l4)
		    % 3, first - 1);
	}
	ck_assert(seen[0] > 0 && seen[1] > 0 && seen[2] > 0);
}
END_TEST

START_TEST(test_path_query)
{
	char *out = NULL, err[256];
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	ck_assert_int_eq(netsim_path_print(sim, SRC4, "198.18.6.9", "icmp",
	    "08000000", f, err, sizeof(err)), 0);
	ck_assert_int_eq(netsim_path_print(sim, SRC4, "198.18.0.9", "udp",
	    "9c4082bb", f, err, sizeof(err)), 0);
	fclose(f);
	ck_assert_str_eq(out,
	    "1 198.19.0.1 rtt_us=200\n2 198.19.0.9 rtt_us=400\n"
	    "3 198.19.1.1|198.19.1.2 rtt_us=600\n"
	    "4 198.18.6.9 dst echo-reply rtt_us=800\n"
	    "1 198.19.0.1 rtt_us=200\n2 198.19.0.2 rtt_us=400\n"
	    "3 * rtt_us=600\n4 198.19.0.4 rtt_us=800\n"
	    "5 198.19.0.5 rtt_us=1000\n"
	    "6 198.18.0.9 dst port-unreach rtt_us=1200\n");
	free(out);
	ck_assert_int_eq(netsim_path_print(sim, SRC4, "2001:2::1", "icmp",
	    "08000000", stdout, err, sizeof(err)), -1);
	ck_assert_int_eq(netsim_path_print(sim, SRC4, "203.0.113.1", "icmp",
	    "08000000", stdout, err, sizeof(err)), -1);
	ck_assert_int_eq(netsim_path_print(sim, SRC4, "198.18.0.1", "icmp",
	    "0800zz00", stdout, err, sizeof(err)), -1);
}
END_TEST

/* Links of their own delays: --path's designed RTTs are what the
 * simulator applies, per TTL and for the destination, and a per-packet
 * balancer over branches of different delays gives a range. */
static const char topo_delays[] =
    "router d1 addr 198.19.0.1 delay 50\n"
    "router d2 addr 198.19.0.2 delay 300\n"
    "router fast addr 198.19.1.1 delay 10\n"
    "router slow addr 198.19.1.2 delay 1000\n"
    "lb pp per-packet branch fast branch slow\n"
    "router d3 addr 198.19.0.3 delay 7\n"
    "path 198.18.0.0/24 d1 d2 dest echo\n"
    "path 198.18.1.0/24 d1 pp d3 dest echo\n"
    "path 198.18.2.0/24 d1 d2 dest unreach\n";

START_TEST(test_designed_delays)
{
	char *out = NULL, err[256];
	size_t len = 0;
	uint8_t b[256];
	FILE *f;
	static const int64_t want[] = { 100, 700, 900 };	/* x 1000 */

	netsim_free(sim);
	sim = load(topo_delays, 100);	/* the destination link: 100 us */
	for (int ttl = 1; ttl <= 3; ttl++) {
		size_t n = echo(b, "198.18.0.9", (uint8_t)(ttl < 3 ? ttl : 64),
		    16, 0);
		ck_assert(feed(b, n, 0));
		ck_assert_int_eq(rep.delay_ns, want[ttl - 1] * 1000);
	}
	ck_assert(feed(b, udp(b, "198.18.2.9", 64, 40000, 33435), 0));
	ck_assert_int_eq(rep.delay_ns, 700000);	/* d2 answers for it */
	f = open_memstream(&out, &len);
	ck_assert_int_eq(netsim_path_print(sim, SRC4, "198.18.0.9", "icmp",
	    "08000000", f, err, sizeof(err)), 0);
	ck_assert_int_eq(netsim_path_print(sim, SRC4, "198.18.1.9", "icmp",
	    "08000000", f, err, sizeof(err)), 0);
	ck_assert_int_eq(netsim_path_print(sim, SRC4, "198.18.2.9", "udp",
	    "9c4082bb", f, err, sizeof(err)), 0);
	ck_assert_int_eq(netsim_path_print(sim, SRC4, "198.19.0.3", "icmp",
	    "08000000", f, err, sizeof(err)), 0);
	fclose(f);
	ck_assert_str_eq(out,
	    "1 198.19.0.1 rtt_us=100\n2 198.19.0.2 rtt_us=700\n"
	    "3 198.18.0.9 dst echo-reply rtt_us=900\n"
	    "1 198.19.0.1 rtt_us=100\n2 198.19.1.1|198.19.1.2 "
	    "rtt_us=120..2100\n3 198.19.0.3 rtt_us=134..2114\n"
	    "4 198.18.1.9 dst echo-reply rtt_us=334..2314\n"
	    "1 198.19.0.1 rtt_us=100\n2 198.19.0.2 rtt_us=700\n"
	    "3 198.18.2.9 dst host-unreach from 198.19.0.2 rtt_us=700\n"
	    "1 198.19.0.1 rtt_us=100\n2 198.19.1.1 rtt_us=120\n"
	    "3 198.19.0.3 router echo-reply rtt_us=134\n");
	/* a router's own address is reached by its home path only */
	ck_assert(feed(b, echo(b, "198.19.0.3", 64, 16, 0), 0));
	ck_assert_int_eq(rep.delay_ns, 134000);
	free(out);
}
END_TEST

START_TEST(test_ipv6)
{
	uint8_t b[2048];
	size_t n = echo(b, "2001:2::9", 1, 16, 0);

	ck_assert(feed(b, n, 0));
	ck_assert_int_eq(rp.af, 6);
	ck_assert_int_eq(rp.l4[0], 3);		/* time exceeded */
	assert_addr(rp.src, "2001:2:0:ff::1");
	ck_assert_int_eq(rp.ttl, 64);
	ck_assert_int_eq(rp.l4[8 + 7], 1);	/* quoted hop limit */
	n = echo(b, "2001:2::9", 2, 16, 0);	/* MPLS, 128-byte field */
	ck_assert(feed(b, n, 0));
	ck_assert_int_eq(rp.l4[4], 16);
	ck_assert_uint_eq(wire_be32(rp.l4 + 8 + 128 + 8) >> 12, 100);
	n = echo(b, "2001:2::9", 64, 16, 0);
	ck_assert(feed(b, n, 0));
	ck_assert_int_eq(rp.l4[0], 129);
	ck_assert_int_eq(rp.ttl, 64 - 2);
	n = udp(b, "2001:2::9", 64, 40000, 33435);
	ck_assert(feed(b, n, 0));
	assert_icmp(1, 4);
	n = tcp(b, "2001:2::9", 64, 0x02);
	ck_assert(feed(b, n, 0));
	ck_assert_int_eq(rp.l4[13], 0x12);
	n = echo(b, "2001:2:0:100::9", 64, 1400, 0);	/* packet too big */
	ck_assert(feed(b, n, 0));
	ck_assert_int_eq(rp.l4[0], 2);
	ck_assert_uint_eq(wire_be32(rp.l4 + 4), 1280);
	ck_assert_uint_eq(rp.len, 1280);
	assert_addr(rp.src, "2001:2:0:ff::3");
}
END_TEST

START_TEST(test_malformed)
{
	uint8_t b[256], c[256];
	size_t n = echo(b, "198.18.0.9", 64, 16, 0);
	uint64_t before = netsim_counters(sim)->drop_malformed;

	ck_assert(!feed(b, 0, 0));			/* empty */
	ck_assert(!feed(b, 19, 0));			/* short header */
	memcpy(c, b, n);
	c[0] = 0x55;					/* version 5 */
	ck_assert(!feed(c, n, 0));
	memcpy(c, b, n);
	c[10] ^= 1;					/* header checksum */
	ck_assert(!feed(c, n, 0));
	ck_assert(!feed(b, n - 1, 0));			/* total length > data */
	memcpy(c, b, n);
	c[0] = 0x44;					/* IHL 4 */
	ck_assert(!feed(c, n, 0));
	n = tcp(b, "198.18.0.9", 64, 0x02);
	b[20 + 12] = 0xf0;				/* TCP offset 60 */
	ck_assert(!feed(b, n, 0));
	n = echo(b, "2001:2::9", 64, 16, 0);
	ck_assert(!feed(b, n - 1, 0));			/* IPv6 payload length */
	ck_assert_uint_eq(netsim_counters(sim)->drop_malformed, before + 8);
	ck_assert_uint_eq(netsim_counters(sim)->out_pkts, 0);
	n = echo(b, "203.0.113.1", 64, 16, 0);		/* not simulated */
	ck_assert(!feed(b, n, 0));
	ck_assert_uint_eq(netsim_counters(sim)->drop_no_route, 1);
}
END_TEST

START_TEST(test_loss)
{
	struct netsim_params p;
	char err[256];
	uint8_t b[256];
	size_t n = echo(b, "198.18.0.9", 64, 16, 0);

	netsim_free(sim);
	netsim_params_default(&p);
	p.loss_ppm = 1000000;
	sim = netsim_parse(topo, strlen(topo), &p, err, sizeof(err));
	ck_assert(sim != NULL);
	ck_assert(!feed(b, n, 0));
	ck_assert_uint_eq(netsim_counters(sim)->drop_loss, 1);
}
END_TEST

/* ---- the topology file parser ----------------------------------------- */

static void
parse_fails(const char *text, const char *want)
{
	struct netsim_params p;
	char err[256];
	struct netsim *s;

	netsim_params_default(&p);
	s = netsim_parse(text, strlen(text), &p, err, sizeof(err));
	ck_assert_msg(s == NULL, "parsed: %s", text);
	ck_assert_msg(strncmp(err, want, strlen(want)) == 0,
	    "error '%s' does not start with '%s'", err, want);
}

START_TEST(test_parse_errors)
{
	parse_fails("router a addr 198.19.0.1\nbogus\n",
	    "line 2: unknown statement 'bogus'");
	parse_fails("\n\nrouter a addr 300.1.1.1\n", "line 3: '300.1.1.1' is");
	parse_fails("router a\n", "line 1: router a needs at least one addr");
	parse_fails("router a addr 198.19.0.1\nrouter b addr 198.19.0.1\n",
	    "line 2: address 198.19.0.1 is already used");
	parse_fails("router a addr 198.19.0.1\nrouter a addr 198.19.0.2\n",
	    "line 2: 'a' is already defined");
	parse_fails("router a addr 198.19.0.1\npath 198.18.0.0/24 b\n",
	    "line 2: 'b' is not a router");
	parse_fails("router a addr 198.19.0.1\nlb l branch a\n",
	    "line 2: balancer l needs at least 2 branches");
	parse_fails("router a addr 198.19.0.1 ittl 300\n",
	    "line 1: ittl '300' is not a number");
	parse_fails("router a addr 198.19.0.1 mpls 2000000\n",
	    "line 1: MPLS label '2000000'");
	parse_fails("router a addr 198.19.0.1 addr 2001:db8::1\n",
	    "line 1: router mixes");
	parse_fails("router a addr 2001:2::1\npath 198.18.0.0/24 a\n",
	    "line 2: 'a' is of the other address family");
	parse_fails("router a addr 198.19.0.1\npath 198.18.0.0/33 a\n",
	    "line 2: bad prefix length");
	parse_fails("router a addr 198.19.0.1\npath 198.18.0.0/24 a dest x\n",
	    "line 2: unknown dest behaviour 'x'");
	parse_fails("router path addr 198.19.0.1\n", "line 1: router needs a "
	    "name");
	parse_fails("# nothing\n", "line 1: no path defined");
	parse_fails("router a addr 198.19.0.1 ipid sometimes\n",
	    "line 1: unknown ipid behaviour");
	parse_fails("router a addr 198.19.0.1 frobnicate\n",
	    "line 1: unknown router option 'frobnicate'");
}
END_TEST

/* ---- generated topologies --------------------------------------------- */

static char *
truth_of(uint64_t seed, size_t *len)
{
	struct netsim_params p;
	struct netsim *s;
	char err[256], *out = NULL;
	FILE *f;

	netsim_params_default(&p);
	p.seed = seed;
	/* sanitized code is slow: IPv4 only (the same features) */
	p.v6 = !UNIT_SANITIZED;
	s = netsim_generate(&p, err, sizeof(err));
	ck_assert_msg(s != NULL, "generate: %s", err);
	f = open_memstream(&out, len);
	ck_assert_int_eq(netsim_truth_write(s, f), 0);
	fclose(f);
	netsim_free(s);
	return out;
}

START_TEST(test_same_seed_same_truth)
{
	size_t la, lb, lc;
	char *a = truth_of(42, &la), *b = truth_of(42, &lb);
	char *c = truth_of(43, &lc);

	ck_assert_uint_gt(la, 100000);
	ck_assert_uint_eq(la, lb);
	ck_assert(memcmp(a, b, la) == 0);
	ck_assert(la != lc || memcmp(a, c, la) != 0);
	ck_assert(strstr(a, "\"per\":\"packet\"") != NULL);
	ck_assert(strstr(a, "\"anon\":true") != NULL);
	ck_assert(strstr(a, "\"pmtud\":false") != NULL);
	ck_assert(strstr(a, "\"type\":\"alias\"") != NULL);
	free(a);
	free(b);
	free(c);
}
END_TEST

START_TEST(test_generated_paths)
{
	struct netsim_params p;
	struct netsim *s;
	char err[256];
	uint8_t b[256];
	int min = 99, max = 0;

	netsim_params_default(&p);
	p.seed = 5;
	p.anon_share = 0;
	p.rl_share = 0;
	p.silent_share = 0;
	p.v6 = !UNIT_SANITIZED;	/* slow when sanitized; IPv4 is probed */
	s = netsim_generate(&p, err, sizeof(err));
	ck_assert(s != NULL);
	netsim_free(sim);
	sim = s;
	/* the destination answers at hop 5..25: find it by its TTL */
	for (int leaf = 0; leaf < 400; leaf += 7) {
		char dst[32];
		int hops = 0;

		snprintf(dst, sizeof(dst), "198.%d.%d.1", 18 + leaf / 256,
		    leaf % 256);
		for (int ttl = 1; ttl <= 32 && hops == 0; ttl++) {
			size_t n = udp(b, dst, (uint8_t)ttl, 40000, 33435);
			if (feed(b, n, 0) && rp.l4[0] == 3)
				hops = ttl;
		}
		if (hops == 0)
			continue;	/* a destination not answering UDP */
		min = hops < min ? hops : min;
		max = hops > max ? hops : max;
	}
	ck_assert_int_ge(min, 5);
	ck_assert_int_le(max, 25);
	ck_assert_int_gt(max, min);
}
END_TEST

static Suite *
netsim_suite(void)
{
	const TTest *behaviours[] = {
		test_time_exceeded, test_anonymous, test_mpls, test_ratelimit,
		test_echo_reply, test_port_unreachable, test_tcp,
		test_silent_and_unreach, test_frag_needed, test_ipid,
		test_router_addressed, test_quote, test_per_packet,
		test_per_flow, test_path_query, test_designed_delays,
		test_ipv6, test_malformed, test_loss, test_generated_paths
	};
	const TTest *topology[] = {
		test_parse_errors, test_same_seed_same_truth
	};
	TCase *tc = check_case("behaviours", behaviours, CHECK_N(behaviours));
	Suite *s = check_suite("netsim", tc);

	/* check's timeouts are wall-clock: on a loaded machine under ASan
	 * the generated topologies take tens of seconds, so only meson's
	 * timeout (120 s for the whole run) stands for a hang */
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 110);
	tc = check_case("topology", topology, CHECK_N(topology));
	tcase_set_timeout(tc, 110);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(netsim_suite());
}
