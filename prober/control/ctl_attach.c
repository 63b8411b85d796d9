/*
 * ctl_attach.c: attach mode (scamper-behaviour.md a.3, a.4): each client
 * is a core source of its own, with its own list and cycle, whose results
 * come back as DATA payloads; MORE asks for the next command.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <time.h>

#include "cmd.h"
#include "ctl_int.h"
#include "log.h"
#include "scamper_list.h"

/* Results and cycle records go out as DATA: warts uuencoded. */
static int
sink(void *arg, const void *buf, size_t len)
{
	struct ctl_client *cl = arg;

	return ctl_data(cl, buf, len, cl->fmt == OUTPUT_WARTS);
}

static void
on_taken(void *arg, struct task *t)
{
	struct ctl_client *cl = arg;

	(void)t;
	ctl_attach_more(cl);
	ctl_client_kick(cl);
}

static void
on_done(void *arg, struct task *t)
{
	struct ctl_client *cl = arg;
	struct ctl_job *j;

	TAILQ_FOREACH(j, &cl->jobs, e)
		if (j->t == t) {
			TAILQ_REMOVE(&cl->jobs, j, e);
			free(j);
			break;
		}
	ctl_attach_check_done(cl, 0);
}

static const struct core_src_ops attach_ops = { on_taken, on_done };

void
ctl_src_describe(const struct ctl_client *cl, char *buf, size_t len)
{
	snprintf(buf, len, "name '%s' list_id %u cycle_id %u priority %u "
	    "outfile '%s' type 'control'", cl->cycle->list->name,
	    cl->cycle->list->id, cl->cycle->id, core_src_priority(cl->src),
	    cl->name);
}

/* The attach parameters ARGV into the client's list, cycle and source.
 * Returns 0, or -1 after replying ERR. */
static int
attach_params(struct ctl_client *cl, char **argv, int argc,
    uint32_t *prio)
{
	static const char *const keys[] = { "format", "priority", "list_id",
	    "cycle_id", "name", "descr", "monitor" };
	struct ctl *ctl = cl->ctl;
	const char *v[7];
	uint32_t list_id = 0, cycle_id = 1;
	struct scamper_list *list;
	int bad;

	*prio = 1;
	if ((bad = ctl_params(argv, argc, keys, 7, v)) >= 0) {
		ctl_printf(cl, "ERR command attach param '%s' failed",
		    argv[bad]);
		return -1;
	}
	cl->fmt = OUTPUT_WARTS;
	if (v[0] != NULL) {
		if (strcasecmp(v[0], "json") == 0)
			cl->fmt = OUTPUT_JSON;
		else if (strcasecmp(v[0], "warts") != 0) {
			ctl_printf(cl, "ERR format must be warts or json");
			return -1;
		}
	}
	if (v[1] != NULL && ctl_uint(v[1], 1, 100000, prio) != 0) {
		ctl_printf(cl, "ERR invalid priority");
		return -1;
	}
	if (v[2] != NULL && ctl_uint(v[2], 0, UINT32_MAX, &list_id) != 0) {
		ctl_printf(cl, "ERR invalid list_id");
		return -1;
	}
	if (v[3] != NULL && ctl_uint(v[3], 0, UINT32_MAX, &cycle_id) != 0) {
		ctl_printf(cl, "ERR invalid cycle_id");
		return -1;
	}
	list = scamper_list_alloc(list_id, v[4] != NULL ? v[4] : cl->name,
	    v[5], v[6] != NULL ? v[6] : ctl->monitorname);
	if (list == NULL)
		return -1;
	cl->cycle = scamper_cycle_alloc(list, cycle_id, (uint32_t)time(NULL),
	    ctl->hostname[0] != '\0' ? ctl->hostname : NULL);
	scamper_list_free(list);
	return cl->cycle == NULL ? -1 : 0;
}

void
ctl_attach_start(struct ctl_client *cl, char **argv, int argc)
{
	struct ctl *ctl = cl->ctl;
	char desc[512];
	uint32_t prio;

	if (attach_params(cl, argv, argc, &prio) == -1)
		goto fail;
	if ((cl->out = output_sink(cl->fmt, sink, cl)) == NULL ||
	    (cl->src = core_src_new(ctl->core, prio, cl->out, cl->cycle,
	    &attach_ops, cl)) == NULL) {
		log_warn("%s: attach", cl->name);
		ctl_printf(cl, "ERR could not attach: out of memory");
		goto fail;
	}
	if (ctl->o->oflags & OPT_O_OUTCOPY) {
		/* -O outcopy: the client's results also go to -o, as
		 * scamper 20211212 does */
		struct ctl_outfile *of;
		TAILQ_FOREACH(of, &ctl->outfiles, e)
			if (strcmp(of->alias, "-") == 0)
				output_copy_to(cl->out, of->out);
	}
	cl->attached = 1;
	if (cl->wpaused)
		core_src_pause(cl->src, 1);
	if (cl->vio == NULL)	/* a remote channel is attached silently */
		ctl_printf(cl, "OK");
	if (ctl_lb_pending(&cl->lb) == 0) {
		ctl_printf(cl, "MORE");
		cl->more_sent = 1;
	}
	output_cycle_start(cl->out, cl->cycle);
	ctl_src_describe(cl, desc, sizeof(desc));
	ctl_event(ctl, "source add %s", desc);
	ctl_event(ctl, "source cycle '%s' id %u", cl->cycle->list->name,
	    cl->cycle->id);
	return;
fail:
	output_close(cl->out);
	cl->out = NULL;
	scamper_cycle_free(cl->cycle);
	cl->cycle = NULL;
}

static struct ctl_job *
job_find(struct ctl_client *cl, uint32_t id)
{
	struct ctl_job *j;

	TAILQ_FOREACH(j, &cl->jobs, e)
		if (j->id == id)
			return j;
	return NULL;
}

/* "halt <id>" */
static void
attach_halt(struct ctl_client *cl, char **argv, int argc)
{
	struct ctl_job *j;
	uint32_t id;
	int rc;

	if (argc != 2 || (rc = ctl_uint(argv[1], 1, UINT32_MAX, &id)) == -1) {
		ctl_printf(cl, "ERR usage: halt [id]");
		return;
	}
	if (rc == -2) {
		ctl_printf(cl, "ERR halt number invalid");
		return;
	}
	if ((j = job_find(cl, id)) == NULL) {
		ctl_printf(cl, "ERR no task id-%u", id);
		return;
	}
	core_task_halt(j->t);
	ctl_printf(cl, "OK halted %u", id);
	cl->more_sent = 0;
}

/* A measurement command (or a bare address, measured with the default
 * command). */
static void
attach_command(struct ctl_client *cl, const char *line, const char *word)
{
	struct ctl *ctl = cl->ctl;
	char cmd[CTL_LINEMAX + 256], err[1024];
	const char *why = err;
	struct ctl_job *j;
	struct task *t;
	uint8_t a[16];
	size_t n;

	if (ctl->shutdown == CTL_FLUSH || ctl->shutdown == CTL_NOW) {
		ctl_printf(cl, "ERR command not accepted: scamper is "
		    "shutting down");
		return;
	}
	if (cmd_addr(word, a) != 0)
		snprintf(cmd, sizeof(cmd), "%s %s", ctl->command, line);
	else
		snprintf(cmd, sizeof(cmd), "%s", line);
	if ((j = calloc(1, sizeof(*j))) == NULL) {
		ctl_printf(cl, "ERR command not accepted: out of memory");
		return;
	}
	if (core_src_command(cl->src, cmd, cl->name, &t, err,
	    sizeof(err)) == -1) {
		/* drop the "where: " the core puts first */
		n = strlen(cl->name);
		if (strncmp(err, cl->name, n) == 0 && err[n] == ':')
			why = err + n + 2;
		log_debug("%s: %s", cl->name, why);
		ctl_printf(cl, "ERR command not accepted: %s", why);
		free(j);
		return;
	}
	j->id = ++cl->next_id;
	j->t = t;
	TAILQ_INSERT_TAIL(&cl->jobs, j, e);
	ctl_printf(cl, "OK id-%u", j->id);
	/* as scamper: an accepted command (or halt) earns the next MORE;
	 * an error reply does not */
	cl->more_sent = 0;
}

void
ctl_attach_line(struct ctl_client *cl, char *line)
{
	char copy[CTL_LINEMAX + 1], *argv[4], err[128];
	int argc;

	snprintf(copy, sizeof(copy), "%s", line);
	if ((argc = cmd_split(copy, argv, 4, err, sizeof(err))) == 0)
		return;
	if (cl->done_rcvd) {
		ctl_printf(cl, "ERR command not accepted: \"done\" was "
		    "received");
		return;
	}
	if (argc == 1 && strcasecmp(argv[0], "done") == 0) {
		cl->done_rcvd = 1;
		ctl_printf(cl, "OK");
		ctl_attach_check_done(cl, 0);
	} else if (argc > 0 && strcasecmp(argv[0], "halt") == 0)
		attach_halt(cl, argv, argc);
	else if (argc < 0) {
		/* four words were enough to recognise it: the command
		 * parser will say what is wrong with the whole line */
		snprintf(copy, sizeof(copy), "%s", line);
		argv[0] = copy + strspn(copy, " ");
		argv[0][strcspn(argv[0], " ")] = '\0';
		attach_command(cl, line, argv[0]);
	} else
		attach_command(cl, line, argv[0]);
}

/* Nonzero if CL has sent lines scamper has not taken yet: buffered, or
 * still in its socket.  It is not asked for more then. */
static int
lines_waiting(const struct ctl_client *cl)
{
	int n = 0;

	if (ctl_lb_has_line(&cl->lb))
		return 1;
	return cl->fd != -1 && ioctl(cl->fd, FIONREAD, &n) == 0 && n > 0;
}

void
ctl_attach_more(struct ctl_client *cl)
{
	if (!cl->attached || cl->done_rcvd || cl->more_sent ||
	    cl->closing || cl->wpaused || core_src_queued(cl->src) > 0 ||
	    lines_waiting(cl))
		return;
	ctl_printf(cl, "MORE");
	cl->more_sent = 1;
}

void
ctl_attach_check_done(struct ctl_client *cl, int force)
{
	if (!cl->attached || cl->finished)
		return;
	if (!force && !(cl->done_rcvd && core_src_live(cl->src) == 0))
		return;
	cl->cycle->stop_time = (uint32_t)time(NULL);
	output_cycle_stop(cl->out, cl->cycle);
	cl->finished = 1;
	ctl_event(cl->ctl, "source finish '%s'", cl->cycle->list->name);
	ctl_client_closing(cl);
}

void
ctl_attach_cycle(struct ctl_client *cl)
{
	struct scamper_cycle *c;
	uint32_t now = (uint32_t)time(NULL);

	c = scamper_cycle_alloc(cl->cycle->list, cl->cycle->id + 1, now,
	    cl->cycle->hostname);
	if (c == NULL) {
		ctl_printf(cl, "ERR out of memory");
		return;
	}
	cl->cycle->stop_time = now;
	output_cycle_stop(cl->out, cl->cycle);
	scamper_cycle_free(cl->cycle);
	cl->cycle = c;
	core_src_set_cycle(cl->src, c);
	output_cycle_start(cl->out, c);
	ctl_event(cl->ctl, "source cycle '%s' id %u", c->list->name, c->id);
}

void
ctl_attach_purge(struct ctl_client *cl)
{
	struct ctl_job *j;

	if (!cl->attached || cl->finished)
		return;
	core_src_free(cl->src);
	cl->src = NULL;
	while ((j = TAILQ_FIRST(&cl->jobs)) != NULL) {
		TAILQ_REMOVE(&cl->jobs, j, e);
		free(j);
	}
	ctl_attach_check_done(cl, 1);
}

void
ctl_attach_free(struct ctl_client *cl)
{
	struct ctl_job *j;

	if (cl->src != NULL && !cl->finished)
		ctl_event(cl->ctl, "source finish '%s'",
		    cl->cycle->list->name);
	core_src_free(cl->src);
	cl->src = NULL;
	output_close(cl->out);
	cl->out = NULL;
	scamper_cycle_free(cl->cycle);
	cl->cycle = NULL;
	while ((j = TAILQ_FIRST(&cl->jobs)) != NULL) {
		TAILQ_REMOVE(&cl->jobs, j, e);
		free(j);
	}
	cl->attached = 0;
}
