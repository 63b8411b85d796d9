/*
 * warts_rec.c: what reading and writing every measurement record shares
 * (see warts_int.h): the table of record types, the reader that
 * allocates the object, reads its parameters, hands it to its codec and
 * frees it on failure, and the parameter writer.
 */
#include <stdlib.h>
#include <string.h>

#include "warts_int.h"

static const struct warts_rec *const recs[] = {
	&warts_trace_rec, &warts_ping_rec, &warts_tracelb_rec,
	&warts_dealias_rec, &warts_neighbourdisc_rec, &warts_tbit_rec,
	&warts_sting_rec, &warts_sniff_rec, &warts_host_rec,
};

const struct warts_rec *
warts_rec_find(uint16_t type)
{
	for (size_t i = 0; i < sizeof(recs) / sizeof(recs[0]); i++)
		if (recs[i]->type == type)
			return recs[i];
	return NULL;
}

int
warts_rec_read(struct scamper_file *file, struct rbuf *rb,
    const struct warts_rec *rec, void **out)
{
	struct wrec_rd r;
	void *obj;
	int rc;

	if ((obj = rec->alloc()) == NULL)
		return rb_fail(rb, "out of memory");
	r.file = file;
	r.rb = rb;
	r.rec = rec;
	memset(&r.x, 0, sizeof(r.x));
	rec->fields(r.f, obj, &r.x);
	if ((rc = warts_params_read(rb, r.f, rec->nf)) == 0)
		rc = rec->rd(&r, obj);
	free(r.x.skip);
	if (rc != 0) {
		rec->free(obj);
		return rc;
	}
	*out = obj;
	return 0;
}

int
warts_rd_ids(struct wrec_rd *r, void *obj)
{
	void *l, *c;

	if (warts_rd_ref(r->file, r->rb, 0, r->x.listid, &l) != 0)
		return -1;
	memcpy((char *)obj + r->rec->list_off, &l, sizeof(l));
	if (warts_rd_ref(r->file, r->rb, 1, r->x.cycleid, &c) != 0)
		return -1;
	memcpy((char *)obj + r->rec->cycle_off, &c, sizeof(c));
	return 0;
}

void
warts_rec_params(struct wbuf *wb, const struct warts_rec *rec, void *obj,
    struct wrec_tmp *x)
{
	struct wfield f[WREC_MAXNF];

	rec->fields(f, obj, x);
	warts_params_write(wb, f, rec->nf);
}
