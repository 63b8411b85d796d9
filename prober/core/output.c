/*
 * output.c: result files in text, JSON or warts (see output.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "log.h"
#include "output.h"
#include "scamper_file.h"
#include "scamper_json.h"
#include "scamper_text.h"

struct output {
	enum output_fmt		 fmt;
	FILE			*f;	/* text, JSON */
	struct scamper_file	*wf;	/* warts */
	int			 own;	/* close f at the end */
	int			 failed;
};

struct output *
output_open(const char *path, enum output_fmt fmt)
{
	struct output *o = calloc(1, sizeof(*o));
	int fd;

	if (o == NULL)
		return NULL;
	o->fmt = fmt;
	if (fmt == OUTPUT_WARTS) {
		fd = path == NULL ? dup(STDOUT_FILENO) : open(path, O_WRONLY |
		    O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd == -1 || (o->wf = scamper_file_fdopen_write(fd)) ==
		    NULL) {
			int save = errno;
			if (fd != -1)
				close(fd);
			free(o);
			errno = save;
			return NULL;
		}
		return o;
	}
	if (path == NULL)
		o->f = stdout;
	else if ((o->f = fopen(path, "we")) == NULL) {
		free(o);
		return NULL;
	} else
		o->own = 1;
	return o;
}

int
output_flush(struct output *o)
{
	if (o->f != NULL && fflush(o->f) != 0)
		o->failed = 1;
	return o->failed ? -1 : 0;
}

int
output_close(struct output *o)
{
	int rc;

	if (o == NULL)
		return 0;
	output_flush(o);
	if (o->wf != NULL && scamper_file_close(o->wf) == -1)
		o->failed = 1;
	if (o->own && fclose(o->f) != 0)
		o->failed = 1;
	rc = o->failed ? -1 : 0;
	free(o);
	return rc;
}

enum output_fmt
output_format(const struct output *o)
{
	return o->fmt;
}

/* Write the rendered string S (owned, may be NULL), and a newline after
 * a JSON object (text renderings end with their own). */
static int
put_line(struct output *o, char *s, int rc)
{
	if (rc == -1 || s == NULL) {
		free(s);
		if (rc == -1) {
			log_warnx("output: out of memory rendering a result");
			return -1;
		}
		return 0;
	}
	if (fputs(s, o->f) == EOF ||
	    (o->fmt == OUTPUT_JSON && fputc('\n', o->f) == EOF))
		o->failed = 1;
	free(s);
	return o->failed ? -1 : 0;
}

static int
warts_result(struct output *o, int rc)
{
	if (rc == -1) {
		log_warnx("output: %s", scamper_file_error(o->wf));
		o->failed = 1;
	}
	return rc;
}

int
output_write_trace(struct output *o, const struct scamper_trace *t)
{
	char *s = NULL;

	switch (o->fmt) {
	case OUTPUT_TEXT:
		return put_line(o, s, scamper_text_trace(t, &s));
	case OUTPUT_JSON:
		return put_line(o, s, scamper_json_trace(t, &s));
	case OUTPUT_WARTS:
		return warts_result(o, scamper_file_write_trace(o->wf, t));
	}
	return -1;
}

int
output_write_ping(struct output *o, const struct scamper_ping *p)
{
	char *s = NULL;

	switch (o->fmt) {
	case OUTPUT_TEXT:
		return put_line(o, s, scamper_text_ping(p, &s));
	case OUTPUT_JSON:
		return put_line(o, s, scamper_json_ping(p, &s));
	case OUTPUT_WARTS:
		return warts_result(o, scamper_file_write_ping(o->wf, p));
	}
	return -1;
}

static int
cycle(struct output *o, const struct scamper_cycle *c, uint16_t type)
{
	char *s = NULL;

	switch (o->fmt) {
	case OUTPUT_TEXT:
		return 0;
	case OUTPUT_JSON:
		return put_line(o, s, scamper_json_cycle(c, type, &s));
	case OUTPUT_WARTS:
		return warts_result(o, type == SCAMPER_FILE_OBJ_CYCLE_START ?
		    scamper_file_write_cycle_start(o->wf, c) :
		    scamper_file_write_cycle_stop(o->wf, c));
	}
	return -1;
}

int
output_cycle_start(struct output *o, const struct scamper_cycle *c)
{
	return cycle(o, c, SCAMPER_FILE_OBJ_CYCLE_START);
}

int
output_cycle_stop(struct output *o, const struct scamper_cycle *c)
{
	return cycle(o, c, SCAMPER_FILE_OBJ_CYCLE_STOP);
}
