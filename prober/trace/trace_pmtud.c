/*
 * trace_pmtud.c: path MTU discovery after a trace (-M).
 *
 * Probes go at TTL 255, starting at the outgoing interface's MTU.  A
 * Packet Too Big (IPv6) or Fragmentation Needed (IPv4) with a usable
 * next-hop MTU sets the next size (a PTB note); one with no usable MTU is
 * a "bad suggestion" note and a search.  An answer from the target at a
 * size ends it: that size is the path MTU.  Silence after -q attempts
 * starts a search over the common link MTUs (trying one byte above a
 * table MTU when the answer lies between two, else halving) for the
 * largest size that gets through; then a binary search over TTLs finds
 * the last hop that answers a too-big probe: the router that discards
 * big packets without saying so (a silence note pointing at it).
 */
#include "config.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "scamper_trace.h"
#include "task.h"
#include "trace_int.h"

static const uint16_t mtu_table[] = {
	68, 296, 508, 512, 544, 552, 576, 1006, 1280, 1454, 1480, 1492,
	1500, 1514, 1536, 2002, 2048, 4352, 4464, 4470, 8166, 9000, 9192,
	16110, 17914, 65535,
};
#define NTABLE (sizeof(mtu_table) / sizeof(mtu_table[0]))

/* The smallest probe this trace can send. */
static uint16_t
min_size(const struct trace_state *s)
{
	uint16_t hdr = s->af == AF_INET ? 20 : 40 + (trace_offset(s) ? 8 : 0);

	if (s->method == TRACE_TCP || s->method == TRACE_TCP_ACK)
		return hdr + 20;
	return (uint16_t)(hdr + 8 + trace_paylen(s));
}

static int
in_table(uint16_t v)
{
	for (size_t i = 0; i < NTABLE; i++)
		if (mtu_table[i] == v)
			return 1;
	return 0;
}

/* The next size to try between LO (passes) and HI (fails), or 0 when
 * LO is the answer. */
static uint16_t
search_next(const struct trace_state *s)
{
	uint16_t lo = s->x->pm->lo, hi = s->x->pm->hi, floor = min_size(s);

	if (s->af == AF_INET6 && floor < 1280 && lo == 0)
		floor = 1280;	/* every IPv6 link carries 1280 */
	for (size_t i = NTABLE; i-- > 0; )
		if (mtu_table[i] < hi && mtu_table[i] > lo &&
		    mtu_table[i] >= floor)
			return mtu_table[i];
	if (hi - lo <= 1)
		return 0;
	if (lo != 0 && in_table(lo))
		return (uint16_t)(lo + 1);
	if (lo == 0) {
		lo = floor > 0 ? (uint16_t)(floor - 1) : 0;
		if (hi - lo <= 1)
			return 0;
	}
	return (uint16_t)(lo + (hi - lo) / 2);
}

static int
add_note(struct trace_state *s, uint8_t type, uint16_t nhmtu, int32_t hop)
{
	struct scamper_trace_pmtud *pm = trace_res(s)->pmtud;
	struct scamper_trace_pmtud_note *n;

	if (pm->notec == 255)
		return -1;
	n = realloc(pm->notes, (pm->notec + 1) * sizeof(*n));
	if (n == NULL)
		return -1;
	pm->notes = n;
	n = &pm->notes[pm->notec++];
	memset(n, 0, sizeof(*n));
	n->type = type;
	n->nhmtu = nhmtu;
	n->hop = hop;
	return 0;
}

/* Files keep hops in TTL order (TTL-search replies come last but have
 * low TTLs): sort them stably and keep the notes pointing at the same
 * replies. */
static void
sort_hops(struct scamper_trace_pmtud *pm)
{
	struct scamper_trace_hops *h = &pm->hops;
	struct scamper_trace_hop tmp;
	int32_t *pos;

	if (h->hopc < 2 || (pos = malloc(h->hopc * sizeof(*pos))) == NULL)
		return;
	for (uint16_t i = 0; i < h->hopc; i++)
		pos[i] = i;	/* pos[i]: where the original hop i is now */
	for (uint16_t i = 1; i < h->hopc; i++)	/* insertion: stable */
		for (uint16_t j = i; j > 0 &&
		    h->hops[j].probe_ttl < h->hops[j - 1].probe_ttl; j--) {
			tmp = h->hops[j];
			h->hops[j] = h->hops[j - 1];
			h->hops[j - 1] = tmp;
			for (uint16_t k = 0; k < h->hopc; k++)
				if (pos[k] == j)
					pos[k] = j - 1;
				else if (pos[k] == j - 1)
					pos[k] = j;
		}
	for (uint8_t n = 0; n < pm->notec; n++)
		if (pm->notes[n].hop >= 0 && pm->notes[n].hop < h->hopc)
			pm->notes[n].hop = pos[pm->notes[n].hop];
	free(pos);
}

static void
pmtud_end(struct trace_state *s)
{
	log_debug("trace pmtud: done, pmtu %u", trace_res(s)->pmtud->pmtu);
	sort_hops(trace_res(s)->pmtud);
	trace_done(s, s->x->pm->reason, s->x->pm->data);
}

/* Probe SIZE next (attempts start again). */
static void
try_size(struct trace_state *s, uint16_t size)
{
	log_debug("trace pmtud: size %u (lo %u hi %u)", size, s->x->pm->lo,
	    s->x->pm->hi);
	s->x->pm->size = size;
	s->attempt = 0;
	trace_next(s);
}

static void
start_ttl_search(struct trace_state *s)
{
	s->x->pm->ttlsearch = 1;
	s->x->pm->size = s->x->pm->hi;
	s->x->pm->ttl_lo = 0;
	s->x->pm->ttl_lo_hop = -1;
	s->x->pm->ttl_hi = (uint8_t)(trace_hop_count(s) < 255 ?
	    trace_hop_count(s) + 1 : 255);
	if (s->x->pm->ttl_hi - s->x->pm->ttl_lo <= 1) {
		add_note(s, SCAMPER_TRACE_PMTUD_NOTE_SILENCE, s->x->pm->lo, -1);
		pmtud_end(s);
		return;
	}
	s->x->pm->ttl = (uint8_t)((s->x->pm->ttl_lo + s->x->pm->ttl_hi) / 2);
	log_debug("trace pmtud: pmtu %u; ttl search at %u", s->x->pm->lo,
	    s->x->pm->ttl);
	s->attempt = 0;
	trace_next(s);
}

/* One TTL-search step is decided: PASSED says whether a probe at
 * pm.ttl was answered (HOP: its pmtud hop). */
static void
ttl_step(struct trace_state *s, int passed, int32_t hop)
{
	if (passed) {
		s->x->pm->ttl_lo = s->x->pm->ttl;
		s->x->pm->ttl_lo_hop = hop;
	} else
		s->x->pm->ttl_hi = s->x->pm->ttl;
	if (s->x->pm->ttl_hi - s->x->pm->ttl_lo <= 1) {
		add_note(s, SCAMPER_TRACE_PMTUD_NOTE_SILENCE, s->x->pm->lo,
		    s->x->pm->ttl_lo_hop);
		pmtud_end(s);
		return;
	}
	s->x->pm->ttl = (uint8_t)((s->x->pm->ttl_lo + s->x->pm->ttl_hi) / 2);
	s->attempt = 0;
	trace_next(s);
}

/* The size search moved LO or HI: go on or conclude. */
static void
size_step(struct trace_state *s)
{
	uint16_t next = search_next(s);

	if (next != 0) {
		try_size(s, next);
		return;
	}
	trace_res(s)->pmtud->pmtu = s->x->pm->lo;
	if (s->x->pm->lo == 0) {
		pmtud_end(s);	/* nothing got through */
		return;
	}
	start_ttl_search(s);
}

int
trace_pmtud_begin(struct trace_state *s, uint8_t reason, uint8_t data)
{
	struct scamper_trace_pmtud *pm;
	uint16_t ifmtu;

	if (task_ifmtu(trace_task(s), s->af, s->c.src, &ifmtu) == -1) {
		log_debug("trace: no interface MTU for PMTUD");
		return -1;
	}
	if (trace_result(s) == NULL || (trace_res(s)->pmtud == NULL &&
	    (trace_res(s)->pmtud = scamper_trace_pmtud_alloc()) == NULL))
		return -1;
	/* the search's state: only a trace that does PMTUD has it */
	if (trace_side(s) == NULL || (s->x->pm == NULL &&
	    (s->x->pm = calloc(1, sizeof(*s->x->pm))) == NULL))
		return -1;
	pm = trace_res(s)->pmtud;
	pm->ver = 2;
	pm->ifmtu = ifmtu;
	free(s->x->pm->sizes);
	memset(s->x->pm, 0, sizeof(*s->x->pm));
	s->x->pm->reason = reason;
	s->x->pm->data = data;
	s->mode = MODE_PMTUD;
	try_size(s, ifmtu);
	return 0;
}

void
trace_pmtud_probe(const struct trace_state *s, uint8_t *ttl, uint16_t *size)
{
	*ttl = s->x->pm->ttlsearch ? s->x->pm->ttl : 255;
	*size = s->x->pm->size;
}

static int
is_ptb(const struct pkt_reply *r)
{
	return (r->af == AF_INET && r->icmp_type == 3 && r->icmp_code == 4) ||
	    (r->af == AF_INET6 && r->proto == IPPROTO_ICMPV6 &&
	    r->icmp_type == 2);
}

static int
is_ttl_exceeded(const struct pkt_reply *r)
{
	return r->proto != IPPROTO_TCP &&
	    ((r->af == AF_INET && r->icmp_type == 11) ||
	    (r->af == AF_INET6 && r->icmp_type == 3));
}

static void
ptb(struct trace_state *s, const struct pkt_reply *r, int hopidx)
{
	uint16_t nh = r->nhmtu;

	if (nh != 0 && nh < min_size(s)) {
		add_note(s, SCAMPER_TRACE_PMTUD_NOTE_PTB_BAD, nh, hopidx);
		pmtud_end(s);
		return;
	}
	s->x->pm->hi = s->x->pm->size;
	if (nh != 0 && nh < s->x->pm->size) {
		add_note(s, SCAMPER_TRACE_PMTUD_NOTE_PTB, nh, hopidx);
		if (s->x->pm->searching)
			size_step(s);
		else
			try_size(s, nh);
		return;
	}
	add_note(s, SCAMPER_TRACE_PMTUD_NOTE_PTB_BAD, nh, hopidx);
	s->x->pm->searching = 1;
	size_step(s);
}

void
trace_pmtud_reply(struct trace_state *s, const struct trace_probe *p,
    const struct pkt_reply *r, int hopidx)
{
	int from_dst = memcmp(r->src, s->c.dst, s->af == AF_INET ? 4 : 16) == 0;

	/* only an answer to the probe in flight decides a step; anything
	 * else is recorded and the wait goes on */
	if (p != trace_probe_at(s, (uint16_t)(s->probec - 1)))
		return;
	if (s->x->pm->ttlsearch) {
		if (is_ttl_exceeded(r) && p->ttl == s->x->pm->ttl) {
			task_timer_cancel(trace_task(s), &s->wait);
			ttl_step(s, 1, hopidx);
		}
		return;
	}
	if (is_ptb(r)) {
		task_timer_cancel(trace_task(s), &s->wait);
		ptb(s, r, hopidx);
		return;
	}
	if (!from_dst)
		return;
	task_timer_cancel(trace_task(s), &s->wait);
	s->x->pm->lo = s->x->pm->size;
	if (!s->x->pm->searching) {
		trace_res(s)->pmtud->pmtu = s->x->pm->size;
		pmtud_end(s);
		return;
	}
	size_step(s);
}

void
trace_pmtud_timeout(struct trace_state *s)
{
	if (s->attempt < s->c.attempts) {
		trace_next(s);
		return;
	}
	if (s->x->pm->ttlsearch) {
		ttl_step(s, 0, -1);
		return;
	}
	s->x->pm->hi = s->x->pm->size;
	s->x->pm->searching = 1;
	size_step(s);
}
