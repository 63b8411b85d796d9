/*
 * scamper_sink.c: measurement objects out as warts, JSON or text, into a
 * descriptor or a callback (see scamper_sink.h).
 *
 * Every format appends whole records to one byte buffer; after each, a
 * callback sink hands the record on and empties the buffer, and a
 * descriptor sink notes where the record ends (so a failed write can be
 * cut back to a record boundary) and writes the buffer out past 64 KiB.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accessor.h"
#include "mem.h"
#include "scamper_file.h"
#include "scamper_json.h"
#include "scamper_sink.h"
#include "scamper_text.h"
#include "warts_int.h"

#define FLUSH_AT	65536

struct scamper_sink {
	int		 format;
	int		 fd;		/* -1: a callback sink */
	scamper_sink_fn	*fn;
	void		*arg;
	struct wbuf	 out;		/* whole records not yet written */
	size_t		*ends;		/* where each record in OUT ends */
	size_t		 nends, aends;
	struct warts_writer w;		/* SCAMPER_SINK_WARTS */
	int		 failed;	/* errno of a failed write: sticky */
	int		 lost;		/* some record was not delivered */
	uint64_t	 bytes;		/* delivered: written or taken */
	char		 err[256];
};

/* Fail with a message: the sink's error, and a record is lost. */
#define serr(s, ...) \
	err_set((s)->err, sizeof((s)->err), &(s)->lost, __VA_ARGS__)

/* ---- writing to the descriptor --------------------------------------- */

/* Wait until FD takes more (a non-blocking descriptor said EAGAIN). */
static void
wait_writable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };

	while (poll(&p, 1, -1) == -1 && errno == EINTR)
		;
}

/* DONE bytes of the buffer reached the descriptor before writing failed
 * with ERR: take back the part of a record among them, so the output
 * ends on a record boundary, and refuse everything from now on. */
static int
write_failed(struct scamper_sink *s, size_t done, int err)
{
	size_t whole = 0, part;
	off_t off;

	for (size_t i = 0; i < s->nends && s->ends[i] <= done; i++)
		whole = s->ends[i];
	part = done - whole;
	s->failed = err;
	s->out.len = 0;
	s->nends = 0;
	if (part == 0)
		return serr(s, "write: %s", strerror(err));
	if ((off = lseek(s->fd, 0, SEEK_CUR)) == -1 || (size_t)off < part ||
	    ftruncate(s->fd, off - (off_t)part) != 0 ||
	    lseek(s->fd, off - (off_t)part, SEEK_SET) == -1)
		return serr(s, "write: %s (and the last record, cut after "
		    "%zu bytes, could not be taken back: %s)", strerror(err),
		    part, strerror(errno));
	return serr(s, "write: %s (the output ends with the last whole "
	    "record)", strerror(err));
}

static int
flush_fd(struct scamper_sink *s)
{
	size_t done = 0;
	ssize_t n;

	if (s->failed)
		return serr(s, "write: %s", strerror(s->failed));
	while (done < s->out.len) {
		n = write(s->fd, s->out.buf + done, s->out.len - done);
		if (n > 0) {
			done += (size_t)n;
			s->bytes += (uint64_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			wait_writable(s->fd);
			continue;
		}
		return write_failed(s, done, n == 0 ? EIO : errno);
	}
	s->out.len = 0;
	s->nends = 0;
	return 0;
}

/* The record at START..out.len is whole: hand it on or note its end. */
static int
rec_done(void *arg, size_t start)
{
	struct scamper_sink *s = arg;
	int rc;

	if (s->fd == -1) {
		rc = s->fn(s->arg, s->out.buf + start, s->out.len - start);
		if (rc != -1)
			s->bytes += s->out.len - start;
		s->out.len = start;
		return rc == -1 ? serr(s, "the record was not taken") : 0;
	}
	if (mem_grow(&s->ends, &s->aends, s->nends + 1, sizeof(*s->ends),
	    64) != 0) {
		s->out.len = start;
		return serr(s, "out of memory");
	}
	s->ends[s->nends++] = s->out.len;
	if (s->out.len >= FLUSH_AT)
		return flush_fd(s);
	return 0;
}

/* ---- formats ---------------------------------------------------------- */

/* The rendering *STRP (owned, NULL: nothing) as one record, JSON with
 * its newline.  A pointer: callers render in the same call, and C does
 * not order the evaluation of arguments. */
static int
put_rendered(struct scamper_sink *s, char **strp, int rc)
{
	size_t start = s->out.len;
	char *str = *strp;

	if (rc != 0 || str == NULL) {
		free(str);
		return rc != 0 ? serr(s, "out of memory") : 0;
	}
	wb_bytes(&s->out, str, strlen(str));
	if (s->format == SCAMPER_SINK_JSON)
		wb_u8(&s->out, '\n');
	free(str);
	if (s->out.oom) {
		s->out.oom = 0;
		s->out.len = start;
		return serr(s, "out of memory");
	}
	return rec_done(s, start);
}

int
scamper_sink_write(struct scamper_sink *s, uint16_t type, const void *obj)
{
	char *str = NULL;

	s->err[0] = '\0';
	if (s->failed)
		return serr(s, "write: %s", strerror(s->failed));
	switch (s->format) {
	case SCAMPER_SINK_WARTS:
		if (warts_write_obj(&s->w, type, obj) == 0)
			return 0;
		if (s->err[0] == '\0')
			serr(s, "%s", s->w.err);
		s->lost = 1;
		return -1;
	case SCAMPER_SINK_JSON:
		return put_rendered(s, &str, scamper_json_obj(type, obj, &str));
	default:
		return put_rendered(s, &str, scamper_text_obj(type, obj, &str));
	}
}

/* ---- life -------------------------------------------------------------- */

static struct scamper_sink *
sink_new(int format, int fd, scamper_sink_fn *fn, void *arg)
{
	struct scamper_sink *s;

	if (format != SCAMPER_SINK_TEXT && format != SCAMPER_SINK_JSON &&
	    format != SCAMPER_SINK_WARTS) {
		errno = EINVAL;
		return NULL;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->format = format;
	s->fd = fd;
	s->fn = fn;
	s->arg = arg;
	if (format == SCAMPER_SINK_WARTS &&
	    warts_writer_init(&s->w, &s->out, rec_done, s) != 0) {
		free(s);
		errno = ENOMEM;
		return NULL;
	}
	return s;
}

struct scamper_sink *
scamper_sink_fd(int fd, int format)
{
	if (fd < 0) {
		errno = EBADF;
		return NULL;
	}
	return sink_new(format, fd, NULL, NULL);
}

struct scamper_sink *
scamper_sink_cb(int format, scamper_sink_fn *fn, void *arg)
{
	if (fn == NULL) {
		errno = EINVAL;
		return NULL;
	}
	return sink_new(format, -1, fn, arg);
}

int
scamper_sink_flush(struct scamper_sink *s)
{
	if (s->fd == -1)
		return 0;
	return flush_fd(s);
}

struct warts_writer *
sink_warts_writer(struct scamper_sink *s)
{
	return &s->w;
}

/* Bytes S has delivered so far (buffered records not counted). */
ACCESSOR(scamper_sink, uint64_t, scamper_sink_bytes, bytes)

/* The errno of the write to the descriptor that failed, or 0. */
ACCESSOR(scamper_sink, int, scamper_sink_failed, failed)

/* The last error, "" if none. */
ACCESSOR(scamper_sink, const char *, scamper_sink_error, err)

/* The sink's format (SCAMPER_SINK_*). */
ACCESSOR(scamper_sink, int, scamper_sink_format, format)

int
scamper_sink_close(struct scamper_sink *s)
{
	int rc;

	if (s == NULL)
		return 0;
	if (s->fd != -1)
		flush_fd(s);
	rc = s->failed || s->lost ? -1 : 0;
	if (s->format == SCAMPER_SINK_WARTS)
		warts_writer_clear(&s->w);
	waddrtab_clear(&s->out.tab);
	free(s->out.buf);
	free(s->ends);
	free(s);
	return rc;
}
