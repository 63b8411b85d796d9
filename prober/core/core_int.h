/*
 * core_int.h: the core's own structures, shared by core.c (the scheduler
 * and reply dispatch) and task.c (what techniques may call, task.h).
 * Internal to prober/core.
 */
#ifndef PROBER_CORE_CORE_INT_H
#define PROBER_CORE_CORE_INT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>

#include "core.h"
#include "io.h"
#include "loop.h"
#include "match.h"
#include "pace.h"
#include "readyq.h"
#include "task.h"

/* What few tasks use: several flows, a datalink, TCP probes on the
 * datalink, a firewall rule (task_ext makes it on first use). */
struct task_ext {
	struct task_flowent	*mr;		/* task_flow_range, or NULL */
	size_t			 nmr;
	struct io_dl		*dlu;		/* task_datalink, or NULL */
	task_dl_ready		*dl_readycb;
	task_dl_sent		*dl_sentcb;
	task_frame_cb		*dl_framecb;	/* task_dl_tap */
	struct io_dl		*tcpdl;		/* IPv4 TCP probes (tcpdl.c) */
	struct tcpdl_pkt	*tcpdl_q;	/* waiting for it */
	void			*fwl;		/* task_fw_lease, or NULL */
	task_fw_ready		*fw_readycb;
};

/* One of the flows of a task with several (task_ext's mr): the entry
 * and its task (an entry has no owner pointer: match.h).  Its tag is 1;
 * a task's own entry (struct task's me) has tag 0. */
struct task_flowent {
	struct match_entry	 e;
	struct task		*t;
};

/* One per measurement, queued or running: only what every task uses
 * (one is held per trace in flight: issue 22's memory; no core pointer
 * nor match owner: task_core, task_of_entry), the rest in struct
 * task_ext. */
struct task {
	void			*result;	/* task_result */
	struct task_ext		*x;		/* NULL until needed */
	struct core_src		*src;		/* the core's orphans: its
						 * source is gone, discard */
	struct match_entry	 me;		/* task_flow's */
	uint16_t		 result_type;
	TAILQ_ENTRY(task)	 q;		/* pending, running, held,
						 * dead or zombies */
	uint32_t		 id;
	uint32_t		 txwait;	/* probes whose send time is
						   still to be reported */
	uint32_t		 rslot;		/* its slot in c->ready while
						 * it wants a token */
	uint8_t			 midx;		/* its method's index in
						   c->conf.methods */
	uint8_t			 dl_want;	/* TASK_DL_* */
	uint8_t			 tcpdl_state;	/* tcpdl.c */
	unsigned		 wants:1;	/* on the ready queue */
	unsigned		 started:1;
	unsigned		 held:1;	/* on the held queue */
	unsigned		 finished:1;
	unsigned		 discard:1;	/* free without writing */
	unsigned		 dl_ready:1;	/* its READY said 0 */
	unsigned		 zombie:1;	/* freed but for TXWAIT */
	unsigned		 state_gone:1;	/* its state was freed */
};

/* Where a task's state starts in its allocation (task_alloc): after
 * the task, aligned for anything. */
#define TASK_STATE_OFF	((sizeof(struct task) + _Alignof(max_align_t) - 1) & \
			    ~(_Alignof(max_align_t) - 1))

TAILQ_HEAD(taskq, task);

struct source_ent {
	struct source		*s;
	TAILQ_ENTRY(source_ent)	 e;
};

/* A source as the scheduler sees it (core.h); the default source also
 * holds the pull sources of core_add_source(), read one after another. */
struct core_src {
	struct core		*c;
	uint32_t		 priority;
	int			 paused;
	int			 stopped;	/* its output failed */
	struct output		*out;
	struct scamper_cycle	*cycle;
	const struct core_src_ops *ops;
	void			*arg;
	struct taskq		 pending;	/* parsed, not started */
	uint32_t		 npending;
	char			 qwhere[160];	/* where the command a pull
						 * source queued last came
						 * from */
	uint32_t		 live;		/* tasks not yet freed */
	TAILQ_HEAD(, source_ent) pulls;
	TAILQ_ENTRY(core_src)	 e;
};

struct core {
	struct loop		*l;
	struct core_io		 io;		/* the network (io.h) */
	int			 from_dl;	/* delivering a datalink reply */
	const uint32_t		*dl_fragid;	/* its IPv6 fragment id */
	struct match_table	*mt;
	struct output		*out;
	struct scamper_cycle	*cycle;
	struct core_conf	 conf;
	struct pace		 pace;
	struct timer		 pump;		/* next pacing decision */
	struct timer		 reap;		/* write and free finished */
	struct timer		 outflush;	/* out's results waited long
						 * enough (out_flush) */
	struct readyq		 ready;		/* started, wanting a token */
	struct taskq		 dead;		/* finished, to write+free */
	struct taskq		 held;		/* flow busy: wait for a finish */
	struct taskq		 zombies;	/* freed, awaiting send times */
	TAILQ_HEAD(, task)	 running_q;	/* started, not finished (by q:
						 * a running task is on no
						 * other list) */
	int			 discard;	/* free without writing */
	int			 freeing;	/* core_free: no zombies */
	TAILQ_HEAD(, core_src)	 srcs;		/* round-robin order */
	struct core_src		*def;		/* core_add_source/command */
	struct core_src		*cur;		/* whose turn it is */
	uint32_t		 nsrcs;
	uint32_t		 cur_used;	/* starts in this turn */
	int			 pull_paused;
	void			(*idle_cb)(void *);
	void			*idle_arg;
	uint32_t		 running;	/* started, not finished */
	uint32_t		 next_id;
	uint16_t		 sport;
	uint32_t		 pid;		/* task_pid */
	uint64_t		 rng;		/* task_random when seeded */
	/* task_random's unseeded values: read from getentropy() a buffer
	 * at a time, so that starting a task makes no system call */
	uint32_t		 ent[64];
	uint32_t		 nent;		/* values left in ent */
	int			 halt_err;	/* task_halt_error */
	int			 failed;	/* core_fail's errno */
	struct core_stats	 st;
	struct core_lost	 lost;
	struct core_src		 orphans;	/* the source of tasks whose
						 * own is gone */
};

/* T's core (every source, the orphans too, knows its core). */
static inline struct core *
task_core(const struct task *t)
{
	return t->src->c;
}

/* The task whose flow E is. */
static inline struct task *
task_of_entry(struct match_entry *e)
{
	return e->tag ? ((struct task_flowent *)(void *)e)->t :
	    (struct task *)(void *)((char *)e - offsetof(struct task, me));
}

/* Nonzero if T's source is gone (it is discarded). */
static inline int
task_orphaned(const struct task *t)
{
	return t->src == &t->src->c->orphans;
}

/* T's technique: its entry in the core's method table. */
static inline const struct method *
task_m(const struct task *t)
{
	return task_core(t)->conf.methods[t->midx];
}

/* T's state, in T's allocation after T; NULL once freed. */
static inline void *
task_state_of(struct task *t)
{
	return t->state_gone ? NULL : (char *)t + TASK_STATE_OFF;
}

/* Something changed (a task wants a token or finished, a source has
 * work): make the next pacing decision from the loop, soon. */
static inline void
core_kick(struct core *c)
{
	if (!timer_pending(&c->pump))
		loop_timer_after(c->l, &c->pump, 0);
}

/* T's struct task_ext, made zeroed on first use; NULL on ENOMEM. */
struct task_ext *task_ext(struct task *t);

/* Free T's struct task_ext (its range of flows, already unlinked). */
void task_ext_free(struct task *t);

/* Unlink every flow T registered and forget its range. */
void task_flows_del(struct task *t);

/* Give up T's datalink, if it has one. */
void task_dl_free(struct task *t);

/* T stops running (it finished, or is held to start again): its
 * datalinks, firewall rules and flows are given up and it leaves the
 * running queue (not the ready queue: the caller's). */
void task_unrun(struct task *t);

/* Call the network's op NAME with its context first (io.h). */
#define CORE_IO(c, name, ...)	((c)->io.ops->name((c)->io.ctx, __VA_ARGS__))
#define CORE_IO0(c, name)	((c)->io.ops->name((c)->io.ctx))
/* Send IP packet BUF (LEN bytes) of T on the datalink if it is an IPv4
 * TCP probe and -O rawtcp is off (tcpdl.c): returns 1 if sent or
 * waiting for T's datalink (TX the time, TAG for method->sent), -1 with
 * errno if the datalink refused it, 0 if it goes on the raw socket. */
int tcpdl_send(struct task *t, const uint8_t *buf, size_t len,
    struct stamp *tx, uint32_t tag);

/* Forget T's datalink for TCP probes and what waits for it (no longer
 * awaited in T's txwait). */
void tcpdl_free(struct task *t);

#endif
