/*
 * output.c: result files and callbacks in text, JSON or warts (see
 * output.h), encoded by libscamperfile's sinks.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "opts.h"
#include "output.h"
#include "scamper_file.h"

/* Bytes every output of this process has delivered (output_bytes_all). */
static uint64_t all_bytes;

struct output {
	enum output_fmt		 fmt;
	struct scamper_sink	*sink;
	int			 fd;	/* -1: a callback output */
	int			 own;	/* close fd at the end */
	int			 reported;	/* the failure was logged */
	int			 refused;	/* the callback said -1 */
	output_sink_fn		*fn;
	void			*arg;
	char			*name;	/* for messages */
	struct output		*copy;	/* -O outcopy target, not owned */
	uint64_t		 counted;	/* its bytes in all_bytes */
	int			 dirty;		/* written since the last flush */
	int			 aging;		/* HELD_SINCE is set */
	struct monotime		 held_since;	/* output_flush_aged found
						 * the dirty results */
};

static struct output *
output_new(enum output_fmt fmt, int fd, const char *name)
{
	struct output *o = calloc(1, sizeof(*o));

	if (o == NULL)
		return NULL;
	o->fmt = fmt;
	o->fd = fd;
	if ((o->name = strdup(name)) == NULL) {
		free(o);
		return NULL;
	}
	return o;
}

static void
output_free(struct output *o)
{
	int save = errno;

	scamper_sink_close(o->sink);
	if (o->own && o->fd != -1)
		close(o->fd);
	free(o->name);
	free(o);
	errno = save;
}

/* An output on FD (owned if OWN; closed on failure then too). */
static struct output *
fd_output(int fd, int own, enum output_fmt fmt, const char *name)
{
	struct output *o = output_new(fmt, fd, name);

	if (o == NULL) {
		if (own)
			close(fd);
		return NULL;
	}
	o->own = own;
	if ((o->sink = scamper_sink_fd(fd, (int)fmt)) == NULL) {
		output_free(o);
		return NULL;
	}
	return o;
}

struct output *
output_open(const char *path, enum output_fmt fmt)
{
	return output_open_mode(path, fmt, 0);
}

struct output *
output_open_opts(const struct opts *o)
{
	enum output_fmt fmt = OUTPUT_TEXT;

	if (o->oflags & OPT_O_WARTS)
		fmt = OUTPUT_WARTS;
	else if (o->oflags & OPT_O_JSON)
		fmt = OUTPUT_JSON;
	return output_open(o->outfile, fmt);
}

struct output *
output_open_mode(const char *path, enum output_fmt fmt, int append)
{
	int fd, fl = O_WRONLY | O_CREAT | O_CLOEXEC |
	    (append ? O_APPEND : O_TRUNC);

	if (path == NULL)
		return fd_output(STDOUT_FILENO, 0, fmt, "standard output");
	if ((fd = open(path, fl, 0644)) == -1)
		return NULL;
	return fd_output(fd, 1, fmt, path);
}

struct output *
output_fdopen(int fd, enum output_fmt fmt, const char *name)
{
	return fd_output(fd, 1, fmt, name != NULL ? name : "output");
}

/* A callback output's records go through here, so that a refusal (the
 * callback's own business) is not logged as an encoding failure. */
static int
deliver(void *arg, const void *buf, size_t len)
{
	struct output *o = arg;

	if (o->fn(o->arg, buf, len) == 0)
		return 0;
	o->refused = 1;
	return -1;
}

struct output *
output_sink(enum output_fmt fmt, output_sink_fn *fn, void *arg)
{
	struct output *o = output_new(fmt, -1, "callback");

	if (o == NULL)
		return NULL;
	o->fn = fn;
	o->arg = arg;
	if ((o->sink = scamper_sink_cb((int)fmt, deliver, o)) == NULL) {
		output_free(o);
		return NULL;
	}
	return o;
}

void
output_copy_to(struct output *o, struct output *copy)
{
	o->copy = copy;
}

void
output_swap(struct output *a, struct output *b)
{
	struct output t = *a;

	*a = *b;
	*b = t;
}

uint64_t
output_bytes_all(void)
{
	return all_bytes;
}

enum output_fmt
output_format(const struct output *o)
{
	return o->fmt;
}

int
output_failed(const struct output *o)
{
	return scamper_sink_failed(o->sink);
}

/* A sink call returned RC: log a file's failure once, a callback's
 * refusal never, anything else each time.  Counts what it delivered. */
static int
checked(struct output *o, int rc)
{
	uint64_t b = scamper_sink_bytes(o->sink);

	all_bytes += b - o->counted;
	o->counted = b;
	if (rc == 0)
		return 0;
	if (o->refused)
		o->refused = 0;
	else if (!output_failed(o))
		log_warnx("output %s: %s", o->name, scamper_sink_error(o->sink));
	else if (!o->reported) {
		log_warnx("output %s: %s; no more results are written to it",
		    o->name, scamper_sink_error(o->sink));
		o->reported = 1;
	}
	return -1;
}

int
output_write(struct output *o, uint16_t type, const void *obj)
{
	int rc;

	if (output_failed(o))
		return -1;
	o->dirty = 1;
	rc = checked(o, scamper_sink_write(o->sink, type, obj));
	if (o->copy != NULL && type >= SCAMPER_FILE_OBJ_TRACE &&
	    type != SCAMPER_FILE_OBJ_RAW && !output_failed(o->copy))
		checked(o->copy, scamper_sink_write(o->copy->sink, type, obj));
	return rc;
}

int
output_cycle_start(struct output *o, const struct scamper_cycle *c)
{
	if (output_failed(o))
		return -1;
	o->dirty = 1;
	return checked(o, scamper_sink_write(o->sink,
	    SCAMPER_FILE_OBJ_CYCLE_START, c));
}

int
output_cycle_stop(struct output *o, const struct scamper_cycle *c)
{
	if (output_failed(o))
		return -1;
	o->dirty = 1;
	return checked(o, scamper_sink_write(o->sink,
	    SCAMPER_FILE_OBJ_CYCLE_STOP, c));
}

int
output_flush(struct output *o)
{
	o->dirty = o->aging = 0;
	if (output_failed(o))
		return -1;
	return checked(o, scamper_sink_flush(o->sink));
}

int
output_flush_aged(struct output *o, struct monotime now, int64_t linger_ns,
    struct monotime *due)
{
	*due = MONOTIME_MAX;
	if (!o->dirty)
		return 0;
	if (!o->aging) {
		o->aging = 1;
		o->held_since = now;
	}
	if (monotime_sub_ns(now, o->held_since) >= linger_ns)
		return output_flush(o);
	*due = monotime_add_ns(o->held_since, linger_ns);
	return 0;
}

int
output_close(struct output *o)
{
	int rc;

	if (o == NULL)
		return 0;
	if (!output_failed(o))
		checked(o, scamper_sink_flush(o->sink));
	rc = scamper_sink_close(o->sink);
	o->sink = NULL;
	if (o->own && o->fd != -1 && close(o->fd) != 0) {
		log_warn("output %s: close", o->name);
		rc = -1;
	}
	o->own = 0;
	output_free(o);
	return rc;
}
