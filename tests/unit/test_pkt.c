/*
 * test_pkt.c: probe building (headers, checksums, Paris checksum fixing)
 * and reply parsing (quotes, RFC 4884 extensions, MPLS, truncation).
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <string.h>

#include "pkt.h"
#include "../lib/check_table.h"

static void
addr(int af, const char *s, uint8_t *out)
{
	memset(out, 0, 16);
	ck_assert_int_eq(inet_pton(af, s, out), 1);
}

static struct pkt_probe
probe(int af, uint8_t proto)
{
	struct pkt_probe p;

	memset(&p, 0, sizeof(p));
	p.af = af;
	p.proto = proto;
	if (af != AF_INET6) {
		addr(AF_INET, "192.0.2.1", p.src);
		addr(AF_INET, "203.0.113.9", p.dst);
	} else {
		addr(af, "2001:db8::1", p.src);
		addr(af, "2001:db8:ff::9", p.dst);
	}
	p.ttl = 7;
	p.tos = 0x10;
	p.ipid = 0x1234;
	p.df = 1;
	p.sport = 40001;
	p.dport = 33435;
	p.icmp_type = af == AF_INET ? 8 : 128;
	p.icmp_id = 0x8123;
	p.icmp_seq = 5;
	return p;
}

/* The one's-complement sum of LEN bytes at P added to SUM, 16 bits at a
 * time in network order: the reference pkt_sum is held to. */
static uint32_t
ref_sum(const uint8_t *p, size_t len, uint32_t sum)
{
	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)(p[0] << 8 | p[1]);
	if (len == 1)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

static uint16_t
ref_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* Verify the L4 checksum of a packet built from P: zero when correct. */
static uint16_t
l4_verify(const struct pkt_probe *p, const uint8_t *b, size_t len)
{
	size_t off = pkt_l4off(p), l4len = len - off;
	uint32_t sum = 0;
	uint8_t w[4];

	if (p->proto != IPPROTO_ICMP) {
		size_t alen = p->af == AF_INET ? 4 : 16;
		sum = ref_sum(p->src, alen, sum);
		sum = ref_sum(p->dst, alen, sum);
		w[0] = (uint8_t)(l4len >> 24); w[1] = (uint8_t)(l4len >> 16);
		w[2] = (uint8_t)(l4len >> 8); w[3] = (uint8_t)l4len;
		sum = ref_sum(w, 4, sum);
		sum += p->proto;
	}
	return (uint16_t)~ref_fold(ref_sum(b + off, l4len, sum));
}

START_TEST(build_parse_udp4)
{
	struct pkt_probe p = probe(AF_INET, IPPROTO_UDP);
	uint8_t pay[12] = "scamper-test", b[256];
	struct pkt_reply r;
	size_t n;

	p.payload = pay;
	p.paylen = sizeof(pay);
	n = pkt_build(&p, b, sizeof(b));
	ck_assert_uint_eq(n, 20 + 8 + 12);
	ck_assert_int_eq(pkt_cksum_fin(pkt_sum(b, 20, 0)), 0);	/* IP */
	ck_assert_int_eq(l4_verify(&p, b, n), 0);
	ck_assert_int_eq(b[6] & 0x40, 0x40);			/* DF */
	ck_assert_int_eq(pkt_parse(b, n, &r), 0);
	ck_assert_int_eq(r.af, AF_INET);
	ck_assert_int_eq(r.proto, IPPROTO_UDP);
	ck_assert_int_eq(r.ttl, 7);
	ck_assert_int_eq(r.tos, 0x10);
	ck_assert_int_eq(r.ipid, 0x1234);
	ck_assert_int_eq(r.size, n);
	ck_assert_int_eq(r.sport, 40001);
	ck_assert_int_eq(r.dport, 33435);
	ck_assert_mem_eq(r.src, p.src, 4);
	ck_assert_mem_eq(r.dst, p.dst, 4);
}
END_TEST

START_TEST(build_sizes_and_errors)
{
	struct pkt_probe p = probe(AF_INET, IPPROTO_ICMP);
	uint8_t b[2000];

	p.size = 1500;
	ck_assert_uint_eq(pkt_build(&p, b, sizeof(b)), 1500);
	ck_assert_int_eq(l4_verify(&p, b, 1500), 0);
	p.size = 20;					/* smaller than headers */
	ck_assert_uint_eq(pkt_build(&p, b, sizeof(b)), 0);
	p.size = 0;
	ck_assert_uint_eq(pkt_build(&p, b, 10), 0);	/* no room */
	p.proto = IPPROTO_ICMPV6;			/* wrong family */
	ck_assert_uint_eq(pkt_build(&p, b, sizeof(b)), 0);
	p = probe(AF_INET, IPPROTO_TCP);
	p.fix_cksum = 1;				/* not for TCP */
	ck_assert_uint_eq(pkt_build(&p, b, sizeof(b)), 0);
	p = probe(AF_INET, IPPROTO_UDP);
	p.fix_cksum = 1;				/* needs 2 bytes */
	ck_assert_uint_eq(pkt_build(&p, b, sizeof(b)), 0);
	p = probe(AF_INET, IPPROTO_UDP);
	p.fragoff = 3;					/* IPv6 only */
	ck_assert_uint_eq(pkt_build(&p, b, sizeof(b)), 0);
	p = probe(AF_INET, 99);
	ck_assert_uint_eq(pkt_build(&p, b, sizeof(b)), 0);
	p = probe(0, IPPROTO_UDP);
	ck_assert_uint_eq(pkt_build(&p, b, sizeof(b)), 0);
}
END_TEST

/* Paris: the checksum is held at the value asked for, for every family
 * and protocol that supports it. */
/* pkt_sum, any length, alignment and sum carried in, folds to what the
 * reference's does. */
START_TEST(sum_is_reference)
{
	uint8_t b[160];
	uint32_t seed = 12345;

	for (size_t i = 0; i < sizeof(b); i++) {
		seed = seed * 1103515245u + 12345u;
		b[i] = (uint8_t)(seed >> 16);
	}
	memset(b + 100, 0, 30);		/* some all-zero runs */
	memset(b + 130, 0xff, 30);	/* and all-ones ones */
	for (size_t off = 0; off < 8; off++)
		for (size_t len = 0; len + off <= sizeof(b); len++)
			for (uint32_t in = 0; in < 0x30000; in += 0xfffb) {
				uint32_t got = pkt_sum(b + off, len, in);
				uint32_t want = ref_sum(b + off, len, in);

				ck_assert_uint_eq(ref_fold(got), ref_fold(want));
				ck_assert_uint_eq(pkt_cksum_fin(got),
				    (uint16_t)~ref_fold(want));
			}
	/* zero stays zero: a sum of nothing but zeros is not 0xffff */
	ck_assert_uint_eq(pkt_sum(b + 100, 30, 0), 0);
}
END_TEST

START_TEST(paris_cksum)
{
	static const struct { int af; uint8_t proto; } k[] = {
		{ AF_INET, IPPROTO_UDP }, { AF_INET, IPPROTO_ICMP },
		{ AF_INET6, IPPROTO_UDP }, { AF_INET6, IPPROTO_ICMPV6 },
	};
	uint8_t pay[16] = { 0 }, b[256];

	for (size_t i = 0; i < 4; i++)
		for (uint32_t want = 1; want <= 0xffff; want += 97) {
			struct pkt_probe p = probe(k[i].af, k[i].proto);
			size_t n, off;

			/* a payload of any bytes: its first word is chosen */
			for (size_t j = 0; j < sizeof(pay); j++)
				pay[j] = (uint8_t)(want * (j + 3));
			p.payload = pay;
			p.paylen = sizeof(pay);
			p.fix_cksum = 1;
			p.cksum = (uint16_t)want;
			p.icmp_seq = (uint16_t)(want * 7);
			n = pkt_build(&p, b, sizeof(b));
			ck_assert_uint_ne(n, 0);
			off = pkt_l4off(&p) + (k[i].proto == IPPROTO_UDP ? 6 : 2);
			ck_assert_uint_eq((b[off] << 8) | b[off + 1], want);
			ck_assert_int_eq(l4_verify(&p, b, n), 0);
		}
}
END_TEST

START_TEST(build_parse_tcp6_frag)
{
	struct pkt_probe p = probe(AF_INET6, IPPROTO_TCP);
	uint8_t b[256];
	struct pkt_reply r;
	size_t n;

	p.tcp_seq = 0x01020304;
	p.tcp_flags = 0x02;
	p.flowlabel = 0xabcde;
	n = pkt_build(&p, b, sizeof(b));
	ck_assert_uint_eq(n, 60);
	ck_assert_int_eq(l4_verify(&p, b, n), 0);
	ck_assert_int_eq(pkt_parse(b, n, &r), 0);
	ck_assert_int_eq(r.af, AF_INET6);
	ck_assert_int_eq(r.proto, IPPROTO_TCP);
	ck_assert_int_eq(r.flowlabel, 0xabcde);
	ck_assert_int_eq(r.tos, 0x10);
	ck_assert_int_eq(r.tcp_flags, 0x02);
	ck_assert_uint_eq(r.tcp_seq, 0x01020304);

	p = probe(AF_INET6, IPPROTO_UDP);
	p.fragoff = 100;
	p.fragid = 77;
	n = pkt_build(&p, b, sizeof(b));
	ck_assert_uint_eq(n, 40 + 8 + 8);
	ck_assert_int_eq(b[6], 44);
	ck_assert_int_eq(pkt_parse(b, n, &r), 0);
	ck_assert_int_eq(r.proto, IPPROTO_UDP);	/* past the frag header */
	ck_assert_int_eq(r.sport, 0);		/* non-first fragment */
}
END_TEST

/* An ICMP time-exceeded from 198.51.100.1 quoting PROBE, with an optional
 * RFC 4884 extension carrying an MPLS stack.  Returns the length. */
static size_t
mk_te4(const uint8_t *probe_pkt, size_t plen, int ext, int rfc4884,
    uint8_t *b)
{
	size_t qlen = plen, n;
	uint8_t *icmp = b + 20;

	memset(b, 0, 600);
	if (ext)
		qlen = 128;		/* padded as RFC 4884 asks */
	memcpy(icmp + 8, probe_pkt, plen < qlen ? plen : qlen);
	n = 20 + 8 + qlen;
	if (ext) {
		uint8_t *e = icmp + 8 + qlen;
		e[0] = 0x20;				/* version 2 */
		e[4] = 0; e[5] = 12; e[6] = 1; e[7] = 1;	/* MPLS */
		/* label 16005, exp 3, S 0, ttl 1 */
		e[8] = 0x03; e[9] = 0xe8; e[10] = 0x56; e[11] = 0x01;
		/* label 24, exp 0, S 1, ttl 255 */
		e[12] = 0x00; e[13] = 0x01; e[14] = 0x81; e[15] = 0xff;
		n += 16;
		if (rfc4884)
			icmp[5] = (uint8_t)(qlen / 4);
	}
	b[0] = 0x45;
	b[2] = (uint8_t)(n >> 8);
	b[3] = (uint8_t)n;
	b[8] = 250;
	b[9] = IPPROTO_ICMP;
	inet_pton(AF_INET, "198.51.100.1", b + 12);
	inet_pton(AF_INET, "192.0.2.1", b + 16);
	icmp[0] = 11;
	return n;
}

START_TEST(parse_te4_quote_and_mpls)
{
	struct pkt_probe p = probe(AF_INET, IPPROTO_UDP);
	uint8_t pay[2] = { 0 }, pb[64], b[600];
	struct pkt_reply r;
	size_t pn, n;

	p.payload = pay;
	p.paylen = 2;
	p.fix_cksum = 1;
	p.cksum = 3;
	p.ttl = 1;	/* what the router quotes back */
	pn = pkt_build(&p, pb, sizeof(pb));
	for (int mode = 0; mode < 3; mode++) {
		n = mk_te4(pb, pn, mode > 0, mode == 1, b);
		ck_assert_int_eq(pkt_parse(b, n, &r), 0);
		ck_assert_int_eq(r.icmp_type, 11);
		ck_assert_int_eq(r.ttl, 250);
		ck_assert_msg(r.has_quote, "mode %d", mode);
		ck_assert_int_eq(r.q.proto, IPPROTO_UDP);
		ck_assert_int_eq(r.q.ipid, 0x1234);
		ck_assert_int_eq(r.q.ttl, 1);
		ck_assert_int_eq(r.q.sport, 40001);
		ck_assert_int_eq(r.q.dport, 33435);
		ck_assert_int_eq(r.q.l4cksum, 3);
		ck_assert_mem_eq(r.q.dst, p.dst, 4);
		if (mode == 0) {
			ck_assert_int_eq(r.nmpls, 0);
			ck_assert_ptr_null(r.ext);
			continue;
		}
		ck_assert_int_eq(r.nmpls, 2);
		ck_assert_uint_eq(r.mpls[0].label, 16005);
		ck_assert_int_eq(r.mpls[0].exp, 3);
		ck_assert_int_eq(r.mpls[0].s, 0);
		ck_assert_int_eq(r.mpls[0].ttl, 1);
		ck_assert_uint_eq(r.mpls[1].label, 24);
		ck_assert_int_eq(r.mpls[1].s, 1);
		ck_assert_int_eq(r.mpls[1].ttl, 255);
		ck_assert_uint_eq(r.extlen, 16);
	}
}
END_TEST

START_TEST(parse_icmp6_errors)
{
	struct pkt_probe p = probe(AF_INET6, IPPROTO_UDP);
	uint8_t pay[4] = { 0 }, pb[128], m[256];
	struct pkt_reply r;
	size_t pn;

	p.payload = pay;
	p.paylen = 4;
	p.flowlabel = 9;
	pn = pkt_build(&p, pb, sizeof(pb));
	memset(m, 0, sizeof(m));
	m[0] = 3;					/* time exceeded */
	memcpy(m + 8, pb, pn);
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(pkt_parse_icmp6(m, 8 + pn, &r), 0);
	ck_assert(r.has_quote);
	ck_assert_int_eq(r.q.af, AF_INET6);
	ck_assert_int_eq(r.q.flowlabel, 9);
	ck_assert_int_eq(r.q.sport, 40001);
	ck_assert_int_eq(r.q.len, pn);
	ck_assert_mem_eq(r.q.dst, p.dst, 16);

	m[0] = 2;					/* packet too big */
	m[4] = 0; m[5] = 0; m[6] = 0x05; m[7] = 0x00;	/* 1280 */
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(pkt_parse_icmp6(m, 8 + pn, &r), 0);
	ck_assert_int_eq(r.icmp_type, 2);
	ck_assert_int_eq(r.nhmtu, 1280);
	ck_assert(r.has_quote);

	m[0] = 129;					/* echo reply */
	m[4] = 0x81; m[5] = 0x23; m[6] = 0; m[7] = 5;
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(pkt_parse_icmp6(m, 8, &r), 0);
	ck_assert_int_eq(r.icmp_id, 0x8123);
	ck_assert_int_eq(r.icmp_seq, 5);
	ck_assert_int_eq(pkt_parse_icmp6(m, 7, &r), -1);
}
END_TEST

/* Every prefix of valid replies, and junk, parses without harm. */
START_TEST(truncation)
{
	struct pkt_probe p = probe(AF_INET, IPPROTO_ICMP);
	uint8_t pb[64], b[600], junk[600];
	struct pkt_reply r;
	size_t pn = pkt_build(&p, pb, sizeof(pb)), n = mk_te4(pb, pn, 1, 1, b);

	for (size_t k = 0; k <= n; k++)
		(void)pkt_parse(b, k, &r);
	ck_assert_int_eq(pkt_parse(b, 0, &r), -1);
	ck_assert_int_eq(pkt_parse(b, 19, &r), -1);
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)(i * 31 + 7);
	junk[0] = 0x4f;
	(void)pkt_parse(junk, sizeof(junk), &r);
	junk[0] = 0x60;
	(void)pkt_parse(junk, sizeof(junk), &r);
	junk[0] = 0x10;
	ck_assert_int_eq(pkt_parse(junk, sizeof(junk), &r), -1);
}
END_TEST

/* Record route: built empty, parsed as filled, from replies and quotes. */
START_TEST(ipopt_rr)
{
	struct pkt_probe p = probe(AF_INET, IPPROTO_ICMP);
	uint8_t opt[40], b[128], q[200], a[PKT_RR_MAX * 4];
	struct pkt_reply r;
	size_t n;

	ck_assert_uint_eq(pkt_ipopt_rr(opt, 39), 0);
	ck_assert_uint_eq(pkt_ipopt_rr(opt, sizeof(opt)), 40);
	ck_assert_int_eq(opt[0], 7);
	ck_assert_int_eq(opt[1], 39);
	ck_assert_int_eq(opt[2], 4);
	p.ipopts = opt;
	p.ipoptlen = 40;
	n = pkt_build(&p, b, sizeof(b));
	ck_assert_uint_eq(n, 68);
	ck_assert_int_eq(b[0], 0x4f);
	ck_assert_int_eq(pkt_parse(b, n, &r), 0);
	ck_assert_int_eq(r.icmp_type, 8);
	ck_assert_ptr_eq(r.ipopts, b + 20);
	ck_assert_uint_eq(r.ipoptlen, 40);
	ck_assert_int_eq(pkt_ipopt_get_rr(r.ipopts, r.ipoptlen, a, 9), 0);
	/* two routers recorded themselves */
	b[22] = 12;
	memcpy(b + 23, "\xc0\x00\x02\x05\xc0\x00\x02\x0d", 8);
	ck_assert_int_eq(pkt_ipopt_get_rr(b + 20, 40, a, 9), 2);
	ck_assert_int_eq(memcmp(a, "\xc0\x00\x02\x05\xc0\x00\x02\x0d", 8), 0);
	ck_assert_int_eq(pkt_ipopt_get_rr(b + 20, 40, a, 1), 1);
	/* a pointer past the end is clipped; a no-op before is skipped */
	b[22] = 200;
	ck_assert_int_eq(pkt_ipopt_get_rr(b + 20, 40, a, 9), 9);
	ck_assert_int_eq(pkt_ipopt_get_rr(b + 19, 41, a, 9), -1);
	memmove(b + 21, b + 20, 39);
	b[20] = 1;
	ck_assert_int_eq(pkt_ipopt_get_rr(b + 20, 40, a, 9), 9);
	/* malformed: zero or overlong length; absent: NULL */
	b[22] = 1;
	ck_assert_int_eq(pkt_ipopt_get_rr(b + 20, 40, a, 9), -1);
	ck_assert_int_eq(pkt_ipopt_get_rr(NULL, 0, a, 9), -1);
	/* an ICMP error quotes the probe with its options */
	b[22] = 39;
	memset(q, 0, sizeof(q));
	q[0] = 0x45; q[2] = 0; q[3] = (uint8_t)(28 + n); q[8] = 60; q[9] = 1;
	q[20] = 3; q[21] = 3;
	memcpy(q + 28, b, n);
	ck_assert_int_eq(pkt_parse(q, 28 + n, &r), 0);
	ck_assert_int_eq(r.has_quote, 1);
	ck_assert_ptr_null(r.ipopts);
	ck_assert_ptr_eq(r.q.ipopts, q + 48);
	ck_assert_uint_eq(r.q.ipoptlen, 40);
}
END_TEST

/* Timestamp options: the three kinds, built and parsed. */
START_TEST(ipopt_ts)
{
	uint8_t opt[40], addrs[20];
	struct pkt_ts ts;

	ck_assert_uint_eq(pkt_ipopt_ts(opt, sizeof(opt), PKT_TS_TSONLY,
	    NULL, 0), 40);
	ck_assert_int_eq(opt[0], 68);
	ck_assert_int_eq(opt[1], 40);
	ck_assert_int_eq(opt[2], 5);
	ck_assert_int_eq(opt[3], 0);
	ck_assert_int_eq(pkt_ipopt_get_ts(opt, 40, &ts), 1);
	ck_assert_int_eq(ts.n, 0);
	opt[2] = 13;
	memcpy(opt + 4, "\x03\x7f\x39\x4b\x03\x7f\x39\x4c", 8);
	ck_assert_int_eq(pkt_ipopt_get_ts(opt, 40, &ts), 1);
	ck_assert_int_eq(ts.flag, PKT_TS_TSONLY);
	ck_assert_int_eq(ts.n, 2);
	ck_assert_uint_eq(ts.ts[0], 0x037f394b);
	ck_assert_uint_eq(ts.ts[1], 0x037f394c);

	ck_assert_uint_eq(pkt_ipopt_ts(opt, sizeof(opt), PKT_TS_TSANDADDR,
	    NULL, 0), 36);
	ck_assert_int_eq(opt[1], 36);
	ck_assert_int_eq(opt[3], 1);
	opt[2] = 13;
	memcpy(opt + 4, "\xc0\x00\x02\x02\x00\x00\x00\x2a", 8);
	ck_assert_int_eq(pkt_ipopt_get_ts(opt, 36, &ts), 1);
	ck_assert_int_eq(ts.n, 1);
	ck_assert_int_eq(memcmp(ts.addr[0], "\xc0\x00\x02\x02", 4), 0);
	ck_assert_uint_eq(ts.ts[0], 42);

	memcpy(addrs, "\xc0\x00\x02\x02\xcb\x00\x71\x01", 8);
	ck_assert_uint_eq(pkt_ipopt_ts(opt, sizeof(opt), PKT_TS_PRESPEC,
	    addrs, 2), 20);
	ck_assert_int_eq(opt[3], 3);
	ck_assert_int_eq(memcmp(opt + 4, addrs, 4), 0);
	ck_assert_int_eq(memcmp(opt + 12, addrs + 4, 4), 0);
	ck_assert_int_eq(pkt_ipopt_get_ts(opt, 20, &ts), 1);
	ck_assert_int_eq(ts.flag, PKT_TS_PRESPEC);
	ck_assert_int_eq(ts.n, 0);
	ck_assert_uint_eq(pkt_ipopt_ts(opt, sizeof(opt), PKT_TS_PRESPEC,
	    addrs, 0), 0);
	ck_assert_uint_eq(pkt_ipopt_ts(opt, sizeof(opt), PKT_TS_PRESPEC,
	    addrs, 5), 0);
	ck_assert_uint_eq(pkt_ipopt_ts(opt, 19, PKT_TS_PRESPEC, addrs, 2), 0);
	ck_assert_uint_eq(pkt_ipopt_ts(opt, sizeof(opt), 2, NULL, 0), 0);
	opt[3] = 2;	/* an unknown flag */
	ck_assert_int_eq(pkt_ipopt_get_ts(opt, 20, &ts), 0);
	ck_assert_int_eq(pkt_ipopt_get_ts(NULL, 0, &ts), 0);
}
END_TEST

/* An ICMP timestamp reply carries its three values; a short one none. */
START_TEST(icmp_timestamp_reply)
{
	struct pkt_probe p = probe(AF_INET, IPPROTO_ICMP);
	uint8_t b[64], pay[12] = { 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3 };
	struct pkt_reply r;
	size_t n;

	p.icmp_type = 14;
	p.payload = pay;
	p.paylen = sizeof(pay);
	n = pkt_build(&p, b, sizeof(b));
	ck_assert_uint_eq(n, 40);
	ck_assert_int_eq(pkt_parse(b, n, &r), 0);
	ck_assert_int_eq(r.has_icmp_ts, 1);
	ck_assert_uint_eq(r.icmp_tso, 1);
	ck_assert_uint_eq(r.icmp_tsr, 2);
	ck_assert_uint_eq(r.icmp_tst, 3);
	ck_assert_int_eq(r.icmp_id, 0x8123);
	ck_assert_ptr_eq(r.pkt, b);
	ck_assert_ptr_eq(r.l4, b + 20);
	ck_assert_uint_eq(r.l4len, 20);
	b[3] = 36;	/* total length: only 16 bytes of ICMP */
	ck_assert_int_eq(pkt_parse(b, n, &r), 0);
	ck_assert_int_eq(r.has_icmp_ts, 0);
}
END_TEST

CHECK_MAIN("pkt", "pkt", build_parse_udp4, build_sizes_and_errors,
    sum_is_reference, paris_cksum,
    build_parse_tcp6_frag, parse_te4_quote_and_mpls, parse_icmp6_errors,
    truncation, ipopt_rr, ipopt_ts, icmp_timestamp_reply)
