/*
 * match.c: the reply -> task hash table (see match.h).
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"

struct match_table {
	struct match_entry	**b;
	size_t			  nb;	/* power of two */
	size_t			  n;
};

/* The key's 20 bytes as three words, each multiplied by an odd constant
 * and folded: a few multiplications instead of FNV's twenty dependent
 * ones (this runs for every reply). */
static size_t
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
	return (size_t)(h ^ (h >> 32));
}

static int
key_eq(const struct match_key *a, const struct match_key *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

struct match_table *
match_new(void)
{
	struct match_table *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->nb = 1024;
	if ((t->b = calloc(t->nb, sizeof(*t->b))) == NULL) {
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
		for (struct match_entry *e = t->b[i]; e != NULL; e = e->next)
			e->linked = 0;
	free(t->b);
	free(t);
}

static int
grow(struct match_table *t)
{
	size_t nb = t->nb * 2;
	struct match_entry **b, *e, *next;

	if (nb < t->nb || (b = calloc(nb, sizeof(*b))) == NULL)
		return -1;
	for (size_t i = 0; i < t->nb; i++)
		for (e = t->b[i]; e != NULL; e = next) {
			size_t h = key_hash(&e->key) & (nb - 1);
			next = e->next;
			e->next = b[h];
			b[h] = e;
		}
	free(t->b);
	t->b = b;
	t->nb = nb;
	return 0;
}

int
match_add(struct match_table *t, struct match_entry *e)
{
	size_t h;

	if (match_find(t, &e->key) != NULL) {
		errno = EEXIST;
		return -1;
	}
	if (t->n >= t->nb && grow(t) == -1) {
		errno = ENOMEM;
		return -1;
	}
	h = key_hash(&e->key) & (t->nb - 1);
	e->next = t->b[h];
	t->b[h] = e;
	e->linked = 1;
	t->n++;
	return 0;
}

void
match_del(struct match_table *t, struct match_entry *e)
{
	struct match_entry **pp;

	if (!e->linked)
		return;
	for (pp = &t->b[key_hash(&e->key) & (t->nb - 1)]; *pp != NULL;
	    pp = &(*pp)->next)
		if (*pp == e) {
			*pp = e->next;
			e->linked = 0;
			e->next = NULL;
			t->n--;
			return;
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
	struct match_entry *e;

	for (e = t->b[key_hash(k) & (t->nb - 1)]; e != NULL; e = e->next)
		if (key_eq(&e->key, k))
			return e;
	return NULL;
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
