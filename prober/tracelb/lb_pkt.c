/*
 * lb_pkt.c: tracelb's packets.  The flow identifier goes where per-flow
 * load balancers look (the first four bytes of the transport header):
 * the UDP destination port (udp-dport), the UDP or TCP source port
 * (udp-sport, tcp-sport, tcp-ack-sport), or the ICMP checksum
 * (icmp-echo, made to come out at the flow's value by two payload
 * bytes).  Everything else that balancers hash stays constant: the
 * addresses, the protocol, the other port, and the IPv6 flow label (0).
 *
 * The probe's number rides where no balancer looks and every quotation
 * keeps it: the UDP checksum (number + 1, made so by two payload bytes),
 * the ICMP sequence number, or the low half of the TCP sequence number
 * (number + 1; also of the acknowledgment number of tcp-ack-sport,
 * which a reset echoes).  A random value of the task marks its probes
 * apart from another prober's with overlapping ports (whose replies
 * reach us too): the IPv4 IP ID (value + number), the IPv6 flow label
 * (constant for the trace, so balancers that hash it see one flow) and
 * the high half of the TCP sequence number.
 */
#include "config.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "lb_int.h"
#include "mda.h"
#include "scamper_tracelb.h"
#include "task.h"

uint16_t
lb_flowid(const struct lb_state *s, uint32_t f)
{
	switch (s->method) {
	case LB_UDP_DPORT:
		return (uint16_t)(s->t->dport + f);
	case LB_ICMP_ECHO:
		return (uint16_t)(f + 1);
	default:
		return (uint16_t)(s->t->sport + f);
	}
}

uint8_t
lb_proto(const struct lb_state *s)
{
	switch (s->method) {
	case LB_UDP_DPORT:
	case LB_UDP_SPORT:
		return IPPROTO_UDP;
	case LB_ICMP_ECHO:
		return s->af == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	default:
		return IPPROTO_TCP;
	}
}

void
lb_build(const struct lb_state *s, uint32_t id, struct pkt_probe *p,
    uint8_t *pay)
{
	const struct mda_probe *mp = mda_probe(s->mda, id);
	uint16_t flowid = lb_flowid(s, mp->flow);

	memset(p, 0, sizeof(*p));
	memset(pay, 0, LB_PAYLOAD_MAX);
	p->af = s->af;
	memcpy(p->src, s->t->src.addr, 16);
	memcpy(p->dst, s->t->dst.addr, 16);
	p->proto = lb_proto(s);
	p->ttl = mp->ttl;
	p->tos = s->t->tos;
	p->ipid = (uint16_t)(s->nonce + id);
	if (s->af == AF_INET6)
		p->flowlabel = s->nonce & 0xfffff;
	p->df = 1;
	p->payload = pay;
	p->paylen = s->paylen;
	p->sport = s->t->sport;
	p->dport = s->t->dport;
	switch (s->method) {
	case LB_UDP_DPORT:
		p->dport = flowid;
		/* FALLTHROUGH */
	case LB_UDP_SPORT:
		if (s->method == LB_UDP_SPORT)
			p->sport = flowid;
		p->fix_cksum = 1;
		p->cksum = (uint16_t)(id + 1);
		break;
	case LB_ICMP_ECHO:
		p->icmp_type = s->af == AF_INET ? 8 : 128;
		p->icmp_id = s->t->sport;
		p->icmp_seq = (uint16_t)id;
		p->fix_cksum = 1;
		p->cksum = flowid;
		break;
	case LB_TCP_SPORT:
	case LB_TCP_ACK_SPORT:
		p->sport = flowid;
		p->tcp_flags = s->method == LB_TCP_SPORT ? 0x02 : 0x10;
		p->tcp_seq = (s->nonce << 16) | (id + 1);
		p->tcp_ack = s->method == LB_TCP_SPORT ? 0 : p->tcp_seq;
		p->payload = NULL;
		p->paylen = 0;
		break;
	}
}

static int
addr_is(const struct lb_state *s, const uint8_t *a, const uint8_t *b)
{
	return memcmp(a, b, s->af == AF_INET ? 4 : 16) == 0;
}

static uint16_t
bswap16(uint16_t v)
{
	return (uint16_t)((v << 8) | (v >> 8));
}

/* The probe number a TCP sequence number of ours carries, or -1. */
static int64_t
tcp_id(const struct lb_state *s, uint32_t seq)
{
	if ((seq >> 16) != (s->nonce & 0xffff))
		return -1;
	return (int64_t)(seq & 0xffff) - 1;
}

/* Nonzero if the quotation Q carries this task's mark for probe ID. */
static int
marked(const struct lb_state *s, const struct pkt_quote *q, int64_t id)
{
	uint16_t want = (uint16_t)(s->nonce + id);

	if (s->af == AF_INET6)
		return q->flowlabel == (s->nonce & 0xfffff);
	/* some routers quote the IP ID byte-swapped */
	return q->ipid == want || bswap16(q->ipid) == want;
}

/* Probe ID, if it exists and its flow has identifier FLOWID. */
static int64_t
check(const struct lb_state *s, int64_t id, uint16_t flowid)
{
	const struct mda_probe *mp;

	if (id < 0 || (mp = mda_probe(s->mda, (uint32_t)id)) == NULL ||
	    lb_flowid(s, mp->flow) != flowid)
		return -1;
	return id;
}

/* The probe a quotation describes (its mark unchecked). */
static int64_t
quote_id(const struct lb_state *s, const struct pkt_quote *q)
{
	const struct scamper_tracelb *t = s->t;

	if (q->af != s->af || !addr_is(s, q->dst, t->dst.addr) ||
	    q->proto != lb_proto(s) || q->l4len < 8)
		return -1;
	switch (s->method) {
	case LB_UDP_DPORT:
		if (q->sport != t->sport)
			return -1;
		return check(s, (int64_t)q->l4cksum - 1, q->dport);
	case LB_UDP_SPORT:
		if (q->dport != t->dport)
			return -1;
		return check(s, (int64_t)q->l4cksum - 1, q->sport);
	case LB_ICMP_ECHO:
		if (q->icmp_id != t->sport)
			return -1;
		return check(s, q->icmp_seq, q->l4cksum);
	default:
		if (q->dport != t->dport)
			return -1;
		return check(s, tcp_id(s, q->tcp_seq), q->sport);
	}
}

static int64_t
match_quote(const struct lb_state *s, const struct pkt_quote *q)
{
	int64_t id = quote_id(s, q);

	return id >= 0 && marked(s, q, id) ? id : -1;
}

int64_t
lb_match(const struct lb_state *s, const struct pkt_reply *r)
{
	const struct mda_probe *mp;
	int64_t id;

	if (r->has_quote)
		return match_quote(s, &r->q);
	if (r->af != s->af || !addr_is(s, r->src, s->t->dst.addr))
		return -1;
	if (r->proto == IPPROTO_TCP) {
		if (s->method != LB_TCP_SPORT && s->method != LB_TCP_ACK_SPORT)
			return -1;
		if (r->sport != s->t->dport)
			return -1;
		/* a SYN's answer acknowledges seq + 1; a reset to an ACK
		 * takes its sequence number from our acknowledgment */
		id = s->method == LB_TCP_SPORT ? tcp_id(s, r->tcp_ack - 1) :
		    tcp_id(s, r->tcp_seq);
		return check(s, id, r->dport);
	}
	if (s->method != LB_ICMP_ECHO || r->icmp_id != s->t->sport ||
	    (r->icmp_type != (s->af == AF_INET ? 0 : 129)))
		return -1;
	/* an echo reply's checksum is not the request's: its number */
	if ((mp = mda_probe(s->mda, r->icmp_seq)) == NULL)
		return -1;
	return r->icmp_seq;
}

int
lb_reply_kind(const struct lb_state *s, const struct pkt_reply *r)
{
	int dst = addr_is(s, r->src, s->t->dst.addr);

	if (r->proto == IPPROTO_TCP)
		return MDA_R_END;
	if (s->af == AF_INET) {
		if (r->icmp_type == 11)
			return dst ? MDA_R_END : MDA_R_HOP;
		if (r->icmp_type == 3 || r->icmp_type == 0)
			return MDA_R_END;
	} else {
		if (r->icmp_type == 3)
			return dst ? MDA_R_END : MDA_R_HOP;
		if (r->icmp_type == 1 || r->icmp_type == 129)
			return MDA_R_END;
	}
	return -1;
}

int
lb_rx_add(struct lb_state *s, uint32_t id, int node,
    const struct pkt_reply *r, const struct stamp *rx)
{
	struct lb_rx *x;

	if (s->rxc == s->rxcap) {
		uint32_t c = s->rxcap < 8 ? 8 : s->rxcap + s->rxcap / 2;
		if ((x = realloc(s->rx, c * sizeof(*x))) == NULL)
			return -1;
		s->rx = x;
		s->rxcap = c;
	}
	x = &s->rx[s->rxc];
	memset(x, 0, sizeof(*x));
	x->rx = *rx;
	x->probe = id;
	x->node = (uint16_t)node;
	x->ipid = r->af == AF_INET ? r->ipid : 0;
	x->ttl = r->ttl;
	x->flags = SCAMPER_TRACELB_REPLY_FLAG_REPLY_TTL;
	if (r->proto == IPPROTO_TCP) {
		x->flags |= SCAMPER_TRACELB_REPLY_FLAG_TCP;
		x->tcp_flags = r->tcp_flags;
	} else {
		x->icmp_type = r->icmp_type;
		x->icmp_code = r->icmp_code;
		if (r->has_quote) {
			x->q_ttl = r->q.ttl;
			x->q_tos = r->q.tos;
		}
		if (r->ext != NULL && r->extlen > 4 && r->extlen <= 0xffff &&
		    (x->ext = malloc(r->extlen)) != NULL &&
		    (x->extlen = (uint16_t)pkt_ext_warts(r, x->ext)) == 0) {
			free(x->ext);
			x->ext = NULL;
		}
	}
	s->rxc++;
	return 0;
}
