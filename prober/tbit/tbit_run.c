/*
 * tbit_run.c: the connection every tbit type uses.  Start: the source
 * address, a firewall lease for the 5-tuple (the helper picks our port
 * unless -s names one) and the datalink the replies now arrive on; then
 * a SYN (under a pacing token), retransmitted -q times, 1 s doubling.
 * Connected: the type's logic (tbit_tests.c) runs on every segment; the
 * request is retransmitted until acknowledged.  Every packet sent and
 * received is recorded, from the IP header on, with its time.  The end
 * resets the connection so the server forgets it, and the lease goes
 * with the task.
 *
 * Only the SYN waits for a pacing token: the rest answer the server (an
 * ACK held back by pacing would change what the test measures).
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "scamper_list.h"
#include "scamper_tbit.h"
#include "task.h"
#include "tbit_int.h"

void
tbit_state_clear(void *state)
{
	struct tbit_state *s = state;

	free(s->req);
}

/* ---- recording ---------------------------------------------------------- */

/* Append a packet of DIR (LEN bytes at BUF) at TV; returns its index,
 * or -1 (ENOMEM). */
static int
record(struct tbit_state *s, uint8_t dir, const uint8_t *buf, size_t len,
    const struct timeval *tv)
{
	struct scamper_tbit *t = s->t;
	struct scamper_tbit_pkt *p;
	uint8_t *d;

	if (len == 0 || len > 65535 || (d = malloc(len)) == NULL)
		return -1;
	if ((t->pktc & (t->pktc - 1)) == 0 || t->pktc == 0) {
		size_t n = t->pktc == 0 ? 8 : (size_t)t->pktc * 2;

		if ((p = realloc(t->pkts, n * sizeof(*p))) == NULL) {
			free(d);
			return -1;
		}
		t->pkts = p;
	}
	memcpy(d, buf, len);
	p = &t->pkts[t->pktc];
	p->dir = dir;
	p->tv = *tv;
	p->data = d;
	p->len = (uint16_t)len;
	return (int)t->pktc++;
}

/* ---- finishing ---------------------------------------------------------- */

static void
stop_timers(struct tbit_state *s)
{
	task_timer_cancel(s->task, &s->syn_tm);
	task_timer_cancel(s->task, &s->req_tm);
	task_timer_cancel(s->task, &s->tm);
	task_timer_cancel(s->task, &s->deadline);
}

void
tbit_finish(struct tbit_state *s, uint16_t result)
{
	int connected = s->phase == TP_TEST;

	if (s->phase == TP_DONE)
		return;
	s->phase = TP_DONE;
	if (connected && !s->peer_rst && result != TBIT_R_SYSERR)
		/* the server forgets us: no retransmissions after the test */
		tbit_send(s, TCP_RST, s->c.snd_nxt, 0, NULL, 0, 0, NULL, 0);
	stop_timers(s);
	s->t->result = result;
	s->t->synretx = s->synretx;
	task_finish(s->task);
}

/* ---- sending ------------------------------------------------------------ */

/* Send P and record it.  Returns 0, or -1 having finished the test. */
static int
send_probe(struct tbit_state *s, const struct pkt_probe *p)
{
	uint8_t buf[PKT_MAXLEN];
	size_t len = pkt_build(p, buf, sizeof(buf));
	struct timeval tv = { 0, 0 };
	struct stamp tx;
	int idx;

	if (len == 0 || (idx = record(s, SCAMPER_TBIT_PKT_DIR_TX, buf, len,
	    &tv)) == -1) {
		log_debug("tbit: cannot build or record a packet");
		tbit_finish(s, TBIT_R_SYSERR);
		return -1;
	}
	if (task_send(s->task, p, &tx, (uint32_t)idx) == -1) {
		log_debug("tbit: send: %s", strerror(errno));
		tbit_finish(s, TBIT_R_SYSERR);
		return -1;
	}
	s->t->pkts[idx].tv = stamp_tv(tx);
	return 0;
}

int
tbit_send(struct tbit_state *s, uint8_t flags, uint32_t seq, uint32_t ack,
    const uint8_t *data, size_t len, uint8_t tos, const uint32_t (*sack)[2],
    int nsack)
{
	struct pkt_probe p;
	uint8_t opts[40];
	size_t optlen = tcpconn_opts(&s->c, sack, nsack, opts);

	tcpconn_seg(&s->c, &p, flags, seq, ack, opts, optlen, data, len, tos);
	return send_probe(s, &p);
}

int
tbit_send_raw(struct tbit_state *s, const struct pkt_probe *p)
{
	return send_probe(s, p);
}

int
tbit_ack(struct tbit_state *s)
{
	return tbit_send(s, TCP_ACK, s->c.snd_nxt, s->c.rcv_nxt, NULL, 0, 0,
	    NULL, 0);
}

static void
on_req_tm(void *arg)
{
	struct tbit_state *s = arg;

	if (s->req_state != 1)
		return;
	if (s->t->dataretx + 1 >= s->attempts) {
		tbit_finish(s, s->ops->r_noack);
		return;
	}
	s->t->dataretx++;
	tbit_send_req(s, s->req_tos);
}

int
tbit_send_req(struct tbit_state *s, uint8_t tos)
{
	if (s->req_state == 0) {
		s->req_seq = s->c.snd_nxt;
		s->c.snd_nxt += (uint32_t)s->reqlen;
		s->req_state = 1;
		s->req_tos = tos;
		s->req_rto = TBIT_DATA_RTO;
	} else
		s->req_rto *= 2;
	if (tbit_send(s, TCP_ACK | TCP_PSH, s->req_seq, s->c.rcv_nxt, s->req,
	    s->reqlen, tos, NULL, 0) == -1)
		return -1;
	task_timer(s->task, &s->req_tm, s->req_rto);
	return 0;
}

/* ---- the receiver's view ------------------------------------------------ */

uint32_t
tbit_take(struct tbit_state *s, const struct tcpconn_seg *g)
{
	uint32_t end = g->seq + g->datalen, n = 0;

	if (g->datalen > 0) {
		s->got_data = 1;
		if (SEQ_GT(end, s->high))
			s->high = end;
		if (SEQ_LEQ(g->seq, s->c.rcv_nxt) &&
		    SEQ_GT(end, s->c.rcv_nxt)) {
			n = end - s->c.rcv_nxt;
			s->c.rcv_nxt = end;
			s->rcv_bytes += n;
		}
	}
	if ((g->flags & TCP_FIN) && end == s->c.rcv_nxt && !s->got_fin) {
		s->c.rcv_nxt++;
		s->got_fin = 1;
	}
	return n;
}

int
tbit_req_acked(const struct tbit_state *s, const struct tcpconn_seg *g)
{
	return s->req_state != 0 && (g->flags & TCP_ACK) &&
	    SEQ_GEQ(g->ack, s->req_seq + (uint32_t)s->reqlen);
}

void
tbit_timer(struct tbit_state *s, int64_t ms)
{
	task_timer(s->task, &s->tm, ms);
}

void
tbit_timer_stop(struct tbit_state *s)
{
	task_timer_cancel(s->task, &s->tm);
}

/* ---- the handshake ------------------------------------------------------ */

static int
send_syn(struct tbit_state *s)
{
	struct pkt_probe p;
	uint8_t opts[40];
	size_t optlen = tcpconn_syn_opts(&s->c, opts);
	int data = s->c.fo_len > 0;

	tcpconn_seg(&s->c, &p, TCP_SYN | s->ops->synflags, s->c.iss, 0, opts,
	    optlen, data ? s->req : NULL, data ? s->reqlen : 0, 0);
	p.ipopts = s->ipoptlen > 0 ? s->ipopts : NULL;
	p.ipoptlen = s->ipoptlen;
	s->syn_data = data;
	return send_probe(s, &p);
}

static void
on_syn_tm(void *arg)
{
	struct tbit_state *s = arg;

	if (s->phase != TP_SYN)
		return;
	if (s->synretx + 1 >= s->attempts) {
		tbit_finish(s, TBIT_R_NOCONN);
		return;
	}
	s->synretx++;
	if (send_syn(s) == 0)
		task_timer(s->task, &s->syn_tm,
		    (int64_t)TBIT_SYN_RTO << s->synretx);
}

int
tbit_probe(struct task *task)
{
	struct tbit_state *s = task_state(task);

	if (s->phase != TP_SYN || s->t->pktc != 0)
		return 0;
	if (send_syn(s) == 0)
		task_timer(task, &s->syn_tm, TBIT_SYN_RTO);
	return 1;
}

/* The SYN/ACK G arrived: note what the server said, start the test. */
static void
established(struct tbit_state *s, const struct tcpconn_seg *g)
{
	struct scamper_tbit *t = s->t;

	task_timer_cancel(s->task, &s->syn_tm);
	tcpconn_synack(&s->c, g);
	s->synack_flags = g->flags;
	s->high = s->c.rcv_nxt;
	t->server_mss = g->mss;
	if (s->syn_data) {
		/* the request went with the SYN: acknowledged or not */
		s->req_seq = s->c.iss + 1;
		s->req_state = SEQ_GEQ(g->ack, s->req_seq +
		    (uint32_t)s->reqlen) ? 2 : 0;
		s->c.snd_nxt = s->c.iss + 1;
		if (s->req_state == 2)
			s->c.snd_nxt += (uint32_t)s->reqlen;
	}
	s->phase = TP_TEST;
	if (g->win == 0) {
		tbit_finish(s, TBIT_R_ZEROWIN);
		return;
	}
	s->ops->est(s);
}

static void
syn_reply(struct tbit_state *s, const struct tcpconn_seg *g)
{
	uint32_t want = s->c.iss + 1;

	if ((g->flags & TCP_RST) && (g->flags & TCP_ACK) &&
	    SEQ_GEQ(g->ack, want)) {
		tbit_finish(s, TBIT_R_NOCONN_RST);
		return;
	}
	if ((g->flags & (TCP_SYN | TCP_ACK)) != (TCP_SYN | TCP_ACK) ||
	    SEQ_LT(g->ack, want) || SEQ_GT(g->ack, want +
	    (s->syn_data ? (uint32_t)s->reqlen : 0)))
		return;
	established(s, g);
}

/* ---- replies -------------------------------------------------------------- */

static void
test_reply(struct tbit_state *s, const struct tcpconn_seg *g,
    const struct pkt_reply *r)
{
	if ((g->flags & TCP_SYN) && g->seq == s->c.irs) {
		tbit_ack(s);	/* the SYN/ACK again: our ACK was lost */
		return;
	}
	if (s->req_state == 1 && tbit_req_acked(s, g)) {
		s->req_state = 2;
		task_timer_cancel(s->task, &s->req_tm);
		if (s->ops->req_acked != NULL)
			s->ops->req_acked(s, g);
		if (s->phase != TP_TEST)
			return;
	}
	if (s->c.peer_ts && g->has_ts)
		s->c.ts_recent = g->tsval;
	s->ops->seg(s, g, r);
}

/* The whole packet R as it arrived (IPv6 TCP from a raw socket has no
 * header: those are not ours, the firewall keeps them from it). */
static int
record_rx(struct tbit_state *s, const struct pkt_reply *r,
    const struct stamp *rx)
{
	struct timeval tv = stamp_tv(*rx);

	if (r->pkt == NULL || r->pktlen == 0)
		return -1;
	if (record(s, SCAMPER_TBIT_PKT_DIR_RX, r->pkt, r->pktlen, &tv) == -1) {
		tbit_finish(s, TBIT_R_SYSERR);
		return -1;
	}
	return 0;
}

void
tbit_reply(struct task *task, const struct pkt_reply *r,
    const struct stamp *rx)
{
	struct tbit_state *s = task_state(task);
	struct tcpconn_seg g;

	if (s->phase != TP_SYN && s->phase != TP_TEST)
		return;
	if (r->has_quote) {
		/* an ICMP error about our packets: the connection failed,
		 * unless it is about a Packet Too Big we sent */
		if (record_rx(s, r, rx) == 0 && r->q.proto == IPPROTO_TCP &&
		    r->q.dport == s->c.dport)
			tbit_finish(s, TBIT_R_ERROR);
		return;
	}
	if (!tcpconn_mine(&s->c, r) || record_rx(s, r, rx) == -1)
		return;
	if (tcpconn_parse(r, &g) == -1) {
		if (s->phase == TP_SYN)
			tbit_finish(s, TBIT_R_BADOPT);
		return;
	}
	if (s->phase == TP_SYN)
		syn_reply(s, &g);
	else
		test_reply(s, &g, r);
}

/* ---- starting ----------------------------------------------------------- */

/* The deadline: the type's timer decides what it means, if it has
 * one; else (or if it goes on) the type's deadline result. */
static void
on_deadline(void *arg)
{
	struct tbit_state *s = arg;

	if (s->phase == TP_TEST && s->ops->timer != NULL) {
		s->expired = 1;
		s->ops->timer(s);
	}
	tbit_finish(s, s->ops->r_deadline);
}

static void
on_tm(void *arg)
{
	struct tbit_state *s = arg;

	if (s->phase == TP_TEST && s->ops->timer != NULL)
		s->ops->timer(s);
}

static void
on_dl_ready(struct task *task, int err, const char *why)
{
	struct tbit_state *s = task_state(task);

	if (err != 0) {
		log_warnx("tbit: datalink: %s", why);
		tbit_finish(s, TBIT_R_SYSERR);
		return;
	}
	s->phase = TP_SYN;
	task_want_probe(task);
}

static void
on_fw_ready(struct task *task, int err, uint16_t sport)
{
	struct tbit_state *s = task_state(task);
	char why[256];

	if (err != 0) {
		log_warnx("tbit: firewall rule for port %u: %s", s->want_sport,
		    strerror(err));
		tbit_finish(s, TBIT_R_SYSERR);
		return;
	}
	s->c.sport = s->t->sport = sport;
	if (task_flow(task, s->af, IPPROTO_TCP, sport, s->dst) == -1 ||
	    task_datalink(task, TASK_DL_TS, s->af, s->dst, NULL, on_dl_ready,
	    NULL, why, sizeof(why)) == -1) {
		log_warnx("tbit: port %u: %s", sport, errno == EEXIST ?
		    "another task uses it" : why);
		tbit_finish(s, TBIT_R_SYSERR);
	}
}

/* Source address, client MSS and the connection's initial state. */
static int
tbit_setup(struct tbit_state *s, char *err, size_t errlen)
{
	struct scamper_tbit *t = s->t;
	uint16_t mtu;
	int at = task_addr_type(s->af);

	if (!s->have_src && task_route_src(s->task, s->af, s->dst,
	    s->src) == -1)
		return task_start_fail(err, errlen, "no route to the target");
	scamper_addr_set(&t->src, at, s->src);
	if (t->client_mss == 0) {
		if (task_ifmtu(s->task, s->af, s->src, &mtu) == -1)
			mtu = 1500;
		t->client_mss = (uint16_t)(mtu - (s->af == AF_INET ? 40 : 60));
	}
	if (tbit_app_request(s, err, errlen) == -1)
		return -1;
	uint8_t offer = s->c.offer, ws = s->c.wscale, fl = s->c.fo_len;
	uint8_t ck[16];

	memcpy(ck, s->c.fo_cookie, sizeof(ck));
	tcpconn_init(&s->c, s->af, s->src, s->dst, s->want_sport, t->dport,
	    task_random(s->task));
	s->c.offer = offer;
	s->c.wscale = ws;
	s->c.fo_len = fl;
	memcpy(s->c.fo_cookie, ck, sizeof(ck));
	s->c.mss = t->client_mss;
	s->c.ttl = t->ttl;
	s->c.ipid = (uint16_t)task_random(s->task);
	s->c.tsval = task_random(s->task) & 0xffffff;
	t->sport = s->want_sport;
	return 0;
}

int
tbit_start(struct task *task, char *err, size_t errlen)
{
	struct tbit_state *s = task_state(task);
	struct scamper_tbit *t = s->t;
	static const uint8_t any[16];
	int at = task_addr_type(s->af);

	/* what a refusal's record needs comes first (tbit_refused): the
	 * source stays unspecified until the route gives it */
	timer_init(&s->syn_tm, on_syn_tm, s);
	timer_init(&s->req_tm, on_req_tm, s);
	timer_init(&s->tm, on_tm, s);
	timer_init(&s->deadline, on_deadline, s);
	task_list_cycle(task, &t->list, &t->cycle);
	t->start = task_walltime(task);
	scamper_addr_set(&t->src, at, any);
	scamper_addr_set(&t->dst, at, s->dst);
	s->phase = TP_LEASE;
	if (tbit_setup(s, err, errlen) == -1)
		return -1;
	task_timer(task, &s->deadline, TBIT_DEADLINE);
	if (task_fw_lease(task, s->af, s->src, s->dst, s->want_sport,
	    t->dport, on_fw_ready) == -1)
		return task_start_fail(err, errlen, "firewall");
	return 0;
}

void
tbit_refused(struct task *task, int err)
{
	(void)err;	/* the result has no room for it: logged */
	tbit_finish(task_state(task), TBIT_R_SYSERR);
}

int
tbit_sent(struct task *task, uint32_t idx, int err, const struct stamp *tx,
    enum stamp_src src)
{
	struct tbit_state *s = task_state(task);

	(void)src;
	if (err != 0) {
		log_debug("tbit: send: %s", strerror(err));
		tbit_finish(s, TBIT_R_SYSERR);
		return 0;
	}
	if (idx >= s->t->pktc)
		return 0;
	/* packets are recorded with their times, no RTT is made from
	 * them: the later, better time always stands */
	s->t->pkts[idx].tv = stamp_tv(*tx);
	return 1;
}

void
tbit_halt(struct task *task)
{
	tbit_finish(task_state(task), TBIT_R_HALTED);
}
