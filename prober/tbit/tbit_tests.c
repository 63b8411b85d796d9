/*
 * tbit_tests.c: the simpler tbit types: what each does with the
 * connection of tbit_run.c and what it infers.  (pmtud, sack-rcvr and
 * abc are in tbit_window.c.)
 *
 *  null	fetch the response, acknowledging every segment: success
 *		once data came and the server closed or went idle, nodata
 *		if none came; null_results says which offered options the
 *		server's SYN/ACK took up (timestamps, SACK, a fast-open
 *		cookie or the SYN's data acknowledged).
 *  ecn		SYN with ECE|CWR; a SYN/ACK without ECE: incapable, with
 *		both: badsynack; else the request goes marked CE and the
 *		segment acknowledging it says: ECE success, none noece;
 *		never acknowledged: noack; the server closed or went idle
 *		without acknowledging it: nodata.
 *  icw		fetch without acknowledging anything: the server sends its
 *		initial window, then retransmits (success: the window is
 *		the bytes before the first retransmission from
 *		icw_start_seq); a FIN or silence first: tooshort.
 *  blind-*	RFC 5961: on the established connection send a RST or SYN
 *		at sequence snd_nxt + offset, data whose acknowledgement
 *		number is the server's snd_nxt + offset, or a FIN at
 *		snd_nxt + offset, up to blind_retx times a second apart.
 *		An ACK that acknowledges nothing new: challenge; data
 *		accepted (acknowledged) or a FIN taken: accepted; a reset:
 *		rst; a SYN/ACK with a new ISN: synnew.  Silence: the
 *		request is sent normally to see whether the connection
 *		still exists: a reset says the blind packet was accepted
 *		(rst, syn) and an answer that it was ignored.
 */
#include "config.h"

#include <netinet/in.h>
#include <string.h>

#include "scamper_tbit.h"
#include "task.h"
#include "tbit_int.h"

/* A reset from the server ends every test but the blind ones. */
static int
on_rst(struct tbit_state *s, const struct tcpconn_seg *g)
{
	if (!(g->flags & TCP_RST))
		return 0;
	s->peer_rst = 1;
	tbit_finish(s, TBIT_R_RST);
	return 1;
}

/* Take G's in-order data and FIN and acknowledge what came (out of
 * order: a duplicate ACK).  Returns the new bytes. */
static uint32_t
take_ack(struct tbit_state *s, const struct tcpconn_seg *g)
{
	uint32_t rn = s->c.rcv_nxt;
	uint32_t n = tbit_take(s, g);

	if (g->datalen > 0 || s->c.rcv_nxt != rn)
		tbit_ack(s);
	return n;
}

/* ---- null --------------------------------------------------------------- */

static void
null_est(struct tbit_state *s)
{
	struct scamper_tbit *t = s->t;

	if ((s->c.offer & TCPCONN_O_TS) && s->c.peer_ts)
		t->null_results |= 0x01;
	if ((s->c.offer & TCPCONN_O_SACK) && s->c.peer_sackok)
		t->null_results |= 0x02;
	if ((s->c.offer & (TCPCONN_O_FO | TCPCONN_O_FOEXP)) &&
	    ((s->c.peer_fo && s->c.peer_cookie_len > 0) ||
	    (s->syn_data && s->req_state == 2)))
		t->null_results |= 0x04;
	if (s->req_state == 2)
		tbit_ack(s);
	else
		tbit_send_req(s, 0);
	tbit_timer(s, TBIT_IDLE);
}

static void
null_done(struct tbit_state *s)
{
	tbit_finish(s, s->got_data ? TBIT_R_NULL_SUCCESS :
	    TBIT_R_NULL_NODATA);
}

static void
null_seg(struct tbit_state *s, const struct tcpconn_seg *g,
    const struct pkt_reply *r)
{
	(void)r;
	if (on_rst(s, g))
		return;
	take_ack(s, g);
	if (s->phase != TP_TEST)
		return;
	if (s->got_fin || s->rcv_bytes >= TBIT_MAXDATA)
		null_done(s);
	else
		tbit_timer(s, TBIT_IDLE);
}

static const struct tbit_ops ops_null = {
	.r_noack = TBIT_R_NULL_NODATA,
	.r_deadline = TBIT_R_NULL_NODATA,
	.est = null_est,
	.seg = null_seg,
	.timer = null_done,
};

/* ---- ecn ---------------------------------------------------------------- */

static void
ecn_est(struct tbit_state *s)
{
	uint8_t f = s->synack_flags & (TCP_ECE | TCP_CWR);

	if (f == (TCP_ECE | TCP_CWR))
		tbit_finish(s, TBIT_R_ECN_BADSYNACK);
	else if (f != TCP_ECE)
		tbit_finish(s, TBIT_R_ECN_INCAPABLE);
	else {
		tbit_send_req(s, 0x03);		/* CE */
		tbit_timer(s, TBIT_IDLE);
	}
}

static void
ecn_req_acked(struct tbit_state *s, const struct tcpconn_seg *g)
{
	tbit_finish(s, (g->flags & TCP_ECE) ? TBIT_R_ECN_SUCCESS :
	    TBIT_R_ECN_NOECE);
}

static void
ecn_seg(struct tbit_state *s, const struct tcpconn_seg *g,
    const struct pkt_reply *r)
{
	(void)r;
	if (on_rst(s, g))
		return;
	take_ack(s, g);
	if (s->phase == TP_TEST && s->got_fin)
		tbit_finish(s, TBIT_R_ECN_NODATA);
	else if (s->phase == TP_TEST)
		tbit_timer(s, TBIT_IDLE);
}

static void
ecn_timer(struct tbit_state *s)
{
	tbit_finish(s, TBIT_R_ECN_NODATA);
}

static const struct tbit_ops ops_ecn = {
	.synflags = TCP_ECE | TCP_CWR,
	.r_noack = TBIT_R_ECN_NOACK,
	.r_deadline = TBIT_R_ECN_NOACK,
	.est = ecn_est,
	.seg = ecn_seg,
	.timer = ecn_timer,
	.req_acked = ecn_req_acked,
};

/* ---- icw ---------------------------------------------------------------- */

static void
icw_est(struct tbit_state *s)
{
	s->t->icw_start_seq = s->c.rcv_nxt;
	tbit_send_req(s, 0);
	tbit_timer(s, TBIT_IDLE);
}

static void
icw_seg(struct tbit_state *s, const struct tcpconn_seg *g,
    const struct pkt_reply *r)
{
	(void)r;
	if (on_rst(s, g))
		return;
	if (g->datalen > 0 && SEQ_LT(g->seq, s->high)) {
		/* a retransmission: the window was everything before it */
		tbit_finish(s, TBIT_R_ICW_SUCCESS);
		return;
	}
	if (g->datalen > 0 && SEQ_GT(g->seq + g->datalen, s->high))
		s->high = g->seq + g->datalen;
	if (g->flags & TCP_FIN) {
		tbit_finish(s, TBIT_R_ICW_TOOSHORT);
		return;
	}
	if (g->datalen > 0)
		s->got_data = 1;
	tbit_timer(s, TBIT_IDLE);
}

static void
icw_timer(struct tbit_state *s)
{
	tbit_finish(s, TBIT_R_ICW_TOOSHORT);
}

static const struct tbit_ops ops_icw = {
	.r_noack = TBIT_R_ICW_TOOSHORT,
	.r_deadline = TBIT_R_ICW_TOOSHORT,
	.est = icw_est,
	.seg = icw_seg,
	.timer = icw_timer,
};

/* ---- blind-* ------------------------------------------------------------ */

#define BLIND_WAIT	1000	/* ms between blind packets */

enum { B_BLIND, B_PROBE };

static int
blind_send(struct tbit_state *s)
{
	struct scamper_tbit *t = s->t;
	uint32_t off = (uint32_t)t->blind_off;

	s->n1++;
	tbit_timer(s, BLIND_WAIT);
	switch (t->type) {
	case SCAMPER_TBIT_TYPE_BLIND_RST:
		return tbit_send(s, TCP_RST, s->c.snd_nxt + off, 0, NULL, 0, 0,
		    NULL, 0);
	case SCAMPER_TBIT_TYPE_BLIND_SYN:
		return tbit_send(s, TCP_SYN, s->c.snd_nxt + off, 0, NULL, 0, 0,
		    NULL, 0);
	case SCAMPER_TBIT_TYPE_BLIND_FIN:
		return tbit_send(s, TCP_FIN | TCP_ACK, s->c.snd_nxt + off,
		    s->c.rcv_nxt, NULL, 0, 0, NULL, 0);
	default:	/* blind-data: the request, acknowledging off away */
		return tbit_send(s, TCP_ACK | TCP_PSH, s->c.snd_nxt,
		    s->c.rcv_nxt + off, s->req, s->reqlen, 0, NULL, 0);
	}
}

static void
blind_est(struct tbit_state *s)
{
	s->step = B_BLIND;
	/* complete the handshake first: the blind packet is for an
	 * established connection */
	if (tbit_ack(s) == 0)
		blind_send(s);
}

/* The server answered the blind packet with G. */
static void
blind_answer(struct tbit_state *s, const struct tcpconn_seg *g)
{
	uint8_t type = s->t->type;

	if (g->flags & TCP_RST) {
		s->peer_rst = 1;
		tbit_finish(s, TBIT_R_BLIND_RST);
	} else if ((g->flags & TCP_SYN) && g->seq != s->c.irs) {
		tbit_finish(s, TBIT_R_BLIND_SYNNEW);
	} else if (type == SCAMPER_TBIT_TYPE_BLIND_DATA &&
	    SEQ_GEQ(g->ack, s->c.snd_nxt + (uint32_t)s->reqlen)) {
		s->c.snd_nxt += (uint32_t)s->reqlen;
		tbit_finish(s, TBIT_R_BLIND_ACCEPTED);
	} else if (type == SCAMPER_TBIT_TYPE_BLIND_FIN &&
	    g->ack == s->c.snd_nxt + (uint32_t)s->t->blind_off + 1) {
		s->c.snd_nxt = g->ack;
		tbit_finish(s, TBIT_R_BLIND_ACCEPTED);
	} else if ((g->flags & TCP_ACK) && g->datalen == 0)
		tbit_finish(s, TBIT_R_BLIND_CHALLENGE);
}

static void
blind_seg(struct tbit_state *s, const struct tcpconn_seg *g,
    const struct pkt_reply *r)
{
	(void)r;
	if (s->step == B_BLIND) {
		blind_answer(s, g);
		return;
	}
	/* probing with the request: is the connection still there? */
	s->peer_rst = (g->flags & TCP_RST) != 0;
	if (g->flags & TCP_RST)
		tbit_finish(s, s->t->type == SCAMPER_TBIT_TYPE_BLIND_SYN ?
		    TBIT_R_BLIND_RST : TBIT_R_BLIND_ACCEPTED);
	else if (s->req_state == 2 || g->datalen > 0)
		tbit_finish(s, TBIT_R_BLIND_IGNORED);
}

static void
blind_timer(struct tbit_state *s)
{
	if (s->expired)
		return;
	if (s->step == B_BLIND && s->n1 < s->t->blind_retx) {
		blind_send(s);
		return;
	}
	if (s->step == B_BLIND && s->t->type != SCAMPER_TBIT_TYPE_BLIND_DATA) {
		s->step = B_PROBE;
		tbit_send_req(s, 0);
		tbit_timer(s, TBIT_IDLE);
		return;
	}
	tbit_finish(s, TBIT_R_BLIND_IGNORED);
}

static const struct tbit_ops ops_blind = {
	.r_noack = TBIT_R_BLIND_IGNORED,
	.r_deadline = TBIT_R_BLIND_IGNORED,
	.est = blind_est,
	.seg = blind_seg,
	.timer = blind_timer,
};

const struct tbit_ops *
tbit_ops_of(uint8_t type)
{
	switch (type) {
	case SCAMPER_TBIT_TYPE_NULL:
		return &ops_null;
	case SCAMPER_TBIT_TYPE_ECN:
		return &ops_ecn;
	case SCAMPER_TBIT_TYPE_ICW:
		return &ops_icw;
	case SCAMPER_TBIT_TYPE_BLIND_DATA:
	case SCAMPER_TBIT_TYPE_BLIND_RST:
	case SCAMPER_TBIT_TYPE_BLIND_SYN:
	case SCAMPER_TBIT_TYPE_BLIND_FIN:
		return &ops_blind;
	}
	return tbit_window_ops(type);
}
