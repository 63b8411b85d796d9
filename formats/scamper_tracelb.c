/*
 * scamper_tracelb.c: allocation and names for MDA traceroute results.
 */
#include <stdlib.h>

#include "object_int.h"
#include "scamper_tracelb.h"

static void
probeset_clear(struct scamper_tracelb_probeset *s)
{
	for (uint16_t i = 0; s->probes != NULL && i < s->probec; i++)
		object_free_each(s->probes[i].rxs, s->probes[i].rxc,
		    sizeof(struct scamper_tracelb_reply),
		    offsetof(struct scamper_tracelb_reply, icmpext));
	free(s->probes);
}

/* Free what t owns besides its list and cycle. */
static void
tracelb_release(struct scamper_tracelb *t)
{
	object_free_each(t->nodes, t->nodec, sizeof(*t->nodes),
	    offsetof(struct scamper_tracelb_node, name));
	for (uint16_t i = 0; t->links != NULL && i < t->linkc; i++) {
		struct scamper_tracelb_link *l = &t->links[i];

		for (uint8_t j = 0; l->sets != NULL && j < l->hopc; j++)
			probeset_clear(&l->sets[j]);
		free(l->sets);
	}
	free(t->links);
}

OBJECT_LIFECYCLE(tracelb, tracelb_release)

const char *
scamper_tracelb_type_tostr(uint8_t type)
{
	static const char *m[] = { NULL, "udp-dport", "icmp-echo",
	    "udp-sport", "tcp-sport", "tcp-ack-sport" };

	return type < sizeof(m) / sizeof(m[0]) ? m[type] : NULL;
}

const char *
scamper_tracelb_stop_tostr(uint8_t reason)
{
	static const char *r[] = { "NONE", "COMPLETED", "PROBES", "HALTED",
	    "TIMELIMIT", "ERROR" };

	return reason < sizeof(r) / sizeof(r[0]) ? r[reason] : NULL;
}

int
scamper_tracelb_reply_is_icmp_q(const struct scamper_tracelb_reply *r)
{
	if (r->flags & SCAMPER_TRACELB_REPLY_FLAG_TCP)
		return 0;
	if (r->from.type == SCAMPER_ADDR_IPV4)
		return r->icmp_type == 3 || r->icmp_type == 11;
	return r->icmp_type == 1 || r->icmp_type == 3;
}

/*
 * The order scamper prints the addresses seen at one hop: word by word,
 * each 32-bit word compared as a little-endian number (what comparing
 * the words in host order does on x86, observed in sc_warts2json and
 * sc_warts2text output); IPv4 before IPv6.
 */
static int
addr_cmp_le(const void *va, const void *vb)
{
	const struct scamper_addr *a = va, *b = vb;

	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	for (size_t i = 0; i + 4 <= a->len; i += 4) {
		uint32_t x = (uint32_t)a->addr[i + 3] << 24 |
		    (uint32_t)a->addr[i + 2] << 16 |
		    (uint32_t)a->addr[i + 1] << 8 | a->addr[i];
		uint32_t y = (uint32_t)b->addr[i + 3] << 24 |
		    (uint32_t)b->addr[i + 2] << 16 |
		    (uint32_t)b->addr[i + 1] << 8 | b->addr[i];

		if (x != y)
			return x < y ? -1 : 1;
	}
	return scamper_addr_cmp(a, b);
}

int
scamper_tracelb_probeset_addrs(const struct scamper_tracelb_probeset *s,
    struct scamper_addr **out, size_t *n, int *unanswered)
{
	size_t cap = 0, k = 0;
	struct scamper_addr *v;

	*out = NULL;
	*n = 0;
	*unanswered = 0;
	for (uint16_t i = 0; s->probes != NULL && i < s->probec; i++) {
		if (s->probes[i].rxc == 0 || s->probes[i].rxs == NULL)
			*unanswered = 1;
		else
			cap += s->probes[i].rxc;
	}
	if ((v = calloc(cap > 0 ? cap : 1, sizeof(*v))) == NULL)
		return -1;
	for (uint16_t i = 0; s->probes != NULL && i < s->probec; i++) {
		const struct scamper_tracelb_probe *p = &s->probes[i];

		for (uint16_t j = 0; p->rxs != NULL && j < p->rxc; j++) {
			size_t m;

			for (m = 0; m < k; m++)
				if (scamper_addr_cmp(&v[m], &p->rxs[j].from) == 0)
					break;
			if (m == k)
				v[k++] = p->rxs[j].from;
		}
	}
	qsort(v, k, sizeof(*v), addr_cmp_le);
	*out = v;
	*n = k;
	return 0;
}
