/*
 * core.c: tasks, window, pacing and reply dispatch (see core.h, task.h).
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core.h"
#include "log.h"
#include "match.h"
#include "pace.h"
#include "scamper_list.h"
#include "task.h"

#define CORE_MAXCMD 8192

struct task {
	struct core		*c;
	const struct method	*m;
	void			*state;
	uint32_t		 id;
	struct match_entry	 me;
	int			 wants;		/* on the ready queue */
	int			 started;
	int			 finished;
	TAILQ_ENTRY(task)	 q;		/* pending, ready or dead */
	TAILQ_ENTRY(task)	 run;		/* on the running list */
};

TAILQ_HEAD(taskq, task);

struct source_ent {
	struct source		*s;
	TAILQ_ENTRY(source_ent)	 e;
};

struct core {
	struct loop		*l;
	struct netio		*nio;
	struct match_table	*mt;
	struct output		*out;
	struct scamper_cycle	*cycle;
	struct core_conf	 conf;
	struct pace		 pace;
	struct timer		 pump;		/* next pacing decision */
	struct timer		 reap;		/* write and free finished */
	struct taskq		 pending;	/* parsed, not started */
	struct taskq		 ready;		/* started, wanting a token */
	struct taskq		 dead;		/* finished, to write+free */
	TAILQ_HEAD(, task)	 running_q;	/* started, not finished */
	int			 discard;	/* free without writing */
	TAILQ_HEAD(, source_ent) sources;
	uint32_t		 running;	/* started, not finished */
	uint32_t		 next_id;
	uint16_t		 sport;
	struct core_stats	 st;
};

static void core_kick(struct core *c);

/* ---- what techniques may call (task.h) ------------------------------ */

void *
task_state(const struct task *t)
{
	return t->state;
}

uint32_t
task_id(const struct task *t)
{
	return t->id;
}

int
task_flow(struct task *t, int af, uint8_t proto, uint16_t id,
    const uint8_t *dst)
{
	match_del(t->c->mt, &t->me);
	memset(&t->me.key, 0, sizeof(t->me.key));
	t->me.key.af = (uint8_t)af;
	t->me.key.proto = proto;
	t->me.key.id = id;
	memcpy(t->me.key.dst, dst, af == AF_INET ? 4 : 16);
	t->me.owner = t;
	return match_add(t->c->mt, &t->me);
}

void
task_want_probe(struct task *t)
{
	if (t->wants || t->finished)
		return;
	t->wants = 1;
	TAILQ_INSERT_TAIL(&t->c->ready, t, q);
	core_kick(t->c);
}

int
task_send(struct task *t, const struct pkt_probe *p, struct timeval *tx)
{
	uint8_t buf[PKT_MAXLEN];
	size_t len = pkt_build(p, buf, sizeof(buf));

	if (len == 0) {
		errno = EINVAL;
		return -1;
	}
	t->c->st.probes++;
	return netio_send(t->c->nio, buf, len, tx);
}

void
task_timer(struct task *t, struct timer *tm, int64_t ms)
{
	/* the only failure is ENOMEM growing the heap: die rather than
	 * leave a task that never times out */
	if (loop_timer_after(t->c->l, tm, ms) == -1)
		fatal("timer");
}

void
task_timer_cancel(struct task *t, struct timer *tm)
{
	loop_timer_cancel(t->c->l, tm);
}

struct monotime
task_now(const struct task *t)
{
	return loop_now(t->c->l);
}

struct scamper_cycle *
task_cycle(const struct task *t)
{
	return t->c->cycle;
}

uint16_t
task_default_sport(const struct task *t)
{
	return t->c->sport;
}

int
task_route_src(const struct task *t, int af, const uint8_t *dst,
    uint8_t *src)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd, rc = -1, save;

	memset(&ss, 0, sizeof(ss));
	memset(src, 0, 16);
	if (af == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(33434);
		memcpy(&sin->sin_addr, dst, 4);
		sl = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(33434);
		memcpy(&sin6->sin6_addr, dst, 16);
		sl = sizeof(*sin6);
	}
	/* connect(2) on a UDP socket asks the routing table, sends nothing;
	 * plain SOCK_DGRAM (no flags) is what the sandbox permits */
	if ((fd = socket(af, SOCK_DGRAM, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&ss, sl) == 0 &&
	    getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
		if (af == AF_INET)
			memcpy(src, &((struct sockaddr_in *)&ss)->sin_addr, 4);
		else
			memcpy(src, &((struct sockaddr_in6 *)&ss)->sin6_addr,
			    16);
		rc = 0;
	}
	save = errno;
	close(fd);
	errno = save;
	return rc;
}

void
task_finish(struct task *t)
{
	struct core *c = t->c;

	if (t->finished)
		return;
	t->finished = 1;
	if (t->wants) {
		TAILQ_REMOVE(&c->ready, t, q);
		t->wants = 0;
	}
	match_del(c->mt, &t->me);
	c->running--;
	TAILQ_REMOVE(&c->running_q, t, run);
	TAILQ_INSERT_TAIL(&c->dead, t, q);
	loop_timer_after(c->l, &c->reap, 0);
	core_kick(c);
}

/* ---- task lifecycle ------------------------------------------------- */

static void
task_free(struct task *t)
{
	if (t->state != NULL)
		t->m->free_state(t->state);
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

static void
on_reap(void *arg)
{
	struct core *c = arg;
	struct task *t;

	while ((t = TAILQ_FIRST(&c->dead)) != NULL) {
		TAILQ_REMOVE(&c->dead, t, q);
		if (!c->discard)
			t->m->write(t, c->out);
		c->st.tasks_done++;
		task_free(t);
	}
	if (output_flush(c->out) == -1)
		log_warn("output");
	core_kick(c);
}

int
core_command(struct core *c, const char *cmd, const char *where, char *err,
    size_t errlen)
{
	char line[CORE_MAXCMD], *argv[CMD_MAXARGS], why[256];
	static struct cmd_args args;	/* large: not on the stack */
	const struct method *m;
	struct task *t;
	int argc;

	snprintf(line, sizeof(line), "%s", cmd);
	if ((argc = cmd_split(line, argv, CMD_MAXARGS, why, sizeof(why))) < 0)
		goto bad;
	if (argc == 0) {
		snprintf(why, sizeof(why), "empty command");
		goto bad;
	}
	if ((m = method_find(argv[0])) == NULL) {
		snprintf(why, sizeof(why), "unknown command '%s'", argv[0]);
		goto bad;
	}
	if (cmd_getopts(m->opts, m->nopts, argc, argv, &args, why,
	    sizeof(why)) == -1)
		goto bad;
	if ((t = calloc(1, sizeof(*t))) == NULL) {
		snprintf(why, sizeof(why), "out of memory");
		goto bad;
	}
	t->c = c;
	t->m = m;
	t->id = ++c->next_id;
	if ((t->state = m->alloc(t, &args, why, sizeof(why))) == NULL) {
		free(t);
		goto bad;
	}
	TAILQ_INSERT_TAIL(&c->pending, t, q);
	core_kick(c);
	return 0;
bad:
	c->st.bad_commands++;
	snprintf(err, errlen, "%s: %s%s%s", where, argc > 0 ? argv[0] : "",
	    argc > 0 ? ": " : "", why);
	return -1;
}

/* Move commands from the sources to the pending queue until one task is
 * pending or every source is exhausted.  Returns 1 if one is pending. */
static int
fill_pending(struct core *c)
{
	char cmd[CORE_MAXCMD], where[512], err[1024];
	struct source_ent *se;
	int rc;

	while (TAILQ_EMPTY(&c->pending) &&
	    (se = TAILQ_FIRST(&c->sources)) != NULL) {
		rc = source_next(se->s, cmd, sizeof(cmd), where, sizeof(where));
		if (rc == 0) {
			TAILQ_REMOVE(&c->sources, se, e);
			source_free(se->s);
			free(se);
		} else if (rc == -1) {
			c->st.bad_commands++;
			log_warnx("%s: %s", where, cmd);
		} else if (core_command(c, cmd, where, err, sizeof(err)) == -1)
			log_warnx("%s", err);
	}
	return !TAILQ_EMPTY(&c->pending);
}

/* Start the first pending task.  Returns 1 if one was started. */
static int
start_one(struct core *c)
{
	struct task *t = TAILQ_FIRST(&c->pending);
	char err[256];

	TAILQ_REMOVE(&c->pending, t, q);
	t->started = 1;
	c->running++;
	c->st.tasks_started++;
	TAILQ_INSERT_TAIL(&c->running_q, t, run);
	if (t->m->start(t, err, sizeof(err)) == -1) {
		log_warnx("%s: %s", t->m->name, err);
		if (!t->finished) {
			match_del(c->mt, &t->me);
			c->running--;
			TAILQ_REMOVE(&c->running_q, t, run);
			if (t->wants)
				TAILQ_REMOVE(&c->ready, t, q);
			task_free(t);
		}
		c->st.bad_commands++;
		return 0;
	}
	return 1;
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
	int more;

	more = !TAILQ_EMPTY(&c->ready) || !TAILQ_EMPTY(&c->pending) ||
	    !TAILQ_EMPTY(&c->sources);
	pace_update(&c->pace, now, more);
	for (int guard = 0; guard < 100000; guard++) {
		if (TAILQ_EMPTY(&c->ready)) {
			if (!window_open(c) || !fill_pending(c))
				break;
			start_one(c);
			continue;
		}
		if (c->pace.credit_ns < c->pace.cost_ns)
			break;
		t = TAILQ_FIRST(&c->ready);
		TAILQ_REMOVE(&c->ready, t, q);
		t->wants = 0;
		if (t->m->probe(t))
			(void)pace_take(&c->pace);
	}
	if (!TAILQ_EMPTY(&c->ready))
		loop_timer_at(c->l, &c->pump, pace_next(&c->pace, now));
	else if (c->running == 0 && TAILQ_EMPTY(&c->pending) &&
	    TAILQ_EMPTY(&c->sources) && TAILQ_EMPTY(&c->dead))
		loop_stop(c->l);
}

/* Make sure a pacing decision happens soon. */
static void
core_kick(struct core *c)
{
	if (!timer_pending(&c->pump))
		loop_timer_after(c->l, &c->pump, 0);
}

static void
on_reply(void *arg, const struct pkt_reply *r, const struct timeval *rx)
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
	t = e->owner;
	t->m->reply(t, r, rx);
}

struct core *
core_new(struct loop *l, const struct core_conf *conf,
    const struct netio_fds *fds, struct output *out,
    struct scamper_cycle *cyc)
{
	struct core *c = calloc(1, sizeof(*c));

	if (c == NULL || (c->mt = match_new()) == NULL ||
	    (c->nio = netio_new(l, fds, on_reply, c)) == NULL) {
		int save = errno;
		if (c != NULL)
			match_free(c->mt);
		free(c);
		errno = save;
		return NULL;
	}
	c->l = l;
	c->out = out;
	c->cycle = cyc != NULL ? scamper_cycle_use(cyc) : NULL;
	c->conf = *conf;
	c->sport = (uint16_t)((getpid() & 0x7fff) | 0x8000);
	pace_init(&c->pace, conf->pps, loop_now(l));
	timer_init(&c->pump, on_pump, c);
	timer_init(&c->reap, on_reap, c);
	TAILQ_INIT(&c->pending);
	TAILQ_INIT(&c->ready);
	TAILQ_INIT(&c->dead);
	TAILQ_INIT(&c->running_q);
	TAILQ_INIT(&c->sources);
	return c;
}

void
core_free(struct core *c)
{
	if (c == NULL)
		return;
	/* running tasks halt (cancelling their timers) and are dropped */
	c->discard = 1;
	core_halt_all(c);
	loop_timer_cancel(c->l, &c->pump);
	loop_timer_cancel(c->l, &c->reap);
	free_queue(&c->dead);
	netio_free(c->nio);
	match_free(c->mt);
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
	TAILQ_INSERT_TAIL(&c->sources, se, e);
	core_kick(c);
}

void
core_halt_all(struct core *c)
{
	struct task *t;
	struct source_ent *se;

	while ((se = TAILQ_FIRST(&c->sources)) != NULL) {
		TAILQ_REMOVE(&c->sources, se, e);
		source_free(se->s);
		free(se);
	}
	free_queue(&c->pending);
	while ((t = TAILQ_FIRST(&c->running_q)) != NULL) {
		t->m->halt(t);
		if (!t->finished)
			fatalx("%s: halt did not finish task %u", t->m->name,
			    t->id);
	}
	core_kick(c);
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
}

const struct core_stats *
core_stats(const struct core *c)
{
	return &c->st;
}

const struct netio_stats *
core_netio_stats(const struct core *c)
{
	return netio_stats(c->nio);
}
