/*
 * measure.c: command-line measurement runs (see measure.h).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "core.h"
#include "log.h"
#include "measure.h"
#include "output.h"
#include "scamper_list.h"
#include "source.h"

int
measure_needs_sockets(const struct opts *o)
{
	return o->input == INPUT_ADDRS || o->input == INPUT_CMDS ||
	    o->input == INPUT_FILE;
}

static enum output_fmt
fmt_of(const struct opts *o)
{
	if (o->oflags & OPT_O_WARTS)
		return OUTPUT_WARTS;
	if (o->oflags & OPT_O_JSON)
		return OUTPUT_JSON;
	return OUTPUT_TEXT;
}

/* The list and cycle every result of this run belongs to. */
static struct scamper_cycle *
make_cycle(const struct opts *o)
{
	struct scamper_list *l;
	struct scamper_cycle *c;
	char host[256];

	if (gethostname(host, sizeof(host)) != 0)
		host[0] = '\0';
	host[sizeof(host) - 1] = '\0';
	l = scamper_list_alloc(o->listid, o->listname != NULL ? o->listname :
	    "default", "default", o->monitorname);
	if (l == NULL)
		return NULL;
	c = scamper_cycle_alloc(l, o->cycleid, (uint32_t)time(NULL), host);
	scamper_list_free(l);	/* the cycle holds its own reference */
	return c;
}

static int
add_sources(struct core *c, const struct opts *o)
{
	struct source *s;
	int cmdfile = (o->oflags & OPT_O_CMDFILE) != 0;

	switch (o->input) {
	case INPUT_ADDRS:
		s = source_addrs(o->command, o->args, o->nargs);
		break;
	case INPUT_CMDS:
		s = source_cmds(o->args, o->nargs);
		break;
	case INPUT_FILE:
		for (int i = 0; i < o->nargs; i++) {
			if ((s = source_file(o->command, o->args[i], cmdfile))
			    == NULL) {
				log_warn("%s", o->args[i]);
				return -1;
			}
			core_add_source(c, s);
		}
		return 0;
	default:
		return -1;
	}
	if (s == NULL)
		return -1;
	core_add_source(c, s);
	return 0;
}

static void
on_stop(int signo, void *arg)
{
	log_info("signal %d: halting measurements", signo);
	core_halt_all(arg);
}

int
measure_run(const struct opts *o, struct loop *l, const struct netio_fds *fds)
{
	struct core_conf conf = { o->pps, o->window };
	struct scamper_cycle *cyc = NULL;
	struct output *out;
	struct core *c = NULL;
	int rc = 1;

	if ((out = output_open(o->outfile, fmt_of(o))) == NULL) {
		log_warn("-o %s", o->outfile != NULL ? o->outfile : "stdout");
		return 1;
	}
	if ((cyc = make_cycle(o)) == NULL ||
	    (c = core_new(l, &conf, fds, out, cyc)) == NULL) {
		log_warn("start-up");
		goto out;
	}
	if (add_sources(c, o) == -1)
		goto out;
	loop_signal(l, SIGINT, on_stop, c);
	loop_signal(l, SIGTERM, on_stop, c);
	output_cycle_start(out, cyc);
	if (core_run(c) == -1) {
		log_warn("event loop");
		goto out;
	}
	cyc->stop_time = (uint32_t)time(NULL);
	output_cycle_stop(out, cyc);
	rc = 0;
out:
	core_free(c);
	if (output_close(out) == -1) {
		log_warnx("results could not all be written");
		rc = 1;
	}
	scamper_cycle_free(cyc);
	return rc;
}
