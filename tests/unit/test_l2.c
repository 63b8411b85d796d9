/*
 * test_l2.c: the layer-2 pure code: ARP and neighbour discovery frames
 * (pkt_nd), filters compiled by libpcap (dlfilter) run in the prober and
 * in the kernel (attached to a datagram socket pair, which runs socket
 * filters as a datalink socket does), and sniff's expression and the
 * filter it stands for.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dlfilter.h"
#include "pkt.h"
#include "pkt_nd.h"
#include "sniff_int.h"
#include "../lib/check_table.h"

static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0x0b };

static void
addr(int af, const char *s, uint8_t *a)
{
	memset(a, 0, 16);
	ck_assert_int_eq(inet_pton(af, s, a), 1);
}

static uint16_t
g16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* The ICMPv6 checksum over IP packet IP (header + message) is right. */
static int
icmp6_ok(const uint8_t *ip)
{
	uint8_t ph[8] = { 0 };
	size_t plen = g16(ip + 4);
	uint32_t s;

	ph[2] = (uint8_t)(plen >> 8);
	ph[3] = (uint8_t)plen;
	ph[7] = IPPROTO_ICMPV6;
	s = pkt_sum(ip + 8, 32, 0);
	s = pkt_sum(ph, 8, s);
	return pkt_cksum_fin(pkt_sum(ip + 40, plen, s)) == 0;
}

/* An ARP reply from SHA/SPA to THA/TPA. */
static size_t
arp_reply(uint8_t *f, const uint8_t *sha, const char *spa,
    const uint8_t *tha, const char *tpa)
{
	uint8_t a[16];

	memset(f, 0, 60);
	memcpy(f, tha, 6);
	memcpy(f + 6, sha, 6);
	f[12] = 0x08;
	f[13] = 0x06;
	f[15] = 1;
	f[16] = 0x08;
	f[18] = 6;
	f[19] = 4;
	f[21] = 2;
	memcpy(f + 22, sha, 6);
	addr(AF_INET, spa, a);
	memcpy(f + 28, a, 4);
	memcpy(f + 32, tha, 6);
	addr(AF_INET, tpa, a);
	memcpy(f + 38, a, 4);
	return 60;			/* padded, as on the wire */
}

/* A neighbour advertisement for TARGET from SRCMAC, with a target
 * link-layer option holding OPTMAC (NULL: none). */
static size_t
na(uint8_t *f, const uint8_t *srcmac, const char *target,
    const uint8_t *optmac)
{
	uint8_t t[16], d[16];
	uint8_t *ip = f + 14, *m = ip + 40;
	size_t mlen = optmac != NULL ? 32 : 24;
	uint8_t ph[8] = { 0 };
	uint32_t s;

	memset(f, 0, 14 + 40 + 32);
	memcpy(f, mac_a, 6);
	memcpy(f + 6, srcmac, 6);
	f[12] = 0x86;
	f[13] = 0xdd;
	ip[0] = 0x60;
	ip[5] = (uint8_t)mlen;
	ip[6] = IPPROTO_ICMPV6;
	ip[7] = 255;
	addr(AF_INET6, target, t);
	addr(AF_INET6, "2001:db8::1", d);
	memcpy(ip + 8, t, 16);
	memcpy(ip + 24, d, 16);
	m[0] = 136;
	m[4] = 0x60;
	memcpy(m + 8, t, 16);
	if (optmac != NULL) {
		m[24] = 2;
		m[25] = 1;
		memcpy(m + 26, optmac, 6);
	}
	ph[3] = (uint8_t)mlen;
	ph[7] = IPPROTO_ICMPV6;
	s = pkt_sum(ip + 8, 32, 0);
	s = pkt_sum(ph, 8, s);
	s = pkt_sum(m, mlen, s);
	m[2] = (uint8_t)(pkt_cksum_fin(s) >> 8);
	m[3] = (uint8_t)pkt_cksum_fin(s);
	return 14 + 40 + mlen;
}

START_TEST(arp_request)
{
	uint8_t f[PKT_ND_MAXLEN], src[16], dst[16];
	size_t len;

	addr(AF_INET, "192.0.2.1", src);
	addr(AF_INET, "192.0.2.7", dst);
	len = pkt_nd_request(AF_INET, mac_a, src, dst, f, sizeof(f));
	ck_assert_uint_eq(len, 42);
	ck_assert(memcmp(f, "\xff\xff\xff\xff\xff\xff", 6) == 0);
	ck_assert(memcmp(f + 6, mac_a, 6) == 0);
	ck_assert_uint_eq(g16(f + 12), 0x0806);
	ck_assert_uint_eq(g16(f + 14), 1);
	ck_assert_uint_eq(g16(f + 16), 0x0800);
	ck_assert_uint_eq(g16(f + 20), 1);	/* request */
	ck_assert(memcmp(f + 22, mac_a, 6) == 0);
	ck_assert(memcmp(f + 28, src, 4) == 0);
	ck_assert(memcmp(f + 38, dst, 4) == 0);
	ck_assert_uint_eq(pkt_nd_request(AF_INET, mac_a, src, dst, f, 41), 0);
}
END_TEST

START_TEST(ns_request)
{
	uint8_t f[PKT_ND_MAXLEN], src[16], dst[16];
	size_t len;

	addr(AF_INET6, "2001:db8:10::1", src);
	addr(AF_INET6, "2001:db8:10::12:3456", dst);
	len = pkt_nd_request(AF_INET6, mac_a, src, dst, f, sizeof(f));
	ck_assert_uint_eq(len, 86);
	/* the solicited-node group, at layer 2 and 3 */
	ck_assert(memcmp(f, "\x33\x33\xff\x12\x34\x56", 6) == 0);
	ck_assert_uint_eq(g16(f + 12), 0x86dd);
	ck_assert(memcmp(f + 14 + 24, "\xff\x02\0\0\0\0\0\0\0\0\0\x01\xff\x12"
	    "\x34\x56", 16) == 0);
	ck_assert_uint_eq(f[14 + 7], 255);
	ck_assert_uint_eq(f[14 + 40], 135);
	ck_assert(memcmp(f + 14 + 48, dst, 16) == 0);
	ck_assert_uint_eq(f[14 + 64], 1);	/* source link-layer option */
	ck_assert(memcmp(f + 14 + 66, mac_a, 6) == 0);
	ck_assert(icmp6_ok(f + 14));
}
END_TEST

START_TEST(replies)
{
	uint8_t f[128], t[16], mac[6];
	size_t len;

	addr(AF_INET, "192.0.2.7", t);
	len = arp_reply(f, mac_b, "192.0.2.7", mac_a, "192.0.2.1");
	ck_assert_int_eq(pkt_nd_reply(AF_INET, f, len, 14, t, mac), 1);
	ck_assert(memcmp(mac, mac_b, 6) == 0);
	/* another sender, a request, IPv6, no link header, short frames */
	addr(AF_INET, "192.0.2.8", t);
	ck_assert_int_eq(pkt_nd_reply(AF_INET, f, len, 14, t, mac), 0);
	addr(AF_INET, "192.0.2.7", t);
	f[21] = 1;
	ck_assert_int_eq(pkt_nd_reply(AF_INET, f, len, 14, t, mac), 0);
	f[21] = 2;
	ck_assert_int_eq(pkt_nd_reply(AF_INET6, f, len, 14, t, mac), 0);
	ck_assert_int_eq(pkt_nd_reply(AF_INET, f, len, 0, t, mac), 0);
	for (size_t n = 0; n < 42; n++)
		ck_assert_int_eq(pkt_nd_reply(AF_INET, f, n, 14, t, mac), 0);

	addr(AF_INET6, "2001:db8::7", t);
	len = na(f, mac_b, "2001:db8::7", mac_a);
	ck_assert_int_eq(pkt_nd_reply(AF_INET6, f, len, 14, t, mac), 1);
	ck_assert(memcmp(mac, mac_a, 6) == 0);	/* the option's */
	len = na(f, mac_b, "2001:db8::7", NULL);
	ck_assert_int_eq(pkt_nd_reply(AF_INET6, f, len, 14, t, mac), 1);
	ck_assert(memcmp(mac, mac_b, 6) == 0);	/* the frame's source */
	for (size_t n = 0; n < len; n++)
		ck_assert_int_eq(pkt_nd_reply(AF_INET6, f, n, 14, t, mac), 0);
	f[14 + 40 + 2] ^= 1;			/* bad checksum */
	ck_assert_int_eq(pkt_nd_reply(AF_INET6, f, len, 14, t, mac), 0);
	f[14 + 40 + 2] ^= 1;
	f[14 + 7] = 64;				/* forwarded: not 255 */
	ck_assert_int_eq(pkt_nd_reply(AF_INET6, f, len, 14, t, mac), 0);
	f[14 + 7] = 255;
	addr(AF_INET6, "2001:db8::8", t);
	ck_assert_int_eq(pkt_nd_reply(AF_INET6, f, len, 14, t, mac), 0);
}
END_TEST

/* The reply filter selects what pkt_nd_reply accepts, and the kernel
 * runs it as libpcap does. */
START_TEST(nd_filter)
{
	uint8_t f[128], t[16];
	char expr[512], err[256];
	struct dlfilter *flt;
	size_t len;

	addr(AF_INET, "192.0.2.7", t);
	ck_assert_int_eq(pkt_nd_filter(AF_INET, t, expr, sizeof(expr)), 0);
	flt = dlfilter_compile(NEIGH_LINK_ETHER, expr, err, sizeof(err));
	ck_assert_msg(flt != NULL, "%s: %s", expr, err);
	len = arp_reply(f, mac_b, "192.0.2.7", mac_a, "192.0.2.1");
	ck_assert(dlfilter_match(flt, f, len, len));
	len = arp_reply(f, mac_b, "192.0.2.8", mac_a, "192.0.2.1");
	ck_assert(!dlfilter_match(flt, f, len, len));
	dlfilter_free(flt);

	addr(AF_INET6, "2001:db8::7", t);
	ck_assert_int_eq(pkt_nd_filter(AF_INET6, t, expr, sizeof(expr)), 0);
	flt = dlfilter_compile(NEIGH_LINK_ETHER, expr, err, sizeof(err));
	ck_assert_msg(flt != NULL, "%s: %s", expr, err);
	len = na(f, mac_b, "2001:db8::7", mac_a);
	ck_assert(dlfilter_match(flt, f, len, len));
	len = na(f, mac_b, "2001:db8::8", mac_a);
	ck_assert(!dlfilter_match(flt, f, len, len));
	ck_assert_int_eq(pkt_nd_filter(AF_INET6, t, expr, 40), -1);
	dlfilter_free(flt);
}
END_TEST

START_TEST(compile_errors)
{
	char err[256];

	ck_assert_ptr_null(dlfilter_compile(NEIGH_LINK_ETHER, "ip and (",
	    err, sizeof(err)));
	ck_assert_msg(strstr(err, "syntax error") != NULL, "%s", err);
	ck_assert_ptr_null(dlfilter_compile(NEIGH_LINK_RAWIP, "arp", err,
	    sizeof(err)));
	ck_assert_ptr_null(dlfilter_compile(NEIGH_LINK_OTHER, "ip", err,
	    sizeof(err)));
	ck_assert_msg(strstr(err, "link type") != NULL, "%s", err);
}
END_TEST

/* A filter attached to a datagram socket lets through exactly what
 * libpcap's interpreter accepts; NULL lets nothing through. */
START_TEST(attach)
{
	uint8_t f[128], buf[128];
	char err[256];
	struct dlfilter *flt;
	int sv[2];
	size_t len;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	flt = dlfilter_compile(NEIGH_LINK_ETHER, "arp", err, sizeof(err));
	ck_assert_ptr_nonnull(flt);
	ck_assert_int_gt((int)dlfilter_len(flt), 1);
	ck_assert_int_eq(dlfilter_attach(sv[1], flt), 0);
	len = arp_reply(f, mac_b, "192.0.2.7", mac_a, "192.0.2.1");
	ck_assert_int_eq(send(sv[0], f, len, 0), (ssize_t)len);
	f[13] = 0;				/* ethertype 0x0800 */
	ck_assert_int_eq(send(sv[0], f, len, 0), (ssize_t)len);
	ck_assert_int_eq(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT),
	    (ssize_t)len);
	ck_assert_uint_eq(buf[13], 0x06);
	ck_assert_int_eq(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), -1);
	ck_assert_int_eq(dlfilter_attach(sv[1], NULL), 0);
	f[13] = 6;
	ck_assert_int_eq(send(sv[0], f, len, 0), (ssize_t)len);
	ck_assert_int_eq(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), -1);
	dlfilter_free(flt);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

START_TEST(sniff_parse)
{
	static const struct {
		const char	*words;
		int		 ok;
		uint16_t	 id;
	} c[] = {
		{ "icmp[icmpid] == 4660", 1, 4660 },
		{ "icmp[icmpid]==4660", 1, 4660 },
		{ "icmp[icmpid] ==0x1234", 1, 0x1234 },
		{ "icmp[icmpid] == 0", 1, 0 },
		{ "icmp[icmpid] == 65535", 1, 65535 },
		{ "icmp[icmpid] == 65536", 0, 0 },
		{ "icmp[icmpid] == -1", 0, 0 },
		{ "icmp[icmpid] == ", 0, 0 },
		{ "icmp[icmpid] = 5", 0, 0 },
		{ "tcp port 80", 0, 0 },
		{ "icmp[icmpid] == 5 and ip", 0, 0 },
	};
	char buf[128], *argv[8], *save, err[256];
	uint16_t id;
	int argc;

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		snprintf(buf, sizeof(buf), "%s", c[i].words);
		argc = 0;
		for (char *w = strtok_r(buf, " ", &save); w != NULL;
		    w = strtok_r(NULL, " ", &save))
			argv[argc++] = w;
		id = 1;
		ck_assert_msg(sniff_expr_parse(argc, argv, &id, err,
		    sizeof(err)) == (c[i].ok ? 0 : -1), "'%s'", c[i].words);
		if (c[i].ok)
			ck_assert_uint_eq(id, c[i].id);
		else
			ck_assert_msg(strstr(err, "icmp[icmpid] == X") != NULL,
			    "'%s': %s", c[i].words, err);
	}
	ck_assert_int_eq(sniff_expr_parse(0, argv, &id, err, sizeof(err)), -1);
}
END_TEST

/* An Ethernet frame holding IP packet P (LEN bytes). */
static size_t
frame(uint8_t *f, const uint8_t *p, size_t len)
{
	memcpy(f, mac_a, 6);
	memcpy(f + 6, mac_b, 6);
	f[12] = (p[0] >> 4) == 6 ? 0x86 : 0x08;
	f[13] = (p[0] >> 4) == 6 ? 0xdd : 0x00;
	memcpy(f + 14, p, len);
	return len + 14;
}

/* An ICMP echo (TYPE, ID) from SRC to DST, built by pkt_build. */
static size_t
echo(int af, const char *src, const char *dst, uint8_t type, uint16_t id,
    uint8_t *buf)
{
	struct pkt_probe p;

	memset(&p, 0, sizeof(p));
	p.af = af;
	addr(af, src, p.src);
	addr(af, dst, p.dst);
	p.proto = af == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	p.ttl = 64;
	p.icmp_type = type;
	p.icmp_id = id;
	p.icmp_seq = 1;
	p.size = af == AF_INET ? 84 : 104;
	return pkt_build(&p, buf, PKT_MAXLEN);
}

/* An ICMP error (TYPE) from SRC to DST quoting packet Q. */
static size_t
error(int af, const char *src, const char *dst, uint8_t type,
    const uint8_t *q, size_t qlen, uint8_t *buf)
{
	struct pkt_probe p;

	memset(&p, 0, sizeof(p));
	p.af = af;
	addr(af, src, p.src);
	addr(af, dst, p.dst);
	p.proto = af == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	p.ttl = 64;
	p.icmp_type = type;
	p.payload = q;
	p.paylen = qlen;
	return pkt_build(&p, buf, PKT_MAXLEN);
}

static int
sniffs(struct dlfilter *flt, const uint8_t *p, size_t len)
{
	uint8_t f[PKT_MAXLEN + 14];
	size_t n = frame(f, p, len);

	return dlfilter_match(flt, f, n, n);
}

START_TEST(sniff_filter)
{
	static const struct {
		int		 af;
		const char	*us, *them, *other;
		uint8_t		 req, rep, err1, err2;
	} fam[] = {
		{ AF_INET, "192.0.2.1", "192.0.2.2", "198.51.100.1", 8, 0, 3,
		    11 },
		{ AF_INET6, "2001:db8::1", "2001:db8::2", "2001:db8::99", 128,
		    129, 1, 3 },
	};
	uint8_t a[16], p[PKT_MAXLEN], q[PKT_MAXLEN];
	char err[256], *expr;
	struct dlfilter *flt;
	size_t len, qlen;

	for (size_t i = 0; i < 2; i++) {
		int af = fam[i].af;

		addr(af, fam[i].us, a);
		ck_assert_ptr_nonnull(expr = sniff_expr_filter(af, a, 4660));
		flt = dlfilter_compile(NEIGH_LINK_ETHER, expr, err,
		    sizeof(err));
		ck_assert_msg(flt != NULL, "%s: %s", expr, err);
		/* echo requests and replies with the id, both ways */
		len = echo(af, fam[i].us, fam[i].them, fam[i].req, 4660, p);
		ck_assert(sniffs(flt, p, len));
		len = echo(af, fam[i].them, fam[i].us, fam[i].rep, 4660, p);
		ck_assert(sniffs(flt, p, len));
		len = echo(af, fam[i].them, fam[i].us, fam[i].req, 4660, p);
		ck_assert(sniffs(flt, p, len));
		/* not another id, nor another host's */
		len = echo(af, fam[i].us, fam[i].them, fam[i].req, 4661, p);
		ck_assert(!sniffs(flt, p, len));
		len = echo(af, fam[i].other, fam[i].them, fam[i].req, 4660, p);
		ck_assert(!sniffs(flt, p, len));
		/* errors quoting our echo, not one quoting another id */
		qlen = echo(af, fam[i].us, fam[i].other, fam[i].req, 4660, q);
		len = error(af, fam[i].them, fam[i].us, fam[i].err1, q, qlen,
		    p);
		ck_assert(sniffs(flt, p, len));
		len = error(af, fam[i].them, fam[i].us, fam[i].err2, q, 28 +
		    (af == AF_INET6 ? 20 : 0), p);
		ck_assert(sniffs(flt, p, len));
		qlen = echo(af, fam[i].us, fam[i].other, fam[i].req, 4661, q);
		len = error(af, fam[i].them, fam[i].us, fam[i].err1, q, qlen,
		    p);
		ck_assert(!sniffs(flt, p, len));
		dlfilter_free(flt);
		free(expr);
	}
}
END_TEST

CHECK_MAIN("l2", "l2", arp_request, ns_request, replies, nd_filter,
    compile_errors, attach, sniff_parse, sniff_filter)
