/*
 * warts_trace.c: the traceroute record (type 6), encoder and decoder.
 *
 * Layout: parameters, u16 hop count, hop records grouped by probe TTL,
 * then optional attributes (u16 header: type << 12 | length) for PMTUD
 * (1), last-ditch (2) and doubletree (3), then u16 0.  See
 * warts-format.md section 6; the "W" rules there are the set conditions
 * below, which is what makes our bytes equal scamper's.
 */
#include <stdlib.h>
#include <string.h>

#include "scamper_file.h"
#include "scamper_trace.h"
#include "warts_int.h"

#define ATTR_PMTUD	1
#define ATTR_LASTDITCH	2
#define ATTR_DTREE	3

/* ---- hop records ---------------------------------------------------- */

#define HOP_NF	20

/*
 * Describe hop H (with its probe ID less one in ID) as fields.  The quoted
 * length is written when it differs from the *trace's* probe size (PSIZE),
 * not the hop's: scamper does so, which shows on PMTUD hops.
 */
static void
hop_fields(struct wfield *f, struct scamper_trace_hop *h, uint8_t *id,
    uint16_t psize)
{
	int icmp = scamper_trace_hop_is_icmp(h);
	int q = scamper_trace_hop_is_icmp_q(h);
	struct wfield fl[HOP_NF] = {
		WFIELD(WF_GID, &h->addr, 0),
		WFIELD(WF_U8, &h->probe_ttl, 1),
		WFIELD(WF_U8, &h->reply_ttl, 1),
		WFIELD(WF_U8, &h->flags, 1),
		WFIELD(WF_U8, id, 1),
		WFIELD(WF_U32, &h->rtt, 1),
		WFIELD_TC(&h->icmp_type, &h->icmp_code, icmp),
		WFIELD(WF_U16, &h->probe_size, 1),
		WFIELD(WF_U16, &h->reply_size, 1),
		WFIELD(WF_U16, &h->reply_ipid, h->reply_ipid != 0),
		WFIELD(WF_U8, &h->reply_tos, 1),
		WFIELD(WF_U16, &h->icmp_nhmtu, scamper_trace_hop_is_ptb(h)),
		WFIELD(WF_U16, &h->icmp_q_ipl, q && h->icmp_q_ipl != psize),
		WFIELD(WF_U8, &h->icmp_q_ttl, q && h->icmp_q_ttl != 1),
		WFIELD(WF_U8, &h->tcp_flags, !icmp &&
		    (h->flags & SCAMPER_TRACE_HOP_TCP)),
		WFIELD(WF_U8, &h->icmp_q_tos, q &&
		    h->addr.type == SCAMPER_ADDR_IPV4),
		WFIELD_ICMPEXT(&h->icmpext, &h->icmpext_len,
		    h->icmpext != NULL),
		WFIELD(WF_ADDR, &h->addr, 1),
		WFIELD(WF_TV, &h->tx, h->tx.tv_sec != 0),
		WFIELD(WF_STR, &h->name, h->name != NULL),
	};

	memcpy(f, fl, sizeof(fl));
}

static int
hop_read(struct rbuf *rb, struct scamper_trace_hop *h, uint16_t psize)
{
	struct wfield f[HOP_NF];
	uint8_t id = 0;

	hop_fields(f, h, &id, psize);
	if (warts_params_read(rb, f, HOP_NF) != 0 ||
	    rb_need_addr(rb, &h->addr, "hop record") != 0)
		return -1;
	if (h->probe_ttl == 0)
		return rb_fail(rb, "hop record with probe TTL 0");
	h->probe_id = (uint8_t)(id + 1);
	if (scamper_trace_hop_is_icmp_q(h)) {
		if (!f[12].set)
			h->icmp_q_ipl = psize;
		if (!f[13].set)
			h->icmp_q_ttl = 1;
	}
	return 0;
}

void
warts_trace_hop_wr_ref(struct wbuf *wb, const struct scamper_trace_hop *hop,
    uint16_t psize)
{
	struct scamper_trace_hop h = *hop;
	struct wfield f[HOP_NF];
	uint8_t id = (uint8_t)(hop->probe_id - 1);

	hop_fields(f, &h, &id, psize);
	warts_params_write(wb, f, HOP_NF);
}

/* The fields hop_fields() sets for H, as bits (bit i: field i).  The
 * tests of scamper_trace_hop_is_icmp, _is_icmp_q and _is_ptb, inline. */
static uint32_t
hop_bits(const struct scamper_trace_hop *h, uint16_t psize)
{
	int icmp = (h->flags & (SCAMPER_TRACE_HOP_TCP |
	    SCAMPER_TRACE_HOP_UDP)) == 0;
	int v4 = h->addr.type == SCAMPER_ADDR_IPV4, t = h->icmp_type;
	int q = icmp && (v4 ? t == 3 || t == 11 : t >= 1 && t <= 3);
	uint32_t b = 1u << 1 | 1u << 2 | 1u << 3 | 1u << 4 | 1u << 5 |
	    1u << 7 | 1u << 8 | 1u << 10;

	if (icmp) {
		b |= 1u << 6;
		if (v4 ? t == 3 && h->icmp_code == 4 : t == 2)
			b |= 1u << 11;
	} else if (h->flags & SCAMPER_TRACE_HOP_TCP) {
		b |= 1u << 14;
	}
	if (q) {
		b |= (h->icmp_q_ipl != psize ? 1u << 12 : 0) |
		    (h->icmp_q_ttl != 1 ? 1u << 13 : 0) |
		    (v4 ? 1u << 15 : 0);
	}
	return b | (h->reply_ipid != 0 ? 1u << 9 : 0) |
	    (h->icmpext != NULL ? 1u << 16 : 0) |
	    (scamper_addr_isset(&h->addr) ? 1u << 17 : 0) |
	    (h->tx.tv_sec != 0 ? 1u << 18 : 0) |
	    (h->name != NULL ? 1u << 19 : 0);
}

/* The hop's optional tail, fields 9 to 19, at P. */
static uint8_t *
hop_tail(struct wbuf *wb, uint8_t *p, const struct scamper_trace_hop *h,
    uint32_t b, size_t namelen)
{
	if (b & 1u << 9)
		p = wp_u16(p, h->reply_ipid);
	p = wp_u8(p, h->reply_tos);
	if (b & 1u << 11)
		p = wp_u16(p, h->icmp_nhmtu);
	if (b & 1u << 12)
		p = wp_u16(p, h->icmp_q_ipl);
	if (b & 1u << 13)
		p = wp_u8(p, h->icmp_q_ttl);
	if (b & 1u << 14)
		p = wp_u8(p, h->tcp_flags);
	if (b & 1u << 15)
		p = wp_u8(p, h->icmp_q_tos);
	if (b & 1u << 16) {
		p = wp_u16(p, h->icmpext_len);
		if (h->icmpext_len > 0)
			memcpy(p, h->icmpext, h->icmpext_len);
		p += h->icmpext_len;
	}
	if (b & 1u << 17)
		p = wp_addr(wb, p, &h->addr);
	if (b & 1u << 18) {
		p = wp_u32(p, (uint32_t)h->tx.tv_sec);
		p = wp_u32(p, (uint32_t)h->tx.tv_usec);
	}
	if (b & 1u << 19) {
		memcpy(p, h->name, namelen);
		p += namelen;
	}
	return p;
}

/* The hop's params block, 3 flag bytes, u16 length and its fixed fields
 * at most, besides its extensions, address and name. */
#define HOP_MAX	(3 + 2 + 30 + WP_ADDR_MAX + 8)

void
warts_trace_hop_wr(struct wbuf *wb, const struct scamper_trace_hop *h,
    uint16_t psize)
{
	uint32_t b = hop_bits(h, psize);
	size_t namelen = h->name != NULL ? strlen(h->name) + 1 : 0, len;
	uint8_t *p = wb_reserve(wb, HOP_MAX + namelen +
	    (h->icmpext != NULL ? h->icmpext_len : 0)), *lenp;

	if (p == NULL)
		return;
	lenp = wp_flags(p, b);
	p = wp_u8(lenp + 2, h->probe_ttl);
	p = wp_u8(p, h->reply_ttl);
	p = wp_u8(p, h->flags);
	p = wp_u8(p, (uint8_t)(h->probe_id - 1));
	p = wp_u32(p, h->rtt);
	if (b & 1u << 6)
		p = wp_u16(p, (uint16_t)(h->icmp_type << 8 | h->icmp_code));
	p = wp_u16(p, h->probe_size);
	p = wp_u16(p, h->reply_size);
	p = hop_tail(wb, p, h, b, namelen);
	if ((len = (size_t)(p - lenp) - 2) > UINT16_MAX)
		wb->toolong = 1;
	wire_set_be16(lenp, (uint16_t)len);
	wb_commit(wb, p);
}

static int
hops_read(struct rbuf *rb, struct scamper_trace_hops *hops, uint16_t n,
    uint16_t psize)
{
	for (uint16_t i = 0; i < n; i++) {
		struct scamper_trace_hop *h = scamper_trace_hop_add(hops);

		if (h == NULL)
			return rb_fail(rb, "out of memory");
		if (hop_read(rb, h, psize) != 0)
			return -1;
	}
	return 0;
}

/*
 * The order hops are written in: grouped by ascending probe TTL, keeping
 * the order within a TTL (a stable sort).  ORDER[k] = the index of the
 * k-th hop written.
 */
static void
hops_order(const struct scamper_trace_hops *hops, uint16_t *order)
{
	uint16_t k = 0;

	for (int ttl = 0; ttl < 256; ttl++)
		for (uint16_t i = 0; i < hops->hopc; i++)
			if (hops->hops[i].probe_ttl == ttl)
				order[k++] = i;
}

static int
hops_sorted(const struct scamper_trace_hops *hops)
{
	for (uint16_t i = 1; i < hops->hopc; i++)
		if (hops->hops[i].probe_ttl < hops->hops[i - 1].probe_ttl)
			return 0;
	return 1;
}

/* Hops grouped by ascending probe TTL; ORDER as from hops_order(), or
 * NULL when they already are. */
static void
hops_write(struct wbuf *wb, const struct scamper_trace_hops *hops,
    const uint16_t *order, uint16_t psize)
{
	wb_u16(wb, hops->hopc);
	for (uint16_t i = 0; i < hops->hopc; i++)
		warts_trace_hop_wr(wb, &hops->hops[order != NULL ? order[i] : i],
		    psize);
}

/* The same, working out the order itself; -1 on ENOMEM. */
static int
hops_write_sorted(struct wbuf *wb, const struct scamper_trace_hops *hops,
    uint16_t psize)
{
	uint16_t *order = NULL;

	if (!hops_sorted(hops)) {
		if ((order = calloc(hops->hopc, sizeof(*order))) == NULL)
			return -1;
		hops_order(hops, order);
	}
	hops_write(wb, hops, order, psize);
	free(order);
	return 0;
}

/* ---- trace parameters ---------------------------------------------- */

#define TR_NF	32

static void
trace_fields(struct wfield *f, struct scamper_trace *t, struct wrec_tmp *x)
{
	struct wfield fl[TR_NF] = {
		WFIELD_IDS_GIDS_STOP(x, 1, t),
		WFIELD(WF_U8, &x->flags8, (x->flags & 0xff) != 0),
		WFIELD(WF_U8, &t->attempts, 1),
		WFIELD(WF_U8, &t->hoplimit, 1),
		WFIELD(WF_U8, &t->type, 1),
		WFIELD(WF_U16, &t->probe_size, 1),
		WFIELD(WF_U16, &t->sport, 1),
		WFIELD(WF_U16, &t->dport, 1),
		WFIELD(WF_U8, &t->firsthop, 1),
		WFIELD(WF_U8, &t->tos, 1),
		WFIELD(WF_U8, &t->wait, 1),
		WFIELD(WF_U8, &t->loops, 1),
		WFIELD(WF_U16, &t->hop_count, 1),
		WFIELD(WF_U8, &t->gaplimit, 1),
		WFIELD(WF_U8, &t->gapaction, 1),
		WFIELD(WF_U8, &t->loopaction, 1),
		WFIELD(WF_U16, &t->probec, 1),
		WFIELD(WF_U8, &t->wait_probe, 1),
		WFIELD(WF_U8, &t->confidence, 1),
		WFIELD(WF_ADDR, &t->src, 1),
		WFIELD(WF_ADDR, &t->dst, 1),
		WFIELD(WF_U32, &t->userid, t->userid != 0),
		WFIELD(WF_U16, &t->offset, t->offset != 0),
		WFIELD(WF_SADDR, &t->rtr, scamper_addr_isset(&t->rtr)),
		WFIELD(WF_U8, &t->squeries, t->squeries >= 2),
		WFIELD(WF_U32, &x->flags, (x->flags & ~0xffU) != 0),
	};

	memcpy(f, fl, sizeof(fl));
}

/* The fields trace_fields() sets for T, as bits (bit i: field i). */
static uint32_t
trace_bits(const struct scamper_trace *t)
{
	uint32_t b = 0x01ffff73u;	/* 0, 1, 4 to 6, 8 to 24: always */

	return b | ((t->flags & 0xff) != 0 ? 1u << 7 : 0) |
	    (scamper_addr_isset(&t->src) ? 1u << 25 : 0) |
	    (scamper_addr_isset(&t->dst) ? 1u << 26 : 0) |
	    (t->userid != 0 ? 1u << 27 : 0) |
	    (t->offset != 0 ? 1u << 28 : 0) |
	    (scamper_addr_isset(&t->rtr) ? 1u << 29 : 0) |
	    (t->squeries >= 2 ? 1u << 30 : 0) |
	    ((t->flags & ~0xffU) != 0 ? 1u << 31 : 0);
}

/* Fields 4 to 24 of T (its start to its confidence) at P. */
static uint8_t *
trace_fixed(uint8_t *p, const struct scamper_trace *t, uint32_t b)
{
	p = wp_u32(p, (uint32_t)t->start.tv_sec);
	p = wp_u32(p, (uint32_t)t->start.tv_usec);
	p = wp_u8(p, t->stop_reason);
	p = wp_u8(p, t->stop_data);
	if (b & 1u << 7)
		p = wp_u8(p, (uint8_t)t->flags);
	p = wp_u8(p, t->attempts);
	p = wp_u8(p, t->hoplimit);
	p = wp_u8(p, t->type);
	p = wp_u16(p, t->probe_size);
	p = wp_u16(p, t->sport);
	p = wp_u16(p, t->dport);
	p = wp_u8(p, t->firsthop);
	p = wp_u8(p, t->tos);
	p = wp_u8(p, t->wait);
	p = wp_u8(p, t->loops);
	p = wp_u16(p, t->hop_count);
	p = wp_u8(p, t->gaplimit);
	p = wp_u8(p, t->gapaction);
	p = wp_u8(p, t->loopaction);
	p = wp_u16(p, t->probec);
	p = wp_u8(p, t->wait_probe);
	return wp_u8(p, t->confidence);
}

void
warts_trace_params_wr(struct wbuf *wb, const struct scamper_trace *t,
    const struct wrec_tmp *x)
{
	uint32_t b = trace_bits(t);
	uint8_t *p = wb_reserve(wb, 5 + 2 + 41 + 3 * WP_ADDR_MAX + 11), *lenp;

	if (p == NULL)
		return;
	lenp = wp_flags(p, b);
	p = wp_u32(lenp + 2, x->listid);
	p = trace_fixed(wp_u32(p, x->cycleid), t, b);
	if (b & 1u << 25)
		p = wp_addr(wb, p, &t->src);
	if (b & 1u << 26)
		p = wp_addr(wb, p, &t->dst);
	if (b & 1u << 27)
		p = wp_u32(p, t->userid);
	if (b & 1u << 28)
		p = wp_u16(p, t->offset);
	if (b & 1u << 29) {
		p = wp_u8(p, t->rtr.len);
		p = wp_u8(p, t->rtr.type);
		memcpy(p, t->rtr.addr, t->rtr.len <= 16 ? t->rtr.len : 16);
		p += t->rtr.len <= 16 ? t->rtr.len : 16;
	}
	if (b & 1u << 30)
		p = wp_u8(p, t->squeries);
	if (b & 1u << 31)
		p = wp_u32(p, t->flags);
	wire_set_be16(lenp, (uint16_t)((size_t)(p - lenp) - 2));
	wb_commit(wb, p);
}

/* ---- attributes ------------------------------------------------------ */

#define PM_NF	5
#define NOTE_NF	3

static int
pmtud_read(struct rbuf *rb, struct scamper_trace *t)
{
	struct scamper_trace_pmtud *p;
	uint8_t notec = 0;
	uint16_t hopc;

	if (t->pmtud != NULL)
		return rb_fail(rb, "second PMTUD attribute");
	if ((p = t->pmtud = scamper_trace_pmtud_alloc()) == NULL)
		return rb_fail(rb, "out of memory");
	struct wfield f[PM_NF] = {
		WFIELD(WF_U16, &p->ifmtu, 0), WFIELD(WF_U16, &p->pmtu, 0),
		WFIELD(WF_U16, &p->outmtu, 0), WFIELD(WF_U8, &p->ver, 0),
		WFIELD(WF_U8, &notec, 0),
	};
	if (warts_params_read(rb, f, PM_NF) != 0 || rb_u16(rb, &hopc) != 0 ||
	    hops_read(rb, &p->hops, hopc, t->probe_size) != 0)
		return -1;
	if (notec > 0 && (p->notes = calloc(notec, sizeof(*p->notes))) == NULL)
		return rb_fail(rb, "out of memory");
	for (p->notec = 0; p->notec < notec; p->notec++) {
		struct scamper_trace_pmtud_note *n = &p->notes[p->notec];
		uint16_t hop = 0;
		struct wfield nf[NOTE_NF] = {
			WFIELD(WF_U8, &n->type, 0),
			WFIELD(WF_U16, &n->nhmtu, 0),
			WFIELD(WF_U16, &hop, 0),
		};

		if (warts_params_read(rb, nf, NOTE_NF) != 0)
			return -1;
		if (nf[2].set && hop >= p->hops.hopc)
			return rb_fail(rb, "PMTUD note refers to hop %u of %u",
			    hop, p->hops.hopc);
		n->hop = nf[2].set ? hop : -1;
	}
	return 0;
}

/* PMTUD data; note hop indices follow their hops when the writer puts
 * unsorted hops in TTL order.  -1 on ENOMEM. */
static int
pmtud_write(struct wbuf *wb, const struct scamper_trace_pmtud *pm,
    uint16_t psize)
{
	struct scamper_trace_pmtud p = *pm;
	uint16_t *order = NULL, *where = NULL;
	struct wfield f[PM_NF] = {
		WFIELD(WF_U16, &p.ifmtu, p.ifmtu != 0),
		WFIELD(WF_U16, &p.pmtu, p.pmtu != 0),
		WFIELD(WF_U16, &p.outmtu, p.outmtu != 0),
		WFIELD(WF_U8, &p.ver, p.ver != 0),
		WFIELD(WF_U8, &p.notec, p.notec != 0),
	};

	if (p.notes == NULL)
		p.notec = 0;
	if (!hops_sorted(&p.hops)) {
		order = calloc(p.hops.hopc, sizeof(*order));
		where = calloc(p.hops.hopc, sizeof(*where));
		if (order == NULL || where == NULL) {
			free(order);
			free(where);
			return -1;
		}
		hops_order(&p.hops, order);
		for (uint16_t k = 0; k < p.hops.hopc; k++)
			where[order[k]] = k;
	}
	warts_params_write(wb, f, PM_NF);
	hops_write(wb, &p.hops, order, psize);
	for (uint8_t i = 0; i < p.notec; i++) {
		struct scamper_trace_pmtud_note n = p.notes[i];
		int ok = n.hop >= 0 && n.hop < p.hops.hopc;
		uint16_t hop = ok ? (uint16_t)n.hop : 0;
		struct wfield nf[NOTE_NF] = {
			WFIELD(WF_U8, &n.type, n.type != 0),
			WFIELD(WF_U16, &n.nhmtu, n.nhmtu != 0),
			WFIELD(WF_U16, &hop, ok),
		};

		if (ok && where != NULL)
			hop = where[hop];
		warts_params_write(wb, nf, NOTE_NF);
	}
	free(order);
	free(where);
	return 0;
}

static int
lastditch_read(struct rbuf *rb, struct scamper_trace *t)
{
	struct wfield none[1] = { WFIELD(WF_NONE, NULL, 0) };
	uint16_t hopc;

	if (t->lastditch != NULL)
		return rb_fail(rb, "second last-ditch attribute");
	if ((t->lastditch = calloc(1, sizeof(*t->lastditch))) == NULL)
		return rb_fail(rb, "out of memory");
	if (warts_params_read(rb, none, 0) != 0 || rb_u16(rb, &hopc) != 0)
		return -1;
	return hops_read(rb, t->lastditch, hopc, t->probe_size);
}

#define DT_NF	7

static void
dtree_fields(struct wfield *f, struct scamper_trace_dtree *d)
{
	struct wfield fl[DT_NF] = {
		WFIELD(WF_GID, &d->lss_stop, 0),
		WFIELD(WF_GID, &d->gss_stop, 0),
		WFIELD(WF_U8, &d->firsthop, 1),
		WFIELD(WF_ADDR, &d->lss_stop, scamper_addr_isset(&d->lss_stop)),
		WFIELD(WF_ADDR, &d->gss_stop, scamper_addr_isset(&d->gss_stop)),
		WFIELD(WF_STR, &d->lss, d->lss != NULL),
		WFIELD(WF_U8, &d->flags, d->flags != 0),
	};

	memcpy(f, fl, sizeof(fl));
}

WARTS_BLOCK(dtree, struct scamper_trace_dtree, DT_NF)

static int
dtree_read(struct rbuf *rb, struct scamper_trace *t)
{
	if (t->dtree != NULL)
		return rb_fail(rb, "second doubletree attribute");
	if ((t->dtree = scamper_trace_dtree_alloc()) == NULL)
		return rb_fail(rb, "out of memory");
	return dtree_rd(rb, t->dtree);
}

static int
attrs_read(struct rbuf *rb, struct scamper_trace *t)
{
	uint16_t hdr;

	for (;;) {
		size_t len, end, savelen = rb->len;
		int rc = 0;

		if (rb_u16(rb, &hdr) != 0)
			return -1;
		if (hdr == 0)
			return 0;
		len = hdr & 0x0fff;
		if ((end = rb->off + len) > rb->len)
			return rb_fail(rb, "trace attribute overruns the record");
		rb->len = end;
		switch (hdr >> 12) {
		case ATTR_PMTUD:	rc = pmtud_read(rb, t); break;
		case ATTR_LASTDITCH:	rc = lastditch_read(rb, t); break;
		case ATTR_DTREE:	rc = dtree_read(rb, t); break;
		}
		rb->len = savelen;
		if (rc != 0)
			return -1;
		rb->off = end;	/* unknown types and trailing bytes skipped */
	}
}

static int
attr_write(struct wbuf *wb, int type, const void *obj, uint16_t psize)
{
	size_t hdr = wb->len, len;

	wb_u16(wb, 0);
	switch (type) {
	case ATTR_PMTUD:
		if (pmtud_write(wb, obj, psize) != 0)
			return -1;
		break;
	case ATTR_LASTDITCH:
		wb_u8(wb, 0);
		if (hops_write_sorted(wb, obj, psize) != 0)
			return -1;
		break;
	case ATTR_DTREE:
		dtree_wr(wb, obj);
		break;
	}
	len = wb->len - hdr - 2;
	if (len > 0x0fff)
		return -1;
	wb_put16(wb, hdr, (uint16_t)(type << 12 | len));
	return 0;
}

/* ---- the record ----------------------------------------------------- */

static int
trace_rd(struct wrec_rd *r, struct scamper_trace *t)
{
	uint16_t hopc;

	if (!scamper_addr_isset(&t->dst))
		return rb_fail(r->rb, "trace without a destination");
	t->flags = r->f[31].set ? r->x.flags : r->x.flags8;
	if (!r->f[30].set)
		t->squeries = 1;
	if (warts_rd_ids(r, t) != 0 || rb_u16(r->rb, &hopc) != 0 ||
	    hops_read(r->rb, &t->hops, hopc, t->probe_size) != 0 ||
	    attrs_read(r->rb, t) != 0)
		return -1;
	if (!r->f[18].set) {
		for (uint16_t i = 0; i < t->hops.hopc; i++)
			if (t->hops.hops[i].probe_ttl > t->hop_count)
				t->hop_count = t->hops.hops[i].probe_ttl;
	}
	return 0;
}

static int
trace_wr(struct wbuf *wb, const struct scamper_trace *t, struct wrec_tmp *x)
{
	warts_trace_params_wr(wb, t, x);
	if (hops_write_sorted(wb, &t->hops, t->probe_size) != 0)
		return -1;
	if (t->pmtud != NULL &&
	    attr_write(wb, ATTR_PMTUD, t->pmtud, t->probe_size) != 0)
		return -1;
	if (t->lastditch != NULL &&
	    attr_write(wb, ATTR_LASTDITCH, t->lastditch, t->probe_size) != 0)
		return -1;
	if (t->dtree != NULL &&
	    attr_write(wb, ATTR_DTREE, t->dtree, t->probe_size) != 0)
		return -1;
	wb_u16(wb, 0);
	return 0;
}

WARTS_REC(trace, SCAMPER_FILE_OBJ_TRACE, TR_NF);
