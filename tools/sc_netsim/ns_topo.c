/*
 * ns_topo.c: the topology model: building it, finishing it (in-links,
 * home paths, address hash, checks), and walking a flow along it.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "ns_int.h"

#define NS_MAXPREDS	256	/* predecessors tracked while finishing */

static int
grow(void **v, uint32_t *cap, uint32_t need, size_t elsz)
{
	uint32_t old = *cap;

	if (need <= *cap)
		return 0;
	if (need > UINT32_MAX / 4 || mem_grow32(v, cap, need, elsz, 16) != 0)
		return -1;
	memset((char *)*v + (size_t)old * elsz, 0,
	    (size_t)(*cap - old) * elsz);
	return 0;
}

static void
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

struct netsim *
ns_topo_new(const struct netsim_params *p)
{
	struct netsim *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->p = *p;
	s->rng = p->seed ^ 0x5ca3be75eedULL;
	s->rbufsz = NS_RBUF;
	if ((s->rbuf = malloc(s->rbufsz)) == NULL) {
		free(s);
		return NULL;
	}
	return s;
}

void
netsim_free(struct netsim *s)
{
	if (s == NULL)
		return;
	for (uint32_t i = 0; i < s->nrtr; i++)
		free(s->rtr[i].name);
	for (uint32_t i = 0; i < s->nlb; i++)
		free(s->lb[i].name);
	free(s->rtr);
	free(s->lb);
	free(s->elems);
	free(s->leaf);
	free(s->inl);
	free(s->home);
	free(s->ah);
	free(s->gen_map[0]);
	free(s->gen_map[1]);
	free(s->rbuf);
	free(s);
}

/* One more element of ELSZ bytes, zeroed, at the end of the array *V
 * (*N used, *CAP held): its index, or -1 when out of memory. */
static int
append_zeroed(void **v, uint32_t *n, uint32_t *cap, size_t elsz)
{
	if (grow(v, cap, *n + 1, elsz) == -1)
		return -1;
	memset((char *)*v + (size_t)*n * elsz, 0, elsz);
	return (int)(*n)++;
}

int
ns_topo_add_router(struct netsim *s, int af)
{
	int i = append_zeroed((void **)&s->rtr, &s->nrtr, &s->caprtr,
	    sizeof(*s->rtr));

	if (i != -1) {
		s->rtr[i].af = (uint8_t)af;
		s->rtr[i].ittl = 255;
		s->rtr[i].mtu = 0;
	}
	return i;
}

int
ns_topo_add_lb(struct netsim *s, int af)
{
	int i = append_zeroed((void **)&s->lb, &s->nlb, &s->caplb,
	    sizeof(*s->lb));

	if (i != -1)
		s->lb[i].af = (uint8_t)af;
	return i;
}

int
ns_topo_add_leaf(struct netsim *s)
{
	return append_zeroed((void **)&s->leaf, &s->nleaf, &s->capleaf,
	    sizeof(*s->leaf));
}

int
ns_topo_push_elem(struct netsim *s, uint32_t e)
{
	if (grow((void **)&s->elems, &s->capelems, s->nelems + 1,
	    sizeof(*s->elems)) == -1)
		return -1;
	s->elems[s->nelems++] = e;
	return 0;
}

const char *
ns_addr_str(int af, const uint8_t *a, char *buf, size_t len)
{
	if (inet_ntop(af == 4 ? AF_INET : AF_INET6, a, buf,
	    (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

/* ---- in-links: which interface answers for which predecessor ------- */

struct inl_vec {
	struct ns_inl	*v;
	uint32_t	 n, cap;
};

struct predset {
	uint32_t	 p[NS_MAXPREDS];
	int		 n;
};

static void
predset_add(struct predset *ps, uint32_t p)
{
	for (int i = 0; i < ps->n; i++)
		if (ps->p[i] == p)
			return;
	if (ps->n < NS_MAXPREDS)
		ps->p[ps->n++] = p;
}

static int
inl_walk(struct netsim *s, const struct ns_slice *sl, struct predset *ps,
    struct inl_vec *iv, int depth, char *err, size_t errlen)
{
	if (depth > NS_MAXNEST) {
		seterr(err, errlen, "load balancers nest deeper than %d "
		    "(or contain themselves)", NS_MAXNEST);
		return -1;
	}
	for (uint32_t i = 0; i < sl->len; i++) {
		uint32_t e = s->elems[sl->off + i];

		if ((e & NS_ELEM_LB) == 0) {
			for (int k = 0; k < ps->n; k++) {
				if (grow((void **)&iv->v, &iv->cap, iv->n + 1,
				    sizeof(*iv->v)) == -1) {
					seterr(err, errlen, "out of memory");
					return -1;
				}
				iv->v[iv->n].rtr = e;
				iv->v[iv->n].pred = ps->p[k];
				iv->n++;
			}
			ps->n = 1;
			ps->p[0] = e;
			continue;
		}
		const struct ns_lb *lb = &s->lb[e & ~NS_ELEM_LB];
		struct predset in = *ps, out;

		out.n = 0;
		for (int b = 0; b < lb->nbr; b++) {
			struct predset t = in;
			if (inl_walk(s, &lb->br[b], &t, iv, depth + 1, err,
			    errlen) == -1)
				return -1;
			for (int k = 0; k < t.n; k++)
				predset_add(&out, t.p[k]);
		}
		*ps = out;
	}
	return 0;
}

static int
inl_cmp(const void *a, const void *b)
{
	const struct ns_inl *x = a, *y = b;

	if (x->rtr != y->rtr)
		return x->rtr < y->rtr ? -1 : 1;
	if (x->pred != y->pred)	/* NS_NOPRED (the prober) sorts last */
		return x->pred < y->pred ? -1 : 1;
	return 0;
}

static int
finish_inl(struct netsim *s, char *err, size_t errlen)
{
	struct inl_vec iv = { NULL, 0, 0 };
	uint32_t n = 0;

	for (uint32_t i = 0; i < s->nleaf; i++) {
		struct predset ps = { { NS_NOPRED }, 1 };
		if (inl_walk(s, &s->leaf[i].path, &ps, &iv, 0, err,
		    errlen) == -1) {
			free(iv.v);
			return -1;
		}
	}
	if (iv.n > 0)
		qsort(iv.v, iv.n, sizeof(*iv.v), inl_cmp);
	for (uint32_t i = 0; i < iv.n; i++) {
		if (n > 0 && inl_cmp(&iv.v[n - 1], &iv.v[i]) == 0)
			continue;
		iv.v[n++] = iv.v[i];
	}
	for (uint32_t i = 0; i < n; i++) {
		struct ns_router *r = &s->rtr[iv.v[i].rtr];
		if (r->inl_len == 0)
			r->inl_off = i;
		iv.v[i].ifx = (uint8_t)(r->inl_len % r->nif);
		r->inl_len++;
	}
	s->inl = iv.v;
	s->ninl = n;
	return 0;
}

int
ns_topo_inl_ifx(const struct netsim *s, uint32_t r, uint32_t pred)
{
	const struct ns_router *rt = &s->rtr[r];

	for (uint32_t i = 0; i < rt->inl_len; i++)
		if (s->inl[rt->inl_off + i].pred == pred)
			return s->inl[rt->inl_off + i].ifx;
	return 0;
}

/* ---- home paths: the routers before each router, for probes to it ---- */

struct hstack {
	uint32_t	 v[NS_MAXHOPS];
	int		 n;
};

/* Make room for at least need entries in s->home, doubling: one
 * realloc per router made the walk quadratic in copies (3.5 s of
 * sc_netsim's start in a sanitizer build, whose realloc always moves). */
static int
home_room(struct netsim *s, uint32_t need)
{
	uint32_t cap = s->homecap > 0 ? s->homecap : 256;
	uint32_t *nh;

	if (need <= s->homecap)
		return 0;
	while (cap < need) {
		if (cap > UINT32_MAX / 2)
			return -1;
		cap *= 2;
	}
	if ((nh = reallocarray(s->home, cap, sizeof(*nh))) == NULL)
		return -1;
	s->home = nh;
	s->homecap = cap;
	return 0;
}

static int
home_walk(struct netsim *s, const struct ns_slice *sl, struct hstack *st,
    char *err, size_t errlen)
{
	for (uint32_t i = 0; i < sl->len; i++) {
		uint32_t e = s->elems[sl->off + i];

		if ((e & NS_ELEM_LB) == 0) {
			struct ns_router *r = &s->rtr[e];

			if (!r->home_set) {
				uint32_t need = s->nhome + (uint32_t)st->n;

				if (home_room(s, need + 1) == -1) {
					seterr(err, errlen, "out of memory");
					return -1;
				}
				r->home_off = s->nhome;
				r->home_len = (uint32_t)st->n;
				memcpy(s->home + s->nhome, st->v,
				    (size_t)st->n * sizeof(*s->home));
				s->nhome = need;
				r->home_set = 1;
			}
			if (st->n >= NS_MAXHOPS - 1) {
				seterr(err, errlen, "a path has more than %d "
				    "routers", NS_MAXHOPS - 1);
				return -1;
			}
			st->v[st->n++] = e;
			continue;
		}
		const struct ns_lb *lb = &s->lb[e & ~NS_ELEM_LB];
		int depth = st->n;

		for (int b = lb->nbr - 1; b >= 0; b--) {
			st->n = depth;
			if (home_walk(s, &lb->br[b], st, err, errlen) == -1)
				return -1;
		}
	}
	return 0;
}

/* ---- address hash --------------------------------------------------- */

static uint32_t
addr_hash(int af, const uint8_t *a)
{
	uint32_t h = 2166136261u ^ (uint32_t)af;

	for (int i = 0; i < ns_alen(af); i++)
		h = (h ^ a[i]) * 16777619u;
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	return h;
}

static int
finish_ah(struct netsim *s, char *err, size_t errlen)
{
	uint32_t n = 0, size = 64;
	char buf[64];

	for (uint32_t i = 0; i < s->nrtr; i++)
		n += s->rtr[i].nif;
	while (size < n * 2)
		size *= 2;
	if ((s->ah = calloc(size, sizeof(*s->ah))) == NULL) {
		seterr(err, errlen, "out of memory");
		return -1;
	}
	s->ahmask = size - 1;
	for (uint32_t i = 0; i < size; i++)
		s->ah[i].rtr = UINT32_MAX;
	for (uint32_t r = 0; r < s->nrtr; r++) {
		const struct ns_router *rt = &s->rtr[r];
		for (int k = 0; k < rt->nif; k++) {
			uint32_t h = addr_hash(rt->af, rt->ifaddr[k].a);
			struct ns_ahent *e;

			for (;;) {
				e = &s->ah[h & s->ahmask];
				if (e->rtr == UINT32_MAX)
					break;
				if (e->af == rt->af && memcmp(e->addr.a,
				    rt->ifaddr[k].a, 16) == 0) {
					seterr(err, errlen, "address %s is used "
					    "twice", ns_addr_str(rt->af,
					    rt->ifaddr[k].a, buf, sizeof(buf)));
					return -1;
				}
				h++;
			}
			e->addr = rt->ifaddr[k];
			e->af = rt->af;
			e->rtr = r;
			e->ifx = (uint8_t)k;
		}
	}
	return 0;
}

int
ns_topo_addr_lookup(const struct netsim *s, int af, const uint8_t *addr,
    int *ifx)
{
	uint32_t h = addr_hash(af, addr);
	uint8_t key[16] = { 0 };

	memcpy(key, addr, (size_t)ns_alen(af));
	for (;;) {
		const struct ns_ahent *e = &s->ah[h & s->ahmask];

		if (e->rtr == UINT32_MAX)
			return -1;
		if (e->af == af && memcmp(e->addr.a, key, 16) == 0) {
			*ifx = e->ifx;
			return (int)e->rtr;
		}
		h++;
	}
}

/* ---- checks ---------------------------------------------------------- */

static int
check_slice_af(const struct netsim *s, const struct ns_slice *sl, int af,
    int depth)
{
	if (depth > NS_MAXNEST)
		return -1;
	for (uint32_t i = 0; i < sl->len; i++) {
		uint32_t e = s->elems[sl->off + i];

		if ((e & NS_ELEM_LB) == 0) {
			if (s->rtr[e].af != af)
				return -1;
			continue;
		}
		const struct ns_lb *lb = &s->lb[e & ~NS_ELEM_LB];
		for (int b = 0; b < lb->nbr; b++)
			if (check_slice_af(s, &lb->br[b], af, depth + 1) == -1)
				return -1;
	}
	return 0;
}

int
ns_topo_finish(struct netsim *s, char *err, size_t errlen)
{
	char buf[64];

	for (uint32_t i = 0; i < s->nleaf; i++) {
		const struct ns_leaf *l = &s->leaf[i];
		if (check_slice_af(s, &l->path, l->af, 0) == -1) {
			seterr(err, errlen, "path to %s/%d mixes address "
			    "families or nests balancers deeper than %d",
			    ns_addr_str(l->af, l->pfx.a, buf, sizeof(buf)),
			    l->plen, NS_MAXNEST);
			return -1;
		}
	}
	for (uint32_t i = 0; i < s->nrtr; i++)
		if (s->rtr[i].nif == 0) {
			seterr(err, errlen, "router %u has no address", i);
			return -1;
		}
	if (finish_inl(s, err, errlen) == -1)
		return -1;
	for (uint32_t i = 0; i < s->nleaf; i++) {
		struct hstack st;
		st.n = 0;
		if (home_walk(s, &s->leaf[i].path, &st, err, errlen) == -1)
			return -1;
	}
	return finish_ah(s, err, errlen);
}

/* ---- lookups and the walk ------------------------------------------- */

static int
pfx_match(const uint8_t *a, const uint8_t *pfx, int plen)
{
	int full = plen / 8, rem = plen % 8;

	if (memcmp(a, pfx, (size_t)full) != 0)
		return 0;
	if (rem == 0)
		return 1;
	return ((a[full] ^ pfx[full]) & (0xff00 >> rem)) == 0;
}

/* Bits [from, from+n) of address A as an integer (n <= 24). */
static uint32_t
addr_bits(const uint8_t *a, int from, int n)
{
	uint32_t v = 0;

	for (int i = 0; i < n; i++) {
		int bit = from + i;
		v = (v << 1) | ((a[bit / 8] >> (7 - bit % 8)) & 1);
	}
	return v;
}

const struct ns_leaf *
ns_topo_leaf_lookup(const struct netsim *s, int af, const uint8_t *dst)
{
	const struct ns_leaf *best = NULL;
	int fi = af == 4 ? 0 : 1;

	if (s->generated) {
		const uint8_t *pfx = af == 4 ? s->p.pfx4 : s->p.pfx6;
		int plen = af == 4 ? s->p.plen4 : s->p.plen6;
		int leaf = af == 4 ? s->p.leaf4 : s->p.leaf6;
		uint32_t slot;

		if (s->gen_map[fi] == NULL || !pfx_match(dst, pfx, plen))
			return NULL;
		slot = addr_bits(dst, plen, leaf - plen);
		if (slot >= s->gen_count[fi] ||
		    s->gen_map[fi][slot] == UINT32_MAX)
			return NULL;
		return &s->leaf[s->gen_map[fi][slot]];
	}
	for (uint32_t i = 0; i < s->nleaf; i++) {
		const struct ns_leaf *l = &s->leaf[i];
		if (l->af == af && (best == NULL || l->plen > best->plen) &&
		    pfx_match(dst, l->pfx.a, l->plen))
			best = l;
	}
	return best;
}

static uint32_t
fmix32(uint32_t h)
{
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

static uint32_t
flow_base(int af, const uint8_t *src, const uint8_t *dst, uint8_t proto,
    const uint8_t l4[4])
{
	uint32_t h = 2166136261u;
	int n = ns_alen(af);

	for (int i = 0; i < n; i++)
		h = (h ^ src[i]) * 16777619u;
	for (int i = 0; i < n; i++)
		h = (h ^ dst[i]) * 16777619u;
	h = (h ^ proto) * 16777619u;
	for (int i = 0; i < 4; i++)
		h = (h ^ l4[i]) * 16777619u;
	return h;
}

uint32_t
netsim_flow_hash(uint32_t lbid, int af, const uint8_t *src,
    const uint8_t *dst, uint8_t proto, const uint8_t l4[4])
{
	return fmix32(flow_base(af, src, dst, proto, l4) ^
	    (lbid * 0x9e3779b1u));
}

int
ns_topo_walk(const struct netsim *s, const struct ns_slice *path, int af,
    const uint8_t *src, const uint8_t *dst, uint8_t proto,
    const uint8_t l4[4], ns_ppchoice *pp, void *arg, uint32_t *hops,
    int max)
{
	struct {
		const uint32_t	*e;
		uint32_t	 n, i;
	} st[NS_MAXNEST + 2];
	uint32_t base = 0;
	int sp = 0, nh = 0, based = 0;

	st[0].e = s->elems + path->off;
	st[0].n = path->len;
	st[0].i = 0;
	while (sp >= 0 && nh < max) {
		uint32_t e, b;

		if (st[sp].i == st[sp].n) {
			sp--;
			continue;
		}
		e = st[sp].e[st[sp].i++];
		if ((e & NS_ELEM_LB) == 0) {
			hops[nh++] = e;
			continue;
		}
		const struct ns_lb *lb = &s->lb[e & ~NS_ELEM_LB];
		if (lb->perpkt)
			b = pp(arg, e & ~NS_ELEM_LB) % lb->nbr;
		else {
			if (!based) {
				base = flow_base(af, src, dst, proto, l4);
				based = 1;
			}
			b = fmix32(base ^ ((e & ~NS_ELEM_LB) * 0x9e3779b1u)) %
			    lb->nbr;
		}
		if (sp + 1 >= (int)(sizeof(st) / sizeof(st[0])))
			continue;	/* finish() rejects this */
		sp++;
		st[sp].e = s->elems + lb->br[b].off;
		st[sp].n = lb->br[b].len;
		st[sp].i = 0;
	}
	return nh;
}

uint8_t
ns_topo_dest(const struct netsim *s, const struct ns_leaf *leaf,
    const uint8_t *dst, uint8_t *ittl)
{
	uint64_t h = s->p.seed ^ 0xd1b54a32d192ed03ULL;
	uint8_t f = 0;
	uint32_t x;

	for (int i = 0; i < ns_alen(leaf->af); i++)
		h = (h ^ dst[i]) * 0x100000001b3ULL;
	(void)ns_rand(&h);
	x = (uint32_t)ns_rand(&h);
	if (leaf->dttl != 0)
		*ittl = leaf->dttl;
	else
		*ittl = (x % 10) < 6 ? 64 : (x % 10) < 9 ? 128 : 255;
	if (!(leaf->dflags & NS_D_HASHED))
		return leaf->dflags;
	x = (uint32_t)ns_rand(&h);
	if ((int)(x % 1000) < s->p.silent_share)
		return (x / 1000) % 3 == 0 ? NS_D_UNREACH : 0;
	x = (uint32_t)ns_rand(&h);
	if (x % 100 < 95)
		f |= NS_D_ECHO;
	if ((x / 100) % 100 < 90)
		f |= NS_D_UDP;
	x = (uint32_t)ns_rand(&h);
	if (x % 100 < 40)
		f |= NS_D_SYNACK;
	else if (x % 100 < 90)
		f |= NS_D_RST;
	return f;
}
