/*
 * mda.c: the MDA engine's records and decisions (see mda.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "accessor.h"
#include "mda_int.h"
#include "mda_stop.h"

/* ---- growing arrays --------------------------------------------------- */

/* Make room for one more element in *P (N used, *CAP allocated, SZ
 * bytes each), growing by half.  Returns 0 or -1 (ENOMEM). */
static int
grow(void **p, uint32_t n, uint32_t *cap, size_t sz, uint32_t max)
{
	uint32_t c;
	void *q;

	if (n < *cap)
		return 0;
	if (*cap >= max) {
		errno = ENOMEM;
		return -1;
	}
	c = *cap < 4 ? 4 : *cap + *cap / 2;
	if (c > max)
		c = max;
	if ((q = realloc(*p, (size_t)c * sz)) == NULL)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

static int
grow16(void **p, uint16_t n, uint16_t *cap, size_t sz)
{
	uint32_t c = *cap;

	if (grow(p, n, &c, sz, MDA_NONE - 1) != 0)
		return -1;
	*cap = (uint16_t)c;
	return 0;
}

/* ---- the engine ------------------------------------------------------- */

static int
vtx_new(struct mda *m, uint16_t node, uint16_t parent, uint8_t depth,
    uint8_t ttl)
{
	struct mda_vtx *v;

	if (grow16((void **)&m->vtx, m->vtxc, &m->vtxcap, sizeof(*v)) != 0)
		return -1;
	v = &m->vtx[m->vtxc];
	memset(v, 0, sizeof(*v));
	v->node = node;
	v->parent = parent;
	v->silent = MDA_NONE;
	v->depth = depth;
	v->ttl = ttl;
	if ((depth > 0 && depth >= m->c.gaplimit) || ttl == 255)
		v->flags |= VTX_TERMINAL;
	return m->vtxc++;
}

struct mda *
mda_new(const struct mda_conf *c)
{
	struct mda *m;

	if (!(c->alpha > 0 && c->alpha < 1) || c->firsthop == 0 ||
	    c->attempts == 0 || c->gaplimit == 0 || c->maxflows == 0) {
		errno = EINVAL;
		return NULL;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	m->c = *c;
	if (m->c.maxflows > MDA_NONE)
		m->c.maxflows = MDA_NONE;
	if (vtx_new(m, MDA_NONE, MDA_NONE, 0, (uint8_t)(c->firsthop - 1)) !=
	    ROOT) {
		mda_free(m);
		return NULL;
	}
	return m;
}

void
mda_free(struct mda *m)
{
	if (m == NULL)
		return;
	for (uint32_t i = 0; i < m->flowc; i++)
		free(m->flows[i].slot);
	for (uint16_t i = 0; i < m->vtxc; i++) {
		free(m->vtx[i].flows);
		free(m->vtx[i].succ);
	}
	free(m->flows);
	free(m->vtx);
	free(m->nodes);
	free(m->nodehash);
	free(m->probes);
	free(m->retry);
	free(m->back);
	free(m->gaps);
	free(m);
}

/* ---- nodes ------------------------------------------------------------ */

static uint32_t
addr_hash(const uint8_t *a)
{
	uint32_t h = 2166136261u;

	for (int i = 0; i < 16; i++)
		h = (h ^ a[i]) * 16777619u;
	return h;
}

static int
rehash(struct mda *m)
{
	uint32_t cap = m->hashcap == 0 ? 32 : m->hashcap * 2;
	uint16_t *h = calloc(cap, sizeof(*h));

	if (h == NULL)
		return -1;
	for (uint16_t i = 0; i < m->nodec; i++) {
		uint32_t j = addr_hash(m->nodes[i].addr) & (cap - 1);
		while (h[j] != 0)
			j = (j + 1) & (cap - 1);
		h[j] = (uint16_t)(i + 1);
	}
	free(m->nodehash);
	m->nodehash = h;
	m->hashcap = cap;
	return 0;
}

/* The node of ADDR, made (with its vertex at TTL) if new; -1 on ENOMEM. */
static int
node_get(struct mda *m, const uint8_t *addr, uint8_t ttl)
{
	struct mda_node *n;
	uint32_t j;
	int v;

	if (m->hashcap != 0) {
		j = addr_hash(addr) & (m->hashcap - 1);
		for (; m->nodehash[j] != 0; j = (j + 1) & (m->hashcap - 1))
			if (memcmp(m->nodes[m->nodehash[j] - 1].addr, addr,
			    16) == 0)
				return m->nodehash[j] - 1;
	}
	if (m->nodec >= MDA_NONE - 1 || (m->nodec + 1u) * 2 > m->hashcap) {
		if (m->nodec >= MDA_NONE - 1 || rehash(m) != 0) {
			errno = ENOMEM;
			return -1;
		}
	}
	if (grow16((void **)&m->nodes, m->nodec, &m->nodecap, sizeof(*n)) != 0)
		return -1;
	if ((v = vtx_new(m, m->nodec, MDA_NONE, 0, ttl)) < 0)
		return -1;
	n = &m->nodes[m->nodec];
	memcpy(n->addr, addr, 16);
	n->v = (uint16_t)v;
	n->terminal = 0;
	j = addr_hash(addr) & (m->hashcap - 1);
	while (m->nodehash[j] != 0)
		j = (j + 1) & (m->hashcap - 1);
	m->nodehash[j] = (uint16_t)(m->nodec + 1);
	return m->nodec++;
}

/* ---- flows and probes ------------------------------------------------- */

uint16_t
mda_slot(const struct mda *m, uint32_t f, unsigned ttl)
{
	const struct mda_flow *fl = &m->flows[f];

	if (ttl < fl->t0 || ttl >= (unsigned)fl->t0 + fl->n)
		return SLOT_UNPROBED;
	return fl->slot[ttl - fl->t0];
}

/* Set flow F's hop at TTL, which is its last or the one after. */
static int
slot_set(struct mda *m, uint32_t f, uint8_t ttl, uint16_t val)
{
	struct mda_flow *fl = &m->flows[f];
	unsigned i = (unsigned)(ttl - fl->t0);

	if (i == fl->n) {
		if (fl->n == fl->cap) {
			uint8_t c = fl->cap > 255 - 4 ? 255 : (uint8_t)(fl->cap + 4);
			uint16_t *s;
			if (c == fl->cap || (s = realloc(fl->slot,
			    c * sizeof(*s))) == NULL) {
				errno = ENOMEM;
				return -1;
			}
			fl->slot = s;
			fl->cap = c;
		}
		fl->n++;
	}
	fl->slot[i] = val;
	return 0;
}

static int64_t
probe_add(struct mda *m, uint16_t flow, uint8_t ttl, uint8_t attempt,
    uint16_t intent, uint8_t kind)
{
	struct mda_probe *p;

	if (grow((void **)&m->probes, m->probec, &m->probecap, sizeof(*p),
	    UINT32_MAX) != 0)
		return -1;
	p = &m->probes[m->probec];
	p->flow = flow;
	p->ttl = ttl;
	p->attempt = attempt;
	p->node = MDA_NONE;
	p->intent = intent;
	p->state = MDA_P_PENDING;
	p->kind = kind;
	p->p8 = 0;
	m->pending++;
	m->fly_at[ttl]++;
	return m->probec++;
}

/* Nonzero if every vertex below TTL T has stopped (nothing in flight
 * beyond it, nothing more wanted): no vertex at T is still to come. */
static int
settled_below(const struct mda *m, unsigned t)
{
	for (uint16_t i = 0; i < m->vtxc; i++) {
		const struct mda_vtx *v = &m->vtx[i];
		if (v->ttl < t && (v->npend > 0 || v->pp_left > 0 ||
		    v->nres < mda_need(m, v)))
			return 0;
	}
	return 1;
}

uint16_t
mda_hop_single(const struct mda *m, unsigned t)
{
	uint16_t v;

	if (t > 255 || m->obs_v[t] == 0 || m->obs_mixed[t])
		return MDA_NONE;
	v = (uint16_t)(m->obs_v[t] - 1);
	if (m->vtx[v].node == MDA_NONE || m->vtx[v].ttl != t ||
	    !settled_below(m, t))
		return MDA_NONE;
	return v;
}

/* Count probe R (just added, or -1) as node control for INTENT. */
static int64_t
ctl_count(struct mda *m, int64_t r, uint16_t intent, uint8_t p8)
{
	if (r < 0 || intent == MDA_NONE)
		return r;
	m->probes[r].p8 = p8;
	m->vtx[intent].ctl++;
	m->vtx[intent].ctl_p += p8;
	return r;
}

int64_t
mda_send_fresh(struct mda *m, uint8_t ttl, uint16_t intent, uint8_t p8)
{
	struct mda_flow *fl;
	uint32_t f = m->flowc;
	uint16_t single;

	if (f >= m->c.maxflows) {
		errno = ENOSPC;
		return -1;
	}
	if (grow((void **)&m->flows, m->flowc, &m->flowcap, sizeof(*fl),
	    MDA_NONE) != 0)
		return -1;
	fl = &m->flows[f];
	memset(fl, 0, sizeof(*fl));
	fl->t0 = ttl;
	fl->assumed = MDA_NONE;
	m->flowc++;
	if (slot_set(m, f, ttl, SLOT_PENDING) != 0)
		return -1;
	if (ttl == m->c.firsthop) {
		m->vtx[ROOT].npend++;
		m->st.first++;
	} else if ((single = mda_hop_single(m, ttl - 1u)) != MDA_NONE) {
		fl->assumed = single;
		fl->at = (uint8_t)(ttl - 1);
		m->vtx[single].npend++;
		m->st.single++;
	} else
		m->st.fresh++;
	return ctl_count(m, probe_add(m, (uint16_t)f, ttl, 0, intent,
	    MDA_K_HOP), intent, p8);
}

/* Send flow F (assumed through a vertex at TTL t0 - 1) at t0 - 1 too,
 * so the link to its hop at t0 is seen.  Returns the probe number, -2
 * if it is no longer needed, or -1 (ENOMEM). */
static int64_t
send_backfill(struct mda *m, uint16_t f)
{
	struct mda_flow *fl = &m->flows[f];
	uint16_t *s;

	if (fl->assumed == MDA_NONE || fl->t0 != fl->at + 1)
		return -2;
	if (fl->n == fl->cap) {
		if ((s = realloc(fl->slot, (fl->cap + 1u) * sizeof(*s))) ==
		    NULL)
			return -1;
		fl->slot = s;
		fl->cap++;
	}
	memmove(fl->slot + 1, fl->slot, fl->n * sizeof(*fl->slot));
	fl->slot[0] = SLOT_PENDING;
	fl->n++;
	fl->t0--;
	if (fl->t0 == m->c.firsthop)
		m->vtx[ROOT].npend++;
	m->st.backfill++;
	return probe_add(m, f, fl->t0, 0, MDA_NONE, MDA_K_HOP);
}

/* V's unused flow with the lowest flow index (flow indexes are
 * handed out in order, so this draws flows as if at random rather than
 * by the vertex before V they came through: where balancers in a row
 * hash alike, a vertex's next hops still all show), or -1.  Flows that
 * went one TTL further by other means are marked used on the way. */
static int
spare_pick(const struct mda *m, struct mda_vtx *v)
{
	int best = -1;

	for (uint16_t i = v->spare; i < v->nflows; i++) {
		struct mda_vflow *vf = &v->flows[i];
		const struct mda_flow *fl = &m->flows[vf->flow];

		if (vf->used)
			continue;
		if (vf->ttl == 255 || fl->t0 + fl->n != vf->ttl + 1) {
			vf->used = 1;
			continue;
		}
		if (best < 0 || vf->flow < v->flows[best].flow)
			best = i;
	}
	while (v->spare < v->nflows && v->flows[v->spare].used)
		v->spare++;
	return best;
}

int
mda_has_spare(const struct mda *m, uint16_t v)
{
	if (v == ROOT)
		return m->flowc < m->c.maxflows;
	return spare_pick(m, &((struct mda *)m)->vtx[v]) >= 0;
}

int64_t
mda_send_spare(struct mda *m, uint16_t v, uint16_t intent, uint8_t p8)
{
	struct mda_vtx *x = &m->vtx[v];
	struct mda_vflow vf;
	int i;

	if (v == ROOT)
		return mda_send_fresh(m, m->c.firsthop, intent, p8);
	if ((i = spare_pick(m, x)) < 0) {
		errno = ENOENT;
		return -1;
	}
	x->flows[i].used = 1;
	vf = x->flows[i];
	if (intent == MDA_NONE)
		m->st.spare++;
	else
		m->st.ctl++;
	if (slot_set(m, vf.flow, (uint8_t)(vf.ttl + 1), SLOT_PENDING) != 0)
		return -1;
	x->npend++;
	return ctl_count(m, probe_add(m, vf.flow, (uint8_t)(vf.ttl + 1), 0,
	    intent, MDA_K_HOP), intent, p8);
}

/* ---- learning --------------------------------------------------------- */

static uint32_t need_full(const struct mda *m, const struct mda_vtx *v);

static int
vtx_add_flow(struct mda *m, uint16_t v, uint16_t f, uint8_t ttl)
{
	struct mda_vtx *x = &m->vtx[v];

	if (grow16((void **)&x->flows, x->nflows, &x->flowcap,
	    sizeof(*x->flows)) != 0)
		return -1;
	x->flows[x->nflows].flow = f;
	x->flows[x->nflows].ttl = ttl;
	x->flows[x->nflows].used = 0;
	x->nflows++;
	if (ttl < x->ttl) {
		x->ttl = ttl;
		x->nobs = 0;
		if (ttl == 255)
			x->flags |= VTX_TERMINAL;
	}
	if (ttl == x->ttl)
		x->nobs++;
	return 0;
}

/* Count one more of P's flows at next hop X. */
static int
succ_add(struct mda *m, uint16_t p, uint16_t x)
{
	struct mda_vtx *v = &m->vtx[p];

	for (uint16_t i = 0; i < v->nsucc; i++)
		if (v->succ[i].v == x) {
			v->succ[i].n++;
			return 0;
		}
	if (grow16((void **)&v->succ, v->nsucc, &v->succcap,
	    sizeof(*v->succ)) != 0)
		return -1;
	memset(&v->succ[v->nsucc], 0, sizeof(v->succ[0]));
	v->succ[v->nsucc].v = x;
	v->succ[v->nsucc].n = 1;
	v->nsucc++;
	return 0;
}

/* Nonzero if vertices A and B have the same answering next hops. */
static int
same_nexthops(const struct mda *m, const struct mda_vtx *a,
    const struct mda_vtx *b)
{
	unsigned na = 0, nb = 0;

	for (uint16_t i = 0; i < a->nsucc; i++) {
		int found = 0;
		if (m->vtx[a->succ[i].v].node == MDA_NONE)
			continue;
		na++;
		for (uint16_t j = 0; j < b->nsucc && !found; j++)
			found = b->succ[j].v == a->succ[i].v;
		if (!found)
			return 0;
	}
	for (uint16_t j = 0; j < b->nsucc; j++)
		nb += m->vtx[b->succ[j].v].node != MDA_NONE;
	return na == nb;
}

/* Repeats that expose a per-packet balancer over N next hops: a
 * repeated flow comes back to the same next hop with chance 1/N each
 * time, so as many as make that as unlikely as ALPHA (at most the
 * configured number, which is what N = 2 takes). */
static uint8_t
pp_repeats(const struct mda *m, unsigned n)
{
	double same = 1;
	uint8_t r = 0;

	while (same > m->c.alpha && r < m->c.ppkt) {
		same /= n;
		r++;
	}
	return r;
}

/* Vertex V has stopped with two or more answering next hops: check it
 * for per-packet balancing by sending one of its flows again, unless a
 * vertex at its TTL with the same next hops passed the check (an alias:
 * a router met from several branches answers from each one's
 * interface). */
static void
pp_start(struct mda *m, uint16_t v)
{
	struct mda_vtx *x = &m->vtx[v];
	unsigned answering = 0;

	if ((x->flags & VTX_PPDONE) || x->node == MDA_NONE || m->c.ppkt == 0)
		return;
	for (uint16_t i = 0; i < x->nsucc; i++)
		answering += m->vtx[x->succ[i].v].node != MDA_NONE;
	if (answering < 2)
		return;
	x->flags |= VTX_PPDONE;
	for (uint16_t u = 0; u < m->vtxc; u++) {
		const struct mda_vtx *y = &m->vtx[u];
		if (u != v && y->ttl == x->ttl && (y->flags & VTX_PPDONE) &&
		    !(y->flags & VTX_PERPKT) && y->pp_left == 0 &&
		    y->node != MDA_NONE && same_nexthops(m, x, y))
			return;
	}
	for (uint16_t i = 0; i < x->nflows; i++) {
		const struct mda_vflow *vf = &x->flows[i];
		uint16_t s = vf->ttl < 255 ? mda_slot(m, vf->flow,
		    vf->ttl + 1u) : SLOT_UNPROBED;
		if (s < SLOT_V || m->vtx[s - SLOT_V].node == MDA_NONE)
			continue;
		x->pp_left = pp_repeats(m, answering);
		x->pp_flow = vf->flow;
		x->pp_ttl = (uint8_t)(vf->ttl + 1);
		x->pp_node = m->vtx[s - SLOT_V].node;
		return;
	}
}

/* The vertex flow F was at just before TTL: the root at the first hop,
 * MDA_NONE if unknown. */
static uint16_t
vtx_before(const struct mda *m, uint32_t f, uint8_t ttl)
{
	const struct mda_flow *fl = &m->flows[f];
	uint16_t s = mda_slot(m, f, ttl - 1u);

	if (s >= SLOT_V)
		return (uint16_t)(s - SLOT_V);
	if (ttl == fl->t0 && ttl == m->c.firsthop)
		return ROOT;
	if (fl->assumed != MDA_NONE && ttl == fl->at + 1u)
		return fl->assumed;
	return MDA_NONE;
}

static struct mda_succ *
succ_find(struct mda_vtx *v, uint16_t x)
{
	for (uint16_t i = 0; i < v->nsucc; i++)
		if (v->succ[i].v == x)
			return &v->succ[i];
	return NULL;
}

static int
back_push(struct mda *m, uint16_t f)
{
	if (grow((void **)&m->back, m->backc, &m->backcap, sizeof(*m->back),
	    UINT32_MAX) != 0)
		return -1;
	m->back[m->backc++] = f;
	return 0;
}

/* Flow F's hop at TTL is X, after vertex P (MDA_NONE: unknown): count
 * it for P, and ask for a backfill if P was only assumed and no flow
 * has shown P -> X yet. */
static int
count_succ(struct mda *m, uint16_t p, uint16_t x, uint32_t f, uint8_t ttl)
{
	const struct mda_flow *fl = &m->flows[f];
	int assumed = fl->assumed != MDA_NONE && ttl == fl->at + 1u &&
	    mda_slot(m, f, fl->at) < SLOT_V;
	struct mda_succ *sc;

	if (p == MDA_NONE)
		return 0;
	if (m->vtx[p].npend > 0)
		m->vtx[p].npend--;
	m->vtx[p].nres++;
	if (succ_add(m, p, x) != 0)
		return -1;
	sc = succ_find(&m->vtx[p], x);
	if (!assumed)
		sc->seen++;
	else if (sc->seen == 0 && !sc->backfill) {
		sc->backfill = 1;
		return back_push(m, (uint16_t)f);
	}
	return 0;
}

int
mda_gap_state(const struct mda *m, uint16_t from, uint16_t to, uint8_t hopc)
{
	for (uint16_t i = 0; i < m->gapc; i++)
		if (m->gaps[i].from == from && m->gaps[i].to == to &&
		    m->gaps[i].hopc == hopc)
			return m->gaps[i].state;
	return -1;
}

/* Flow F reached node TO at TTL after silences: if they follow a node,
 * the link across them is checked with this flow, unless it was
 * believed already or another flow is being checked for it. */
static int
gap_suggest(struct mda *m, uint16_t f, uint8_t ttl, uint16_t to)
{
	struct mda_gap *g = NULL;
	unsigned t = ttl - 1u;
	uint16_t s, sil;

	while ((s = mda_slot(m, f, t)) >= SLOT_V &&
	    m->vtx[s - SLOT_V].node == MDA_NONE && t > 0)
		t--;
	if (s < SLOT_V || m->vtx[s - SLOT_V].node == MDA_NONE || t + 1 >= ttl)
		return 0;
	for (uint16_t i = 0; i < m->gapc; i++)
		if (m->gaps[i].from == m->vtx[s - SLOT_V].node &&
		    m->gaps[i].to == to && m->gaps[i].hopc == ttl - t)
			g = &m->gaps[i];
	if (g != NULL && g->state != GAP_NO)
		return 0;
	if (g == NULL) {
		if (grow16((void **)&m->gaps, m->gapc, &m->gapcap,
		    sizeof(*g)) != 0)
			return -1;
		g = &m->gaps[m->gapc++];
		g->from = m->vtx[s - SLOT_V].node;
		g->to = to;
		g->hopc = (uint8_t)(ttl - t);
	}
	g->flow = f;
	g->t1 = (uint8_t)(t + 1);
	g->state = GAP_CHECKING;
	/* one round over the silent hops where the silence after the node
	 * is well attested (several flows of its fell silent there: a lost
	 * answer does not make that), as many as -q otherwise */
	sil = m->vtx[s - SLOT_V].silent;
	g->tosend = (uint8_t)((g->hopc - 1) * (sil != MDA_NONE &&
	    m->vtx[sil].nflows >= 3 ? 1 : m->c.attempts));
	g->inflight = 0;
	return 0;
}

static void
obs_note(struct mda *m, uint8_t ttl, uint16_t val)
{
	m->obs_at[ttl]++;
	if (m->obs_v[ttl] == 0)
		m->obs_v[ttl] = (uint16_t)(val + 1);
	else if (m->obs_v[ttl] != val + 1)
		m->obs_mixed[ttl] = 1;
}

/* A backfill showed flow F at vertex U at TTL, where it had been
 * assumed to pass vertex V: the flow's next hop counts for U as seen
 * (for V it was counted already); a silence after U that led to a node
 * is a link across silences to check. */
static int
backfilled(struct mda *m, uint32_t f, uint8_t ttl, uint16_t u)
{
	struct mda_flow *fl = &m->flows[f];
	uint16_t v = fl->assumed, s = mda_slot(m, f, ttl + 1u);
	struct mda_succ *sc;
	unsigned t;

	fl->assumed = MDA_NONE;
	if (s < SLOT_V)
		return 0;
	if (u == v) {
		if ((sc = succ_find(&m->vtx[u], (uint16_t)(s - SLOT_V))) != NULL)
			sc->seen++;
	} else {
		m->vtx[u].nres++;
		if (succ_add(m, u, (uint16_t)(s - SLOT_V)) != 0)
			return -1;
		if ((sc = succ_find(&m->vtx[u], (uint16_t)(s - SLOT_V))) != NULL)
			sc->seen++;
	}
	for (t = ttl + 1u; (s = mda_slot(m, f, t)) >= SLOT_V &&
	    m->vtx[s - SLOT_V].node == MDA_NONE; t++)
		;
	if (t > ttl + 1u && s >= SLOT_V && m->vtx[u].node != MDA_NONE)
		return gap_suggest(m, (uint16_t)f, (uint8_t)t,
		    m->vtx[s - SLOT_V].node);
	return 0;
}

/* Flow F's hop at TTL is now known: vertex X, or a silence (X ==
 * MDA_NONE).  INTENT's node control is over. */
static int
resolve(struct mda *m, uint32_t f, uint8_t ttl, uint16_t x, uint16_t intent,
    uint8_t p8)
{
	uint16_t p = vtx_before(m, f, ttl);
	int back = m->flows[f].assumed != MDA_NONE && ttl == m->flows[f].at;
	int v;

	if (p != MDA_NONE && m->vtx[p].rt_on && m->vtx[p].rt_flow == f &&
	    m->vtx[p].rt_ttl == ttl)
		m->vtx[p].rt_on = 0;
	if (intent != MDA_NONE && m->vtx[intent].ctl > 0) {
		m->vtx[intent].ctl--;
		m->vtx[intent].ctl_p -= m->vtx[intent].ctl_p < p8 ?
		    m->vtx[intent].ctl_p : p8;
	}
	if (x == MDA_NONE) {
		if (p == MDA_NONE) {
			obs_note(m, ttl, MDA_NONE - 1);
			if (back)
				m->flows[f].assumed = MDA_NONE;
			return slot_set(m, f, ttl, SLOT_ORPHAN);
		}
		if (m->vtx[p].silent == MDA_NONE) {
			if ((v = vtx_new(m, MDA_NONE, p,
			    (uint8_t)(m->vtx[p].depth + 1), ttl)) < 0)
				return -1;
			m->vtx[p].silent = (uint16_t)v;
		}
		x = m->vtx[p].silent;
	}
	obs_note(m, ttl, x);
	if (slot_set(m, f, ttl, (uint16_t)(SLOT_V + x)) != 0 ||
	    vtx_add_flow(m, x, (uint16_t)f, ttl) != 0 ||
	    count_succ(m, p, x, f, ttl) != 0)
		return -1;
	if (back && backfilled(m, f, ttl, x) != 0)
		return -1;
	if (p != MDA_NONE && m->vtx[p].node == MDA_NONE && p != ROOT &&
	    m->vtx[x].node != MDA_NONE &&
	    gap_suggest(m, (uint16_t)f, ttl, m->vtx[x].node) != 0)
		return -1;
	return 0;
}

/* A re-probe of gap G was answered (ANSWERED) or went unanswered. */
static void
gap_settle(struct mda *m, uint16_t g, int answered)
{
	struct mda_gap *x;

	if (g >= m->gapc)
		return;
	x = &m->gaps[g];
	if (x->inflight > 0)
		x->inflight--;
	if (x->state != GAP_CHECKING)
		return;
	if (answered)
		x->state = GAP_NO;
	else if (x->tosend == 0 && x->inflight == 0)
		x->state = GAP_YES;
}

/* Vertex V's check saw its flow take two next hops.  The balancer may
 * also be further back: the vertex before V on that flow is checked
 * next (its hop, V, sent again), and so on while they vary. */
static void
perpkt_seen(struct mda *m, uint16_t v)
{
	struct mda_vtx *x = &m->vtx[v], *u;
	uint16_t s, w;

	x->flags |= VTX_PERPKT;
	x->pp_left = 0;
	if (x->pp_ttl < 2 || x->node == MDA_NONE)
		return;
	s = mda_slot(m, x->pp_flow, x->pp_ttl - 2u);
	if (s < SLOT_V || (w = (uint16_t)(s - SLOT_V)) == ROOT)
		return;
	u = &m->vtx[w];
	if (u->node == MDA_NONE || (u->flags & VTX_PERPKT) || u->pp_left > 0)
		return;
	u->flags |= VTX_PPDONE;
	u->pp_left = m->c.ppkt;
	u->pp_flow = x->pp_flow;
	u->pp_ttl = (uint8_t)(x->pp_ttl - 1);
	u->pp_node = x->node;
}

int
mda_reply(struct mda *m, uint32_t id, const uint8_t *addr, int kind)
{
	struct mda_probe *p;
	int node;

	if (id >= m->probec) {
		errno = EINVAL;
		return -1;
	}
	p = &m->probes[id];
	if ((node = node_get(m, addr, p->ttl)) < 0)
		return -1;
	if (kind == MDA_R_END && !m->nodes[node].terminal) {
		m->nodes[node].terminal = 1;
		m->vtx[m->nodes[node].v].flags |= VTX_TERMINAL;
	}
	if (p->state != MDA_P_PENDING)
		return node;		/* a second answer, or a late one */
	p->state = MDA_P_ANSWERED;
	p->node = (uint16_t)node;
	m->pending--;
	m->fly_at[p->ttl]--;
	if (p->kind == MDA_K_CONFIRM) {
		gap_settle(m, p->intent, 1);
		return node;
	}
	if (p->kind == MDA_K_REPEAT) {
		if (p->intent != MDA_NONE &&
		    node != m->vtx[p->intent].pp_node)
			perpkt_seen(m, p->intent);
		return node;
	}
	if (mda_slot(m, p->flow, p->ttl) != SLOT_PENDING)
		return node;		/* the hop was settled already */
	if (resolve(m, p->flow, p->ttl, m->nodes[node].v, p->intent,
	    p->p8) != 0)
		return -1;
	return node;
}

/* Count lost probe P against the vertex it was sent for: node
 * control's INTENT, else PV, the vertex whose next hop it looked for.
 * That vertex gives up once its losses pass the cap (mda_int.h).
 * Returns the vertex (MDA_NONE if unknown). */
static uint16_t
loss_count(struct mda *m, const struct mda_probe *p, uint16_t pv)
{
	uint16_t w = p->intent != MDA_NONE ? p->intent : pv;
	struct mda_vtx *v;
	uint32_t cap;

	if (w == MDA_NONE)
		return MDA_NONE;
	if (w != pv && pv != MDA_NONE && m->vtx[pv].silent == w)
		return w;	/* it reached W, a silence, as meant */
	v = &m->vtx[w];
	if (v->lost < UINT16_MAX)
		v->lost++;
	if ((v->flags & (VTX_TERMINAL | VTX_STUCK)) || v->nres >= mda_need(m, v))
		return w;	/* (its need was met: nothing more is sent) */
	cap = need_full(m, v);
	if (cap < MDA_LOSS_MIN)
		cap = MDA_LOSS_MIN;
	if (v->lost >= cap + m->c.attempts) {
		v->flags |= VTX_STUCK | VTX_LOSSY;
		m->st.lossy++;
	}
	return w;
}

int
mda_lost(struct mda *m, uint32_t id)
{
	struct mda_probe *p;
	uint16_t pv, w;

	if (id >= m->probec || m->probes[id].state != MDA_P_PENDING)
		return 0;
	p = &m->probes[id];
	p->state = MDA_P_LOST;
	m->pending--;
	m->fly_at[p->ttl]--;
	if (p->kind == MDA_K_CONFIRM)
		gap_settle(m, p->intent, 0);
	if (p->kind != MDA_K_HOP ||
	    mda_slot(m, p->flow, p->ttl) != SLOT_PENDING)
		return 0;
	/* a vertex known to have a silent next hop does not get its
	 * silences tried again: most are that router (a lost answer taken
	 * for it can only suggest a link across silence, which is
	 * re-probed before it is believed); nor does one whose other
	 * silence is being tried again (they came together) */
	pv = vtx_before(m, p->flow, p->ttl);
	w = loss_count(m, p, pv);
	if (p->attempt + 1 < m->c.attempts &&
	    (w == MDA_NONE || !(m->vtx[w].flags & VTX_LOSSY)) &&
	    (pv == MDA_NONE ||
	    (m->vtx[pv].silent == MDA_NONE && (!m->vtx[pv].rt_on ||
	    (m->vtx[pv].rt_flow == p->flow && m->vtx[pv].rt_ttl ==
	    p->ttl))))) {
		if (grow((void **)&m->retry, m->retryc, &m->retrycap,
		    sizeof(*m->retry), UINT32_MAX) != 0)
			return -1;
		m->retry[m->retryc++] = id;
		if (pv != MDA_NONE) {
			m->vtx[pv].rt_on = 1;
			m->vtx[pv].rt_flow = p->flow;
			m->vtx[pv].rt_ttl = p->ttl;
		}
		return 0;
	}
	return resolve(m, p->flow, p->ttl, MDA_NONE, p->intent, p->p8);
}

/* ---- deciding --------------------------------------------------------- */

/* Flows vertex V needs by MDA's own rule: with n - 1 next hops seen
 * (at least one to be seen), k(n); a silence that has led only to more
 * silence is a dead end after two flows (a silent destination, or a
 * filter). */
static uint32_t
need_full(const struct mda *m, const struct mda_vtx *v)
{
	if (v->depth > 0 && v->nsucc == 1 &&
	    m->vtx[v->succ[0].v].node == MDA_NONE)
		return 2;
	return mda_stop_k(m->c.alpha, (v->nsucc > 0 ? v->nsucc : 1u) + 1u);
}

/* Nonzero if every next hop of A is one of B's. */
static int
succ_subset(const struct mda_vtx *a, const struct mda_vtx *b)
{
	for (uint16_t i = 0; i < a->nsucc; i++) {
		int found = 0;
		for (uint16_t j = 0; j < b->nsucc && !found; j++)
			found = b->succ[j].v == a->succ[i].v;
		if (!found)
			return 0;
	}
	return 1;
}

/* The siblings' rule (after MDA-Lite): vertices at one TTL that lead to
 * the same next hops are the branches of one diamond, or one router
 * answering from each branch's interface.  V has seen exactly the next
 * hops of a sibling that met MDA's own rule: V stops there, as many
 * flows as it took to see each of them instead of k(n) -- the links of
 * V are each seen by a flow still.  A vertex with a next hop its
 * siblings lack goes on by MDA's rule. */
static const struct mda_vtx *
sibling_done(const struct mda *m, const struct mda_vtx *v)
{
	if (v->nsucc == 0 || v == &m->vtx[ROOT])
		return NULL;
	for (uint16_t i = 1; i < m->vtxc; i++) {
		const struct mda_vtx *u = &m->vtx[i];
		if (u == v || u->ttl != v->ttl || u->nsucc != v->nsucc ||
		    (u->flags & (VTX_TERMINAL | VTX_STUCK)) ||
		    u->nres < need_full(m, u))
			continue;
		if (succ_subset(v, u))
			return u;
	}
	return NULL;
}

uint32_t
mda_need(const struct mda *m, const struct mda_vtx *v)
{
	if (v->flags & (VTX_TERMINAL | VTX_STUCK))
		return 0;
	if (sibling_done(m, v) != NULL)
		return v->nres;
	return need_full(m, v);
}

static int64_t
send_retry(struct mda *m)
{
	const struct mda_probe *old = &m->probes[m->retry[m->retryhead]];
	struct mda_probe p = *old;
	int64_t r;

	if (++m->retryhead == m->retryc)
		m->retryhead = m->retryc = 0;
	m->st.retry++;
	r = probe_add(m, p.flow, p.ttl, (uint8_t)(p.attempt + 1), p.intent,
	    MDA_K_HOP);
	if (r >= 0)
		m->probes[r].p8 = p.p8;
	return r;
}

static int64_t
send_repeat(struct mda *m, uint16_t v)
{
	struct mda_vtx *x = &m->vtx[v];

	x->pp_left--;
	m->st.repeat++;
	return probe_add(m, x->pp_flow, x->pp_ttl, 0, v, MDA_K_REPEAT);
}

/* The next re-probe of a link across silences, or -2 if none is due:
 * ATTEMPTS rounds over its silent TTLs. */
static int64_t
send_confirm(struct mda *m)
{
	for (uint16_t i = 0; i < m->gapc; i++) {
		struct mda_gap *g = &m->gaps[i];
		unsigned sent, span = g->hopc - 1u;

		if (g->state != GAP_CHECKING || g->tosend == 0)
			continue;
		sent = span * m->c.attempts - g->tosend;
		g->tosend--;
		g->inflight++;
		m->st.confirm++;
		return probe_add(m, g->flow, (uint8_t)(g->t1 + sent % span),
		    (uint8_t)(m->c.attempts + sent / span), i, MDA_K_CONFIRM);
	}
	return -2;
}

/* The vertex with the lowest TTL that wants a probe now; MDA_NONE. */
static uint16_t
pick(struct mda *m, int *repeat)
{
	uint16_t best = MDA_NONE;

	for (uint16_t i = 0; i < m->vtxc; i++) {
		struct mda_vtx *v = &m->vtx[i];
		uint32_t need = mda_need(m, v);
		int rep = v->pp_left > 0;

		if (!rep && (uint32_t)v->nres + v->npend >= need) {
			if (v->npend == 0 && !(v->flags & VTX_PPDONE) &&
			    v->nres >= need) {
				pp_start(m, i);
				rep = v->pp_left > 0;
			}
			if (!rep)
				continue;
		}
		/* a vertex that has shown one next hop so far goes on two
		 * flows at a time: the rule for its hop may be met by its
		 * siblings' answers meanwhile */
		if (!rep && v->nsucc <= 1 && v->npend >= 2 && i != ROOT)
			continue;
		if (!rep && !mda_has_spare(m, i) && (v->ctl >= MDA_CTL_MAX ||
		    ((uint32_t)v->nres + v->npend) * 255 + v->ctl_p >=
		    need * 255 || (v->ctl == 0 && m->fly_at[v->ttl] > 0)))
			continue;	/* node control in flight will do, or
					   probes in flight may bring flows */
		if (best == MDA_NONE || v->ttl < m->vtx[best].ttl) {
			best = i;
			*repeat = rep;
		}
	}
	return best;
}

int
mda_next(struct mda *m, uint32_t *id)
{
	int64_t r = -2;
	uint16_t v;
	int repeat = 0;

	if (m->probec >= m->c.maxprobes) {
		m->budget_hit = 1;
		return m->pending > 0 ? MDA_WAIT : MDA_DONE;
	}
	if (m->retryc > m->retryhead)
		r = send_retry(m);
	while (r == -2 && m->backc > m->backhead) {
		r = send_backfill(m, m->back[m->backhead]);
		if (++m->backhead == m->backc)
			m->backhead = m->backc = 0;
	}
	if (r == -2)
		r = send_confirm(m);
	while (r == -2 && (v = pick(m, &repeat)) != MDA_NONE) {
		if (repeat)
			r = send_repeat(m, v);
		else if (mda_has_spare(m, v))
			r = mda_send_spare(m, v, MDA_NONE, 0);
		else if (m->vtx[v].node != MDA_NONE &&
		    m->vtx[v].ttl < 255 &&
		    mda_hop_single(m, m->vtx[v].ttl) == v)
			r = mda_send_fresh(m, (uint8_t)(m->vtx[v].ttl + 1),
			    MDA_NONE, 0);
		else if ((r = mda_ctl_send(m, v)) == -2) {
			m->vtx[v].flags |= VTX_STUCK;
			m->st.stuck++;
		}
		if (r == -1 && errno == ENOSPC) {
			m->vtx[v].flags |= VTX_STUCK;
			r = -2;
		}
	}
	if (r == -1)
		return -1;
	if (r >= 0) {
		*id = (uint32_t)r;
		return MDA_SEND;
	}
	return m->pending > 0 ? MDA_WAIT : MDA_DONE;
}

void
mda_set_maxflows(struct mda *m, uint32_t n)
{
	m->c.maxflows = n > MDA_NONE ? MDA_NONE : n;
}

/* ---- reading the results ---------------------------------------------- */

uint32_t
mda_probec(const struct mda *m)
{
	return m->probec;
}

const struct mda_probe *
mda_probe(const struct mda *m, uint32_t id)
{
	return id < m->probec ? &m->probes[id] : NULL;
}

const struct mda_stats *
mda_stats(const struct mda *m)
{
	return &m->st;
}

/* Nonzero once the probe budget stopped the search. */
ACCESSOR(mda, int, mda_budget_hit, budget_hit)

/* Flows used so far (flow indexes 0 .. mda_flowc() - 1). */
ACCESSOR(mda, uint32_t, mda_flowc, flowc)

/* Nodes in the order they were found. */
ACCESSOR(mda, uint16_t, mda_nodec, nodec)

const uint8_t *
mda_node_addr(const struct mda *m, uint16_t i)
{
	return i < m->nodec ? m->nodes[i].addr : NULL;
}

int
mda_node_terminal(const struct mda *m, uint16_t i)
{
	return i < m->nodec && m->nodes[i].terminal;
}

int
mda_node_lossy(const struct mda *m, uint16_t i)
{
	const struct mda_vtx *v;

	if (i >= m->nodec || !(m->vtx[m->nodes[i].v].flags & VTX_LOSSY))
		return 0;
	/* flows that passed it for other vertices' sake may have met its
	 * need after all */
	v = &m->vtx[m->nodes[i].v];
	return v->nres < need_full(m, v) && sibling_done(m, v) == NULL;
}

int
mda_node_perpkt(const struct mda *m, uint16_t i)
{
	return i < m->nodec &&
	    (m->vtx[m->nodes[i].v].flags & VTX_PERPKT) != 0;
}

double
mda_node_confidence(const struct mda *m, uint16_t i)
{
	const struct mda_vtx *v, *u;
	double c;

	if (i >= m->nodec || (m->vtx[m->nodes[i].v].flags & VTX_TERMINAL))
		return -1;
	v = &m->vtx[m->nodes[i].v];
	c = mda_confidence(v->nsucc, v->nres);
	if ((u = sibling_done(m, v)) != NULL &&
	    mda_confidence(u->nsucc, u->nres) > c)
		c = mda_confidence(u->nsucc, u->nres);
	return c;
}
