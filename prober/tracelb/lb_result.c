/*
 * lb_result.c: the tracelb result from the engine's nodes and links and
 * the technique's send and reply records, laid out as scamper's tracelb
 * record holds it: nodes in the order they were found, links sorted by
 * their nodes' addresses (from, then to; a link to nothing last), each
 * with one probe set per hop it spans, each probe with its replies in
 * the order they came.  Probes no link holds (those that found a first
 * hop, or a node's flows) are counted in probec only, as in 20211212.
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "lb_int.h"
#include "mda.h"
#include "mda_stop.h"
#include "scamper_tracelb.h"
#include "task.h"

static int
nodes_make(struct lb_state *s)
{
	struct scamper_tracelb *t = s->t;
	uint16_t n = mda_nodec(s->mda);
	int type = task_addr_type(s->af);

	if (n == 0)
		return 0;
	if ((t->nodes = calloc(n, sizeof(*t->nodes))) == NULL)
		return -1;
	t->nodec = n;
	for (uint16_t i = 0; i < n; i++) {
		struct scamper_tracelb_node *nd = &t->nodes[i];
		double c;

		scamper_addr_set(&nd->addr, type, mda_node_addr(s->mda, i));
		if (i < s->nic && s->ni[i].has_qttl) {
			nd->flags |= SCAMPER_TRACELB_NODE_FLAG_QTTL;
			nd->q_ttl = s->ni[i].q_ttl;
		}
		if ((c = mda_node_confidence(s->mda, i)) >= 0) {
			/* floor: never claim more than was reached */
			c *= 1e9;
			nd->has_conf = 1;
			nd->conf = c <= 0 ? 0 : c >= 1e9 ? 1000000000u :
			    (uint32_t)c;
		}
	}
	return 0;
}

/* Replies grouped by probe: REPLY[FIRST[p] .. FIRST[p + 1]) answer
 * probe p, in arrival order. */
struct byprobe {
	uint32_t	*first;
	uint32_t	*order;
};

static int
byprobe_make(const struct lb_state *s, struct byprobe *b)
{
	uint32_t np = mda_probec(s->mda), *pos;

	b->first = calloc(np + 1u, sizeof(*b->first));
	b->order = calloc(s->rxc + 1u, sizeof(*b->order));
	pos = calloc(np + 1u, sizeof(*pos));
	if (b->first == NULL || b->order == NULL || pos == NULL) {
		free(pos);
		return -1;
	}
	for (uint32_t i = 0; i < s->rxc; i++)
		b->first[s->rx[i].probe + 1]++;
	for (uint32_t p = 0; p < np; p++)
		b->first[p + 1] += b->first[p];
	for (uint32_t i = 0; i < s->rxc; i++) {
		uint32_t p = s->rx[i].probe;
		b->order[b->first[p] + pos[p]++] = i;
	}
	free(pos);
	return 0;
}

static int
probe_make(const struct lb_state *s, const struct byprobe *b, uint32_t id,
    struct scamper_tracelb_probe *p)
{
	const struct mda_probe *mp = mda_probe(s->mda, id);
	uint32_t n = b->first[id + 1] - b->first[id];
	int type = task_addr_type(s->af);

	p->tx = stamp_tv(s->tx[id]);
	p->flowid = lb_flowid(s, mp->flow);
	p->ttl = mp->ttl;
	p->attempt = mp->attempt;
	if (n == 0)
		return 0;
	if (n > UINT16_MAX)
		n = UINT16_MAX;
	if ((p->rxs = calloc(n, sizeof(*p->rxs))) == NULL)
		return -1;
	p->rxc = (uint16_t)n;
	for (uint32_t j = 0; j < n; j++) {
		struct lb_rx *x = &s->rx[b->order[b->first[id] + j]];
		struct scamper_tracelb_reply *r = &p->rxs[j];

		scamper_addr_set(&r->from, type, mda_node_addr(s->mda,
		    x->node));
		r->rx = stamp_tv(x->rx);
		r->ipid = x->ipid;
		r->ttl = x->ttl;
		r->flags = x->flags;
		r->icmp_type = x->icmp_type;
		r->icmp_code = x->icmp_code;
		r->icmp_q_ttl = x->q_ttl;
		r->icmp_q_tos = x->q_tos;
		r->tcp_flags = x->tcp_flags;
		r->icmpext = x->ext;	/* moves to the result */
		r->icmpext_len = x->extlen;
		x->ext = NULL;
	}
	return 0;
}

static int
link_cmp(const void *va, const void *vb, void *arg)
{
	const struct mda *sort_mda = arg;
	const struct mda_link *a = va, *b = vb;
	int c = memcmp(mda_node_addr(sort_mda, a->from),
	    mda_node_addr(sort_mda, b->from), 16);

	if (c != 0)
		return c;
	if (a->to != b->to) {
		if (a->to == MDA_NONE || b->to == MDA_NONE)
			return a->to == MDA_NONE ? 1 : -1;
		if ((c = memcmp(mda_node_addr(sort_mda, a->to),
		    mda_node_addr(sort_mda, b->to), 16)) != 0)
			return c;
	}
	return (int)a->hopc - (int)b->hopc;
}

static int
links_make(struct lb_state *s, struct mda_link *ml, size_t n,
    const struct byprobe *b)
{
	struct scamper_tracelb *t = s->t;

	if (n == 0)
		return 0;
	if (n > UINT16_MAX)
		n = UINT16_MAX;
	if ((t->links = calloc(n, sizeof(*t->links))) == NULL)
		return -1;
	t->linkc = (uint16_t)n;
	for (size_t i = 0; i < n; i++) {
		struct scamper_tracelb_link *l = &t->links[i];

		l->from = ml[i].from;
		l->to = ml[i].to == MDA_NONE ? -1 : ml[i].to;
		l->hopc = ml[i].hopc;
		t->nodes[l->from].linkc++;
		if ((l->sets = calloc(l->hopc, sizeof(*l->sets))) == NULL)
			return -1;
		for (uint8_t h = 0; h < l->hopc; h++) {
			struct scamper_tracelb_probeset *ps = &l->sets[h];
			uint32_t c = ml[i].sets[h].n > UINT16_MAX ? UINT16_MAX :
			    ml[i].sets[h].n;

			if (c == 0)
				continue;
			if ((ps->probes = calloc(c, sizeof(*ps->probes))) ==
			    NULL)
				return -1;
			ps->probec = (uint16_t)c;
			for (uint32_t j = 0; j < c; j++)
				if (probe_make(s, b, ml[i].sets[h].ids[j],
				    &ps->probes[j]) != 0)
					return -1;
		}
	}
	return 0;
}

/* Keep a link to no node (a branch that died out in silence) only as
 * its node's one link: 20211212's readers crash on a node with several
 * links one of which ends in no node.  Dropped probes are counted in
 * probec still.  Returns the links left, in place. */
static size_t
dead_ends_drop(struct mda_link *ml, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		int keep = 1;

		for (size_t j = 0; ml[i].to == MDA_NONE && j < n && keep; j++)
			if (j != i && ml[j].from == ml[i].from &&
			    (ml[j].to != MDA_NONE || j < i))
				keep = 0;
		if (keep)
			continue;
		for (uint8_t h = 0; h < ml[i].hopc; h++)
			free(ml[i].sets[h].ids);
		free(ml[i].sets);
		ml[i].sets = NULL;
		ml[i].hopc = 0;
		ml[i].from = MDA_NONE;	/* marks it dropped */
	}
	for (size_t i = 0; i < n; i++)
		if (ml[i].from != MDA_NONE)
			ml[o++] = ml[i];
	return o;
}

int
lb_result(struct lb_state *s)
{
	struct byprobe b = { NULL, NULL };
	struct mda_link *ml = NULL;
	size_t n = 0;
	int rc = -1;

	s->t->probec = mda_probec(s->mda);
	if (nodes_make(s) != 0 || byprobe_make(s, &b) != 0 ||
	    mda_links(s->mda, &ml, &n) != 0)
		goto out;
	n = dead_ends_drop(ml, n);
	mda_sort(ml, n, sizeof(*ml), link_cmp, s->mda);
	rc = links_make(s, ml, n, &b);
out:
	mda_links_free(ml, n);
	free(b.first);
	free(b.order);
	return rc;
}
