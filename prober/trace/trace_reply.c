/*
 * trace_reply.c: the trace technique's reply handling: which probe a
 * reply answers, recording it as a hop, and the stop conditions.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

#include "scamper_trace.h"
#include "task.h"
#include "trace_int.h"

static uint16_t
bswap16(uint16_t v)
{
	return (uint16_t)((v << 8) | (v >> 8));
}

/* The index of the probe a quote describes, or -1. */
static int
quote_index(const struct trace_state *s, const struct pkt_quote *q)
{
	int idx = -1;

	if (!trace_is_dst(s, q->dst))
		return -1;
	if (s->af == AF_INET) {
		/* IP ID = index + 1; some routers byte-swap it */
		idx = q->ipid - 1;
		if (idx < 0 || idx >= s->probec)
			idx = bswap16(q->ipid) - 1;
	} else if (s->c.flags & SCAMPER_TRACE_FLAG_CONSTPAYLOAD)
		idx = (int)q->flowlabel - 1;
	else switch (s->method) {
	case TRACE_UDP:
		idx = q->l4len >= 4 ? q->dport - s->c.dport : -1;
		break;
	case TRACE_UDP_PARIS:
		idx = q->l4len >= 8 ? q->l4cksum - 1 : -1;
		break;
	case TRACE_ICMP:
	case TRACE_ICMP_PARIS:
		idx = q->l4len >= 8 ? q->icmp_seq : -1;
		break;
	case TRACE_TCP:
	case TRACE_TCP_ACK:
		idx = q->l4len >= 8 ? (int)q->tcp_seq - 1 : -1;
		break;
	}
	return idx >= 0 && idx < s->probec ? idx : -1;
}

static int
is_icmp_method(const struct trace_state *s)
{
	return s->method == TRACE_ICMP || s->method == TRACE_ICMP_PARIS;
}

static int
is_tcp_method(const struct trace_state *s)
{
	return s->method == TRACE_TCP || s->method == TRACE_TCP_ACK;
}

/* The probe R answers, or -1 if it answers none of ours. */
static int
reply_index(const struct trace_state *s, const struct pkt_reply *r)
{
	if (r->has_quote)
		return quote_index(s, &r->q);
	if (!trace_is_dst(s, r->src))
		return -1;
	if (r->proto == IPPROTO_TCP)
		/* a reset or SYN-ACK carries no probe number: the latest */
		return is_tcp_method(s) && s->probec > 0 ? s->probec - 1 : -1;
	if (is_icmp_method(s) && r->icmp_seq < s->probec)
		return r->icmp_seq;	/* echo reply */
	return -1;
}

static int
is_unreach(const struct pkt_reply *r)
{
	return (r->af == AF_INET && r->icmp_type == 3) ||
	    (r->af == AF_INET6 && r->icmp_type == 1);
}

static int
is_port_unreach(const struct pkt_reply *r)
{
	return (r->af == AF_INET && r->icmp_type == 3 && r->icmp_code == 3) ||
	    (r->af == AF_INET6 && r->icmp_type == 1 && r->icmp_code == 4);
}

static int
is_echo_reply(const struct pkt_reply *r)
{
	return !r->has_quote && ((r->af == AF_INET && r->icmp_type == 0) ||
	    (r->af == AF_INET6 && r->icmp_type == 129));
}

static int
is_ttl_exceeded(const struct pkt_reply *r)
{
	return (r->af == AF_INET && r->icmp_type == 11) ||
	    (r->af == AF_INET6 && r->icmp_type == 3);
}

/* Loop check: has ADDR answered at a TTL more than one away from TTL? */
static int
looped(const struct trace_state *s, const struct scamper_addr *a, uint8_t ttl)
{
	return trace_rec_looped(s, a->addr, ttl);
}

/* The stop condition R meets, in scamper's order; NONE if it meets none. */
static uint8_t
stop_check(struct trace_state *s, const struct pkt_reply *r,
    const struct scamper_trace_hop *h, uint8_t *data)
{
	*data = 0;
	if (r->proto != IPPROTO_TCP && is_port_unreach(r) &&
	    !is_icmp_method(s))
		return SCAMPER_TRACE_STOP_COMPLETED;
	if (r->proto != IPPROTO_TCP && is_unreach(r)) {
		*data = r->icmp_code;
		return SCAMPER_TRACE_STOP_UNREACH;
	}
	if (r->proto != IPPROTO_TCP && is_echo_reply(r))
		return is_icmp_method(s) ? SCAMPER_TRACE_STOP_COMPLETED :
		    SCAMPER_TRACE_STOP_NONE;
	if (r->af == AF_INET6 && r->proto == IPPROTO_ICMPV6 &&
	    r->icmp_type == 2) {
		*data = r->icmp_type;
		return SCAMPER_TRACE_STOP_ICMP;
	}
	if (is_ttl_exceeded(r) && s->c.loops != 0 &&
	    !(s->x != NULL && (s->x->ttl_looped[h->probe_ttl / 8] &
	    (1 << (h->probe_ttl % 8)))) &&
	    looped(s, &h->addr, h->probe_ttl) && trace_side(s) != NULL) {
		s->x->ttl_looped[h->probe_ttl / 8] |= (uint8_t)(1 <<
		    (h->probe_ttl % 8));
		if (++s->c.loopc >= s->c.loops)
			return SCAMPER_TRACE_STOP_LOOP;
	}
	if (r->proto != IPPROTO_TCP && is_ttl_exceeded(r) &&
	    trace_is_dst(s, r->src) &&
	    !(s->c.flags & SCAMPER_TRACE_FLAG_IGNORETTLDST))
		return SCAMPER_TRACE_STOP_COMPLETED;
	if (r->proto == IPPROTO_TCP && is_tcp_method(s))
		return SCAMPER_TRACE_STOP_COMPLETED;
	if (s->x != NULL && trace_dtree_in_gss(s, r->src)) {
		trace_res(s)->dtree->gss_stop = h->addr;
		return SCAMPER_TRACE_STOP_GSS;
	}
	return SCAMPER_TRACE_STOP_NONE;
}

/* Copy R's RFC 4884 extension objects the way warts keeps them
 * (pkt_ext_warts) into H. */
static void
hop_ext(struct scamper_trace_hop *h, const struct pkt_reply *r)
{
	uint8_t *buf;
	size_t n;

	if (r->ext == NULL || r->extlen <= 4 || r->extlen > 0xffff ||
	    (buf = malloc(r->extlen)) == NULL)
		return;
	if ((n = pkt_ext_warts(r, buf)) == 0) {
		free(buf);
		return;
	}
	h->icmpext = buf;
	h->icmpext_len = (uint16_t)n;
}

/* Fill H with reply R to probe P. */
static void
fill_hop(const struct trace_state *s, uint16_t idx,
    const struct pkt_reply *r, const struct stamp *rx,
    struct scamper_trace_hop *h)
{
	struct trace_probe *p = trace_probe_at(s, idx);
	struct stamp tx = trace_probe_tx(s, p);

	memset(h, 0, sizeof(*h));
	trace_addr_set(&h->addr, r->af, r->src);
	h->probe_ttl = p->ttl;
	h->probe_id = p->attempt;
	h->probe_size = trace_probe_size(s, idx);
	h->tx = stamp_tv(tx);
	h->rtt = task_rtt_us(trace_task(s), tx, *rx);
	trace_probe_txf_set(p, TRACE_TX_ANSWERED);
	h->flags = SCAMPER_TRACE_HOP_REPLY_TTL |
	    (task_reply_from_dl(trace_task(s)) ? SCAMPER_TRACE_HOP_TS_DL_RX :
	    SCAMPER_TRACE_HOP_TS_SOCK_RX) |
	    ((trace_probe_txf(p) & TRACE_TX_DL) ? SCAMPER_TRACE_HOP_TS_DL_TX :
	    0);
	h->reply_ttl = r->ttl;
	h->reply_tos = r->tos;
	h->reply_size = r->size;
	h->reply_ipid = r->af == AF_INET ? r->ipid : 0;
	if (r->proto == IPPROTO_TCP) {
		h->flags |= SCAMPER_TRACE_HOP_TCP;
		h->tcp_flags = r->tcp_flags;
		return;
	}
	h->icmp_type = r->icmp_type;
	h->icmp_code = r->icmp_code;
	h->icmp_nhmtu = r->nhmtu;
	if (r->has_quote) {
		h->icmp_q_ttl = r->q.ttl;
		h->icmp_q_tos = r->q.tos;
		h->icmp_q_ipl = r->q.len;
	}
	hop_ext(h, r);
}

/* Record reply R to probe IDX (sent in MODE): PMTUD and last-ditch
 * replies go straight into the result's lists, the main list's into
 * compact records (probe records may move).  H is left holding the
 * reply's fields (without its extension).  Returns 0, or -1 if it could
 * not be kept. */
static int
record_hop(struct trace_state *s, int idx, uint8_t mode,
    const struct pkt_reply *r, const struct stamp *rx,
    struct scamper_trace_hop *h)
{
	struct scamper_trace *t = trace_res(s);
	struct scamper_trace_hops *list = mode == MODE_LASTDITCH ?
	    t->lastditch : mode == MODE_PMTUD ? &t->pmtud->hops : NULL;
	struct scamper_trace_hop *n;

	fill_hop(s, (uint16_t)idx, r, rx, h);
	if (list == NULL) {
		if (trace_rec_add(s, h, (uint16_t)idx) == 0) {
			trace_ptr_add(s, h->addr.addr);
			return 0;
		}
	} else if ((n = scamper_trace_hop_add(list)) != NULL) {
		*n = *h;
		h->icmpext = NULL;	/* it is the list's now */
		return 0;
	}
	free(h->icmpext);
	h->icmpext = NULL;
	return -1;
}

void
trace_reply(struct task *task, const struct pkt_reply *r,
    const struct stamp *rx)
{
	struct trace_state *s = task_state(task);
	const struct trace_probe *p;
	struct scamper_trace_hop hop, *h = &hop;
	int idx, outstanding, allatt;
	uint8_t reason, data, mode;

	if (s->mode == MODE_DONE || (idx = reply_index(s, r)) < 0)
		return;
	mode = trace_probe_mode(s, (uint16_t)idx);
	if ((mode == MODE_PMTUD) != (s->mode == MODE_PMTUD))
		return;		/* late replies across the PMTUD boundary */
	if (record_hop(s, idx, mode, r, rx, h) == -1)
		return;
	p = trace_probe_at(s, (uint16_t)idx);	/* after it: may move */
	if (mode == MODE_PMTUD) {
		trace_pmtud_reply(s, p, r, trace_res(s)->pmtud->hops.hopc - 1);
		return;
	}
	if (mode == MODE_BACK) {
		if (s->mode == MODE_BACK)
			trace_dtree_reply(s, p, h);
		return;
	}
	if (mode == MODE_LASTDITCH) {
		/* any answer ends it: the trace ended at the gap limit */
		trace_finish(s, SCAMPER_TRACE_STOP_GAPLIMIT, 0);
		return;
	}
	reason = stop_check(s, r, h, &data);
	outstanding = idx == s->probec - 1 && s->mode == MODE_TRACE;
	allatt = (s->c.flags & SCAMPER_TRACE_FLAG_ALLATTEMPTS) != 0 ||
	    trace_confidence(s) != 0;
	if (p->ttl == s->cur_ttl)
		s->hop_replied++;
	if (reason != SCAMPER_TRACE_STOP_NONE &&
	    s->c.held_reason == SCAMPER_TRACE_STOP_NONE) {
		s->c.held_reason = reason;
		s->c.held_data = data;
	}
	if (s->mode != MODE_TRACE)
		return;
	if (!allatt || p->ttl != s->cur_ttl) {
		/* without -Q the first answer for this hop ends it; a late
		 * answer for an earlier hop can still end the trace */
		if (s->c.held_reason != SCAMPER_TRACE_STOP_NONE)
			trace_finish(s, s->c.held_reason, s->c.held_data);
		else if (p->ttl == s->cur_ttl) {
			task_timer_cancel(task, &s->wait);
			trace_hop_done(s);
		}
		return;
	}
	/* -Q / -c: the hop ends when its rule says so */
	if (outstanding) {
		task_timer_cancel(task, &s->wait);
		if (trace_hop_more(s))
			trace_next(s);
		else
			trace_hop_done(s);
	}
}

/* ---- the datalink (-r, -O dl) ---------------------------------------- */

void
trace_dl_ready(struct task *task, int err, const char *why)
{
	struct trace_state *s = task_state(task);
	char a[INET6_ADDRSTRLEN];

	if (s->mode == MODE_DONE)
		return;
	if (err == 0) {
		task_want_probe(task);
		return;
	}
	if (inet_ntop(s->af, s->c.dst, a, sizeof(a)) == NULL)
		snprintf(a, sizeof(a), "?");
	log_warnx("trace %s: %s", a, why);
	trace_done(s, SCAMPER_TRACE_STOP_ERROR, (uint8_t)err);
}

/* Our probe left: its timestamp on the datalink replaces the kernel's
 * transmit timestamp or the clock read before it was sent, so RTTs are
 * the datalink's. */
int
trace_dl_sent(struct task *task, const struct pkt_reply *r,
    const struct stamp *ts)
{
	struct trace_state *s = task_state(task);
	struct trace_probe *p;
	int idx;

	if (s->mode == MODE_DONE || (idx = quote_index(s, &r->q)) < 0)
		return 0;
	p = trace_probe_at(s, (uint16_t)idx);
	if (trace_probe_txf(p) & (TRACE_TX_DL | TRACE_TX_ANSWERED))
		return 0;
	trace_probe_set_tx(s, p, *ts);
	trace_probe_txf_set(p, TRACE_TX_DL);
	return 1;
}
