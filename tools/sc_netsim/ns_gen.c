/*
 * ns_gen.c: generate a topology from a seed and parameters.
 *
 * Per address family the destination prefix is cut into leaves (sites)
 * of a fixed prefix length; the last eighth of the prefix holds the
 * routers' interface addresses instead.  The leaves hang off a random
 * tree: each tree node contributes a short segment of routers (and load
 * balancers) shared by every leaf below it, and each leaf ends with a tail
 * of its own routers sized so that its destinations sit hops_min..hops_max
 * hops away.  Everything is drawn from one splitmix64 stream seeded from
 * the seed, in a fixed order, so a seed always gives the same topology.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ns_int.h"

struct gen {
	struct netsim	*s;
	uint64_t	 rng;
	int		 af;
	uint8_t		 rblock[16];	/* router address block */
	int		 rblen;
	uint64_t	 rnext;		/* next router address offset */
	uint64_t	 rmax;
	char		*err;
	size_t		 errlen;
};

/* A growable element list on the stack of a recursion. */
struct elist {
	uint32_t	 v[NS_MAXHOPS * 2];
	int		 n;
	int		 hops;		/* routers on the longest choice */
};

static int
gen_fail(struct gen *g, const char *msg)
{
	snprintf(g->err, g->errlen, "%s", msg);
	return -1;
}

/* Address number OFF inside the router block. */
static void
block_addr(const struct gen *g, uint64_t off, uint8_t *out)
{
	int alen = ns_alen(g->af);

	memcpy(out, g->rblock, 16);
	for (int i = alen - 1; i >= 0 && off != 0; i--) {
		uint32_t v = out[i] + (uint32_t)(off & 0xff);
		out[i] = (uint8_t)v;
		off = (off >> 8) + (v >> 8);
	}
}

static int
pick_nif(struct gen *g)
{
	uint32_t x = ns_randn(&g->rng, 100);

	if (x < 55)
		return 1;
	if (x < 80)
		return 2;
	if (x < 90)
		return 3;
	if (x < 95)
		return 4;
	return 5 + (int)ns_randn(&g->rng, 4);
}

/* The IP-ID behaviour for a draw X of 0..99 (one draw, so that the
 * shares change behaviours without changing the rest of a topology). */
static uint8_t
pick_ipid(const struct netsim_params *p, uint32_t x)
{
	int v = (int)x * 10;

	if (v < 1000 - p->ipid_perif - p->ipid_random - p->ipid_zero)
		return NS_IPID_SHARED;
	if (v < 1000 - p->ipid_random - p->ipid_zero)
		return NS_IPID_PERIF;
	if (v < 1000 - p->ipid_zero)
		return NS_IPID_RANDOM;
	return NS_IPID_ZERO;
}

/* Byte-swapped counters come from a stream of their own (the router's
 * number and the seed), so their share leaves the rest as it was. */
static uint8_t
pick_bswap(const struct gen *g, const struct ns_router *r)
{
	uint64_t h = g->s->p.seed ^ (0xb5a9ULL << 32) ^
	    (uint64_t)(r - g->s->rtr) * 0x9e3779b97f4a7c15ULL;

	if (r->ipid != NS_IPID_SHARED && r->ipid != NS_IPID_PERIF)
		return 0;
	return (uint8_t)ns_chance(&h, g->s->p.ipid_bswap);
}

static void
gen_router_props(struct gen *g, struct ns_router *r)
{
	const struct netsim_params *p = &g->s->p;
	uint32_t x;

	x = ns_randn(&g->rng, 100);
	r->ittl = x < 60 ? 255 : x < 85 ? 64 : 128;
	r->ipid = pick_ipid(p, ns_randn(&g->rng, 100));
	r->ipid_vel = 1u << ns_randn(&g->rng, 11);	/* 1..1024 /s */
	if (r->ipid_vel > (uint32_t)p->velocity_max)
		r->ipid_vel = (uint32_t)p->velocity_max;
	r->ipid_bswap = pick_bswap(g, r);
	for (int i = 0; i < NS_MAXIF; i++)
		r->ipid_base[i] = (uint16_t)ns_rand(&g->rng);
	r->anon = (uint8_t)ns_chance(&g->rng, p->anon_share);
	if (ns_chance(&g->rng, p->mpls_share)) {
		r->nmpls = (uint8_t)(1 + ns_randn(&g->rng, 2));
		for (int i = 0; i < r->nmpls; i++)
			r->mpls[i] = 16 + ns_randn(&g->rng, 1048576 - 16);
	}
	if (ns_chance(&g->rng, p->rl_share)) {
		r->rl_rate = (uint32_t)p->rl_rate;
		r->rl_burst = (uint32_t)p->rl_burst;
	}
	r->quote = g->af == 4 && ns_chance(&g->rng, 300) ? 28 : 0;
	r->unreach_inbound = (uint8_t)ns_chance(&g->rng, p->unreach_inbound);
	r->delay_us = (uint32_t)p->delay_min_us;
	if (p->delay_max_us > p->delay_min_us)
		r->delay_us += ns_randn(&g->rng,
		    (uint32_t)(p->delay_max_us - p->delay_min_us + 1));
}

/* A new router; its index, or -1. */
static int
gen_router(struct gen *g)
{
	struct ns_router *r;
	int idx, nif = pick_nif(g);

	if (g->rnext + (uint64_t)nif > g->rmax)
		return gen_fail(g, "the router address block is full: use "
		    "longer leaf prefixes or a shorter path range");
	if ((idx = ns_topo_add_router(g->s, g->af)) == -1)
		return gen_fail(g, "out of memory");
	r = &g->s->rtr[idx];
	r->nif = (uint8_t)nif;
	for (int i = 0; i < nif; i++)
		block_addr(g, g->rnext++, r->ifaddr[i].a);
	gen_router_props(g, r);
	return idx;
}

static int
elist_push(struct gen *g, struct elist *l, uint32_t e)
{
	if (l->n >= (int)(sizeof(l->v) / sizeof(l->v[0])))
		return gen_fail(g, "a path grew too long");
	l->v[l->n++] = e;
	return 0;
}

static int
pick_width(struct gen *g)
{
	int max = g->s->p.lb_maxwidth, w;
	uint32_t x = ns_randn(&g->rng, 100);

	if (x < 45)
		w = 2;
	else if (x < 65)
		w = 3;
	else if (x < 80)
		w = 4;
	else if (x < 95)
		w = 5 + (int)ns_randn(&g->rng, 4);
	else
		w = 9 + (int)ns_randn(&g->rng, 8);
	return w > max ? max : w;
}

static int gen_lb(struct gen *g, int nest, int budget, int *hops);

/* One branch: LEN routers, maybe with a nested balancer inside. */
static int
gen_branch(struct gen *g, struct ns_slice *out, int len, int nest)
{
	struct elist l;
	int h, e;

	l.n = 0;
	l.hops = 0;
	if (len >= 3 && nest < 2 && ns_chance(&g->rng, g->s->p.lb_nested)) {
		if ((e = gen_router(g)) == -1 ||
		    elist_push(g, &l, (uint32_t)e) == -1)
			return -1;
		if ((e = gen_lb(g, nest + 1, len - 2, &h)) == -1 ||
		    elist_push(g, &l, (uint32_t)e) == -1)
			return -1;
		len -= 1 + h;
	}
	for (int i = 0; i < len; i++)
		if ((e = gen_router(g)) == -1 ||
		    elist_push(g, &l, (uint32_t)e) == -1)
			return -1;
	out->off = g->s->nelems;
	out->len = (uint32_t)l.n;
	for (int i = 0; i < l.n; i++)
		if (ns_topo_push_elem(g->s, l.v[i]) == -1)
			return gen_fail(g, "out of memory");
	return 0;
}

/* A balancer whose branches span at most BUDGET hops; returns its
 * element and sets HOPS to its longest branch. */
static int
gen_lb(struct gen *g, int nest, int budget, int *hops)
{
	int idx, w, len, uneven;
	struct ns_lb *lb;

	if ((idx = ns_topo_add_lb(g->s, g->af)) == -1)
		return gen_fail(g, "out of memory");
	w = nest > 0 ? 2 + (int)ns_randn(&g->rng, 2) : pick_width(g);
	len = 1 + (int)ns_randn(&g->rng, 3);
	if (len > budget)
		len = budget;
	if (len < 1)
		len = 1;
	uneven = len >= 2 && ns_chance(&g->rng, 200);
	g->s->lb[idx].perpkt = (uint8_t)(nest == 0 &&
	    ns_chance(&g->rng, g->s->p.lb_perpkt));
	g->s->lb[idx].nbr = (uint16_t)w;
	for (int b = 0; b < w; b++) {
		struct ns_slice sl;
		int bl = uneven && b % 2 == 1 ? len - 1 : len;

		if (gen_branch(g, &sl, bl, nest) == -1)
			return -1;
		lb = &g->s->lb[idx];	/* the array may have moved */
		lb->br[b] = sl;
	}
	*hops = len;
	return (int)(NS_ELEM_LB | (uint32_t)idx);
}

/* Append a segment of about N hops to L. */
static int
gen_seg(struct gen *g, struct elist *l, int n)
{
	while (n > 0) {
		int e, h;
		int prev_rtr = l->n > 0 && !(l->v[l->n - 1] & NS_ELEM_LB);

		if (prev_rtr && n >= 2 &&
		    ns_chance(&g->rng, g->s->p.lb_share)) {
			if ((e = gen_lb(g, 0, n - 1, &h)) == -1 ||
			    elist_push(g, l, (uint32_t)e) == -1)
				return -1;
			l->hops += h;
			n -= h;
			if ((e = gen_router(g)) == -1 ||
			    elist_push(g, l, (uint32_t)e) == -1)
				return -1;
			l->hops++;
			n--;
			continue;
		}
		if ((e = gen_router(g)) == -1 ||
		    elist_push(g, l, (uint32_t)e) == -1)
			return -1;
		l->hops++;
		n--;
	}
	return 0;
}

static int
gen_leaf(struct gen *g, struct elist *l, uint32_t slot)
{
	const struct netsim_params *p = &g->s->p;
	int range = p->hops_max - p->hops_min + 1;
	int t = p->hops_min + ((int)ns_randn(&g->rng, (uint32_t)range) +
	    (int)ns_randn(&g->rng, (uint32_t)range)) / 2;
	int need = t - 1 - l->hops, save = l->n, savehops = l->hops, idx;
	int fi = g->af == 4 ? 0 : 1;
	struct ns_leaf *lf;
	int plen = g->af == 4 ? p->plen4 : p->plen6;
	int leaf = g->af == 4 ? p->leaf4 : p->leaf6;
	const uint8_t *pfx = g->af == 4 ? p->pfx4 : p->pfx6;

	if (gen_seg(g, l, need < 1 ? 1 : need) == -1)
		return -1;
	if ((idx = ns_topo_add_leaf(g->s)) == -1)
		return gen_fail(g, "out of memory");
	lf = &g->s->leaf[idx];
	lf->af = (uint8_t)g->af;
	lf->plen = (uint8_t)leaf;
	memcpy(lf->pfx.a, pfx, 16);
	for (int i = 0; i < leaf - plen; i++) {
		int bit = plen + i;
		if (slot & (1u << (leaf - plen - 1 - i)))
			lf->pfx.a[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
	}
	lf->dflags = NS_D_HASHED;
	lf->path.off = g->s->nelems;
	lf->path.len = (uint32_t)l->n;
	for (int i = 0; i < l->n; i++)
		if (ns_topo_push_elem(g->s, l->v[i]) == -1)
			return gen_fail(g, "out of memory");
	g->s->gen_map[fi][slot] = (uint32_t)idx;
	/* the smaller-MTU link: on the gateway's link to the site */
	struct ns_router *gw = &g->s->rtr[l->v[l->n - 1]];
	if (slot == 1 || slot == 2 ||
	    (slot > 2 && ns_chance(&g->rng, p->mtu_share))) {
		gw->mtu = g->af == 4 ? 1400 : 1280;
		gw->nopmtud = slot == 2;
	}
	l->n = save;
	l->hops = savehops;
	return 0;
}

static int
gen_tree(struct gen *g, struct elist *l, uint32_t lo, uint32_t hi, int depth)
{
	const struct netsim_params *p = &g->s->p;
	int save = l->n, savehops = l->hops, n;
	uint32_t k;

	n = depth == 0 ? 1 + (int)ns_randn(&g->rng, 3) :
	    (int)ns_randn(&g->rng, 4);
	if (l->hops + n > p->hops_max - 2)
		n = p->hops_max - 2 - l->hops;
	if (n > 0 && gen_seg(g, l, n) == -1)
		return -1;
	if (hi - lo == 1) {
		if (gen_leaf(g, l, lo) == -1)
			return -1;
	} else {
		k = 2 + ns_randn(&g->rng, 7);
		if (k > hi - lo)
			k = hi - lo;
		for (uint32_t i = 0; i < k; i++) {
			uint32_t a = lo + (uint32_t)((uint64_t)(hi - lo) * i / k);
			uint32_t b = lo + (uint32_t)((uint64_t)(hi - lo) *
			    (i + 1) / k);
			if (a < b && gen_tree(g, l, a, b, depth + 1) == -1)
				return -1;
		}
	}
	l->n = save;
	l->hops = savehops;
	return 0;
}

static int
gen_family(struct netsim *s, int af, char *err, size_t errlen)
{
	const struct netsim_params *p = &s->p;
	int plen = af == 4 ? p->plen4 : p->plen6;
	int leaf = af == 4 ? p->leaf4 : p->leaf6;
	int fi = af == 4 ? 0 : 1, bits = ns_alen(af) * 8;
	struct gen g;
	struct elist l;
	uint32_t nslot;

	if (leaf - plen < 3 || leaf - plen > 16 || leaf > bits) {
		snprintf(err, errlen, "IPv%d: the leaf prefix length must be "
		    "3..16 bits longer than the prefix's (%d)", af, plen);
		return -1;
	}
	memset(&g, 0, sizeof(g));
	g.s = s;
	g.af = af;
	g.err = err;
	g.errlen = errlen;
	g.rng = p->seed * 0x2545f4914f6cdd1dULL + (uint64_t)af;
	/* pfx4 holds 4 bytes: the rest of an IPv4 block stays zero */
	memcpy(g.rblock, af == 4 ? p->pfx4 : p->pfx6, (size_t)ns_alen(af));
	for (int i = 0; i < 3; i++)
		g.rblock[(plen + i) / 8] |= (uint8_t)(0x80 >> ((plen + i) % 8));
	g.rblen = plen + 3;
	g.rnext = 1;
	g.rmax = bits - g.rblen >= 40 ? (1ULL << 40) :
	    (1ULL << (bits - g.rblen)) - 1;
	nslot = 1u << (leaf - plen);
	s->gen_count[fi] = nslot;
	if ((s->gen_map[fi] = malloc(nslot * sizeof(uint32_t))) == NULL)
		return gen_fail(&g, "out of memory");
	for (uint32_t i = 0; i < nslot; i++)
		s->gen_map[fi][i] = UINT32_MAX;
	l.n = 0;
	l.hops = 0;
	return gen_tree(&g, &l, 0, nslot - nslot / 8, 0);
}

int
ns_gen_build(struct netsim *s, char *err, size_t errlen)
{
	const struct netsim_params *p = &s->p;

	if (p->hops_min < 2 || p->hops_max < p->hops_min ||
	    p->hops_max > 32) {
		snprintf(err, errlen, "path lengths must satisfy 2 <= min <= "
		    "max <= 32");
		return -1;
	}
	if (p->lb_maxwidth < 2 || p->lb_maxwidth > NS_MAXBR) {
		snprintf(err, errlen, "load balancer width must be 2..%d",
		    NS_MAXBR);
		return -1;
	}
	if (p->ipid_perif + p->ipid_random + p->ipid_zero > 1000) {
		snprintf(err, errlen, "ipid-per-interface, ipid-random and "
		    "ipid-zero add up to more than 1000");
		return -1;
	}
	s->generated = 1;
	if (p->v4 && gen_family(s, 4, err, errlen) == -1)
		return -1;
	if (p->v6 && gen_family(s, 6, err, errlen) == -1)
		return -1;
	return ns_topo_finish(s, err, errlen);
}

void
netsim_params_default(struct netsim_params *p)
{
	static const uint8_t v6[16] = { 0x20, 0x01, 0x00, 0x02 };

	memset(p, 0, sizeof(*p));
	p->seed = 1;
	p->pfx4[0] = 198;
	p->pfx4[1] = 18;
	p->plen4 = 15;
	p->leaf4 = 24;
	memcpy(p->pfx6, v6, 16);
	p->plen6 = 48;
	p->leaf6 = 56;
	p->v4 = p->v6 = 1;
	p->hops_min = 5;
	p->hops_max = 25;
	p->lb_share = 80;
	p->lb_nested = 300;
	p->lb_perpkt = 100;
	p->lb_maxwidth = 16;
	p->anon_share = 50;
	p->mpls_share = 100;
	p->rl_share = 50;
	p->rl_rate = 100;
	p->rl_burst = 20;
	p->mtu_share = 20;
	p->silent_share = 100;
	p->loss_ppm = 0;
	p->delay_min_us = 100;
	p->delay_max_us = 2000;
	p->jitter_us = 200;
	p->ipid_perif = 150;
	p->ipid_random = 150;
	p->ipid_zero = 200;
	p->ipid_bswap = 0;
	p->velocity_max = 1024;
	p->unreach_inbound = 500;
}

struct netsim *
netsim_generate(const struct netsim_params *p, char *err, size_t errlen)
{
	struct netsim *s;

	if ((s = ns_topo_new(p)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (ns_gen_build(s, err, errlen) == -1) {
		netsim_free(s);
		return NULL;
	}
	return s;
}
