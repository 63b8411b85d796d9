/*
 * warts_sniff.c: the sniff record (type 13), encoder and decoder.
 *
 * Layout: parameters, then pktc packet records (warts-format.md 8.6),
 * those of warts_pkt.h without the u8.
 */
#include <stdlib.h>
#include <string.h>

#include "scamper_file.h"
#include "scamper_sniff.h"
#include "warts_int.h"
#include "warts_pkt.h"

#define SN_NF	11

static const struct warts_pkt_layout pkt_layout =
    WARTS_PKT_LAYOUT_NOU8(struct scamper_sniff_pkt);

static void
sniff_fields(struct wfield *f, struct scamper_sniff *s, struct wrec_tmp *x)
{
	struct wfield fl[SN_NF] = {
		WFIELD_IDS_USERID(x, s),
		WFIELD(WF_ADDR, &s->src, scamper_addr_isset(&s->src)),
		WFIELD(WF_TV, &s->start, 1),
		WFIELD(WF_TV, &s->finish, 1),
		WFIELD(WF_U8, &s->stop_reason, 1),
		WFIELD(WF_U32, &s->limit_pktc, 1),
		WFIELD(WF_U16, &s->limit_time, 1),
		WFIELD(WF_U32, &s->pktc, 1),
		WFIELD(WF_U16, &s->icmpid, 1),
	};

	memcpy(f, fl, sizeof(fl));
}

static int
sniff_rd(struct wrec_rd *r, struct scamper_sniff *s)
{
	if (rb_need_addr(r->rb, &s->src, "sniff") != 0)
		return -1;
	return warts_rd_ids_pkts(r, s, &pkt_layout, &s->pkts, &s->pktc);
}

static int
sniff_wr(struct wbuf *wb, const struct scamper_sniff *s0, struct wrec_tmp *x)
{
	struct scamper_sniff s = *s0;

	warts_wr_params_pkts(wb, &warts_sniff_rec, &s, x, &pkt_layout, s.pkts,
	    &s.pktc);
	return 0;
}

WARTS_REC(sniff, SCAMPER_FILE_OBJ_SNIFF, SN_NF);
