/*
 * warts_host.c: the host (DNS) record (type 14), encoder and decoder.
 *
 * Layout (warts-format.md 8.7, checked against files scamper 20211212
 * wrote in a lab): parameters, then for each query its block followed by
 * its answer, authority and additional RRs, each RR one block.  An RR's
 * data field is a u16 kind, then an address, a string, or an SOA or MX
 * block.  Addresses share the record's table (server first).
 */
#include <stdlib.h>
#include <string.h>

#include "scamper_file.h"
#include "scamper_host.h"
#include "warts_int.h"

#define HO_NF	14
#define QY_NF	6
#define RR_NF	5
#define SOA_NF	7
#define MX_NF	2

static void
host_fields(struct wfield *f, struct scamper_host *h, struct wrec_tmp *x)
{
	struct wfield fl[HO_NF] = {
		WFIELD_IDS_SRC_DST(x, h),
		WFIELD(WF_TV, &h->start, 1),
		WFIELD(WF_U16, &h->flags, h->flags != 0),
		WFIELD(WF_U16, &h->wait, h->wait != 0),
		WFIELD(WF_U8, &h->stop_reason, h->stop_reason != 0),
		WFIELD(WF_U8, &h->retries, h->retries != 0),
		WFIELD(WF_U16, &h->qtype, h->qtype != 0),
		WFIELD(WF_U16, &h->qclass, h->qclass != 0),
		WFIELD(WF_STR, &h->qname, h->qname != NULL),
		WFIELD(WF_U8, &h->qcount, h->qcount != 0),
	};

	memcpy(f, fl, sizeof(fl));
}

static void
query_fields(struct wfield *f, struct scamper_host_query *q)
{
	struct wfield fl[QY_NF] = {
		WFIELD(WF_TV, &q->tx, 1),
		WFIELD(WF_TV, &q->rx, 1),
		WFIELD(WF_U16, &q->id, 1),
		WFIELD(WF_U16, &q->ancount, q->ancount != 0),
		WFIELD(WF_U16, &q->nscount, q->nscount != 0),
		WFIELD(WF_U16, &q->arcount, q->arcount != 0),
	};

	memcpy(f, fl, sizeof(fl));
}

WARTS_BLOCK(query, struct scamper_host_query, QY_NF)

/* ---- RR data: u16 kind, then its value -------------------------------- */

static void
soa_fields(struct wfield *f, struct scamper_host_soa *s)
{
	struct wfield fl[SOA_NF] = {
		WFIELD(WF_STR, &s->mname, s->mname != NULL),
		WFIELD(WF_STR, &s->rname, s->rname != NULL),
		WFIELD(WF_U32, &s->serial, s->serial != 0),
		WFIELD(WF_U32, &s->refresh, s->refresh != 0),
		WFIELD(WF_U32, &s->retry, s->retry != 0),
		WFIELD(WF_U32, &s->expire, s->expire != 0),
		WFIELD(WF_U32, &s->minimum, s->minimum != 0),
	};

	memcpy(f, fl, sizeof(fl));
}

static void
mx_fields(struct wfield *f, struct scamper_host_mx *m)
{
	struct wfield fl[MX_NF] = {
		WFIELD(WF_U16, &m->preference, m->preference != 0),
		WFIELD(WF_STR, &m->exchange, m->exchange != NULL),
	};

	memcpy(f, fl, sizeof(fl));
}

WARTS_BLOCK(soa, struct scamper_host_soa, SOA_NF)
WARTS_BLOCK(mx, struct scamper_host_mx, MX_NF)

static int
rrdata_rd(struct rbuf *rb, struct wfield *f)
{
	struct scamper_host_rr *rr = f->ctx;

	if (rb_u16(rb, &rr->data_kind) != 0)
		return -1;
	switch (rr->data_kind) {
	case SCAMPER_HOST_RR_DATA_ADDR:
		return rb_addr(rb, &rr->addr);
	case SCAMPER_HOST_RR_DATA_STR:
		return rb_str(rb, &rr->str);
	case SCAMPER_HOST_RR_DATA_SOA:
		if ((rr->soa = calloc(1, sizeof(*rr->soa))) == NULL)
			return rb_fail(rb, "out of memory");
		return soa_rd(rb, rr->soa);
	case SCAMPER_HOST_RR_DATA_MX:
		if ((rr->mx = calloc(1, sizeof(*rr->mx))) == NULL)
			return rb_fail(rb, "out of memory");
		return mx_rd(rb, rr->mx);
	}
	return rb_fail(rb, "host RR data of unknown kind %u", rr->data_kind);
}

static void
rrdata_wr(struct wbuf *wb, const struct wfield *f)
{
	const struct scamper_host_rr *rr = f->ctx;

	wb_u16(wb, rr->data_kind);
	switch (rr->data_kind) {
	case SCAMPER_HOST_RR_DATA_ADDR:
		wb_addr(wb, &rr->addr);
		break;
	case SCAMPER_HOST_RR_DATA_STR:
		wb_str(wb, rr->str);
		break;
	case SCAMPER_HOST_RR_DATA_SOA:
		soa_wr(wb, rr->soa);
		break;
	case SCAMPER_HOST_RR_DATA_MX:
		mx_wr(wb, rr->mx);
		break;
	}
}

/* Nonzero if RR's data can be written (its kind's value is there). */
static int
rrdata_ok(const struct scamper_host_rr *rr)
{
	switch (rr->data_kind) {
	case SCAMPER_HOST_RR_DATA_ADDR:
		return scamper_addr_isset(&rr->addr);
	case SCAMPER_HOST_RR_DATA_STR:
		return rr->str != NULL;
	case SCAMPER_HOST_RR_DATA_SOA:
		return rr->soa != NULL;
	case SCAMPER_HOST_RR_DATA_MX:
		return rr->mx != NULL;
	}
	return 0;
}

static void
rr_fields(struct wfield *f, struct scamper_host_rr *rr)
{
	struct wfield fl[RR_NF] = {
		WFIELD(WF_U16, &rr->class, rr->class != 0),
		WFIELD(WF_U16, &rr->type, rr->type != 0),
		WFIELD(WF_STR, &rr->name, rr->name != NULL),
		WFIELD(WF_U32, &rr->ttl, rr->ttl != 0),
		WFIELD(WF_CB, NULL, rrdata_ok(rr)),
	};

	wfield_cb(&fl[4], rr, rrdata_rd, rrdata_wr);
	memcpy(f, fl, sizeof(fl));
}

WARTS_BLOCK(rr, struct scamper_host_rr, RR_NF)

/* ---- reading ----------------------------------------------------------- */

/* Read N RRs into a new array at *OUT (NULL when N is 0). */
static int
rrs_read(struct rbuf *rb, uint16_t n, struct scamper_host_rr **out)
{
	struct scamper_host_rr *rrs;
	struct wfield f[RR_NF];

	*out = NULL;
	if (n == 0)
		return 0;
	if ((rrs = rb_calloc(rb, n, sizeof(*rrs), 1)) == NULL)
		return -1;
	*out = rrs;
	for (uint16_t i = 0; i < n; i++) {
		rr_fields(f, &rrs[i]);
		if (warts_params_read(rb, f, RR_NF) != 0)
			return -1;
		if (!f[4].set)
			rrs[i].data_kind = SCAMPER_HOST_RR_DATA_NONE;
	}
	return 0;
}

/* Read query Q and its RRs.  On failure what was read stays in Q for
 * scamper_host_free (arrays are zeroed past the failure, and an array
 * not allocated is NULL whatever its count). */
static int
query_read(struct rbuf *rb, struct scamper_host_query *q)
{
	if (query_rd(rb, q) != 0 ||
	    rrs_read(rb, q->ancount, &q->an) != 0 ||
	    rrs_read(rb, q->nscount, &q->ns) != 0 ||
	    rrs_read(rb, q->arcount, &q->ar) != 0)
		return -1;
	return 0;
}

static int
host_rd(struct wrec_rd *r, struct scamper_host *h)
{
	uint8_t qc = h->qcount;

	if (!scamper_addr_isset(&h->dst))
		return rb_fail(r->rb, "host record without a server address");
	h->qcount = 0;
	if (warts_rd_ids(r, h) != 0)
		return -1;
	if (qc > 0 && (h->queries = rb_calloc(r->rb, qc,
	    sizeof(*h->queries), 1)) == NULL)
		return -1;
	for (uint8_t i = 0; i < qc; i++) {
		h->qcount = i + 1;	/* freed with the rest on failure */
		if (query_read(r->rb, &h->queries[i]) != 0)
			return -1;
	}
	return 0;
}

/* ---- writing ----------------------------------------------------------- */

static void
rrs_write(struct wbuf *wb, const struct scamper_host_rr *rrs, uint16_t n)
{
	for (uint16_t i = 0; rrs != NULL && i < n; i++)
		rr_wr(wb, &rrs[i]);
}

static int
host_wr(struct wbuf *wb, const struct scamper_host *h0, struct wrec_tmp *x)
{
	struct scamper_host h = *h0;

	if (h.queries == NULL)
		h.qcount = 0;
	warts_rec_params(wb, &warts_host_rec, &h, x);
	for (uint8_t i = 0; i < h.qcount; i++) {
		struct scamper_host_query q = h.queries[i];

		/* the counts written are those of the RRs that follow */
		if (q.an == NULL)
			q.ancount = 0;
		if (q.ns == NULL)
			q.nscount = 0;
		if (q.ar == NULL)
			q.arcount = 0;
		query_wr(wb, &q);
		rrs_write(wb, q.an, q.ancount);
		rrs_write(wb, q.ns, q.nscount);
		rrs_write(wb, q.ar, q.arcount);
	}
	return 0;
}

WARTS_REC(host, SCAMPER_FILE_OBJ_HOST, HO_NF);
