/*
 * match.c: the reply -> task hash table (see match.h).
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"

#define NB_MIN	1024	/* first number of slots */
#define MIG_K	8	/* old slots moved per add or delete while growing */

/* One slot: HOME, the low 32 bits of the key's hash (its first slot is
 * HOME masked), and TAG, 32 more, compared before the entry is read; E
 * is NULL in an empty slot. */
struct match_slot {
	uint32_t		 home;
	uint32_t		 tag;
	struct match_entry	*e;
};

struct match_table {
	struct match_slot	*s;
	size_t			 nb;	/* power of two, at least 4n/3:
					 * full to three quarters at
					 * most (issue 22: 16 bytes of
					 * slots per flow, 21-43 a flow
					 * in flight) */
	size_t			 n;	/* entries, in both tables */
	struct match_slot	*os;	/* while growing: the slots before, */
	size_t			 onb;	/* their number, */
	size_t			 mig;	/* the next one moved */
};

/* The key's 20 bytes as three words, each multiplied by an odd constant
 * and folded: a few multiplications instead of FNV's twenty dependent
 * ones (this runs for every reply). */
static uint64_t
key_hash(const struct match_key *k)
{
	uint64_t a, b, h;
	uint32_t c;

	_Static_assert(sizeof(*k) == 20, "match_key is 20 bytes, unpadded");
	memcpy(&a, (const uint8_t *)k, 8);
	memcpy(&b, (const uint8_t *)k + 8, 8);
	memcpy(&c, (const uint8_t *)k + 16, 4);
	h = a * 0x9e3779b97f4a7c15ULL;
	h ^= (b + (h >> 29)) * 0xc2b2ae3d27d4eb4fULL;
	h ^= ((uint64_t)c + (h >> 31)) * 0x165667b19e3779f9ULL;
	return h;
}

static inline uint32_t
hash_home(uint64_t h)
{
	return (uint32_t)(h ^ (h >> 32));
}

static inline uint32_t
hash_tag(uint64_t h)
{
	return (uint32_t)(h >> 32);
}

/* The two keys' 20 bytes equal: three word compares, no call. */
static inline int
key_eq(const struct match_key *a, const struct match_key *b)
{
	uint64_t a0, a1, b0, b1;
	uint32_t a2, b2;

	memcpy(&a0, (const uint8_t *)a, 8);
	memcpy(&b0, (const uint8_t *)b, 8);
	memcpy(&a1, (const uint8_t *)a + 8, 8);
	memcpy(&b1, (const uint8_t *)b + 8, 8);
	memcpy(&a2, (const uint8_t *)a + 16, 4);
	memcpy(&b2, (const uint8_t *)b + 16, 4);
	return ((a0 ^ b0) | (a1 ^ b1) | (a2 ^ b2)) == 0;
}

struct match_table *
match_new(void)
{
	struct match_table *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->nb = NB_MIN;
	if ((t->s = calloc(t->nb, sizeof(*t->s))) == NULL) {
		free(t);
		return NULL;
	}
	return t;
}

void
match_free(struct match_table *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->nb; i++)
		if (t->s[i].e != NULL)
			t->s[i].e->linked = 0;
	for (size_t i = 0; i < t->onb; i++)
		if (t->os[i].e != NULL)
			t->os[i].e->linked = 0;
	free(t->s);
	free(t->os);
	free(t);
}

/* Put slot S in the first empty slot from its home in table (V, NB). */
static void
slot_put(struct match_slot *v, size_t nb, const struct match_slot *s)
{
	size_t i = s->home & (nb - 1);

	while (v[i].e != NULL)
		i = (i + 1) & (nb - 1);
	v[i] = *s;
}

/* Empty slot I of (V, NB), moving back the slots after it that may go
 * there, so that every entry stays reachable from its home without
 * tombstones. */
static void
slot_clear(struct match_slot *v, size_t nb, size_t i)
{
	size_t m = nb - 1, j = i;

	for (;;) {
		j = (j + 1) & m;
		if (v[j].e == NULL)
			break;
		/* slot j's entry may move to i if i is no nearer its home */
		if (((j - (v[j].home & m)) & m) >= ((j - i) & m)) {
			v[i] = v[j];
			i = j;
		}
	}
	v[i].e = NULL;
}

/* Move up to K of the old slots' entries into the table (slot MIG
 * again while an entry moves back into it); free the old slots once all
 * are moved. */
static void
migrate(struct match_table *t, size_t k)
{
	while (t->os != NULL && k-- > 0) {
		if (t->os[t->mig].e != NULL) {
			slot_put(t->s, t->nb, &t->os[t->mig]);
			slot_clear(t->os, t->onb, t->mig);
		} else if (++t->mig == t->onb) {
			free(t->os);
			t->os = NULL;
			t->onb = t->mig = 0;
		}
	}
}

/* Start moving into twice the slots, a few a call (the entries
 * themselves are not read): a whole rehash at once stalls the prober
 * for milliseconds at a large table (tests/bench/RESULTS.md, "the stall
 * pairs", for the destination table). */
static int
grow(struct match_table *t)
{
	size_t nb = t->nb * 2;
	struct match_slot *v;

	if (nb < t->nb || nb > (size_t)UINT32_MAX + 1 ||
	    (v = calloc(nb, sizeof(*v))) == NULL)
		return -1;
	migrate(t, SIZE_MAX);		/* the last growth's, if unfinished */
	t->os = t->s;
	t->onb = t->nb;
	t->mig = 0;
	t->s = v;
	t->nb = nb;
	return 0;
}

/* The entry with key K, whose hash is H, in (V, NB), or NULL. */
static struct match_entry *
find_in(const struct match_slot *v, size_t nb, const struct match_key *k,
    uint64_t h)
{
	size_t m = nb - 1, i = hash_home(h) & m;
	uint32_t home = hash_home(h), tag = hash_tag(h);
	const struct match_slot *s;

	for (;; i = (i + 1) & m) {
		s = &v[i];
		if (s->e == NULL)
			return NULL;
		if (s->home == home && s->tag == tag && key_eq(&s->e->key, k))
			return s->e;
	}
}

/* The entry with key K, whose hash is H, or NULL: in the table, or
 * while it grows in the old slots. */
static struct match_entry *
find_h(const struct match_table *t, const struct match_key *k, uint64_t h)
{
	struct match_entry *e = find_in(t->s, t->nb, k, h);

	if (e == NULL && t->os != NULL)
		e = find_in(t->os, t->onb, k, h);
	return e;
}

int
match_add(struct match_table *t, struct match_entry *e)
{
	uint64_t h = key_hash(&e->key);
	struct match_slot s = { hash_home(h), hash_tag(h), e };

	migrate(t, MIG_K);
	if (find_h(t, &e->key, h) != NULL) {
		errno = EEXIST;
		return -1;
	}
	if ((t->n + 1) * 4 > t->nb * 3 && grow(t) == -1) {
		errno = ENOMEM;
		return -1;
	}
	slot_put(t->s, t->nb, &s);
	e->linked = 1;
	t->n++;
	return 0;
}

/* Unlink E from (V, NB) if it is there.  Returns 1 if it was. */
static int
del_in(struct match_slot *v, size_t nb, struct match_entry *e, uint64_t h)
{
	size_t m = nb - 1, i;

	for (i = hash_home(h) & m; v[i].e != NULL; i = (i + 1) & m)
		if (v[i].e == e) {
			slot_clear(v, nb, i);
			return 1;
		}
	return 0;
}

void
match_del(struct match_table *t, struct match_entry *e)
{
	uint64_t h;

	if (!e->linked)
		return;
	migrate(t, MIG_K);
	h = key_hash(&e->key);
	if (del_in(t->s, t->nb, e, h) ||
	    (t->os != NULL && del_in(t->os, t->onb, e, h))) {
		e->linked = 0;
		t->n--;
	}
}

int
match_add_all(struct match_table *t, struct match_entry *e, size_t n)
{
	int save;

	for (size_t i = 0; i < n; i++)
		if (match_add(t, &e[i]) == -1) {
			save = errno;
			match_del_all(t, e, i);
			errno = save;
			return -1;
		}
	return 0;
}

void
match_del_all(struct match_table *t, struct match_entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		match_del(t, &e[i]);
}

struct match_entry *
match_find(const struct match_table *t, const struct match_key *k)
{
	return find_h(t, k, key_hash(k));
}

void
match_prefetch(const struct match_table *t, const struct match_key *k)
{
	__builtin_prefetch(&t->s[hash_home(key_hash(k)) & (t->nb - 1)]);
}

size_t
match_count(const struct match_table *t)
{
	return t->n;
}

static int
is_echo_like(int af, uint8_t type, int request)
{
	if (af == AF_INET)
		return request ? (type == 8 || type == 13) :
		    (type == 0 || type == 14);
	return request ? type == 128 : type == 129;
}

static int
key_of_quote(const struct pkt_reply *r, struct match_key *k)
{
	const struct pkt_quote *q = &r->q;

	k->af = (uint8_t)q->af;
	k->proto = q->proto;
	memcpy(k->dst, q->dst, 16);
	switch (q->proto) {
	case IPPROTO_UDP:
	case IPPROTO_TCP:
		if (q->l4len < 2)
			return 0;
		k->id = q->sport;
		return 1;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if (q->l4len < 6 || !is_echo_like(q->af, q->icmp_type, 1))
			return 0;
		k->id = q->icmp_id;
		return 1;
	}
	return 0;
}

int
match_key_of_reply(const struct pkt_reply *r, struct match_key *k)
{
	memset(k, 0, sizeof(*k));
	if (r->has_quote)
		return key_of_quote(r, k);
	k->af = (uint8_t)r->af;
	k->proto = r->proto;
	memcpy(k->dst, r->src, 16);
	switch (r->proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
		k->id = r->dport;
		return 1;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if (!is_echo_like(r->af, r->icmp_type, 0))
			return 0;
		k->id = r->icmp_id;
		return 1;
	}
	return 0;
}
