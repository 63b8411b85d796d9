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

struct scamper_cycle;

struct core_conf {
	uint32_t	 pps;		/* -p */
	uint32_t	 window;	/* -w, 0 = unlimited */
};

struct core_stats {
	uint64_t	 tasks_started;
	uint64_t	 tasks_done;
	uint64_t	 bad_commands;	/* refused, with a message logged */
	uint64_t	 unmatched;	/* replies that matched no task */
	uint64_t	 probes;
};

struct core;

/* A core on L writing to OUT (not owned), sending and receiving on FDS
 * (owned from here on, even on failure), whose results belong to cycle
 * CYC (a reference is taken).  Returns NULL with errno set. */
struct core *core_new(struct loop *l, const struct core_conf *conf,
    const struct netio_fds *fds, struct output *out,
    struct scamper_cycle *cyc);

/* Free C: every task still running is discarded without output. */
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
 * finish.  For SIGINT/SIGTERM and "shutdown now". */
void core_halt_all(struct core *c);

/* Run until every source is exhausted and every task has finished (or
 * the loop is stopped).  Returns 0, or -1 if the loop failed. */
int core_run(struct core *c);

/* Change -p while running. */
void core_set_pps(struct core *c, uint32_t pps);

/* Counters so far. */
const struct core_stats *core_stats(const struct core *c);
const struct netio_stats *core_netio_stats(const struct core *c);

#endif
