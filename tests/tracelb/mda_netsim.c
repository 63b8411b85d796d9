/*
 * mda_netsim.c: the MDA engine over sc_netsim's simulated Internet,
 * without packets, sockets or clock: each probe (flow, TTL) is answered
 * by walking the flow along the destination's path in sc_netsim's model
 * (the same per-flow hash the simulator applies to udp-dport probes),
 * at once.  For fast, deterministic measurements of recall, precision
 * and probes per destination (the unit test runs it; the netsim lab
 * test runs the real prober over the real simulator).
 *
 *	mda_netsim [-c CONF] [-w WINDOW] [-s SEED] [-P KEY=VALUE]... TARGETS
 *
 * WINDOW probes are in flight at most (answered oldest first, as a
 * network with no delay variation would), 1 by default.
 *
 * TARGETS holds one destination per line.  Prints one line per target
 * as tests/tracelb/lb_links.py does, and the probes' purposes summed
 * over all targets on standard error.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mda.h"
#include "mda_int.h"
#include "mda_stop.h"
#include "netsim.h"
#include "ns_int.h"

struct target {
	const struct netsim	*s;
	const struct ns_leaf	*leaf;
	int			 af;
	uint8_t			 src[16], dst[16];
	uint64_t		 rng;
};

static uint32_t
perpkt(void *arg, uint32_t lb)
{
	struct target *t = arg;

	(void)lb;
	return (uint32_t)ns_rand(&t->rng);
}

/* What probe (FLOW, TTL) gets: 1 with the answer's address and kind,
 * or 0. */
static int
answer(struct target *t, unsigned flow, unsigned ttl, uint8_t *addr,
    int *kind)
{
	uint32_t hops[NS_MAXHOPS];
	uint16_t sport = 0x8000, dport = (uint16_t)(33435 + flow);
	uint8_t l4[4] = { sport >> 8, sport & 0xff, dport >> 8, dport & 0xff };
	uint8_t flags, ittl;
	int nh, alen = t->af == 4 ? 4 : 16;

	nh = ns_topo_walk(t->s, &t->leaf->path, t->af, t->src, t->dst, 17, l4,
	    perpkt, t, hops, NS_MAXHOPS);
	memset(addr, 0, 16);
	if ((int)ttl <= nh) {
		const struct ns_router *r = &t->s->rtr[hops[ttl - 1]];
		int ifx = ns_topo_inl_ifx(t->s, hops[ttl - 1], ttl > 1 ?
		    hops[ttl - 2] : NS_NOPRED);
		if (r->anon)
			return 0;
		memcpy(addr, r->ifaddr[ifx].a, alen);
		*kind = MDA_R_HOP;
		return 1;
	}
	flags = ns_topo_dest(t->s, t->leaf, t->dst, &ittl);
	*kind = MDA_R_END;
	if ((flags & NS_D_UNREACH) && nh > 0) {
		const struct ns_router *r = &t->s->rtr[hops[nh - 1]];
		int ifx = ns_topo_inl_ifx(t->s, hops[nh - 1], nh > 1 ?
		    hops[nh - 2] : NS_NOPRED);
		memcpy(addr, r->ifaddr[ifx].a, alen);
		return 1;
	}
	if (!(flags & NS_D_UDP))
		return 0;
	memcpy(addr, t->dst, alen);
	return 1;
}

static void
print_addr(int af, const uint8_t *a)
{
	char buf[INET6_ADDRSTRLEN];

	fputs(inet_ntop(af == 4 ? AF_INET : AF_INET6, a, buf, sizeof(buf)),
	    stdout);
}

static void
report(const struct target *t, const char *dst, struct mda *m)
{
	struct mda_link *l;
	size_t n;

	printf("%s udp-dport nodes=", dst);
	for (uint16_t i = 0; i < mda_nodec(m); i++) {
		if (i > 0)
			putchar(',');
		print_addr(t->af, mda_node_addr(m, i));
	}
	fputs(" links=", stdout);
	if (mda_links(m, &l, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			if (i > 0)
				putchar(',');
			print_addr(t->af, mda_node_addr(m, l[i].from));
			putchar('>');
			if (l[i].to == MDA_NONE)
				putchar('*');
			else
				print_addr(t->af, mda_node_addr(m, l[i].to));
			printf("/%u", l[i].hopc);
		}
		mda_links_free(l, n);
	}
	printf(" clumps= probec=%u\n", mda_probec(m));
}

static int
param(struct netsim_params *p, const char *kv)
{
	static const struct {
		const char	*k;
		size_t		 off;
	} keys[] = {
		{ "lb", offsetof(struct netsim_params, lb_share) },
		{ "lb-nested", offsetof(struct netsim_params, lb_nested) },
		{ "lb-per-packet", offsetof(struct netsim_params, lb_perpkt) },
		{ "lb-max-width", offsetof(struct netsim_params, lb_maxwidth) },
		{ "anon", offsetof(struct netsim_params, anon_share) },
		{ "ratelimit", offsetof(struct netsim_params, rl_share) },
		{ "silent", offsetof(struct netsim_params, silent_share) },
		{ "hops-min", offsetof(struct netsim_params, hops_min) },
		{ "hops-max", offsetof(struct netsim_params, hops_max) },
	};
	const char *eq = strchr(kv, '=');

	for (size_t i = 0; eq != NULL && i < sizeof(keys) / sizeof(keys[0]);
	    i++)
		if (strlen(keys[i].k) == (size_t)(eq - kv) &&
		    strncmp(keys[i].k, kv, (size_t)(eq - kv)) == 0) {
			*(int *)((char *)p + keys[i].off) = atoi(eq + 1);
			return 0;
		}
	fprintf(stderr, "mda_netsim: -P %s: unknown\n", kv);
	return -1;
}

int
main(int argc, char **argv)
{
	struct netsim_params p;
	struct mda_stats sum = { 0 };
	struct netsim *s;
	double conf = 95;
	char err[256], line[256];
	FILE *f;
	int i;
	unsigned ntargets = 0, window = 1;
	uint64_t probes = 0;

	netsim_params_default(&p);
	for (i = 1; i < argc - 1; i++) {
		if (strcmp(argv[i], "-c") == 0)
			conf = atof(argv[++i]);
		else if (strcmp(argv[i], "-w") == 0)
			window = (unsigned)atoi(argv[++i]);
		else if (strcmp(argv[i], "-s") == 0)
			p.seed = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "-P") == 0) {
			if (param(&p, argv[++i]) != 0)
				return 2;
		} else
			break;
	}
	if (i != argc - 1 || (f = fopen(argv[i], "r")) == NULL) {
		fprintf(stderr, "usage: mda_netsim [-c CONF] [-s SEED] "
		    "[-P KEY=VALUE]... TARGETS\n");
		return 2;
	}
	if ((s = netsim_generate(&p, err, sizeof(err))) == NULL) {
		fprintf(stderr, "mda_netsim: %s\n", err);
		return 2;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		struct mda_conf c = { .alpha = (100 - conf) / 100,
		    .maxprobes = 3000, .maxflows = 30000, .firsthop = 1,
		    .attempts = 2, .gaplimit = 3 };
		struct target t = { .s = s, .rng = ntargets + 1 };
		struct mda *m;
		uint32_t id;
		int rc, kind;
		uint8_t a[16];

		line[strcspn(line, "\r\n")] = '\0';
		t.af = inet_pton(AF_INET, line, t.dst) == 1 ? 4 : 6;
		if ((t.af == 6 && inet_pton(AF_INET6, line, t.dst) != 1) ||
		    (t.leaf = ns_topo_leaf_lookup(s, t.af, t.dst)) == NULL)
			continue;
		inet_pton(t.af == 4 ? AF_INET : AF_INET6, t.af == 4 ?
		    "192.0.2.1" : "2001:db8::1", t.src);
		c.ppkt = mda_ppkt_repeats(c.alpha);
		if ((m = mda_new(&c)) == NULL)
			return 2;
		uint32_t fifo[256], head = 0, n = 0;

		if (window < 1 || window > 256)
			window = 1;
		for (;;) {
			const struct mda_probe *pr;
			while (n < window && (rc = mda_next(m, &id)) ==
			    MDA_SEND) {
				fifo[(head + n) % 256] = id;
				n++;
			}
			if (n == 0)
				break;
			id = fifo[head];
			head = (head + 1) % 256;
			n--;
			pr = mda_probe(m, id);
			if (answer(&t, pr->flow, pr->ttl, a, &kind))
				mda_reply(m, id, a, kind);
			else
				mda_lost(m, id);
		}
		report(&t, line, m);
		{
			const struct mda_stats *st = mda_stats(m);
			sum.first += st->first;
			sum.single += st->single;
			sum.fresh += st->fresh;
			sum.spare += st->spare;
			sum.ctl += st->ctl;
			sum.backfill += st->backfill;
			sum.retry += st->retry;
			sum.confirm += st->confirm;
			sum.repeat += st->repeat;
			sum.stuck += st->stuck;
		}
		probes += mda_probec(m);
		if (getenv("MDA_OVER") != NULL)
			for (uint16_t v = 0; v < m->vtxc; v++) {
				const struct mda_vtx *x = &m->vtx[v];
				uint32_t need = mda_need(m, x);
				fprintf(stderr, "vtx %s %u node %d depth %u "
				    "ttl %u nsucc %u nres %u need %u flows %u "
				    "flags %x\n", line, v, x->node == MDA_NONE ?
				    -1 : x->node, x->depth, x->ttl, x->nsucc,
				    x->nres, need, x->nflows, x->flags);
			}
		ntargets++;
		mda_free(m);
	}
	fclose(f);
	if (ntargets > 0)
		fprintf(stderr, "targets %u probes/dst %.1f: first %.1f single "
		    "%.1f fresh %.1f spare %.1f ctl %.1f backfill %.1f retry "
		    "%.1f confirm %.1f repeat %.1f stuck %.2f\n", ntargets,
		    (double)probes / ntargets, (double)sum.first / ntargets,
		    (double)sum.single / ntargets, (double)sum.fresh / ntargets,
		    (double)sum.spare / ntargets, (double)sum.ctl / ntargets,
		    (double)sum.backfill / ntargets,
		    (double)sum.retry / ntargets,
		    (double)sum.confirm / ntargets,
		    (double)sum.repeat / ntargets, (double)sum.stuck / ntargets);
	netsim_free(s);
	return 0;
}
