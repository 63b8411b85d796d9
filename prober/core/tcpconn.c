/*
 * tcpconn.c: a hand-made TCP connection's segments (tcpconn.h).
 */
#include <netinet/in.h>
#include <string.h>

#include "tcpconn.h"
#include "wire.h"

#define OPT_EOL		0
#define OPT_NOP		1
#define OPT_MSS		2
#define OPT_WSCALE	3
#define OPT_SACKOK	4
#define OPT_SACK	5
#define OPT_TS		8
#define OPT_FO		34
#define OPT_EXP		254
#define FO_EXP_MAGIC	0xf989

void
tcpconn_init(struct tcpconn *c, int af, const uint8_t *src,
    const uint8_t *dst, uint16_t sport, uint16_t dport, uint32_t iss)
{
	memset(c, 0, sizeof(*c));
	c->af = af;
	memcpy(c->src, src, 16);
	memcpy(c->dst, dst, 16);
	c->sport = sport;
	c->dport = dport;
	c->ttl = 255;
	c->iss = iss;
	c->snd_nxt = iss;
	c->win = 65535;
	c->peer_wscale = -1;
}

/* Pad LEN bytes of options in BUF to a multiple of 4 with EOL. */
static size_t
pad4(uint8_t *buf, size_t len)
{
	while (len % 4 != 0)
		buf[len++] = OPT_EOL;
	return len;
}

/* The fast-open option (either kind) with C's cookie at BUF+N. */
static size_t
put_fo(const struct tcpconn *c, uint8_t *buf, size_t n)
{
	if (c->offer & TCPCONN_O_FO) {
		buf[n] = OPT_FO;
		buf[n + 1] = (uint8_t)(2 + c->fo_len);
		memcpy(buf + n + 2, c->fo_cookie, c->fo_len);
		return n + 2 + c->fo_len;
	}
	buf[n] = OPT_EXP;
	buf[n + 1] = (uint8_t)(4 + c->fo_len);
	wire_set_be16(buf + n + 2, FO_EXP_MAGIC);
	memcpy(buf + n + 4, c->fo_cookie, c->fo_len);
	return n + 4 + c->fo_len;
}

size_t
tcpconn_syn_opts(const struct tcpconn *c, uint8_t *buf)
{
	size_t n = 0;

	memset(buf, 0, 40);
	buf[n++] = OPT_MSS;
	buf[n++] = 4;
	wire_set_be16(buf + n, c->mss);
	n += 2;
	if ((c->offer & TCPCONN_O_SACK) && !(c->offer & TCPCONN_O_TS)) {
		buf[n++] = OPT_NOP;
		buf[n++] = OPT_NOP;
		buf[n++] = OPT_SACKOK;
		buf[n++] = 2;
	}
	if (c->offer & TCPCONN_O_TS) {
		if (c->offer & TCPCONN_O_SACK) {
			buf[n++] = OPT_SACKOK;
			buf[n++] = 2;
		} else {
			buf[n++] = OPT_NOP;
			buf[n++] = OPT_NOP;
		}
		buf[n++] = OPT_TS;
		buf[n++] = 10;
		wire_set_be32(buf + n, c->tsval);
		wire_set_be32(buf + n + 4, 0);
		n += 8;
	}
	if (c->offer & TCPCONN_O_WSCALE) {
		buf[n++] = OPT_NOP;
		buf[n++] = OPT_WSCALE;
		buf[n++] = 3;
		buf[n++] = c->wscale;
	}
	if (c->offer & (TCPCONN_O_FO | TCPCONN_O_FOEXP))
		n = put_fo(c, buf, n);
	return pad4(buf, n);
}

size_t
tcpconn_opts(const struct tcpconn *c, const uint32_t (*sack)[2], int n,
    uint8_t *buf)
{
	size_t len = 0;
	int room;

	memset(buf, 0, 40);
	if (c->peer_ts && (c->offer & TCPCONN_O_TS)) {
		buf[len++] = OPT_NOP;
		buf[len++] = OPT_NOP;
		buf[len++] = OPT_TS;
		buf[len++] = 10;
		wire_set_be32(buf + len, c->tsval);
		wire_set_be32(buf + len + 4, c->ts_recent);
		len += 8;
	}
	room = (int)(40 - len - 4) / 8;
	if (n > room)
		n = room;
	if (n > 0) {
		buf[len++] = OPT_NOP;
		buf[len++] = OPT_NOP;
		buf[len++] = OPT_SACK;
		buf[len++] = (uint8_t)(2 + 8 * n);
		for (int i = 0; i < n; i++) {
			wire_set_be32(buf + len, sack[i][0]);
			wire_set_be32(buf + len + 4, sack[i][1]);
			len += 8;
		}
	}
	return pad4(buf, len);
}

void
tcpconn_seg(struct tcpconn *c, struct pkt_probe *p, uint8_t flags,
    uint32_t seq, uint32_t ack, const uint8_t *opts, size_t optlen,
    const uint8_t *payload, size_t len, uint8_t tos)
{
	memset(p, 0, sizeof(*p));
	p->af = c->af;
	memcpy(p->src, c->src, 16);
	memcpy(p->dst, c->dst, 16);
	p->proto = IPPROTO_TCP;
	p->ttl = c->ttl;
	p->tos = tos;
	p->ipid = c->ipid++;
	p->df = 1;
	p->sport = c->sport;
	p->dport = c->dport;
	p->tcp_flags = flags;
	p->tcp_seq = seq;
	p->tcp_ack = (flags & TCP_ACK) ? ack : 0;
	p->tcp_win = c->win;
	p->tcpopts = optlen > 0 ? opts : NULL;
	p->tcpoptlen = optlen;
	p->payload = payload;
	p->paylen = len;
}

/* One option KIND of LEN bytes at O (LEN counting kind and length). */
static void
parse_opt(struct tcpconn_seg *s, uint8_t kind, const uint8_t *o, size_t len)
{
	switch (kind) {
	case OPT_MSS:
		if (len == 4)
			s->mss = wire_be16(o + 2);
		break;
	case OPT_WSCALE:
		if (len == 3)
			s->wscale = o[2];
		break;
	case OPT_SACKOK:
		if (len == 2)
			s->sackok = 1;
		break;
	case OPT_TS:
		if (len == 10) {
			s->has_ts = 1;
			s->tsval = wire_be32(o + 2);
			s->tsecr = wire_be32(o + 6);
		}
		break;
	case OPT_SACK:
		if (len < 10 || (len - 2) % 8 != 0)
			break;
		for (size_t i = 2; i + 8 <= len &&
		    s->nsack < TCPCONN_MAXSACK; i += 8) {
			s->sack[s->nsack][0] = wire_be32(o + i);
			s->sack[s->nsack][1] = wire_be32(o + i + 4);
			s->nsack++;
		}
		break;
	case OPT_FO:
		if (len - 2 <= sizeof(s->fo_cookie)) {
			s->has_fo = 1;
			s->fo_len = (uint8_t)(len - 2);
			memcpy(s->fo_cookie, o + 2, s->fo_len);
		}
		break;
	case OPT_EXP:
		if (len >= 4 && wire_be16(o + 2) == FO_EXP_MAGIC &&
		    len - 4 <= sizeof(s->fo_cookie)) {
			s->has_fo = 1;
			s->fo_len = (uint8_t)(len - 4);
			memcpy(s->fo_cookie, o + 4, s->fo_len);
		}
		break;
	}
}

int
tcpconn_parse(const struct pkt_reply *r, struct tcpconn_seg *s)
{
	const uint8_t *l = r->l4;
	size_t hl, i;

	memset(s, 0, sizeof(*s));
	s->wscale = -1;
	if (r->proto != IPPROTO_TCP || l == NULL || r->l4len < 20)
		return -1;
	hl = (size_t)(l[12] >> 4) * 4;
	if (hl < 20 || hl > r->l4len)
		return -1;
	s->seq = wire_be32(l + 4);
	s->ack = wire_be32(l + 8);
	s->flags = l[13];
	s->win = wire_be16(l + 14);
	s->ecn = (uint8_t)(r->tos & 3);
	s->data = l + hl;
	s->datalen = (uint16_t)(r->l4len - hl);
	for (i = 20; i < hl;) {
		uint8_t kind = l[i];

		if (kind == OPT_EOL)
			break;
		if (kind == OPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= hl || l[i + 1] < 2 || i + l[i + 1] > hl)
			return -1;
		parse_opt(s, kind, l + i, l[i + 1]);
		i += l[i + 1];
	}
	return 0;
}

void
tcpconn_synack(struct tcpconn *c, const struct tcpconn_seg *s)
{
	c->irs = s->seq;
	c->rcv_nxt = s->seq + 1;
	c->snd_nxt = SEQ_GT(s->ack, c->iss) ? s->ack : c->iss + 1;
	c->established = 1;
	c->peer_mss = s->mss;
	c->peer_sackok = s->sackok;
	c->peer_ts = s->has_ts;
	c->ts_recent = s->tsval;
	c->peer_wscale = s->wscale;
	c->peer_fo = s->has_fo;
	c->peer_cookie_len = s->fo_len;
	memcpy(c->peer_cookie, s->fo_cookie, s->fo_len);
}

int
tcpconn_mine(const struct tcpconn *c, const struct pkt_reply *r)
{
	return r->proto == IPPROTO_TCP && !r->has_quote &&
	    r->sport == c->dport && r->dport == c->sport;
}
