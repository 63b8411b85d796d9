/*
 * scamper_trace.c: allocation and names for traceroute results.
 */
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "object_int.h"
#include "scamper_trace.h"

/*
 * Hop arrays of traces freed lately, kept for scamper_trace_hops_alloc:
 * a prober makes one array per trace when it ends and frees it when the
 * trace is written, soon after, and an array of more than 10 hops is
 * over 1 KB, which malloc serves from its slow large-chunk bins (no
 * thread cache) and calloc zeroes.  Kept: the KEPT largest of at most
 * KEPT_HOPS hops (at most 24 KB).  The library has no threads.
 */
#define KEPT		4
#define KEPT_HOPS	64
static struct scamper_trace_hop *kept[KEPT];
static uint16_t kept_cap[KEPT];
static unsigned keptc;

/* Keep array A of CAP hops for reuse, or free it (or a smaller one
 * kept). */
static void
hops_keep(struct scamper_trace_hop *a, uint16_t cap)
{
	unsigned i, min = 0;

	if (a == NULL || cap == 0 || cap > KEPT_HOPS) {
		free(a);
		return;
	}
	if (keptc < KEPT) {
		kept[keptc] = a;
		kept_cap[keptc++] = cap;
		return;
	}
	for (i = 1; i < KEPT; i++)
		if (kept_cap[i] < kept_cap[min])
			min = i;
	if (kept_cap[min] >= cap) {
		free(a);
		return;
	}
	free(kept[min]);
	kept[min] = a;
	kept_cap[min] = cap;
}

struct scamper_trace_hop *
scamper_trace_hops_alloc(struct scamper_trace_hops *h, uint16_t n)
{
	unsigned i, best = KEPT;

	for (i = 0; i < keptc; i++)
		if (kept_cap[i] >= n && (best == KEPT ||
		    kept_cap[i] < kept_cap[best]))
			best = i;
	if (best < KEPT) {
		h->hops = kept[best];
		h->alloc = kept_cap[best];
		keptc--;
		kept[best] = kept[keptc];
		kept_cap[best] = kept_cap[keptc];
	} else {
		if ((h->hops = malloc((n > 0 ? n : 1) * sizeof(*h->hops))) ==
		    NULL)
			return NULL;
		h->alloc = n;
	}
	h->hopc = 0;
	return h->hops;
}

void
scamper_trace_hops_clear(struct scamper_trace_hops *h)
{
	for (uint16_t i = 0; i < h->hopc; i++) {
		if (h->hops[i].name != NULL)	/* most are NULL: no call */
			free(h->hops[i].name);
		if (h->hops[i].icmpext != NULL)
			free(h->hops[i].icmpext);
	}
	hops_keep(h->hops, h->alloc);
	memset(h, 0, sizeof(*h));
}

struct scamper_trace_hop *
scamper_trace_hop_add(struct scamper_trace_hops *h)
{
	return mem_append16(&h->hops, &h->hopc, &h->alloc, sizeof(*h->hops), 8);
}

struct scamper_trace_pmtud *
scamper_trace_pmtud_alloc(void)
{
	return calloc(1, sizeof(struct scamper_trace_pmtud));
}

struct scamper_trace_dtree *
scamper_trace_dtree_alloc(void)
{
	return calloc(1, sizeof(struct scamper_trace_dtree));
}

/* Free what t owns besides its list and cycle. */
static void
trace_release(struct scamper_trace *t)
{
	scamper_trace_hops_clear(&t->hops);
	if (t->pmtud != NULL) {
		scamper_trace_hops_clear(&t->pmtud->hops);
		free(t->pmtud->notes);
		free(t->pmtud);
	}
	if (t->lastditch != NULL) {
		scamper_trace_hops_clear(t->lastditch);
		free(t->lastditch);
	}
	if (t->dtree != NULL) {
		free(t->dtree->lss);
		free(t->dtree);
	}
}

OBJECT_LIFECYCLE(trace, trace_release)

const char *
scamper_trace_type_tostr(uint8_t type)
{
	static const char *m[] = { NULL, "icmp-echo", "udp", "tcp",
	    "icmp-echo-paris", "udp-paris", "tcp-ack" };

	return type < sizeof(m) / sizeof(m[0]) ? m[type] : NULL;
}

const char *
scamper_trace_stop_tostr(uint8_t reason)
{
	static const char *r[] = { "NONE", "COMPLETED", "UNREACH", "ICMP",
	    "LOOP", "GAPLIMIT", "ERROR", "HOPLIMIT", "GSS", "HALTED" };

	return reason < sizeof(r) / sizeof(r[0]) ? r[reason] : NULL;
}

int
scamper_trace_hop_is_icmp(const struct scamper_trace_hop *h)
{
	return (h->flags & (SCAMPER_TRACE_HOP_TCP | SCAMPER_TRACE_HOP_UDP)) == 0;
}

int
scamper_trace_hop_is_icmp_q(const struct scamper_trace_hop *h)
{
	if (!scamper_trace_hop_is_icmp(h))
		return 0;
	if (h->addr.type == SCAMPER_ADDR_IPV4)
		return h->icmp_type == 3 || h->icmp_type == 11;
	return h->icmp_type >= 1 && h->icmp_type <= 3;
}

int
scamper_trace_hop_is_ptb(const struct scamper_trace_hop *h)
{
	if (!scamper_trace_hop_is_icmp(h))
		return 0;
	if (h->addr.type == SCAMPER_ADDR_IPV4)
		return h->icmp_type == 3 && h->icmp_code == 4;
	return h->icmp_type == 2;
}
