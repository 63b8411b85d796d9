/*
 * mda_links.c: the links the flows saw.  Walking each flow's hops in TTL
 * order, a node followed (after nothing but silences) by another node
 * is a link between them, and a node followed by silences up to the gap
 * limit is a link to nothing.  The probes of the TTLs a link spans go in
 * its probe sets; a probe whose answer differs from its flow's hop (the
 * per-packet check) goes to the link to what it saw.  A flow that passed
 * a per-packet balancer before the link's first node shows nothing
 * reliable about it: such links are left out.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mda_int.h"

struct lk {
	struct mda_link	*v;
	size_t		 n, cap;
};

static int
cmp_u64(const void *a, const void *b, void *arg)
{
	(void)arg;
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Probe numbers ordered by flow, TTL, number: (flow << 40 | ttl << 32 |
 * id).  NULL on ENOMEM (or no probes). */
static uint64_t *
probes_by_flow(const struct mda *m)
{
	uint64_t *k;

	if (m->probec == 0 || (k = malloc(m->probec * sizeof(*k))) == NULL)
		return NULL;
	for (uint32_t i = 0; i < m->probec; i++)
		k[i] = (uint64_t)m->probes[i].flow << 40 |
		    (uint64_t)m->probes[i].ttl << 32 | i;
	mda_sort(k, m->probec, sizeof(*k), cmp_u64, NULL);
	return k;
}

static struct mda_link *
link_get(struct lk *l, uint16_t from, uint16_t to, uint8_t hopc)
{
	struct mda_link *x;

	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].from == from && l->v[i].to == to &&
		    l->v[i].hopc == hopc)
			return &l->v[i];
	if (l->n == l->cap) {
		size_t c = l->cap < 8 ? 8 : l->cap * 2;
		if ((x = realloc(l->v, c * sizeof(*x))) == NULL)
			return NULL;
		l->v = x;
		l->cap = c;
	}
	x = &l->v[l->n];
	x->from = from;
	x->to = to;
	x->hopc = hopc;
	if ((x->sets = calloc(hopc, sizeof(*x->sets))) == NULL)
		return NULL;
	l->n++;
	return x;
}

static int
set_add(struct mda_set *s, uint32_t id)
{
	if (s->n == s->cap) {
		uint32_t c = s->cap < 4 ? 4 : s->cap * 2;
		uint32_t *p = realloc(s->ids, c * sizeof(*p));
		if (p == NULL)
			return -1;
		s->ids = p;
		s->cap = c;
	}
	s->ids[s->n++] = id;
	return 0;
}

/* The sorted probe keys K[*I ..) of flow F at TTL: [*I, end). */
static size_t
group_end(const uint64_t *k, size_t n, size_t i, uint16_t f, uint8_t ttl)
{
	while (i < n && (uint16_t)(k[i] >> 40) == f &&
	    (uint8_t)(k[i] >> 32) == ttl)
		i++;
	return i;
}

/* Flow F saw node FROM at TTL TF and then TO (or nothing) at TT: put
 * its probes of TTLs TF+1 .. TT in the link's sets.  K[*I ..) are F's
 * probes from TTL TF+1 on (*I is moved past TT's). */
static int
emit(const struct mda *m, struct lk *l, const uint64_t *k, size_t *i,
    uint16_t f, uint16_t from, uint8_t tf, uint16_t to, uint8_t tt)
{
	uint8_t hopc = (uint8_t)(tt - tf);
	struct mda_link *x;

	for (unsigned ttl = tf + 1u; ttl <= tt; ttl++) {
		size_t end;

		while (*i < m->probec && (uint16_t)(k[*i] >> 40) == f &&
		    (uint8_t)(k[*i] >> 32) < ttl)
			(*i)++;
		end = group_end(k, m->probec, *i, f, (uint8_t)ttl);
		for (; *i < end; (*i)++) {
			uint32_t id = (uint32_t)k[*i];
			uint16_t dst = to;
			const struct mda_probe *p = &m->probes[id];

			if (ttl == tt && to != MDA_NONE && p->node != MDA_NONE)
				dst = p->node;	/* its own answer */
			if ((x = link_get(l, from, dst, hopc)) == NULL ||
			    set_add(&x->sets[ttl - tf - 1], id) != 0)
				return -1;
		}
	}
	return 0;
}

#define EFF_NONE	0xffff	/* not known */
#define EFF_SILENT	0xfffe	/* silent */

/* What flow F was at TTL T: a node, EFF_SILENT, or EFF_NONE.  A silent
 * hop that a probe answered after all (late, or when it was checked
 * again) is that answer.  K[I ..) are F's probes at T and above. */
static uint16_t
eff_hop(const struct mda *m, const uint64_t *k, size_t i, uint16_t f,
    unsigned t, uint16_t s)
{
	const struct mda_vtx *x;

	if (s < SLOT_V)
		return EFF_NONE;
	x = &m->vtx[s - SLOT_V];
	if (x->node != MDA_NONE)
		return x->node;
	while (i < m->probec && (uint16_t)(k[i] >> 40) == f &&
	    (uint8_t)(k[i] >> 32) < t)
		i++;
	for (; i < m->probec && (uint16_t)(k[i] >> 40) == f &&
	    (uint8_t)(k[i] >> 32) == t; i++)
		if (m->probes[(uint32_t)k[i]].node != MDA_NONE)
			return m->probes[(uint32_t)k[i]].node;
	return EFF_SILENT;
}

/* The lowest TTL of a per-packet balancer, or 256. */
static unsigned
perpkt_ttl(const struct mda *m)
{
	unsigned t = 256;

	for (uint16_t i = 0; i < m->vtxc; i++)
		if ((m->vtx[i].flags & VTX_PERPKT) && m->vtx[i].ttl < t)
			t = m->vtx[i].ttl;
	return t;
}

/* Walk flow F's hops (its probes are K[*I ..)), adding its links.  A
 * flow first sent beyond the first hop may have passed a per-packet
 * balancer before it was seen: if one is known below its first TTL
 * (PPTTL), none of its links is believed. */
static int
walk(const struct mda *m, struct lk *l, const uint64_t *k, size_t *i,
    uint16_t f, unsigned ppttl)
{
	const struct mda_flow *fl = &m->flows[f];
	uint16_t last = MDA_NONE;
	uint8_t last_t = 0;
	int blocked = fl->t0 > m->c.firsthop && ppttl < fl->t0;

	for (unsigned t = fl->t0; t < (unsigned)fl->t0 + fl->n; t++) {
		uint16_t s = fl->slot[t - fl->t0];
		uint16_t e = eff_hop(m, k, *i, f, t, s);
		const struct mda_vtx *x;
		uint8_t hopc = (uint8_t)(t - last_t);

		if (e == EFF_NONE) {
			last = MDA_NONE;
			continue;
		}
		if (e != EFF_SILENT) {
			if (last != MDA_NONE && m->nodes[last].terminal)
				break;	/* the path ended there */
			if (last != MDA_NONE && !blocked && e != last &&
			    (hopc == 1 ||
			    mda_gap_state(m, last, e, hopc) == GAP_YES) &&
			    emit(m, l, k, i, f, last, last_t, e, (uint8_t)t) != 0)
				return -1;
			if (last != MDA_NONE &&
			    (m->vtx[m->nodes[last].v].flags & VTX_PERPKT))
				blocked = 1;
			last = e;
			last_t = (uint8_t)t;
			continue;
		}
		x = &m->vtx[s - SLOT_V];
		if ((x->flags & VTX_TERMINAL) && x->depth >= m->c.gaplimit &&
		    last != MDA_NONE && !blocked && hopc == x->depth) {
			if (emit(m, l, k, i, f, last, last_t, MDA_NONE,
			    (uint8_t)t) != 0)
				return -1;
			last = MDA_NONE;
		}
	}
	return 0;
}

void
mda_links_free(struct mda_link *links, size_t n)
{
	for (size_t i = 0; links != NULL && i < n; i++) {
		for (uint8_t j = 0; links[i].sets != NULL && j < links[i].hopc;
		    j++)
			free(links[i].sets[j].ids);
		free(links[i].sets);
	}
	free(links);
}

int
mda_links(const struct mda *m, struct mda_link **links, size_t *n)
{
	struct lk l = { NULL, 0, 0 };
	uint64_t *k;
	size_t i = 0;
	int rc = 0;
	unsigned ppttl = perpkt_ttl(m);

	*links = NULL;
	*n = 0;
	if (m->probec == 0)
		return 0;
	if ((k = probes_by_flow(m)) == NULL)
		return -1;
	for (uint32_t f = 0; f < m->flowc && rc == 0; f++) {
		while (i < m->probec && (uint16_t)(k[i] >> 40) < f)
			i++;
		rc = walk(m, &l, k, &i, (uint16_t)f, ppttl);
	}
	free(k);
	if (rc != 0) {
		mda_links_free(l.v, l.n);
		errno = ENOMEM;
		return -1;
	}
	*links = l.v;
	*n = l.n;
	return 0;
}
