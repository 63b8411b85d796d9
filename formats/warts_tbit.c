/*
 * warts_tbit.c: the TCP behaviour inference record (type 11), encoder and
 * decoder.
 *
 * Layout: parameters, pktc packet records, then typed blocks (u16 type,
 * u32 length, bytes: 1 = test-specific data, 2 = application data) ended
 * by u16 0.  warts-format.md section 8.4.  Unknown block types are
 * skipped; bytes after a block's fields are skipped too, and zero bytes
 * there are remembered (pad1/pad2) so a record rewrites identically.
 */
#include <stdlib.h>
#include <string.h>

#include "scamper_file.h"
#include "scamper_tbit.h"
#include "warts_int.h"
#include "warts_pkt.h"
#include "wire.h"

#define TB_NF	21

static const struct warts_pkt_layout pkt_layout =
    WARTS_PKT_LAYOUT(struct scamper_tbit_pkt, dir);

static int
cookie_rd(struct rbuf *rb, struct wfield *f)
{
	struct scamper_tbit *t = f->ctx;

	if (rb_u8(rb, &t->fo_cookielen) != 0)
		return -1;
	if (t->fo_cookielen > sizeof(t->fo_cookie))
		return rb_fail(rb, "fast-open cookie of %u bytes",
		    t->fo_cookielen);
	return rb_bytes(rb, t->fo_cookie, t->fo_cookielen);
}

static void
cookie_wr(struct wbuf *wb, const struct wfield *f)
{
	const struct scamper_tbit *t = f->ctx;

	wb_u8(wb, t->fo_cookielen);
	wb_bytes(wb, t->fo_cookie, t->fo_cookielen);
}

static void
tbit_fields(struct wfield *f, struct scamper_tbit *t, struct wrec_tmp *x)
{
	struct wfield fl[TB_NF] = {
		WFIELD_IDS_SRC_DST(x, t),
		WFIELD(WF_U16, &t->sport, 1),
		WFIELD(WF_U16, &t->dport, 1),
		WFIELD(WF_TV, &t->start, 1),
		WFIELD(WF_U16, &t->result, 1),
		WFIELD(WF_U8, &t->type, 1),
		WFIELD(WF_U8, &t->app_proto, 1),
		WFIELD(WF_U16, &t->client_mss, 1),
		WFIELD(WF_U16, &t->server_mss, 1),
		WFIELD(WF_U8, &t->synretx, 1),
		WFIELD(WF_U8, &t->dataretx, 1),
		WFIELD(WF_U16, &x->pktc16, 0),
		WFIELD(WF_U32, &t->pktc, 1),
		WFIELD(WF_CB, NULL, t->fo_cookielen != 0),
		WFIELD(WF_U8, &t->wscale, t->wscale != 0),
		WFIELD(WF_U32, &t->options, t->options != 0),
		WFIELD(WF_U8, &t->ttl, t->ttl != 255),
	};

	wfield_cb(&fl[17], t, cookie_rd, cookie_wr);
	memcpy(f, fl, sizeof(fl));
}

/* ---- typed blocks ----------------------------------------------------- */

#define BK_NF	4

/* The fields of T's block BLK (1 or 2); the count, or 0 for no block. */
static int
block_fields(struct wfield *f, struct scamper_tbit *t, int blk)
{
	memset(f, 0, sizeof(*f) * BK_NF);
	if (blk == 2) {
		if (t->app_proto == SCAMPER_TBIT_APP_HTTP) {
			struct wfield fl[] = {
				WFIELD(WF_STR, &t->http_host,
				    t->http_host != NULL),
				WFIELD(WF_STR, &t->http_file,
				    t->http_file != NULL),
				WFIELD(WF_U8, &t->http_type, t->http_type != 0),
			};
			return wfields_copy(f, fl, sizeof(fl));
		}
		if (t->app_proto == SCAMPER_TBIT_APP_BGP) {
			f[0] = (struct wfield)WFIELD(WF_U32, &t->bgp_asn,
			    t->bgp_asn != 0);
			return 1;
		}
		return 0;
	}
	switch (t->type) {
	case SCAMPER_TBIT_TYPE_PMTUD: {
		struct wfield fl[] = {
			WFIELD(WF_U16, &t->pmtud_mtu, t->pmtud_mtu != 0),
			WFIELD(WF_U8, &t->pmtud_ptb_retx,
			    t->pmtud_ptb_retx != 0),
			WFIELD(WF_U8, &t->pmtud_options, t->pmtud_options != 0),
			WFIELD(WF_ADDR, &t->pmtud_ptbsrc,
			    scamper_addr_isset(&t->pmtud_ptbsrc)),
		};
		return wfields_copy(f, fl, sizeof(fl));
	}
	case SCAMPER_TBIT_TYPE_NULL: {
		struct wfield fl[] = {
			WFIELD(WF_U16, &t->null_options, t->null_options != 0),
			WFIELD(WF_U16, &t->null_results, t->null_results != 0),
		};
		return wfields_copy(f, fl, sizeof(fl));
	}
	case SCAMPER_TBIT_TYPE_ICW:
		f[0] = (struct wfield)WFIELD(WF_U32, &t->icw_start_seq,
		    t->icw_start_seq != 0);
		return 1;
	case SCAMPER_TBIT_TYPE_BLIND_DATA:
	case SCAMPER_TBIT_TYPE_BLIND_RST:
	case SCAMPER_TBIT_TYPE_BLIND_SYN:
	case SCAMPER_TBIT_TYPE_BLIND_FIN: {
		struct wfield fl[] = {
			WFIELD(WF_U32, &t->blind_off, t->blind_off != 0),
			WFIELD(WF_U8, &t->blind_retx, t->blind_retx != 0),
		};
		return wfields_copy(f, fl, sizeof(fl));
	}
	}
	return 0;
}

static int
blocks_read(struct rbuf *rb, struct scamper_tbit *t)
{
	unsigned seen = 0;

	for (;;) {
		struct wfield f[BK_NF];
		uint16_t type;
		uint32_t len;
		size_t end, savelen = rb->len;
		int nf, rc = 0;

		if (rb_u16(rb, &type) != 0)
			return -1;
		if (type == 0)
			return 0;
		if (rb_u32(rb, &len) != 0)
			return -1;
		if (len > rb->len - rb->off)
			return rb_fail(rb, "tbit block overruns the record");
		end = rb->off + len;
		if (type == 1 || type == 2) {
			/* once each: a second would overwrite the first's
			 * strings (found by fuzz-warts-record: a leak) */
			if (seen & (1u << type))
				return rb_fail(rb, "tbit block %u twice",
				    (unsigned)type);
			seen |= 1u << type;
		}
		if ((type == 1 || type == 2) &&
		    (nf = block_fields(f, t, type)) > 0) {
			rb->len = end;
			rc = warts_params_read(rb, f, nf);
			rb->len = savelen;
			if (rc != 0)
				return -1;
			if (end - rb->off <= 255 && (type == 1 ? t->pad1 :
			    t->pad2) == 0) {
				uint8_t pad = (uint8_t)(end - rb->off);

				for (size_t i = rb->off; i < end; i++)
					if (rb->buf[i] != 0)
						pad = 0;
				if (type == 1)
					t->pad1 = pad;
				else
					t->pad2 = pad;
			}
		}
		rb->off = end;
	}
}

static void
block_write(struct wbuf *wb, struct scamper_tbit *t, int blk)
{
	struct wfield f[BK_NF];
	int nf = block_fields(f, t, blk);
	uint8_t pad = blk == 1 ? t->pad1 : t->pad2;
	size_t at;

	if (nf == 0)
		return;
	wb_u16(wb, (uint16_t)blk);
	at = wb->len;
	wb_u32(wb, 0);
	warts_params_write(wb, f, nf);
	for (uint8_t i = 0; i < pad; i++)
		wb_u8(wb, 0);
	if (!wb->oom)
		wire_set_be32(wb->buf + at, (uint32_t)(wb->len - at - 4));
}

/* ---- the record ------------------------------------------------------- */

static int
tbit_rd(struct wrec_rd *r, struct scamper_tbit *t)
{
	if (!scamper_addr_isset(&t->src) || !scamper_addr_isset(&t->dst))
		return rb_fail(r->rb, "tbit without addresses");
	if (!r->f[16].set)
		t->pktc = r->x.pktc16;
	if (warts_rd_ids_pkts(r, t, &pkt_layout, &t->pkts, &t->pktc) != 0)
		return -1;
	return blocks_read(r->rb, t);
}

static int
tbit_wr(struct wbuf *wb, const struct scamper_tbit *t0, struct wrec_tmp *x)
{
	struct scamper_tbit t = *t0;

	if (t.fo_cookielen > sizeof(t.fo_cookie))
		return -1;
	warts_wr_params_pkts(wb, &warts_tbit_rec, &t, x, &pkt_layout, t.pkts,
	    &t.pktc);
	block_write(wb, &t, 1);
	block_write(wb, &t, 2);
	wb_u16(wb, 0);
	return 0;
}

WARTS_REC(tbit, SCAMPER_FILE_OBJ_TBIT, TB_NF);
