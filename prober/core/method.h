/*
 * method.h: a measurement technique is a descriptor, not a copy of the
 * machinery.  Each technique (trace, ping, ...) is one file exporting a
 * const struct method; the core does option checking, scheduling,
 * pacing, reply matching and output, and calls these back.
 *
 * Contract: callbacks never touch sockets, files or the clock directly;
 * they use the task_* functions of task.h.  A technique ends its task
 * with task_finish(), after which none of its callbacks is called again.
 */
#ifndef PROBER_CORE_METHOD_H
#define PROBER_CORE_METHOD_H

#include <stddef.h>
#include <stdint.h>

#include "cmd.h"
#include "pkt.h"
#include "stamp.h"

struct task;

/* A control-socket command a technique adds ("lss-clear NAME"): RUN gets
 * the command's words (ARGV[0] is NAME) and writes the answer into MSG
 * (the words after "OK " or "ERR "); it returns 0 for OK, -1 for ERR. */
struct method_cmd {
	const char	*name;
	int		(*run)(int argc, char **argv, char *msg, size_t msglen);
};

struct method {
	const char			*name;
	const struct cmd_optspec	*opts;
	size_t				 nopts;

	/* The size of the technique's state: the core allocates it zeroed
	 * for each task, hands it to init, and frees it after free_state. */
	size_t				 state_size;

	/* Check the parsed options and targets and fill in the task's
	 * STATE (zeroed; owned by the task).  Returns 0, or -1 with a
	 * message in ERR; the core then calls free_state and discards the
	 * task. */
	int	 (*init)(struct task *t, void *state, const struct cmd_args *a,
		    char *err, size_t errlen);

	/* The task may start probing (its flow is the method's to
	 * register).  Returns 0, or -1 with a message in ERR and errno
	 * set if it cannot start (e.g. no route); the core logs ERR and,
	 * unless the task ended itself, calls refused. */
	int	 (*start)(struct task *t, char *err, size_t errlen);

	/* Start returned -1 (ERR its errno) and the task has not ended:
	 * record the refusal in the result, from whatever state start
	 * left (an address it did not learn is the unspecified one; stop
	 * reason error with ERR where the result has one), and
	 * task_finish(): the result is written and reaches the task's
	 * source (an attach client) as any other.  NULL, or a task not
	 * finished by it: the task ends without a result, counted as lost
	 * (core_lost). */
	void	 (*refused)(struct task *t, int err);

	/* A pacing token was granted after task_want_probe(): send at most
	 * one probe.  Returns 1 if a probe was sent, 0 otherwise. */
	int	 (*probe)(struct task *t);

	/* A reply that matched the task's flow, received at RX (the
	 * kernel's timestamp, or the datalink's: task_reply_from_dl). */
	void	 (*reply)(struct task *t, const struct pkt_reply *r,
		    const struct stamp *rx);

	/* A better send time for the probe task_send sent with TAG: TX,
	 * from SRC (ERR 0).  STAMP_BEFORE: a queued probe was handed to
	 * the kernel after the clock read TX (task_send gave the time it
	 * was queued).  STAMP_KERNEL: the kernel's transmit timestamp,
	 * which comes before any reply to the probe is delivered.  Or the
	 * kernel refused a queued probe (ERR an errno, TX NULL; the
	 * technique ends as it would had task_send failed).  Returns
	 * nonzero if TX is now the probe's send time (0: e.g. the
	 * datalink's time stands).  NULL: send times stay task_send's and
	 * a refusal halts the task. */
	int	 (*sent)(struct task *t, uint32_t tag, int err,
		    const struct stamp *tx, enum stamp_src src);

	/* Stop now (halt, shutdown); the technique records why and calls
	 * task_finish(). */
	void	 (*halt)(struct task *t);

	/* Release what STATE holds, however far init got (the core frees
	 * STATE itself, and the result named with task_result); NULL if
	 * the state holds nothing of its own. */
	void	 (*free_state)(void *state);

	/* The technique's own control-socket commands (NCMDS of them; may
	 * be NULL).  They act on what the technique keeps between tasks. */
	const struct method_cmd	*cmds;
	size_t			 ncmds;
};

/* The members of a method descriptor that every technique has, named
 * after its prefix P: P_opts (an array), struct P_state, P_init,
 * P_start, P_probe and P_halt.  The descriptor adds .name and whichever
 * of .reply, .sent, .free_state and .cmds the technique has. */
#define METHOD_CALLS(P)						\
	.opts = P##_opts,						\
	.nopts = sizeof(P##_opts) / sizeof(P##_opts[0]),		\
	.state_size = sizeof(struct P##_state),			\
	.init = P##_init, .start = P##_start, .probe = P##_probe,	\
	.halt = P##_halt

/* The method called NAME (case-sensitive, as scamper's) in TABLE (NULL
 * terminated; NULL is an empty table), or NULL. */
const struct method *method_find(const struct method *const *table,
    const char *name);

/* Nonzero if NAME is a command of scamper 20211212 that TABLE lacks (not
 * built yet: refused as "not implemented yet", not as unknown). */
int method_unbuilt(const struct method *const *table, const char *name);

/* method_find(TABLE, NAME), or NULL with the reason in ERR, which the
 * caller puts after the name: "not implemented yet" for a command not
 * built yet, "unknown command 'NAME'" otherwise. */
const struct method *method_lookup(const struct method *const *table,
    const char *name, char *err, size_t len);

#endif
