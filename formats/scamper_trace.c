/*
 * scamper_trace.c: allocation and names for traceroute results.
 */
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "object_int.h"
#include "scamper_trace.h"

void
scamper_trace_hops_clear(struct scamper_trace_hops *h)
{
	for (uint16_t i = 0; i < h->hopc; i++) {
		free(h->hops[i].name);
		free(h->hops[i].icmpext);
	}
	free(h->hops);
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
