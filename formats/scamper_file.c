/*
 * scamper_file.c: the warts container: record framing, list, cycle and
 * global-address records, and dispatch to the per-type codecs.
 *
 * Reading keeps one record body in a reused buffer; lists and cycles live
 * in tables indexed by their writer-assigned IDs.  Writing goes through
 * a warts sink on the file's descriptor (scamper_sink.c, warts_write.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accessor.h"
#include "mem.h"
#include "scamper_file.h"
#include "scamper_list.h"
#include "scamper_sink.h"
#include "warts_int.h"
#include "warts_io.h"
#include "wire.h"

#define WARTS_MAXREC	(1U << 30)	/* sanity bound on one record */

struct scamper_file {
	int		 fd;
	int		 writing;
	int		 failed;
	char		 err[256];
	char		 ioerr[128];
	/* reading */
	struct wio	*io;
	uint8_t		*rec;
	size_t		 recalloc;
	uint64_t	 off;		/* next record's offset */
	uint64_t	 recoff;	/* last record's offset */
	struct waddrtab	 gids;
	struct rbuf	 rb;
	/* reading: lists and cycles by writer-assigned ID (entry 0 unused) */
	struct idtab	 lists, cycles;
	/* writing */
	struct scamper_sink *sink;
};

/* ---- helpers ------------------------------------------------------- */

/* Fail with a message: the file's error, and it is failed. */
#define ferr(f, ...) \
	err_set((f)->err, sizeof((f)->err), &(f)->failed, __VA_ARGS__)

static struct scamper_file *
file_new(int fd, int writing)
{
	struct scamper_file *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return NULL;
	f->fd = fd;
	f->writing = writing;
	if (writing) {
		if ((f->sink = scamper_sink_fd(fd, SCAMPER_SINK_WARTS)) ==
		    NULL) {
			free(f);
			return NULL;
		}
		return f;
	}
	if ((f->io = wio_new(fd)) == NULL) {
		free(f);
		return NULL;
	}
	/* ID 0 is the built-in empty list/cycle */
	if (idtab_append(&f->lists, NULL) != 0 ||
	    idtab_append(&f->cycles, NULL) != 0) {
		wio_free(f->io);
		free(f->lists.v);
		free(f->cycles.v);
		free(f);
		return NULL;
	}
	return f;
}

struct scamper_file *
scamper_file_fdopen_read(int fd)
{
	return file_new(fd, 0);
}

struct scamper_file *
scamper_file_fdopen_write(int fd)
{
	return file_new(fd, 1);
}

static struct scamper_file *
open_path(const char *path, int writing)
{
	struct scamper_file *f;
	int fd, e;

	if (strcmp(path, "-") == 0)
		fd = dup(writing ? STDOUT_FILENO : STDIN_FILENO);
	else if (writing)
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	else
		fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if ((f = file_new(fd, writing)) == NULL) {
		e = errno;
		close(fd);
		errno = e;
	}
	return f;
}

struct scamper_file *
scamper_file_open_read(const char *path)
{
	return open_path(path, 0);
}

struct scamper_file *
scamper_file_open_write(const char *path)
{
	return open_path(path, 1);
}

struct scamper_file *
scamper_file_fdopen_append(int fd, char *err, size_t errlen)
{
	struct scamper_file *r, *w;
	struct warts_writer *ww;
	struct idtab t;
	uint16_t type;
	void *obj;
	int rfd, rc;

	/* read what is there: its lists and cycles carry on */
	if ((rfd = dup(fd)) == -1 || lseek(rfd, 0, SEEK_SET) == -1 ||
	    (r = file_new(rfd, 0)) == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		if (rfd != -1)
			close(rfd);
		close(fd);
		return NULL;
	}
	while ((rc = scamper_file_read(r, &type, &obj)) == 1)
		scamper_file_obj_free(type, obj);
	if (rc == 0 && strcmp(scamper_file_compression(r), "none") != 0) {
		snprintf(err, errlen, "compressed (%s): warts records cannot "
		    "be appended", scamper_file_compression(r));
		rc = -1;
	} else if (rc != 0)
		snprintf(err, errlen, "%s: not appending to a damaged file",
		    scamper_file_error(r));
	if (rc != 0 || (w = file_new(fd, 1)) == NULL) {
		if (rc == 0)
			snprintf(err, errlen, "%s", strerror(errno));
		scamper_file_close(r);
		close(fd);
		return NULL;
	}
	ww = sink_warts_writer(w->sink);
	t = ww->lists;
	ww->lists = r->lists;
	r->lists = t;
	t = ww->cycles;
	ww->cycles = r->cycles;
	r->cycles = t;
	scamper_file_close(r);
	if (lseek(fd, 0, SEEK_END) == -1) {
		snprintf(err, errlen, "%s", strerror(errno));
		scamper_file_close(w);
		return NULL;
	}
	return w;
}

struct scamper_file *
scamper_file_open_append(const char *path, char *err, size_t errlen)
{
	int fd;

	if (strcmp(path, "-") == 0) {
		snprintf(err, errlen, "cannot append to standard output");
		return NULL;
	}
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) == -1) {
		snprintf(err, errlen, "%s", strerror(errno));
		return NULL;
	}
	return scamper_file_fdopen_append(fd, err, errlen);
}

/* The last error, "" if none. */
ACCESSOR(scamper_file, const char *, scamper_file_error, err)

/* Offset of the start of the record last returned. */
ACCESSOR(scamper_file, uint64_t, scamper_file_offset, recoff)

const char *
scamper_file_compression(const struct scamper_file *f)
{
	return f->io != NULL ? wio_compression(f->io) : "none";
}

void
scamper_file_obj_free(uint16_t type, void *obj)
{
	const struct warts_rec *rec = warts_rec_find(type);
	struct scamper_file_raw *raw;

	if (rec != NULL) {
		rec->free(obj);
		return;
	}
	switch (type) {
	case SCAMPER_FILE_OBJ_LIST:
		scamper_list_free(obj);
		break;
	case SCAMPER_FILE_OBJ_CYCLE_START:
	case SCAMPER_FILE_OBJ_CYCLE_DEF:
	case SCAMPER_FILE_OBJ_CYCLE_STOP:
		scamper_cycle_free(obj);
		break;
	case SCAMPER_FILE_OBJ_RAW:
		raw = obj;
		if (raw != NULL)
			free(raw->data);
		free(raw);
		break;
	}
}

/* ---- reading: list, cycle, address records -------------------------- */

int
warts_rd_ref(struct scamper_file *f, struct rbuf *rb, int cycle, uint32_t id,
    void **out)
{
	*out = NULL;
	if (id == 0)
		return 0;
	if ((*out = idtab_get(cycle ? &f->cycles : &f->lists, id)) == NULL)
		return rb_fail(rb, "reference to unknown %s %u",
		    cycle ? "cycle" : "list", id);
	if (cycle)
		scamper_cycle_use(*out);
	else
		scamper_list_use(*out);
	return 0;
}

/* Fail naming the offset where the record being read starts (its
 * header), not a field inside it: for a record wrong as a whole. */
static int __attribute__((format(printf, 3, 4)))
rec_fail(const struct scamper_file *f, struct rbuf *rb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rb_vfail_at(rb, f->recoff, fmt, ap);
	va_end(ap);
	return -1;
}

/* The ID of a list or cycle record is not the next one expected: most
 * often two warts files joined with cat(1). */
#define WARTS_JOINED	" (a concatenation of warts files? sc_wartscat " \
			"joins them)"

static int
rd_list(struct scamper_file *f, struct rbuf *rb, void **obj)
{
	struct scamper_list *l;
	uint32_t id, uid;
	char *name = NULL, *descr = NULL, *monitor = NULL;
	struct wfield fl[] = {
		WFIELD(WF_STR, &descr, 0),
		WFIELD(WF_STR, &monitor, 0),
	};
	int rc = -1;

	if (rb_u32(rb, &id) != 0 || rb_u32(rb, &uid) != 0 ||
	    rb_str(rb, &name) != 0 || warts_params_read(rb, fl, 2) != 0)
		goto out;
	if (id != f->lists.n) {
		rec_fail(f, rb, "list record with ID %u, expected %u"
		    WARTS_JOINED, id, f->lists.n);
		goto out;
	}
	if ((l = scamper_list_alloc(uid, name, descr, monitor)) == NULL ||
	    idtab_append(&f->lists, l) != 0) {
		scamper_list_free(l);
		rb_fail(rb, "out of memory");
		goto out;
	}
	*obj = scamper_list_use(l);
	rc = 0;
out:
	free(name);
	free(descr);
	free(monitor);
	return rc;
}

static int
rd_cycle(struct scamper_file *f, struct rbuf *rb, void **obj)
{
	struct scamper_cycle *c;
	void *l;
	uint32_t id, lid, uid, start, stop = 0;
	char *host = NULL;
	struct wfield fl[] = {
		WFIELD(WF_U32, &stop, 0),
		WFIELD(WF_STR, &host, 0),
	};
	int rc = -1;

	if (rb_u32(rb, &id) != 0 || rb_u32(rb, &lid) != 0 ||
	    rb_u32(rb, &uid) != 0 || rb_u32(rb, &start) != 0 ||
	    warts_params_read(rb, fl, 2) != 0)
		goto out;
	if (id != f->cycles.n) {
		rec_fail(f, rb, "cycle record with ID %u, expected %u"
		    WARTS_JOINED, id, f->cycles.n);
		goto out;
	}
	if (warts_rd_ref(f, rb, 0, lid, &l) != 0)
		goto out;
	c = scamper_cycle_alloc(l, uid, start, host);
	scamper_list_free(l);
	if (c == NULL || idtab_append(&f->cycles, c) != 0) {
		scamper_cycle_free(c);
		rb_fail(rb, "out of memory");
		goto out;
	}
	c->stop_time = stop;
	*obj = scamper_cycle_use(c);
	rc = 0;
out:
	free(host);
	return rc;
}

static int
rd_cycle_stop(struct scamper_file *f, struct rbuf *rb, void **obj)
{
	struct scamper_cycle *c;
	uint32_t id, stop;
	struct wfield none[1] = { WFIELD(WF_NONE, NULL, 0) };

	if (rb_u32(rb, &id) != 0 || rb_u32(rb, &stop) != 0 ||
	    warts_params_read(rb, none, 0) != 0)
		return -1;
	if (id == 0 || idtab_get(&f->cycles, id) == NULL)
		return rb_fail(rb, "stop of unknown cycle %u", id);
	/* a new object, so a cycle-start already handed out keeps its
	   stop time of 0; the table's reference is dropped (ID retired) */
	c = idtab_get(&f->cycles, id);
	*obj = scamper_cycle_alloc(c->list, c->id, c->start_time, c->hostname);
	if (*obj == NULL)
		return rb_fail(rb, "out of memory");
	((struct scamper_cycle *)*obj)->stop_time = stop;
	idtab_retire(&f->cycles, id);
	scamper_cycle_free(c);
	return 0;
}

static int
rd_addr(struct scamper_file *f, struct rbuf *rb)
{
	struct scamper_addr a;
	uint8_t mod, type;
	uint32_t gid = f->gids.n + 1;

	if (rb_u8(rb, &mod) != 0 || rb_u8(rb, &type) != 0)
		return -1;
	if (mod != gid % 255)
		return rb_fail(rb, "address record check byte %u, expected %u",
		    mod, gid % 255);
	if (scamper_addr_typelen(type) != rb->len - rb->off)
		return rb_fail(rb, "address record type %u with %zu bytes",
		    type, rb->len - rb->off);
	scamper_addr_set(&a, type, rb->buf + rb->off);
	rb->off = rb->len;
	if (waddrtab_add(&f->gids, &a) != 0)
		return rb_fail(rb, "out of memory");
	return 0;
}

static int
rd_raw(struct rbuf *rb, uint16_t type, void **obj)
{
	struct scamper_file_raw *raw = calloc(1, sizeof(*raw));

	if (raw == NULL || (raw->data = malloc(rb->len ? rb->len : 1)) == NULL) {
		free(raw);
		return rb_fail(rb, "out of memory");
	}
	raw->type = type;
	raw->len = (uint32_t)rb->len;
	if (rb->len > 0)	/* an empty record has no buffer */
		memcpy(raw->data, rb->buf, rb->len);
	rb->off = rb->len;
	*obj = raw;
	return 0;
}

/* ---- reading: records ------------------------------------------------ */

/* Read exactly N bytes at REC+have; 0, or -1 on a short read/error. */
static int
rd_body(struct scamper_file *f, uint32_t len)
{
	size_t have = 0;
	ssize_t n;

	/* grow as data arrives, so a corrupt length cannot make us
	   allocate more than the input actually holds (plus 1 MiB) */
	while (have < len) {
		size_t want = len - have > (1 << 20) ? (1 << 20) : len - have;

		if (mem_grow(&f->rec, &f->recalloc, have + want, 1, 4096) != 0)
			return ferr(f, "offset %llu: out of memory",
			    (unsigned long long)f->off);
		n = wio_read(f->io, f->rec + have, want, f->ioerr,
		    sizeof(f->ioerr));
		if (n < 0)
			return ferr(f, "offset %llu: %s", (unsigned long long)
			    (f->off + WARTS_HDRLEN + have), f->ioerr);
		have += (size_t)n;
		if ((size_t)n < want)
			return ferr(f, "offset %llu: truncated record: %zu of "
			    "%u body bytes", (unsigned long long)f->recoff,
			    have, len);
	}
	return 0;
}

static int
rd_header(struct scamper_file *f, uint16_t *type, uint32_t *len)
{
	uint8_t h[WARTS_HDRLEN];
	ssize_t n = wio_read(f->io, h, sizeof(h), f->ioerr, sizeof(f->ioerr));
	uint16_t magic;

	if (n < 0)
		return ferr(f, "offset %llu: %s", (unsigned long long)f->off,
		    f->ioerr);
	if (n == 0)
		return 0;
	if (n < WARTS_HDRLEN)
		return ferr(f, "offset %llu: truncated record header (%zd of 8 "
		    "bytes)", (unsigned long long)f->off, n);
	magic = wire_be16(h);
	*type = wire_be16(h + 2);
	*len = wire_be32(h + 4);
	if (magic != WARTS_MAGIC)
		return ferr(f, "offset %llu: bad magic 0x%04x (not a warts "
		    "record)", (unsigned long long)f->off, magic);
	if (*type == 0)
		return ferr(f, "offset %llu: record type 0",
		    (unsigned long long)f->off);
	if (*len > WARTS_MAXREC)
		return ferr(f, "offset %llu: record length %u too large",
		    (unsigned long long)f->off, *len);
	return 1;
}

static int
decode(struct scamper_file *f, uint16_t type, uint16_t *otype, void **obj)
{
	struct rbuf *rb = &f->rb;
	const struct warts_rec *rec = warts_rec_find(type);
	int rc;

	*otype = type;
	if (rec != NULL) {
		if ((rc = warts_rec_read(f, rb, rec, obj)) != 1)
			return rc;
		rb->off = 0;	/* left raw by its codec: keep the bytes */
		*otype = SCAMPER_FILE_OBJ_RAW;
		return rd_raw(rb, type, obj);
	}
	switch (type) {
	case SCAMPER_FILE_OBJ_LIST:
		return rd_list(f, rb, obj);
	case SCAMPER_FILE_OBJ_CYCLE_START:
	case SCAMPER_FILE_OBJ_CYCLE_DEF:
		return rd_cycle(f, rb, obj);
	case SCAMPER_FILE_OBJ_CYCLE_STOP:
		return rd_cycle_stop(f, rb, obj);
	case SCAMPER_FILE_OBJ_ADDR:
		*obj = NULL;
		return rd_addr(f, rb);
	}
	*otype = SCAMPER_FILE_OBJ_RAW;
	return rd_raw(rb, type, obj);
}

int
scamper_file_read(struct scamper_file *f, uint16_t *type, void **obj)
{
	uint16_t rtype = 0;
	uint32_t len = 0;
	int rc;

	if (f->writing)
		return ferr(f, "file is open for writing");
	if (f->failed)
		return -1;
	for (;;) {
		f->recoff = f->off;
		if ((rc = rd_header(f, &rtype, &len)) <= 0)
			return rc;
		if (rd_body(f, len) != 0)
			return -1;
		f->off += WARTS_HDRLEN + (uint64_t)len;
		f->rb.buf = f->rec;
		f->rb.len = len;
		f->rb.off = 0;
		f->rb.base = f->recoff + WARTS_HDRLEN;
		f->rb.err = f->err;
		f->rb.errlen = sizeof(f->err);
		f->rb.gids = &f->gids;
		rb_reset_tab(&f->rb);
		*obj = NULL;
		if (decode(f, rtype, type, obj) != 0) {
			f->failed = 1;
			return -1;
		}
		if (*obj != NULL)
			return 1;
	}
}

/* ---- writing: through a warts sink on the descriptor --------------- */

int
scamper_file_write_obj(struct scamper_file *f, uint16_t type, const void *obj)
{
	if (!f->writing)
		return ferr(f, "file is open for reading");
	if (scamper_sink_write(f->sink, type, obj) != 0)
		return ferr(f, "%s", scamper_sink_error(f->sink));
	return 0;
}

#define WRITER(name, stype, TYPE) \
int \
scamper_file_write_##name(struct scamper_file *f, const struct stype *o) \
{ \
	return scamper_file_write_obj(f, TYPE, o); \
}

WRITER(trace, scamper_trace, SCAMPER_FILE_OBJ_TRACE)
WRITER(ping, scamper_ping, SCAMPER_FILE_OBJ_PING)
WRITER(tracelb, scamper_tracelb, SCAMPER_FILE_OBJ_TRACELB)
WRITER(dealias, scamper_dealias, SCAMPER_FILE_OBJ_DEALIAS)
WRITER(neighbourdisc, scamper_neighbourdisc, SCAMPER_FILE_OBJ_NEIGHBOURDISC)
WRITER(sting, scamper_sting, SCAMPER_FILE_OBJ_STING)
WRITER(tbit, scamper_tbit, SCAMPER_FILE_OBJ_TBIT)
WRITER(sniff, scamper_sniff, SCAMPER_FILE_OBJ_SNIFF)
WRITER(host, scamper_host, SCAMPER_FILE_OBJ_HOST)
WRITER(list, scamper_list, SCAMPER_FILE_OBJ_LIST)
WRITER(cycle_start, scamper_cycle, SCAMPER_FILE_OBJ_CYCLE_START)
WRITER(cycle_stop, scamper_cycle, SCAMPER_FILE_OBJ_CYCLE_STOP)

int
scamper_file_close(struct scamper_file *f)
{
	int rc = 0;

	if (f == NULL)
		return 0;
	if (f->writing && scamper_sink_close(f->sink) != 0)
		rc = -1;
	if (close(f->fd) != 0)
		rc = -1;
	idtab_clear_lists(&f->lists, &f->cycles);
	wio_free(f->io);
	free(f->rec);
	waddrtab_clear(&f->gids);
	waddrtab_clear(&f->rb.tab);
	free(f);
	return rc;
}
