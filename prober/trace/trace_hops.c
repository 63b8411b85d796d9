/*
 * trace_hops.c: the trace technique's record of replies while it runs.
 * A struct scamper_trace_hop is 96 bytes and the hop array grows by
 * doubling; with many thousands of traces in flight that is most of the
 * prober's memory.  Replies for the main hop list are kept here as
 * 48-byte records in an array that grows a little at a time, and become
 * the result's hops (one exact allocation) when the trace is done.
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "scamper_trace.h"
#include "task.h"
#include "trace_int.h"

#define RECS_STEP 4

struct stamp
trace_probe_tx(const struct trace_state *s, const struct trace_probe *p)
{
	int64_t off = (int64_t)((uint64_t)p->tx_hi << 32 | p->tx_lo);

	if (off & ((int64_t)1 << 47))		/* negative: sign-extend */
		off -= (int64_t)1 << 48;
	return (struct stamp){ stamp_of_tv(&s->t->start).ns + off };
}

void
trace_probe_set_tx(const struct trace_state *s, struct trace_probe *p,
    struct stamp tx)
{
	int64_t off = stamp_sub_ns(tx, stamp_of_tv(&s->t->start));
	const int64_t lim = ((int64_t)1 << 47) - 1;	/* 39 hours */

	/* beyond the field's reach only if the clock jumped by days */
	if (off > lim)
		off = lim;
	if (off < -lim)
		off = -lim;
	p->tx_lo = (uint32_t)(uint64_t)off;
	p->tx_hi = (uint16_t)((uint64_t)off >> 32);
}

/* Append H (its icmpext becomes the record's) answering probe IDX.
 * Returns 0 or -1 (ENOMEM; H's icmpext is then still H's). */
int
trace_rec_add(struct trace_state *s, struct scamper_trace_hop *h,
    uint16_t idx)
{
	struct trace_hoprec *r;

	if (s->recc == s->recalloc) {
		if (s->recalloc > UINT16_MAX - RECS_STEP) {
			errno = ENOMEM;
			return -1;
		}
		r = realloc(s->recs, (size_t)(s->recalloc + RECS_STEP) *
		    sizeof(*r));
		if (r == NULL)
			return -1;
		s->recs = r;
		s->recalloc += RECS_STEP;
	}
	r = &s->recs[s->recc++];
	memcpy(r->addr, h->addr.addr, 16);
	r->icmpext = h->icmpext;
	r->icmpext_len = h->icmpext_len;
	h->icmpext = NULL;
	r->rtt = h->rtt;
	r->probe = idx;
	r->reply_size = h->reply_size;
	r->reply_ipid = h->reply_ipid;
	r->q_ipl = h->icmp_q_ipl;
	r->nhmtu = h->icmp_nhmtu;
	r->flags = h->flags;
	r->reply_ttl = h->reply_ttl;
	r->reply_tos = h->reply_tos;
	r->icmp_type = h->icmp_type;
	r->icmp_code = h->icmp_code;
	r->q_ttl = h->icmp_q_ttl;
	r->q_tos = h->icmp_q_tos;
	r->tcp_flags = h->tcp_flags;
	return 0;
}

uint8_t
trace_rec_ttl(const struct trace_state *s, const struct trace_hoprec *r)
{
	return s->probes[r->probe].ttl;
}

/* Expand R into H. */
static void
unpack(const struct trace_state *s, const struct trace_hoprec *r,
    struct scamper_trace_hop *h)
{
	const struct trace_probe *p = &s->probes[r->probe];

	memset(h, 0, sizeof(*h));
	scamper_addr_set(&h->addr, task_addr_type(s->af), r->addr);
	h->probe_ttl = p->ttl;
	h->probe_id = p->attempt;
	h->probe_size = p->size;
	h->tx = stamp_tv(trace_probe_tx(s, p));
	h->rtt = r->rtt;
	h->flags = r->flags;
	h->reply_ttl = r->reply_ttl;
	h->reply_tos = r->reply_tos;
	h->reply_size = r->reply_size;
	h->reply_ipid = r->reply_ipid;
	h->icmp_type = r->icmp_type;
	h->icmp_code = r->icmp_code;
	h->tcp_flags = r->tcp_flags;
	h->icmp_q_ttl = r->q_ttl;
	h->icmp_q_tos = r->q_tos;
	h->icmp_q_ipl = r->q_ipl;
	h->icmp_nhmtu = r->nhmtu;
	h->icmpext = r->icmpext;
	h->icmpext_len = r->icmpext_len;
}

static int
hop_cmp(const void *a, const void *b)
{
	const struct scamper_trace_hop *x = a, *y = b;

	if (x->probe_ttl != y->probe_ttl)
		return x->probe_ttl - y->probe_ttl;
	if (x->probe_id != y->probe_id)
		return x->probe_id - y->probe_id;
	return timercmp(&x->tx, &y->tx, <) ? -1 : 1;
}

int
trace_hops_commit(struct trace_state *s)
{
	struct scamper_trace_hops *h = &s->t->hops;

	if (s->recc == 0)
		return 0;
	if ((h->hops = calloc(s->recc, sizeof(*h->hops))) == NULL)
		return -1;
	for (uint16_t i = 0; i < s->recc; i++)
		unpack(s, &s->recs[i], &h->hops[i]);	/* icmpext moves */
	h->hopc = h->alloc = s->recc;
	/* replies arrive in any order; files keep them grouped by TTL */
	qsort(h->hops, h->hopc, sizeof(*h->hops), hop_cmp);
	free(s->recs);
	s->recs = NULL;
	s->recc = s->recalloc = 0;
	return 0;
}

void
trace_hops_free(struct trace_state *s)
{
	for (uint16_t i = 0; i < s->recc; i++)
		free(s->recs[i].icmpext);
	free(s->recs);
	s->recs = NULL;
	s->recc = s->recalloc = 0;
}
