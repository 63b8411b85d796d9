/*
 * sting_run.c: sting's connection and its two phases.
 *
 * After the handshake (its round trip is hsrtt), data seeding sends the
 * -c samples, one byte each, past an initial hole of -H bytes, at
 * intervals drawn uniformly from 0 to twice -m: every sample that
 * reaches the server is out of order, so the server answers each with a
 * duplicate ACK, and the ACKs that come back are dataackc.  After -i ms,
 * hole filling sends the hole's bytes; each ACK then names the first
 * byte the server lacks: that sample was lost on the way there (a hole:
 * holec, its packet flagged HOLE) and is sent again, until the server
 * acknowledges the whole request (result completed).  Forward loss is
 * holec / count; reverse loss is 1 - dataackc / (count - holec).
 *
 * As tbit, the connection is kept from the host's stack by a firewall
 * lease and its segments arrive through the datalink; only the SYN
 * waits for a pacing token.
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "scamper_list.h"
#include "scamper_sting.h"
#include "sting_int.h"
#include "task.h"

void
sting_state_clear(void *state)
{
	struct sting_state *st = state;

	free(st->txidx);
}

/* Append a packet with FLAGS (LEN bytes at BUF) at TV; returns its
 * index, or -1 (ENOMEM). */
static int
record(struct sting_state *st, uint8_t flags, const uint8_t *buf, size_t len,
    const struct timeval *tv)
{
	struct scamper_sting *s = st->s;
	struct scamper_sting_pkt *p;
	uint8_t *d;

	if (len == 0 || len > 65535 || (d = malloc(len)) == NULL)
		return -1;
	if (s->pktc == 0 || (s->pktc & (s->pktc - 1)) == 0) {
		size_t n = s->pktc == 0 ? 8 : (size_t)s->pktc * 2;

		if ((p = realloc(s->pkts, n * sizeof(*p))) == NULL) {
			free(d);
			return -1;
		}
		s->pkts = p;
	}
	memcpy(d, buf, len);
	p = &s->pkts[s->pktc];
	p->flags = flags;
	p->tv = *tv;
	p->data = d;
	p->len = (uint16_t)len;
	return (int)s->pktc++;
}

static void
sting_finish(struct sting_state *st, uint8_t result)
{
	int connected = st->phase >= SP_DATA && st->phase != SP_DONE;
	struct pkt_probe p;
	struct stamp tx;

	if (st->phase == SP_DONE)
		return;
	st->phase = SP_DONE;
	task_timer_cancel(st->task, &st->tm);
	st->s->result = result;
	if (connected) {
		/* the server forgets the connection */
		tcpconn_seg(&st->c, &p, TCP_RST, st->c.snd_nxt, 0, NULL, 0,
		    NULL, 0, 0);
		task_send(st->task, &p, &tx, UINT32_MAX);
	}
	task_finish(st->task);
}

/* Send P, recorded with FLAGS.  Returns its index, or -1 having ended
 * the measurement. */
static int
send_rec(struct sting_state *st, const struct pkt_probe *p, uint8_t flags)
{
	uint8_t buf[PKT_MAXLEN];
	size_t len = pkt_build(p, buf, sizeof(buf));
	struct timeval tv = { 0, 0 };
	int idx;

	if (len == 0 || (idx = record(st, SCAMPER_STING_PKT_FLAG_TX | flags,
	    buf, len, &tv)) == -1 ||
	    task_send(st->task, p, &st->last_tx, (uint32_t)idx) == -1) {
		log_debug("sting: cannot send: %s", strerror(errno));
		sting_finish(st, SCAMPER_STING_RESULT_NONE);
		return -1;
	}
	st->s->pkts[idx].tv = stamp_tv(st->last_tx);
	return idx;
}

/* Send LEN bytes of the request from sequence SEQ. */
static int
send_data(struct sting_state *st, uint32_t seq, size_t len, uint8_t flags)
{
	struct pkt_probe p;

	tcpconn_seg(&st->c, &p, TCP_ACK, seq, st->c.rcv_nxt, NULL, 0,
	    st->s->data + (seq - st->base), len, 0);
	return send_rec(st, &p, flags);
}

/* ---- the phases --------------------------------------------------------- */

static int64_t
next_gap(struct sting_state *st)
{
	return (int64_t)(task_random(st->task) % (2u * st->s->mean + 1));
}

static void
send_sample(struct sting_state *st)
{
	struct scamper_sting *s = st->s;
	int idx;

	if ((idx = send_data(st, st->base + s->seqskip + st->sent, 1,
	    SCAMPER_STING_PKT_FLAG_DATA)) == -1)
		return;
	st->txidx[st->sent++] = (uint32_t)idx;
	if (st->sent < s->count)
		task_timer(st->task, &st->tm, next_gap(st));
	else {
		st->phase = SP_INTER;
		task_timer(st->task, &st->tm, s->inter);
	}
}

/* Send the bytes the server lacks from FROM: the initial hole, or the
 * one sample there. */
static void
send_filler(struct sting_state *st, uint32_t from)
{
	uint32_t hole_end = st->base + st->s->seqskip;
	size_t len = SEQ_LT(from, hole_end) ? hole_end - from : 1;

	if (send_data(st, from, len, SCAMPER_STING_PKT_FLAG_HOLE) != -1)
		task_timer(st->task, &st->tm, STING_RTO);
}

static void
on_tm(void *arg)
{
	struct sting_state *st = arg;

	switch (st->phase) {
	case SP_SYN:
		if (st->retx++ >= st->s->synretx) {
			sting_finish(st, SCAMPER_STING_RESULT_NONE);
			return;
		}
		sting_probe(st->task);
		return;
	case SP_DATA:
		send_sample(st);
		return;
	case SP_INTER:
		st->phase = SP_HOLE;
		st->retx = 0;
		st->filled = st->base;
		send_filler(st, st->base);
		return;
	case SP_HOLE:
		if (st->retx++ >= st->s->dataretx) {
			sting_finish(st, SCAMPER_STING_RESULT_NONE);
			return;
		}
		send_filler(st, st->filled);
		return;
	default:
		return;
	}
}

int
sting_probe(struct task *task)
{
	struct sting_state *st = task_state(task);
	struct pkt_probe p;
	uint8_t opts[40];
	size_t optlen;
	int idx;

	if (st->phase != SP_SYN)
		return 0;
	optlen = tcpconn_syn_opts(&st->c, opts);
	tcpconn_seg(&st->c, &p, TCP_SYN, st->c.iss, 0, opts, optlen, NULL, 0,
	    0);
	if ((idx = send_rec(st, &p, 0)) == -1)
		return 1;
	st->synidx = (uint32_t)idx;
	st->syn_tx = st->last_tx;
	task_timer(task, &st->tm, (int64_t)STING_RTO << st->retx);
	return 1;
}

/* The SYN/ACK: the handshake's round trip, our ACK, data seeding. */
static void
established(struct sting_state *st, const struct tcpconn_seg *g,
    const struct stamp *rx)
{
	struct scamper_sting *s = st->s;
	/* the SYN's send time to the nanosecond; never clamped */
	int64_t us = (int32_t)task_rtt_us(st->task, st->syn_tx, *rx);
	struct pkt_probe p;

	tcpconn_synack(&st->c, g);
	s->hsrtt.tv_sec = (time_t)(us / 1000000);
	s->hsrtt.tv_usec = (suseconds_t)(us % 1000000);
	if (s->hsrtt.tv_usec < 0) {
		s->hsrtt.tv_sec--;
		s->hsrtt.tv_usec += 1000000;
	}
	st->base = st->c.snd_nxt;
	st->c.snd_nxt = st->base + s->datalen;
	tcpconn_seg(&st->c, &p, TCP_ACK, st->base, st->c.rcv_nxt, NULL, 0,
	    NULL, 0, 0);
	if (send_rec(st, &p, 0) == -1)
		return;
	st->phase = SP_DATA;
	task_timer_cancel(st->task, &st->tm);
	send_sample(st);
}

/* An ACK in hole filling: the server lacks the byte at ACK. */
static void
hole_ack(struct sting_state *st, uint32_t ack)
{
	struct scamper_sting *s = st->s;
	uint32_t first = st->base + s->seqskip;

	if (!SEQ_GT(ack, st->filled))
		return;
	st->filled = ack;
	st->retx = 0;
	if (SEQ_GEQ(ack, first + s->count)) {
		sting_finish(st, SCAMPER_STING_RESULT_COMPLETED);
		return;
	}
	if (SEQ_GEQ(ack, first)) {
		/* the sample there never reached the server */
		s->holec++;
		s->pkts[st->txidx[ack - first]].flags |=
		    SCAMPER_STING_PKT_FLAG_HOLE;
	}
	send_filler(st, ack);
}

void
sting_reply(struct task *task, const struct pkt_reply *r,
    const struct stamp *rx)
{
	struct sting_state *st = task_state(task);
	struct tcpconn_seg g;
	struct timeval rtv;
	uint8_t fl = SCAMPER_STING_PKT_FLAG_RX;

	if (st->phase < SP_SYN || st->phase == SP_DONE ||
	    !tcpconn_mine(&st->c, r) || r->pkt == NULL ||
	    tcpconn_parse(r, &g) == -1)
		return;
	if (st->phase == SP_DATA || st->phase == SP_INTER)
		fl |= SCAMPER_STING_PKT_FLAG_DATA;
	rtv = stamp_tv(*rx);
	if (record(st, fl, r->pkt, r->pktlen, &rtv) == -1) {
		sting_finish(st, SCAMPER_STING_RESULT_NONE);
		return;
	}
	if (g.flags & TCP_RST) {
		sting_finish(st, SCAMPER_STING_RESULT_NONE);
		return;
	}
	if (st->phase == SP_SYN) {
		if ((g.flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK) &&
		    g.ack == st->c.iss + 1)
			established(st, &g, rx);
		return;
	}
	if (!(g.flags & TCP_ACK))
		return;
	if (st->phase == SP_HOLE)
		hole_ack(st, g.ack);
	else if (g.datalen == 0 && g.ack == st->base)
		st->s->dataackc++;
}

/* ---- starting ----------------------------------------------------------- */

static void
on_dl_ready(struct task *task, int err, const char *why)
{
	struct sting_state *st = task_state(task);

	if (err != 0) {
		log_warnx("sting: datalink: %s", why);
		sting_finish(st, SCAMPER_STING_RESULT_NONE);
		return;
	}
	st->phase = SP_SYN;
	task_want_probe(task);
}

static void
on_fw_ready(struct task *task, int err, uint16_t sport)
{
	struct sting_state *st = task_state(task);
	char why[256];

	if (err != 0) {
		log_warnx("sting: firewall rule: %s", strerror(err));
		sting_finish(st, SCAMPER_STING_RESULT_NONE);
		return;
	}
	st->c.sport = st->s->sport = sport;
	if (task_flow(task, st->af, IPPROTO_TCP, sport, st->dst) == -1 ||
	    task_datalink(task, TASK_DL_TS, st->af, st->dst, NULL, on_dl_ready,
	    NULL, why, sizeof(why)) == -1) {
		log_warnx("sting: port %u: %s", sport, errno == EEXIST ?
		    "another task uses it" : why);
		sting_finish(st, SCAMPER_STING_RESULT_NONE);
	}
}

int
sting_start(struct task *task, char *err, size_t errlen)
{
	struct sting_state *st = task_state(task);
	struct scamper_sting *s = st->s;
	static const uint8_t any[16];
	int at = task_addr_type(st->af);
	uint16_t mtu;

	/* what a refusal's record needs comes first (sting_refused): the
	 * source stays unspecified until the route gives it */
	timer_init(&st->tm, on_tm, st);
	task_list_cycle(task, &s->list, &s->cycle);
	s->start = task_walltime(task);
	scamper_addr_set(&s->src, at, any);
	scamper_addr_set(&s->dst, at, st->dst);
	st->phase = SP_LEASE;
	if (task_route_src(task, st->af, st->dst, st->src) == -1)
		return task_start_fail(err, errlen, "no route to the target");
	scamper_addr_set(&s->src, at, st->src);
	tcpconn_init(&st->c, st->af, st->src, st->dst, st->want_sport,
	    s->dport, task_random(task));
	if (task_ifmtu(task, st->af, st->src, &mtu) == -1)
		mtu = 1500;
	st->c.mss = (uint16_t)(mtu - (st->af == AF_INET ? 40 : 60));
	st->c.ipid = (uint16_t)task_random(task);
	s->sport = st->want_sport;
	if (task_fw_lease(task, st->af, st->src, st->dst, st->want_sport,
	    s->dport, on_fw_ready) == -1)
		return task_start_fail(err, errlen, "firewall");
	return 0;
}

void
sting_refused(struct task *task, int err)
{
	(void)err;	/* the result has no room for it: logged */
	sting_finish(task_state(task), SCAMPER_STING_RESULT_NONE);
}

int
sting_sent(struct task *task, uint32_t idx, int err, const struct stamp *tx,
    enum stamp_src src)
{
	struct sting_state *st = task_state(task);

	(void)src;
	if (err != 0) {
		if (idx != UINT32_MAX)
			sting_finish(st, SCAMPER_STING_RESULT_NONE);
		return 0;
	}
	if (idx >= st->s->pktc)
		return 0;
	/* the handshake's RTT is made when the SYN/ACK comes, after every
	 * timestamp of the SYN (the core reads them first) */
	st->s->pkts[idx].tv = stamp_tv(*tx);
	if (idx == st->synidx)
		st->syn_tx = *tx;
	return 1;
}

void
sting_halt(struct task *task)
{
	sting_finish(task_state(task), SCAMPER_STING_RESULT_NONE);
}
