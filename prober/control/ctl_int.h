/*
 * ctl_int.h: the control socket's internals, shared by ctl_server.c
 * (sockets, clients, buffers, shutdown), ctl_cmds.c (interactive
 * commands) and ctl_attach.c (attach mode).  Not for other modules.
 */
#ifndef PROBER_CONTROL_CTL_INT_H
#define PROBER_CONTROL_CTL_INT_H

#include <stdint.h>
#include <sys/queue.h>

#include "core.h"
#include "ctl.h"
#include "ctl_proto.h"
#include "output.h"

/* Per-client limits.  Output beyond CTL_WQ_HIGH stops reading from the
 * client and starting its tasks (and so its MORE) until it drains below
 * CTL_WQ_LOW; at most CTL_MAXQUEUE accepted commands wait to start. */
#define CTL_WQ_HIGH	(1024 * 1024)
#define CTL_WQ_LOW	(256 * 1024)
#define CTL_MAXQUEUE	1000
/* Fairness between clients (scamper(1), LIMITS): at most CTL_MAXCLIENTS
 * at once, CTL_MAXPERPEER of them from one peer (a TCP client's address,
 * a unix socket client's uid); a client that has not sent a whole line
 * within CTL_HELLO_S seconds is closed, and one that has sent nothing
 * yet makes way for a newcomer when a limit is reached. */
#define CTL_MAXCLIENTS	1000
#define CTL_MAXPERPEER	250
#define CTL_HELLO_S	10

struct ctl_job {
	uint32_t		 id;		/* the client's id-N */
	struct task		*t;
	TAILQ_ENTRY(ctl_job)	 e;
};

struct ctl_fileop;

struct ctl_client {
	struct ctl		*ctl;
	int			 fd;		/* -1 if virtual */
	struct loop_fd		*lfd;
	const struct ctl_vio	*vio;		/* virtual: remote channel */
	void			*vio_arg;
	int			 events;	/* watched now */
	char			 name[160];	/* "ip:port" or "path:fd" */
	char			 peer[64];	/* "ip" or "uid N": caps */
	int			 spoke;		/* a whole line came */
	struct timer		 hello;		/* CTL_HELLO_S deadline */
	int			 inet;		/* came through -P (TCP) */
	struct ctl_linebuf	 lb;
	int			 lb_drained;	/* ctl_lb_next said NONE */
	struct timer		 kick;		/* take waiting lines */
	char			*wq;		/* queued output */
	size_t			 wq_off, wq_len, wq_cap;
	int			 wpaused;	/* over CTL_WQ_HIGH */
	int			 eof;		/* the client closed its side */
	int			 closing;	/* close once the output is out */
	int			 observing;	/* "observe sources" */
	struct ctl_fileop	*fileop;	/* waiting for a file: no
						 * more lines until it comes */
	/* attach mode */
	int			 attached;
	int			 done_rcvd;
	int			 finished;	/* cycle stop sent */
	int			 more_sent;	/* since the last line */
	enum output_fmt		 fmt;
	struct output		*out;
	struct scamper_cycle	*cycle;
	struct core_src		*src;
	uint32_t		 next_id;
	TAILQ_HEAD(, ctl_job)	 jobs;
	TAILQ_ENTRY(ctl_client)	 e;
};

struct ctl_outfile {
	char			*alias;
	char			*path;
	struct output		*out;
	int			 refcnt;
	TAILQ_ENTRY(ctl_outfile) e;
};

/* A file source ("source add ... file F"): targets read from F, a few
 * commands ahead of the scheduler, measured with COMMAND; at the end of
 * the file and of its tasks a cycle ends, and another starts (re-reading
 * F, or opening it again with AUTORELOAD) until CYCLES are done. */
struct ctl_fsrc {
	struct ctl		*ctl;
	char			*name, *descr, *path, *command;
	uint32_t		 list_id, cycle_id, priority;
	uint32_t		 cycles;	/* left, this one included;
						 * 0: for ever */
	int			 autoreload;
	struct ctl_outfile	*of;
	struct scamper_cycle	*cycle;
	struct core_src		*src;		/* NULL until the file came */
	struct source		*in;		/* NULL while reopening */
	int			 eof;		/* this cycle's file is read */
	uint32_t		 started;	/* tasks this cycle */
	struct timer		 step;
	TAILQ_ENTRY(ctl_fsrc)	 e;
};

enum ctl_shutdown { CTL_RUN, CTL_DONE, CTL_FLUSH, CTL_NOW };

struct ctl {
	const struct opts	*o;
	const struct method *const *methods;	/* main's table */
	struct loop		*l;
	struct core		*core;
	int			 lfd[2];	/* listeners: -P, -U */
	struct loop_fd		*lw[2];
	int			 nlisten;
	struct timer		 relisten;	/* after EMFILE */
	struct timer		 exit_timer;	/* give up draining */
	struct remote		*remote;	/* -R */
	TAILQ_HEAD(, ctl_client) clients;
	uint32_t		 nclients;
	TAILQ_HEAD(, ctl_outfile) outfiles;	/* newest first */
	TAILQ_HEAD(, ctl_fsrc)	 fsrcs;		/* file sources */
	TAILQ_HEAD(, ctl_fileop) fileops;	/* waiting for the helper */
	char			 hostname[256];
	char			*monitorname;
	char			*command;	/* default command */
	uint32_t		 holdtime;
	int			 nofiles;	/* files come from the helper */
	enum ctl_shutdown	 shutdown;
	int			 exiting;
};

/* ctl_counters.c */
/* "counters": the prober's counters as INFO lines. */
void ctl_cmd_counters(struct ctl_client *cl, char **argv, int argc);

/* ctl_server.c */
/* Queue a text line (a newline is added) for CL. */
void ctl_printf(struct ctl_client *cl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Queue a DATA object for CL: the header line, then BUF (already encoded). */
int ctl_data(struct ctl_client *cl, const void *buf, size_t len, int uuenc);
/* Send an EVENT line to every observing client. */
void ctl_event(struct ctl *ctl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Close CL once its queued output is written. */
void ctl_client_closing(struct ctl_client *cl);
/* Check whether a pending shutdown can complete now. */
void ctl_check_exit(struct ctl *ctl);
/* Update which events CL's descriptor is watched for. */
void ctl_client_watch(struct ctl_client *cl);
/* Whether CL may take another line now (output and queue limits). */
int ctl_client_can_take(const struct ctl_client *cl);
/* A limit eased: take CL's waiting lines soon (from the loop). */
void ctl_client_kick(struct ctl_client *cl);

/* ctl_cmds.c: one interactive-mode line. */
void ctl_cmd_line(struct ctl_client *cl, char *line);
/* CL is going away: a file it waits for is dropped when it comes. */
void ctl_cmd_client_gone(struct ctl_client *cl);
/* Nonzero while a file source has work left (for "shutdown done"). */
int ctl_fsrc_busy(const struct ctl *ctl);
/* Shutdown: NOW drops every file source; FLUSH lets each finish the
 * tasks it started and read no more. */
void ctl_fsrc_shutdown(struct ctl *ctl, int now);
/* Free every file source and forget files still awaited (at exit). */
void ctl_fsrc_free_all(struct ctl *ctl);
/* The source list line of an attached client (after "INFO "). */
void ctl_src_describe(const struct ctl_client *cl, char *buf, size_t len);

/* ctl_attach.c */
/* "attach [params]": ARGV after the word.  Replies and switches mode. */
void ctl_attach_start(struct ctl_client *cl, char **argv, int argc);
/* One line from an attached client. */
void ctl_attach_line(struct ctl_client *cl, char *line);
/* Send MORE if the client is owed one. */
void ctl_attach_more(struct ctl_client *cl);
/* Finish CL (cycle stop, then close) if "done" was received and every
 * task has been delivered; FORCE finishes regardless (shutdown). */
void ctl_attach_check_done(struct ctl_client *cl, int force);
/* Start a new cycle for CL ("source cycle"). */
void ctl_attach_cycle(struct ctl_client *cl);
/* "shutdown now": drop CL's queued and running tasks without output,
 * send the cycle stop and close. */
void ctl_attach_purge(struct ctl_client *cl);
/* Forget CL's attach state; running tasks are discarded. */
void ctl_attach_free(struct ctl_client *cl);

#endif
