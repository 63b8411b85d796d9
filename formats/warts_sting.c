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

struct sttmp {
	uint32_t	 listid, cycleid;
};

static void
sting_fields(struct wfield *f, struct scamper_sting *s, struct sttmp *x)
{
	struct wfield fl[ST_NF] = {
		WFIELD(WF_U32, &x->listid, x->listid != 0),
		WFIELD(WF_U32, &x->cycleid, x->cycleid != 0),
		WFIELD(WF_U32, &s->userid, s->userid != 0),
		WFIELD(WF_ADDR, &s->src, scamper_addr_isset(&s->src)),
		WFIELD(WF_ADDR, &s->dst, scamper_addr_isset(&s->dst)),
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

int
warts_sting_read(struct scamper_file *file, struct rbuf *rb,
    struct scamper_sting **out)
{
	struct scamper_sting *s;
	struct wfield f[ST_NF];
	struct sttmp x;
	uint32_t pktc;

	if ((s = scamper_sting_alloc()) == NULL)
		return rb_fail(rb, "out of memory");
	memset(&x, 0, sizeof(x));
	sting_fields(f, s, &x);
	if (warts_params_read(rb, f, ST_NF) != 0)
		goto err;
	if (f[14].set && !f[15].set)
		s->datalen = 0;
	pktc = s->pktc;
	s->pktc = 0;
	if (warts_rd_list(file, rb, x.listid, &s->list) != 0 ||
	    warts_rd_cycle(file, rb, x.cycleid, &s->cycle) != 0 ||
	    warts_pkts_read(rb, pktc, &pkt_layout, &s->pkts,
	    &s->pktc) != 0)
		goto err;
	*out = s;
	return 0;
err:
	scamper_sting_free(s);
	return -1;
}

int
warts_sting_write(struct wbuf *wb, const struct scamper_sting *st,
    uint32_t listid, uint32_t cycleid)
{
	struct scamper_sting s = *st;
	struct wfield f[ST_NF];
	struct sttmp x;

	x.listid = listid;
	x.cycleid = cycleid;
	if (s.data == NULL)
		s.datalen = 0;
	if (s.pkts == NULL)
		s.pktc = 0;
	sting_fields(f, &s, &x);
	warts_params_write(wb, f, ST_NF);
	warts_pkts_write(wb, s.pkts, s.pktc, &pkt_layout);
	return 0;
}
