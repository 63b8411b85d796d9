/*
 * warts_sting.c: the sting record (type 12), encoder and decoder.
 *
 * Layout: parameters, then pktc packet records (warts-format.md 8.5).
 * The request data (flag 16) is kept as opaque bytes: 20211212 writes
 * memory garbage there (11.5), which a round trip must preserve.
 */
#include <stdlib.h>
#include <string.h>

#include "scamper_file.h"
#include "scamper_sting.h"
#include "warts_int.h"
#include "warts_pkt.h"

#define ST_NF	22

static const struct warts_pkt_layout pkt_layout =
    WARTS_PKT_LAYOUT(struct scamper_sting_pkt, flags);

static void
sting_fields(struct wfield *f, struct scamper_sting *s, struct wrec_tmp *x)
{
	struct wfield fl[ST_NF] = {
		WFIELD_IDS_SRC_DST(x, s),
		WFIELD(WF_U16, &s->sport, 1),
		WFIELD(WF_U16, &s->dport, 1),
		WFIELD(WF_U16, &s->count, 1),
		WFIELD(WF_U16, &s->mean, 1),
		WFIELD(WF_U16, &s->inter, 1),
		WFIELD(WF_U8, &s->dist, 1),
		WFIELD(WF_U8, &s->synretx, 1),
		WFIELD(WF_U8, &s->dataretx, 1),
		WFIELD(WF_U8, &s->seqskip, 1),
		WFIELD(WF_U16, &s->datalen, 1),
		WFIELD(WF_BYTES, &s->data, s->datalen != 0),
		WFIELD(WF_TV, &s->start, 1),
		WFIELD(WF_TV, &s->hsrtt, 1),
		WFIELD(WF_U16, &s->dataackc, 1),
		WFIELD(WF_U16, &s->holec, 1),
		WFIELD(WF_U32, &s->pktc, 1),
		WFIELD(WF_U8, &s->result, s->result != 0),
	};

	fl[15].lenp = &s->datalen;
	memcpy(f, fl, sizeof(fl));
}

static int
sting_rd(struct wrec_rd *r, struct scamper_sting *s)
{
	if (r->f[14].set && !r->f[15].set)
		s->datalen = 0;
	return warts_rd_ids_pkts(r, s, &pkt_layout, &s->pkts, &s->pktc);
}

static int
sting_wr(struct wbuf *wb, const struct scamper_sting *s0, struct wrec_tmp *x)
{
	struct scamper_sting s = *s0;

	if (s.data == NULL)
		s.datalen = 0;
	warts_wr_params_pkts(wb, &warts_sting_rec, &s, x, &pkt_layout, s.pkts,
	    &s.pktc);
	return 0;
}

WARTS_REC(sting, SCAMPER_FILE_OBJ_STING, ST_NF);
