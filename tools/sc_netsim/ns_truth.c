/*
 * ns_truth.c: the ground truth, as JSON lines, and the --path query that
 * prints the hops one flow takes.  Both read the model only.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ns_int.h"
#include "ns_pkt.h"

#define PATH_MAXCOMBO	4096	/* per-packet choices enumerated */

static const char *ipid_names[] = { "shared", "per-interface", "random",
    "zero" };

static void
put_addr(FILE *f, int af, const uint8_t *a)
{
	char buf[64];

	fprintf(f, "\"%s\"", ns_addr_str(af, a, buf, sizeof(buf)));
}

static void
put_name(FILE *f, const char *name)
{
	if (name == NULL)
		return;
	fputs(",\"name\":\"", f);
	for (const char *c = name; *c != '\0'; c++)
		if (*c == '"' || *c == '\\')
			fprintf(f, "\\%c", *c);
		else if ((unsigned char)*c < 0x20)
			fprintf(f, "\\u%04x", *c);
		else
			fputc(*c, f);
	fputc('"', f);
}

static void
put_slice(FILE *f, const struct netsim *s, const struct ns_slice *sl)
{
	fputc('[', f);
	for (uint32_t i = 0; i < sl->len; i++) {
		uint32_t e = s->elems[sl->off + i];
		if (i > 0)
			fputc(',', f);
		if (e & NS_ELEM_LB)
			fprintf(f, "{\"lb\":%u}", e & ~NS_ELEM_LB);
		else
			fprintf(f, "%u", e);
	}
	fputc(']', f);
}

static void
put_router(FILE *f, const struct netsim *s, uint32_t i)
{
	const struct ns_router *r = &s->rtr[i];

	fprintf(f, "{\"type\":\"router\",\"id\":%u", i);
	put_name(f, r->name);
	fprintf(f, ",\"af\":%d,\"addrs\":[", r->af);
	for (int k = 0; k < r->nif; k++) {
		if (k > 0)
			fputc(',', f);
		put_addr(f, r->af, r->ifaddr[k].a);
	}
	fprintf(f, "],\"ittl\":%u,\"ipid\":\"%s\",\"ipid_velocity\":%u,"
	    "\"ipid_bswap\":%s,\"anon\":%s,\"mpls\":[", r->ittl,
	    ipid_names[r->ipid], r->ipid_vel, r->ipid_bswap ? "true" : "false",
	    r->anon ? "true" : "false");
	for (int k = 0; k < r->nmpls; k++)
		fprintf(f, "%s%u", k > 0 ? "," : "", r->mpls[k]);
	fputc(']', f);
	if (r->rl_rate > 0)
		fprintf(f, ",\"ratelimit\":{\"rate\":%u,\"burst\":%u}",
		    r->rl_rate, r->rl_burst);
	if (r->mtu > 0)
		fprintf(f, ",\"mtu\":%u,\"pmtud\":%s", r->mtu,
		    r->nopmtud ? "false" : "true");
	fprintf(f, ",\"quote\":%u,\"unreach_src\":\"%s\",\"delay_us\":%u,"
	    "\"loss_ppm\":%u,\"home\":[", r->quote,
	    r->unreach_inbound ? "inbound" : "probed", r->delay_us,
	    r->loss_ppm);
	for (uint32_t k = 0; k < r->home_len; k++)
		fprintf(f, "%s%u", k > 0 ? "," : "", s->home[r->home_off + k]);
	fputs("]}\n", f);
}

static void
put_dest(FILE *f, const struct ns_leaf *l)
{
	const char *sep = "";

	fputs(",\"dest\":\"", f);
	if (l->dflags & NS_D_HASHED) {
		fputs("mixed\"", f);
		return;
	}
	if (l->dflags == 0)
		fputs("silent", f);
	if (l->dflags & NS_D_ECHO) {
		fputs("echo", f);
		sep = ",";
	}
	if (l->dflags & NS_D_UDP) {
		fprintf(f, "%sudp", sep);
		sep = ",";
	}
	if (l->dflags & NS_D_SYNACK) {
		fprintf(f, "%ssynack", sep);
		sep = ",";
	}
	if (l->dflags & NS_D_RST) {
		fprintf(f, "%srst", sep);
		sep = ",";
	}
	if (l->dflags & NS_D_UNREACH)
		fprintf(f, "%sunreach", sep);
	fputc('"', f);
}

int
netsim_truth_write(const struct netsim *s, FILE *f)
{
	char b4[64], b6[64];

	fprintf(f, "{\"type\":\"netsim\",\"version\":1,\"seed\":%llu,"
	    "\"generated\":%s", (unsigned long long)s->p.seed,
	    s->generated ? "true" : "false");
	if (s->generated)
		fprintf(f, ",\"prefix4\":\"%s/%d\",\"prefix6\":\"%s/%d\"",
		    ns_addr_str(4, s->p.pfx4, b4, sizeof(b4)), s->p.plen4,
		    ns_addr_str(6, s->p.pfx6, b6, sizeof(b6)), s->p.plen6);
	fprintf(f, ",\"routers\":%u,\"lbs\":%u,\"leaves\":%u,"
	    "\"hash\":\"branch = fmix32(fnv1a32(src,dst,proto,l4[0..3]) ^ "
	    "(lb * 0x9e3779b1)) %% nbranches\"", s->nrtr, s->nlb, s->nleaf);
	/* delays: a reply leaves twice the one-way delays of the links it
	 * crossed (routers' delay_us, and dest_link_us into a destination)
	 * after its probe was read, plus up to jitter_us; never earlier
	 * than that less tick_us (the clock is read with the packet in
	 * hand) */
	fprintf(f, ",\"dest_link_us\":%d,\"jitter_us\":%d,\"tick_us\":%d}\n",
	    s->p.delay_min_us, s->p.jitter_us, NETSIM_TICK_US);
	for (uint32_t i = 0; i < s->nrtr; i++)
		put_router(f, s, i);
	for (uint32_t i = 0; i < s->nrtr; i++) {
		const struct ns_router *r = &s->rtr[i];
		if (r->nif < 2)
			continue;
		fprintf(f, "{\"type\":\"alias\",\"af\":%d,\"router\":%u,"
		    "\"addrs\":[", r->af, i);
		for (int k = 0; k < r->nif; k++) {
			if (k > 0)
				fputc(',', f);
			put_addr(f, r->af, r->ifaddr[k].a);
		}
		fputs("]}\n", f);
	}
	for (uint32_t i = 0; i < s->ninl; i++) {
		const struct ns_inl *l = &s->inl[i];
		const struct ns_router *r = &s->rtr[l->rtr];

		fprintf(f, "{\"type\":\"link\",\"af\":%d,\"from\":", r->af);
		if (l->pred == NS_NOPRED)
			fputs("null", f);
		else
			fprintf(f, "%u", l->pred);
		fprintf(f, ",\"to\":%u,\"to_addr\":", l->rtr);
		put_addr(f, r->af, r->ifaddr[l->ifx].a);
		fputs("}\n", f);
	}
	for (uint32_t i = 0; i < s->nlb; i++) {
		const struct ns_lb *lb = &s->lb[i];

		fprintf(f, "{\"type\":\"lb\",\"id\":%u", i);
		put_name(f, lb->name);
		fprintf(f, ",\"af\":%d,\"per\":\"%s\",\"branches\":[", lb->af,
		    lb->perpkt ? "packet" : "flow");
		for (int b = 0; b < lb->nbr; b++) {
			if (b > 0)
				fputc(',', f);
			put_slice(f, s, &lb->br[b]);
		}
		fputs("]}\n", f);
	}
	for (uint32_t i = 0; i < s->nleaf; i++) {
		const struct ns_leaf *l = &s->leaf[i];

		fprintf(f, "{\"type\":\"leaf\",\"af\":%d,\"prefix\":\"%s/%u\","
		    "\"path\":", l->af, ns_addr_str(l->af, l->pfx.a, b6,
		    sizeof(b6)), l->plen);
		put_slice(f, s, &l->path);
		put_dest(f, l);
		fputs("}\n", f);
	}
	fflush(f);
	return ferror(f) ? -1 : 0;
}

/* ---- --path ----------------------------------------------------------- */

/* The per-packet choices of one enumerated combination. */
struct odo {
	uint32_t	 ch[32];	/* choice at the k-th balancer met */
	uint32_t	 nb[32];	/* its number of branches */
	int		 n;		/* balancers met on this walk */
};

static uint32_t
odo_choice(void *arg, uint32_t lb)
{
	struct odo *o = arg;

	(void)lb;
	if (o->n >= 32)
		return 0;
	return o->ch[o->n++];
}

/* Next combination; 0 when all are done. */
static int
odo_next(struct odo *o, const struct netsim *s, const uint32_t *met,
    int nmet)
{
	for (int k = nmet - 1; k >= 0; k--) {
		if (o->ch[k] + 1 < s->lb[met[k]].nbr) {
			o->ch[k]++;
			for (int j = k + 1; j < 32; j++)
				o->ch[j] = 0;
			return 1;
		}
	}
	return 0;
}

struct walkrec {
	struct odo	 o;
	uint32_t	 met[32];
	int		 nmet;
	const struct netsim *s;
};

static uint32_t
rec_choice(void *arg, uint32_t lb)
{
	struct walkrec *w = arg;

	if (w->nmet < 32)
		w->met[w->nmet++] = lb;
	return odo_choice(&w->o, lb);
}

static int
parse_proto(const char *s, uint8_t *proto)
{
	char *end;
	long v;

	if (strcasecmp(s, "icmp") == 0 || strcasecmp(s, "icmp6") == 0 ||
	    strcasecmp(s, "icmpv6") == 0) {
		*proto = 0;	/* resolved per family */
		return 0;
	}
	if (strcasecmp(s, "udp") == 0) {
		*proto = NS_PROTO_UDP;
		return 0;
	}
	if (strcasecmp(s, "tcp") == 0) {
		*proto = NS_PROTO_TCP;
		return 0;
	}
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 1 || v > 255)
		return -1;
	*proto = (uint8_t)v;
	return 0;
}

static int
parse_l4(const char *s, uint8_t l4[4])
{
	if (strlen(s) != 8)
		return -1;
	for (int i = 0; i < 4; i++) {
		char hex[3] = { s[2 * i], s[2 * i + 1], '\0' };
		if (!isxdigit((unsigned char)hex[0]) ||
		    !isxdigit((unsigned char)hex[1]))
			return -1;
		l4[i] = (uint8_t)strtoul(hex, NULL, 16);
	}
	return 0;
}

static const char *
reply_name(uint8_t flags, uint8_t proto)
{
	if (flags & NS_D_UNREACH)
		return "host-unreach";
	switch (proto) {
	case NS_PROTO_ICMP:
	case NS_PROTO_ICMP6:
		return flags & NS_D_ECHO ? "echo-reply" : "none";
	case NS_PROTO_UDP:
		return flags & NS_D_UDP ? "port-unreach" : "none";
	case NS_PROTO_TCP:
		return flags & NS_D_SYNACK ? "syn-ack" : flags & NS_D_RST ?
		    "rst" : "none";
	default:
		return "none";
	}
}

/* Per-TTL sets of addresses (indexes of router*8+ifx), "*" as -1, and
 * the designed round-trip times (microseconds, jitter aside) over every
 * combination of per-packet choices; the destination's the same. */
struct hopsets {
	int32_t	 v[NS_MAXHOPS][16];
	int	 n[NS_MAXHOPS];
	int	 more[NS_MAXHOPS];
	int	 maxlen, minlen;
	uint64_t rmin[NS_MAXHOPS], rmax[NS_MAXHOPS];
	uint64_t dmin, dmax;
	int	 dset;
};

/* The designed RTT range of one TTL or the destination. */
static void
rtt_add(uint64_t *lo, uint64_t *hi, int first, uint64_t v)
{
	if (first || v < *lo)
		*lo = v;
	if (first || v > *hi)
		*hi = v;
}

static void
rtt_print(FILE *f, uint64_t lo, uint64_t hi)
{
	if (lo == hi)
		fprintf(f, " rtt_us=%llu", (unsigned long long)lo);
	else
		fprintf(f, " rtt_us=%llu..%llu", (unsigned long long)lo,
		    (unsigned long long)hi);
}

static void
hopsets_add(struct hopsets *h, int ttl, int32_t v)
{
	for (int i = 0; i < h->n[ttl]; i++)
		if (h->v[ttl][i] == v)
			return;
	if (h->n[ttl] < 16)
		h->v[ttl][h->n[ttl]++] = v;
	else
		h->more[ttl] = 1;
}

/* Record one walk of NH hops; returns its one-way delay (us) to the
 * last hop.  A reply from hop i comes back after twice the delays of
 * the links up to and into it (as ns_sim.c applies them). */
static uint64_t
path_record(const struct netsim *s, struct hopsets *h, const uint32_t *hops,
    int nh)
{
	uint32_t pred = NS_NOPRED;
	uint64_t oneway = 0;

	for (int i = 0; i < nh; i++) {
		const struct ns_router *r = &s->rtr[hops[i]];
		int ifx = ns_topo_inl_ifx(s, hops[i], pred);
		hopsets_add(h, i, r->anon ? -1 : (int32_t)(hops[i] * 8 +
		    (uint32_t)ifx));
		oneway += r->delay_us;
		rtt_add(&h->rmin[i], &h->rmax[i], i >= h->maxlen, 2 * oneway);
		pred = hops[i];
	}
	if (nh > h->maxlen)
		h->maxlen = nh;
	if (h->minlen < 0 || nh < h->minlen)
		h->minlen = nh;
	return oneway;
}

static void
path_print_sets(const struct netsim *s, const struct hopsets *h, FILE *f)
{
	char buf[64];

	for (int t = 0; t < h->maxlen; t++) {
		fprintf(f, "%d ", t + 1);
		for (int i = 0; i < h->n[t]; i++) {
			int32_t v = h->v[t][i];
			if (i > 0)
				fputc('|', f);
			if (v < 0)
				fputc('*', f);
			else {
				const struct ns_router *r = &s->rtr[v / 8];
				fputs(ns_addr_str(r->af, r->ifaddr[v % 8].a,
				    buf, sizeof(buf)), f);
			}
		}
		if (h->more[t])
			fputs("|...", f);
		rtt_print(f, h->rmin[t], h->rmax[t]);
		fputc('\n', f);
	}
}

/* The hops of one flow, printed to F; H is scratch space. */
static int
path_query(const struct netsim *s, struct hopsets *h, int af,
    const uint8_t *sa, const uint8_t *da, uint8_t pr, const uint8_t *l4,
    FILE *f, char *err, size_t errlen)
{
	uint32_t hops[NS_MAXHOPS];
	const struct ns_leaf *leaf;
	const struct ns_addr *gw = NULL;
	struct walkrec w;
	uint8_t flags, ittl;
	int ri, ifx, nh, combos = 0;
	char buf[64];

	h->minlen = -1;
	if ((ri = ns_topo_addr_lookup(s, af, da, &ifx)) >= 0) {
		const struct ns_router *t = &s->rtr[ri];
		uint64_t ow = path_record(s, h, s->home + t->home_off,
		    (int)t->home_len);
		path_print_sets(s, h, f);
		fprintf(f, "%u %s router %s", t->home_len + 1,
		    ns_addr_str(af, da, buf, sizeof(buf)),
		    reply_name(NS_D_ECHO | NS_D_UDP | NS_D_RST, pr));
		rtt_print(f, 2 * (ow + t->delay_us), 2 * (ow + t->delay_us));
		fputc('\n', f);
		return 0;
	}
	if ((leaf = ns_topo_leaf_lookup(s, af, da)) == NULL) {
		snprintf(err, errlen, "--path: %s is not in the simulated "
		    "Internet", ns_addr_str(af, da, buf, sizeof(buf)));
		return -1;
	}
	memset(&w, 0, sizeof(w));
	w.s = s;
	flags = ns_topo_dest(s, leaf, da, &ittl);
	do {
		uint64_t ow;

		w.o.n = 0;
		w.nmet = 0;
		nh = ns_topo_walk(s, &leaf->path, af, sa, da, pr, l4,
		    rec_choice, &w, hops, NS_MAXHOPS);
		ow = path_record(s, h, hops, nh);
		/* the destination is one link further; its gateway answers
		 * for it without that link */
		if (!(flags & NS_D_UNREACH))
			ow += (uint64_t)s->p.delay_min_us;
		rtt_add(&h->dmin, &h->dmax, !h->dset, 2 * ow);
		h->dset = 1;
		if (combos == 0 && nh > 0)	/* the gateway */
			gw = &s->rtr[hops[nh - 1]].ifaddr[ns_topo_inl_ifx(s,
			    hops[nh - 1], nh > 1 ? hops[nh - 2] : NS_NOPRED)];
	} while (++combos < PATH_MAXCOMBO && odo_next(&w.o, s, w.met,
	    w.nmet));
	path_print_sets(s, h, f);
	fprintf(f, "%d %s dst %s", h->maxlen + 1, ns_addr_str(af, da, buf,
	    sizeof(buf)), reply_name(flags, pr));
	if ((flags & NS_D_UNREACH) && gw != NULL)
		fprintf(f, " from %s", ns_addr_str(af, gw->a, buf,
		    sizeof(buf)));
	if (h->minlen != h->maxlen)
		fprintf(f, " ttl=%d..%d", h->minlen + 1, h->maxlen + 1);
	rtt_print(f, h->dmin, h->dmax);
	fputc('\n', f);
	return 0;
}

int
netsim_path_print(const struct netsim *s, const char *src, const char *dst,
    const char *proto, const char *l4hdr, FILE *f, char *err, size_t errlen)
{
	uint8_t sa[16] = { 0 }, da[16] = { 0 }, l4[4], pr;
	struct hopsets *h;
	int af, rc;

	if (inet_pton(AF_INET, src, sa) == 1 && inet_pton(AF_INET, dst, da)
	    == 1)
		af = 4;
	else if (inet_pton(AF_INET6, src, sa) == 1 &&
	    inet_pton(AF_INET6, dst, da) == 1)
		af = 6;
	else {
		snprintf(err, errlen, "--path: %s and %s are not two addresses "
		    "of one family", src, dst);
		return -1;
	}
	if (parse_proto(proto, &pr) == -1) {
		snprintf(err, errlen, "--path: unknown protocol '%s' (icmp, "
		    "udp, tcp or 1..255)", proto);
		return -1;
	}
	if (pr == 0)
		pr = af == 4 ? NS_PROTO_ICMP : NS_PROTO_ICMP6;
	if (parse_l4(l4hdr, l4) == -1) {
		snprintf(err, errlen, "--path: L4 header '%s' is not 8 hex "
		    "digits", l4hdr);
		return -1;
	}
	if ((h = calloc(1, sizeof(*h))) == NULL) {
		snprintf(err, errlen, "--path: out of memory");
		return -1;
	}
	rc = path_query(s, h, af, sa, da, pr, l4, f, err, errlen);
	free(h);
	return rc;
}
