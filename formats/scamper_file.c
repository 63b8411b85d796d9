/*
 * scamper_file.c: the warts container: record framing, list, cycle and
 * global-address records, and dispatch to the per-type codecs.
 *
 * Reading keeps one record body in a reused buffer; lists and cycles live
 * in tables indexed by their writer-assigned IDs.  Writing appends each
 * record to an output buffer flushed at 64 KiB; lists and cycles are
 * remembered by content so measurements that share them share one record.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scamper_dealias.h"
#include "scamper_file.h"
#include "scamper_host.h"
#include "scamper_list.h"
#include "scamper_neighbourdisc.h"
#include "scamper_ping.h"
#include "scamper_sniff.h"
#include "scamper_sting.h"
#include "scamper_tbit.h"
#include "scamper_trace.h"
#include "scamper_tracelb.h"
#include "warts_int.h"
#include "warts_io.h"

#define WARTS_MAGIC	0x1205
#define WARTS_HDRLEN	8
#define WARTS_MAXREC	(1U << 30)	/* sanity bound on one record */
#define FLUSH_AT	65536

/*
 * Lists or cycles by writer-assigned ID.  IDs are handed out in order and
 * a stopped cycle's ID is retired, so the table is a window [base, n):
 * v[id - base] holds an object with a reference, or NULL once retired.
 * When the retired prefix grows large it is dropped, so a file of any
 * number of cycles is read and written in constant memory.
 */
struct idtab {
	void		**v;
	uint32_t	 base, n, alloc;
};

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
	/* both: lists and cycles by writer-assigned ID (entry 0 unused) */
	struct idtab	 lists, cycles;
	/* writing */
	struct wbuf	 out;
};

/* ---- helpers ------------------------------------------------------- */

static int
ferr(struct scamper_file *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
ferr(struct scamper_file *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->err, sizeof(f->err), fmt, ap);
	va_end(ap);
	f->failed = 1;
	return -1;
}

static void *
idtab_get(const struct idtab *t, uint32_t id)
{
	if (id < t->base || id >= t->n)
		return NULL;
	return t->v[id - t->base];
}

/* Store V as ID n (the next ID); 0 or -1 (ENOMEM). */
static int
idtab_append(struct idtab *t, void *v)
{
	uint32_t used = t->n - t->base;

	if (used == t->alloc) {
		uint32_t na = t->alloc == 0 ? 16 : t->alloc * 2;
		void **nv;

		if (na < t->alloc || (nv = realloc(t->v, na * sizeof(*nv))) ==
		    NULL)
			return -1;
		t->v = nv;
		t->alloc = na;
	}
	t->v[used] = v;
	t->n++;
	return 0;
}

/* Retire ID (its slot becomes NULL; the caller handles the reference),
 * then drop a long retired prefix. */
static void
idtab_retire(struct idtab *t, uint32_t id)
{
	uint32_t k = 0, used = t->n - t->base;

	if (id < t->base || id >= t->n)
		return;
	t->v[id - t->base] = NULL;
	while (k < used && t->v[k] == NULL)
		k++;
	if (k >= 64 && k * 2 >= used) {
		memmove(t->v, t->v + k, (used - k) * sizeof(*t->v));
		t->base += k;
	}
}

static void
idtab_clear(struct idtab *t, void (*fr)(void *))
{
	for (uint32_t i = 0; i < t->n - t->base; i++)
		if (t->v[i] != NULL)
			fr(t->v[i]);
	free(t->v);
}

static void
list_free_cb(void *v)
{
	scamper_list_free(v);
}

static void
cycle_free_cb(void *v)
{
	scamper_cycle_free(v);
}

static struct scamper_file *
file_new(int fd, int writing)
{
	struct scamper_file *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return NULL;
	f->fd = fd;
	f->writing = writing;
	if (!writing && (f->io = wio_new(fd)) == NULL) {
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
	t = w->lists;
	w->lists = r->lists;
	r->lists = t;
	t = w->cycles;
	w->cycles = r->cycles;
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

const char *
scamper_file_error(const struct scamper_file *f)
{
	return f->err;
}

uint64_t
scamper_file_offset(const struct scamper_file *f)
{
	return f->recoff;
}

const char *
scamper_file_compression(const struct scamper_file *f)
{
	return f->io != NULL ? wio_compression(f->io) : "none";
}

void
scamper_file_obj_free(uint16_t type, void *obj)
{
	struct scamper_file_raw *raw;

	switch (type) {
	case SCAMPER_FILE_OBJ_LIST:
		scamper_list_free(obj);
		break;
	case SCAMPER_FILE_OBJ_CYCLE_START:
	case SCAMPER_FILE_OBJ_CYCLE_DEF:
	case SCAMPER_FILE_OBJ_CYCLE_STOP:
		scamper_cycle_free(obj);
		break;
	case SCAMPER_FILE_OBJ_TRACE:
		scamper_trace_free(obj);
		break;
	case SCAMPER_FILE_OBJ_PING:
		scamper_ping_free(obj);
		break;
	case SCAMPER_FILE_OBJ_TRACELB:
		scamper_tracelb_free(obj);
		break;
	case SCAMPER_FILE_OBJ_DEALIAS:
		scamper_dealias_free(obj);
		break;
	case SCAMPER_FILE_OBJ_NEIGHBOURDISC:
		scamper_neighbourdisc_free(obj);
		break;
	case SCAMPER_FILE_OBJ_STING:
		scamper_sting_free(obj);
		break;
	case SCAMPER_FILE_OBJ_TBIT:
		scamper_tbit_free(obj);
		break;
	case SCAMPER_FILE_OBJ_SNIFF:
		scamper_sniff_free(obj);
		break;
	case SCAMPER_FILE_OBJ_HOST:
		scamper_host_free(obj);
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
warts_rd_list(struct scamper_file *f, struct rbuf *rb, uint32_t id,
    struct scamper_list **out)
{
	*out = NULL;
	if (id == 0)
		return 0;
	if ((*out = idtab_get(&f->lists, id)) == NULL)
		return rb_fail(rb, "reference to unknown list %u", id);
	scamper_list_use(*out);
	return 0;
}

int
warts_rd_cycle(struct scamper_file *f, struct rbuf *rb, uint32_t id,
    struct scamper_cycle **out)
{
	*out = NULL;
	if (id == 0)
		return 0;
	if ((*out = idtab_get(&f->cycles, id)) == NULL)
		return rb_fail(rb, "reference to unknown cycle %u", id);
	scamper_cycle_use(*out);
	return 0;
}

/* Fail naming the offset where the record being read starts (its
 * header), not a field inside it: for a record wrong as a whole. */
static int __attribute__((format(printf, 3, 4)))
rec_fail(const struct scamper_file *f, struct rbuf *rb, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (rb->err == NULL || rb->errlen == 0)
		return -1;
	n = snprintf(rb->err, rb->errlen, "offset %llu: ",
	    (unsigned long long)f->recoff);
	if (n > 0 && (size_t)n < rb->errlen) {
		va_start(ap, fmt);
		vsnprintf(rb->err + n, rb->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
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
	struct scamper_list *l;
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
	if (warts_rd_list(f, rb, lid, &l) != 0)
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

		if (have + want > f->recalloc) {
			size_t na = f->recalloc ? f->recalloc : 4096;
			uint8_t *p;

			while (na < have + want)
				na *= 2;
			if ((p = realloc(f->rec, na)) == NULL)
				return ferr(f, "offset %llu: out of memory",
				    (unsigned long long)f->off);
			f->rec = p;
			f->recalloc = na;
		}
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
	magic = (uint16_t)(h[0] << 8 | h[1]);
	*type = (uint16_t)(h[2] << 8 | h[3]);
	*len = (uint32_t)h[4] << 24 | (uint32_t)h[5] << 16 |
	    (uint32_t)h[6] << 8 | h[7];
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
	int rc;

	*otype = type;
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
	case SCAMPER_FILE_OBJ_TRACE:
		return warts_trace_read(f, rb, (struct scamper_trace **)obj);
	case SCAMPER_FILE_OBJ_PING:
		return warts_ping_read(f, rb, (struct scamper_ping **)obj);
	case SCAMPER_FILE_OBJ_TRACELB:
		return warts_tracelb_read(f, rb,
		    (struct scamper_tracelb **)obj);
	case SCAMPER_FILE_OBJ_DEALIAS:
		if ((rc = warts_dealias_read(f, rb,
		    (struct scamper_dealias **)obj)) != 1)
			return rc;
		rb->off = 0;	/* an unknown method: keep the bytes */
		break;
	case SCAMPER_FILE_OBJ_NEIGHBOURDISC:
		return warts_neighbourdisc_read(f, rb,
		    (struct scamper_neighbourdisc **)obj);
	case SCAMPER_FILE_OBJ_STING:
		return warts_sting_read(f, rb, (struct scamper_sting **)obj);
	case SCAMPER_FILE_OBJ_TBIT:
		return warts_tbit_read(f, rb, (struct scamper_tbit **)obj);
	case SCAMPER_FILE_OBJ_SNIFF:
		return warts_sniff_read(f, rb, (struct scamper_sniff **)obj);
	case SCAMPER_FILE_OBJ_HOST:
		return warts_host_read(f, rb, (struct scamper_host **)obj);
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

/* ---- writing --------------------------------------------------------- */

static int
flush(struct scamper_file *f)
{
	size_t off = 0;
	ssize_t n;

	while (off < f->out.len) {
		n = write(f->fd, f->out.buf + off, f->out.len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return ferr(f, "write: %s", strerror(errno));
		off += (size_t)n;
	}
	f->out.len = 0;
	return 0;
}

static size_t
rec_begin(struct scamper_file *f, uint16_t type)
{
	size_t start = f->out.len;

	wb_u16(&f->out, WARTS_MAGIC);
	wb_u16(&f->out, type);
	wb_u32(&f->out, 0);
	f->out.tab.n = 0;
	f->out.toolong = 0;
	return start;
}

static int
rec_end(struct scamper_file *f, size_t start)
{
	size_t len = f->out.len - start - WARTS_HDRLEN;

	if (f->out.oom) {
		f->out.oom = 0;
		f->out.len = start;
		return ferr(f, "out of memory");
	}
	if (f->out.toolong) {
		f->out.len = start;
		return ferr(f, "record too large for warts");
	}
	f->out.buf[start + 4] = (uint8_t)(len >> 24);
	f->out.buf[start + 5] = (uint8_t)(len >> 16);
	f->out.buf[start + 6] = (uint8_t)(len >> 8);
	f->out.buf[start + 7] = (uint8_t)len;
	if (f->out.len >= FLUSH_AT)
		return flush(f);
	return 0;
}

/* Newest first: the object a record refers to is nearly always recent. */
static int64_t
find(const struct idtab *t, const void *obj, int cycle)
{
	for (uint32_t i = t->n - 1; i >= 1 && i >= t->base; i--) {
		void *v = t->v[i - t->base];

		if (v == NULL)
			continue;
		if (cycle ? scamper_cycle_eq(v, obj) : scamper_list_eq(v, obj))
			return i;
	}
	return 0;
}

static int64_t
wr_list(struct scamper_file *f, const struct scamper_list *l)
{
	struct wfield fl[2] = {
		WFIELD(WF_STR, (void *)&l->descr, l->descr != NULL),
		WFIELD(WF_STR, (void *)&l->monitor, l->monitor != NULL),
	};
	uint32_t id = f->lists.n;
	size_t start;

	if (idtab_append(&f->lists, scamper_list_use((void *)l)) != 0) {
		scamper_list_free((void *)l);
		return ferr(f, "out of memory");
	}
	start = rec_begin(f, SCAMPER_FILE_OBJ_LIST);
	wb_u32(&f->out, id);
	wb_u32(&f->out, l->id);
	wb_str(&f->out, l->name != NULL ? l->name : "");
	warts_params_write(&f->out, fl, 2);
	return rec_end(f, start) == 0 ? (int64_t)id : -1;
}

static int64_t
list_id(struct scamper_file *f, const struct scamper_list *l)
{
	int64_t id;

	if (l == NULL)
		return 0;
	if ((id = find(&f->lists, l, 0)) != 0)
		return id;
	return wr_list(f, l);
}

static int64_t
wr_cycle(struct scamper_file *f, const struct scamper_cycle *c, uint16_t type)
{
	struct wfield fl[2] = {
		WFIELD(WF_U32, (void *)&c->stop_time, c->stop_time != 0),
		WFIELD(WF_STR, (void *)&c->hostname, c->hostname != NULL),
	};
	int64_t lid = list_id(f, c->list);
	uint32_t id = f->cycles.n;
	size_t start;

	if (lid < 0)
		return -1;
	if (idtab_append(&f->cycles, scamper_cycle_use((void *)c)) != 0) {
		scamper_cycle_free((void *)c);
		return ferr(f, "out of memory");
	}
	start = rec_begin(f, type);
	wb_u32(&f->out, id);
	wb_u32(&f->out, (uint32_t)lid);
	wb_u32(&f->out, c->id);
	wb_u32(&f->out, c->start_time);
	warts_params_write(&f->out, fl, 2);
	return rec_end(f, start) == 0 ? (int64_t)id : -1;
}

static int64_t
cycle_id(struct scamper_file *f, const struct scamper_cycle *c)
{
	int64_t id;

	if (c == NULL)
		return 0;
	if ((id = find(&f->cycles, c, 1)) != 0)
		return id;
	return wr_cycle(f, c, SCAMPER_FILE_OBJ_CYCLE_DEF);
}

/* A list equal to one already in this file is not written again (as
 * sc_wartscat does when joining files). */
int
scamper_file_write_list(struct scamper_file *f, const struct scamper_list *l)
{
	return list_id(f, l) < 0 ? -1 : 0;
}

int
scamper_file_write_cycle_start(struct scamper_file *f,
    const struct scamper_cycle *c)
{
	return wr_cycle(f, c, SCAMPER_FILE_OBJ_CYCLE_START) < 0 ? -1 : 0;
}

static int
write_cycle_def(struct scamper_file *f, const struct scamper_cycle *c)
{
	return wr_cycle(f, c, SCAMPER_FILE_OBJ_CYCLE_DEF) < 0 ? -1 : 0;
}

int
scamper_file_write_cycle_stop(struct scamper_file *f,
    const struct scamper_cycle *c)
{
	int64_t id = cycle_id(f, c);
	size_t start;

	if (id <= 0)
		return id == 0 ? ferr(f, "cycle stop without a cycle") : -1;
	start = rec_begin(f, SCAMPER_FILE_OBJ_CYCLE_STOP);
	wb_u32(&f->out, (uint32_t)id);
	wb_u32(&f->out, c->stop_time);
	wb_u8(&f->out, 0);
	/* a reader retires a stopped cycle's ID, so never refer to it again */
	scamper_cycle_free(idtab_get(&f->cycles, (uint32_t)id));
	idtab_retire(&f->cycles, (uint32_t)id);
	return rec_end(f, start);
}

int
scamper_file_write_trace(struct scamper_file *f, const struct scamper_trace *t)
{
	int64_t lid = list_id(f, t->list), cid;
	size_t start;

	if (lid < 0 || (cid = cycle_id(f, t->cycle)) < 0)
		return -1;
	start = rec_begin(f, SCAMPER_FILE_OBJ_TRACE);
	if (warts_trace_write(&f->out, t, (uint32_t)lid, (uint32_t)cid) != 0) {
		f->out.len = start;
		return ferr(f, "trace cannot be written as warts");
	}
	return rec_end(f, start);
}

int
scamper_file_write_ping(struct scamper_file *f, const struct scamper_ping *p)
{
	int64_t lid = list_id(f, p->list), cid;
	size_t start;

	if (lid < 0 || (cid = cycle_id(f, p->cycle)) < 0)
		return -1;
	start = rec_begin(f, SCAMPER_FILE_OBJ_PING);
	if (warts_ping_write(&f->out, p, (uint32_t)lid, (uint32_t)cid) != 0) {
		f->out.len = start;
		return ferr(f, "ping cannot be written as warts");
	}
	return rec_end(f, start);
}

typedef int (*data_wr)(struct wbuf *, const void *, uint32_t, uint32_t);

/* Write a measurement record of TYPE through its codec WR, after the list
 * and cycle it refers to. */
static int
write_data(struct scamper_file *f, uint16_t type, const void *obj,
    const struct scamper_list *l, const struct scamper_cycle *c, data_wr wr)
{
	int64_t lid = list_id(f, l), cid;
	size_t start;

	if (lid < 0 || (cid = cycle_id(f, c)) < 0)
		return -1;
	start = rec_begin(f, type);
	if (wr(&f->out, obj, (uint32_t)lid, (uint32_t)cid) != 0) {
		f->out.len = start;
		return ferr(f, "object of type %u cannot be written as warts",
		    type);
	}
	return rec_end(f, start);
}

#define WRITER(name, stype, TYPE) \
static int \
wr_##name(struct wbuf *wb, const void *o, uint32_t lid, uint32_t cid) \
{ \
	return warts_##name##_write(wb, o, lid, cid); \
} \
int \
scamper_file_write_##name(struct scamper_file *f, const struct stype *o) \
{ \
	return write_data(f, TYPE, o, o->list, o->cycle, wr_##name); \
}

WRITER(tracelb, scamper_tracelb, SCAMPER_FILE_OBJ_TRACELB)
WRITER(dealias, scamper_dealias, SCAMPER_FILE_OBJ_DEALIAS)
WRITER(neighbourdisc, scamper_neighbourdisc, SCAMPER_FILE_OBJ_NEIGHBOURDISC)
WRITER(sting, scamper_sting, SCAMPER_FILE_OBJ_STING)
WRITER(tbit, scamper_tbit, SCAMPER_FILE_OBJ_TBIT)
WRITER(sniff, scamper_sniff, SCAMPER_FILE_OBJ_SNIFF)
WRITER(host, scamper_host, SCAMPER_FILE_OBJ_HOST)

static int
write_raw(struct scamper_file *f, const struct scamper_file_raw *raw)
{
	size_t start = rec_begin(f, raw->type);

	wb_bytes(&f->out, raw->data, raw->len);
	return rec_end(f, start);
}

int
scamper_file_write_obj(struct scamper_file *f, uint16_t type, const void *obj)
{
	if (!f->writing)
		return ferr(f, "file is open for reading");
	switch (type) {
	case SCAMPER_FILE_OBJ_LIST:
		return scamper_file_write_list(f, obj);
	case SCAMPER_FILE_OBJ_CYCLE_START:
		return scamper_file_write_cycle_start(f, obj);
	case SCAMPER_FILE_OBJ_CYCLE_DEF:
		return write_cycle_def(f, obj);
	case SCAMPER_FILE_OBJ_CYCLE_STOP:
		return scamper_file_write_cycle_stop(f, obj);
	case SCAMPER_FILE_OBJ_TRACE:
		return scamper_file_write_trace(f, obj);
	case SCAMPER_FILE_OBJ_PING:
		return scamper_file_write_ping(f, obj);
	case SCAMPER_FILE_OBJ_TRACELB:
		return scamper_file_write_tracelb(f, obj);
	case SCAMPER_FILE_OBJ_DEALIAS:
		return scamper_file_write_dealias(f, obj);
	case SCAMPER_FILE_OBJ_NEIGHBOURDISC:
		return scamper_file_write_neighbourdisc(f, obj);
	case SCAMPER_FILE_OBJ_STING:
		return scamper_file_write_sting(f, obj);
	case SCAMPER_FILE_OBJ_TBIT:
		return scamper_file_write_tbit(f, obj);
	case SCAMPER_FILE_OBJ_SNIFF:
		return scamper_file_write_sniff(f, obj);
	case SCAMPER_FILE_OBJ_HOST:
		return scamper_file_write_host(f, obj);
	case SCAMPER_FILE_OBJ_RAW:
		return write_raw(f, obj);
	}
	return ferr(f, "cannot write object type %u", type);
}

int
scamper_file_close(struct scamper_file *f)
{
	int rc = 0;

	if (f == NULL)
		return 0;
	if (f->writing && flush(f) != 0)
		rc = -1;
	if (close(f->fd) != 0)
		rc = -1;
	idtab_clear(&f->lists, list_free_cb);
	idtab_clear(&f->cycles, cycle_free_cb);
	wio_free(f->io);
	free(f->rec);
	waddrtab_clear(&f->gids);
	waddrtab_clear(&f->rb.tab);
	waddrtab_clear(&f->out.tab);
	free(f->out.buf);
	free(f);
	return rc;
}
