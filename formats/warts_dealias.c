/*
 * warts_dealias.c: the alias-resolution record (type 9), encoder and
 * decoder.
 *
 * Layout: parameters, the method's block (flags+params, then its probe
 * definitions), then probec probe records each followed by its replies.
 * warts-format.md section 8.2; the "W" rules there are the set conditions
 * below.  A record with a method this library does not know is left to
 * the caller as a raw record (warts_dealias_read returns 1).
 */
#include <stdlib.h>
#include <string.h>

#include "scamper_dealias.h"
#include "scamper_file.h"
#include "warts_int.h"

/* ---- probe definitions ------------------------------------------------ */

#define PD_NF	14

/* Flag 7 is a u32 at W: the ports, or (the historic form) the ICMP
 * checksum. */
static void
probedef_fields(struct wfield *f, struct scamper_dealias_probedef *d,
    uint32_t *w)
{
	int tcp = scamper_dealias_probedef_is_tcp(d->method);
	int udp = scamper_dealias_probedef_is_udp(d->method);
	int icmp = scamper_dealias_probedef_is_icmp(d->method);
	struct wfield fl[PD_NF] = {
		WFIELD(WF_GID, &d->dst, 0),
		WFIELD(WF_GID, &d->src, 0),
		WFIELD(WF_U32, &d->id, d->id != 0),
		WFIELD(WF_U8, &d->method, 1),
		WFIELD(WF_U8, &d->ttl, 1),
		WFIELD(WF_U8, &d->tos, d->tos != 0),
		WFIELD(WF_U32, w, tcp || udp),
		WFIELD(WF_U8, &d->tcp_flags, tcp),
		WFIELD(WF_U16, &d->icmp_id, icmp),
		WFIELD(WF_ADDR, &d->dst, 1),
		WFIELD(WF_ADDR, &d->src, 1),
		WFIELD(WF_U16, &d->size, d->size != 0),
		WFIELD(WF_U16, &d->mtu, d->mtu != 0),
		WFIELD(WF_U16, &d->icmp_csum, icmp && d->icmp_csum != 0),
	};

	memcpy(f, fl, sizeof(fl));
}

static int
probedef_read(struct rbuf *rb, struct scamper_dealias_probedef *d)
{
	struct wfield f[PD_NF];
	uint32_t w;

	probedef_fields(f, d, &w);
	if (warts_params_read(rb, f, PD_NF) != 0)
		return -1;
	if (!scamper_addr_isset(&d->dst) || !scamper_addr_isset(&d->src))
		return rb_fail(rb, "probe definition without addresses");
	if (f[6].set) {
		if (scamper_dealias_probedef_is_icmp(d->method))
			d->icmp_csum = (uint16_t)w;	/* historic form */
		else {
			d->sport = (uint16_t)(w >> 16);
			d->dport = (uint16_t)w;
		}
	}
	return 0;
}

static void
probedef_write(struct wbuf *wb, const struct scamper_dealias_probedef *def)
{
	struct scamper_dealias_probedef d = *def;
	struct wfield f[PD_NF];
	uint32_t w = (uint32_t)d.sport << 16 | d.dport;

	probedef_fields(f, &d, &w);
	warts_params_write(wb, f, PD_NF);
}

static int
probedefs_read(struct rbuf *rb, struct scamper_dealias *d, uint32_t n)
{
	if ((d->defs = rb_calloc(rb, n, sizeof(*d->defs), 1)) == NULL)
		return -1;
	d->defc = n;
	for (uint32_t i = 0; i < n; i++)
		if (probedef_read(rb, &d->defs[i]) != 0)
			return -1;
	return 0;
}

/* ---- method blocks ---------------------------------------------------- */

static int
xs_rd(struct rbuf *rb, struct wfield *f)
{
	struct scamper_dealias_prefixscan *ps = f->ctx;
	size_t left;
	uint16_t be, le;

	if (rb_u16(rb, &be) != 0)
		return -1;
	le = (uint16_t)(be >> 8 | be << 8);
	/* an address takes at least 5 bytes: a count too large for what is
	   left is the little-endian count of the 20211212 writer */
	left = rb->len - rb->off;
	ps->xsc = be;
	if ((size_t)be * 5 > left && (size_t)le * 5 <= left) {
		ps->xsc = le;
		ps->xs_le = 1;
	}
	if ((ps->xs = rb_calloc(rb, ps->xsc, sizeof(*ps->xs), 5)) == NULL)
		return -1;
	return rb_addrn(rb, ps->xs, ps->xsc);
}

static void
xs_wr(struct wbuf *wb, const struct wfield *f)
{
	const struct scamper_dealias_prefixscan *ps = f->ctx;

	wb_u16(wb, ps->xs_le ? (uint16_t)(ps->xsc >> 8 | ps->xsc << 8) :
	    ps->xsc);
	wb_addrn(wb, ps->xs, ps->xsc);
}

#define BLK_NF	12

/* The fields of D's method block, and how many definitions follow it
 * (FIXED, or 0 when *C16 or *C32 gives the number). */
static int
block_fields(struct wfield *f, struct scamper_dealias *d, uint16_t *c16,
    uint32_t *c32, uint32_t *fixed)
{
	struct scamper_dealias_prefixscan *ps = &d->u.prefixscan;
	struct scamper_dealias_radargun *rg = &d->u.radargun;
	struct scamper_dealias_ally *al = &d->u.ally;

	memset(f, 0, sizeof(*f) * BLK_NF);
	*fixed = 0;
	switch (d->method) {
	case SCAMPER_DEALIAS_METHOD_MERCATOR: {
		struct wfield fl[] = {
			WFIELD(WF_U8, &d->u.mercator.attempts, 1),
			WFIELD(WF_U8, &d->u.mercator.wait_timeout, 1),
		};
		*fixed = 1;
		return wfields_copy(f, fl, sizeof(fl));
	}
	case SCAMPER_DEALIAS_METHOD_ALLY: {
		struct wfield fl[] = {
			WFIELD(WF_U16, &al->wait_probe, 1),
			WFIELD(WF_U8, &al->wait_timeout, 1),
			WFIELD(WF_U8, &al->attempts, 1),
			WFIELD(WF_U16, &al->fudge, al->fudge != 0),
			WFIELD(WF_U8, &al->flags, al->flags != 0),
		};
		*fixed = 2;
		return wfields_copy(f, fl, sizeof(fl));
	}
	case SCAMPER_DEALIAS_METHOD_RADARGUN: {
		struct wfield fl[] = {
			WFIELD(WF_U32, c32, 1),
			WFIELD(WF_U16, &rg->attempts, 1),
			WFIELD(WF_U16, &rg->wait_probe, 1),
			WFIELD(WF_U32, &rg->wait_round, 1),
			WFIELD(WF_U8, &rg->wait_timeout, 1),
			WFIELD(WF_U8, &rg->flags, rg->flags != 0),
		};
		return wfields_copy(f, fl, sizeof(fl));
	}
	case SCAMPER_DEALIAS_METHOD_PREFIXSCAN: {
		struct wfield fl[BLK_NF] = {
			WFIELD(WF_ADDR, &ps->a, scamper_addr_isset(&ps->a)),
			WFIELD(WF_ADDR, &ps->b, scamper_addr_isset(&ps->b)),
			WFIELD(WF_ADDR, &ps->ab, scamper_addr_isset(&ps->ab)),
			WFIELD(WF_CB, NULL, ps->xs != NULL && ps->xsc > 0),
			WFIELD(WF_U8, &ps->prefix, 1),
			WFIELD(WF_U8, &ps->attempts, 1),
			WFIELD(WF_U16, &ps->fudge, 1),
			WFIELD(WF_U16, &ps->wait_probe, 1),
			WFIELD(WF_U8, &ps->wait_timeout, 1),
			WFIELD(WF_U16, c16, *c16 != 0),
			WFIELD(WF_U8, &ps->flags, ps->flags != 0),
			WFIELD(WF_U8, &ps->replyc, ps->replyc != 5),
		};
		wfield_cb(&fl[3], ps, xs_rd, xs_wr);
		return wfields_copy(f, fl, sizeof(fl));
	}
	case SCAMPER_DEALIAS_METHOD_BUMP: {
		struct wfield fl[] = {
			WFIELD(WF_U16, &d->u.bump.wait_probe, 1),
			WFIELD(WF_U16, &d->u.bump.bump_limit, 1),
			WFIELD(WF_U8, &d->u.bump.attempts, 1),
		};
		*fixed = 2;
		return wfields_copy(f, fl, sizeof(fl));
	}
	}
	return -1;
}

static int
block_read(struct rbuf *rb, struct scamper_dealias *d)
{
	struct wfield f[BLK_NF];
	uint16_t c16 = 0;
	uint32_t c32 = 0, fixed, n;
	int nf = block_fields(f, d, &c16, &c32, &fixed);

	if (warts_params_read(rb, f, nf) != 0)
		return -1;
	if (d->method == SCAMPER_DEALIAS_METHOD_PREFIXSCAN) {
		if (!f[0].set || !f[1].set)
			return rb_fail(rb, "prefixscan without addresses");
		if (!f[11].set)
			d->u.prefixscan.replyc = 5;
	}
	if (d->method == SCAMPER_DEALIAS_METHOD_RADARGUN && c32 == 0)
		return rb_fail(rb, "radargun without probe definitions");
	n = fixed != 0 ? fixed : c32 + c16;
	return probedefs_read(rb, d, n);
}

static int
block_write(struct wbuf *wb, const struct scamper_dealias *dl)
{
	struct scamper_dealias d = *dl;
	struct wfield f[BLK_NF];
	uint16_t c16 = (uint16_t)d.defc;
	uint32_t c32 = d.defc, fixed;
	int nf = block_fields(f, &d, &c16, &c32, &fixed);

	if (nf < 0 || (fixed != 0 && d.defc != fixed) ||
	    (d.method == SCAMPER_DEALIAS_METHOD_PREFIXSCAN && d.defc > 0xffff))
		return -1;
	warts_params_write(wb, f, nf);
	for (uint32_t i = 0; i < d.defc; i++)
		probedef_write(wb, &d.defs[i]);
	return 0;
}

/* ---- probes and replies ---------------------------------------------- */

#define RX_NF	12

static void
reply_fields(struct wfield *f, struct scamper_dealias_reply *r)
{
	int icmp = scamper_dealias_reply_is_icmp(r);
	int v4 = r->src.type == SCAMPER_ADDR_IPV4;
	struct wfield fl[RX_NF] = {
		WFIELD(WF_GID, &r->src, 0),
		WFIELD(WF_TV, &r->rx, 1),
		WFIELD(WF_U16, &r->ipid, v4 && r->ipid != 0),
		WFIELD(WF_U8, &r->ttl, 1),
		WFIELD_TC(&r->icmp_type, &r->icmp_code, icmp),
		WFIELD(WF_U8, &r->icmp_q_ttl, icmp),
		WFIELD_ICMPEXT(&r->icmpext, &r->icmpext_len,
		    icmp && r->icmpext != NULL),
		WFIELD(WF_U8, &r->proto, !icmp),
		WFIELD(WF_U8, &r->tcp_flags, r->proto == 6),
		WFIELD(WF_ADDR, &r->src, 1),
		WFIELD(WF_U32, &r->ipid32, !v4 && r->ipid32 != 0),
		WFIELD(WF_U8, &r->flags, r->flags != 0),
	};

	memcpy(f, fl, sizeof(fl));
}

static int
reply_read(struct rbuf *rb, struct scamper_dealias_reply *r)
{
	struct wfield f[RX_NF];

	reply_fields(f, r);
	if (warts_params_read(rb, f, RX_NF) != 0 ||
	    rb_need_addr(rb, &r->src, "dealias reply") != 0)
		return -1;
	if (!f[7].set)
		r->proto = r->src.type == SCAMPER_ADDR_IPV6 ? 58 : 1;
	return 0;
}

WARTS_BLOCK(reply, struct scamper_dealias_reply, RX_NF)

#define PB_NF	5

static void
probe_fields(struct wfield *f, struct scamper_dealias_probe *p, int v4)
{
	struct wfield fl[PB_NF] = {
		WFIELD(WF_U32, &p->def, p->def != 0),
		WFIELD(WF_TV, &p->tx, 1),
		WFIELD(WF_U16, &p->replyc, p->replyc != 0),
		WFIELD(WF_U16, &p->ipid, v4),
		WFIELD(WF_U32, &p->seq, p->seq != 0),
	};

	memcpy(f, fl, sizeof(fl));
}

static int
probes_read(struct rbuf *rb, struct scamper_dealias *d, uint32_t n)
{
	if ((d->probes = rb_calloc(rb, n, sizeof(*d->probes), 1)) == NULL)
		return -1;
	d->probec = n;
	for (uint32_t i = 0; i < n; i++) {
		struct scamper_dealias_probe *p = &d->probes[i];
		struct wfield f[PB_NF];

		probe_fields(f, p, 0);
		if (warts_params_read(rb, f, PB_NF) != 0)
			return -1;
		if (p->def >= d->defc)
			return rb_fail(rb, "probe uses definition %u of %u",
			    p->def, d->defc);
		if ((p->replies = rb_calloc(rb, p->replyc, sizeof(*p->replies),
		    1)) == NULL)
			return -1;
		for (uint16_t j = 0; j < p->replyc; j++)
			if (reply_read(rb, &p->replies[j]) != 0)
				return -1;
	}
	return 0;
}

/* ---- the record ------------------------------------------------------- */

#define DL_NF	7

static void
dealias_fields(struct wfield *f, struct scamper_dealias *d, struct wrec_tmp *x)
{
	struct wfield fl[DL_NF] = {
		WFIELD_IDS(x, 1),
		WFIELD(WF_TV, &d->start, 1),
		WFIELD(WF_U8, &d->method, 1),
		WFIELD(WF_U8, &d->result, d->result != 0),
		WFIELD(WF_U32, &d->probec, d->probec != 0),
		WFIELD(WF_U32, &d->userid, d->userid != 0),
	};

	memcpy(f, fl, sizeof(fl));
}

static int
dealias_rd(struct wrec_rd *r, struct scamper_dealias *d)
{
	uint32_t probec = d->probec;

	if (scamper_dealias_method_tostr(d->method) == NULL)
		return 1;		/* unknown method: keep it raw */
	d->probec = 0;
	if (warts_rd_ids(r, d) != 0 || block_read(r->rb, d) != 0 ||
	    probes_read(r->rb, d, probec) != 0)
		return -1;
	return 0;
}

static int
dealias_wr(struct wbuf *wb, const struct scamper_dealias *d0,
    struct wrec_tmp *x)
{
	struct scamper_dealias d = *d0;

	if (d.probes == NULL)
		d.probec = 0;
	if (d.defs == NULL)
		d.defc = 0;
	warts_rec_params(wb, &warts_dealias_rec, &d, x);
	if (block_write(wb, &d) != 0)
		return -1;
	for (uint32_t i = 0; i < d.probec; i++) {
		struct scamper_dealias_probe p = d.probes[i];
		struct wfield pf[PB_NF];

		if (p.def >= d.defc)
			return -1;
		if (p.replies == NULL)
			p.replyc = 0;
		probe_fields(pf, &p,
		    d.defs[p.def].dst.type == SCAMPER_ADDR_IPV4);
		warts_params_write(wb, pf, PB_NF);
		for (uint16_t j = 0; j < p.replyc; j++)
			reply_wr(wb, &p.replies[j]);
	}
	return 0;
}

WARTS_REC(dealias, SCAMPER_FILE_OBJ_DEALIAS, DL_NF);
