/*
 * warts_neighbourdisc.c: the neighbour discovery record (type 10),
 * encoder and decoder.
 *
 * Layout: parameters, then probec probe records each followed by its
 * replies (warts-format.md 8.3).  scamper 20211212 declares 4 bytes for
 * the probe's u16 reply count, so such a probe's param_len is 12 for 10
 * bytes and the record ends with 2 zero bytes per such probe.  The reader
 * recognises that form (flags 1 and 2, param_len 12) and the writer
 * repeats it for objects read that way (pad_bug), so the record round
 * trips; new objects are written correctly.
 */
#include <stdlib.h>
#include <string.h>

#include "scamper_file.h"
#include "scamper_neighbourdisc.h"
#include "warts_int.h"

#define ND_NF	15

static void
neighbourdisc_fields(struct wfield *f, struct scamper_neighbourdisc *n,
    struct wrec_tmp *x)
{
	struct wfield fl[ND_NF] = {
		WFIELD_IDS_USERID(x, n),
		WFIELD(WF_STR, &n->ifname, n->ifname != NULL),
		WFIELD(WF_TV, &n->start, 1),
		WFIELD(WF_U8, &n->method, 1),
		WFIELD(WF_U16, &n->wait, 1),
		WFIELD(WF_U8, &n->flags, 1),
		WFIELD(WF_U16, &n->attempts, 1),
		WFIELD(WF_U16, &n->replyc, 1),
		WFIELD(WF_ADDR, &n->src_ip, scamper_addr_isset(&n->src_ip)),
		WFIELD(WF_ADDR, &n->src_mac, scamper_addr_isset(&n->src_mac)),
		WFIELD(WF_ADDR, &n->dst_ip, scamper_addr_isset(&n->dst_ip)),
		WFIELD(WF_ADDR, &n->dst_mac, scamper_addr_isset(&n->dst_mac)),
		WFIELD(WF_U16, &n->probec, n->probec != 0),
	};

	memcpy(f, fl, sizeof(fl));
}

/* The probe block; 1 if it had the 20211212 length bug. */
static int
probe_read(struct rbuf *rb, struct scamper_neighbourdisc_probe *p)
{
	struct wfield f[2] = {
		WFIELD(WF_TV, &p->tx, 0),
		WFIELD(WF_U16, &p->rxc, 0),
	};
	const uint8_t *b = rb->buf + rb->off;

	if (rb->len - rb->off >= 13 && b[0] == 0x03 && b[1] == 0 &&
	    b[2] == 12) {
		rb->off += 3;
		return rb_tv(rb, &p->tx) != 0 || rb_u16(rb, &p->rxc) != 0 ?
		    -1 : 1;
	}
	return warts_params_read(rb, f, 2);
}

static int
probes_read(struct rbuf *rb, struct scamper_neighbourdisc *n, uint16_t c)
{
	size_t pad = 0;
	int rc;

	if ((n->probes = rb_calloc(rb, c, sizeof(*n->probes), 1)) == NULL)
		return -1;
	n->probec = c;
	for (uint16_t i = 0; i < c; i++) {
		struct scamper_neighbourdisc_probe *p = &n->probes[i];

		if ((rc = probe_read(rb, p)) < 0)
			return -1;
		pad += (size_t)rc * 2;
		if ((p->rxs = rb_calloc(rb, p->rxc, sizeof(*p->rxs), 1)) ==
		    NULL)
			return -1;
		for (uint16_t j = 0; j < p->rxc; j++) {
			struct wfield rf[2] = {
				WFIELD(WF_TV, &p->rxs[j].rx, 0),
				WFIELD(WF_ADDR, &p->rxs[j].mac, 0),
			};

			if (warts_params_read(rb, rf, 2) != 0)
				return -1;
			if (!rf[1].set)
				return rb_fail(rb, "neighbourdisc reply without "
				    "an address");
		}
	}
	if (pad > 0) {
		if (rb->len - rb->off < pad)
			return rb_fail(rb, "neighbourdisc padding missing");
		rb->off += pad;
		n->pad_bug = 1;
	}
	return 0;
}

static int
neighbourdisc_rd(struct wrec_rd *r, struct scamper_neighbourdisc *n)
{
	uint16_t probec = n->probec;

	n->probec = 0;
	if (warts_rd_ids(r, n) != 0)
		return -1;
	return probes_read(r->rb, n, probec);
}

static int
neighbourdisc_wr(struct wbuf *wb, const struct scamper_neighbourdisc *n0,
    struct wrec_tmp *x)
{
	struct scamper_neighbourdisc n = *n0;
	size_t pad = 0;

	if (n.probes == NULL)
		n.probec = 0;
	warts_rec_params(wb, &warts_neighbourdisc_rec, &n, x);
	for (uint16_t i = 0; i < n.probec; i++) {
		struct scamper_neighbourdisc_probe p = n.probes[i];
		struct wfield pf[2] = {
			WFIELD(WF_TV, &p.tx, 1),
			WFIELD(WF_U16, &p.rxc, p.rxc != 0),
		};

		if (p.rxs == NULL)
			p.rxc = pf[1].set = 0;
		if (n.pad_bug && p.rxc != 0) {
			wb_u8(wb, 0x03);
			wb_u16(wb, 12);
			wb_tv(wb, &p.tx);
			wb_u16(wb, p.rxc);
			pad += 2;
		} else
			warts_params_write(wb, pf, 2);
		for (uint16_t j = 0; j < p.rxc; j++) {
			struct scamper_neighbourdisc_reply r = p.rxs[j];
			struct wfield rf[2] = {
				WFIELD(WF_TV, &r.rx, 1),
				WFIELD(WF_ADDR, &r.mac, 1),
			};

			warts_params_write(wb, rf, 2);
		}
	}
	for (size_t i = 0; i < pad; i++)
		wb_u8(wb, 0);
	return 0;
}

WARTS_REC(neighbourdisc, SCAMPER_FILE_OBJ_NEIGHBOURDISC, ND_NF);
