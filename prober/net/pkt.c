/*
 * pkt.c: probe packet builder and reply parser (see pkt.h).
 */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "pkt.h"
#include "wire.h"

#define IP4_HLEN	20
#define IP6_HLEN	40
#define FRAG6_HLEN	8

/* ---- checksums ----------------------------------------------------- */

/* Add the LEN (even) bytes at P to S as words in the host's order: the
 * one's-complement sum is the same in either order once swapped (RFC
 * 1071 2(B)), and a 64-bit accumulator takes 4 bytes an add. */
static inline uint64_t
add_words(const uint8_t *p, size_t len, uint64_t s)
{
	uint32_t w;
	uint16_t h;

	for (; len >= 4; p += 4, len -= 4) {
		memcpy(&w, p, 4);
		s += w;
	}
	if (len >= 2) {
		memcpy(&h, p, 2);
		s += h;
	}
	return s;
}

/* S (add_words') folded to 16 bits, in network order. */
static inline uint32_t
net_sum(uint64_t s)
{
	uint16_t h;
	uint8_t b[2];

	s = (s & 0xffffffffu) + (s >> 32);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	h = (uint16_t)s;
	memcpy(b, &h, 2);
	return ((uint32_t)b[0] << 8) | b[1];
}

uint32_t
pkt_sum(const void *vp, size_t len, uint32_t sum)
{
	const uint8_t *p = vp;

	sum += net_sum(add_words(p, len & ~(size_t)1, 0));
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	if (sum & 0x80000000u)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

static uint16_t
fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

uint16_t
pkt_cksum_fin(uint32_t sum)
{
	return (uint16_t)~fold(sum);
}

/* Sum of the pseudo-header for an upper-layer checksum. */
static uint32_t
pseudo_sum(const struct pkt_probe *p, size_t l4len)
{
	size_t alen = p->af == AF_INET ? 4 : 16;
	uint32_t sum = net_sum(add_words(p->dst, alen, add_words(p->src,
	    alen, 0)));

	/* (an IPv6 upper-layer length is 32 bits, IPv4's 16: both fit) */
	return sum + (uint32_t)(l4len >> 16) + (uint32_t)(l4len & 0xffff) +
	    p->proto;
}

/* ---- building ------------------------------------------------------ */

static size_t
iphdr_len(const struct pkt_probe *p)
{
	if (p->af == AF_INET)
		return IP4_HLEN + p->ipoptlen;
	return IP6_HLEN + (p->fragoff != 0 ? FRAG6_HLEN : 0);
}

static size_t
l4hdr_len(const struct pkt_probe *p)
{
	switch (p->proto) {
	case IPPROTO_TCP:
		return 20 + p->tcpoptlen;
	case IPPROTO_UDP:
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		return 8;
	}
	return 0;
}

size_t
pkt_l4off(const struct pkt_probe *p)
{
	return iphdr_len(p);
}

static int
probe_valid(const struct pkt_probe *p)
{
	if (p->af == AF_INET) {
		if (p->proto == IPPROTO_ICMPV6 || (p->ipoptlen % 4) != 0 ||
		    p->ipoptlen > 40 || p->fragoff != 0)
			return 0;
	} else if (p->af == AF_INET6) {
		if (p->proto == IPPROTO_ICMP || p->ipoptlen != 0 ||
		    p->fragoff > 8191)
			return 0;
	} else
		return 0;
	if (l4hdr_len(p) == 0)
		return 0;
	if (p->proto == IPPROTO_TCP && ((p->tcpoptlen % 4) != 0 ||
	    p->tcpoptlen > 40 || (p->tcpoptlen > 0 && p->tcpopts == NULL)))
		return 0;
	if (p->fix_cksum && (p->proto == IPPROTO_TCP || p->paylen < 2))
		return 0;
	return 1;
}

static void
build_ip4(const struct pkt_probe *p, uint8_t *b, size_t total)
{
	size_t hl = IP4_HLEN + p->ipoptlen;

	b[0] = (uint8_t)(0x40 | (hl / 4));
	b[1] = p->tos;
	wire_set_be16(b + 2, (uint16_t)total);
	wire_set_be16(b + 4, p->ipid);
	wire_set_be16(b + 6, p->df ? 0x4000 : 0);
	b[8] = p->ttl;
	b[9] = p->proto;
	wire_set_be16(b + 10, 0);
	memcpy(b + 12, p->src, 4);
	memcpy(b + 16, p->dst, 4);
	if (p->ipoptlen > 0)
		memcpy(b + IP4_HLEN, p->ipopts, p->ipoptlen);
	wire_set_be16(b + 10, pkt_cksum_fin(pkt_sum(b, hl, 0)));
}

static void
build_ip6(const struct pkt_probe *p, uint8_t *b, size_t total)
{
	wire_set_be32(b, (6u << 28) | ((uint32_t)p->tos << 20) |
	    (p->flowlabel & 0xfffff));
	wire_set_be16(b + 4, (uint16_t)(total - IP6_HLEN));
	b[6] = p->fragoff != 0 ? 44 : p->proto;
	b[7] = p->ttl;
	memcpy(b + 8, p->src, 16);
	memcpy(b + 24, p->dst, 16);
	if (p->fragoff != 0) {
		uint8_t *f = b + IP6_HLEN;
		f[0] = p->proto;
		f[1] = 0;
		wire_set_be16(f + 2, (uint16_t)(p->fragoff << 3));
		wire_set_be32(f + 4, p->fragid);
	}
}

/* Write the L4 header (checksum zero) at L; LEN covers header+data. */
static void
build_l4(const struct pkt_probe *p, uint8_t *l, size_t len)
{
	switch (p->proto) {
	case IPPROTO_UDP:
		wire_set_be16(l, p->sport);
		wire_set_be16(l + 2, p->dport);
		wire_set_be16(l + 4, (uint16_t)len);
		wire_set_be16(l + 6, 0);
		break;
	case IPPROTO_TCP:
		wire_set_be16(l, p->sport);
		wire_set_be16(l + 2, p->dport);
		wire_set_be32(l + 4, p->tcp_seq);
		wire_set_be32(l + 8, p->tcp_ack);
		l[12] = (uint8_t)((5 + p->tcpoptlen / 4) << 4);
		l[13] = p->tcp_flags;
		wire_set_be16(l + 14, p->tcp_win);
		wire_set_be16(l + 16, 0);
		wire_set_be16(l + 18, 0);
		if (p->tcpoptlen > 0)
			memcpy(l + 20, p->tcpopts, p->tcpoptlen);
		break;
	default:
		l[0] = p->icmp_type;
		l[1] = p->icmp_code;
		wire_set_be16(l + 2, 0);
		wire_set_be16(l + 4, p->icmp_id);
		wire_set_be16(l + 6, p->icmp_seq);
		break;
	}
}

static size_t
cksum_off(const struct pkt_probe *p)
{
	return p->proto == IPPROTO_UDP ? 6 : p->proto == IPPROTO_TCP ? 16 : 2;
}

size_t
pkt_build(const struct pkt_probe *p, uint8_t *buf, size_t cap)
{
	size_t hl, l4h, need, total, l4len;
	uint8_t *l4;
	uint32_t sum;
	uint16_t ck;

	if (!probe_valid(p))
		return 0;
	hl = iphdr_len(p);
	l4h = l4hdr_len(p);
	need = hl + l4h + p->paylen;
	total = p->size != 0 ? p->size : need;
	if (total < need || total > PKT_MAXLEN || total > cap)
		return 0;
	memset(buf, 0, total);
	l4 = buf + hl;
	l4len = total - hl;
	build_l4(p, l4, l4len);
	if (p->paylen > 0)
		memcpy(l4 + l4h, p->payload, p->paylen);
	sum = (p->proto == IPPROTO_ICMP) ? 0 : pseudo_sum(p, l4len);
	if (p->fix_cksum)
		wire_set_be16(l4 + l4h, 0);
	sum = pkt_sum(l4, l4len, sum);
	if (p->fix_cksum) {
		/* choose payload word x so that ~(S + x) == cksum, S the sum
		 * with x zero; S + x is then the sum with x in place */
		uint16_t x = fold((uint32_t)(uint16_t)~p->cksum +
		    (uint16_t)~fold(sum));

		wire_set_be16(l4 + l4h, x);
		sum = fold(sum) + (uint32_t)x;
	}
	ck = pkt_cksum_fin(sum);
	if (ck == 0 && p->proto == IPPROTO_UDP)
		ck = 0xffff;	/* zero means "no checksum" in UDP */
	wire_set_be16(l4 + cksum_off(p), ck);
	if (p->af == AF_INET)
		build_ip4(p, buf, total);
	else
		build_ip6(p, buf, total);
	return total;
}

/* ---- parsing ------------------------------------------------------- */

static int parse_l4(struct pkt_reply *r, const uint8_t *l, size_t len);

void
pkt_quote_l4(struct pkt_quote *q, const uint8_t *l, size_t len)
{
	q->l4len = len;
	if (q->proto == IPPROTO_UDP || q->proto == IPPROTO_TCP) {
		if (len >= 4) {
			q->sport = wire_be16(l);
			q->dport = wire_be16(l + 2);
		}
		if (q->proto == IPPROTO_UDP && len >= 8)
			q->l4cksum = wire_be16(l + 6);
		if (q->proto == IPPROTO_TCP && len >= 8)
			q->tcp_seq = wire_be32(l + 4);
	} else if (q->proto == IPPROTO_ICMP || q->proto == IPPROTO_ICMPV6) {
		if (len >= 4) {
			q->icmp_type = l[0];
			q->l4cksum = wire_be16(l + 2);
		}
		if (len >= 8) {
			q->icmp_id = wire_be16(l + 4);
			q->icmp_seq = wire_be16(l + 6);
		}
	}
}

static int
parse_quote4(struct pkt_quote *q, const uint8_t *b, size_t len)
{
	size_t hl;

	if (len < IP4_HLEN || (b[0] >> 4) != 4)
		return -1;
	hl = (size_t)(b[0] & 0xf) * 4;
	if (hl < IP4_HLEN || hl > len)
		return -1;
	q->af = AF_INET;
	if (hl > IP4_HLEN) {
		q->ipopts = b + IP4_HLEN;
		q->ipoptlen = hl - IP4_HLEN;
	}
	q->tos = b[1];
	q->len = wire_be16(b + 2);
	q->ipid = wire_be16(b + 4);
	q->ttl = b[8];
	q->proto = b[9];
	memcpy(q->src, b + 12, 4);
	memcpy(q->dst, b + 16, 4);
	if ((wire_be16(b + 6) & 0x1fff) == 0)
		pkt_quote_l4(q, b + hl, len - hl);
	return 0;
}

/* Skip IPv6 extension headers from NH at B; on return *OFF is the upper
 * layer's offset and *NH its protocol.  Returns 0, or -1 if truncated;
 * 1 if a non-first fragment hides the upper layer. */
static int
skip_ext6(const uint8_t *b, size_t len, uint8_t *nh, size_t *off)
{
	for (int guard = 0; guard < 8; guard++) {
		switch (*nh) {
		case 0:		/* hop-by-hop */
		case 43:	/* routing */
		case 60:	/* destination options */
			if (*off + 8 > len)
				return -1;
			*nh = b[*off];
			*off += ((size_t)b[*off + 1] + 1) * 8;
			break;
		case 44:	/* fragment */
			if (*off + 8 > len)
				return -1;
			*nh = b[*off];
			if ((wire_be16(b + *off + 2) & 0xfff8) != 0) {
				*off += 8;
				return 1;
			}
			*off += 8;
			break;
		default:
			return *off > len ? -1 : 0;
		}
	}
	return -1;
}

static int
parse_quote6(struct pkt_quote *q, const uint8_t *b, size_t len)
{
	size_t off = IP6_HLEN;
	uint8_t nh;
	int rc;

	if (len < IP6_HLEN || (b[0] >> 4) != 6)
		return -1;
	q->af = AF_INET6;
	q->tos = (uint8_t)(wire_be32(b) >> 20);
	q->flowlabel = wire_be32(b) & 0xfffff;
	q->len = (uint16_t)(wire_be16(b + 4) + IP6_HLEN);
	q->ttl = b[7];
	memcpy(q->src, b + 8, 16);
	memcpy(q->dst, b + 24, 16);
	nh = b[6];
	if ((rc = skip_ext6(b, len, &nh, &off)) == -1) {
		q->proto = nh;
		return 0;	/* a short quote is still a quote */
	}
	q->proto = nh;
	if (rc == 0)
		pkt_quote_l4(q, b + off, len - off);
	return 0;
}

/* Read the RFC 4884 extension structure at E (LEN bytes); MPLS label
 * stacks (RFC 4950: class 1, c-type 1) are decoded. */
static void
parse_ext(struct pkt_reply *r, const uint8_t *e, size_t len)
{
	size_t off = 4;

	if (len < 4 || (e[0] >> 4) != 2)
		return;
	r->ext = e;
	r->extlen = len;
	while (off + 4 <= len) {
		size_t olen = wire_be16(e + off);
		uint8_t cls = e[off + 2], ctype = e[off + 3];

		if (olen < 4 || off + olen > len)
			break;
		if (cls == 1 && ctype == 1)
			for (size_t i = 4; i + 4 <= olen &&
			    r->nmpls < PKT_MAXMPLS; i += 4) {
				uint32_t v = wire_be32(e + off + i);
				struct pkt_mpls *m = &r->mpls[r->nmpls++];
				m->label = v >> 12;
				m->exp = (uint8_t)((v >> 9) & 7);
				m->s = (uint8_t)((v >> 8) & 1);
				m->ttl = (uint8_t)v;
			}
		off += olen;
	}
}

/* The quote and any extension of an ICMP error whose body (after the
 * 8-byte header) is BODY/LEN.  UNIT is 4 (ICMP) or 8 (ICMPv6) and LENB
 * the RFC 4884 length field. */
static void
parse_error_body(struct pkt_reply *r, const uint8_t *body, size_t len,
    unsigned lenb, size_t unit)
{
	size_t qlen = len;

	if (lenb != 0 && lenb * unit <= len) {
		qlen = lenb * unit;
		parse_ext(r, body + qlen, len - qlen);
	} else if (lenb == 0 && len >= 128 + 8 && (body[128] >> 4) == 2) {
		/* pre-RFC 4884 routers put the extension at 128 bytes */
		qlen = 128;
		parse_ext(r, body + 128, len - 128);
		if (r->nmpls == 0) {
			r->ext = NULL;
			r->extlen = 0;
			qlen = len;
		}
	}
	if ((r->af == AF_INET ? parse_quote4(&r->q, body, qlen) :
	    parse_quote6(&r->q, body, qlen)) == 0)
		r->has_quote = 1;
}

static int
parse_icmp4(struct pkt_reply *r, const uint8_t *l, size_t len)
{
	if (len < 8)
		return -1;
	r->icmp_type = l[0];
	r->icmp_code = l[1];
	switch (r->icmp_type) {
	case 0:		/* echo reply */
	case 14:	/* timestamp reply */
		r->icmp_id = wire_be16(l + 4);
		r->icmp_seq = wire_be16(l + 6);
		if (r->icmp_type == 14 && len >= 20) {
			r->has_icmp_ts = 1;
			r->icmp_tso = wire_be32(l + 8);
			r->icmp_tsr = wire_be32(l + 12);
			r->icmp_tst = wire_be32(l + 16);
		}
		return 0;
	case 3:		/* unreachable */
		if (r->icmp_code == 4)
			r->nhmtu = wire_be16(l + 6);
		/* FALLTHROUGH */
	case 11:	/* time exceeded */
	case 12:	/* parameter problem */
		parse_error_body(r, l + 8, len - 8, l[5], 4);
		return 0;
	case 4:		/* source quench */
	case 5:		/* redirect */
		parse_error_body(r, l + 8, len - 8, 0, 4);
		return 0;
	}
	return 0;
}

int
pkt_parse_icmp6(const uint8_t *l, size_t len, struct pkt_reply *r)
{
	uint32_t mtu;

	r->af = AF_INET6;
	r->proto = IPPROTO_ICMPV6;
	r->l4 = l;
	r->l4len = len;
	if (len < 8)
		return -1;
	r->icmp_type = l[0];
	r->icmp_code = l[1];
	switch (r->icmp_type) {
	case 128:	/* echo request */
	case 129:	/* echo reply */
		r->icmp_id = wire_be16(l + 4);
		r->icmp_seq = wire_be16(l + 6);
		return 0;
	case 2:		/* packet too big */
		mtu = wire_be32(l + 4);
		r->nhmtu = mtu > 0xffff ? 0xffff : (uint16_t)mtu;
		parse_error_body(r, l + 8, len - 8, 0, 8);
		return 0;
	case 1:		/* unreachable */
	case 3:		/* time exceeded */
		parse_error_body(r, l + 8, len - 8, l[4], 8);
		return 0;
	case 4:		/* parameter problem */
		parse_error_body(r, l + 8, len - 8, 0, 8);
		return 0;
	}
	return 0;
}

int
pkt_parse_l4(uint8_t proto, const uint8_t *l, size_t len, struct pkt_reply *r)
{
	r->proto = proto;
	return parse_l4(r, l, len);
}

static int
parse_l4(struct pkt_reply *r, const uint8_t *l, size_t len)
{
	r->l4 = l;
	r->l4len = len;
	switch (r->proto) {
	case IPPROTO_ICMP:
		return r->af == AF_INET ? parse_icmp4(r, l, len) : 0;
	case IPPROTO_ICMPV6:
		return r->af == AF_INET6 ? pkt_parse_icmp6(l, len, r) : 0;
	case IPPROTO_TCP:
		if (len < 20)
			return -1;
		r->sport = wire_be16(l);
		r->dport = wire_be16(l + 2);
		r->tcp_seq = wire_be32(l + 4);
		r->tcp_ack = wire_be32(l + 8);
		r->tcp_flags = l[13];
		r->tcp_win = wire_be16(l + 14);
		return 0;
	case IPPROTO_UDP:
		if (len < 8)
			return -1;
		r->sport = wire_be16(l);
		r->dport = wire_be16(l + 2);
		return 0;
	}
	return 0;
}

static int
parse4(const uint8_t *b, size_t len, struct pkt_reply *r)
{
	size_t hl, tot;

	if (len < IP4_HLEN)
		return -1;
	hl = (size_t)(b[0] & 0xf) * 4;
	tot = wire_be16(b + 2);
	if (hl < IP4_HLEN || hl > len || tot < hl)
		return -1;
	if (tot < len)
		len = tot;	/* ignore link-layer padding */
	r->af = AF_INET;
	r->pkt = b;
	r->pktlen = len;
	if (hl > IP4_HLEN) {
		r->ipopts = b + IP4_HLEN;
		r->ipoptlen = hl - IP4_HLEN;
	}
	r->tos = b[1];
	r->size = (uint16_t)tot;
	r->ipid = wire_be16(b + 4);
	r->ttl = b[8];
	r->proto = b[9];
	memcpy(r->src, b + 12, 4);
	memcpy(r->dst, b + 16, 4);
	if ((wire_be16(b + 6) & 0x1fff) != 0)
		return 0;	/* a later fragment: no L4 header */
	return parse_l4(r, b + hl, len - hl);
}

static int
parse6(const uint8_t *b, size_t len, struct pkt_reply *r)
{
	size_t off = IP6_HLEN, plen;
	uint8_t nh;
	int rc;

	if (len < IP6_HLEN)
		return -1;
	plen = wire_be16(b + 4);
	if (IP6_HLEN + plen < len)
		len = IP6_HLEN + plen;
	r->af = AF_INET6;
	r->pkt = b;
	r->pktlen = len;
	r->tos = (uint8_t)(wire_be32(b) >> 20);
	r->flowlabel = wire_be32(b) & 0xfffff;
	r->size = (uint16_t)(IP6_HLEN + plen);
	r->ttl = b[7];
	memcpy(r->src, b + 8, 16);
	memcpy(r->dst, b + 24, 16);
	nh = b[6];
	if ((rc = skip_ext6(b, len, &nh, &off)) == -1)
		return -1;
	r->proto = nh;
	if (rc == 1)
		return 0;
	return parse_l4(r, b + off, len - off);
}

int
pkt_parse(const uint8_t *buf, size_t len, struct pkt_reply *r)
{
	memset(r, 0, sizeof(*r));
	if (len < 1)
		return -1;
	switch (buf[0] >> 4) {
	case 4:
		return parse4(buf, len, r);
	case 6:
		return parse6(buf, len, r);
	}
	return -1;
}

/* ---- IPv4 options ---------------------------------------------------- */

size_t
pkt_ipopt_rr(uint8_t *buf, size_t cap)
{
	if (cap < 40)
		return 0;
	memset(buf, 0, 40);
	buf[0] = 7;			/* record route */
	buf[1] = 3 + 4 * PKT_RR_MAX;	/* 39; one byte of end-of-list pad */
	buf[2] = 4;
	return 40;
}

size_t
pkt_ipopt_ts(uint8_t *buf, size_t cap, int flag, const uint8_t *addrs,
    int n)
{
	size_t len;

	switch (flag) {
	case PKT_TS_TSONLY:
		len = 4 + 4 * PKT_TS_MAX;
		break;
	case PKT_TS_TSANDADDR:
		len = 4 + 8 * 4;
		break;
	case PKT_TS_PRESPEC:
		if (n < 1 || n > PKT_TS_PRESPEC_MAX || addrs == NULL)
			return 0;
		len = 4 + 8 * (size_t)n;
		break;
	default:
		return 0;
	}
	if (cap < len)
		return 0;
	memset(buf, 0, len);
	buf[0] = 68;			/* timestamp */
	buf[1] = (uint8_t)len;
	buf[2] = 5;
	buf[3] = (uint8_t)flag;
	if (flag == PKT_TS_PRESPEC)
		for (int i = 0; i < n; i++)
			memcpy(buf + 4 + 8 * i, addrs + 4 * i, 4);
	return len;
}

/* Find option TYPE in OPTS/LEN: its offset and length, or -1. */
static int
ipopt_find(const uint8_t *opts, size_t len, uint8_t type, size_t *olen)
{
	size_t off = 0;

	while (off < len) {
		if (opts[off] == 0)		/* end of list */
			return -1;
		if (opts[off] == 1) {		/* no-op */
			off++;
			continue;
		}
		if (off + 2 > len || opts[off + 1] < 2 ||
		    off + opts[off + 1] > len)
			return -1;
		if (opts[off] == type) {
			*olen = opts[off + 1];
			return (int)off;
		}
		off += opts[off + 1];
	}
	return -1;
}

int
pkt_ipopt_get_rr(const uint8_t *opts, size_t len, uint8_t *addrs, int max)
{
	size_t olen, filled;
	int off, n;

	if (opts == NULL || (off = ipopt_find(opts, len, 7, &olen)) < 0 ||
	    olen < 3)
		return -1;
	opts += off;
	filled = opts[2] >= 4 ? (size_t)(opts[2] - 4) / 4 : 0;
	if (filled > (olen - 3) / 4)
		filled = (olen - 3) / 4;
	n = filled > (size_t)max ? max : (int)filled;
	for (int i = 0; i < n; i++)
		memcpy(addrs + 4 * i, opts + 3 + 4 * i, 4);
	return n;
}

int
pkt_ipopt_get_ts(const uint8_t *opts, size_t len, struct pkt_ts *ts)
{
	size_t olen, filled, esz;
	int off;

	memset(ts, 0, sizeof(*ts));
	if (opts == NULL || (off = ipopt_find(opts, len, 68, &olen)) < 0 ||
	    olen < 4)
		return 0;
	opts += off;
	ts->flag = opts[3] & 0x0f;
	if (ts->flag != PKT_TS_TSONLY && ts->flag != PKT_TS_TSANDADDR &&
	    ts->flag != PKT_TS_PRESPEC)
		return 0;
	esz = ts->flag == PKT_TS_TSONLY ? 4 : 8;
	filled = opts[2] >= 5 ? (size_t)(opts[2] - 5) / esz : 0;
	if (filled > (olen - 4) / esz)
		filled = (olen - 4) / esz;
	if (filled > PKT_TS_MAX)
		filled = PKT_TS_MAX;
	ts->n = (int)filled;
	for (size_t i = 0; i < filled; i++) {
		const uint8_t *e = opts + 4 + esz * i;
		if (esz == 4)
			ts->ts[i] = wire_be32(e);
		else {
			memcpy(ts->addr[i], e, 4);
			ts->ts[i] = wire_be32(e + 4);
		}
	}
	return 1;
}

/* ---- Packet Too Big ---------------------------------------------------- */

/* R as an IP packet into BUF (at most CAP bytes): as received (IPv4), or
 * rebuilt from what the socket told (IPv6, whose raw sockets give no
 * header).  Returns its length, or 0. */
static size_t
reply_packet(const struct pkt_reply *r, uint8_t *buf, size_t cap)
{
	size_t n;

	if (r->pkt != NULL) {
		n = r->pktlen < cap ? r->pktlen : cap;
		memcpy(buf, r->pkt, n);
		return n;
	}
	if (r->af != AF_INET6 || r->l4 == NULL || cap < 40)
		return 0;
	memset(buf, 0, 40);
	buf[0] = 0x60;
	buf[4] = (uint8_t)(r->l4len >> 8);
	buf[5] = (uint8_t)r->l4len;
	buf[6] = r->proto;
	buf[7] = r->ttl;
	memcpy(buf + 8, r->src, 16);
	memcpy(buf + 24, r->dst, 16);
	n = r->l4len < cap - 40 ? r->l4len : cap - 40;
	memcpy(buf + 40, r->l4, n);
	return 40 + n;
}

int
pkt_ptb(const struct pkt_reply *r, uint16_t mtu, struct pkt_probe *pp,
    uint8_t *quote, size_t cap)
{
	size_t qlen;

	if (cap > 1280 - 48)
		cap = 1280 - 48;
	if ((qlen = reply_packet(r, quote, cap)) == 0)
		return -1;
	memset(pp, 0, sizeof(*pp));
	pp->af = r->af;
	memcpy(pp->src, r->dst, 16);
	memcpy(pp->dst, r->src, 16);
	pp->ttl = 255;
	pp->payload = quote;
	if (r->af == AF_INET) {
		/* the IP header and the first 8 bytes of its data */
		size_t hl = (size_t)(quote[0] & 0x0f) * 4;
		pp->proto = IPPROTO_ICMP;
		pp->icmp_type = 3;
		pp->icmp_code = 4;
		pp->icmp_seq = mtu;
		pp->paylen = hl + 8 < qlen ? hl + 8 : qlen;
	} else {
		pp->proto = IPPROTO_ICMPV6;
		pp->icmp_type = 2;
		pp->icmp_seq = mtu;
		pp->paylen = qlen;
	}
	return 0;
}

size_t
pkt_ext_warts(const struct pkt_reply *r, uint8_t *buf)
{
	const uint8_t *e = r->ext;
	size_t off = 4, out = 0;

	if (e == NULL || r->extlen <= 4 || r->extlen > 0xffff)
		return 0;
	while (off + 4 <= r->extlen) {
		size_t olen = (size_t)(e[off] << 8 | e[off + 1]);

		if (olen < 4 || off + olen > r->extlen)
			break;
		buf[out] = (uint8_t)((olen - 4) >> 8);
		buf[out + 1] = (uint8_t)(olen - 4);
		memcpy(buf + out + 2, e + off + 2, olen - 2);
		out += olen;
		off += olen;
	}
	return out;
}
