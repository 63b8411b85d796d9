/*
 * lb_run.c: the tracelb technique's probing: it asks the engine (mda.c)
 * what to send, one probe per -W gap, many in flight; it feeds the
 * engine the replies and the probes whose wait ran out (oldest first,
 * as they were sent); and it ends the trace when the engine is done,
 * the probe budget is spent, the time limit passes, or the task is
 * halted -- every way writes what was found, with the reason.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lb_int.h"
#include "log.h"
#include "mda.h"
#include "mda_stop.h"
#include "ptrnames.h"
#include "scamper_list.h"
#include "scamper_tracelb.h"
#include "task.h"

/* Flow identifiers registered at once for the methods that vary the
 * source port (one match entry each): grown by doubling as needed. */
#define LB_FLOWS_FIRST	32

void
lb_state_clear(void *state)
{
	struct lb_state *s = state;

	mda_free(s->mda);
	for (uint32_t i = 0; i < s->rxc; i++)
		free(s->rx[i].ext);
	free(s->rx);
	free(s->tx);
	free(s->ni);
	ptrnames_free(s->names);
	free(s->fifo);
	free(s->fifo_sent);
}

static int
varies_sport(const struct lb_state *s)
{
	return s->method == LB_UDP_SPORT || s->method == LB_TCP_SPORT ||
	    s->method == LB_TCP_ACK_SPORT;
}

/* ---- ending ----------------------------------------------------------- */

/* What the probes were for (-d). */
static void
lb_log_stats(const struct lb_state *s)
{
	const struct mda_stats *st = mda_stats(s->mda);
	char a[INET6_ADDRSTRLEN];

	if (inet_ntop(s->af, s->t->dst.addr, a, sizeof(a)) == NULL)
		snprintf(a, sizeof(a), "?");
	log_debug("tracelb %s: %u probes: first %u single %u fresh %u spare "
	    "%u ctl %u backfill %u retry %u confirm %u repeat %u stuck %u "
	    "lossy %u; %u flows, %u nodes, %u links", a, mda_probec(s->mda),
	    st->first, st->single, st->fresh, st->spare, st->ctl,
	    st->backfill, st->retry, st->confirm, st->repeat, st->stuck,
	    st->lossy, mda_flowc(s->mda),
	    s->t->nodec, s->t->linkc);
}

void
lb_finish(struct lb_state *s, int stop, int data)
{
	if (s->done)
		return;
	s->done = 1;
	task_timer_cancel(s->task, &s->wait);
	task_timer_cancel(s->task, &s->gap);
	task_timer_cancel(s->task, &s->limit);
	s->stop = (uint8_t)stop;
	s->stop_data = (uint8_t)data;
	if (lb_result(s) != 0) {
		log_warnx("tracelb: out of memory making the result");
		s->stop = LB_STOP_ERROR;
		s->stop_data = ENOMEM;
	}
	s->t->stop_reason = s->stop;
	s->t->stop_data = s->stop_data;
	lb_log_stats(s);
	if (s->names != NULL && ptrnames_pending(s->names) > 0)
		return;		/* written when the last name is in */
	lb_ptr_apply(s);
	task_finish(s->task);
}

/* ---- pacing ----------------------------------------------------------- */

/* Ask for a probe token once the -W gap since the last probe is over. */
static void
kick(struct lb_state *s)
{
	int64_t gap_ms = (int64_t)s->t->wait_probe * 10, since;

	if (s->done || s->asked)
		return;
	s->asked = 1;
	if (mda_probec(s->mda) > 0 && gap_ms > 0) {
		since = monotime_sub_ns(task_now(s->task), s->last_mono) /
		    1000000;
		if (since < gap_ms) {
			task_timer(s->task, &s->gap, gap_ms - since);
			return;
		}
	}
	task_want_probe(s->task);
}

/* ---- waits ------------------------------------------------------------ */

static void
arm_wait(struct lb_state *s)
{
	int64_t left;

	if (s->fifo_n == 0)
		return;
	left = (int64_t)s->t->wait_timeout * 1000 -
	    monotime_sub_ns(task_now(s->task), s->fifo_sent[s->fifo_head]) /
	    1000000;
	task_timer(s->task, &s->wait, left > 0 ? left : 0);
}

/* The waits of the oldest probes in flight ran out. */
static void
on_wait(void *arg)
{
	struct lb_state *s = arg;
	int64_t ms = (int64_t)s->t->wait_timeout * 1000;

	while (s->fifo_n > 0 && monotime_sub_ns(task_now(s->task),
	    s->fifo_sent[s->fifo_head]) / 1000000 >= ms) {
		uint32_t id = s->fifo[s->fifo_head];

		s->fifo_head = (s->fifo_head + 1) % s->fifo_cap;
		s->fifo_n--;
		if (mda_lost(s->mda, id) != 0) {
			lb_finish(s, LB_STOP_ERROR, ENOMEM);
			return;
		}
	}
	arm_wait(s);
	kick(s);
}

static int
fifo_push(struct lb_state *s, uint32_t id)
{
	if (s->fifo_n == s->fifo_cap) {
		uint32_t c = s->fifo_cap < 16 ? 16 : s->fifo_cap * 2;
		uint32_t *f = malloc(c * sizeof(*f));
		struct monotime *t = malloc(c * sizeof(*t));

		if (f == NULL || t == NULL) {
			free(f);
			free(t);
			return -1;
		}
		for (uint32_t i = 0; i < s->fifo_n; i++) {
			f[i] = s->fifo[(s->fifo_head + i) % s->fifo_cap];
			t[i] = s->fifo_sent[(s->fifo_head + i) % s->fifo_cap];
		}
		free(s->fifo);
		free(s->fifo_sent);
		s->fifo = f;
		s->fifo_sent = t;
		s->fifo_cap = c;
		s->fifo_head = 0;
	}
	s->fifo[(s->fifo_head + s->fifo_n) % s->fifo_cap] = id;
	s->fifo_sent[(s->fifo_head + s->fifo_n) % s->fifo_cap] =
	    task_now(s->task);
	s->fifo_n++;
	if (s->fifo_n == 1)
		arm_wait(s);
	return 0;
}

static void
on_limit(void *arg)
{
	lb_finish(arg, LB_STOP_TIMELIMIT, 0);
}

/* ---- flows ------------------------------------------------------------ */

/* Keep one more flow identifier registered than the engine has used,
 * growing the registered range when it runs out; where it cannot grow
 * (another task has the next ports), the engine makes do. */
static void
flows_ensure(struct lb_state *s)
{
	uint32_t want;

	if (!varies_sport(s) || mda_flowc(s->mda) < s->flows_reg ||
	    s->flows_reg == s->flows_max)
		return;
	want = s->flows_reg * 2 > s->flows_max ? s->flows_max :
	    s->flows_reg * 2;
	if (task_flow_range(s->task, s->af, lb_proto(s), s->t->sport,
	    (uint16_t)(want > 65535 ? 65535 : want), s->t->dst.addr) == 0)
		s->flows_reg = want;
	else if (task_flow_range(s->task, s->af, lb_proto(s), s->t->sport,
	    (uint16_t)s->flows_reg, s->t->dst.addr) != 0) {
		/* the old range is gone too: no new flow may be used, and
		 * replies to the old ones are lost */
		log_warnx("tracelb: flow range lost: %s", strerror(errno));
		s->flows_reg = 0;
	}
	mda_set_maxflows(s->mda, s->flows_reg);
}

/* Register the flow(s) replies come back on; a busy one (another task
 * to the same target) moves the source port on, unless -s chose it. */
static int
flows_register(struct lb_state *s, char *err, size_t errlen)
{
	uint8_t proto = lb_proto(s);

	for (int tries = 0;; tries++) {
		int rc;

		if (varies_sport(s)) {
			s->flows_max = 65536u - s->t->sport;
			s->flows_reg = s->flows_max < LB_FLOWS_FIRST ?
			    s->flows_max : LB_FLOWS_FIRST;
			rc = task_flow_range(s->task, s->af, proto,
			    s->t->sport, (uint16_t)s->flows_reg,
			    s->t->dst.addr);
		} else
			rc = task_flow(s->task, s->af, proto, s->t->sport,
			    s->t->dst.addr);
		if (rc == 0)
			return 0;
		if (errno != EEXIST || tries == 1000)
			return task_start_fail(err, errlen, "flow busy");
		s->t->sport = (uint16_t)(((s->t->sport + (varies_sport(s) ?
		    LB_FLOWS_FIRST : 1)) & 0x7fff) | 0x8000);
	}
}

/* ---- the method callbacks --------------------------------------------- */

static void
addr_typed(struct scamper_addr *a, int af)
{
	a->type = task_addr_type(af);
	a->len = (uint8_t)scamper_addr_typelen(a->type);
}

static int
lb_engine(struct lb_state *s)
{
	const struct scamper_tracelb *t = s->t;
	struct mda_conf c = {
		.alpha = s->alpha,
		.maxprobes = t->probec_max,
		.maxflows = varies_sport(s) ? s->flows_reg : s->flows_max,
		.firsthop = t->firsthop,
		.attempts = t->attempts,
		.gaplimit = t->gaplimit,
		.ppkt = mda_ppkt_repeats(s->alpha),
	};

	return (s->mda = mda_new(&c)) == NULL ? -1 : 0;
}

int
lb_start(struct task *task, char *err, size_t errlen)
{
	struct lb_state *s = task_state(task);
	struct scamper_tracelb *t = s->t;
	int tcp = s->method == LB_TCP_SPORT || s->method == LB_TCP_ACK_SPORT;

	/* what a refusal's record needs comes first (lb_refused) */
	timer_init(&s->wait, on_wait, s);
	task_probe_timer(task, &s->gap);
	timer_init(&s->limit, on_limit, s);
	task_list_cycle(task, &t->list, &t->cycle);
	t->start = task_walltime(task);
	addr_typed(&t->src, s->af);
	addr_typed(&t->dst, s->af);
	if (task_route_src(task, s->af, t->dst.addr, t->src.addr) == -1)
		return task_start_fail(err, errlen, "no route to the target");
	s->paylen = tcp ? 0 : s->af == AF_INET ? 16 : 12;
	s->nonce = task_random(task);
	t->probe_size = (uint16_t)((s->af == AF_INET ? 20 : 40) +
	    (tcp ? 20 : 8 + s->paylen));
	if (flows_register(s, err, errlen) == -1)
		return -1;
	if (lb_engine(s) == -1)
		return task_start_fail(err, errlen, "the MDA engine");
	s->start_mono = task_now(task);
	if (s->time_limit != 0)
		task_timer(task, &s->limit, (int64_t)s->time_limit * 1000);
	kick(s);
	return 0;
}

void
lb_refused(struct task *task, int err)
{
	struct lb_state *s = task_state(task);

	if (s->mda != NULL) {
		lb_finish(s, LB_STOP_ERROR, err);
		return;
	}
	/* no engine: nothing was probed, there are no nodes to make */
	s->done = 1;
	task_timer_cancel(task, &s->wait);
	task_timer_cancel(task, &s->gap);
	task_timer_cancel(task, &s->limit);
	s->t->stop_reason = LB_STOP_ERROR;
	s->t->stop_data = (uint8_t)err;
	task_finish(task);
}

static int
tx_grow(struct lb_state *s, uint32_t id)
{
	if (id >= s->txcap) {
		uint32_t c = s->txcap < 16 ? 16 : s->txcap * 2;
		struct stamp *p;

		while (c <= id)
			c *= 2;
		if ((p = realloc(s->tx, c * sizeof(*p))) == NULL)
			return -1;
		s->tx = p;
		s->txcap = c;
	}
	return 0;
}

int
lb_probe(struct task *task)
{
	struct lb_state *s = task_state(task);
	struct pkt_probe p;
	uint8_t pay[LB_PAYLOAD_MAX];
	uint32_t id;
	int rc;

	s->asked = 0;
	if (s->done)
		return 0;
	flows_ensure(s);
	if ((rc = mda_next(s->mda, &id)) < 0) {
		lb_finish(s, LB_STOP_ERROR, ENOMEM);
		return 0;
	}
	if (rc == MDA_DONE) {
		lb_finish(s, mda_budget_hit(s->mda) ? LB_STOP_BUDGET :
		    LB_STOP_COMPLETED, 0);
		return 0;
	}
	if (rc == MDA_WAIT) {
		s->idle = 1;
		return 0;
	}
	if (tx_grow(s, id) == -1 || fifo_push(s, id) == -1) {
		lb_finish(s, LB_STOP_ERROR, ENOMEM);
		return 0;
	}
	lb_build(s, id, &p, pay);
	if (task_send(task, &p, &s->tx[id], id) == -1) {
		log_debug("tracelb: send: %s", strerror(errno));
		lb_finish(s, LB_STOP_ERROR, errno);
		return 1;
	}
	s->last_mono = task_now(task);
	s->idle = 0;
	kick(s);
	return 1;
}

/* A better send time for probe ID (a record holds send and receive
 * times, no RTT, so the kernel's time may replace the clock's even
 * after a reply came), or the kernel refused it. */
int
lb_sent(struct task *task, uint32_t id, int err, const struct stamp *tx,
    enum stamp_src src)
{
	struct lb_state *s = task_state(task);

	(void)src;
	if (s->done)
		return 0;
	if (err != 0) {
		lb_finish(s, LB_STOP_ERROR, err);
		return 0;
	}
	if (id >= mda_probec(s->mda))
		return 0;
	s->tx[id] = *tx;
	return 1;
}

/* Remember node NODE's quoted TTL from its first reply R. */
static int
node_seen(struct lb_state *s, int node, const struct pkt_reply *r)
{
	struct lb_nodeinfo *n;

	if (node < s->nic)
		return 0;
	if ((n = realloc(s->ni, (size_t)(node + 1) * sizeof(*n))) == NULL)
		return -1;
	s->ni = n;
	while (s->nic <= node) {
		n = &s->ni[s->nic++];
		n->has_qttl = r->has_quote && r->proto != IPPROTO_TCP;
		n->q_ttl = r->has_quote ? r->q.ttl : 0;
	}
	return 0;
}

void
lb_reply(struct task *task, const struct pkt_reply *r,
    const struct stamp *rx)
{
	struct lb_state *s = task_state(task);
	uint8_t a[16] = { 0 };
	int64_t id;
	int kind, node;

	if (s->done || (id = lb_match(s, r)) < 0 ||
	    (kind = lb_reply_kind(s, r)) < 0)
		return;
	memcpy(a, r->src, s->af == AF_INET ? 4 : 16);
	if ((node = mda_reply(s->mda, (uint32_t)id, a, kind)) >= 0 &&
	    node >= s->nic && s->names != NULL)
		lb_ptr_node(s, a);
	if (node < 0 || node_seen(s, node, r) != 0 ||
	    lb_rx_add(s, (uint32_t)id, node, r, rx) != 0) {
		lb_finish(s, LB_STOP_ERROR, ENOMEM);
		return;
	}
	kick(s);
}

void
lb_halt(struct task *task)
{
	struct lb_state *s = task_state(task);

	/* halting is prompt: names not in yet stay unknown */
	if (s->names != NULL)
		ptrnames_cancel(s->names);
	if (!s->done) {
		lb_finish(s, LB_STOP_HALTED, 0);
		return;
	}
	lb_ptr_apply(s);
	task_finish(task);
}
