/*
 * warts_sniff.c: the sniff record (type 13), encoder and decoder.
 *
 * Layout: parameters, then pktc packet records (warts-format.md 8.6).
 */
#include <stdlib.h>
#include <string.h>

#include "scamper_file.h"
#include "scamper_sniff.h"
#include "warts_int.h"

#define SN_NF	11
#define PK_NF	3

struct sntmp {
	uint32_t	 listid, cycleid;
};

static void
sniff_fields(struct wfield *f, struct scamper_sniff *s, struct sntmp *x)
{
	struct wfield fl[SN_NF] = {
		WFIELD(WF_U32, &x->listid, x->listid != 0),
		WFIELD(WF_U32, &x->cycleid, x->cycleid != 0),
		WFIELD(WF_U32, &s->userid, s->userid != 0),
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

static void
pkt_fields(struct wfield *f, struct scamper_sniff_pkt *p)
{
	struct wfield fl[PK_NF] = {
		WFIELD(WF_TV, &p->tv, 1),
		WFIELD(WF_U16, &p->len, 1),
		WFIELD(WF_BYTES, &p->data, p->len != 0),
	};

	fl[2].lenp = &p->len;
	memcpy(f, fl, sizeof(fl));
}

int
warts_sniff_read(struct scamper_file *file, struct rbuf *rb,
    struct scamper_sniff **out)
{
	struct scamper_sniff *s;
	struct wfield f[SN_NF];
	struct sntmp x;
	uint32_t pktc;

	if ((s = scamper_sniff_alloc()) == NULL)
		return rb_fail(rb, "out of memory");
	memset(&x, 0, sizeof(x));
	sniff_fields(f, s, &x);
	if (warts_params_read(rb, f, SN_NF) != 0)
		goto err;
	if (!scamper_addr_isset(&s->src)) {
		rb_fail(rb, "sniff without an address");
		goto err;
	}
	pktc = s->pktc;
	s->pktc = 0;
	if (warts_rd_list(file, rb, x.listid, &s->list) != 0 ||
	    warts_rd_cycle(file, rb, x.cycleid, &s->cycle) != 0 ||
	    (s->pkts = rb_calloc(rb, pktc, sizeof(*s->pkts), 1)) == NULL)
		goto err;
	s->pktc = pktc;
	for (uint32_t i = 0; i < pktc; i++) {
		struct wfield pf[PK_NF];

		pkt_fields(pf, &s->pkts[i]);
		if (warts_params_read(rb, pf, PK_NF) != 0)
			goto err;
		if (!pf[2].set)
			s->pkts[i].len = 0;
	}
	*out = s;
	return 0;
err:
	scamper_sniff_free(s);
	return -1;
}

int
warts_sniff_write(struct wbuf *wb, const struct scamper_sniff *sn,
    uint32_t listid, uint32_t cycleid)
{
	struct scamper_sniff s = *sn;
	struct wfield f[SN_NF];
	struct sntmp x;

	x.listid = listid;
	x.cycleid = cycleid;
	if (s.pkts == NULL)
		s.pktc = 0;
	sniff_fields(f, &s, &x);
	warts_params_write(wb, f, SN_NF);
	for (uint32_t i = 0; i < s.pktc; i++) {
		struct scamper_sniff_pkt p = s.pkts[i];
		struct wfield pf[PK_NF];

		if (p.data == NULL)
			p.len = 0;
		pkt_fields(pf, &p);
		warts_params_write(wb, pf, PK_NF);
	}
	return 0;
}
