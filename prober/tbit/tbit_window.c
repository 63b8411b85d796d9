/*
 * tbit_window.c: the tbit types that watch the server's sending window.
 *
 *  pmtud	fetch the response; the first segment larger than -M (IP
 *		length) is not acknowledged: without DF (IPv4) the result
 *		is nodf; else a Packet Too Big for -M goes back (from -P,
 *		or our address) quoting it, and again (up to ptb_retx
 *		more) for each retransmission still too large.  The data
 *		at that sequence coming again within -M: success; as large
 *		but without DF: cleardf; PTBs used up or silence: fail.
 *		With -O blackhole no PTB is sent: the server must find the
 *		black hole itself (success) or not (fail).  Nothing larger
 *		than -M before the response ended: toosmall; no data:
 *		nodata; the request never acknowledged: noack.
 *  sack-rcvr	(the server as a receiver of SACK blocks) of the initial
 *		window, segments 3 and 5 are "lost": the others are
 *		answered with duplicate ACKs carrying SACK blocks.  The
 *		server should retransmit exactly the two holes, quickly:
 *		success; data we had SACKed retransmitted first: nosack;
 *		a hole's retransmission not starting at the hole: shifted;
 *		a hole filled only after a timeout: timeout.  By the
 *		packets' own times (not when we read them, which a loaded
 *		machine delays), a retransmission is a timeout's if it
 *		arrived before our first duplicate ACK left, or more than
 *		SACK_PROMPT after the last packet we sent before it (not
 *		"before the third": RFC 6675 lets the server retransmit
 *		sooner when enough above the hole is SACKed, and Linux
 *		does once our ACKs lag behind its segments).
 *		A SYN/ACK without SACK-permitted: incapable.
 *  abc		(RFC 3465) the first flight is counted (not -i segments:
 *		badicw), then acknowledged with -a ACKs per segment, each
 *		covering part of it; the next flight is recorded: the
 *		server counting bytes grows its window by at most -L
 *		segments per ACK.  success: both flights seen; the
 *		response ended first: tooshort.
 */
#include "config.h"

#include <netinet/in.h>
#include <string.h>

#include "scamper_tbit.h"
#include "stamp.h"
#include "task.h"
#include "tbit_int.h"

/* ---- pmtud -------------------------------------------------------------- */

#define PMTUD_WAIT	3000	/* ms for a retransmission after a PTB */
#define PMTUD_BH_RETX	8	/* blackhole: retransmissions still too big
				   that say the server does not adapt */

enum { PM_RECV, PM_BIG };

static int
ipv4_df(const struct pkt_reply *r)
{
	return r->af == AF_INET && r->pkt != NULL && r->pktlen >= 20 &&
	    (r->pkt[6] & 0x40) != 0;
}

/* A Packet Too Big for -M quoting R (as much as the MTU leaves room for,
 * as a router would). */
static int
send_ptb(struct tbit_state *s, const struct pkt_reply *r)
{
	struct scamper_tbit *t = s->t;
	struct pkt_probe p;
	size_t room = s->af == AF_INET ? (size_t)t->pmtud_mtu - 28 :
	    1280 - 48;

	memset(&p, 0, sizeof(p));
	p.af = s->af;
	if (t->pmtud_ptbsrc.type != 0)
		memcpy(p.src, t->pmtud_ptbsrc.addr, s->af == AF_INET ? 4 : 16);
	else
		memcpy(p.src, s->src, 16);
	memcpy(p.dst, s->dst, 16);
	p.ttl = 255;
	p.ipid = s->c.ipid++;
	if (s->af == AF_INET) {
		p.proto = IPPROTO_ICMP;
		p.icmp_type = 3;
		p.icmp_code = 4;
		p.icmp_seq = t->pmtud_mtu;
	} else {
		p.proto = IPPROTO_ICMPV6;
		p.icmp_type = 2;
		p.icmp_id = 0;
		p.icmp_seq = t->pmtud_mtu;
	}
	p.payload = r->pkt;
	p.paylen = r->pktlen < room ? r->pktlen : room;
	s->n1++;
	tbit_timer(s, PMTUD_WAIT);
	return tbit_send_raw(s, &p);
}

static void
pmtud_est(struct tbit_state *s)
{
	s->step = PM_RECV;
	tbit_send_req(s, 0);
	tbit_timer(s, TBIT_IDLE);
}

static int
covers(const struct tcpconn_seg *g, uint32_t seq)
{
	return g->datalen > 0 && SEQ_LEQ(g->seq, seq) &&
	    SEQ_GT(g->seq + g->datalen, seq);
}

/* The segment at the watched sequence came again in R. */
static void
pmtud_again(struct tbit_state *s, const struct tcpconn_seg *g,
    const struct pkt_reply *r)
{
	struct scamper_tbit *t = s->t;

	if (r->size <= t->pmtud_mtu) {
		tbit_finish(s, TBIT_R_PMTUD_SUCCESS);
	} else if (s->af == AF_INET && !ipv4_df(r)) {
		tbit_finish(s, TBIT_R_PMTUD_CLEARDF);
	} else if (t->pmtud_options & 0x01) {
		(void)g;	/* blackhole: the server must adapt by itself */
		if (++s->n2 >= PMTUD_BH_RETX)
			tbit_finish(s, TBIT_R_PMTUD_FAIL);
	} else if (s->n1 <= t->pmtud_ptb_retx) {
		send_ptb(s, r);
	} else
		tbit_finish(s, TBIT_R_PMTUD_FAIL);
}

static void
pmtud_seg(struct tbit_state *s, const struct tcpconn_seg *g,
    const struct pkt_reply *r)
{
	struct scamper_tbit *t = s->t;

	if (g->flags & TCP_RST) {
		s->peer_rst = 1;
		tbit_finish(s, TBIT_R_RST);
		return;
	}
	if (s->step == PM_BIG) {
		if (covers(g, s->mark))
			pmtud_again(s, g, r);
		return;
	}
	if (g->datalen > 0 && r->size > t->pmtud_mtu &&
	    SEQ_GEQ(g->seq, s->c.rcv_nxt)) {
		if (s->af == AF_INET && !ipv4_df(r)) {
			tbit_finish(s, TBIT_R_PMTUD_NODF);
			return;
		}
		s->step = PM_BIG;
		s->mark = s->c.rcv_nxt;
		s->got_data = 1;
		if (t->pmtud_options & 0x01)
			tbit_timer(s, TBIT_DEADLINE);	/* or PMTUD_BH_RETX */
		else
			send_ptb(s, r);
		return;
	}
	tbit_take(s, g);
	if (g->datalen > 0 || (g->flags & TCP_FIN))
		tbit_ack(s);
	if (s->got_fin)
		tbit_finish(s, s->got_data ? TBIT_R_PMTUD_TOOSMALL :
		    TBIT_R_PMTUD_NODATA);
	else
		tbit_timer(s, TBIT_IDLE);
}

static void
pmtud_timer(struct tbit_state *s)
{
	if (s->step == PM_BIG)
		tbit_finish(s, TBIT_R_PMTUD_FAIL);
	else
		tbit_finish(s, s->got_data ? TBIT_R_PMTUD_TOOSMALL :
		    TBIT_R_PMTUD_NODATA);
}

static const struct tbit_ops ops_pmtud = {
	.r_noack = TBIT_R_PMTUD_NOACK,
	.r_deadline = TBIT_R_PMTUD_FAIL,
	.est = pmtud_est,
	.seg = pmtud_seg,
	.timer = pmtud_timer,
};

/* ---- sack-rcvr ---------------------------------------------------------- */

#define SACK_PROMPT	200	/* ms: the longest a hole's retransmission
				   prompted by our ACKs takes to arrive */

static struct tbit_sack *
sv(struct tbit_state *s)
{
	return &s->sack;
}

static void
sack_est(struct tbit_state *s)
{
	if (!s->c.peer_sackok) {
		tbit_finish(s, TBIT_R_SACK_INCAPABLE);
		return;
	}
	memset(&s->sack, 0, sizeof(s->sack));
	tbit_send_req(s, 0);
	tbit_timer(s, TBIT_IDLE);
}

/* A duplicate ACK with our SACK blocks, the latest range first. */
static void
sack_dupack(struct tbit_state *s)
{
	struct tbit_sack *v = sv(s);
	uint32_t b[2][2];
	int n = 0;

	if (v->r2[1] != v->r2[0] && SEQ_GT(v->r2[1], s->c.rcv_nxt)) {
		b[n][0] = v->r2[0];
		b[n++][1] = v->r2[1];
	}
	if (v->r1[1] != v->r1[0] && SEQ_GT(v->r1[1], s->c.rcv_nxt)) {
		b[n][0] = v->r1[0];
		b[n++][1] = v->r1[1];
	}
	if (tbit_send(s, TCP_ACK, s->c.snd_nxt, s->c.rcv_nxt, NULL, 0, 0,
	    (const uint32_t (*)[2])b, n) == 0 && ++v->dupacks == 1)
		v->first = s->t->pktc - 1;
}

/* A new segment of the first flight (in sequence order). */
static void
sack_new(struct tbit_state *s, const struct tcpconn_seg *g)
{
	struct tbit_sack *v = sv(s);
	uint32_t end = g->seq + g->datalen;

	switch (++v->nseg) {
	case 1:
	case 2:
		tbit_take(s, g);
		tbit_ack(s);
		return;
	case 3:
		v->a0 = g->seq;
		v->a1 = end;
		return;
	case 4:
		v->r1[0] = g->seq;
		v->r1[1] = end;
		break;
	case 5:
		v->b0 = g->seq;
		v->b1 = end;
		return;
	default:
		if (v->r2[0] == v->r2[1])
			v->r2[0] = g->seq;
		v->r2[1] = end;
		break;
	}
	s->high = end;
	sack_dupack(s);
}

/* Nonzero if the hole's retransmission (the packet just recorded) came
 * late, from a timeout rather than our duplicate ACKs (see the top). */
static int
sack_late(struct tbit_state *s)
{
	const struct scamper_tbit *t = s->t;
	const struct scamper_tbit_pkt *p;
	int64_t rx = stamp_of_tv(&t->pkts[t->pktc - 1].tv).ns, tx;
	uint32_t i;

	if (s->sack.dupacks == 0)
		return 1;
	for (i = t->pktc - 1; i > s->sack.first; i--) {
		p = &t->pkts[i - 1];
		tx = stamp_of_tv(&p->tv).ns;
		if (p->dir == SCAMPER_TBIT_PKT_DIR_TX && tx <= rx)
			return rx - tx > SACK_PROMPT * (int64_t)1000000;
	}
	return 1;	/* before our first duplicate ACK */
}

/* G retransmits something: which hole, or SACKed data? */
static void
sack_retx(struct tbit_state *s, const struct tcpconn_seg *g)
{
	struct tbit_sack *v = sv(s);
	uint32_t h0 = v->filled == 0 ? v->a0 : v->b0;
	uint32_t h1 = v->filled == 0 ? v->a1 : v->b1;

	if ((v->r1[0] != v->r1[1] && covers(g, v->r1[0])) ||
	    (v->r2[0] != v->r2[1] && covers(g, v->r2[0]) &&
	    !covers(g, h0))) {
		tbit_finish(s, TBIT_R_SACK_NOSACK);
		return;
	}
	if (!covers(g, h0))
		return;
	if (g->seq != h0 || g->seq + g->datalen != h1)
		v->shifted = 1;
	if (sack_late(s))
		v->late = 1;
	if (v->filled++ == 0) {
		s->c.rcv_nxt = v->r1[1];
		sack_dupack(s);
		return;
	}
	s->c.rcv_nxt = s->high;
	tbit_ack(s);
	tbit_finish(s, v->late ? TBIT_R_SACK_TIMEOUT : v->shifted ?
	    TBIT_R_SACK_SHIFTED : TBIT_R_SACK_SUCCESS);
}

static void
sack_seg(struct tbit_state *s, const struct tcpconn_seg *g,
    const struct pkt_reply *r)
{
	struct tbit_sack *v = sv(s);

	(void)r;
	if (g->flags & TCP_RST) {
		s->peer_rst = 1;
		tbit_finish(s, TBIT_R_RST);
		return;
	}
	if (g->datalen == 0) {
		if ((g->flags & TCP_FIN) && v->nseg < 6)
			tbit_finish(s, TBIT_R_ABORTED);	/* too short */
		return;
	}
	if (SEQ_GEQ(g->seq, s->high) && v->filled == 0)
		sack_new(s, g);
	else
		sack_retx(s, g);
	if (s->phase == TP_TEST)
		tbit_timer(s, TBIT_IDLE);
}

static void
sack_timer(struct tbit_state *s)
{
	tbit_finish(s, sv(s)->nseg < 6 ? TBIT_R_ABORTED :
	    TBIT_R_SACK_TIMEOUT);
}

static const struct tbit_ops ops_sack = {
	.r_noack = TBIT_R_ABORTED,
	.r_deadline = TBIT_R_SACK_TIMEOUT,
	.est = sack_est,
	.seg = sack_seg,
	.timer = sack_timer,
};

/* ---- abc ---------------------------------------------------------------- */

#define ABC_GAP	100	/* ms without new data that ends a flight */

enum { ABC_FIRST, ABC_SECOND };

static void
abc_est(struct tbit_state *s)
{
	s->step = ABC_FIRST;
	s->n1 = s->n2 = 0;
	tbit_send_req(s, 0);
	tbit_timer(s, TBIT_IDLE);
}

/* Acknowledge the first flight, each segment with -a ACKs. */
static void
abc_ack_flight(struct tbit_state *s)
{
	uint32_t from = s->c.rcv_nxt, to = s->high;
	uint32_t mss = s->n1 > 0 ? (to - from) / s->n1 : 1;

	for (uint32_t seg = 0; seg < s->n1 && s->phase == TP_TEST; seg++) {
		uint32_t base = from + seg * mss;
		uint32_t end = seg + 1 == s->n1 ? to : base + mss;

		for (uint32_t k = 1; k <= s->abc_acks; k++) {
			uint32_t ack = k == s->abc_acks ? end :
			    base + (end - base) * k / s->abc_acks;

			tbit_send(s, TCP_ACK, s->c.snd_nxt, ack, NULL, 0, 0,
			    NULL, 0);
		}
	}
	s->c.rcv_nxt = to;
	s->rcv_bytes += to - from;
}

static void
abc_seg(struct tbit_state *s, const struct tcpconn_seg *g,
    const struct pkt_reply *r)
{
	(void)r;
	if (g->flags & TCP_RST) {
		s->peer_rst = 1;
		tbit_finish(s, TBIT_R_RST);
		return;
	}
	if (g->datalen > 0 && SEQ_GEQ(g->seq, s->high)) {
		s->high = g->seq + g->datalen;
		if (s->step == ABC_FIRST)
			s->n1++;
		else
			s->n2++;
		tbit_timer(s, ABC_GAP);
	}
	if (g->flags & TCP_FIN)
		tbit_finish(s, TBIT_R_ABC_TOOSHORT);
}

static void
abc_timer(struct tbit_state *s)
{
	if (s->expired || s->n1 == 0) {
		tbit_finish(s, TBIT_R_ABC_TOOSHORT);
		return;
	}
	if (s->step == ABC_FIRST) {
		if (s->n1 != s->abc_icw) {
			tbit_finish(s, TBIT_R_ABC_BADICW);
			return;
		}
		s->step = ABC_SECOND;
		abc_ack_flight(s);
		tbit_timer(s, TBIT_IDLE);
		return;
	}
	tbit_finish(s, s->n2 > 0 ? TBIT_R_ABC_SUCCESS : TBIT_R_ABC_TOOSHORT);
}

static const struct tbit_ops ops_abc = {
	.r_noack = TBIT_R_ABC_TOOSHORT,
	.r_deadline = TBIT_R_ABC_TOOSHORT,
	.est = abc_est,
	.seg = abc_seg,
	.timer = abc_timer,
};

const struct tbit_ops *
tbit_window_ops(uint8_t type)
{
	switch (type) {
	case SCAMPER_TBIT_TYPE_PMTUD:
		return &ops_pmtud;
	case SCAMPER_TBIT_TYPE_SACK_RCVR:
		return &ops_sack;
	case SCAMPER_TBIT_TYPE_ABC:
		return &ops_abc;
	}
	return NULL;
}
