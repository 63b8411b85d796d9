/*
 * main.c: scamper's entry point: parse the command line, set up the
 * process (debug file, event loop, signals, daemon, pid file) and run the
 * loop until the work is done or a signal asks us to stop.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "log.h"
#include "loop.h"
#include "opts.h"

static void
on_stop_signal(int signo, void *arg)
{
	log_info("signal %d: stopping", signo);
	loop_stop(arg);
}

/* Set up the process per O and run the event loop.  Returns the exit
 * status. */
static int
prober_run(const struct opts *o)
{
	struct loop *l = NULL;
	int rc = 1;

	if (o->debugfile != NULL && log_open_debugfile(o->debugfile,
	    (o->oflags & OPT_O_DEBUGAPPEND) != 0) == -1) {
		log_warn("-d %s", o->debugfile);
		return 1;
	}
	if ((l = loop_new(o->loop)) == NULL) {
		log_warn("event loop %s", loop_kind_name(o->loop));
		goto out;
	}
	if (loop_signal(l, SIGINT, on_stop_signal, l) == -1 ||
	    loop_signal(l, SIGTERM, on_stop_signal, l) == -1) {
		log_warn("signal handlers");
		goto out;
	}
	signal(SIGPIPE, SIG_IGN);
	if (o->daemon) {
		if (daemon_detach() == -1) {
			log_warn("-D");
			goto out;
		}
		log_stderr_off();
	}
	if (o->pidfile != NULL &&
	    daemon_pidfile_write(o->pidfile, getpid()) == -1) {
		log_warn("-e %s", o->pidfile);
		goto out;
	}
	log_debug("scamper %s running, event loop %s", SCAMPER_VERSION,
	    loop_kind_name(loop_kind(l)));
	if (loop_run(l) == -1) {
		log_warn("event loop");
		goto out;
	}
	rc = 0;
out:
	if (o->pidfile != NULL)
		unlink(o->pidfile);
	loop_free(l);
	log_close_debugfile();
	return rc;
}

int
main(int argc, char **argv)
{
	struct opts o;
	char err[512];
	int rc;

	log_init("scamper");
	if (opts_parse(argc, argv, &o, err, sizeof(err)) == -1 ||
	    (!o.help && !o.version &&
	    (opts_check(&o, err, sizeof(err)) == -1 ||
	    opts_check_implemented(&o, err, sizeof(err)) == -1))) {
		fprintf(stderr, "scamper: %s\n", err);
		opts_free(&o);
		return 1;
	}
	if (o.version) {
		printf("scamper version %s\n", SCAMPER_VERSION);
		rc = 0;
	} else if (o.help) {
		opts_usage(stdout);
		rc = 0;
	} else
		rc = prober_run(&o);
	opts_free(&o);
	return rc;
}
