/*
 * measure.c: command-line measurement runs (see measure.h).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core.h"
#include "log.h"
#include "measure.h"
#include "method.h"
#include "output.h"
#include "progress.h"
#include "scamper_list.h"
#include "source.h"

struct measure {
	const struct opts	*o;
	const struct method *const *methods;
	struct output		*out;
	struct scamper_cycle	*cycle;
	struct source		**src;
	int			 nsrc;
};

int
measure_needs_sockets(const struct opts *o)
{
	return o->input == INPUT_ADDRS || o->input == INPUT_CMDS ||
	    o->input == INPUT_FILE;
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
open_sources(struct measure *m)
{
	const struct opts *o = m->o;
	int cmdfile = (o->oflags & OPT_O_CMDFILE) != 0;

	if ((m->src = calloc((size_t)o->nargs + 1, sizeof(*m->src))) == NULL)
		return -1;
	switch (o->input) {
	case INPUT_ADDRS:
		m->src[m->nsrc] = source_addrs(o->command, o->args, o->nargs);
		return m->src[m->nsrc++] == NULL ? -1 : 0;
	case INPUT_CMDS:
		m->src[m->nsrc] = source_cmds(o->args, o->nargs);
		return m->src[m->nsrc++] == NULL ? -1 : 0;
	case INPUT_FILE:
		for (int i = 0; i < o->nargs; i++) {
			m->src[m->nsrc] = (o->oflags & OPT_O_TSPS) ?
			    source_file_tsps(o->command, o->args[i]) :
			    source_file(o->command, o->args[i], cmdfile);
			if (m->src[m->nsrc] == NULL) {
				log_warn("%s", o->args[i]);
				return -1;
			}
			m->nsrc++;
		}
		return 0;
	default:
		errno = EINVAL;
		return -1;
	}
}

void
measure_free(struct measure *m)
{
	if (m == NULL)
		return;
	for (int i = 0; i < m->nsrc; i++)
		source_free(m->src[i]);
	free(m->src);
	output_close(m->out);
	scamper_cycle_free(m->cycle);
	free(m);
}

/* The default command (-c) must name a technique that is built. */
static int
check_command(const struct opts *o, const struct method *const *methods)
{
	size_t n = strcspn(o->command, " \t");
	char name[32];

	if (o->input == INPUT_CMDS || (o->oflags & OPT_O_CMDFILE))
		return 0;
	snprintf(name, sizeof(name), "%.*s", (int)n, o->command);
	if (method_find(methods, name) == NULL) {
		log_warnx("-c %s: not implemented yet", name);
		return -1;
	}
	return 0;
}

struct measure *
measure_prepare(const struct opts *o, const struct method *const *methods)
{
	struct measure *m;

	if (check_command(o, methods) == -1 ||
	    (m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	m->o = o;
	m->methods = methods;
	if ((m->out = output_open_opts(o)) == NULL) {
		log_warn("-o %s", o->outfile != NULL ? o->outfile : "stdout");
		goto fail;
	}
	if ((m->cycle = make_cycle(o)) == NULL) {
		log_warn("list and cycle");
		goto fail;
	}
	if (open_sources(m) == -1)
		goto fail;
	return m;
fail:
	measure_free(m);
	return NULL;
}

/* Nonzero if the run had commands and not one of them gave a result:
 * each was refused (and named as it was), so the run failed. */
static int
all_refused(const struct core_stats *st)
{
	if (st->bad_commands == 0 || st->results > 0)
		return 0;
	log_warnx("nothing measured: every command was refused (%llu)",
	    (unsigned long long)st->bad_commands);
	return 1;
}

static void
on_stop(int signo, void *arg)
{
	log_info("signal %d: halting measurements", signo);
	core_halt_all(arg);
}

/* scamper-helper is gone: no probe can be trusted to go out or come
 * back any more.  What is in flight is written with stop reason error
 * (EPIPE), nothing more starts, and the run ends (non-zero). */
static void
on_helper_lost(void *arg)
{
	log_warnx("scamper-helper has gone away: stopping the measurements");
	core_fail(arg, EPIPE);
}

/* The commands the run's sources hold, 0 if some source cannot say
 * (asked only when the progress line is wanted: it reads list files). */
static uint64_t
count_commands(struct measure *m)
{
	uint64_t total = 0;
	long n;

	if (!isatty(STDERR_FILENO))
		return 0;
	for (int i = 0; i < m->nsrc; i++) {
		if ((n = source_count(m->src[i])) < 0)
			return 0;
		total += (uint64_t)n;
	}
	return total;
}

/* Results go to a terminal: no progress line among them. */
static int
results_to_tty(const struct opts *o)
{
	return (o->outfile == NULL || strcmp(o->outfile, "-") == 0) &&
	    isatty(STDOUT_FILENO);
}

int
measure_run(struct measure *m, struct loop *l, const struct netio_fds *fds)
{
	struct core_conf conf = { .pps = m->o->pps,
	    .window = m->o->window, .methods = m->methods,
	    .rawtcp = (m->o->oflags & OPT_O_RAWTCP) != 0 };
	struct core *c;
	struct progress *pg = NULL;
	uint64_t total = count_commands(m);
	int rc = 1;

	if ((c = core_new(l, &conf, fds, m->out, m->cycle)) == NULL) {
		log_warn("start-up");
		goto out;
	}
	for (int i = 0; i < m->nsrc; i++) {
		core_add_source(c, m->src[i]);	/* the core owns it now */
		m->src[i] = NULL;
	}
	m->nsrc = 0;
	loop_signal(l, SIGINT, on_stop, c);
	loop_signal(l, SIGTERM, on_stop, c);
	if (fds->on_lost != NULL)
		fds->on_lost(fds->dl_ctx, on_helper_lost, c);
	output_cycle_start(m->out, m->cycle);
	pg = progress_start(l, c, total, results_to_tty(m->o));
	rc = core_run(c);
	progress_end(pg);	/* before any message of the end */
	if (rc == -1) {
		rc = 1;
		log_warn("event loop");
		goto out;
	}
	m->cycle->stop_time = (uint32_t)time(NULL);
	output_cycle_stop(m->out, m->cycle);
	/* a run that lost measurements says so and fails, as one whose
	 * every command was refused */
	rc = core_lost_say(core_lost(c), core_failed(c) != 0 ?
	    "scamper-helper lost" : "run incomplete") || core_failed(c) != 0 ||
	    all_refused(core_stats(c));
out:
	core_free(c);
	if (output_close(m->out) == -1) {
		log_warnx("results could not all be written");
		rc = 1;
	}
	m->out = NULL;
	measure_free(m);
	return rc;
}
