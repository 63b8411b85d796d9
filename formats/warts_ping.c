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

/* ---- address lists: u8 count then addresses -------------------------- */

static int
addrs_rd(struct rbuf *rb, struct scamper_addr **out, uint8_t *count)
{
	uint8_t n;

	if (rb_u8(rb, &n) != 0)
		return -1;
	if ((*out = calloc(n > 0 ? n : 1, sizeof(**out))) == NULL)
		return rb_fail(rb, "out of memory");
	*count = n;
	for (uint8_t i = 0; i < n; i++)
		if (rb_addr(rb, &(*out)[i]) != 0)
			return -1;
	return 0;
}

static void
addrs_wr(struct wbuf *wb, const struct scamper_addr *a, uint8_t n)
{
	wb_u8(wb, n);
	for (uint8_t i = 0; i < n; i++)
		wb_addr(wb, &a[i]);
}

static int
tsps_rd(struct rbuf *rb, struct wfield *f)
{
	struct scamper_ping *p = f->ctx;

	return addrs_rd(rb, &p->tsps, &p->tspsc);
}

static void
tsps_wr(struct wbuf *wb, const struct wfield *f)
{
	const struct scamper_ping *p = f->ctx;

	addrs_wr(wb, p->tsps, p->tspsc);
}

static int
v4rr_rd(struct rbuf *rb, struct wfield *f)
{
	struct scamper_ping_reply *r = f->ctx;

	return addrs_rd(rb, &r->v4rr, &r->v4rrc);
}

static void
v4rr_wr(struct wbuf *wb, const struct wfield *f)
{
	const struct scamper_ping_reply *r = f->ctx;

	addrs_wr(wb, r->v4rr, r->v4rrc);
}

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
	for (uint8_t i = 0; i < addrc; i++)
		if (rb_addr(rb, &r->tsaddr[i]) != 0)
			return -1;
	return 0;
}

static void
ts_wr(struct wbuf *wb, const struct wfield *f)
{
	const struct scamper_ping_reply *r = f->ctx;

	wb_u8(wb, r->tsc);
	wb_u8(wb, r->tsaddr != NULL ? r->tsaddrc : 0);
	for (uint8_t i = 0; i < r->tsc; i++)
		wb_u32(wb, r->tsv[i]);
	for (uint8_t i = 0; r->tsaddr != NULL && i < r->tsaddrc; i++)
		wb_addr(wb, &r->tsaddr[i]);
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
cb(struct wfield *f, void *ctx, wf_rd rd, wf_wr wr)
{
	f->ctx = ctx;
	f->rd_cb = rd;
	f->wr = wr;
}

static void
reply_fields(struct wfield *f, const struct scamper_ping *p,
    struct scamper_ping_reply *r, struct scamper_addr *gid)
{
	int v6 = p->dst.type == SCAMPER_ADDR_IPV6;
	int rid = (r->flags & SCAMPER_PING_REPLY_FLAG_REPLY_IPID) != 0;
	int pid = (r->flags & SCAMPER_PING_REPLY_FLAG_PROBE_IPID) != 0;
	struct wfield fl[RP_NF] = {
		WFIELD(WF_GID, gid, 0),
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
		WFIELD(WF_CB, NULL, r->v4rr != NULL),
		WFIELD(WF_CB, NULL, r->tsv != NULL),
		WFIELD(WF_U32, &r->reply_ipid32, !v6 || rid),
		WFIELD(WF_TV, &r->tx, r->tx.tv_sec != 0),
		WFIELD(WF_CB, NULL, r->has_tsreply),
	};

	cb(&fl[12], r, v4rr_rd, v4rr_wr);
	cb(&fl[13], r, ts_rd, ts_wr);
	cb(&fl[16], r, tsreply_rd, tsreply_wr);
	memcpy(f, fl, sizeof(fl));
}

static int
reply_read(struct rbuf *rb, const struct scamper_ping *p,
    struct scamper_ping_reply *r)
{
	struct wfield f[RP_NF];
	struct scamper_addr gid = { 0 };

	reply_fields(f, p, r, &gid);
	if (warts_params_read(rb, f, RP_NF) != 0)
		return -1;
	if (!f[11].set && f[0].set)
		r->addr = gid;
	if (!scamper_addr_isset(&r->addr))
		return rb_fail(rb, "ping reply without an address");
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
	struct scamper_addr gid = { 0 };

	reply_fields(f, p, &r, &gid);
	warts_params_write(wb, f, RP_NF);
}

/* ---- parameters ----------------------------------------------------- */

#define PG_NF	32

struct pgtmp {
	uint32_t	 listid, cycleid;
	uint8_t		 flags8;
	uint32_t	 flags;
	struct scamper_addr gsrc, gdst;
};

static void
ping_fields(struct wfield *f, struct scamper_ping *p, struct pgtmp *x)
{
	struct wfield fl[PG_NF] = {
		WFIELD(WF_U32, &x->listid, x->listid != 0),
		WFIELD(WF_U32, &x->cycleid, x->cycleid != 0),
		WFIELD(WF_GID, &x->gsrc, 0),
		WFIELD(WF_GID, &x->gdst, 0),
		WFIELD(WF_TV, &p->start, 1),
		WFIELD(WF_U8, &p->stop_reason, 1),
		WFIELD(WF_U8, &p->stop_data, 1),
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
		WFIELD(WF_CB, NULL, p->tsps != NULL),
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
	cb(&fl[23], p, tsps_rd, tsps_wr);
	memcpy(f, fl, sizeof(fl));
}

int
warts_ping_read(struct scamper_file *file, struct rbuf *rb,
    struct scamper_ping **out)
{
	struct scamper_ping *p;
	struct wfield f[PG_NF];
	struct pgtmp x;
	uint16_t n;

	if ((p = scamper_ping_alloc()) == NULL)
		return rb_fail(rb, "out of memory");
	memset(&x, 0, sizeof(x));
	ping_fields(f, p, &x);
	if (warts_params_read(rb, f, PG_NF) != 0)
		goto err;
	if (f[7].set && !f[8].set)
		p->probe_datalen = 0;	/* length without data: ignore */
	if (!f[19].set && f[2].set)
		p->src = x.gsrc;
	if (!f[20].set && f[3].set)
		p->dst = x.gdst;
	if (!scamper_addr_isset(&p->dst)) {
		rb_fail(rb, "ping without a destination");
		goto err;
	}
	p->flags = f[29].set ? x.flags : x.flags8;
	if (!f[26].set)
		p->probe_timeout = p->probe_wait;
	if (warts_rd_list(file, rb, x.listid, &p->list) != 0 ||
	    warts_rd_cycle(file, rb, x.cycleid, &p->cycle) != 0 ||
	    rb_u16(rb, &n) != 0)
		goto err;
	for (uint16_t i = 0; i < n; i++) {
		struct scamper_ping_reply *r = scamper_ping_reply_add(p);

		if (r == NULL) {
			rb_fail(rb, "out of memory");
			goto err;
		}
		if (reply_read(rb, p, r) != 0)
			goto err;
	}
	*out = p;
	return 0;
err:
	scamper_ping_free(p);
	return -1;
}

int
warts_ping_write(struct wbuf *wb, const struct scamper_ping *ping,
    uint32_t listid, uint32_t cycleid)
{
	struct scamper_ping p = *ping;
	struct wfield f[PG_NF];
	struct pgtmp x;

	memset(&x, 0, sizeof(x));
	x.listid = listid;
	x.cycleid = cycleid;
	x.flags = p.flags;
	x.flags8 = (uint8_t)p.flags;
	if (p.probe_data == NULL)
		p.probe_datalen = 0;
	ping_fields(f, &p, &x);
	warts_params_write(wb, f, PG_NF);
	wb_u16(wb, p.replyc);
	for (uint16_t i = 0; i < p.replyc; i++)
		reply_write(wb, &p, &p.replies[i]);
	return 0;
}
