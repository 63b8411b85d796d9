/*
 * ctl_cmds.c: the control socket's interactive commands: get, set,
 * source, outfile, observe, shutdown, exit, help, attach.  Replies are
 * scamper 20211212's (scamper-behaviour.md a.2); where it printed
 * nothing useful we say what went wrong.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cmd.h"
#include "ctl_int.h"
#include "log.h"
#include "method.h"
#include "scamper_list.h"

#define NOFILES "files cannot be opened after the privilege drop"

struct ctl_cmd {
	const char	*word;
	void		(*fn)(struct ctl_client *, char **, int);
};

static int
is(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
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

	if (argc < 3 || method_find(argv[2]) == NULL) {
		ctl_printf(cl, "ERR could not set command%s%s%s",
		    argc < 3 ? "" : ": unknown method '",
		    argc < 3 ? "" : argv[2], argc < 3 ? "" : "'");
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

/* ---- source ----------------------------------------------------------- */

static void
source_list(struct ctl_client *cl, char **argv, int argc)
{
	struct ctl_client *s;
	char desc[512];
	int n = 0;

	TAILQ_FOREACH(s, &cl->ctl->clients, e) {
		if (!s->attached || s->finished || (argc > 2 &&
		    strcmp(s->cycle->list->name, argv[2]) != 0))
			continue;
		ctl_src_describe(s, desc, sizeof(desc));
		ctl_printf(cl, "INFO %s", desc);
		n++;
	}
	if (argc > 2 && n == 0)
		ctl_printf(cl, "ERR no source '%s'", argv[2]);
	else
		ctl_printf(cl, "OK");
}

/* "source add name N file F outfile O [...]": parameters are checked as
 * scamper does; then the file cannot be opened once privilege is
 * dropped (list files are for -f, or attach mode). */
static void
source_add(struct ctl_client *cl, char **argv, int argc)
{
	static const char *const keys[] = { "name", "descr", "command",
	    "list_id", "cycle_id", "priority", "outfile", "file", "cycles",
	    "autoreload" };
	const char *v[10];
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
	if (v[2] != NULL && method_find(v[2]) == NULL) {
		ctl_printf(cl, "ERR source add param 'command' failed");
		return;
	}
	if (src_find(cl->ctl, v[0]) != NULL) {
		ctl_printf(cl, "ERR source '%s' already exists", v[0]);
		return;
	}
	if (outfile_find(cl->ctl, v[6]) == NULL) {
		ctl_printf(cl, "ERR unknown outfile '%s'", v[6]);
		return;
	}
	ctl_printf(cl, "ERR could not add source: %s", NOFILES);
}

static void
source_update(struct ctl_client *cl, char **argv, int argc)
{
	static const char *const keys[] = { "priority", "autoreload",
	    "cycles" };
	struct ctl_client *s;
	const char *v[3];
	uint32_t p;
	int bad;

	if (argc < 3) {
		ctl_printf(cl, "ERR missing name parameter");
		return;
	}
	if ((s = src_find(cl->ctl, argv[2])) == NULL) {
		ctl_printf(cl, "ERR no such source '%s'", argv[2]);
		return;
	}
	bad = ctl_params(argv + 3, argc - 3, keys, 3, v);
	if (bad < 0 && (v[1] != NULL || v[2] != NULL))
		bad = v[1] != NULL ? -2 : -3;	/* not for control sources */
	if (bad >= 0 || bad < -1 ||
	    (v[0] != NULL && ctl_uint(v[0], 0, 100000, &p) != 0)) {
		ctl_printf(cl, "ERR source update param '%s' failed",
		    bad >= 0 ? argv[3 + bad] : bad == -2 ? "autoreload" :
		    bad == -3 ? "cycles" : "priority");
		return;
	}
	if (v[0] != NULL) {
		core_src_set_priority(s->src, p);
		ctl_event(cl->ctl, "source update '%s' priority %u", argv[2],
		    p);
	}
	ctl_printf(cl, "OK");
}

static void
source_cycle(struct ctl_client *cl, char **argv, int argc)
{
	struct ctl_client *s;

	if (argc < 3) {
		ctl_printf(cl, "ERR missing required parameter for source "
		    "cycle");
		return;
	}
	if ((s = src_find(cl->ctl, argv[2])) == NULL) {
		ctl_printf(cl, "ERR no source '%s'", argv[2]);
		return;
	}
	ctl_attach_cycle(s);
	ctl_printf(cl, "OK");
}

static void
source_delete(struct ctl_client *cl, char **argv, int argc)
{
	if (argc < 3) {
		ctl_printf(cl, "ERR missing required parameter for source "
		    "delete");
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

	if (argc < 2) {
		ctl_printf(cl, "ERR usage: source [add | cycle | delete | "
		    "list | update]");
		return;
	}
	for (size_t i = 0; i < sizeof(sub) / sizeof(sub[0]); i++)
		if (is(argv[1], sub[i].word)) {
			sub[i].fn(cl, argv, argc);
			return;
		}
	ctl_printf(cl, "ERR unhandled command '%s'", argv[1]);
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

static void
outfile_open(struct ctl_client *cl, char **argv, int argc)
{
	static const char *const keys[] = { "name", "file", "mode" };
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
	/* the prober is in an empty chroot under a filter that refuses
	 * open(2): say so rather than fail obscurely */
	if (cl->ctl->nofiles) {
		ctl_printf(cl, "ERR could not add outfile: %s", NOFILES);
		return;
	}
	{
		struct output *out = output_open_mode(v[1],
		    output_format(TAILQ_FIRST(&cl->ctl->outfiles)->out),
		    is(v[2], "append"));
		struct ctl_outfile *of = calloc(1, sizeof(*of));

		if (out == NULL || of == NULL ||
		    (of->alias = strdup(v[0])) == NULL ||
		    (of->path = strdup(v[1])) == NULL) {
			ctl_printf(cl, "ERR could not add outfile");
			output_close(out);
			if (of != NULL)
				free(of->alias);
			free(of);
			return;
		}
		of->out = out;
		of->refcnt = 1;
		TAILQ_INSERT_HEAD(&cl->ctl->outfiles, of, e);
	}
	ctl_printf(cl, "OK");
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
	struct output *o;
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
	o = a->out, a->out = b->out, b->out = o;
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

	if (argc < 2) {
		ctl_printf(cl, "ERR usage: outfile [close | list | open | "
		    "swap]");
		return;
	}
	for (size_t i = 0; i < sizeof(sub) / sizeof(sub[0]); i++)
		if (is(argv[1], sub[i].word)) {
			sub[i].fn(cl, argv, argc);
			return;
		}
	ctl_printf(cl, "ERR unhandled outfile command '%s'", argv[1]);
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
	} else if (is(argv[1], "now")) {
		ctl->shutdown = CTL_NOW;
		TAILQ_FOREACH(c, &ctl->clients, e)
			ctl_attach_purge(c);
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

static void
cmd_help(struct ctl_client *cl, char **argv, int argc)
{
	(void)argv;
	(void)argc;
	ctl_printf(cl, "INFO commands: attach exit get help observe outfile "
	    "set shutdown source");
	ctl_printf(cl, "OK");
}

static void
cmd_attach(struct ctl_client *cl, char **argv, int argc)
{
	ctl_attach_start(cl, argv + 1, argc - 1);
}

void
ctl_cmd_line(struct ctl_client *cl, char *line)
{
	static const struct ctl_cmd cmds[] = {
		{ "attach", cmd_attach }, { "exit", cmd_exit },
		{ "get", cmd_get }, { "help", cmd_help },
		{ "observe", cmd_observe }, { "outfile", cmd_outfile },
		{ "set", cmd_set }, { "shutdown", cmd_shutdown },
		{ "source", cmd_source },
	};
	char *argv[64], err[128];
	int argc;

	if ((argc = cmd_split(line, argv, 64, err, sizeof(err))) < 0) {
		ctl_printf(cl, "ERR %s", err);
		return;
	}
	if (argc == 0)
		return;
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (is(argv[0], cmds[i].word)) {
			cmds[i].fn(cl, argv, argc);
			return;
		}
	ctl_printf(cl, "ERR unhandled command '%s'", argv[0]);
}
