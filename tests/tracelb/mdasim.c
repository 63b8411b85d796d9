/*
 * mdasim.c: the tiny simulated network of mdasim.h.
 */
#include <stdlib.h>
#include <string.h>

#include "mdasim.h"

void
msim_init(struct msim *s, uint32_t seed)
{
	memset(s, 0, sizeof(*s));
	s->nn = 1;
	s->seed = seed;
	s->rng = 0x9e3779b97f4a7c15ull ^ seed;
}

int
msim_add(struct msim *s, int silent, int end)
{
	struct msim_node *n = &s->n[s->nn];

	memset(n, 0, sizeof(*n));
	n->silent = silent;
	n->end = end;
	return s->nn++;
}

void
msim_link(struct msim *s, int a, int b)
{
	s->n[a].succ[s->n[a].nsucc++] = b;
}

void
msim_addr(int i, uint8_t *addr)
{
	memset(addr, 0, 16);
	addr[0] = 10;
	addr[2] = (uint8_t)(i >> 8);
	addr[3] = (uint8_t)i;
}

static uint64_t
mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static unsigned
rnd(struct msim *s)
{
	s->rng = mix(s->rng);
	return (unsigned)(s->rng >> 33);
}

static int
choose(struct msim *s, int cur, unsigned flow)
{
	const struct msim_node *n = &s->n[cur];

	if (n->nsucc == 0)
		return -1;
	if (n->perpkt)
		return n->succ[rnd(s) % (unsigned)n->nsucc];
	if (n->alike)
		return n->succ[((mix((uint64_t)s->seed << 40 ^ flow) >> 32) *
		    (unsigned)n->nsucc) >> 32];
	return n->succ[mix((uint64_t)s->seed << 40 ^ (uint64_t)cur << 20 ^
	    flow) % (unsigned)n->nsucc];
}

int
msim_probe(struct msim *s, unsigned flow, unsigned ttl, int *kind)
{
	int cur = 0;

	for (unsigned p = 1; p <= ttl; p++) {
		if ((cur = choose(s, cur, flow)) < 0)
			return -1;
		if (s->n[cur].end || p == ttl) {
			if (s->n[cur].silent ||
			    (s->loss_pct > 0 && rnd(s) % 100 < s->loss_pct) ||
			    (s->n[cur].loss_pct > 0 &&
			    rnd(s) % 100 < s->n[cur].loss_pct))
				return -1;
			*kind = s->n[cur].end ? MDA_R_END : MDA_R_HOP;
			return cur;
		}
	}
	return -1;
}

static void
truth_add(struct msim_link *l, size_t *n, size_t max, int from, int to,
    int hopc)
{
	for (size_t i = 0; i < *n; i++)
		if (l[i].from == from && l[i].to == to && l[i].hopc == hopc)
			return;
	if (*n < max) {
		l[*n].from = from;
		l[*n].to = to;
		l[*n].hopc = hopc;
		(*n)++;
	}
}

static void
dfs(const struct msim *s, int cur, int last, int since, struct msim_link *l,
    size_t *n, size_t max)
{
	const struct msim_node *x = &s->n[cur];

	if (cur != 0) {
		since++;
		if (!x->silent) {
			if (last > 0)
				truth_add(l, n, max, last, cur, since);
			last = cur;
			since = 0;
		}
		if (x->end)
			return;
	}
	for (int i = 0; i < x->nsucc; i++)
		dfs(s, x->succ[i], last, since, l, n, max);
}

size_t
msim_truth(const struct msim *s, struct msim_link *l, size_t max)
{
	size_t n = 0;

	dfs(s, 0, 0, 0, l, &n, max);
	return n;
}

static int
node_of(const struct mda *m, uint16_t i)
{
	const uint8_t *a = mda_node_addr(m, i);

	return a == NULL ? -1 : a[2] << 8 | a[3];
}

static void
score(const struct msim *s, const struct mda *m, struct msim_score *sc)
{
	struct msim_link t[512];
	size_t tn = msim_truth(s, t, 512), ln;
	struct mda_link *l;

	sc->truth = tn;
	if (mda_links(m, &l, &ln) != 0)
		return;
	for (size_t i = 0; i < ln; i++) {
		int from = node_of(m, l[i].from), to, ok = 0;
		if (l[i].to == MDA_NONE)
			continue;
		to = node_of(m, l[i].to);
		sc->found++;
		for (size_t j = 0; j < tn; j++)
			if (t[j].from == from && t[j].to == to &&
			    t[j].hopc == l[i].hopc)
				ok = 1;
		if (ok)
			sc->right++;
		else
			sc->wrong++;
	}
	mda_links_free(l, ln);
}

void
msim_run(struct msim *s, struct mda *m, unsigned window,
    struct msim_score *sc)
{
	uint32_t fifo[64], head = 0, n = 0, id;
	uint8_t addr[16];
	int rc = MDA_WAIT, kind, node;

	memset(sc, 0, sizeof(*sc));
	if (window == 0 || window > 64)
		window = 1;
	for (unsigned guard = 0; guard < 1000000; guard++) {
		while (n < window && (rc = mda_next(m, &id)) == MDA_SEND) {
			fifo[(head + n) % 64] = id;
			n++;
		}
		if (rc < 0)
			break;
		if (n == 0) {
			sc->done = rc == MDA_DONE;
			break;
		}
		id = fifo[head];
		head = (head + 1) % 64;
		n--;
		node = msim_probe(s, mda_probe(m, id)->flow,
		    mda_probe(m, id)->ttl, &kind);
		if (node < 0)
			mda_lost(m, id);
		else {
			msim_addr(node, addr);
			mda_reply(m, id, addr, kind);
		}
	}
	sc->probes = mda_probec(m);
	score(s, m, sc);
}
