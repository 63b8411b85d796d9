/*
 * warts_ping.c: the ping record (type 7), encoder and decoder.
 *
 * Layout: parameters, u16 reply count, reply records in probe order.
 * warts-format.md section 7, including the 20211212 IP-ID quirk that the
 * set conditions of reply flags 8, 9 and 15 reproduce.
 */
#include <stdlib.h>
#include <string.h>

#include "scamper_file.h"
#include "scamper_ping.h"
#include "warts_int.h"

/* ---- reply timestamps ------------------------------------------------ */

static int
ts_rd(struct rbuf *rb, struct wfield *f)
{
	struct scamper_ping_reply *r = f->ctx;
	uint8_t tsc, addrc;

	if (rb_u8(rb, &tsc) != 0 || rb_u8(rb, &addrc) != 0)
		return -1;
	if (addrc != 0 && addrc != tsc)
		return rb_fail(rb, "%u timestamps with %u addresses", tsc,
		    addrc);
	if ((r->tsv = calloc(tsc > 0 ? tsc : 1, sizeof(uint32_t))) == NULL)
		return rb_fail(rb, "out of memory");
	r->tsc = tsc;
	for (uint8_t i = 0; i < tsc; i++)
		if (rb_u32(rb, &r->tsv[i]) != 0)
			return -1;
	if (addrc == 0)
		return 0;
	if ((r->tsaddr = calloc(addrc, sizeof(*r->tsaddr))) == NULL)
		return rb_fail(rb, "out of memory");
	r->tsaddrc = addrc;
	return rb_addrn(rb, r->tsaddr, addrc);
}

static void
ts_wr(struct wbuf *wb, const struct wfield *f)
{
	const struct scamper_ping_reply *r = f->ctx;

	wb_u8(wb, r->tsc);
	wb_u8(wb, r->tsaddr != NULL ? r->tsaddrc : 0);
	for (uint8_t i = 0; i < r->tsc; i++)
		wb_u32(wb, r->tsv[i]);
	wb_addrn(wb, r->tsaddr, r->tsaddrc);
}

static int
tsreply_rd(struct rbuf *rb, struct wfield *f)
{
	struct scamper_ping_reply *r = f->ctx;

	if (rb_u32(rb, &r->tso) != 0 || rb_u32(rb, &r->tsr) != 0 ||
	    rb_u32(rb, &r->tst) != 0)
		return -1;
	r->has_tsreply = 1;
	return 0;
}

static void
tsreply_wr(struct wbuf *wb, const struct wfield *f)
{
	const struct scamper_ping_reply *r = f->ctx;

	wb_u32(wb, r->tso);
	wb_u32(wb, r->tsr);
	wb_u32(wb, r->tst);
}

/* ---- replies ---------------------------------------------------------- */

#define RP_NF	17

static int
method_is_icmp(uint8_t m)
{
	return m == SCAMPER_PING_METHOD_ICMP_ECHO ||
	    m == SCAMPER_PING_METHOD_ICMP_TIME;
}

static void
reply_fields(struct wfield *f, const struct scamper_ping *p,
    struct scamper_ping_reply *r)
{
	int v6 = p->dst.type == SCAMPER_ADDR_IPV6;
	int rid = (r->flags & SCAMPER_PING_REPLY_FLAG_REPLY_IPID) != 0;
	int pid = (r->flags & SCAMPER_PING_REPLY_FLAG_PROBE_IPID) != 0;
	struct wfield fl[RP_NF] = {
		WFIELD(WF_GID, &r->addr, 0),
		WFIELD(WF_U8, &r->flags, r->flags != 0),
		WFIELD(WF_U8, &r->reply_ttl,
		    r->flags & SCAMPER_PING_REPLY_FLAG_REPLY_TTL),
		WFIELD(WF_U16, &r->reply_size, 1),
		WFIELD_TC(&r->icmp_type, &r->icmp_code,
		    scamper_ping_reply_is_icmp(p, r)),
		WFIELD(WF_U32, &r->rtt, 1),
		WFIELD(WF_U16, &r->probe_id, 1),
		WFIELD(WF_U16, &r->reply_ipid, v6 || rid),
		WFIELD(WF_U16, &r->probe_ipid, v6 || pid),
		WFIELD(WF_U8, &r->reply_proto, !method_is_icmp(p->probe_method)),
		WFIELD(WF_U8, &r->tcp_flags, r->reply_proto == 6),
		WFIELD(WF_ADDR, &r->addr, 1),
		WFIELD_ADDRS(&r->v4rr, &r->v4rrc, r->v4rr != NULL),
		WFIELD(WF_CB, NULL, r->tsv != NULL),
		WFIELD(WF_U32, &r->reply_ipid32, !v6 || rid),
		WFIELD(WF_TV, &r->tx, r->tx.tv_sec != 0),
		WFIELD(WF_CB, NULL, r->has_tsreply),
	};

	wfield_cb(&fl[13], r, ts_rd, ts_wr);
	wfield_cb(&fl[16], r, tsreply_rd, tsreply_wr);
	memcpy(f, fl, sizeof(fl));
}

static int
reply_read(struct rbuf *rb, const struct scamper_ping *p,
    struct scamper_ping_reply *r)
{
	struct wfield f[RP_NF];

	reply_fields(f, p, r);
	if (warts_params_read(rb, f, RP_NF) != 0 ||
	    rb_need_addr(rb, &r->addr, "ping reply") != 0)
		return -1;
	if (!f[9].set)
		r->reply_proto = p->dst.type == SCAMPER_ADDR_IPV6 ? 58 : 1;
	return 0;
}

static void
reply_write(struct wbuf *wb, const struct scamper_ping *p,
    const struct scamper_ping_reply *reply)
{
	struct scamper_ping_reply r = *reply;
	struct wfield f[RP_NF];

	reply_fields(f, p, &r);
	warts_params_write(wb, f, RP_NF);
}

/* ---- parameters ----------------------------------------------------- */

#define PG_NF	32

static void
ping_fields(struct wfield *f, struct scamper_ping *p, struct wrec_tmp *x)
{
	struct wfield fl[PG_NF] = {
		WFIELD_IDS_GIDS_STOP(x, 0, p),
		WFIELD(WF_U16, &p->probe_datalen, p->probe_datalen != 0),
		WFIELD(WF_BYTES, &p->probe_data, p->probe_datalen != 0),
		WFIELD(WF_U16, &p->probe_count, 1),
		WFIELD(WF_U16, &p->probe_size, 1),
		WFIELD(WF_U8, &p->probe_wait, 1),
		WFIELD(WF_U8, &p->probe_ttl, 1),
		WFIELD(WF_U16, &p->reply_count, 1),
		WFIELD(WF_U16, &p->ping_sent, 1),
		WFIELD(WF_U8, &p->probe_method, p->probe_method != 0),
		WFIELD(WF_U16, &p->probe_sport, p->probe_sport != 0),
		WFIELD(WF_U16, &p->probe_dport, p->probe_dport != 0),
		WFIELD(WF_U32, &p->userid, p->userid != 0),
		WFIELD(WF_ADDR, &p->src, scamper_addr_isset(&p->src)),
		WFIELD(WF_ADDR, &p->dst, scamper_addr_isset(&p->dst)),
		WFIELD(WF_U8, &x->flags8, (x->flags & 0xff) != 0),
		WFIELD(WF_U8, &p->probe_tos, p->probe_tos != 0),
		WFIELD_ADDRS(&p->tsps, &p->tspsc, p->tsps != NULL),
		WFIELD(WF_U16, &p->probe_icmpsum, p->probe_icmpsum != 0 &&
		    (x->flags & SCAMPER_PING_FLAG_ICMPSUM)),
		WFIELD(WF_U16, &p->reply_pmtu, p->reply_pmtu != 0),
		WFIELD(WF_U8, &p->probe_timeout,
		    p->probe_timeout != p->probe_wait),
		WFIELD(WF_U32, &p->probe_wait_us, p->probe_wait_us != 0),
		WFIELD(WF_U32, &p->probe_tcpack, p->probe_tcpack != 0),
		WFIELD(WF_U32, &x->flags, (x->flags & ~0xffU) != 0),
		WFIELD(WF_U32, &p->probe_tcpseq, p->probe_tcpseq != 0),
		WFIELD(WF_SADDR, &p->rtr, scamper_addr_isset(&p->rtr)),
	};

	fl[8].lenp = &p->probe_datalen;
	memcpy(f, fl, sizeof(fl));
}

static int
ping_rd(struct wrec_rd *r, struct scamper_ping *p)
{
	uint16_t n;

	if (r->f[7].set && !r->f[8].set)
		p->probe_datalen = 0;	/* length without data: ignore */
	if (!scamper_addr_isset(&p->dst))
		return rb_fail(r->rb, "ping without a destination");
	p->flags = r->f[29].set ? r->x.flags : r->x.flags8;
	if (!r->f[26].set)
		p->probe_timeout = p->probe_wait;
	if (warts_rd_ids(r, p) != 0 || rb_u16(r->rb, &n) != 0)
		return -1;
	for (uint16_t i = 0; i < n; i++) {
		struct scamper_ping_reply *rp = scamper_ping_reply_add(p);

		if (rp == NULL)
			return rb_fail(r->rb, "out of memory");
		if (reply_read(r->rb, p, rp) != 0)
			return -1;
	}
	return 0;
}

static int
ping_wr(struct wbuf *wb, const struct scamper_ping *p0, struct wrec_tmp *x)
{
	struct scamper_ping p = *p0;

	x->flags = p.flags;
	x->flags8 = (uint8_t)p.flags;
	if (p.probe_data == NULL)
		p.probe_datalen = 0;
	warts_rec_params(wb, &warts_ping_rec, &p, x);
	wb_u16(wb, p.replyc);
	for (uint16_t i = 0; i < p.replyc; i++)
		reply_write(wb, &p, &p.replies[i]);
	return 0;
}

WARTS_REC(ping, SCAMPER_FILE_OBJ_PING, PG_NF);
