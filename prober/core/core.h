/*
 * core.h: the prober's measurement engine: it turns commands into tasks,
 * starts them within the window, hands out pacing tokens at -p, delivers
 * replies to the task that owns them, writes results and frees finished
 * tasks.  One core per process, on the process's event loop.
 */
#ifndef PROBER_CORE_CORE_H
#define PROBER_CORE_CORE_H

#include <stdint.h>

#include "loop.h"
#include "netio.h"
#include "output.h"
#include "source.h"

struct core_io;
struct scamper_cycle;
struct method;

struct core_conf {
	uint32_t	 pps;		/* -p */
	uint32_t	 window;	/* -w, 0 = unlimited */
	int		 rawtcp;	/* -O rawtcp: IPv4 TCP probes on the raw
					   socket, not the datalink */
	/* The techniques commands may name: a NULL-terminated table, not
	 * copied (main's, or a test's own). */
	const struct method *const *methods;
	/* A test's: the process id techniques see (task_pid, and so the
	 * default ports), and task_random's seed; 0: getpid(), and
	 * getentropy(). */
	uint32_t	 pid;
	uint64_t	 seed;
};

#define CORE_NMETHODS	16	/* probes counted per technique */

struct core_stats {
	uint64_t	 tasks_started;
	uint64_t	 tasks_done;
	uint64_t	 results;	/* tasks whose result was written */
	uint64_t	 bad_commands;	/* refused, with a message logged */
	uint64_t	 unmatched;	/* replies that matched no task */
	uint64_t	 matched;	/* ... that matched one */
	uint64_t	 probes;
	/* probes by technique: index in core_conf's methods table */
	uint64_t	 probes_by_method[CORE_NMETHODS];
	/* where probes' send times came from (each probe handed to the
	 * kernel is either tx_kernel or tx_before; tx_dl probes were also
	 * seen leaving on the datalink, whose time they keep) */
	uint64_t	 tx_kernel;	/* the kernel's transmit timestamp */
	uint64_t	 tx_before;	/* none came: the clock read before */
	uint64_t	 tx_dl;		/* the datalink's timestamp (-O dl) */
	uint64_t	 tx_unused;	/* kernel timestamps not used (the
					   datalink's time stood) */
	uint64_t	 rtt_negative;	/* replies received before their probe
					   was sent, by the clock: kept */
};

/* What halting the core (core_halt_all, core_fail) and failed starts
 * left unmeasured.  A run that halted, dropped, left unread or could not
 * record anything lost work: it exits non-zero and says what
 * (core_lost_say).  A start refused is named as it happens, and is lost
 * only if its technique could not record it (method->refused). */
struct core_lost {
	uint64_t	 halted;	/* running tasks stopped early; their
					 * results are written (stop reason
					 * halted, or error after core_fail) */
	uint64_t	 dropped;	/* parsed commands never started: no
					 * result */
	uint64_t	 unstarted;	/* refused at start (logged) and not
					 * recorded by the technique: no
					 * result */
	int		 unread;	/* a source still had input */
	char		 first[160];	/* where the first command never
					 * started came from, or "" */
};

struct core;

/* A core on L writing to OUT (not owned), sending and receiving on FDS
 * (owned from here on, even on failure), whose results belong to cycle
 * CYC (a reference is taken).  Returns NULL with errno set. */
struct core *core_new(struct loop *l, const struct core_conf *conf,
    const struct netio_fds *fds, struct output *out,
    struct scamper_cycle *cyc);

/* A core as core_new, on the network IO (its ops and context are owned
 * from here on, even on failure; see io.h).  Returns NULL with errno. */
struct core *core_new_io(struct loop *l, const struct core_conf *conf,
    const struct core_io *io, struct output *out,
    struct scamper_cycle *cyc);

/* Free C: every task still running is discarded without output.  The
 * end-of-run statistics (core_stats, netio's) go to the debug log. */
void core_free(struct core *c);

/* Take commands from S (owned by the core from here on).  Sources are
 * used one after another in the order added. */
void core_add_source(struct core *c, struct source *s);

/* Parse command line CMD (from WHERE, for messages) and queue the task.
 * Returns 0, or -1 with the reason in ERR ("trace: -q: invalid value
 * '0' (expected 1 to 20)"). */
int core_command(struct core *c, const char *cmd, const char *where,
    char *err, size_t errlen);

/* Stop taking commands (sources and pending commands are dropped) and
 * halt every running task; their partial results are written as they
 * finish.  For SIGINT/SIGTERM and "shutdown now".  What was left
 * undone is counted in core_lost(). */
void core_halt_all(struct core *c);

/* Probing broke for good with ERR (an errno: EPIPE when scamper-helper
 * is gone): as core_halt_all, but running tasks end with stop reason
 * error and ERR as its data, and no command is taken any more. */
void core_fail(struct core *c, int err);

/* The errno core_fail was given, or 0. */
int core_failed(const struct core *c);

/* What was left unmeasured so far. */
const struct core_lost *core_lost(const struct core *c);

/* Nonzero if L counts work lost: measurements halted, commands never
 * started, starts refused without a result, input left unread (a start
 * refused and recorded is not lost: its result says why).  Then, if WHAT
 * is not NULL, log one warning "WHAT: ..." with those counts and the
 * input from which nothing was measured. */
int core_lost_say(const struct core_lost *l, const char *what);

/* Run until every source is exhausted and every task has finished (or
 * the loop is stopped).  Returns 0, or -1 if the loop failed. */
int core_run(struct core *c);

/* Change -p while running. */
void core_set_pps(struct core *c, uint32_t pps);

/* ---- sources with priorities and their own outputs (control socket) --
 *
 * A core source holds commands that were parsed when they arrived (so
 * the sender learns at once whether each was accepted) and waits for the
 * scheduler, which mixes sources by weighted round robin: each source
 * gets PRIORITY consecutive task starts before the next is asked;
 * priority 0 or a paused source is skipped.  Results of its tasks are
 * written to the source's output; its tasks belong to its cycle.  The
 * sources of core_add_source() and core_command() form the default
 * source (priority 1, the core's output and cycle).
 *
 * When writing to an output fails (output_failed), every source writing
 * to it stops: its queued tasks are dropped, its running tasks halted,
 * both without output (ops->done follows for each), its pull sources
 * closed, and it accepts no more commands.  A run whose only output
 * failed so ends at once. */

struct core_src;
struct task;

struct core_src_ops {
	/* A task of the source was taken from its queue to start. */
	void	(*taken)(void *arg, struct task *t);
	/* A task of the source ends: its result has been written (unless
	 * halted before it started) and it is freed after this returns. */
	void	(*done)(void *arg, struct task *t);
};

/* A new source on C with PRIORITY, writing to OUT (not owned) with
 * results in cycle CYC (a reference is taken; may be NULL), reporting to
 * OPS with ARG.  Returns NULL with errno set. */
struct core_src *core_src_new(struct core *c, uint32_t priority,
    struct output *out, struct scamper_cycle *cyc,
    const struct core_src_ops *ops, void *arg);

/* Parse CMD (from WHERE, for messages) and queue its task on S.  *TP
 * gets the task (valid until ops->done).  Returns 0, or -1 with the
 * reason in ERR (also once S's output failed). */
int core_src_command(struct core_src *s, const char *cmd, const char *where,
    struct task **tp, char *err, size_t errlen);

void core_src_set_priority(struct core_src *s, uint32_t priority);
uint32_t core_src_priority(const struct core_src *s);

/* Skip S in the scheduler while PAUSED (back-pressure). */
void core_src_pause(struct core_src *s, int paused);

/* Change the cycle S's new tasks belong to (a reference is taken). */
void core_src_set_cycle(struct core_src *s, struct scamper_cycle *cyc);

/* Tasks queued on S, not yet started. */
uint32_t core_src_queued(const struct core_src *s);

/* Tasks of S not yet freed (queued, running or being written). */
uint32_t core_src_live(const struct core_src *s);

/* Free S.  Its queued tasks are dropped; its running tasks are halted
 * and discarded without output; no callback is made. */
void core_src_free(struct core_src *s);

/* Halt T: a running task stops and its partial result is written; a
 * queued one is dropped without output.  Either way ops->done follows
 * from the loop. */
void core_task_halt(struct task *t);

/* The window: tasks running now and the limit (0 = unlimited). */
void core_window(const struct core *c, uint32_t *used, uint32_t *limit);
void core_set_window(struct core *c, uint32_t window);

/* The default source port of probes (task_default_sport). */
uint16_t core_sport(const struct core *c);

/* When idle (nothing queued, running or being written, every pull
 * source exhausted) call CB(ARG) instead of stopping the loop; the
 * control socket keeps running.  CB NULL restores stopping. */
void core_on_idle(struct core *c, void (*cb)(void *), void *arg);

/* Nonzero if nothing is queued, running or being written. */
int core_idle(const struct core *c);

/* Stop (1) or resume (0) reading commands from the sources of
 * core_add_source() ("shutdown flush"; tasks already queued still run). */
void core_pull_pause(struct core *c, int paused);

/* Tasks started and not finished; tasks parsed and waiting to start
 * (every source's queue and those held for a busy flow). */
uint32_t core_running(const struct core *c);
uint32_t core_queued(const struct core *c);

/* The techniques table of C's configuration (NULL-terminated). */
const struct method *const *core_methods(const struct core *c);

/* Counters so far (the network's: NULL if it keeps none). */
const struct core_stats *core_stats(const struct core *c);
const struct netio_stats *core_netio_stats(const struct core *c);

#endif
