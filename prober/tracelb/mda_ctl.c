/*
 * mda_ctl.c: node control: a vertex that needs more flows than it has
 * gets them from the cheapest source, judged by what the probes so far
 * saw.  A new flow sent straight to the vertex's TTL lands on it as
 * often as the vertex's share of that TTL's answers; a spare flow of a
 * vertex before it lands on it as often as that vertex's flows went
 * there; a vertex before it with no spare flow can be given one first,
 * at the price of that, a few levels up.  A vertex whose cheapest
 * source costs more than CTL_MAXCOST probes per flow is given up (its
 * confidence then says how sure the result is).
 */
#include <errno.h>

#include "mda_int.h"

#define CTL_MAXDEPTH	3
#define CTL_MAXCOST	64.0

enum { ACT_NONE, ACT_FRESH, ACT_SPARE };

struct plan {
	double		 cost;		/* expected probes per flow gained */
	int		 act;
	uint16_t	 v;		/* ACT_SPARE: whose spare flow */
	uint8_t		 ttl;		/* ACT_FRESH: at which TTL */
};

static void
consider(struct plan *best, double cost, int act, uint16_t v, uint8_t ttl)
{
	if (act != ACT_NONE && cost < best->cost) {
		best->cost = cost;
		best->act = act;
		best->v = v;
		best->ttl = ttl;
	}
}

static void
plan_for(const struct mda *m, uint16_t w, int depth, struct plan *best)
{
	const struct mda_vtx *x = &m->vtx[w];

	best->cost = CTL_MAXCOST + 1;
	best->act = ACT_NONE;
	/* a new flow at the vertex's TTL: only for a node (a silence seen
	 * by a new flow has no vertex before it) */
	if (x->node != MDA_NONE && x->nobs > 0 && m->obs_at[x->ttl] > 0)
		consider(best, (double)m->obs_at[x->ttl] / x->nobs, ACT_FRESH,
		    MDA_NONE, x->ttl);
	for (uint16_t i = 0; i < m->vtxc; i++) {
		const struct mda_vtx *p = &m->vtx[i];
		double share = 0;
		struct plan sub;

		if (i == w || p->nres == 0)
			continue;
		for (uint16_t j = 0; j < p->nsucc; j++)
			if (p->succ[j].v == w)
				share = (double)p->succ[j].n / p->nres;
		if (share == 0)
			continue;
		if (mda_has_spare(m, i)) {
			consider(best, 1 / share, ACT_SPARE, i, 0);
			continue;
		}
		if (depth >= CTL_MAXDEPTH)
			continue;
		plan_for(m, i, depth + 1, &sub);
		consider(best, (sub.cost + 1) / share, sub.act, sub.v, sub.ttl);
	}
}

int64_t
mda_ctl_send(struct mda *m, uint16_t w)
{
	struct plan p;
	int64_t r;

	uint8_t p8;

	plan_for(m, w, 0, &p);
	if (p.act == ACT_NONE || p.cost > CTL_MAXCOST)
		return -2;
	/* its chance of bringing W a flow; at least 1/255, so the flows
	 * in flight are never all counted as nothing */
	p8 = p.cost <= 1 ? 255 : (uint8_t)(255 / p.cost) + 0;
	if (p8 == 0)
		p8 = 1;
	if (p.act == ACT_FRESH)
		r = mda_send_fresh(m, p.ttl, w, p8);
	else
		r = mda_send_spare(m, p.v, w, p8);
	if (r == -1 && errno == ENOSPC)
		return -2;
	return r;
}
