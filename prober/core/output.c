/*
 * output.c: result files in text, JSON or warts (see output.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "output.h"
#include "scamper_file.h"
#include "scamper_json.h"
#include "scamper_list.h"
#include "scamper_text.h"
#include "warts_int.h"

#define WARTS_MAGIC	0x1205
#define WARTS_HDRLEN	8

struct output {
	enum output_fmt		 fmt;
	FILE			*f;	/* text, JSON */
	struct scamper_file	*wf;	/* warts */
	int			 own;	/* close f at the end */
	int			 failed;
	/* sink outputs */
	output_sink_fn		*fn;
	void			*arg;
	struct wbuf		 wb;	/* warts: one record at a time */
	uint32_t		 list_id;	/* 1 once the list is sent */
	uint32_t		 cycle_id;	/* the current cycle, 0 none */
	uint32_t		 ncycles;
	struct output		*copy;	/* -O outcopy target, not owned */
};

void
output_copy_to(struct output *o, struct output *copy)
{
	o->copy = copy;
}

struct output *
output_sink(enum output_fmt fmt, output_sink_fn *fn, void *arg)
{
	struct output *o = calloc(1, sizeof(*o));

	if (o == NULL)
		return NULL;
	o->fmt = fmt;
	o->fn = fn;
	o->arg = arg;
	return o;
}

struct output *
output_open(const char *path, enum output_fmt fmt)
{
	return output_open_mode(path, fmt, 0);
}

struct output *
output_open_mode(const char *path, enum output_fmt fmt, int append)
{
	struct output *o = calloc(1, sizeof(*o));
	int fd, fl = O_WRONLY | O_CREAT | O_CLOEXEC |
	    (append ? O_APPEND : O_TRUNC);

	if (o == NULL)
		return NULL;
	o->fmt = fmt;
	if (fmt == OUTPUT_WARTS) {
		fd = path == NULL ? dup(STDOUT_FILENO) : open(path, fl, 0644);
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
	else if ((o->f = fopen(path, append ? "ae" : "we")) == NULL) {
		free(o);
		return NULL;
	} else
		o->own = 1;
	return o;
}

struct output *
output_fdopen(int fd, enum output_fmt fmt)
{
	struct output *o = calloc(1, sizeof(*o));
	int save;

	if (o == NULL)
		goto fail;
	o->fmt = fmt;
	if (fmt == OUTPUT_WARTS) {
		if ((o->wf = scamper_file_fdopen_write(fd)) == NULL)
			goto fail;
		return o;
	}
	/* "w" does not truncate an fdopen()ed file; O_APPEND stays */
	if ((o->f = fdopen(fd, "w")) == NULL)
		goto fail;
	o->own = 1;
	return o;
fail:
	save = errno;
	close(fd);
	free(o);
	errno = save;
	return NULL;
}

void
output_swap(struct output *a, struct output *b)
{
	struct output t = *a;

	*a = *b;
	*b = t;
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
	if (o->fn != NULL) {
		waddrtab_clear(&o->wb.tab);
		free(o->wb.buf);
	}
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

/* Hand rendered string S (owned) to a sink, JSON with its newline. */
static int
sink_string(struct output *o, char *s)
{
	size_t n = strlen(s);
	int rc;

	if (o->fmt == OUTPUT_JSON) {
		char *t = realloc(s, n + 2);
		if (t == NULL) {
			free(s);
			return -1;
		}
		s = t;
		s[n++] = '\n';
		s[n] = '\0';
	}
	rc = o->fn(o->arg, s, n);
	free(s);
	if (rc == -1)
		o->failed = 1;
	return rc;
}

/* Start a warts record of TYPE in the sink's buffer. */
static void
sink_begin(struct output *o, uint16_t type)
{
	o->wb.len = 0;
	o->wb.oom = o->wb.toolong = 0;
	o->wb.tab.n = 0;
	wb_u16(&o->wb, WARTS_MAGIC);
	wb_u16(&o->wb, type);
	wb_u32(&o->wb, 0);
}

/* Patch the record's length and hand it to the sink. */
static int
sink_end(struct output *o)
{
	size_t len = o->wb.len - WARTS_HDRLEN;

	if (o->wb.oom || o->wb.toolong) {
		log_warnx("output: %s", o->wb.oom ? "out of memory" :
		    "record too large for warts");
		return -1;
	}
	o->wb.buf[4] = (uint8_t)(len >> 24);
	o->wb.buf[5] = (uint8_t)(len >> 16);
	o->wb.buf[6] = (uint8_t)(len >> 8);
	o->wb.buf[7] = (uint8_t)len;
	if (o->fn(o->arg, o->wb.buf, o->wb.len) == -1) {
		o->failed = 1;
		return -1;
	}
	return 0;
}

static int
sink_trace(struct output *o, const struct scamper_trace *t)
{
	sink_begin(o, SCAMPER_FILE_OBJ_TRACE);
	if (warts_trace_write(&o->wb, t, o->list_id, o->cycle_id) != 0) {
		log_warnx("output: trace cannot be written as warts");
		return -1;
	}
	return sink_end(o);
}

static int
sink_ping(struct output *o, const struct scamper_ping *p)
{
	sink_begin(o, SCAMPER_FILE_OBJ_PING);
	if (warts_ping_write(&o->wb, p, o->list_id, o->cycle_id) != 0) {
		log_warnx("output: ping cannot be written as warts");
		return -1;
	}
	return sink_end(o);
}

/* A sink's list record (once) and cycle-start, or cycle-stop record. */
static int
sink_cycle(struct output *o, const struct scamper_cycle *c, uint16_t type)
{
	const struct scamper_list *l = c->list;

	if (type == SCAMPER_FILE_OBJ_CYCLE_STOP) {
		if (o->cycle_id == 0)
			return 0;
		sink_begin(o, type);
		wb_u32(&o->wb, o->cycle_id);
		wb_u32(&o->wb, c->stop_time);
		wb_u8(&o->wb, 0);
		return sink_end(o);
	}
	if (o->list_id == 0 && l != NULL) {
		struct wfield fl[2] = {
			WFIELD(WF_STR, (void *)&l->descr, l->descr != NULL),
			WFIELD(WF_STR, (void *)&l->monitor, l->monitor != NULL),
		};
		sink_begin(o, SCAMPER_FILE_OBJ_LIST);
		wb_u32(&o->wb, 1);
		wb_u32(&o->wb, l->id);
		wb_str(&o->wb, l->name != NULL ? l->name : "");
		warts_params_write(&o->wb, fl, 2);
		if (sink_end(o) == -1)
			return -1;
		o->list_id = 1;
	}
	{
		struct wfield fl[2] = {
			WFIELD(WF_U32, (void *)&c->stop_time, c->stop_time != 0),
			WFIELD(WF_STR, (void *)&c->hostname, c->hostname != NULL),
		};
		o->cycle_id = ++o->ncycles;
		sink_begin(o, SCAMPER_FILE_OBJ_CYCLE_START);
		wb_u32(&o->wb, o->cycle_id);
		wb_u32(&o->wb, o->list_id);
		wb_u32(&o->wb, c->id);
		wb_u32(&o->wb, c->start_time);
		warts_params_write(&o->wb, fl, 2);
		return sink_end(o);
	}
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
	if (o->fn != NULL)
		return sink_string(o, s);
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

static int
write_trace(struct output *o, const struct scamper_trace *t)
{
	char *s = NULL;

	switch (o->fmt) {
	case OUTPUT_TEXT:
		return put_line(o, s, scamper_text_trace(t, &s));
	case OUTPUT_JSON:
		return put_line(o, s, scamper_json_trace(t, &s));
	case OUTPUT_WARTS:
		if (o->fn != NULL)
			return sink_trace(o, t);
		return warts_result(o, scamper_file_write_trace(o->wf, t));
	}
	return -1;
}

static int
write_ping(struct output *o, const struct scamper_ping *p)
{
	char *s = NULL;

	switch (o->fmt) {
	case OUTPUT_TEXT:
		return put_line(o, s, scamper_text_ping(p, &s));
	case OUTPUT_JSON:
		return put_line(o, s, scamper_json_ping(p, &s));
	case OUTPUT_WARTS:
		if (o->fn != NULL)
			return sink_ping(o, p);
		return warts_result(o, scamper_file_write_ping(o->wf, p));
	}
	return -1;
}

int
output_write_trace(struct output *o, const struct scamper_trace *t)
{
	int rc = write_trace(o, t);

	if (o->copy != NULL)
		write_trace(o->copy, t);
	return rc;
}

int
output_write_ping(struct output *o, const struct scamper_ping *p)
{
	int rc = write_ping(o, p);

	if (o->copy != NULL)
		write_ping(o->copy, p);
	return rc;
}

/* A neighbourdisc or sniff result: warts only; 20211212 writes neither
 * as text or JSON, and neither do we. */
static int
write_obj(struct output *o, uint16_t type, const void *obj)
{
	int rc;

	if (o->fmt != OUTPUT_WARTS)
		return 0;
	if (o->fn == NULL)
		return warts_result(o, scamper_file_write_obj(o->wf, type, obj));
	sink_begin(o, type);
	rc = type == SCAMPER_FILE_OBJ_NEIGHBOURDISC ?
	    warts_neighbourdisc_write(&o->wb, obj, o->list_id, o->cycle_id) :
	    type == SCAMPER_FILE_OBJ_SNIFF ?
	    warts_sniff_write(&o->wb, obj, o->list_id, o->cycle_id) : -1;
	if (rc != 0) {
		log_warnx("output: a record of type %u cannot be written as "
		    "warts", type);
		return -1;
	}
	return sink_end(o);
}

int
output_write(struct output *o, uint16_t type, const void *obj)
{
	int rc = write_obj(o, type, obj);

	if (o->copy != NULL)
		write_obj(o->copy, type, obj);
	return rc;
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
		if (o->fn != NULL)
			return sink_cycle(o, c, type);
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
