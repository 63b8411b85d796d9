/*
 * warts_write.c: the warts writer: record framing, the list and cycle
 * tables, and dispatch to the per-type codecs (see warts_int.h).
 *
 * Lists and cycles are remembered by content, so measurements that share
 * them share one record; a measurement whose list or cycle this writer
 * has not written yet gets it first (a cycle it did not see start gets a
 * cycle-definition record).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scamper_file.h"
#include "scamper_list.h"
#include "warts_int.h"
#include "wire.h"

static int
werr(struct warts_writer *w, const char *what)
{
	snprintf(w->err, sizeof(w->err), "%s", what);
	return -1;
}

int
warts_writer_init(struct warts_writer *w, struct wbuf *out,
    int (*end)(void *, size_t), void *arg)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->end = end;
	w->arg = arg;
	/* ID 0 is the built-in empty list/cycle */
	if (idtab_append(&w->lists, NULL) != 0 ||
	    idtab_append(&w->cycles, NULL) != 0) {
		warts_writer_clear(w);
		return -1;
	}
	return 0;
}

void
warts_writer_clear(struct warts_writer *w)
{
	idtab_clear_lists(&w->lists, &w->cycles);
	memset(&w->lists, 0, sizeof(w->lists));
	memset(&w->cycles, 0, sizeof(w->cycles));
}

static size_t
rec_begin(struct warts_writer *w, uint16_t type)
{
	size_t start = w->out->len;

	wb_u16(w->out, WARTS_MAGIC);
	wb_u16(w->out, type);
	wb_u32(w->out, 0);
	wb_tab_reset(w->out);
	w->out->toolong = 0;
	return start;
}

/* Patch the record's length and hand it on; a record that could not be
 * made is taken back out. */
static int
rec_end(struct warts_writer *w, size_t start)
{
	struct wbuf *out = w->out;
	size_t len = out->len - start - WARTS_HDRLEN;

	if (out->oom) {
		out->oom = 0;
		out->len = start;
		return werr(w, "out of memory");
	}
	if (out->toolong || len > UINT32_MAX) {
		out->len = start;
		return werr(w, "record too large for warts");
	}
	wire_set_be32(out->buf + start + 4, (uint32_t)len);
	return w->end(w->arg, start);
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

static int64_t ref_id(struct warts_writer *w, const void *obj, int cycle);

static int64_t
wr_list(struct warts_writer *w, const struct scamper_list *l)
{
	struct wfield fl[2] = {
		WFIELD(WF_STR, (void *)&l->descr, l->descr != NULL),
		WFIELD(WF_STR, (void *)&l->monitor, l->monitor != NULL),
	};
	uint32_t id = w->lists.n;
	size_t start;

	if (idtab_append(&w->lists, scamper_list_use((void *)l)) != 0) {
		scamper_list_free((void *)l);
		return werr(w, "out of memory");
	}
	start = rec_begin(w, SCAMPER_FILE_OBJ_LIST);
	wb_u32(w->out, id);
	wb_u32(w->out, l->id);
	wb_str(w->out, l->name != NULL ? l->name : "");
	warts_params_write(w->out, fl, 2);
	return rec_end(w, start) == 0 ? (int64_t)id : -1;
}

static int64_t
wr_cycle(struct warts_writer *w, const struct scamper_cycle *c,
    uint16_t type)
{
	struct wfield fl[2] = {
		WFIELD(WF_U32, (void *)&c->stop_time, c->stop_time != 0),
		WFIELD(WF_STR, (void *)&c->hostname, c->hostname != NULL),
	};
	int64_t lid = ref_id(w, c->list, 0);
	uint32_t id = w->cycles.n;
	size_t start;

	if (lid < 0)
		return -1;
	if (idtab_append(&w->cycles, scamper_cycle_use((void *)c)) != 0) {
		scamper_cycle_free((void *)c);
		return werr(w, "out of memory");
	}
	start = rec_begin(w, type);
	wb_u32(w->out, id);
	wb_u32(w->out, (uint32_t)lid);
	wb_u32(w->out, c->id);
	wb_u32(w->out, c->start_time);
	warts_params_write(w->out, fl, 2);
	return rec_end(w, start) == 0 ? (int64_t)id : -1;
}

/* The writer's ID for OBJ, a list or (CYCLE) a cycle: 0 for NULL, the
 * ID it was written with, or a new one as it is written now; -1 if it
 * cannot be. */
static int64_t
ref_id(struct warts_writer *w, const void *obj, int cycle)
{
	int64_t id;

	if (obj == NULL)
		return 0;
	if ((id = find(cycle ? &w->cycles : &w->lists, obj, cycle)) != 0)
		return id;
	return cycle ? wr_cycle(w, obj, SCAMPER_FILE_OBJ_CYCLE_DEF) :
	    wr_list(w, obj);
}

static int
wr_cycle_stop(struct warts_writer *w, const struct scamper_cycle *c)
{
	int64_t id = ref_id(w, c, 1);
	size_t start;

	if (id <= 0)
		return id == 0 ? werr(w, "cycle stop without a cycle") : -1;
	start = rec_begin(w, SCAMPER_FILE_OBJ_CYCLE_STOP);
	wb_u32(w->out, (uint32_t)id);
	wb_u32(w->out, c->stop_time);
	wb_u8(w->out, 0);
	/* a reader retires a stopped cycle's ID, so never refer to it again */
	scamper_cycle_free(idtab_get(&w->cycles, (uint32_t)id));
	idtab_retire(&w->cycles, (uint32_t)id);
	return rec_end(w, start);
}

/* ---- measurements ---------------------------------------------------- */

/* A measurement record through its codec, after the list and cycle it
 * refers to. */
static int
wr_data(struct warts_writer *w, const struct warts_rec *d, const void *obj)
{
	const struct scamper_list *l;
	const struct scamper_cycle *c;
	struct wrec_tmp x;
	int64_t lid, cid;
	size_t start;

	memcpy(&l, (const char *)obj + d->list_off, sizeof(l));
	memcpy(&c, (const char *)obj + d->cycle_off, sizeof(c));
	if ((lid = ref_id(w, l, 0)) < 0 || (cid = ref_id(w, c, 1)) < 0)
		return -1;
	memset(&x, 0, sizeof(x));
	x.listid = (uint32_t)lid;
	x.cycleid = (uint32_t)cid;
	start = rec_begin(w, d->type);
	if (d->wr(w->out, obj, &x) != 0) {
		w->out->len = start;
		if (d->type == SCAMPER_FILE_OBJ_TRACE ||
		    d->type == SCAMPER_FILE_OBJ_PING)
			snprintf(w->err, sizeof(w->err), "%s cannot be "
			    "written as warts", d->type ==
			    SCAMPER_FILE_OBJ_TRACE ? "trace" : "ping");
		else
			snprintf(w->err, sizeof(w->err), "object of type %u "
			    "cannot be written as warts", d->type);
		return -1;
	}
	return rec_end(w, start);
}

static int
wr_raw(struct warts_writer *w, const struct scamper_file_raw *raw)
{
	size_t start = rec_begin(w, raw->type);

	wb_bytes(w->out, raw->data, raw->len);
	return rec_end(w, start);
}

int
warts_write_obj(struct warts_writer *w, uint16_t type, const void *obj)
{
	const struct warts_rec *rec = warts_rec_find(type);

	w->err[0] = '\0';
	if (rec != NULL)
		return wr_data(w, rec, obj);
	switch (type) {
	case SCAMPER_FILE_OBJ_LIST:
		/* a list equal to one already written is not written again
		   (as sc_wartscat does when joining files) */
		return ref_id(w, obj, 0) < 0 ? -1 : 0;
	case SCAMPER_FILE_OBJ_CYCLE_START:
	case SCAMPER_FILE_OBJ_CYCLE_DEF:
		return wr_cycle(w, obj, type) < 0 ? -1 : 0;
	case SCAMPER_FILE_OBJ_CYCLE_STOP:
		return wr_cycle_stop(w, obj);
	case SCAMPER_FILE_OBJ_RAW:
		return wr_raw(w, obj);
	}
	snprintf(w->err, sizeof(w->err), "cannot write object type %u", type);
	return -1;
}
