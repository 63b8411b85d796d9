/*
 * trace_hops.c: the trace technique's record of replies while it runs.
 * A struct scamper_trace_hop is 96 bytes and the hop array grows by
 * doubling; with many thousands of traces in flight that is most of the
 * prober's memory.  Replies for the main hop list are kept here as
 * records of 24 bytes (IPv4) or 36 (IPv6), the rare next-hop MTU and
 * ICMP extension aside, in an array that grows a little at a time, and
 * become the result's hops (one exact allocation) when the trace is
 * done.
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

/* Bytes one record takes: the fixed part and the address. */
static size_t
rec_size(const struct trace_state *s)
{
	return sizeof(struct trace_hoprec) + (s->af == AF_INET ? 4 : 16);
}

static struct trace_hoprec *
rec_at(const struct trace_state *s, uint16_t i)
{
	return (struct trace_hoprec *)(void *)(s->recs + i * rec_size(s));
}

const struct trace_hoprec *
trace_rec(const struct trace_state *s, uint16_t i)
{
	return rec_at(s, i);
}

const uint8_t *
trace_rec_addr(const struct trace_state *s, const struct trace_hoprec *r)
{
	(void)s;
	return (const uint8_t *)(r + 1);
}

/* Room for one more record; 0 or -1 (ENOMEM). */
static int
rec_room(struct trace_state *s)
{
	uint8_t *r;

	if (s->recc < s->recalloc)
		return 0;
	if (s->recalloc > UINT16_MAX - RECS_STEP) {
		errno = ENOMEM;
		return -1;
	}
	r = realloc(s->recs, (s->recalloc + RECS_STEP) * rec_size(s));
	if (r == NULL)
		return -1;
	s->recs = r;
	s->recalloc += RECS_STEP;
	return 0;
}

/* Keep H's next-hop MTU and extension (which moves) for record REC, if
 * it has either; 0 or -1 (ENOMEM). */
static int
rec_extra(struct trace_state *s, struct scamper_trace_hop *h, uint16_t rec)
{
	struct trace_hopx *x;

	if (h->icmp_nhmtu == 0 && h->icmpext == NULL)
		return 0;
	if ((x = realloc(s->xs, (s->xc + 1u) * sizeof(*x))) == NULL)
		return -1;
	s->xs = x;
	x = &s->xs[s->xc++];
	x->rec = rec;
	x->nhmtu = h->icmp_nhmtu;
	x->icmpext = h->icmpext;
	x->icmpext_len = h->icmpext_len;
	h->icmpext = NULL;
	return 0;
}

/* Append H (its icmpext becomes the record's) answering probe IDX.
 * Returns 0 or -1 (ENOMEM; H's icmpext is then still H's). */
int
trace_rec_add(struct trace_state *s, struct scamper_trace_hop *h,
    uint16_t idx)
{
	struct trace_hoprec *r;

	if (rec_room(s) == -1 || rec_extra(s, h, s->recc) == -1)
		return -1;
	r = rec_at(s, s->recc++);
	memcpy(r + 1, h->addr.addr, s->af == AF_INET ? 4 : 16);
	r->rtt = h->rtt;
	r->probe = idx;
	r->reply_size = h->reply_size;
	r->reply_ipid = h->reply_ipid;
	r->q_ipl = h->icmp_q_ipl;
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

/* Expand record I into H (its extension moves to H). */
static void
unpack(struct trace_state *s, uint16_t i, struct scamper_trace_hop *h)
{
	const struct trace_hoprec *r = rec_at(s, i);
	const struct trace_probe *p = &s->probes[r->probe];
	uint8_t addr[16] = { 0 };

	memset(h, 0, sizeof(*h));
	memcpy(addr, r + 1, s->af == AF_INET ? 4 : 16);
	scamper_addr_set(&h->addr, task_addr_type(s->af), addr);
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
	for (uint16_t k = 0; k < s->xc; k++) {
		struct trace_hopx *x = &s->xs[k];
		if (x->rec != i)
			continue;
		h->icmp_nhmtu = x->nhmtu;
		h->icmpext = x->icmpext;
		h->icmpext_len = x->icmpext_len;
		x->icmpext = NULL;
	}
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
		unpack(s, i, &h->hops[i]);	/* icmpext moves */
	h->hopc = h->alloc = s->recc;
	/* replies arrive in any order; files keep them grouped by TTL */
	qsort(h->hops, h->hopc, sizeof(*h->hops), hop_cmp);
	trace_hops_free(s);
	return 0;
}

void
trace_hops_free(struct trace_state *s)
{
	for (uint16_t i = 0; i < s->xc; i++)
		free(s->xs[i].icmpext);
	free(s->xs);
	s->xs = NULL;
	s->xc = 0;
	free(s->recs);
	s->recs = NULL;
	s->recc = s->recalloc = 0;
}
