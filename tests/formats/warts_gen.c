/*
 * warts_gen.c: typical trace results from a fixed seed (warts_gen.h).
 * Shaped like the prober's ICMP-paris traces: TTL 1 up to the
 * destination, one reply a TTL and a second one at some, a silent TTL
 * now and then, ICMP time exceeded from routers (quoting the probe) and
 * an echo reply from the destination, an MPLS extension at some hops, a
 * PTR name at a few.  Addresses from the documentation ranges only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scamper_list.h"
#include "warts_gen.h"

/* xorshift32: the same numbers everywhere */
static uint32_t
rnd(struct warts_gen *g, uint32_t n)
{
	uint32_t x = g->rng;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	g->rng = x;
	return x % n;
}

int
warts_gen_init(struct warts_gen *g)
{
	g->rng = g->seed != 0 ? g->seed : 1;
	g->list = scamper_list_alloc(1, "default", "bench list", "monitor");
	if (g->list == NULL ||
	    (g->cycle = scamper_cycle_alloc(g->list, 1, 1700000000,
	    "bench.example")) == NULL) {
		fprintf(stderr, "warts_gen: out of memory\n");
		warts_gen_clear(g);
		return -1;
	}
	return 0;
}

void
warts_gen_clear(struct warts_gen *g)
{
	scamper_cycle_free(g->cycle);
	scamper_list_free(g->list);
	g->cycle = NULL;
	g->list = NULL;
}

/* Router R (0-255) of TTL TTL, or the destination D (TTL 0). */
static void
gen_addr(struct scamper_addr *a, int v6, int ttl, uint32_t r)
{
	uint8_t b[16] = { 0 };

	if (!v6) {
		b[0] = ttl == 0 ? 198 : 203;
		b[1] = ttl == 0 ? 51 : 0;
		b[2] = ttl == 0 ? 100 : 113;
		b[3] = (uint8_t)(ttl == 0 ? r : (uint32_t)ttl * 16 + r % 16);
		scamper_addr_set(a, SCAMPER_ADDR_IPV4, b);
		return;
	}
	b[0] = 0x20; b[1] = 0x01; b[2] = 0x0d; b[3] = 0xb8;
	b[5] = (uint8_t)(ttl == 0 ? 1 : 2);
	b[7] = (uint8_t)ttl;
	b[14] = (uint8_t)(r >> 8);
	b[15] = (uint8_t)(r | 1);
	scamper_addr_set(a, SCAMPER_ADDR_IPV6, b);
}

/* An MPLS label stack extension of 1 or 2 entries. */
static int
gen_mpls(struct warts_gen *g, struct scamper_trace_hop *h)
{
	uint16_t k = (uint16_t)(1 + rnd(g, 2)), len = (uint16_t)(4 + 4 * k);

	if ((h->icmpext = malloc(len)) == NULL)
		return -1;
	h->icmpext[0] = 0;
	h->icmpext[1] = (uint8_t)(4 * k);
	h->icmpext[2] = 1;	/* MPLS label stack */
	h->icmpext[3] = 1;
	for (uint16_t i = 0; i < 4 * k; i++)
		h->icmpext[4 + i] = (uint8_t)rnd(g, 256);
	h->icmpext[4 + 4 * k - 1] |= 1;	/* bottom of stack */
	h->icmpext_len = len;
	return 0;
}

/* One reply to attempt ID at TTL (0: from the destination). */
static struct scamper_trace_hop *
gen_hop(struct warts_gen *g, struct scamper_trace *t, int v6, int ttl,
    int id, int dst)
{
	struct scamper_trace_hop *h = scamper_trace_hop_add(&t->hops);

	if (h == NULL)
		return NULL;
	if (dst)
		h->addr = t->dst;
	else
		gen_addr(&h->addr, v6, ttl, rnd(g, 4));
	h->probe_ttl = (uint8_t)ttl;
	h->probe_id = (uint8_t)id;
	h->probe_size = t->probe_size;
	h->tx.tv_sec = t->start.tv_sec;
	h->tx.tv_usec = (t->start.tv_usec + ttl * 10000 + id * 5000) % 1000000;
	h->rtt = 1000 + rnd(g, 60000);
	h->flags = SCAMPER_TRACE_HOP_TS_SOCK_RX | SCAMPER_TRACE_HOP_REPLY_TTL;
	h->reply_ttl = (uint8_t)(dst ? 64 - ttl : 255 - ttl);
	h->reply_size = (uint16_t)(dst ? t->probe_size : (v6 ? 108 : 56));
	h->reply_ipid = (uint16_t)(v6 ? 0 : rnd(g, 65536));
	h->icmp_type = (uint8_t)(v6 ? (dst ? 129 : 3) : (dst ? 0 : 11));
	h->icmp_q_ttl = 1;
	h->icmp_q_ipl = t->probe_size;
	if (!dst && rnd(g, 5) == 0 && gen_mpls(g, h) != 0)
		return NULL;
	if (!dst && rnd(g, 25) == 0 &&
	    (h->name = strdup("router.example.net")) == NULL)
		return NULL;
	return h;
}

static int
gen_hops(struct warts_gen *g, struct scamper_trace *t, int v6)
{
	int n = 12 + (int)rnd(g, 5);

	for (int ttl = 1; ttl <= n; ttl++) {
		int dst = ttl == n, silent = !dst && rnd(g, 8) == 0;

		t->probec = (uint16_t)(t->probec + (silent ? 2 : 1));
		if (silent)
			continue;
		if (gen_hop(g, t, v6, ttl, 1, dst) == NULL)
			return -1;
		if (!dst && rnd(g, 6) == 0) {
			t->probec++;
			if (gen_hop(g, t, v6, ttl, 2, 0) == NULL)
				return -1;
		}
	}
	t->hop_count = (uint16_t)n;
	return 0;
}

struct scamper_trace *
warts_gen_trace(struct warts_gen *g, int i)
{
	struct scamper_trace *t = scamper_trace_alloc();
	int v6 = g->v6 == 2 ? (i & 1) : g->v6;

	if (t == NULL)
		return NULL;
	t->list = scamper_list_use(g->list);
	t->cycle = scamper_cycle_use(g->cycle);
	scamper_addr_pton(&t->src, v6 ? "2001:db8:0:3::1" : "192.0.2.1");
	gen_addr(&t->dst, v6, 0, (uint32_t)(i % 254 + 1));
	t->start.tv_sec = 1700000000 + i / 100;
	t->start.tv_usec = (suseconds_t)rnd(g, 1000000);
	t->stop_reason = SCAMPER_TRACE_STOP_COMPLETED;
	t->type = SCAMPER_TRACE_TYPE_ICMP_ECHO_PARIS;
	t->flags = SCAMPER_TRACE_FLAG_ICMPCSUMDP;	/* as the prober sets it */
	t->attempts = 2;
	t->firsthop = 1;
	t->wait = 5;
	t->loops = 1;
	t->gaplimit = 5;
	t->confidence = 95;
	t->squeries = 1;
	t->probe_size = (uint16_t)(v6 ? 60 : 44);
	t->sport = (uint16_t)(30000 + rnd(g, 30000));
	t->dport = 33435;
	if (gen_hops(g, t, v6) != 0) {
		scamper_trace_free(t);
		return NULL;
	}
	return t;
}
