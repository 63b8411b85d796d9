/*
 * rtable.c: longest-prefix match over a copy of the routing tables (see
 * rtable.h).  Routes are kept sorted by table, prefix length (longest
 * first) and prefix; a lookup masks the destination once per length
 * present and searches that length's run.
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "rtable.h"

struct rt_ent {
	uint8_t			 pfx[16];
	uint8_t			 plen;
	uint8_t			 tab;
	uint8_t			 plain;
	struct rtable_nh	 nh;		/* oif 0: not known */
	struct rtable_src	 src;
};

/* One prefix length of one table: entries [lo, hi). */
struct rt_run {
	uint8_t		 tab;
	uint8_t		 plen;
	size_t		 lo, hi;
};

struct rtable {
	int		 alen;
	struct rt_ent	*e;
	size_t		 n, cap;
	struct rt_run	*run;
	size_t		 nrun;
};

struct rtable *
rtable_new(int af)
{
	struct rtable *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->alen = af == AF_INET ? 4 : 16;
	return t;
}

/* Keep the first PLEN bits of A (ALEN bytes), zero the rest, into OUT. */
static void
mask(const uint8_t *a, unsigned plen, int alen, uint8_t *out)
{
	memset(out, 0, 16);
	for (int i = 0; i < alen && plen > 0; i++) {
		unsigned b = plen >= 8 ? 8 : plen;
		out[i] = (uint8_t)(a[i] & (0xff00 >> b));
		plen -= b;
	}
}

int
rtable_add(struct rtable *t, int tab, const uint8_t *prefix, unsigned plen,
    int plain)
{
	return rtable_add_nh(t, tab, prefix, plen, plain, NULL);
}

int
rtable_add_nh(struct rtable *t, int tab, const uint8_t *prefix,
    unsigned plen, int plain, const struct rtable_nh *nh)
{
	struct rt_ent *e;

	if (tab < 0 || tab >= RTABLE_NTAB || plen > (unsigned)t->alen * 8) {
		errno = EINVAL;
		return -1;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap == 0 ? 16 : t->cap * 2;
		struct rt_ent *v = realloc(t->e, cap * sizeof(*v));
		if (v == NULL)
			return -1;
		t->e = v;
		t->cap = cap;
	}
	e = &t->e[t->n++];
	memset(e, 0, sizeof(*e));
	mask(prefix, plen, t->alen, e->pfx);
	e->plen = (uint8_t)plen;
	e->tab = (uint8_t)tab;
	e->plain = plain != 0;
	if (nh != NULL && nh->oif != 0)
		e->nh = *nh;
	return 0;
}

static int
ent_cmp(const void *a, const void *b)
{
	const struct rt_ent *x = a, *y = b;

	if (x->tab != y->tab)
		return x->tab < y->tab ? -1 : 1;
	if (x->plen != y->plen)
		return x->plen > y->plen ? -1 : 1;
	return memcmp(x->pfx, y->pfx, 16);
}

/* Merge routes of one prefix in one table: more than one is "ask". */
static void
dedupe(struct rtable *t)
{
	size_t w = 0;

	for (size_t r = 0; r < t->n; r++) {
		if (w > 0 && ent_cmp(&t->e[w - 1], &t->e[r]) == 0) {
			t->e[w - 1].plain = 0;
			t->e[w - 1].nh.oif = 0;
			continue;
		}
		t->e[w++] = t->e[r];
	}
	t->n = w;
}

void
rtable_finish(struct rtable *t)
{
	free(t->run);
	t->run = NULL;
	t->nrun = 0;
	if (t->n == 0)
		return;
	qsort(t->e, t->n, sizeof(*t->e), ent_cmp);
	dedupe(t);
	/* at most one run per table and length */
	if ((t->run = calloc(t->n, sizeof(*t->run))) == NULL) {
		t->n = 0;	/* nothing found: every lookup asks */
		return;
	}
	for (size_t i = 0; i < t->n; i++) {
		struct rt_run *r = t->nrun > 0 ? &t->run[t->nrun - 1] : NULL;
		if (r == NULL || r->tab != t->e[i].tab ||
		    r->plen != t->e[i].plen) {
			r = &t->run[t->nrun++];
			r->tab = t->e[i].tab;
			r->plen = t->e[i].plen;
			r->lo = i;
		}
		r->hi = i + 1;
	}
}

/* The entry of run R whose prefix is KEY, or -1. */
static long
search(const struct rtable *t, const struct rt_run *r, const uint8_t *key)
{
	size_t lo = r->lo, hi = r->hi;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(t->e[mid].pfx, key, (size_t)t->alen);
		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

int
rtable_lookup(const struct rtable *t, const uint8_t *dst)
{
	uint8_t key[16];

	for (size_t i = 0; i < t->nrun; i++) {
		const struct rt_run *r = &t->run[i];
		long e;

		mask(dst, r->plen, t->alen, key);
		if ((e = search(t, r, key)) == -1)
			continue;
		/* the first table holding DST decides; the local table's
		 * routes (local, broadcast) are the kernel's to answer */
		if (r->tab == 0 || !t->e[e].plain)
			return -1;
		return (int)e;
	}
	return -1;
}

struct rtable_src *
rtable_src(struct rtable *t, int id)
{
	return &t->e[id].src;
}

int
rtable_nexthop(const struct rtable *t, int id, struct rtable_nh *nh)
{
	if (t->e[id].nh.oif == 0)
		return -1;
	*nh = t->e[id].nh;
	return 0;
}

void
rtable_route(const struct rtable *t, int id, uint8_t *pfx, unsigned *plen)
{
	memcpy(pfx, t->e[id].pfx, 16);
	*plen = t->e[id].plen;
}

size_t
rtable_count(const struct rtable *t)
{
	return t->n;
}

void
rtable_free(struct rtable *t)
{
	if (t == NULL)
		return;
	free(t->e);
	free(t->run);
	free(t);
}
