/*
 * trace_run.c: the trace technique's probing state machine (see
 * m_trace.c for the options and trace_int.h for the state).
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "scamper_file.h"
#include "scamper_list.h"
#include "scamper_trace.h"
#include "task.h"
#include "trace_int.h"

/* The result's type of each enum trace_method. */
static const uint8_t trace_types[] = { SCAMPER_TRACE_TYPE_UDP,
    SCAMPER_TRACE_TYPE_ICMP_ECHO, SCAMPER_TRACE_TYPE_UDP_PARIS,
    SCAMPER_TRACE_TYPE_ICMP_ECHO_PARIS, SCAMPER_TRACE_TYPE_TCP,
    SCAMPER_TRACE_TYPE_TCP_ACK };

static int
is_tcp(const struct trace_state *s)
{
	return s->method == TRACE_TCP || s->method == TRACE_TCP_ACK;
}

static int
is_udp(const struct trace_state *s)
{
	return s->method == TRACE_UDP || s->method == TRACE_UDP_PARIS;
}

static uint8_t
flow_proto(const struct trace_state *s)
{
	return task_ip_proto(s->af, is_udp(s), is_tcp(s));
}

void
trace_state_clear(void *state)
{
	struct trace_state *s = state;

	trace_ptr_free(s);
	trace_hops_free(s);
	scamper_cycle_free(s->c.cycle);
	if (s->x != NULL) {
		free(s->x->gss);
		free(s->x->far);
		free(s->x->payload);
		free(s->x->gap);
		if (s->x->pm != NULL)
			free(s->x->pm->sizes);
		free(s->x->pm);
		trace_mem_free(s->x, sizeof(*s->x));
	}
}

struct scamper_trace *
trace_result(struct trace_state *s)
{
	struct scamper_trace *t = trace_res(s);

	if (t == NULL && (t = scamper_trace_alloc()) != NULL)
		task_result(trace_task(s), SCAMPER_FILE_OBJ_TRACE, t);
	return t;
}

struct trace_side *
trace_side(struct trace_state *s)
{
	if (s->x == NULL && (s->x = trace_mem_alloc(sizeof(*s->x))) != NULL)
		memset(s->x, 0, sizeof(*s->x));
	return s->x;
}

/* ---- finishing -------------------------------------------------------- */

/* The -W timer, allocated apart from the state with its task beside it
 * (a timer's argument must be at a fixed place beside it: timer.h). */
struct trace_gap {
	struct timer	 tm;	/* first: trace_side's gap points here */
	struct task	*task;
};

static void
on_gap(void *arg)
{
	struct trace_gap *g = arg;

	task_want_probe(g->task);
}

static void
gap_cancel(struct trace_state *s)
{
	if (s->x != NULL && s->x->gap != NULL)
		task_timer_cancel(trace_task(s), s->x->gap);
}

/* PMTUD runs only when the target answered: otherwise there is no way
 * to tell lost big packets from lost packets. */
static int
pmtud_wanted(const struct trace_state *s, uint8_t reason)
{
	return (s->c.flags & SCAMPER_TRACE_FLAG_PMTUD) &&
	    s->mode != MODE_PMTUD && (reason == SCAMPER_TRACE_STOP_COMPLETED ||
	    reason == SCAMPER_TRACE_STOP_UNREACH ||
	    reason == SCAMPER_TRACE_STOP_ICMP || reason == SCAMPER_TRACE_STOP_GSS);
}

void
trace_finish(struct trace_state *s, uint8_t reason, uint8_t data)
{
	if (s->mode == MODE_DONE)
		return;
	if (s->mode != MODE_BACK && s->mode != MODE_PMTUD &&
	    reason != SCAMPER_TRACE_STOP_HALTED &&
	    reason != SCAMPER_TRACE_STOP_ERROR &&
	    trace_dtree_back(s, reason, data) == 0) {
		task_timer_cancel(trace_task(s), &s->wait);
		return;
	}
	if (pmtud_wanted(s, reason)) {
		task_timer_cancel(trace_task(s), &s->wait);
		gap_cancel(s);
		if (trace_pmtud_begin(s, reason, data) == 0)
			return;
	}
	trace_done(s, reason, data);
}

/* Give result T the trace's parameters and what was learnt of the run
 * (the cycle's reference moves to it). */
static void
result_fill(struct trace_state *s, struct scamper_trace *t)
{
	const struct trace_conf *c = &s->c;

	/* typed once the trace started (trace_start), as its record
	 * would have them */
	if (timer_is_init(&s->wait)) {
		scamper_addr_set(&t->src, task_addr_type(s->af), c->src);
		scamper_addr_set(&t->dst, task_addr_type(s->af), c->dst);
	} else {
		memcpy(t->src.addr, c->src, sizeof(c->src));
		memcpy(t->dst.addr, c->dst, sizeof(c->dst));
	}
	if (s->have_rtr)
		t->rtr = s->x->rtr;
	t->start = stamp_tv(c->start);
	if (c->cycle != NULL) {
		t->cycle = c->cycle;
		t->list = scamper_list_use(c->cycle->list);
		s->c.cycle = NULL;
	}
	t->userid = s->x != NULL ? s->x->userid : 0;
	t->flags = c->flags;
	t->attempts = c->attempts;
	t->hoplimit = c->hoplimit;
	t->type = trace_types[s->method];
	t->firsthop = c->firsthop;
	t->tos = c->tos;
	t->wait = c->wait;
	t->wait_probe = trace_wait_probe(s);
	t->loops = c->loops;
	t->gaplimit = c->gaplimit;
	t->gapaction = trace_gapaction(s);
	t->confidence = trace_confidence(s);
	t->probe_size = c->probe_size;
	t->sport = c->sport;
	t->dport = c->dport;
	t->offset = trace_offset(s);
	t->hop_count = trace_hop_count(s);
	t->probec = s->probec;
}

void
trace_done(struct trace_state *s, uint8_t reason, uint8_t data)
{
	struct scamper_trace *t;

	if (s->mode == MODE_DONE)
		return;
	s->mode = MODE_DONE;
	task_timer_cancel(trace_task(s), &s->wait);
	gap_cancel(s);
	if ((t = trace_result(s)) == NULL) {
		log_warn("trace %u: no memory for its result",
		    task_id(trace_task(s)));
		trace_ptr_cancel(s);
		task_finish(trace_task(s));
		return;
	}
	result_fill(s, t);
	t->stop_reason = reason;
	t->stop_data = data;
	if (trace_hops_commit(s, t) == -1) {
		t->stop_reason = SCAMPER_TRACE_STOP_ERROR;
		t->stop_data = ENOMEM;
	}
	if (trace_ptr_pending(s) > 0)
		return;		/* written when the last name is in */
	trace_ptr_apply(s);
	task_finish(trace_task(s));
}

/* ---- sending ---------------------------------------------------------- */

/* Ask for the next probe, respecting -W between consecutive probes. */
void
trace_next(struct trace_state *s)
{
	int64_t gap_ms = (int64_t)trace_wait_probe(s) * 10, since;

	if (s->probec > 0 && gap_ms > 0) {
		since = monotime_sub_ns(task_now(trace_task(s)), s->x->last_mono) /
		    1000000;
		if (since < gap_ms) {
			task_timer(trace_task(s), s->x->gap, gap_ms - since);
			return;
		}
	}
	task_want_probe(trace_task(s));
}

/* Fill P for probe number IDX at TTL, SIZE bytes long. */
static void
build_probe(const struct trace_state *s, struct pkt_probe *p, uint16_t idx,
    uint8_t ttl, uint16_t size, uint8_t *pay)
{
	const struct trace_conf *t = &s->c;
	int fixed = !(t->flags & SCAMPER_TRACE_FLAG_CONSTPAYLOAD);

	memset(p, 0, sizeof(*p));
	p->af = s->af;
	memcpy(p->src, s->c.src, 16);
	memcpy(p->dst, s->c.dst, 16);
	p->proto = flow_proto(s);
	p->ttl = ttl;
	p->tos = t->tos;
	p->ipid = (uint16_t)(idx + 1);
	p->df = 1;
	p->fragoff = trace_offset(s);
	p->fragid = idx + 1u;
	if (s->af == AF_INET6 && !fixed)
		p->flowlabel = idx + 1u;	/* const-payload: the only way */
	p->size = size;
	p->paylen = trace_paylen(s);
	if (s->x != NULL && s->x->payload != NULL)
		memcpy(pay, s->x->payload, p->paylen);
	else
		memset(pay, 0, p->paylen);
	p->payload = pay;
	p->sport = t->sport;
	p->dport = t->dport;
	switch (s->method) {
	case TRACE_UDP:
		p->dport = (uint16_t)(t->dport + idx);
		break;
	case TRACE_UDP_PARIS:
		p->fix_cksum = fixed;
		p->cksum = (uint16_t)(idx + 1);
		break;
	case TRACE_ICMP_PARIS:
		p->fix_cksum = 1;
		p->cksum = t->dport;
		/* FALLTHROUGH */
	case TRACE_ICMP:
		p->icmp_type = s->af == AF_INET ? 8 : 128;
		p->icmp_id = t->sport;
		p->icmp_seq = idx;
		break;
	case TRACE_TCP:
	case TRACE_TCP_ACK:
		p->tcp_flags = s->method == TRACE_TCP ? 0x02 : 0x10;
		p->tcp_seq = idx + 1u;
		p->payload = NULL;
		p->paylen = 0;
		break;
	}
}

int
trace_probe(struct task *task)
{
	struct trace_state *s = task_state(task);
	struct pkt_probe p;
	struct stamp tx;
	uint8_t pay[TRACE_PAYLOAD_MAX];
	uint8_t ttl = s->mode == MODE_LASTDITCH ? 255 : s->cur_ttl;
	uint16_t size = s->c.probe_size;

	if (s->mode == MODE_DONE)
		return 0;
	if (s->mode == MODE_PMTUD)
		trace_pmtud_probe(s, &ttl, &size);
	if (trace_probe_add(s, ttl, (uint8_t)(s->attempt + 1), size) == NULL) {
		trace_done(s, SCAMPER_TRACE_STOP_ERROR, ENOMEM);
		return 0;
	}
	build_probe(s, &p, s->probec, ttl, size, pay);
	if (task_send(task, &p, &tx, s->probec) == -1) {
		log_debug("trace: send: %s", strerror(errno));
		trace_done(s, SCAMPER_TRACE_STOP_ERROR, (uint8_t)errno);
		return 1;
	}
	/* fetched again: nothing may add to the buffer during a send, but
	 * a record is cheap to find */
	trace_probe_set_tx(s, trace_probe_at(s, s->probec), tx);
	if (s->x != NULL)	/* with -W (trace_next) */
		s->x->last_mono = task_now(task);
	s->probec++;
	s->attempt++;
	task_timer(task, &s->wait, (int64_t)s->c.wait * 1000);
	return 1;
}

/* ---- hop and gap logic ------------------------------------------------ */

static void
trace_lastditch(struct trace_state *s)
{
	struct scamper_trace *t;

	s->mode = MODE_LASTDITCH;
	s->attempt = 0;
	if ((t = trace_result(s)) == NULL || (t->lastditch == NULL &&
	    (t->lastditch = calloc(1, sizeof(*t->lastditch))) == NULL)) {
		trace_done(s, SCAMPER_TRACE_STOP_ERROR, ENOMEM);
		return;
	}
	trace_next(s);
}

/* Probes a confident hop needs before n interfaces are ruled out
 * (n = 2..25), at 95% and 99% (scamper-behaviour.md d.2). */
static const uint8_t conf95[] = { 6, 11, 16, 21, 27, 33, 38, 44, 51, 57,
    63, 70, 76, 83, 90, 96, 103, 110, 117, 124, 131, 138, 145, 152 };
static const uint8_t conf99[] = { 8, 15, 21, 28, 36, 43, 51, 58, 66, 74,
    82, 90, 98, 106, 115, 123, 132, 140, 149, 157, 166, 175, 183, 192 };

/* Whether no record starting before byte END holds ADDR at the current
 * TTL. */
static int
addr_first(const struct trace_state *s, const uint8_t *addr, uint32_t end)
{
	size_t len = s->af == AF_INET ? 4 : 16;
	struct trace_hoprec q;
	uint32_t o = 0;

	while (o < end && trace_rec_next(s, &o, &q) == 0)
		if (trace_rec_ttl(s, &q) == s->cur_ttl &&
		    memcmp(q.addr, addr, len) == 0)
			return 0;
	return 1;
}

/* Distinct addresses that answered at the current TTL. */
static int
hop_addrs(const struct trace_state *s)
{
	struct trace_hoprec r;
	uint32_t off = 0, at = 0;
	int n = 0;

	while (trace_rec_next(s, &off, &r) == 0) {
		if (trace_rec_ttl(s, &r) == s->cur_ttl &&
		    addr_first(s, r.addr, at))
			n++;
		at = off;
	}
	return n;
}

int
trace_hop_more(const struct trace_state *s)
{
	const struct trace_conf *t = &s->c;
	int n;

	if (trace_confidence(s) != 0) {
		if (s->hop_replied == 0)
			return s->attempt < t->attempts;
		n = hop_addrs(s);
		n = n <= 1 ? 2 : n + 1;
		if (n > 25)
			return 0;
		return s->attempt < (trace_confidence(s) == 95 ? conf95 :
		    conf99)[n - 2];
	}
	if (t->flags & SCAMPER_TRACE_FLAG_ALLATTEMPTS)
		return s->attempt < t->attempts;
	return s->hop_replied == 0 && s->attempt < t->attempts;
}

/* The current hop is over (answered, or out of attempts). */
void
trace_hop_done(struct trace_state *s)
{
	const struct trace_conf *t = &s->c;
	unsigned limit = t->hoplimit == 0 ? 255 : t->hoplimit;

	if (s->c.held_reason != SCAMPER_TRACE_STOP_NONE) {
		trace_finish(s, s->c.held_reason, s->c.held_data);
		return;
	}
	if (s->hop_replied == 0) {
		s->gapc++;
		if (t->gaplimit != 0 && s->gapc >= t->gaplimit) {
			if (trace_gapaction(s) ==
			    SCAMPER_TRACE_GAPACTION_LASTDITCH)
				trace_lastditch(s);
			else
				trace_finish(s, SCAMPER_TRACE_STOP_GAPLIMIT, 0);
			return;
		}
	} else
		s->gapc = 0;
	if (s->cur_ttl >= limit) {
		trace_finish(s, SCAMPER_TRACE_STOP_HOPLIMIT, 0);
		return;
	}
	s->cur_ttl++;
	s->attempt = 0;
	s->hop_replied = 0;
	trace_next(s);
}

static void
on_wait(void *arg)
{
	struct trace_state *s = arg;

	if (s->mode == MODE_PMTUD) {
		trace_pmtud_timeout(s);
		return;
	}
	if (s->mode == MODE_BACK) {
		trace_dtree_timeout(s);
		return;
	}
	if (s->mode == MODE_LASTDITCH) {
		if (s->attempt < s->c.attempts)
			trace_next(s);
		else
			trace_finish(s, SCAMPER_TRACE_STOP_GAPLIMIT, 0);
		return;
	}
	if (trace_hop_more(s))
		trace_next(s);
	else
		trace_hop_done(s);
}

static void
addr_typed(struct scamper_addr *a, int af)
{
	a->type = (uint8_t)task_addr_type(af);
	a->len = (uint8_t)scamper_addr_typelen(a->type);
}

int
trace_start(struct task *task, char *err, size_t errlen)
{
	struct trace_state *s = task_state(task);
	static const uint8_t none[16];	/* no -r: as the result has it */
	struct trace_conf *t = &s->c;
	struct scamper_list *list = NULL;
	struct timeval tv;
	size_t hdr;

	/* what a refusal's record needs comes first (trace_refused): the
	 * addresses typed, the source unspecified until the route gives
	 * it, the wait timer, the list and cycle, the start time */
	if (!s->have_src)
		memset(t->src, 0, sizeof(t->src));
	if (s->have_rtr)
		addr_typed(&s->x->rtr, s->af);
	timer_init(&s->wait, on_wait, s);
	task_list_cycle(task, &list, &t->cycle);
	scamper_list_free(list);	/* the cycle holds it: trace_done */
	tv = task_walltime(task);
	t->start = stamp_of_tv(&tv);
	if (!s->have_src && task_route_src(task, s->af, t->dst,
	    t->src) == -1)
		return task_start_fail(err, errlen, "no route to the target");
	hdr = s->af == AF_INET ? 20 : 40 + (trace_offset(s) != 0 ? 8 : 0);
	t->probe_size = (uint16_t)(hdr + (is_tcp(s) ? 20 : 8 +
	    trace_paylen(s)));
	/* a busy flow (another task, same target and port) gets the next
	 * free source port, unless the user chose the port */
	for (int tries = 0; task_flow(task, s->af, flow_proto(s), t->sport,
	    t->dst) == -1; tries++) {
		if (errno != EEXIST || tries == 1000)
			return task_start_fail(err, errlen, "flow busy");
		t->sport = (uint16_t)(((t->sport + 1) & 0x7fff) | 0x8000);
		if (s->method == TRACE_ICMP_PARIS && t->dport == t->sport - 1)
			t->dport = t->sport;
	}
	if (trace_wait_probe(s) > 0 && s->x->gap == NULL) {
		/* only a trace with -W has the spacing timer (a start held
		 * for a busy flow runs again: allocated once) */
		struct trace_gap *g;

		if (trace_side(s) == NULL || (g = malloc(sizeof(*g))) == NULL)
			return task_start_fail(err, errlen, "-W timer");
		g->task = task;
		timer_init(&g->tm, on_gap, g);
		s->x->gap = &g->tm;
	}
	s->cur_ttl = t->firsthop;
	s->mode = MODE_TRACE;
	if (s->have_rtr || s->dlts)
		/* probing starts when the datalink is ready */
		return task_datalink(task, (s->have_rtr ? TASK_DL_VIA : 0) |
		    (s->dlts ? TASK_DL_TS : 0), s->af, t->dst,
		    s->have_rtr ? s->x->rtr.addr : none, trace_dl_ready,
		    trace_dl_sent, err, errlen);
	task_want_probe(task);
	return 0;
}

void
trace_refused(struct task *task, int err)
{
	struct trace_state *s = task_state(task);

	if (s->mode != MODE_DONE)
		trace_done(s, SCAMPER_TRACE_STOP_ERROR, (uint8_t)err);
}

int
trace_sent(struct task *task, uint32_t idx, int err, const struct stamp *tx,
    enum stamp_src src)
{
	struct trace_state *s = task_state(task);
	struct trace_probe *p;

	if (err != 0) {
		trace_done(s, SCAMPER_TRACE_STOP_ERROR, (uint8_t)err);
		return 0;
	}
	if (idx >= s->probec)
		return 0;
	p = trace_probe_at(s, (uint16_t)idx);
	/* the datalink's time stands; a time a reply was measured
	 * against stays, so its RTT and its send time agree */
	if (trace_probe_txf(p) & (TRACE_TX_DL | TRACE_TX_ANSWERED))
		return 0;
	trace_probe_set_tx(s, p, *tx);
	(void)src;
	return 1;
}

void
trace_halt(struct task *task)
{
	struct trace_state *s = task_state(task);
	int err = task_halt_error(task);

	/* halting is prompt: names not in yet stay unknown */
	trace_ptr_cancel(s);
	if (s->mode != MODE_DONE) {
		if (err != 0)
			trace_done(s, SCAMPER_TRACE_STOP_ERROR, (uint8_t)err);
		else
			trace_done(s, SCAMPER_TRACE_STOP_HALTED, 0);
		return;
	}
	trace_ptr_apply(s);
	task_finish(task);
}
