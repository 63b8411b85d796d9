/*
 * core.c: the scheduler: sources, the window, pacing, reply dispatch and
 * the task lifecycle (core.h).  What techniques call is in task.c.
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <unistd.h>

#include "accessor.h"
#include "core_int.h"
#include "heapthp.h"
#include "log.h"
#include "rtcopy.h"
#include "scamper_file.h"
#include "scamper_list.h"

#define CORE_MAXCMD 8192
#define CORE_TICK_PROBES 200		/* a busy tick holds this many probes */
#define CORE_TICK_MIN_NS 1000000LL	/* 1 ms */
#define CORE_TICK_MAX_NS 20000000LL	/* 20 ms */
#define CORE_OUT_LINGER_NS 1000000000LL	/* results wait for a larger write
					   at most 1 s while tasks run */

static void core_set_tick(struct core *);

static void out_failed(struct core *c, struct output *out);

/* ---- task lifecycle ------------------------------------------------- */

/* Release T's state (what the technique holds first) and its result. */
static void
state_free(struct task *t)
{
	if (!t->state_gone && task_m(t)->free_state != NULL)
		task_m(t)->free_state(task_state_of(t));
	t->state_gone = 1;	/* inside T's allocation (task_alloc) */
	if (t->result != NULL)
		scamper_file_obj_free(t->result_type, t->result);
	t->result = NULL;
}

/* Free T.  While some of its probes' send times are still to be
 * reported, only its state goes; the task itself waits on the zombie
 * list until the last report (on_txdone), so reports never reach freed
 * memory. */
static void
task_free(struct task *t)
{
	struct core *c = task_core(t);

	t->txwait -= (uint32_t)CORE_IO(c, forget, t);
	task_dl_free(t);
	tcpdl_free(t);
	task_fw_release(t);
	state_free(t);
	task_ext_free(t);
	if (t->txwait > 0 && !c->freeing) {
		t->zombie = 1;
		/* its source may go before it does: task_core reads this */
		t->src = &c->orphans;
		TAILQ_INSERT_TAIL(&c->zombies, t, q);
		return;
	}
	free(t);
}

static void
free_queue(struct taskq *q)
{
	struct task *t;

	while ((t = TAILQ_FIRST(q)) != NULL) {
		TAILQ_REMOVE(q, t, q);
		task_free(t);
	}
}

/* Write T's result to its source's output (unless discarded), tell the
 * source, free T.  An output that fails stops its sources. */
static void
reap_one(struct core *c, struct task *t)
{
	struct core_src *s = t->src;

	if (!c->discard && !t->discard && s != &c->orphans &&
	    t->result != NULL) {
		output_write(s->out, t->result_type, t->result);
		c->st.results++;
		if (s->out != c->out)
			output_flush(s->out);
		if (output_failed(s->out))
			out_failed(c, s->out);
	}
	c->st.tasks_done++;
	if (s != &c->orphans) {
		s->live--;
		if (s->ops != NULL && s->ops->done != NULL)
			s->ops->done(s->arg, t);
	}
	task_free(t);
}

/* Write c->out's buffered results when no task runs, or when they have
 * waited CORE_OUT_LINGER_NS (so that a busy core writes large blocks,
 * not one per wake-up); else have the flush timer do it then.  Every
 * result is written at the latest when the output closes. */
static void
out_flush(struct core *c)
{
	struct monotime due = MONOTIME_MAX;
	int rc;

	if (c->out == NULL)
		return;
	if (c->running == 0)
		rc = output_flush(c->out);
	else
		rc = output_flush_aged(c->out, loop_now(c->l),
		    CORE_OUT_LINGER_NS, &due);
	if (due.ns == MONOTIME_MAX.ns)
		loop_timer_cancel(c->l, &c->outflush);	/* nothing waits */
	else if (!timer_pending(&c->outflush))
		loop_timer_at(c->l, &c->outflush, due);
	if (rc == -1 && output_failed(c->out))
		out_failed(c, c->out);
}

static void
on_outflush(void *arg)
{
	out_flush(arg);
}

static void
on_reap(void *arg)
{
	struct core *c = arg;
	struct task *t;

	while ((t = TAILQ_FIRST(&c->dead)) != NULL) {
		TAILQ_REMOVE(&c->dead, t, q);
		reap_one(c, t);
	}
	out_flush(c);
	core_kick(c);
}

/* A zeroed task for M with its zeroed state in the same allocation (one
 * calloc per command, not two), or NULL. */
static struct task *
task_alloc(const struct method *m)
{
	struct task *t;

	if (m->state_size > SIZE_MAX - TASK_STATE_OFF ||
	    (t = calloc(1, TASK_STATE_OFF + m->state_size)) == NULL)
		return NULL;
	heap_thp_note();	/* a busy heap goes on huge pages */
	return t;
}

/* Copy string SRC into DST (LEN bytes), cut short if need be: as
 * snprintf's "%s" without the formatting, once per command. */
static void
copy_str(char *dst, size_t len, const char *src)
{
	size_t n = strnlen(src, len - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Parse CMD and queue its task on S (see core_src_command). */
static int
src_command(struct core_src *s, const char *cmd, const char *where,
    struct task **tp, char *err, size_t errlen)
{
	char line[CORE_MAXCMD], *argv[CMD_MAXARGS], why[256];
	static struct cmd_args args;	/* large: not on the stack */
	struct core *c = s->c;
	const struct method *m;
	struct task *t;
	int argc = 0;
	size_t midx;

	if (s->stopped) {
		snprintf(err, errlen, "%s: not accepted: the output failed",
		    where);
		return -1;
	}
	copy_str(line, sizeof(line), cmd);
	if (c->failed != 0) {
		snprintf(why, sizeof(why), "probing has stopped (%s)",
		    strerror(c->failed));
		goto bad;
	}
	if ((argc = cmd_split(line, argv, CMD_MAXARGS, why, sizeof(why))) < 0)
		goto bad;
	if (argc == 0) {
		snprintf(why, sizeof(why), "empty command");
		goto bad;
	}
	if ((m = method_lookup(c->conf.methods, argv[0], why,
	    sizeof(why))) == NULL)
		goto bad;
	if (cmd_getopts(m->opts, m->nopts, argc, argv, &args, why,
	    sizeof(why)) == -1)
		goto bad;
	for (midx = 0; c->conf.methods[midx] != m; midx++)
		;	/* method_lookup found M in this table */
	if (midx > UINT8_MAX) {
		snprintf(why, sizeof(why), "method table too long");
		goto bad;
	}
	if ((t = task_alloc(m)) == NULL) {
		snprintf(why, sizeof(why), "out of memory");
		goto bad;
	}
	t->midx = (uint8_t)midx;
	t->src = s;
	t->id = ++c->next_id;
	if (m->init(t, task_state_of(t), &args, why, sizeof(why)) == -1) {
		state_free(t);
		free(t);
		goto bad;
	}
	TAILQ_INSERT_TAIL(&s->pending, t, q);
	s->npending++;
	s->live++;
	if (tp != NULL)
		*tp = t;
	core_kick(c);
	return 0;
bad:
	c->st.bad_commands++;
	snprintf(err, errlen, "%s: %s%s%s", where, argc > 0 ? argv[0] : "",
	    argc > 0 ? ": " : "", why);
	return -1;
}

int
core_command(struct core *c, const char *cmd, const char *where, char *err,
    size_t errlen)
{
	return src_command(c->def, cmd, where, NULL, err, errlen);
}

/* Move commands from S's pull sources to its queue until one task is
 * queued or every pull source is exhausted.  Returns 1 if one is queued. */
static int
src_fill(struct core_src *s)
{
	char cmd[CORE_MAXCMD], where[512], err[1024];
	struct source_ent *se;
	int rc;

	while (TAILQ_EMPTY(&s->pending) && !s->c->pull_paused &&
	    (se = TAILQ_FIRST(&s->pulls)) != NULL) {
		rc = source_next(se->s, cmd, sizeof(cmd), where, sizeof(where));
		if (rc == 0) {
			TAILQ_REMOVE(&s->pulls, se, e);
			source_free(se->s);
			free(se);
		} else if (rc == -1) {
			s->c->st.bad_commands++;
			log_warnx("%s: %s", where, cmd);
		} else if (src_command(s, cmd, where, NULL, err,
		    sizeof(err)) == -1)
			log_warnx("%s", err);
		else
			copy_str(s->qwhere, sizeof(s->qwhere), where);
	}
	return !TAILQ_EMPTY(&s->pending);
}

/* Take the first queued task of S. */
static struct task *
src_take(struct core_src *s)
{
	struct task *t = TAILQ_FIRST(&s->pending);

	TAILQ_REMOVE(&s->pending, t, q);
	s->npending--;
	if (s->ops != NULL && s->ops->taken != NULL)
		s->ops->taken(s->arg, t);
	return t;
}

/* The next task to start, by weighted round robin over the sources (each
 * gets PRIORITY starts in a row), taken off its source's queue; NULL if
 * no source has one. */
static struct task *
next_task(struct core *c)
{
	struct core_src *s;

	/* one more step than there are sources: each is asked once */
	for (uint32_t i = 0; i <= c->nsrcs; i++) {
		if ((s = c->cur) == NULL && (s = TAILQ_FIRST(&c->srcs)) == NULL)
			return NULL;
		if (c->cur_used < s->priority && !s->paused && src_fill(s)) {
			c->cur = s;
			c->cur_used++;
			return src_take(s);
		}
		c->cur = TAILQ_NEXT(s, e);
		c->cur_used = 0;
	}
	return NULL;
}

/* T's start failed with ERR (an errno) and T has not ended: its
 * technique records the refusal and finishes it (method->refused), so
 * the result is written and its source (an attach client, which got "OK
 * id-N") hears of it like any other.  Without that, T ends without a
 * result, counted as lost. */
static void
start_refused(struct core *c, struct task *t, int err)
{
	if (task_m(t)->refused != NULL)
		task_m(t)->refused(t, err != 0 ? err : EINVAL);
	if (t->finished)
		return;
	t->discard = 1;
	c->lost.unstarted++;
	task_finish(t);
}

/* T's start failed with EEXIST: every flow it could use is busy.  With
 * other tasks running it is held (undone as if never started) to wait
 * for one to finish, as scamper holds clashing tasks.  Returns 1 if
 * held. */
static int
start_hold(struct core *c, struct task *t)
{
	if (c->running <= 1)
		return 0;
	task_unrun(t);
	if (t->wants)
		readyq_del(&c->ready, t);
	t->wants = 0;
	t->started = 0;
	t->held = 1;
	c->st.tasks_started--;
	TAILQ_INSERT_TAIL(&c->held, t, q);
	return 1;
}

/* Start T.  Returns 1 if it started, 0 if it could not (the refusal is
 * logged, and its result written if the technique records it), -1 if it
 * was held (every flow busy: try again after a task finishes). */
static int
start_one(struct core *c, struct task *t)
{
	char err[256];
	int save;

	t->started = 1;
	c->running++;
	c->st.tasks_started++;
	TAILQ_INSERT_TAIL(&c->running_q, t, q);
	if (task_m(t)->start(t, err, sizeof(err)) == 0)
		return 1;
	save = errno;
	if (!t->finished && save == EEXIST && start_hold(c, t))
		return -1;
	log_warnx("%s: %s", task_m(t)->name, err);
	c->st.bad_commands++;
	if (!t->finished)
		start_refused(c, t, save);
	return 0;
}

/* Nonzero if some source has a task queued or a pull source to read. */
static int
work_queued(const struct core *c)
{
	const struct core_src *s;

	if (!TAILQ_EMPTY(&c->held))
		return 1;
	TAILQ_FOREACH(s, &c->srcs, e)
		if (s->npending > 0 ||
		    (!c->pull_paused && !TAILQ_EMPTY(&s->pulls)))
			return 1;
	return 0;
}

int
core_idle(const struct core *c)
{
	return c->running == 0 && TAILQ_EMPTY(&c->dead) && !work_queued(c);
}

static int
window_open(const struct core *c)
{
	return c->conf.window == 0 || c->running < c->conf.window;
}

/* Hand out the tokens that are due; start tasks when no task is waiting
 * for one, so tasks start at the pace probes can be sent (memory stays
 * proportional to what is in flight, not to the list). */
static void
on_pump(void *arg)
{
	struct core *c = arg;
	struct monotime now = loop_now(c->l);
	struct task *t;
	int more, held = 0;

	more = !readyq_empty(&c->ready) || work_queued(c);
	pace_update(&c->pace, now, more);
	CORE_IO(c, batch, 1);
	for (int guard = 0; guard < 100000; guard++) {
		if (readyq_empty(&c->ready)) {
			/* after a hold, start nothing more until a finish */
			if (held || !window_open(c) ||
			    (t = next_task(c)) == NULL)
				break;
			held = start_one(c, t) == -1;
			continue;
		}
		if (!pace_ready(&c->pace) || CORE_IO0(c, blocked))
			break;
		t = readyq_pop(&c->ready);
		t->wants = 0;
		if (task_m(t)->probe(t))
			(void)pace_take(&c->pace);
	}
	CORE_IO(c, batch, 0);		/* the probes go out together */
	if (!readyq_empty(&c->ready))
		loop_timer_at(c->l, &c->pump, pace_next(&c->pace, now));
	else if (core_idle(c)) {
		if (c->idle_cb != NULL)
			c->idle_cb(c->idle_arg);
		else
			loop_stop(c->l);
	}
}

#define CORE_TXLOG_MAX 20	/* probes without a kernel time logged */

/* Probe TAG of task TOKEN: handed to the kernel, stamped by it, left
 * without a timestamp, or refused (netio.h). */
static void
on_txdone(void *arg, void *token, uint32_t tag, enum netio_txev ev, int err,
    const struct stamp *tx)
{
	struct core *c = arg;
	struct task *t = token;
	int used = 0;

	if (ev != NETIO_TX_SENT)
		t->txwait--;
	if (ev == NETIO_TX_STAMPED)
		c->st.tx_kernel++;
	else if (ev == NETIO_TX_NOSTAMP) {
		c->st.tx_before++;
		if (c->st.tx_before <= CORE_TXLOG_MAX)
			log_debug("%s %u: probe %u: no kernel transmit timestamp;"
			    " its send time is the clock read before it was "
			    "sent%s", task_m(t)->name, t->id, tag,
			    c->st.tx_before == CORE_TXLOG_MAX ? " (further "
			    "ones are only counted)" : "");
	} else if (ev == NETIO_TX_REFUSED)
		log_debug("%s %u: send: %s", task_m(t)->name, t->id, strerror(err));
	if (t->zombie) {
		if (t->txwait == 0) {
			TAILQ_REMOVE(&c->zombies, t, q);
			free(t);
		}
		return;
	}
	if (t->finished || ev == NETIO_TX_NOSTAMP)
		return;
	if (task_m(t)->sent != NULL)
		used = task_m(t)->sent(t, tag, ev == NETIO_TX_REFUSED ? err : 0,
		    tx, ev == NETIO_TX_STAMPED ? STAMP_KERNEL : STAMP_BEFORE);
	else if (ev == NETIO_TX_REFUSED) {
		c->halt_err = err;
		task_m(t)->halt(t);
		c->halt_err = 0;
	}
	if (ev == NETIO_TX_STAMPED && !used)
		c->st.tx_unused++;
}

static void
on_reply(void *arg, const struct pkt_reply *r, const struct stamp *rx)
{
	struct core *c = arg;
	struct match_key k;
	struct match_entry *e;
	struct task *t;

	if (!match_key_of_reply(r, &k) || (e = match_find(c->mt, &k)) ==
	    NULL) {
		c->st.unmatched++;
		return;
	}
	c->st.matched++;
	/* the network matched every send time that had come (probes sent
	 * at layer 2 too) before handing R on */
	t = task_of_entry(e);
	/* the datalink saw this reply first, if at all: deliver it only
	 * if it was not there (reading the datalink may finish T) */
	if (t->x != NULL && t->x->dlu != NULL && (t->dl_want & TASK_DL_TS) &&
	    (CORE_IO(c, dl_seen, t->x->dlu, r) || t->finished))
		return;
	task_m(t)->reply(t, r, rx);
}

/* Reply R is next after the one being handled: start fetching the match
 * table's slot it will read. */
static void
on_hint(void *arg, const struct pkt_reply *r)
{
	struct core *c = arg;
	struct match_key k;

	if (match_key_of_reply(r, &k))
		match_prefetch(c->mt, &k);
}

/* A frame from the datalink: a probe leaving or a reply arriving, for
 * a task that wants datalink timestamps.  Returns 1 if delivered. */
static int
on_dl_frame(void *arg, const struct pkt_reply *r, const struct stamp *ts,
    int outgoing, const uint32_t *fragid)
{
	struct core *c = arg;
	struct match_key k;
	struct match_entry *e;
	struct task *t;

	if (!match_key_of_reply(r, &k) || (e = match_find(c->mt, &k)) ==
	    NULL)
		return 0;
	t = task_of_entry(e);
	if (t->finished || !t->dl_ready || !(t->dl_want & TASK_DL_TS))
		return 0;
	if (outgoing) {
		if (t->x != NULL && t->x->dl_sentcb != NULL &&
		    t->x->dl_sentcb(t, r, ts))
			c->st.tx_dl++;
		return 0;
	}
	/* the network matched every send time that had come first, as
	 * for replies from the raw sockets */
	c->from_dl = 1;
	c->dl_fragid = fragid;
	task_m(t)->reply(t, r, ts);
	c->from_dl = 0;
	c->dl_fragid = NULL;
	return 1;
}

struct core *
core_new_io(struct loop *l, const struct core_conf *conf,
    const struct core_io *io, struct output *out, struct scamper_cycle *cyc)
{
	struct core *c = calloc(1, sizeof(*c));
	struct io_up up = { NULL, on_reply, on_txdone, on_dl_frame, on_hint };
	int save;

	if (c == NULL) {
		save = errno;
		io->ops->free(io->ctx);
		errno = save;
		return NULL;
	}
	c->io = *io;
	up.arg = c;
	c->l = l;
	if ((c->mt = match_new()) == NULL || io->ops->attach(io->ctx, l, &up)
	    == -1)
		goto fail;
	c->out = out;
	c->cycle = cyc != NULL ? scamper_cycle_use(cyc) : NULL;
	c->conf = *conf;
	c->pid = conf->pid != 0 ? conf->pid : (uint32_t)getpid();
	c->sport = (uint16_t)((c->pid & 0x7fff) | 0x8000);
	c->rng = conf->seed;
	pace_init(&c->pace, conf->pps, loop_now(l));
	if (getenv("SCAMPER_PACE_LOG_FD") != NULL)	/* pacelog.h */
		c->pace.log = pace_log_open(getenv("SCAMPER_PACE_LOG_FD"),
		    loop_now(l));
	core_set_tick(c);
	timer_init(&c->pump, on_pump, c);
	timer_init(&c->reap, on_reap, c);
	timer_init(&c->outflush, on_outflush, c);
	TAILQ_INIT(&c->dead);
	TAILQ_INIT(&c->held);
	TAILQ_INIT(&c->zombies);
	TAILQ_INIT(&c->running_q);
	TAILQ_INIT(&c->srcs);
	c->orphans.c = c;
	TAILQ_INIT(&c->orphans.pending);
	TAILQ_INIT(&c->orphans.pulls);
	if ((c->def = core_src_new(c, 1, out, cyc, NULL, NULL)) == NULL)
		goto fail;
	return c;
fail:
	save = errno;
	io->ops->free(io->ctx);
	match_free(c->mt);
	scamper_cycle_free(c->cycle);
	free(c);
	errno = save;
	return NULL;
}

struct core *
core_new(struct loop *l, const struct core_conf *conf,
    const struct netio_fds *fds, struct output *out,
    struct scamper_cycle *cyc)
{
	struct core_io io;

	if (io_sock_new(&io, fds) == -1)
		return NULL;
	return core_new_io(l, conf, &io, out, cyc);
}

/* The end-of-run statistics, to the debug log (-d). */
static void
core_log_stats(const struct core *c)
{
	static const struct netio_stats none;
	const struct netio_stats *ns = core_netio_stats(c);
	unsigned long rt_copy, rt_asked, nh_copy, nh_asked;

	rtcopy_counts(&rt_copy, &rt_asked);
	rtcopy_nh_counts(&nh_copy, &nh_asked);
	log_debug("statistics: source addresses from the routes' copy %lu, "
	    "asked of the kernel %lu", rt_copy, rt_asked);
	if (ns == NULL)
		ns = &none;
	log_debug("statistics: tasks %llu, probes %llu (sent %llu in %llu "
	    "send calls, refused %llu), replies %llu (unmatched %llu, "
	    "malformed %llu)",
	    (unsigned long long)c->st.tasks_done,
	    (unsigned long long)c->st.probes, (unsigned long long)ns->sent,
	    (unsigned long long)ns->batches,
	    (unsigned long long)ns->send_errors,
	    (unsigned long long)ns->received,
	    (unsigned long long)c->st.unmatched,
	    (unsigned long long)ns->malformed);
	log_debug("statistics: sent on packet sockets %llu (through a "
	    "transmit ring %llu; sockets without a ring %llu), left to the "
	    "raw sockets by the packet path %llu (route %llu, neighbour %llu, "
	    "socket %llu, link %llu, packet %llu); next hops from the copy "
	    "%lu, asked of the kernel %lu",
	    (unsigned long long)ns->sent_packet,
	    (unsigned long long)ns->sent_ring,
	    (unsigned long long)ns->ring_none,
	    (unsigned long long)ns->packet_raw,
	    (unsigned long long)ns->packet_raw_why[0],
	    (unsigned long long)ns->packet_raw_why[1],
	    (unsigned long long)ns->packet_raw_why[2],
	    (unsigned long long)ns->packet_raw_why[3],
	    (unsigned long long)ns->packet_raw_why[4], nh_copy, nh_asked);
	log_debug("statistics: replies through a receive ring %llu",
	    (unsigned long long)ns->rx_ring);
	log_debug("statistics: send times: kernel %llu, before-send %llu, "
	    "datalink %llu (kernel times not used %llu, stray kernel "
	    "timestamps %llu, error-queue reads %llu); replies without a "
	    "kernel time %llu; negative RTTs %llu",
	    (unsigned long long)c->st.tx_kernel,
	    (unsigned long long)c->st.tx_before,
	    (unsigned long long)c->st.tx_dl,
	    (unsigned long long)c->st.tx_unused,
	    (unsigned long long)ns->tx_stray,
	    (unsigned long long)ns->tx_reads,
	    (unsigned long long)ns->rx_nostamp,
	    (unsigned long long)c->st.rtt_negative);
}

void
core_free(struct core *c)
{
	if (c == NULL)
		return;
	/* running tasks halt (cancelling their timers) and are dropped */
	c->discard = 1;
	core_halt_all(c);
	while (!TAILQ_EMPTY(&c->srcs))
		core_src_free(TAILQ_FIRST(&c->srcs));
	loop_timer_cancel(c->l, &c->pump);
	loop_timer_cancel(c->l, &c->reap);
	loop_timer_cancel(c->l, &c->outflush);
	core_log_stats(c);
	pace_log_close(c->pace.log, c->pace.taken);
	c->freeing = 1;
	free_queue(&c->dead);
	free_queue(&c->held);
	free_queue(&c->zombies);
	c->io.ops->free(c->io.ctx);
	match_free(c->mt);
	readyq_free(&c->ready);
	scamper_cycle_free(c->cycle);
	free(c);
}

void
core_add_source(struct core *c, struct source *s)
{
	struct source_ent *se = calloc(1, sizeof(*se));

	if (se == NULL)
		fatal("source");
	se->s = s;
	TAILQ_INSERT_TAIL(&c->def->pulls, se, e);
	core_kick(c);
}

static void
src_free_pulls(struct core_src *s)
{
	struct source_ent *se;

	while ((se = TAILQ_FIRST(&s->pulls)) != NULL) {
		TAILQ_REMOVE(&s->pulls, se, e);
		source_free(se->s);
		free(se);
	}
}

/* End queued task T of its source without output: it is reaped (and its
 * source told) from the loop. */
static void
drop_queued(struct core *c, struct task *t)
{
	if (t->held) {
		TAILQ_REMOVE(&c->held, t, q);
		t->held = 0;
	} else {
		TAILQ_REMOVE(&t->src->pending, t, q);
		t->src->npending--;
	}
	t->finished = 1;
	t->discard = 1;
	TAILQ_INSERT_TAIL(&c->dead, t, q);
	loop_timer_after(c->l, &c->reap, 0);
}

/* Halt running task T; the technique must finish it at once. */
static void
halt_running(struct task *t)
{
	task_m(t)->halt(t);
	if (!t->finished)
		fatalx("%s: halt did not finish task %u", task_m(t)->name, t->id);
}

/* S's output failed: S starts nothing more.  Its queued and held tasks
 * are dropped and its running tasks halted, all without output (its
 * sources hear each end as usual); its pull sources are closed.
 * Returns how many tasks ended. */
static uint32_t
src_stop(struct core *c, struct core_src *s)
{
	struct task *t, *next;
	uint32_t n = 0;

	s->stopped = 1;
	src_free_pulls(s);
	for (; (t = TAILQ_FIRST(&s->pending)) != NULL; n++)
		drop_queued(c, t);
	for (t = TAILQ_FIRST(&c->held); t != NULL; t = next) {
		next = TAILQ_NEXT(t, q);
		if (t->src == s) {
			drop_queued(c, t);
			n++;
		}
	}
	for (t = TAILQ_FIRST(&c->running_q); t != NULL; t = next) {
		next = TAILQ_NEXT(t, q);
		if (t->src != s)
			continue;
		t->discard = 1;
		halt_running(t);
		n++;
		/* halting may finish others: start over */
		next = TAILQ_FIRST(&c->running_q);
	}
	return n;
}

/* OUT failed (the write error is logged): stop every source writing to
 * it, so no more probing is done for results that cannot be kept. */
static void
out_failed(struct core *c, struct output *out)
{
	struct core_src *s;
	uint32_t n = 0, srcs = 0;

	TAILQ_FOREACH(s, &c->srcs, e)
		if (s->out == out && !s->stopped) {
			n += src_stop(c, s);
			srcs++;
		}
	if (srcs > 0)
		log_warnx("probing stopped for the %u source%s writing to the "
		    "failed output: %u task%s ended unrecorded, the rest of "
		    "the input was not read", srcs, srcs == 1 ? "" : "s", n,
		    n == 1 ? "" : "s");
	core_kick(c);
}


/* Before S's queue and pull sources are dropped: note where the first
 * command never started came from, and whether input was left. */
static void
note_unmeasured(struct core *c, struct core_src *s)
{
	char cmd[CORE_MAXCMD], where[sizeof(c->lost.first)];
	struct source_ent *se;
	int rc;

	if (s->npending > 0 && c->lost.first[0] == '\0' &&
	    s->qwhere[0] != '\0')
		snprintf(c->lost.first, sizeof(c->lost.first), "%s",
		    s->qwhere);
	TAILQ_FOREACH(se, &s->pulls, e) {
		where[0] = '\0';
		if ((rc = source_next(se->s, cmd, sizeof(cmd), where,
		    sizeof(where))) == 0)
			continue;
		c->lost.unread = 1;
		if (c->lost.first[0] == '\0' && rc == 1)
			snprintf(c->lost.first, sizeof(c->lost.first), "%s",
			    where);
		break;
	}
}

/* core_halt_all and core_fail: ERR 0 or the errno that broke probing. */
static void
halt_all(struct core *c, int err)
{
	struct core_src *s;
	struct task *t;

	TAILQ_FOREACH(s, &c->srcs, e) {
		if (!c->discard)
			note_unmeasured(c, s);
		src_free_pulls(s);
		while ((t = TAILQ_FIRST(&s->pending)) != NULL) {
			c->lost.dropped++;
			drop_queued(c, t);
		}
	}
	while ((t = TAILQ_FIRST(&c->held)) != NULL) {
		c->lost.dropped++;
		drop_queued(c, t);
	}
	c->halt_err = err;
	while ((t = TAILQ_FIRST(&c->running_q)) != NULL) {
		if (!t->discard)
			c->lost.halted++;
		halt_running(t);
	}
	c->halt_err = 0;
	core_kick(c);
}

void
core_halt_all(struct core *c)
{
	halt_all(c, 0);
}

void
core_fail(struct core *c, int err)
{
	if (c->failed == 0)
		c->failed = err != 0 ? err : EIO;
	halt_all(c, c->failed);
}

int
core_failed(const struct core *c)
{
	return c->failed;
}

const struct core_lost *
core_lost(const struct core *c)
{
	return &c->lost;
}

int
core_lost_say(const struct core_lost *l, const char *what)
{
	char from[sizeof(l->first) + 64];

	if (l->halted == 0 && l->dropped == 0 && l->unstarted == 0 &&
	    !l->unread)
		return 0;
	if (what == NULL)
		return 1;
	if (l->first[0] != '\0')
		snprintf(from, sizeof(from), "; the input from %s on was not "
		    "measured", l->first);
	else
		snprintf(from, sizeof(from), "%s", l->unread ? "; input was "
		    "left unread" : "");
	log_warnx("%s: %llu measurements stopped early (written with what "
	    "they had), %llu commands never started, %llu refused at "
	    "start%s", what, (unsigned long long)l->halted,
	    (unsigned long long)l->dropped,
	    (unsigned long long)l->unstarted, from);
	return 1;
}

/* ---- sources ----------------------------------------------------------- */

struct core_src *
core_src_new(struct core *c, uint32_t priority, struct output *out,
    struct scamper_cycle *cyc, const struct core_src_ops *ops, void *arg)
{
	struct core_src *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->c = c;
	s->priority = priority;
	s->out = out;
	s->cycle = cyc != NULL ? scamper_cycle_use(cyc) : NULL;
	s->ops = ops;
	s->arg = arg;
	TAILQ_INIT(&s->pending);
	TAILQ_INIT(&s->pulls);
	TAILQ_INSERT_TAIL(&c->srcs, s, e);
	c->nsrcs++;
	return s;
}

int
core_src_command(struct core_src *s, const char *cmd, const char *where,
    struct task **tp, char *err, size_t errlen)
{
	return src_command(s, cmd, where, tp, err, errlen);
}

void
core_src_set_priority(struct core_src *s, uint32_t priority)
{
	s->priority = priority;
	core_kick(s->c);
}

uint32_t
core_src_priority(const struct core_src *s)
{
	return s->priority;
}

void
core_src_pause(struct core_src *s, int paused)
{
	s->paused = paused;
	if (!paused)
		core_kick(s->c);
}

void
core_src_set_cycle(struct core_src *s, struct scamper_cycle *cyc)
{
	struct scamper_cycle *old = s->cycle;

	s->cycle = cyc != NULL ? scamper_cycle_use(cyc) : NULL;
	scamper_cycle_free(old);
}

/* Tasks queued on S, not yet started. */
ACCESSOR(core_src, uint32_t, core_src_queued, npending)

/* Tasks of S not yet freed (queued, running or being written). */
ACCESSOR(core_src, uint32_t, core_src_live, live)

void
core_src_free(struct core_src *s)
{
	struct core *c;
	struct task *t, *next;

	if (s == NULL)
		return;
	c = s->c;
	src_free_pulls(s);
	while ((t = TAILQ_FIRST(&s->pending)) != NULL) {
		TAILQ_REMOVE(&s->pending, t, q);
		task_free(t);
	}
	for (t = TAILQ_FIRST(&c->held); t != NULL; t = next) {
		next = TAILQ_NEXT(t, q);
		if (t->src == s) {
			TAILQ_REMOVE(&c->held, t, q);
			task_free(t);
		}
	}
	for (t = TAILQ_FIRST(&c->running_q); t != NULL; t = next) {
		next = TAILQ_NEXT(t, q);
		if (t->src != s)
			continue;
		t->src = &c->orphans;
		t->discard = 1;
		halt_running(t);
		/* halting may finish others: start over */
		next = TAILQ_FIRST(&c->running_q);
	}
	TAILQ_FOREACH(t, &c->dead, q)
		if (t->src == s) {
			t->src = &c->orphans;
			t->discard = 1;
		}
	if (c->cur == s) {
		c->cur = TAILQ_NEXT(s, e);
		c->cur_used = 0;
	}
	TAILQ_REMOVE(&c->srcs, s, e);
	c->nsrcs--;
	if (c->def == s)
		c->def = NULL;
	scamper_cycle_free(s->cycle);
	free(s);
	core_kick(c);
}

void
core_task_halt(struct task *t)
{
	if (t->finished)
		return;
	if (!t->started)
		drop_queued(task_core(t), t);
	else
		halt_running(t);
}

void
core_window(const struct core *c, uint32_t *used, uint32_t *limit)
{
	*used = c->running;
	*limit = c->conf.window;
}

void
core_set_window(struct core *c, uint32_t window)
{
	c->conf.window = window;
	core_kick(c);
}

uint16_t
core_sport(const struct core *c)
{
	return c->sport;
}

void
core_on_idle(struct core *c, void (*cb)(void *), void *arg)
{
	c->idle_cb = cb;
	c->idle_arg = arg;
}

void
core_pull_pause(struct core *c, int paused)
{
	c->pull_paused = paused;
	core_kick(c);
}

/*
 * The loop's tick for this rate: time for CORE_TICK_PROBES probes, within
 * [CORE_TICK_MIN_NS, CORE_TICK_MAX_NS].  Busy, the prober then wakes at
 * most once a tick and sends and reads in batches; the bucket lets one
 * tick's probes out at once.
 */
static void
core_set_tick(struct core *c)
{
	int64_t tick = c->pace.cost_ns * CORE_TICK_PROBES;

	if (tick < CORE_TICK_MIN_NS)
		tick = CORE_TICK_MIN_NS;
	if (tick > CORE_TICK_MAX_NS)
		tick = CORE_TICK_MAX_NS;
	loop_set_tick(c->l, tick);
	pace_set_burst(&c->pace, tick);
}

int
core_run(struct core *c)
{
	core_kick(c);
	return loop_run(c->l);
}

void
core_set_pps(struct core *c, uint32_t pps)
{
	c->conf.pps = pps;
	pace_set_rate(&c->pace, pps);
	core_set_tick(c);
}

uint32_t
core_running(const struct core *c)
{
	return c->running;
}

uint32_t
core_queued(const struct core *c)
{
	const struct core_src *s;
	const struct task *t;
	uint32_t n = 0;

	TAILQ_FOREACH(s, &c->srcs, e)
		n += s->npending;
	TAILQ_FOREACH(t, &c->held, q)
		n++;
	return n;
}

const struct method *const *
core_methods(const struct core *c)
{
	return c->conf.methods;
}

const struct core_stats *
core_stats(const struct core *c)
{
	return &c->st;
}

const struct netio_stats *
core_netio_stats(const struct core *c)
{
	return c->io.ops->stats != NULL ? CORE_IO0(c, stats) : NULL;
}
