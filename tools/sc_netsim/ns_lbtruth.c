/*
 * ns_lbtruth.c: the ground truth an MDA traceroute is scored against:
 * every interface and every link that some flow to a destination can
 * see (--lbtruth).  A flow sees a router's interface as the one its
 * probe came in by (so a router reached from several predecessors shows
 * several addresses), sees nothing of an anonymous router, and links
 * two interfaces when it meets them with nothing but anonymous routers
 * between; the last one links to the destination when the destination
 * answers the protocol.  Every branch of every balancer counts, per flow
 * or per packet, so this is what MDA can find, not what some flows took.
 *
 * Computed over the path's elements with a set of states (the router
 * before, the last interface that answered, hops since), not by listing
 * paths, so nested balancers cost their sum, not their product.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "netsim.h"
#include "ns_int.h"
#include "ns_pkt.h"

struct lbst {
	uint32_t	 pred;		/* router before, NS_NOPRED */
	int32_t		 last;		/* router * 8 + ifx, -1: none yet */
	uint8_t		 since;		/* hops since LAST */
};

struct lbset {
	struct lbst	*v;
	size_t		 n, cap;
};

struct lblink {
	int32_t		 a, b;		/* b: -2 is the destination */
	uint8_t		 hops;
};

struct lbtruth {
	struct lblink	*l;
	size_t		 nl, capl;
	int32_t		*node;
	size_t		 nn, capn;
	int		 oom;
};

static void *
grow(void *p, size_t n, size_t *cap, size_t sz, int *oom)
{
	void *q;

	if (n < *cap)
		return p;
	if ((q = realloc(p, (*cap ? *cap * 2 : 16) * sz)) == NULL) {
		*oom = 1;
		return NULL;
	}
	*cap = *cap ? *cap * 2 : 16;
	return q;
}

static void
set_add(struct lbset *s, struct lbst x, int *oom)
{
	void *p;

	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].pred == x.pred && s->v[i].last == x.last &&
		    s->v[i].since == x.since)
			return;
	if ((p = grow(s->v, s->n, &s->cap, sizeof(x), oom)) == NULL)
		return;
	s->v = p;
	s->v[s->n++] = x;
}

static void
node_add(struct lbtruth *t, int32_t a)
{
	void *p;

	for (size_t i = 0; i < t->nn; i++)
		if (t->node[i] == a)
			return;
	if ((p = grow(t->node, t->nn, &t->capn, sizeof(a), &t->oom)) == NULL)
		return;
	t->node = p;
	t->node[t->nn++] = a;
}

static void
link_add(struct lbtruth *t, int32_t a, int32_t b, unsigned hops)
{
	void *p;

	for (size_t i = 0; i < t->nl; i++)
		if (t->l[i].a == a && t->l[i].b == b && t->l[i].hops == hops)
			return;
	if ((p = grow(t->l, t->nl, &t->capl, sizeof(*t->l), &t->oom)) == NULL)
		return;
	t->l = p;
	t->l[t->nl].a = a;
	t->l[t->nl].b = b;
	t->l[t->nl].hops = (uint8_t)(hops > 255 ? 255 : hops);
	t->nl++;
}

/* A flow in state X reaches router R. */
static void
router_step(const struct netsim *s, struct lbtruth *t, uint32_t r,
    const struct lbst *x, struct lbset *out)
{
	const struct ns_router *rt = &s->rtr[r];
	int32_t a = (int32_t)(r * 8 + (uint32_t)ns_topo_inl_ifx(s, r, x->pred));
	struct lbst y = { r, x->last, (uint8_t)(x->since + 1) };

	if (!rt->anon) {
		node_add(t, a);
		if (x->last >= 0)
			link_add(t, x->last, a, x->since + 1u);
		y.last = a;
		y.since = 0;
	}
	set_add(out, y, &t->oom);
}

/* The states after the elements of P from the states IN, into OUT. */
static void
walk(const struct netsim *s, struct lbtruth *t, const struct ns_slice *p,
    const struct lbset *in, struct lbset *out, int depth)
{
	struct lbset cur = { NULL, 0, 0 }, next;

	for (size_t i = 0; i < in->n; i++)
		set_add(&cur, in->v[i], &t->oom);
	for (uint32_t e = 0; e < p->len && !t->oom; e++) {
		uint32_t el = s->elems[p->off + e];

		memset(&next, 0, sizeof(next));
		if (el & NS_ELEM_LB) {
			const struct ns_lb *lb = &s->lb[el & ~NS_ELEM_LB];
			for (uint16_t b = 0; b < lb->nbr && depth < 16; b++)
				walk(s, t, &lb->br[b], &cur, &next, depth + 1);
		} else
			for (size_t i = 0; i < cur.n; i++)
				router_step(s, t, el, &cur.v[i], &next);
		free(cur.v);
		cur = next;
	}
	for (size_t i = 0; i < cur.n; i++)
		set_add(out, cur.v[i], &t->oom);
	free(cur.v);
}

static int
answers(uint8_t flags, uint8_t proto)
{
	if (flags & NS_D_UNREACH)
		return 0;	/* its last router answers, from its own address */
	switch (proto) {
	case NS_PROTO_ICMP:
	case NS_PROTO_ICMP6:
		return (flags & NS_D_ECHO) != 0;
	case NS_PROTO_UDP:
		return (flags & NS_D_UDP) != 0;
	case NS_PROTO_TCP:
		return (flags & (NS_D_SYNACK | NS_D_RST)) != 0;
	}
	return 0;
}

static void
print_addr(const struct netsim *s, int af, const uint8_t *dst, int32_t a,
    FILE *f)
{
	char buf[64];

	if (a == -2)
		fputs(ns_addr_str(af, dst, buf, sizeof(buf)), f);
	else
		fputs(ns_addr_str(af, s->rtr[a / 8].ifaddr[a % 8].a, buf,
		    sizeof(buf)), f);
}

int
netsim_lbtruth_print(const struct netsim *s, const char *dst,
    const char *proto, FILE *f, char *err, size_t errlen)
{
	uint8_t da[16] = { 0 }, pr, flags, ittl;
	const struct ns_leaf *leaf;
	struct lbset in = { NULL, 0, 0 }, out = { NULL, 0, 0 };
	struct lbtruth t;
	struct lbst start = { NS_NOPRED, -1, 0 };
	int af;

	memset(&t, 0, sizeof(t));
	af = inet_pton(AF_INET, dst, da) == 1 ? 4 :
	    inet_pton(AF_INET6, dst, da) == 1 ? 6 : 0;
	if (af == 0) {
		snprintf(err, errlen, "--lbtruth: '%s' is not an address", dst);
		return -1;
	}
	if (strcasecmp(proto, "icmp") == 0)
		pr = af == 4 ? NS_PROTO_ICMP : NS_PROTO_ICMP6;
	else if (strcasecmp(proto, "udp") == 0)
		pr = NS_PROTO_UDP;
	else if (strcasecmp(proto, "tcp") == 0)
		pr = NS_PROTO_TCP;
	else {
		snprintf(err, errlen, "--lbtruth: unknown protocol '%s' (icmp, "
		    "udp or tcp)", proto);
		return -1;
	}
	if ((leaf = ns_topo_leaf_lookup(s, af, da)) == NULL) {
		snprintf(err, errlen, "--lbtruth: %s is not a destination of "
		    "the simulated Internet", dst);
		return -1;
	}
	set_add(&in, start, &t.oom);
	walk(s, &t, &leaf->path, &in, &out, 0);
	flags = ns_topo_dest(s, leaf, da, &ittl);
	if (answers(flags, pr)) {
		node_add(&t, -2);
		for (size_t i = 0; i < out.n; i++)
			if (out.v[i].last >= 0)
				link_add(&t, out.v[i].last, -2,
				    out.v[i].since + 1u);
	}
	if (!t.oom) {
		fprintf(f, "# %s %s\n", dst, proto);
		for (size_t i = 0; i < t.nn; i++) {
			fputs("node ", f);
			print_addr(s, af, da, t.node[i], f);
			fputc('\n', f);
		}
		for (size_t i = 0; i < t.nl; i++) {
			fputs("link ", f);
			print_addr(s, af, da, t.l[i].a, f);
			fputc(' ', f);
			print_addr(s, af, da, t.l[i].b, f);
			fprintf(f, " %u\n", t.l[i].hops);
		}
		fputc('\n', f);
	} else
		snprintf(err, errlen, "--lbtruth: out of memory");
	free(in.v);
	free(out.v);
	free(t.l);
	free(t.node);
	return t.oom ? -1 : 0;
}
