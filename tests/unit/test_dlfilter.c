/*
 * test_dlfilter.c: the prober's own filter compiler (prober/net/
 * dlf_expr.c) against libpcap's: every expression the prober makes, and
 * some more of the subset, compiled by both for Ethernet and raw IP
 * frames, must accept and refuse the same frames: replies, errors,
 * ARP and neighbour discovery, each also with random bytes changed;
 * and the kernel, running our program on a socket, agrees too.
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
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

#define MAXF	(PKT_MAXLEN + 14)

struct frames {
	uint8_t	 f[64][MAXF];
	size_t	 len[64];
	int	 n;
};

static void
addr(int af, const char *s, uint8_t *a)
{
	memset(a, 0, 16);
	ck_assert_int_eq(inet_pton(af, s, a), 1);
}

/* Add IP packet P (LEN bytes) to FS, in an Ethernet frame or not. */
static void
add_ip(struct frames *fs, int ether, const uint8_t *p, size_t len)
{
	uint8_t *f = fs->f[fs->n];
	size_t h = ether ? 14 : 0;

	ck_assert_int_lt(fs->n, 64);
	if (ether) {
		memset(f, 0x02, 12);
		f[12] = (p[0] >> 4) == 6 ? 0x86 : 0x08;
		f[13] = (p[0] >> 4) == 6 ? 0xdd : 0x00;
	}
	memcpy(f + h, p, len);
	fs->len[fs->n++] = len + h;
}

/* An ICMP packet (TYPE, ID) from SRC to DST quoting Q (QLEN bytes, for
 * an error) or with ID (an echo). */
static size_t
icmp(int af, const char *src, const char *dst, uint8_t type, uint16_t id,
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
	p.icmp_id = id;
	p.icmp_seq = 1;
	p.payload = q;
	p.paylen = qlen;
	p.size = q != NULL ? 0 : af == AF_INET ? 84 : 104;
	return pkt_build(&p, buf, PKT_MAXLEN);
}

/* A UDP probe from SRC to DST. */
static size_t
udp(int af, const char *src, const char *dst, uint8_t *buf)
{
	struct pkt_probe p;

	memset(&p, 0, sizeof(p));
	p.af = af;
	addr(af, src, p.src);
	addr(af, dst, p.dst);
	p.proto = IPPROTO_UDP;
	p.ttl = 3;
	p.sport = 4660;
	p.dport = 33435;
	p.size = af == AF_INET ? 60 : 80;
	return pkt_build(&p, buf, PKT_MAXLEN);
}

/* The frames of both families: echoes with id 4660 and others, errors
 * quoting them (whole and cut), a UDP probe and an error quoting it,
 * an IPv4 packet with options; for Ethernet also an ARP reply and a
 * neighbour advertisement. */
static void
build(struct frames *fs, int ether)
{
	static const char *const a4[] = { "192.0.2.1", "192.0.2.2",
	    "198.51.100.1" };
	static const char *const a6[] = { "2001:db8::1", "2001:db8::2",
	    "2001:db8::99" };
	uint8_t p[PKT_MAXLEN], q[PKT_MAXLEN];
	size_t len, qlen;

	fs->n = 0;
	for (int v = 0; v < 2; v++) {
		int af = v == 0 ? AF_INET : AF_INET6;
		const char *const *a = v == 0 ? a4 : a6;
		uint8_t req = v == 0 ? 8 : 128, rep = v == 0 ? 0 : 129;
		uint8_t e1 = v == 0 ? 11 : 3, e2 = v == 0 ? 3 : 1;

		for (int id = 4659; id <= 4661; id++) {
			len = icmp(af, a[0], a[1], req, (uint16_t)id, NULL, 0, p);
			add_ip(fs, ether, p, len);
			len = icmp(af, a[1], a[0], rep, (uint16_t)id, NULL, 0, p);
			add_ip(fs, ether, p, len);
			qlen = icmp(af, a[0], a[2], req, (uint16_t)id, NULL, 0,
			    q);
			len = icmp(af, a[1], a[0], e1, 0, q, qlen, p);
			add_ip(fs, ether, p, len);
			len = icmp(af, a[2], a[0], e2, 0, q, v == 0 ? 28 : 48,
			    p);
			add_ip(fs, ether, p, len);
		}
		qlen = udp(af, a[0], a[2], q);
		add_ip(fs, ether, q, qlen);
		len = icmp(af, a[1], a[0], e1, 0, q, qlen, p);
		add_ip(fs, ether, p, len);
	}
	/* IPv4 with 4 bytes of options: the ICMP header moves */
	len = icmp(AF_INET, a4[1], a4[0], 0, 4660, NULL, 0, p);
	memmove(p + 24, p + 20, len - 20);
	memset(p + 20, 1, 4);		/* NOPs */
	p[0] = 0x46;
	p[3] = (uint8_t)(p[3] + 4);
	add_ip(fs, ether, p, len + 4);
	if (ether) {
		uint8_t *f = fs->f[fs->n];

		memset(f, 0, 60);
		memset(f, 0x02, 12);
		f[12] = 0x08; f[13] = 0x06; f[15] = 1; f[16] = 0x08;
		f[18] = 6; f[19] = 4; f[21] = 2;
		addr(AF_INET, "192.0.2.7", p);
		memcpy(f + 28, p, 4);
		fs->len[fs->n++] = 60;
		f = fs->f[fs->n];
		memset(f, 0, 14 + 64);
		f[12] = 0x86; f[13] = 0xdd; f[14] = 0x60; f[14 + 5] = 24;
		f[14 + 6] = 58; f[14 + 7] = 255; f[14 + 40] = 136;
		addr(AF_INET6, "2001:db8::7", f + 14 + 48);
		fs->len[fs->n++] = 14 + 64;
	}
}

/* The expressions: the prober's (sniff's, neighbour discovery's, the IP
 * socket's, taps together) and more of the subset. */
static int
exprs(int ether, char out[][1024])
{
	uint8_t a[16];
	char *s, nd[512];
	int n = 0;

	addr(AF_INET, "192.0.2.1", a);
	s = sniff_expr_filter(AF_INET, a, 4660);
	snprintf(out[n++], 1024, "%s", s);
	snprintf(out[n++], 1024, "(%s) or (ip6 and icmp6[0] == 136)", s);
	free(s);
	addr(AF_INET6, "2001:db8::1", a);
	s = sniff_expr_filter(AF_INET6, a, 4660);
	snprintf(out[n++], 1024, "%s", s);
	free(s);
	if (ether) {
		addr(AF_INET, "192.0.2.7", a);
		ck_assert_int_eq(pkt_nd_filter(AF_INET, a, nd, sizeof(nd)), 0);
		snprintf(out[n++], 1024, "%s", nd);
		addr(AF_INET6, "2001:db8::7", a);
		ck_assert_int_eq(pkt_nd_filter(AF_INET6, a, nd, sizeof(nd)), 0);
		snprintf(out[n++], 1024, "%s", nd);
		snprintf(out[n++], 1024, "(%s) or (arp)", nd);
	}
	snprintf(out[n++], 1024, "(ip or ip6)");
	snprintf(out[n++], 1024, "%s", "");
	snprintf(out[n++], 1024, "ip host 192.0.2.2 or host 2001:db8::99");
	snprintf(out[n++], 1024, "not icmp and not (icmp6)");
	snprintf(out[n++], 1024, "icmp[0] != 8 && icmp[0] <= 11 || "
	    "icmp6[0] > 128");
	snprintf(out[n++], 1024, "ip[2:2] - 20 >= 64 and ip[9] * 2 / 2 == 1 "
	    "and (ip[0] & 0xf | 0x10) >> 1 == 10");
	snprintf(out[n++], 1024, "ip6[4:2] < 60 and ip6[6] = 58");
	snprintf(out[n++], 1024, "ip[9] == 021 or ip[9] == 0x3a - 0");
	return n;
}

/* The kernel takes F (of EXPR) on a socket and lets through the frames
 * of FS that F accepts, and no others. */
static void
kernel(const struct dlfilter *f, const char *expr, const struct frames *fs)
{
	uint8_t buf[MAXF];
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	ck_assert_msg(dlfilter_attach(sv[1], f) == 0, "'%s': the kernel "
	    "refuses it", expr);
	for (int i = 0; i < fs->n; i++) {
		ssize_t want = dlfilter_match(f, fs->f[i], fs->len[i],
		    fs->len[i]) ? (ssize_t)fs->len[i] : -1;

		ck_assert_int_eq(send(sv[0], fs->f[i], fs->len[i], 0),
		    (ssize_t)fs->len[i]);
		ck_assert_msg(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT) ==
		    want, "'%s': frame %d: the kernel disagrees", expr, i);
	}
	close(sv[0]);
	close(sv[1]);
}

/* Both compilers accept or refuse EXPR; where they accept, they agree
 * on every frame of FS and on VARIANTS - 1 copies of each with a few
 * random bytes changed. */
static void
compare(const char *expr, int ether, const struct frames *fs, int variants,
    unsigned *seed)
{
	struct pcap_pkthdr h;
	struct bpf_program bp;
	struct dlfilter *f;
	char err[256];
	uint8_t m[MAXF];
	pcap_t *p;
	int pc;

	p = pcap_open_dead(ether ? DLT_EN10MB : DLT_RAW, DLFILTER_SNAPLEN);
	ck_assert_ptr_nonnull(p);
	pc = pcap_compile(p, &bp, expr, 1, PCAP_NETMASK_UNKNOWN);
	/* its optimiser refuses what can match nothing: unoptimised then */
	if (pc != 0 && strstr(pcap_geterr(p), "rejects all") != NULL)
		pc = pcap_compile(p, &bp, expr, 0, PCAP_NETMASK_UNKNOWN);
	f = dlfilter_compile(ether ? NEIGH_LINK_ETHER : NEIGH_LINK_RAWIP,
	    expr, err, sizeof(err));
	ck_assert_msg((pc == 0) == (f != NULL), "'%s' (%s): libpcap %s, "
	    "ours %s", expr, ether ? "ether" : "raw", pc == 0 ? "compiles" :
	    pcap_geterr(p), f != NULL ? "compiles" : err);
	pcap_close(p);
	if (f == NULL)
		return;
	for (int i = 0; i < fs->n; i++)
		for (int k = 0; k < variants; k++) {
			memcpy(m, fs->f[i], fs->len[i]);
			/* the first as built, then 1 to 3 bytes changed */
			for (int j = 0; k > 0 && j <= k % 3; j++)
				m[(unsigned)rand_r(seed) % fs->len[i]] =
				    (uint8_t)rand_r(seed);
			memset(&h, 0, sizeof(h));
			h.caplen = h.len = (bpf_u_int32)fs->len[i];
			ck_assert_msg((pcap_offline_filter(&bp, &h, m) != 0) ==
			    dlfilter_match(f, m, fs->len[i], fs->len[i]),
			    "'%s' (%s), frame %d, variant %d: libpcap %s", expr,
			    ether ? "ether" : "raw", i, k,
			    pcap_offline_filter(&bp, &h, m) ? "accepts" :
			    "refuses");
		}
	pcap_freecode(&bp);
	kernel(f, expr, fs);
	dlfilter_free(f);
}

START_TEST(versus_libpcap)
{
	static struct frames fs;
	static char e[32][1024];
	unsigned seed = 7;

	for (int ether = 0; ether < 2; ether++) {
		int n = exprs(ether, e);

		build(&fs, ether);
		for (int i = 0; i < n; i++)
			compare(e[i], ether, &fs, 200, &seed);
	}
}
END_TEST

/* Random expressions from the subset's words (6,000; about 200 are
 * expressions): ours never crashes, and
 * what it compiles libpcap compiles too and judges alike. */
START_TEST(random_exprs)
{
	static const char *const w[] = { "ip", "ip6", "icmp", "icmp6",
	    "arp", "host 192.0.2.1", "ip6 host 2001:db8::1", "and", "or",
	    "not", "(", ")", "icmp[0]", "ip[9]", "icmp6[4:2]", "ip[2:2]",
	    "==", "!=", ">", "<=", "+", "&", "<<", "1", "8", "0x1f", "[",
	    "]", ":", "icmp[", "ether[12:2]" };
	static struct frames fs;
	char e[256], err[256];
	unsigned seed = 11, cseed = 3;
	struct dlfilter *f;
	int compiled = 0;

	for (int ether = 0; ether < 2; ether++) {
		build(&fs, ether);
		for (int i = 0; i < 3000; i++) {
			int n = 1 + rand_r(&seed) % 7;

			e[0] = '\0';
			for (int k = 0; k < n; k++)
				snprintf(e + strlen(e), sizeof(e) - strlen(e),
				    "%s%s", k > 0 ? " " : "", w[(unsigned)
				    rand_r(&seed) % (sizeof(w) / sizeof(w[0]))]);
			f = dlfilter_compile(ether ? NEIGH_LINK_ETHER :
			    NEIGH_LINK_RAWIP, e, err, sizeof(err));
			if (f == NULL)
				continue;
			dlfilter_free(f);
			compare(e, ether, &fs, 20, &cseed);
			compiled++;
		}
	}
	printf("random_exprs: %d of 6000 compiled\n", compiled);
	ck_assert_int_gt(compiled, 100);
}
END_TEST

/* What the compiler refuses, and how it says so. */
START_TEST(errors)
{
	static const struct {
		const char	*expr;
		const char	*why;
	} c[] = {
		{ "ip and (", "syntax error" },
		{ "tcp port 80", "'tcp' is not a primitive" },
		{ "icmp[0] ==", "syntax error" },
		{ "icmp[0:3] == 1", "size must be 1, 2 or 4" },
		{ "ip host 2001:db8::1", "an IPv6 address for 'ip host'" },
		{ "host example", "expected an IPv4 or IPv6 address" },
		{ "ip ip", "unexpected 'i' at character 4" },
		{ "icmp[((((((((((((((((((0))))))))))))))))))] == 0", NULL },
		{ "icmp[1+(1+(1+(1+(1+(1+(1+(1+(1+(1+(1+(1+(1+(1+(1+(1+(1+1)"
		    "))))))))))))))))] == 0", "nested too deeply" },
	};
	char err[256];
	struct dlfilter *f;

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		err[0] = '\0';
		f = dlfilter_compile(NEIGH_LINK_ETHER, c[i].expr, err,
		    sizeof(err));
		if (c[i].why == NULL) {
			ck_assert_msg(f != NULL, "'%s': %s", c[i].expr, err);
			dlfilter_free(f);
			continue;
		}
		ck_assert_msg(f == NULL, "'%s' compiled", c[i].expr);
		ck_assert_msg(strstr(err, c[i].why) != NULL, "'%s': %s",
		    c[i].expr, err);
	}
	ck_assert_ptr_null(dlfilter_compile(NEIGH_LINK_RAWIP, "arp", err,
	    sizeof(err)));
	ck_assert_msg(strstr(err, "raw IP") != NULL, "%s", err);
}
END_TEST

CHECK_MAIN("dlfilter", "dlfilter", versus_libpcap, random_exprs, errors)
