/*
 * ctl_cmds.c: the control socket's interactive commands: get, set,
 * source, outfile, observe, shutdown, exit, help, attach, and those a
 * technique adds through its descriptor (trace's lss-clear); and the
 * file sources and output files they make.  Replies are scamper
 * 20211212's (scamper-behaviour.md a.2); where it printed nothing
 * useful we say what went wrong.
 *
 * After the privilege drop the prober has no file system: files are
 * opened by the file server (priv_file_open, filesrv.h), as the owner of
 * the results, asynchronously, so the client that asked takes no
 * further line until its reply is out.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "ctl_int.h"
#include "log.h"
#include "method.h"
#include "scamper_list.h"
#include "source.h"
/* privsep/ is not on control/'s include path (control/meson.build) */
#include "priv_start.h"

/* Commands a file source parses ahead of the scheduler. */
#define FSRC_AHEAD	8
/* A cycle that started nothing waits this long before the next one, so
 * an empty file with "cycles 0" does not spin. */
#define FSRC_IDLE_MS	1000

/* A file asked of the file server (or opened here when no sandbox forbids
 * it), and what to do when it comes. */
struct ctl_fileop {
	struct ctl		*ctl;
	struct ctl_client	*cl;	/* waiting; NULL if none or gone */
	struct ctl_fsrc		*fs;	/* source add, or a reload */
	char			*alias;	/* outfile open */
	char			*path;
	int			 mode;	/* PRIV_FILE_* */
	int			 reload;	/* FS's next cycle */
	TAILQ_ENTRY(ctl_fileop)	 e;
};

static void fileop_done(void *arg, int err, int fd, uint32_t value);
static void fsrc_free(struct ctl_fsrc *fs);
static void fsrc_kick(struct ctl_fsrc *fs, unsigned int ms);

struct ctl_cmd {
	const char	*word;
	void		(*fn)(struct ctl_client *, char **, int);
};

static int
is(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

/* Run the subcommand ARGV[1] names among the N at SUB; without one say
 * USAGE, with an unknown one that it is an unhandled WHAT. */
static void
run_sub(struct ctl_client *cl, char **argv, int argc,
    const struct ctl_cmd *sub, size_t n, const char *usage,
    const char *what)
{
	if (argc < 2) {
		ctl_printf(cl, "ERR usage: %s", usage);
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (is(argv[1], sub[i].word)) {
			sub[i].fn(cl, argv, argc);
			return;
		}
	ctl_printf(cl, "ERR unhandled %s '%s'", what, argv[1]);
}

/* The attached client whose source is called NAME, or NULL. */
static struct ctl_client *
src_find(struct ctl *ctl, const char *name)
{
	struct ctl_client *cl;

	TAILQ_FOREACH(cl, &ctl->clients, e)
		if (cl->attached && !cl->finished &&
		    strcmp(cl->cycle->list->name, name) == 0)
			return cl;
	return NULL;
}

/* The file source called NAME (started or waiting for its file). */
static struct ctl_fsrc *
fsrc_find(struct ctl *ctl, const char *name)
{
	struct ctl_fsrc *fs;

	TAILQ_FOREACH(fs, &ctl->fsrcs, e)
		if (strcmp(fs->name, name) == 0)
			return fs;
	return NULL;
}

static struct ctl_outfile *
outfile_find(struct ctl *ctl, const char *alias)
{
	struct ctl_outfile *of;

	TAILQ_FOREACH(of, &ctl->outfiles, e)
		if (strcmp(of->alias, alias) == 0)
			return of;
	return NULL;
}

/* ---- get / set -------------------------------------------------------- */

static void
cmd_get(struct ctl_client *cl, char **argv, int argc)
{
	struct ctl *ctl = cl->ctl;
	const struct opts *o = ctl->o;
	uint32_t used, limit;
	const char *w;

	if (argc < 2) {
		ctl_printf(cl, "ERR usage: get [command | holdtime | "
		    "monitorname | nameserver | pid | pps | sport | version | "
		    "window]");
		return;
	}
	w = argv[1];
	if (is(w, "version"))
		ctl_printf(cl, "OK version %s", SCAMPER_VERSION);
	else if (is(w, "pps"))
		ctl_printf(cl, "OK pps %u", o->pps);
	else if (is(w, "window")) {
		core_window(ctl->core, &used, &limit);
		ctl_printf(cl, "OK window %u/%u", used, limit);
	} else if (is(w, "monitorname")) {
		if (ctl->monitorname != NULL)
			ctl_printf(cl, "OK monitorname %s", ctl->monitorname);
		else
			ctl_printf(cl, "OK null monitorname");
	} else if (is(w, "command"))
		ctl_printf(cl, "OK command %s", ctl->command);
	else if (is(w, "pid"))
		ctl_printf(cl, "OK pid %ld", (long)getpid());
	else if (is(w, "nameserver")) {
		if (o->nameserver != NULL)
			ctl_printf(cl, "OK nameserver %s", o->nameserver);
		else
			ctl_printf(cl, "OK null nameserver");
	} else if (is(w, "holdtime"))
		ctl_printf(cl, "OK holdtime %u", ctl->holdtime);
	else if (is(w, "sport"))
		ctl_printf(cl, "OK sport %u", core_sport(ctl->core));
	else
		ctl_printf(cl, "ERR unhandled get command '%s'", w);
}

/* "set WHAT N" for a number in [MIN, MAX].  Returns 0 with *V set, or
 * -1 after replying. */
static int
set_uint(struct ctl_client *cl, char **argv, int argc, uint32_t min,
    uint32_t max, uint32_t *v)
{
	int rc;

	if (argc < 3) {
		ctl_printf(cl, "ERR set %s requires argument", argv[1]);
		return -1;
	}
	if ((rc = ctl_uint(argv[2], min, max, v)) == -1) {
		ctl_printf(cl, "ERR set %s argument is not an integer",
		    argv[1]);
		return -1;
	}
	if (rc == -2) {
		ctl_printf(cl, "ERR %s: %s out of range (%u, %u)", argv[1],
		    argv[2], min, max);
		return -1;
	}
	return 0;
}

/* "set command trace -P icmp-paris": the method must exist. */
static void
set_command(struct ctl_client *cl, char **argv, int argc)
{
	struct ctl *ctl = cl->ctl;
	char cmd[CTL_LINEMAX + 1], *p;
	size_t off = 0;

	if (argc < 3) {
		ctl_printf(cl, "ERR could not set command");
		return;
	}
	if (method_unbuilt(ctl->methods, argv[2])) {
		ctl_printf(cl, "ERR could not set command: %s: not "
		    "implemented yet", argv[2]);
		return;
	}
	if (method_find(ctl->methods, argv[2]) == NULL) {
		ctl_printf(cl, "ERR could not set command: unknown method "
		    "'%s'", argv[2]);
		return;
	}
	for (int i = 2; i < argc && off < sizeof(cmd); i++)
		off += (size_t)snprintf(cmd + off, sizeof(cmd) - off, "%s%s",
		    i > 2 ? " " : "", argv[i]);
	if ((p = strdup(cmd)) == NULL) {
		ctl_printf(cl, "ERR could not set command");
		return;
	}
	free(ctl->command);
	ctl->command = p;
	ctl_printf(cl, "OK");
}

static void
cmd_set(struct ctl_client *cl, char **argv, int argc)
{
	struct ctl *ctl = cl->ctl;
	uint32_t v;
	char *p;

	if (argc < 2) {
		ctl_printf(cl, "ERR usage: set [command | holdtime | "
		    "monitorname | pps | window]");
		return;
	}
	if (is(argv[1], "pps")) {
		if (set_uint(cl, argv, argc, 1, 10000, &v) == 0) {
			/* the opts are the settings' home for "get" */
			((struct opts *)ctl->o)->pps = v;
			core_set_pps(ctl->core, v);
			ctl_printf(cl, "OK pps %u", v);
		}
	} else if (is(argv[1], "window")) {
		if (set_uint(cl, argv, argc, 0, 65535, &v) == 0) {
			core_set_window(ctl->core, v);
			ctl_printf(cl, "OK window %u", v);
		}
	} else if (is(argv[1], "holdtime")) {
		if (set_uint(cl, argv, argc, 0, 255, &v) == 0) {
			ctl->holdtime = v;
			ctl_printf(cl, "OK holdtime %u", v);
		}
	} else if (is(argv[1], "monitorname")) {
		if (argc != 3 || (p = strdup(argv[2])) == NULL) {
			ctl_printf(cl, "ERR could not set monitorname");
			return;
		}
		free(ctl->monitorname);
		ctl->monitorname = p;
		ctl_printf(cl, "OK");
	} else if (is(argv[1], "command"))
		set_command(cl, argv, argc);
	else
		ctl_printf(cl, "ERR unhandled set command '%s'", argv[1]);
}

/* ---- files ------------------------------------------------------------ */

/* Ask for OP's file: from the file server after the privilege drop, else
 * opened here.  fileop_done() follows (at once when opened here).
 * Returns 0, or -1 with errno if it could not even be asked for. */
static int
fileop_start(struct ctl_fileop *op)
{
	static const int flags[] = {
		[PRIV_FILE_READ] = O_RDONLY,
		[PRIV_FILE_TRUNC] = O_WRONLY | O_CREAT | O_TRUNC,
		[PRIV_FILE_APPEND] = O_WRONLY | O_CREAT | O_APPEND,
	};
	int fd;

	if (op->ctl->nofiles) {
		if (priv_file_open(op->path, op->mode, fileop_done, op) == -1)
			return -1;
	} else {
		fd = open(op->path, flags[op->mode] | O_CLOEXEC | O_NOCTTY,
		    0644);
		fileop_done(op, fd == -1 ? errno : 0, fd, 0);
		return 0;
	}
	TAILQ_INSERT_TAIL(&op->ctl->fileops, op, e);
	if (op->cl != NULL)
		op->cl->fileop = op;
	return 0;
}

static struct ctl_fileop *
fileop_new(struct ctl *ctl, struct ctl_client *cl, const char *path,
    int mode)
{
	struct ctl_fileop *op = calloc(1, sizeof(*op));

	if (op == NULL || (op->path = strdup(path)) == NULL) {
		free(op);
		return NULL;
	}
	op->ctl = ctl;
	op->cl = cl;
	op->mode = mode;
	return op;
}

static void
fileop_free(struct ctl_fileop *op)
{
	free(op->alias);
	free(op->path);
	free(op);
}

/* Nonzero if CL may name files (outfile open, source add ... file):
 * not over TCP unless -O tcp-files, since any local user can connect to
 * a TCP port; else the refusal is sent, after WHAT ("outfile"). */
static int
files_allowed(struct ctl_client *cl, const char *what)
{
	if (!cl->inet || (cl->ctl->o->oflags & OPT_O_TCPFILES))
		return 1;
	ctl_printf(cl, "ERR could not add %s: file commands are off on a "
	    "TCP control socket (scamper -O tcp-files allows them)", what);
	return 0;
}

/* Why the file at PATH could not be had, for a reply. */
static const char *
file_why(int err)
{
	return priv_file_strerror(err);
}

void
ctl_cmd_client_gone(struct ctl_client *cl)
{
	if (cl->fileop != NULL)
		cl->fileop->cl = NULL;
	cl->fileop = NULL;
}

/* "outfile open": the file came (FD) or not (ERR). */
static void
outfile_opened(struct ctl_fileop *op, int err, int fd)
{
	struct ctl *ctl = op->ctl;
	struct ctl_client *cl = op->cl;
	struct ctl_outfile *of = NULL;
	struct output *out = NULL;

	if (err == 0 && outfile_find(ctl, op->alias) != NULL)
		err = EEXIST;		/* another client was quicker */
	if (err == 0 && ((out = output_fdopen(fd, output_format(
	    TAILQ_FIRST(&ctl->outfiles)->out), op->path)) == NULL ||
	    (of = calloc(1, sizeof(*of))) == NULL ||
	    (of->alias = strdup(op->alias)) == NULL ||
	    (of->path = strdup(op->path)) == NULL))
		err = errno != 0 ? errno : ENOMEM;
	else if (err != 0 && fd != -1)
		close(fd);
	if (err != 0) {
		output_close(out);
		if (of != NULL)
			free(of->alias);
		free(of);
		if (cl != NULL)
			ctl_printf(cl, "ERR could not add outfile: %s: %s",
			    op->path, err == EEXIST ? "the alias exists" :
			    file_why(err));
		return;
	}
	of->out = out;
	of->refcnt = 1;
	TAILQ_INSERT_HEAD(&ctl->outfiles, of, e);
	if (cl != NULL)
		ctl_printf(cl, "OK");
}

static void fsrc_opened(struct ctl_fileop *op, int err, int fd);
static void fsrc_reopened(struct ctl_fsrc *fs, int err, int fd);

/* The file server's reply to OP (or the direct open's result). */
static void
fileop_done(void *arg, int err, int fd, uint32_t value)
{
	struct ctl_fileop *op = arg;
	struct ctl_client *cl = op->cl;
	struct ctl_fileop *p;

	(void)value;
	TAILQ_FOREACH(p, &op->ctl->fileops, e)
		if (p == op) {
			TAILQ_REMOVE(&op->ctl->fileops, op, e);
			break;
		}
	if (cl != NULL)
		cl->fileop = NULL;
	if (op->alias != NULL)
		outfile_opened(op, err, fd);
	else if (op->fs == NULL) {	/* its source was deleted */
		if (fd != -1)
			close(fd);
	} else if (op->reload)
		fsrc_reopened(op->fs, err, fd);
	else
		fsrc_opened(op, err, fd);
	fileop_free(op);
	if (cl != NULL) {
		ctl_client_kick(cl);
		ctl_client_watch(cl);
	}
}

/* ---- file sources -------------------------------------------------- */

static void
fsrc_describe(const struct ctl_fsrc *fs, char *buf, size_t len)
{
	char descr[CTL_LINEMAX];

	if (fs->descr != NULL)
		snprintf(descr, sizeof(descr), " descr '%s'", fs->descr);
	else
		descr[0] = '\0';
	snprintf(buf, len, "name '%s'%s list_id %u cycle_id %u priority %u "
	    "outfile '%s' type 'file' file '%s' cycles %u autoreload %s",
	    fs->name, descr, fs->list_id, fs->cycle != NULL ? fs->cycle->id :
	    fs->cycle_id, fs->priority, fs->of->alias, fs->path, fs->cycles,
	    fs->autoreload ? "on" : "off");
}

/* Whether FS has nothing more to read: its file ended, or its output
 * failed (the core stopped the source: it takes no more commands). */
static int
fsrc_ended(struct ctl_fsrc *fs)
{
	if (output_failed(fs->of->out))
		fs->eof = 1;
	return fs->eof;
}

/* Read up to FSRC_AHEAD commands ahead; a bad line is logged with its
 * file:line and skipped. */
static void
fsrc_fill(struct ctl_fsrc *fs)
{
	char cmd[CTL_LINEMAX + 256], where[512], err[1024];
	struct task *t;
	int rc;

	while (!fsrc_ended(fs) && fs->in != NULL &&
	    core_src_queued(fs->src) < FSRC_AHEAD) {
		rc = source_next(fs->in, cmd, sizeof(cmd), where,
		    sizeof(where));
		if (rc == 0)
			fs->eof = 1;
		else if (rc == -1)
			log_warnx("source '%s': %s: %s", fs->name, where, cmd);
		else if (core_src_command(fs->src, cmd, where, &t, err,
		    sizeof(err)) == -1)
			log_warnx("source '%s': %s", fs->name, err);
		else
			fs->started++;
	}
}

/* The current cycle is over: its stop record, then the next cycle (the
 * file read again, or opened again with autoreload) or the end. */
static void
fsrc_cycle_end(struct ctl_fsrc *fs)
{
	struct ctl *ctl = fs->ctl;
	struct scamper_cycle *c;
	uint32_t now = (uint32_t)time(NULL);
	int idle = fs->started == 0;

	fs->cycle->stop_time = now;
	output_cycle_stop(fs->of->out, fs->cycle);
	/* "shutdown done" waits for the cycles left; flush and now do not;
	   a source whose output failed ends */
	if (fs->cycles == 1 || output_failed(fs->of->out) ||
	    ctl->shutdown == CTL_FLUSH ||
	    ctl->shutdown == CTL_NOW) {
		ctl_event(ctl, "source finish '%s'", fs->name);
		fsrc_free(fs);
		ctl_check_exit(ctl);
		return;
	}
	if (fs->cycles > 1)
		fs->cycles--;
	if ((c = scamper_cycle_alloc(fs->cycle->list, fs->cycle->id + 1, now,
	    fs->cycle->hostname)) == NULL) {
		log_warnx("source '%s': out of memory; finishing", fs->name);
		ctl_event(ctl, "source finish '%s'", fs->name);
		fsrc_free(fs);
		return;
	}
	scamper_cycle_free(fs->cycle);
	fs->cycle = c;
	core_src_set_cycle(fs->src, c);
	output_cycle_start(fs->of->out, c);
	ctl_event(ctl, "source cycle '%s' id %u", fs->name, c->id);
	fs->eof = 0;
	fs->started = 0;
	if (fs->autoreload) {
		struct ctl_fileop *op = fileop_new(ctl, NULL, fs->path,
		    PRIV_FILE_READ);

		source_free(fs->in);
		fs->in = NULL;
		if (op != NULL) {
			op->fs = fs;
			op->reload = 1;
			if (fileop_start(op) == 0)
				return;
			fsrc_reopened(fs, errno, -1);
			fileop_free(op);
		} else
			fsrc_reopened(fs, ENOMEM, -1);
		return;
	}
	if (source_rewind(fs->in) == -1) {
		log_warn("source '%s': %s", fs->name, fs->path);
		fs->eof = 1;
	}
	fsrc_kick(fs, idle ? FSRC_IDLE_MS : 0);
}

/* Feed the scheduler, or end the cycle once the file is read and every
 * task of it is done. */
static void
on_fsrc_step(void *arg)
{
	struct ctl_fsrc *fs = arg;

	if (fs->in != NULL)
		fsrc_fill(fs);
	if (fs->eof && core_src_live(fs->src) == 0)
		fsrc_cycle_end(fs);
}

static void
fsrc_kick(struct ctl_fsrc *fs, unsigned int ms)
{
	loop_timer_after(fs->ctl->l, &fs->step, ms);
}

static void
fsrc_on_taken(void *arg, struct task *t)
{
	(void)t;
	fsrc_kick(arg, 0);
}

static void
fsrc_on_done(void *arg, struct task *t)
{
	struct ctl_fsrc *fs = arg;

	(void)t;
	if (fsrc_ended(fs) && core_src_live(fs->src) == 0)
		fsrc_kick(fs, 0);
}

static const struct core_src_ops fsrc_ops = { fsrc_on_taken, fsrc_on_done };

/* A new cycle's file (autoreload) came, or not: then the file of the
 * last cycle is gone and the cycle has nothing to read. */
static void
fsrc_reopened(struct ctl_fsrc *fs, int err, int fd)
{
	if (err == 0 && (fs->in = source_fd(fs->command, fs->path, fd)) ==
	    NULL)
		err = errno;
	if (err != 0) {
		log_warnx("source '%s': reloading %s: %s", fs->name, fs->path,
		    file_why(err));
		fs->eof = 1;
	}
	fsrc_kick(fs, err != 0 ? FSRC_IDLE_MS : 0);
}

static void
fsrc_free(struct ctl_fsrc *fs)
{
	struct ctl_fileop *op;

	TAILQ_REMOVE(&fs->ctl->fsrcs, fs, e);
	TAILQ_FOREACH(op, &fs->ctl->fileops, e)
		if (op->fs == fs)
			op->fs = NULL;
	if (fs->ctl->l != NULL)
		loop_timer_cancel(fs->ctl->l, &fs->step);
	core_src_free(fs->src);
	source_free(fs->in);
	scamper_cycle_free(fs->cycle);
	if (fs->of != NULL)
		fs->of->refcnt--;
	free(fs->name);
	free(fs->descr);
	free(fs->path);
	free(fs->command);
	free(fs);
}

/* The file of "source add" came (FD) or not (ERR): start the source. */
static void
fsrc_opened(struct ctl_fileop *op, int err, int fd)
{
	struct ctl_fsrc *fs = op->fs;
	struct ctl *ctl = op->ctl;
	struct ctl_client *cl = op->cl;
	struct scamper_list *list = NULL;
	char desc[CTL_LINEMAX * 2];

	if (err == 0 && (fs->in = source_fd(fs->command, fs->path, fd)) ==
	    NULL)
		err = errno;
	if (err == 0 && ((list = scamper_list_alloc(fs->list_id, fs->name,
	    fs->descr, ctl->monitorname)) == NULL ||
	    (fs->cycle = scamper_cycle_alloc(list, fs->cycle_id,
	    (uint32_t)time(NULL), ctl->hostname[0] != '\0' ? ctl->hostname :
	    NULL)) == NULL ||
	    (fs->src = core_src_new(ctl->core, fs->priority, fs->of->out,
	    fs->cycle, &fsrc_ops, fs)) == NULL))
		err = ENOMEM;
	scamper_list_free(list);
	if (err != 0) {
		if (cl != NULL)
			ctl_printf(cl, "ERR could not add source: %s: %s",
			    fs->path, file_why(err));
		fsrc_free(fs);
		return;
	}
	if (cl != NULL)
		ctl_printf(cl, "OK source added");
	output_cycle_start(fs->of->out, fs->cycle);
	fsrc_describe(fs, desc, sizeof(desc));
	ctl_event(ctl, "source add %s", desc);
	ctl_event(ctl, "source cycle '%s' id %u", fs->name, fs->cycle->id);
	fsrc_kick(fs, 0);
}

int
ctl_fsrc_busy(const struct ctl *ctl)
{
	return !TAILQ_EMPTY(&ctl->fsrcs);
}

void
ctl_fsrc_shutdown(struct ctl *ctl, int now)
{
	struct ctl_fsrc *fs, *next;

	for (fs = TAILQ_FIRST(&ctl->fsrcs); fs != NULL; fs = next) {
		next = TAILQ_NEXT(fs, e);
		if (now || fs->src == NULL) {
			ctl_event(ctl, "source finish '%s'", fs->name);
			fsrc_free(fs);
			continue;
		}
		/* no more reading; the cycle ends with its tasks */
		fs->eof = 1;
		fs->cycles = 1;
		fsrc_kick(fs, 0);
	}
}

void
ctl_fsrc_free_all(struct ctl *ctl)
{
	struct ctl_fileop *op;

	while (!TAILQ_EMPTY(&ctl->fsrcs))
		fsrc_free(TAILQ_FIRST(&ctl->fsrcs));
	/* the loop has stopped: no reply can come now */
	while ((op = TAILQ_FIRST(&ctl->fileops)) != NULL) {
		TAILQ_REMOVE(&ctl->fileops, op, e);
		if (op->cl != NULL)
			op->cl->fileop = NULL;
		fileop_free(op);
	}
}

/* ---- source ----------------------------------------------------------- */

static void
source_list(struct ctl_client *cl, char **argv, int argc)
{
	struct ctl_client *s;
	struct ctl_fsrc *fs;
	char desc[CTL_LINEMAX * 2];
	int n = 0;

	TAILQ_FOREACH(s, &cl->ctl->clients, e) {
		if (!s->attached || s->finished || (argc > 2 &&
		    strcmp(s->cycle->list->name, argv[2]) != 0))
			continue;
		ctl_src_describe(s, desc, sizeof(desc));
		ctl_printf(cl, "INFO %s", desc);
		n++;
	}
	TAILQ_FOREACH(fs, &cl->ctl->fsrcs, e) {
		if (fs->src == NULL || (argc > 2 &&
		    strcmp(fs->name, argv[2]) != 0))
			continue;
		fsrc_describe(fs, desc, sizeof(desc));
		ctl_printf(cl, "INFO %s", desc);
		n++;
	}
	if (argc > 2 && n == 0)
		ctl_printf(cl, "ERR no source '%s'", argv[2]);
	else
		ctl_printf(cl, "OK");
}

/* The default command of a source must name one of CTL's methods;
 * nonzero if so, else 0 with the reason in WHY ("tracelb: not
 * implemented yet"). */
static int
command_ok(const struct ctl *ctl, const char *cmd, char *why, size_t len)
{
	char name[32], r[80];
	size_t n = strcspn(cmd, " \t");

	if (n == 0 || n >= sizeof(name)) {
		snprintf(why, len, "no command name");
		return 0;
	}
	memcpy(name, cmd, n);
	name[n] = '\0';
	if (method_lookup(ctl->methods, name, r, sizeof(r)) != NULL)
		return 1;
	snprintf(why, len, "%s: %s", name, r);
	return 0;
}

/* The value of number parameter V, already checked, or DEF if absent. */
static uint32_t
param_u32(const char *v, uint32_t def)
{
	uint32_t u;

	return (v != NULL && ctl_uint(v, 0, UINT32_MAX, &u) == 0) ? u : def;
}

/* A new file source from the checked parameters V of "source add"
 * (keys as in source_add), its file not yet opened.  NULL on ENOMEM. */
static struct ctl_fsrc *
fsrc_new(struct ctl *ctl, const char *const *v, struct ctl_outfile *of)
{
	struct ctl_fsrc *fs = calloc(1, sizeof(*fs));

	if (fs == NULL)
		return NULL;
	fs->ctl = ctl;
	fs->of = of;
	of->refcnt++;
	timer_init(&fs->step, on_fsrc_step, fs);
	TAILQ_INSERT_TAIL(&ctl->fsrcs, fs, e);	/* the name is taken */
	fs->list_id = param_u32(v[3], 0);
	fs->cycle_id = param_u32(v[4], 1);
	fs->priority = param_u32(v[5], 1);
	fs->cycles = param_u32(v[8], 1);
	fs->autoreload = v[9] != NULL && is(v[9], "on");
	if ((fs->name = strdup(v[0])) == NULL ||
	    (fs->path = strdup(v[7])) == NULL ||
	    (fs->command = strdup(v[2] != NULL ? v[2] : ctl->command)) ==
	    NULL || (v[1] != NULL && (fs->descr = strdup(v[1])) == NULL)) {
		fsrc_free(fs);
		return NULL;
	}
	return fs;
}

/* "source add name N file F outfile O [descr D] [list_id L] [cycle_id C]
 * [priority P] [command CMD] [cycles N] [autoreload on|off]": checked
 * as scamper does; the reply follows once the file server has opened F. */
static void
source_add(struct ctl_client *cl, char **argv, int argc)
{
	static const char *const keys[] = { "name", "descr", "command",
	    "list_id", "cycle_id", "priority", "outfile", "file", "cycles",
	    "autoreload" };
	struct ctl *ctl = cl->ctl;
	struct ctl_outfile *of;
	struct ctl_fileop *op;
	struct ctl_fsrc *fs;
	const char *v[10];
	char why[160];
	uint32_t u;
	int bad;

	if ((bad = ctl_params(argv + 2, argc - 2, keys, 10, v)) >= 0) {
		ctl_printf(cl, "ERR source add param '%s' failed",
		    argv[2 + bad]);
		return;
	}
	for (int i = 0; i < 3; i++) {
		static const int need[] = { 0, 7, 6 };
		if (v[need[i]] == NULL) {
			ctl_printf(cl, "ERR required parameter '%s' missing",
			    keys[need[i]]);
			return;
		}
	}
	for (int i = 3; i <= 8; i++) {
		if (i == 6 || i == 7 || v[i] == NULL)
			continue;
		if (ctl_uint(v[i], 0, UINT32_MAX, &u) != 0) {
			ctl_printf(cl, "ERR source add param '%s' failed",
			    keys[i]);
			return;
		}
	}
	if (v[9] != NULL && !is(v[9], "on") && !is(v[9], "off")) {
		ctl_printf(cl, "ERR source add param 'autoreload' failed");
		return;
	}
	if (v[2] != NULL && !command_ok(ctl, v[2], why, sizeof(why))) {
		ctl_printf(cl, "ERR source add param 'command' failed: %s",
		    why);
		return;
	}
	if (src_find(ctl, v[0]) != NULL || fsrc_find(ctl, v[0]) != NULL) {
		ctl_printf(cl, "ERR source '%s' already exists", v[0]);
		return;
	}
	if ((of = outfile_find(ctl, v[6])) == NULL) {
		ctl_printf(cl, "ERR unknown outfile '%s'", v[6]);
		return;
	}
	if (ctl->shutdown != CTL_RUN) {
		ctl_printf(cl, "ERR could not add source: scamper is "
		    "shutting down");
		return;
	}
	if (!files_allowed(cl, "source"))
		return;
	if ((fs = fsrc_new(ctl, v, of)) == NULL ||
	    (op = fileop_new(ctl, cl, fs->path, PRIV_FILE_READ)) == NULL) {
		if (fs != NULL)
			fsrc_free(fs);
		ctl_printf(cl, "ERR could not add source: out of memory");
		return;
	}
	op->fs = fs;
	if (fileop_start(op) == -1) {
		ctl_printf(cl, "ERR could not add source: %s: %s", v[7],
		    file_why(errno));
		fsrc_free(fs);
		fileop_free(op);
	}
}

/* "source update N [priority P] [autoreload on|off] [cycles C]": cycles
 * and autoreload only for file sources. */
static void
source_update(struct ctl_client *cl, char **argv, int argc)
{
	static const char *const keys[] = { "priority", "autoreload",
	    "cycles" };
	struct ctl_client *s = NULL;
	struct ctl_fsrc *fs = NULL;
	const char *v[3], *bad_key = NULL;
	uint32_t p = 0, cyc = 0;
	char ev[256];
	int bad;

	if (argc < 3) {
		ctl_printf(cl, "ERR missing name parameter");
		return;
	}
	if (((fs = fsrc_find(cl->ctl, argv[2])) == NULL || fs->src == NULL) &&
	    (s = src_find(cl->ctl, argv[2])) == NULL) {
		ctl_printf(cl, "ERR no such source '%s'", argv[2]);
		return;
	}
	if ((bad = ctl_params(argv + 3, argc - 3, keys, 3, v)) >= 0)
		bad_key = argv[3 + bad];
	else if (v[0] != NULL && ctl_uint(v[0], 0, 100000, &p) != 0)
		bad_key = "priority";
	else if (v[1] != NULL && (s != NULL ||
	    (!is(v[1], "on") && !is(v[1], "off"))))
		bad_key = "autoreload";	/* not for control sources */
	else if (v[2] != NULL && (s != NULL ||
	    ctl_uint(v[2], 0, UINT32_MAX, &cyc) != 0))
		bad_key = "cycles";
	if (bad_key != NULL) {
		ctl_printf(cl, "ERR source update param '%s' failed", bad_key);
		return;
	}
	if (v[0] != NULL)
		core_src_set_priority(s != NULL ? s->src : fs->src, p);
	if (fs != NULL && v[0] != NULL)
		fs->priority = p;
	if (v[1] != NULL)
		fs->autoreload = is(v[1], "on");
	if (v[2] != NULL)
		fs->cycles = cyc;
	snprintf(ev, sizeof(ev), "source update '%s'", argv[2]);
	if (v[1] != NULL)
		snprintf(ev + strlen(ev), sizeof(ev) - strlen(ev),
		    " autoreload %d", fs->autoreload);
	if (v[2] != NULL)
		snprintf(ev + strlen(ev), sizeof(ev) - strlen(ev),
		    " cycles %u", cyc);
	if (v[0] != NULL)
		snprintf(ev + strlen(ev), sizeof(ev) - strlen(ev),
		    " priority %u", p);
	if (v[0] != NULL || v[1] != NULL || v[2] != NULL)
		ctl_event(cl->ctl, "%s", ev);
	ctl_printf(cl, "OK");
}

/* "source cycle N": a file source stops reading this cycle's file and
 * starts the next cycle once the tasks it began are done. */
static void
source_cycle(struct ctl_client *cl, char **argv, int argc)
{
	struct ctl_client *s;
	struct ctl_fsrc *fs;

	if (argc < 3) {
		ctl_printf(cl, "ERR missing required parameter for source "
		    "cycle");
		return;
	}
	if ((fs = fsrc_find(cl->ctl, argv[2])) != NULL && fs->src != NULL) {
		fs->eof = 1;
		if (fs->cycles == 1)
			fs->cycles = 2;	/* this one ends, one more runs */
		fsrc_kick(fs, 0);
		ctl_printf(cl, "OK");
		return;
	}
	if ((s = src_find(cl->ctl, argv[2])) == NULL) {
		ctl_printf(cl, "ERR no source '%s'", argv[2]);
		return;
	}
	ctl_attach_cycle(s);
	ctl_printf(cl, "OK");
}

/* "source delete N": a file source's queued commands are dropped and its
 * running tasks halted without output. */
static void
source_delete(struct ctl_client *cl, char **argv, int argc)
{
	struct ctl_fsrc *fs;

	if (argc < 3) {
		ctl_printf(cl, "ERR missing required parameter for source "
		    "delete");
		return;
	}
	if ((fs = fsrc_find(cl->ctl, argv[2])) != NULL && fs->src != NULL) {
		fs->cycle->stop_time = (uint32_t)time(NULL);
		output_cycle_stop(fs->of->out, fs->cycle);
		fsrc_free(fs);
		ctl_event(cl->ctl, "source delete '%s'", argv[2]);
		ctl_printf(cl, "OK source '%s' deleted", argv[2]);
		ctl_check_exit(cl->ctl);
		return;
	}
	if (src_find(cl->ctl, argv[2]) == NULL) {
		ctl_printf(cl, "ERR unknown source '%s'", argv[2]);
		return;
	}
	/* a control source lives as long as its connection */
	ctl_printf(cl, "ERR source '%s' is a control connection: it ends "
	    "when the client sends done or disconnects", argv[2]);
}

static void
cmd_source(struct ctl_client *cl, char **argv, int argc)
{
	static const struct ctl_cmd sub[] = {
		{ "add", source_add }, { "cycle", source_cycle },
		{ "delete", source_delete }, { "list", source_list },
		{ "update", source_update },
	};

	run_sub(cl, argv, argc, sub, sizeof(sub) / sizeof(sub[0]),
	    "source [add | cycle | delete | list | update]", "command");
}

/* ---- outfile ---------------------------------------------------------- */

static void
outfile_list(struct ctl_client *cl, char **argv, int argc)
{
	struct ctl_outfile *of;

	(void)argv;
	(void)argc;
	TAILQ_FOREACH(of, &cl->ctl->outfiles, e)
		ctl_printf(cl, "INFO '%s' file '%s' refcnt %d", of->alias,
		    of->path, of->refcnt);
	ctl_printf(cl, "OK");
}

/* "outfile open name A file F mode truncate|append": the reply follows
 * once the file server has opened F.  Results go to it in the -O format. */
static void
outfile_open(struct ctl_client *cl, char **argv, int argc)
{
	static const char *const keys[] = { "name", "file", "mode" };
	struct ctl_fileop *op;
	const char *v[3];

	if (ctl_params(argv + 2, argc - 2, keys, 3, v) >= 0 ||
	    v[0] == NULL || v[1] == NULL || v[2] == NULL) {
		ctl_printf(cl, "ERR usage: outfile open name <alias> file "
		    "<path> mode <truncate|append>");
		return;
	}
	if (!is(v[2], "truncate") && !is(v[2], "append")) {
		ctl_printf(cl, "ERR mode must be truncate or append");
		return;
	}
	if (outfile_find(cl->ctl, v[0]) != NULL) {
		ctl_printf(cl, "ERR could not add outfile: '%s' exists", v[0]);
		return;
	}
	if (!files_allowed(cl, "outfile"))
		return;
	if ((op = fileop_new(cl->ctl, cl, v[1], is(v[2], "append") ?
	    PRIV_FILE_APPEND : PRIV_FILE_TRUNC)) == NULL ||
	    (op->alias = strdup(v[0])) == NULL) {
		if (op != NULL)
			fileop_free(op);
		ctl_printf(cl, "ERR could not add outfile: out of memory");
		return;
	}
	if (fileop_start(op) == -1) {
		ctl_printf(cl, "ERR could not add outfile: %s: %s", v[1],
		    file_why(errno));
		fileop_free(op);
	}
}

static void
outfile_close(struct ctl_client *cl, char **argv, int argc)
{
	struct ctl_outfile *of;

	if (argc != 3) {
		ctl_printf(cl, "ERR usage: outfile close <alias>");
		return;
	}
	if ((of = outfile_find(cl->ctl, argv[2])) == NULL) {
		ctl_printf(cl, "ERR unknown outfile '%s'", argv[2]);
		return;
	}
	if (of->refcnt > 1 || strcmp(of->alias, "-") == 0) {
		ctl_printf(cl, "ERR could not drop outfile: refcnt %d",
		    of->refcnt + (strcmp(of->alias, "-") == 0));
		return;
	}
	TAILQ_REMOVE(&cl->ctl->outfiles, of, e);
	if (output_close(of->out) == -1)
		log_warnx("outfile '%s': results could not all be written",
		    of->alias);
	free(of->alias);
	free(of->path);
	free(of);
	ctl_printf(cl, "OK");
}

static void
outfile_swap(struct ctl_client *cl, char **argv, int argc)
{
	struct ctl_outfile *a, *b;
	char *p;

	if (argc != 4) {
		ctl_printf(cl, "ERR usage outfile swap <alias 1> <alias 2>");
		return;
	}
	if ((a = outfile_find(cl->ctl, argv[2])) == NULL ||
	    (b = outfile_find(cl->ctl, argv[3])) == NULL) {
		ctl_printf(cl, "ERR unknown outfile '%s'", a == NULL ?
		    argv[2] : argv[3]);
		return;
	}
	/* the default output is the core's: it cannot move */
	if (strcmp(a->alias, "-") == 0 || strcmp(b->alias, "-") == 0) {
		ctl_printf(cl, "ERR cannot swap the default outfile '-'");
		return;
	}
	/* the files move, not the outputs: sources writing to alias A
	 * now write to B's file (log rotation) */
	output_swap(a->out, b->out);
	p = a->path, a->path = b->path, b->path = p;
	ctl_printf(cl, "OK");
}

static void
cmd_outfile(struct ctl_client *cl, char **argv, int argc)
{
	static const struct ctl_cmd sub[] = {
		{ "close", outfile_close }, { "list", outfile_list },
		{ "open", outfile_open }, { "swap", outfile_swap },
	};

	run_sub(cl, argv, argc, sub, sizeof(sub) / sizeof(sub[0]),
	    "outfile [close | list | open | swap]", "outfile command");
}

/* ---- the rest ----------------------------------------------------------- */

static void
cmd_observe(struct ctl_client *cl, char **argv, int argc)
{
	if (argc != 2 || !is(argv[1], "sources")) {
		ctl_printf(cl, "ERR usage: observe [sources]");
		return;
	}
	cl->observing = 1;
	ctl_printf(cl, "OK");
}

static void
cmd_shutdown(struct ctl_client *cl, char **argv, int argc)
{
	struct ctl *ctl = cl->ctl;
	struct ctl_client *c;

	if (argc < 2) {
		ctl_printf(cl, "ERR usage: [cancel | done | flush | now]");
		return;
	}
	if (is(argv[1], "done"))
		ctl->shutdown = CTL_DONE;
	else if (is(argv[1], "flush")) {
		/* commands already accepted (OK id-N) still run */
		ctl->shutdown = CTL_FLUSH;
		core_pull_pause(ctl->core, 1);
		ctl_fsrc_shutdown(ctl, 0);
	} else if (is(argv[1], "now")) {
		ctl->shutdown = CTL_NOW;
		TAILQ_FOREACH(c, &ctl->clients, e)
			ctl_attach_purge(c);
		ctl_fsrc_shutdown(ctl, 1);
	} else if (is(argv[1], "cancel")) {
		if (ctl->exiting) {
			ctl_printf(cl, "ERR too late: scamper is exiting");
			return;
		}
		ctl->shutdown = CTL_RUN;
		core_pull_pause(ctl->core, 0);
	} else {
		ctl_printf(cl, "ERR unhandled command '%s'", argv[1]);
		return;
	}
	ctl_printf(cl, "OK");
	ctl_check_exit(ctl);
}

static void
cmd_exit(struct ctl_client *cl, char **argv, int argc)
{
	(void)argv;
	(void)argc;
	ctl_client_closing(cl);
}

static void cmd_help(struct ctl_client *, char **, int);

static void
cmd_attach(struct ctl_client *cl, char **argv, int argc)
{
	ctl_attach_start(cl, argv + 1, argc - 1);
}

static const struct ctl_cmd cmds[] = {
	{ "attach", cmd_attach }, { "counters", ctl_cmd_counters },
	{ "exit", cmd_exit },
	{ "get", cmd_get }, { "help", cmd_help },
	{ "observe", cmd_observe }, { "outfile", cmd_outfile },
	{ "set", cmd_set }, { "shutdown", cmd_shutdown },
	{ "source", cmd_source },
};
#define NCMDS	(sizeof(cmds) / sizeof(cmds[0]))
#define HELP_MAX 64	/* command names help lists */

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "help": every command, ours and the techniques' (lss-clear), sorted. */
static void
cmd_help(struct ctl_client *cl, char **argv, int argc)
{
	const struct method *const *m = cl->ctl->methods;
	const char *names[HELP_MAX];
	char buf[CTL_LINEMAX];
	size_t n = 0, off = 0;

	(void)argv;
	(void)argc;
	for (size_t i = 0; i < NCMDS && n < HELP_MAX; i++)
		names[n++] = cmds[i].word;
	for (size_t i = 0; m != NULL && m[i] != NULL; i++)
		for (size_t j = 0; j < m[i]->ncmds && n < HELP_MAX; j++)
			names[n++] = m[i]->cmds[j].name;
	qsort(names, n, sizeof(names[0]), by_name);
	buf[0] = '\0';
	for (size_t i = 0; i < n && off < sizeof(buf); i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, " %s",
		    names[i]);
	ctl_printf(cl, "INFO commands:%s", buf);
	ctl_printf(cl, "OK");
}

/* A command a technique added (method->cmds): 1 if LINE's ARGV[0] is one
 * (answered), 0 if not. */
static int
method_cmd(struct ctl_client *cl, char **argv, int argc)
{
	const struct method *const *m = cl->ctl->methods;
	char msg[CTL_LINEMAX - 8];

	for (size_t i = 0; m != NULL && m[i] != NULL; i++)
		for (size_t j = 0; j < m[i]->ncmds; j++) {
			if (!is(argv[0], m[i]->cmds[j].name))
				continue;
			msg[0] = '\0';
			if (m[i]->cmds[j].run(argc, argv, msg, sizeof(msg)) == 0)
				ctl_printf(cl, "OK %s", msg);
			else
				ctl_printf(cl, "ERR %s", msg);
			return 1;
		}
	return 0;
}

void
ctl_cmd_line(struct ctl_client *cl, char *line)
{
	char *argv[64], err[128];
	int argc;

	if ((argc = cmd_split(line, argv, 64, err, sizeof(err))) < 0) {
		ctl_printf(cl, "ERR %s", err);
		return;
	}
	if (argc == 0)
		return;
	for (size_t i = 0; i < NCMDS; i++)
		if (is(argv[0], cmds[i].word)) {
			cmds[i].fn(cl, argv, argc);
			return;
		}
	if (method_cmd(cl, argv, argc))
		return;
	ctl_printf(cl, "ERR unhandled command '%s'", argv[0]);
}
