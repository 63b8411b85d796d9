/*
 * warts_tracelb.c: the MDA traceroute record (type 8), encoder and decoder.
 *
 * Layout: parameters, nodec node records, then linkc link records, each
 * followed by hopc probe sets (u16 probe count), each probe followed by
 * its replies.  warts-format.md section 8.1; the "W" rules there are the
 * set conditions below.
 */
#include <stdlib.h>
#include <string.h>

#include "scamper_file.h"
#include "scamper_tracelb.h"
#include "warts_int.h"

/* ---- replies ---------------------------------------------------------- */

#define RX_NF	11

static void
reply_fields(struct wfield *f, struct scamper_tracelb_reply *r)
{
	int tcp = (r->flags & SCAMPER_TRACELB_REPLY_FLAG_TCP) != 0;
	struct wfield fl[RX_NF] = {
		WFIELD(WF_TV, &r->rx, 1),
		WFIELD(WF_U16, &r->ipid, 1),
		WFIELD(WF_U8, &r->ttl,
		    r->flags & SCAMPER_TRACELB_REPLY_FLAG_REPLY_TTL),
		WFIELD(WF_U8, &r->flags, 1),
		WFIELD_TC(&r->icmp_type, &r->icmp_code, !tcp),
		WFIELD(WF_U8, &r->tcp_flags, tcp),
		WFIELD_ICMPEXT(&r->icmpext, &r->icmpext_len,
		    !tcp && r->icmpext != NULL),
		WFIELD(WF_U8, &r->icmp_q_ttl, !tcp),
		WFIELD(WF_U8, &r->icmp_q_tos, !tcp),
		WFIELD(WF_GID, &r->from, 0),
		WFIELD(WF_ADDR, &r->from, 1),
	};

	memcpy(f, fl, sizeof(fl));
}

WARTS_BLOCK(reply, struct scamper_tracelb_reply, RX_NF)

/* ---- probes and probe sets -------------------------------------------- */

#define PR_NF	5

static void
probe_fields(struct wfield *f, struct scamper_tracelb_probe *p)
{
	struct wfield fl[PR_NF] = {
		WFIELD(WF_TV, &p->tx, 1),
		WFIELD(WF_U16, &p->flowid, 1),
		WFIELD(WF_U8, &p->ttl, 1),
		WFIELD(WF_U8, &p->attempt, 1),
		WFIELD(WF_U16, &p->rxc, 1),
	};

	memcpy(f, fl, sizeof(fl));
}

WARTS_BLOCK(probe, struct scamper_tracelb_probe, PR_NF)

static int
probeset_read(struct rbuf *rb, struct scamper_tracelb_probeset *s)
{
	struct wfield sf[1] = { WFIELD(WF_U16, &s->probec, 0) };

	/* arrays are zeroed and their counts set first, so a failure part
	   way leaves only NULL pointers for scamper_tracelb_free() */
	if (warts_params_read(rb, sf, 1) != 0)
		return -1;
	if ((s->probes = rb_calloc(rb, s->probec, sizeof(*s->probes), 1)) ==
	    NULL)
		return -1;
	for (uint16_t i = 0; i < s->probec; i++) {
		struct scamper_tracelb_probe *p = &s->probes[i];

		if (probe_rd(rb, p) != 0 ||
		    (p->rxs = rb_calloc(rb, p->rxc, sizeof(*p->rxs), 1)) == NULL)
			return -1;
		for (uint16_t j = 0; j < p->rxc; j++)
			if (reply_rd(rb, &p->rxs[j]) != 0 ||
			    rb_need_addr(rb, &p->rxs[j].from,
			    "tracelb reply") != 0)
				return -1;
	}
	return 0;
}

static void
probeset_write(struct wbuf *wb, const struct scamper_tracelb_probeset *ps)
{
	struct scamper_tracelb_probeset s = *ps;
	struct wfield sf[1] = { WFIELD(WF_U16, &s.probec, 1) };

	warts_params_write(wb, sf, 1);
	for (uint16_t i = 0; i < s.probec; i++) {
		struct scamper_tracelb_probe p = s.probes[i];

		if (p.rxs == NULL)
			p.rxc = 0;
		probe_wr(wb, &p);
		for (uint16_t j = 0; j < p.rxc; j++)
			reply_wr(wb, &p.rxs[j]);
	}
}

/* ---- nodes and links -------------------------------------------------- */

#define ND_NF	7
#define LK_NF	3

static void
node_fields(struct wfield *f, struct scamper_tracelb_node *n)
{
	struct wfield fl[ND_NF] = {
		WFIELD(WF_GID, &n->addr, 0),
		WFIELD(WF_U8, &n->flags, 1),
		WFIELD(WF_U16, &n->linkc, 1),
		WFIELD(WF_U8, &n->q_ttl, n->flags & SCAMPER_TRACELB_NODE_FLAG_QTTL),
		WFIELD(WF_ADDR, &n->addr, scamper_addr_isset(&n->addr)),
		WFIELD(WF_STR, &n->name, n->name != NULL),
		WFIELD(WF_U32, &n->conf, n->has_conf),	/* ours */
	};

	memcpy(f, fl, sizeof(fl));
}

WARTS_BLOCK(node, struct scamper_tracelb_node, ND_NF)

static int
nodes_read(struct rbuf *rb, struct scamper_tracelb *t, uint16_t n)
{
	if ((t->nodes = rb_calloc(rb, n, sizeof(*t->nodes), 1)) == NULL)
		return -1;
	t->nodec = n;
	for (uint16_t i = 0; i < n; i++) {
		struct scamper_tracelb_node *nd = &t->nodes[i];
		struct wfield f[ND_NF];

		node_fields(f, nd);
		if (warts_params_read(rb, f, ND_NF) != 0)
			return -1;
		nd->has_conf = f[6].set;
	}
	return 0;
}

static int
links_read(struct rbuf *rb, struct scamper_tracelb *t, uint16_t n)
{
	uint32_t *have;
	int rc = -1;

	if ((t->links = rb_calloc(rb, n, sizeof(*t->links), 1)) == NULL)
		return -1;
	if ((have = rb_calloc(rb, t->nodec, sizeof(*have), 0)) == NULL)
		return -1;
	t->linkc = n;
	for (uint16_t i = 0; i < n; i++) {
		struct scamper_tracelb_link *l = &t->links[i];
		uint16_t to = 0;
		struct wfield f[LK_NF] = {
			WFIELD(WF_U16, &l->from, 0),
			WFIELD(WF_U16, &to, 0),
			WFIELD(WF_U8, &l->hopc, 0),
		};

		if (warts_params_read(rb, f, LK_NF) != 0)
			goto out;
		if (l->from >= t->nodec || (f[1].set && to >= t->nodec)) {
			rb_fail(rb, "tracelb link %u -> %u with %u nodes",
			    l->from, to, t->nodec);
			goto out;
		}
		l->to = f[1].set ? to : -1;
		have[l->from]++;
		if ((l->sets = rb_calloc(rb, l->hopc, sizeof(*l->sets), 1)) ==
		    NULL)
			goto out;
		for (uint8_t j = 0; j < l->hopc; j++)
			if (probeset_read(rb, &l->sets[j]) != 0)
				goto out;
	}
	for (uint16_t i = 0; i < t->nodec; i++)
		if (have[i] != t->nodes[i].linkc) {
			rb_fail(rb, "tracelb node %u claims %u links, has %u",
			    i, t->nodes[i].linkc, have[i]);
			goto out;
		}
	rc = 0;
out:
	free(have);
	return rc;
}

/* ---- parameters ------------------------------------------------------- */

#define TL_NF	28

static void
tracelb_fields(struct wfield *f, struct scamper_tracelb *t, struct wrec_tmp *x)
{
	struct wfield fl[TL_NF] = {
		WFIELD_IDS_GIDS_START(x, 1, t),
		WFIELD(WF_U16, &t->sport, 1),
		WFIELD(WF_U16, &t->dport, 1),
		WFIELD(WF_U16, &t->probe_size, 1),
		WFIELD(WF_U8, &t->type, 1),
		WFIELD(WF_U8, &t->firsthop, 1),
		WFIELD(WF_U8, &t->wait_timeout, 1),
		WFIELD(WF_U8, &t->wait_probe, 1),
		WFIELD(WF_U8, &t->attempts, 1),
		WFIELD(WF_U8, &t->confidence, 1),
		WFIELD(WF_U8, &t->tos, 1),
		WFIELD(WF_U16, &t->nodec, 1),
		WFIELD(WF_U16, &t->linkc, 1),
		WFIELD(WF_U32, &t->probec, 1),
		WFIELD(WF_U32, &t->probec_max, 1),
		WFIELD(WF_U8, &t->gaplimit, 1),
		WFIELD(WF_ADDR, &t->src, 1),
		WFIELD(WF_ADDR, &t->dst, 1),
		WFIELD(WF_U32, &t->userid, t->userid != 0),
		WFIELD(WF_U8, &t->flags, t->flags != 0),
		WFIELD(WF_SADDR, &t->rtr, scamper_addr_isset(&t->rtr)),
		WFIELD(WF_STR, &x->skip, 0),	/* a later one's error */
		WFIELD(WF_U8, &t->stop_reason, t->stop_reason != 0),	/* ours */
		WFIELD(WF_U8, &t->stop_data, t->stop_data != 0),	/* ours */
	};

	memcpy(f, fl, sizeof(fl));
}

static int
tracelb_rd(struct wrec_rd *r, struct scamper_tracelb *t)
{
	uint16_t nodec = t->nodec, linkc = t->linkc;

	if (!scamper_addr_isset(&t->dst))
		return rb_fail(r->rb, "tracelb without a destination");
	t->nodec = t->linkc = 0;
	if (warts_rd_ids(r, t) != 0 || nodes_read(r->rb, t, nodec) != 0 ||
	    links_read(r->rb, t, linkc) != 0)
		return -1;
	return 0;
}

static int
tracelb_wr(struct wbuf *wb, const struct scamper_tracelb *t0,
    struct wrec_tmp *x)
{
	struct scamper_tracelb t = *t0;

	if (t.nodes == NULL)
		t.nodec = 0;
	if (t.links == NULL)
		t.linkc = 0;
	warts_rec_params(wb, &warts_tracelb_rec, &t, x);
	for (uint16_t i = 0; i < t.nodec; i++) {
		struct scamper_tracelb_node n = t.nodes[i];

		/* the link count a reader checks: the links leaving it */
		n.linkc = 0;
		for (uint16_t j = 0; j < t.linkc; j++)
			if (t.links[j].from == i)
				n.linkc++;
		node_wr(wb, &n);
	}
	for (uint16_t i = 0; i < t.linkc; i++) {
		struct scamper_tracelb_link l = t.links[i];
		uint16_t to = (uint16_t)l.to;
		struct wfield lf[LK_NF] = {
			WFIELD(WF_U16, &l.from, 1),
			WFIELD(WF_U16, &to, l.to >= 0),
			WFIELD(WF_U8, &l.hopc, 1),
		};

		if (l.from >= t.nodec || l.to >= (int32_t)t.nodec ||
		    (l.sets == NULL && l.hopc != 0))
			return -1;
		warts_params_write(wb, lf, LK_NF);
		for (uint8_t j = 0; j < l.hopc; j++)
			probeset_write(wb, &l.sets[j]);
	}
	return 0;
}

WARTS_REC(tracelb, SCAMPER_FILE_OBJ_TRACELB, TL_NF);
