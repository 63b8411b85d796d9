/*
 * ns_sim.c: what the simulated Internet does with one packet: find the
 * routers it crosses, and answer as the router where its TTL runs out
 * (time exceeded), a router with a smaller next-hop MTU (fragmentation
 * needed / packet too big), a router it is addressed to, or the
 * destination (echo reply, port unreachable, SYN-ACK, RST, or nothing).
 * Rate limits, loss, anonymous routers, IP-ID counters, RFC 4950 MPLS
 * extensions and delays are applied here.  The per-packet path does not
 * allocate: every reply is built in the simulator's one reply buffer.
 */
#include <stdio.h>
#include <string.h>

#include "ns_int.h"
#include "ns_pkt.h"

#define QUOTE4_MAX	548	/* 576 - 20 - 8 (RFC 1812) */
#define QUOTE6_MAX	1232	/* 1280 - 40 - 8 (RFC 4443) */
#define EXT_ORIG_LEN	128	/* RFC 4884 original datagram field */

/* Everything known about the packet being answered. */
struct ctx {
	struct netsim		*s;
	const struct ns_pkt	*p;
	int64_t			 now;
	int64_t			 delay;		/* one way, ns */
	int			 hop;		/* of the answering host */
	struct netsim_reply	*r;
	uint16_t		 pmtu;		/* IPv6: fragment what is larger */
	uint32_t		 fragid;	/* ... with this identification */
};

/* What to put in an ICMP error. */
struct icmperr {
	const uint8_t		*src;		/* reply source address */
	uint8_t			 ttl;		/* reply TTL */
	uint16_t		 ipid;
	uint8_t			 type, code;
	uint32_t		 word;		/* ICMP bytes 4..7 */
	uint8_t			 qttl;		/* TTL in the quotation */
	size_t			 qmax;		/* bytes of probe to quote */
	const struct ns_router	*mpls;		/* add its label stack */
};

static uint32_t
pp_choice(void *arg, uint32_t lb)
{
	struct netsim *s = arg;

	(void)lb;
	return (uint32_t)ns_rand(&s->rng);
}

static int64_t
reply_delay(struct ctx *x)
{
	int64_t d = 2 * x->delay;

	if (x->s->p.jitter_us > 0)
		d += (int64_t)ns_randn(&x->s->rng,
		    (uint32_t)x->s->p.jitter_us + 1) * 1000;
	return d;
}

/* Take a token from R's ICMP rate limiter; 0 if there is none. */
static int
ratelimit_ok(struct ns_router *r, int64_t now)
{
	if (r->rl_rate == 0)
		return 1;
	if (!r->rl_init) {
		r->rl_init = 1;
		r->rl_tokens = (int64_t)r->rl_burst * 1000000;
		r->rl_last = now;
	}
	if (now > r->rl_last) {
		r->rl_tokens += (now - r->rl_last) * (int64_t)r->rl_rate / 1000;
		if (r->rl_tokens > (int64_t)r->rl_burst * 1000000)
			r->rl_tokens = (int64_t)r->rl_burst * 1000000;
		r->rl_last = now;
	}
	if (r->rl_tokens < 1000000)
		return 0;
	r->rl_tokens -= 1000000;
	return 1;
}

/* The next value of R's counter for interface IFX: 32 bits (IPv6
 * fragment identifications use them all; IPv4 takes the low 16). */
static uint32_t
rtr_counter(struct netsim *s, struct ns_router *r, int ifx, int64_t now)
{
	int k = 0;
	uint64_t v;

	switch (r->ipid) {
	case NS_IPID_ZERO:
		return 0;
	case NS_IPID_RANDOM:
		return (uint32_t)ns_rand(&s->rng);
	case NS_IPID_PERIF:
		k = ifx;
		break;
	default:
		break;
	}
	v = (uint64_t)r->ipid_base[k] * 65537u + r->ipid_n[k]++;
	if (r->ipid_vel > 0 && now > s->t0)
		v += (uint64_t)((double)(now - s->t0) / 1e9 * r->ipid_vel);
	return (uint32_t)v;
}

static uint16_t
rtr_ipid(struct netsim *s, struct ns_router *r, int ifx, int64_t now)
{
	uint16_t v = (uint16_t)rtr_counter(s, r, ifx, now);

	if (r->ipid_bswap)
		v = (uint16_t)(v << 8 | v >> 8);
	return v;
}

static size_t
put_mpls_ext(uint8_t *out, const struct ns_router *r)
{
	size_t olen = 4 + 4 * (size_t)r->nmpls;

	out[0] = 0x20;		/* version 2 */
	out[1] = 0;
	out[2] = out[3] = 0;
	wire_set_be16(out + 4, (uint16_t)olen);
	out[6] = 1;		/* class: MPLS label stack */
	out[7] = 1;		/* c-type: incoming stack */
	for (int i = 0; i < r->nmpls; i++) {
		uint32_t e = (r->mpls[i] & 0xfffff) << 12 | 1;	/* TTL 1 */
		if (i == r->nmpls - 1)
			e |= 0x100;	/* bottom of stack */
		wire_set_be32(out + 8 + 4 * i, e);
	}
	wire_set_be16(out + 2, ns_cksum(out, 4 + olen, 0));
	return 4 + olen;
}

/* Build an ICMP or ICMPv6 error answering X's packet. */
static int
send_icmperr(struct ctx *x, const struct icmperr *e)
{
	const struct ns_pkt *p = x->p;
	uint8_t *b = x->s->rbuf;
	size_t hl = p->af == 4 ? 20 : 40, q, qfield, ext = 0, icmplen;
	uint8_t *icmp = b + hl, *quote = icmp + 8;

	q = p->len < e->qmax ? p->len : e->qmax;
	memcpy(quote, p->ip, q);
	if (p->af == 4) {	/* the header as it arrived at the router */
		size_t ihl = (size_t)(p->ip[0] & 0x0f) * 4;
		quote[8] = e->qttl;
		if (q >= ihl) {
			quote[10] = quote[11] = 0;
			wire_set_be16(quote + 10, ns_cksum(quote, ihl, 0));
		}
	} else if (q >= 8)
		quote[7] = e->qttl;
	qfield = q;
	memset(icmp, 0, 8);
	icmp[0] = e->type;
	icmp[1] = e->code;
	wire_set_be32(icmp + 4, e->word);
	if (e->mpls != NULL && e->mpls->nmpls > 0) {
		if (q < EXT_ORIG_LEN)
			memset(quote + q, 0, EXT_ORIG_LEN - q);
		qfield = EXT_ORIG_LEN;
		if (p->af == 4)
			icmp[5] = EXT_ORIG_LEN / 4;
		else
			icmp[4] = EXT_ORIG_LEN / 8;
		ext = put_mpls_ext(quote + qfield, e->mpls);
	}
	icmplen = 8 + qfield + ext;
	if (p->af == 4) {
		wire_set_be16(icmp + 2, ns_cksum(icmp, icmplen, 0));
		ns_build_ip4(b, e->src, p->src, e->ttl, NS_PROTO_ICMP, e->ipid,
		    0, icmplen);
	} else {
		wire_set_be16(icmp + 2, ns_cksum(icmp, icmplen, ns_pseudo_sum(6,
		    e->src, p->src, NS_PROTO_ICMP6, icmplen)));
		ns_build_ip6(b, e->src, p->src, e->ttl, NS_PROTO_ICMP6,
		    icmplen);
	}
	x->r->pkt = b;
	x->r->len = hl + icmplen;
	x->r->delay_ns = reply_delay(x);
	x->s->c.out_pkts++;
	return 1;
}

/* Bytes of the probe R quotes: an IPv6 quotation always holds the whole
 * IPv6 header and 8 bytes more. */
static size_t
quote_max(const struct ns_router *r, int af)
{
	if (r->quote == 0)
		return af == 4 ? QUOTE4_MAX : QUOTE6_MAX;
	if (af == 6 && r->quote < 48)
		return 48;
	return r->quote;
}

static uint8_t
hop_ttl(uint8_t ittl, int hop)
{
	return hop - 1 >= ittl ? 1 : (uint8_t)(ittl - (hop - 1));
}

/* The start of router RI's error E at HOP (PRED the router before it):
 * its source, TTL, IP-ID and quote size.  Returns the router, or NULL
 * (counted) when its rate limit holds the error back. */
static struct ns_router *
rtr_err_init(struct ctx *x, uint32_t ri, uint32_t pred, int hop,
    struct icmperr *e)
{
	struct ns_router *r = &x->s->rtr[ri];
	int ifx;

	if (!ratelimit_ok(r, x->now)) {
		x->s->c.drop_ratelimit++;
		return NULL;
	}
	ifx = ns_topo_inl_ifx(x->s, ri, pred);
	memset(e, 0, sizeof(*e));
	e->src = r->ifaddr[ifx].a;
	e->ttl = hop_ttl(r->ittl, hop);
	e->ipid = x->p->af == 4 ? rtr_ipid(x->s, r, ifx, x->now) : 0;
	e->qmax = quote_max(r, x->p->af);
	return r;
}

/* A router's error: time exceeded, too big, or unreachable. */
static int
rtr_error(struct ctx *x, uint32_t ri, uint32_t pred, int hop,
    uint8_t type, uint8_t code, uint32_t word)
{
	struct icmperr e;

	if (rtr_err_init(x, ri, pred, hop, &e) == NULL)
		return 0;
	e.type = type;
	e.code = code;
	e.word = word;
	e.qttl = (uint8_t)(x->p->ttl - (hop - 1));
	return send_icmperr(x, &e);
}

static int
rtr_time_exceeded(struct ctx *x, uint32_t ri, uint32_t pred, int hop)
{
	const struct ns_router *r = &x->s->rtr[ri];
	struct icmperr e;

	if (r->anon) {
		x->s->c.drop_anon++;
		return 0;
	}
	if (rtr_err_init(x, ri, pred, hop, &e) == NULL)
		return 0;
	e.mpls = r;
	e.type = x->p->af == 4 ? 11 : 3;
	e.qttl = 1;
	x->s->c.out_time_exceeded++;
	return send_icmperr(x, &e);
}

/* Verify the upper-layer checksum of a packet that reached a host. */
static int
l4_cksum_ok(const struct ns_pkt *p)
{
	uint32_t sum = 0;

	if (p->proto == NS_PROTO_ICMP)
		return ns_cksum(p->l4, p->l4len, 0) == 0;
	if (p->af == 4 && p->proto == NS_PROTO_UDP && wire_be16(p->l4 + 6) == 0)
		return 1;
	if (p->af == 6 && p->proto == NS_PROTO_UDP && wire_be16(p->l4 + 6) == 0)
		return 0;
	sum = ns_pseudo_sum(p->af, p->src, p->dst, p->proto, p->l4len);
	return ns_cksum(p->l4, p->l4len, sum) == 0;
}

/* Cut the IPv6 packet of LEN bytes at B (no extension headers) into
 * two fragments for X's path MTU, at NS_FRAGOFF in the reply buffer, and
 * make them the reply. */
static void
fragment6(struct ctx *x, const uint8_t *b, size_t len)
{
	uint8_t *f1 = x->s->rbuf + NS_FRAGOFF, *f2;
	size_t pay = len - 40, first = ((size_t)x->pmtu - 48) & ~(size_t)7;

	if (first >= pay)
		return;
	f2 = f1 + 48 + first;
	for (int i = 0; i < 2; i++) {
		uint8_t *f = i == 0 ? f1 : f2;
		size_t off = i == 0 ? 0 : first;
		size_t n = i == 0 ? first : pay - first;

		memcpy(f, b, 40);
		wire_set_be16(f + 4, (uint16_t)(8 + n));
		f[6] = 44;
		f[40] = b[6];
		f[41] = 0;
		wire_set_be16(f + 42, (uint16_t)(off | (i == 0 ? 1 : 0)));
		wire_set_be32(f + 44, x->fragid);
		memcpy(f + 48, b + 40 + off, n);
	}
	x->r->pkt = f1;
	x->r->len = 48 + first;
	x->r->pkt2 = f2;
	x->r->len2 = 48 + pay - first;
	x->s->c.out_fragments += 2;
}

static int
send_echo_reply(struct ctx *x, const uint8_t *src, uint8_t ttl, uint16_t ipid)
{
	const struct ns_pkt *p = x->p;
	uint8_t *b = x->s->rbuf;
	size_t hl = p->af == 4 ? 20 : 40;
	uint8_t *icmp = b + hl;

	memcpy(icmp, p->l4, p->l4len);
	icmp[0] = p->af == 4 ? 0 : 129;
	icmp[1] = 0;
	icmp[2] = icmp[3] = 0;
	if (p->af == 4) {
		wire_set_be16(icmp + 2, ns_cksum(icmp, p->l4len, 0));
		ns_build_ip4(b, src, p->src, ttl, NS_PROTO_ICMP, ipid, 0,
		    p->l4len);
	} else {
		wire_set_be16(icmp + 2, ns_cksum(icmp, p->l4len, ns_pseudo_sum(6,
		    src, p->src, NS_PROTO_ICMP6, p->l4len)));
		ns_build_ip6(b, src, p->src, ttl, NS_PROTO_ICMP6, p->l4len);
	}
	x->r->pkt = b;
	x->r->len = hl + p->l4len;
	x->r->delay_ns = reply_delay(x);
	if (p->af == 6 && x->pmtu != 0 && x->r->len > x->pmtu)
		fragment6(x, b, x->r->len);
	x->s->c.out_echo_reply++;
	x->s->c.out_pkts++;
	return 1;
}

/* SYN-ACK (SYNACK) or RST answering a TCP probe. */
static int
send_tcp(struct ctx *x, const uint8_t *src, uint8_t ttl, uint16_t ipid,
    int synack)
{
	const struct ns_pkt *p = x->p;
	const uint8_t *t = p->l4;
	uint8_t *b = x->s->rbuf, *o;
	size_t hl = p->af == 4 ? 20 : 40;
	size_t dlen = p->l4len - (size_t)(t[12] >> 4) * 4;
	uint8_t flags = t[13];
	uint32_t seq = wire_be32(t + 4), ack = wire_be32(t + 8);

	o = b + hl;
	memset(o, 0, 20);
	wire_set_be16(o, wire_be16(t + 2));
	wire_set_be16(o + 2, wire_be16(t));
	o[12] = 5 << 4;
	if (synack) {
		uint64_t h = x->s->p.seed ^ wire_be32(t) ^ seq;
		wire_set_be32(o + 4, (uint32_t)ns_rand(&h));
		wire_set_be32(o + 8, seq + 1 + (uint32_t)dlen);
		o[13] = 0x12;
		wire_set_be16(o + 14, 65535);
		x->s->c.out_syn_ack++;
	} else if (flags & 0x10) {	/* answering an ACK */
		wire_set_be32(o + 4, ack);
		o[13] = 0x04;
		x->s->c.out_rst++;
	} else {
		wire_set_be32(o + 8, seq + (uint32_t)dlen + ((flags & 0x02) ? 1 : 0));
		o[13] = 0x14;
		x->s->c.out_rst++;
	}
	wire_set_be16(o + 16, ns_cksum(o, 20, ns_pseudo_sum(p->af, src, p->src,
	    NS_PROTO_TCP, 20)));
	if (p->af == 4)
		ns_build_ip4(b, src, p->src, ttl, NS_PROTO_TCP, ipid, 1, 20);
	else
		ns_build_ip6(b, src, p->src, ttl, NS_PROTO_TCP, 20);
	x->r->pkt = b;
	x->r->len = hl + 20;
	x->r->delay_ns = reply_delay(x);
	x->s->c.out_pkts++;
	return 1;
}

/* Nonzero for an ICMP(v6) echo request (never a later fragment: no l4). */
static int
is_echo_request(const struct ns_pkt *p)
{
	if (p->l4 == NULL)
		return 0;
	if (p->proto == NS_PROTO_ICMP && p->af == 4)
		return p->l4[0] == 8 && p->l4[1] == 0;
	if (p->proto == NS_PROTO_ICMP6 && p->af == 6)
		return p->l4[0] == 128 && p->l4[1] == 0;
	return 0;
}

/* A packet that reached host HOP hops away; FLAGS say how it answers. */
static int
host_answer(struct ctx *x, const uint8_t *src, const uint8_t *unreach_src,
    uint8_t ttl, uint16_t ipid, uint8_t flags)
{
	const struct ns_pkt *p = x->p;
	struct icmperr e;

	if (p->frag) {
		x->s->c.drop_fragment++;
		return 0;
	}
	if (!l4_cksum_ok(p)) {
		x->s->c.drop_bad_cksum++;
		return 0;
	}
	if (is_echo_request(p)) {
		if (!(flags & NS_D_ECHO))
			goto silent;
		return send_echo_reply(x, src, ttl, ipid);
	}
	if (p->proto == NS_PROTO_TCP) {
		if (p->l4[13] & 0x04) {		/* never answer a RST */
			x->s->c.drop_ignored++;
			return 0;
		}
		if ((p->l4[13] & 0x12) == 0x02 && (flags & NS_D_SYNACK))
			return send_tcp(x, src, ttl, ipid, 1);
		if (!(flags & (NS_D_SYNACK | NS_D_RST)))
			goto silent;
		return send_tcp(x, src, ttl, ipid, 0);
	}
	if (p->proto == NS_PROTO_UDP) {
		if (!(flags & NS_D_UDP))
			goto silent;
		memset(&e, 0, sizeof(e));
		e.src = unreach_src;
		e.ttl = ttl;
		e.ipid = ipid;
		e.type = p->af == 4 ? 3 : 1;
		e.code = p->af == 4 ? 3 : 4;
		e.qttl = (uint8_t)(p->ttl - (x->hop - 1));
		e.qmax = p->af == 4 ? QUOTE4_MAX : QUOTE6_MAX;
		x->s->c.out_port_unreach++;
		return send_icmperr(x, &e);
	}
	x->s->c.drop_ignored++;
	return 0;
silent:
	x->s->c.drop_silent++;
	return 0;
}

/* A packet addressed to interface IFX of router RI, HOP hops away. */
static int
rtr_local(struct ctx *x, uint32_t ri, int ifx, uint32_t pred, int hop)
{
	struct ns_router *r = &x->s->rtr[ri];
	int uifx = r->unreach_inbound ? ns_topo_inl_ifx(x->s, ri, pred) : ifx;
	uint16_t ipid = 0;

	if (x->p->frag) {	/* before the rate limit and IP-ID take a turn */
		x->s->c.drop_fragment++;
		return 0;
	}
	if (!is_echo_request(x->p) && x->p->proto != NS_PROTO_UDP &&
	    x->p->proto != NS_PROTO_TCP) {
		x->s->c.drop_ignored++;
		return 0;
	}
	if (!ratelimit_ok(r, x->now)) {
		x->s->c.drop_ratelimit++;
		return 0;
	}
	if (x->p->af == 4)
		ipid = rtr_ipid(x->s, r, x->p->proto == NS_PROTO_UDP ? uifx :
		    ifx, x->now);
	else if (r->pmtu6 != 0 && is_echo_request(x->p)) {
		x->pmtu = r->pmtu6;
		x->fragid = rtr_counter(x->s, r, ifx, x->now);
	}
	return host_answer(x, r->ifaddr[ifx].a, r->ifaddr[uifx].a,
	    hop_ttl(r->ittl, hop), ipid, NS_D_ECHO | NS_D_UDP | NS_D_RST);
}

static int
dest_answer(struct ctx *x, const struct ns_leaf *leaf, uint32_t last,
    uint32_t lastpred, int hop)
{
	const struct ns_pkt *p = x->p;
	uint8_t ittl, flags = ns_topo_dest(x->s, leaf, p->dst, &ittl);
	uint16_t ipid = 0;

	if (flags & NS_D_UNREACH) {
		if (last == NS_NOPRED) {
			x->s->c.drop_silent++;
			return 0;
		}
		x->delay -= (int64_t)x->s->p.delay_min_us * 1000;
		if (!rtr_error(x, last, lastpred, hop - 1,
		    p->af == 4 ? 3 : 1, p->af == 4 ? 1 : 3, 0))
			return 0;
		x->s->c.out_dest_unreach++;
		return 1;
	}
	if (p->af == 4)
		ipid = (uint16_t)ns_rand(&x->s->rng);
	return host_answer(x, p->dst, p->dst, hop_ttl(ittl, hop), ipid, flags);
}

static void
count_in(struct netsim *s, const struct ns_pkt *p)
{
	if (p->af == 4)
		s->c.in_v4++;
	else
		s->c.in_v6++;
	switch (p->proto) {
	case NS_PROTO_ICMP:
	case NS_PROTO_ICMP6:
		s->c.in_icmp++;
		break;
	case NS_PROTO_UDP:
		s->c.in_udp++;
		break;
	case NS_PROTO_TCP:
		s->c.in_tcp++;
		break;
	default:
		s->c.in_other++;
		break;
	}
}

/* Nonzero if the simulator itself owns SRC: never answer those. */
static int
src_is_ours(const struct netsim *s, const struct ns_pkt *p)
{
	int ifx;

	if (ns_topo_addr_lookup(s, p->af, p->src, &ifx) >= 0)
		return 1;
	return ns_topo_leaf_lookup(s, p->af, p->src) != NULL;
}

/* An ICMPv6 packet too big from the prober to a router: the router
 * fragments what it sends the prober larger than that MTU from now on
 * (one path MTU per router: the simulation has one prober). */
static int
too_big_in(struct netsim *s, const struct ns_pkt *p)
{
	uint32_t mtu = wire_be32(p->l4 + 4);
	int ri, ifx;

	s->c.in_too_big++;
	if ((ri = ns_topo_addr_lookup(s, 6, p->dst, &ifx)) < 0 ||
	    mtu < 1280 || mtu > 65535) {
		s->c.drop_ignored++;
		return 0;
	}
	if (s->rtr[ri].pmtu6 == 0 || mtu < s->rtr[ri].pmtu6)
		s->rtr[ri].pmtu6 = (uint16_t)mtu;
	return 0;
}

int
netsim_input(struct netsim *s, const uint8_t *pkt, size_t len, int64_t now,
    struct netsim_reply *r)
{
	uint32_t hops[NS_MAXHOPS], pred = NS_NOPRED, prepred = NS_NOPRED;
	const struct ns_leaf *leaf = NULL;
	struct ns_pkt p;
	struct ctx x;
	int ri, ifx = 0, nh;

	s->c.in_pkts++;
	if (ns_pkt_parse(&p, pkt, len) == -1) {
		s->c.drop_malformed++;
		return 0;
	}
	count_in(s, &p);
	if (!s->t0set) {
		s->t0 = now;
		s->t0set = 1;
	}
	if (p.ttl == 0) {
		s->c.drop_ttl0++;
		return 0;
	}
	if (p.af == 6 && p.proto == NS_PROTO_ICMP6 && p.l4 != NULL &&
	    p.l4[0] == 2 && !src_is_ours(s, &p))
		return too_big_in(s, &p);
	if (p.proto == (p.af == 4 ? NS_PROTO_ICMP : NS_PROTO_ICMP6) &&
	    p.l4 != NULL && !is_echo_request(&p)) {
		s->c.drop_ignored++;	/* errors and replies: not ours */
		return 0;
	}
	if (src_is_ours(s, &p)) {
		s->c.drop_ignored++;
		return 0;
	}
	if (s->p.loss_ppm > 0 &&
	    (int)ns_randn(&s->rng, 1000000) < s->p.loss_ppm) {
		s->c.drop_loss++;
		return 0;
	}
	if ((ri = ns_topo_addr_lookup(s, p.af, p.dst, &ifx)) >= 0) {
		const struct ns_router *t = &s->rtr[ri];
		nh = t->home_len < p.ttl ? (int)t->home_len : p.ttl;
		memcpy(hops, s->home + t->home_off, (size_t)nh * sizeof(*hops));
	} else if ((leaf = ns_topo_leaf_lookup(s, p.af, p.dst)) != NULL) {
		nh = ns_topo_walk(s, &leaf->path, p.af, p.src, p.dst, p.proto,
		    p.flow, pp_choice, s, hops, p.ttl < NS_MAXHOPS ? p.ttl :
		    NS_MAXHOPS);
	} else {
		s->c.drop_no_route++;
		return 0;
	}
	memset(&x, 0, sizeof(x));
	memset(r, 0, sizeof(*r));
	x.s = s;
	x.p = &p;
	x.now = now;
	x.r = r;
	for (int i = 0; i < nh; i++) {
		struct ns_router *h = &s->rtr[hops[i]];

		x.delay += (int64_t)h->delay_us * 1000;
		if (h->loss_ppm > 0 &&
		    ns_randn(&s->rng, 1000000) < h->loss_ppm) {
			s->c.drop_loss++;
			return 0;
		}
		if (p.ttl == i + 1)
			return rtr_time_exceeded(&x, hops[i], pred, i + 1);
		if (h->mtu != 0 && p.len > h->mtu && (p.af == 6 || p.df)) {
			if (h->nopmtud) {
				s->c.drop_pmtud_blackhole++;
				return 0;
			}
			if (!rtr_error(&x, hops[i], pred, i + 1,
			    p.af == 4 ? 3 : 2, p.af == 4 ? 4 : 0, h->mtu))
				return 0;
			s->c.out_too_big++;
			return 1;
		}
		prepred = pred;
		pred = hops[i];
	}
	x.hop = nh + 1;
	if (ri >= 0) {
		x.delay += (int64_t)s->rtr[ri].delay_us * 1000;
		return rtr_local(&x, (uint32_t)ri, ifx, pred, nh + 1);
	}
	x.delay += (int64_t)s->p.delay_min_us * 1000;
	return dest_answer(&x, leaf, pred, prepred, nh + 1);
}

const struct netsim_counters *
netsim_counters(const struct netsim *s)
{
	return &s->c;
}

void
netsim_counters_print(const struct netsim *s, FILE *f)
{
	const char *sep = "";

#define NETSIM_CTR_PRINT(n)						\
	fprintf(f, "%s" #n "=%llu", sep, (unsigned long long)s->c.n);	\
	sep = " ";
	NETSIM_COUNTERS(NETSIM_CTR_PRINT)
#undef NETSIM_CTR_PRINT
	fputc('\n', f);
}
