/*
 * ns_parse.c: the topology file parser.  The grammar is in sc_netsim(1):
 *
 *   # comment
 *   router NAME addr ADDR [addr ADDR ...] [OPTION ...]
 *   lb NAME [per-flow | per-packet] branch ELEM ... [branch ELEM ...]
 *   path PREFIX ELEM ... [dest LIST] [dest-ttl N]
 *
 * An ELEM names a router or balancer defined on an earlier line, so
 * balancers cannot contain themselves.  Every error names its line.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ns_int.h"

#define LINE_MAX_LEN	4096
#define MAXTOK		512

struct parser {
	struct netsim	*s;
	int		 line;
	char		*tok[MAXTOK];
	int		 ntok;
	int		 i;		/* next token */
	char		*err;
	size_t		 errlen;
};

static int
perr(struct parser *ps, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(ps->err, ps->errlen, "line %d: %s", ps->line, msg);
	return -1;
}

static const char *keywords[] = { "router", "lb", "path", "branch", "dest",
    "dest-ttl", "addr", "per-flow", "per-packet" };

static int
valid_name(const char *n)
{
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (strcmp(n, keywords[i]) == 0)
			return 0;
	for (const char *c = n; *c != '\0'; c++)
		if (!isalnum((unsigned char)*c) && *c != '_' && *c != '-' &&
		    *c != '.')
			return 0;
	return *n != '\0' && strlen(n) <= 64;
}

/* Router or balancer called NAME, as an element; -1 if neither. */
static int64_t
find_elem(const struct netsim *s, const char *name)
{
	for (uint32_t i = 0; i < s->nrtr; i++)
		if (strcmp(s->rtr[i].name, name) == 0)
			return i;
	for (uint32_t i = 0; i < s->nlb; i++)
		if (strcmp(s->lb[i].name, name) == 0)
			return NS_ELEM_LB | i;
	return -1;
}

static int
elem_af(const struct netsim *s, uint32_t e)
{
	return e & NS_ELEM_LB ? s->lb[e & ~NS_ELEM_LB].af : s->rtr[e].af;
}

static const char *
next(struct parser *ps)
{
	return ps->i < ps->ntok ? ps->tok[ps->i++] : NULL;
}

static int
num(struct parser *ps, const char *what, long min, long max, long *out)
{
	const char *t = next(ps);
	char *end;
	long v;

	if (t == NULL)
		return perr(ps, "%s needs a number", what);
	errno = 0;
	v = strtol(t, &end, 10);
	if (*end != '\0' || errno != 0 || v < min || v > max)
		return perr(ps, "%s '%s' is not a number in %ld..%ld", what, t,
		    min, max);
	*out = v;
	return 0;
}

static int
parse_mpls(struct parser *ps, struct ns_router *r)
{
	const char *t = next(ps);
	char buf[128], *save = NULL, *lab;

	if (t == NULL || strlen(t) >= sizeof(buf))
		return perr(ps, "mpls needs labels (LABEL[,LABEL...])");
	strcpy(buf, t);
	r->nmpls = 0;
	for (lab = strtok_r(buf, ",", &save); lab != NULL;
	    lab = strtok_r(NULL, ",", &save)) {
		char *end;
		unsigned long v = strtoul(lab, &end, 10);

		if (*end != '\0' || *lab == '\0' || v > 0xfffff)
			return perr(ps, "MPLS label '%s' is not 0..1048575",
			    lab);
		if (r->nmpls >= NS_MAXMPLS)
			return perr(ps, "more than %d MPLS labels", NS_MAXMPLS);
		r->mpls[r->nmpls++] = (uint32_t)v;
	}
	if (r->nmpls == 0)
		return perr(ps, "mpls needs labels (LABEL[,LABEL...])");
	return 0;
}

static int
parse_addr(struct parser *ps, struct ns_router *r)
{
	const char *t = next(ps);
	uint8_t a[16] = { 0 };
	int af;

	if (t == NULL)
		return perr(ps, "addr needs an address");
	if (inet_pton(AF_INET, t, a) == 1)
		af = 4;
	else if (inet_pton(AF_INET6, t, a) == 1)
		af = 6;
	else
		return perr(ps, "'%s' is not an IPv4 or IPv6 address", t);
	if (r->nif > 0 && af != r->af)
		return perr(ps, "router mixes IPv4 and IPv6 addresses");
	if (r->nif >= NS_MAXIF)
		return perr(ps, "a router has at most %d addresses", NS_MAXIF);
	for (uint32_t i = 0; i < ps->s->nrtr; i++)
		for (int k = 0; k < ps->s->rtr[i].nif; k++)
			if (ps->s->rtr[i].af == af &&
			    memcmp(ps->s->rtr[i].ifaddr[k].a, a, 16) == 0)
				return perr(ps, "address %s is already used", t);
	r->af = (uint8_t)af;
	memcpy(r->ifaddr[r->nif++].a, a, 16);
	return 0;
}

static int
router_opt(struct parser *ps, struct ns_router *r, const char *k)
{
	long v, v2;

	if (strcmp(k, "addr") == 0)
		return parse_addr(ps, r);
	if (strcmp(k, "anon") == 0)
		r->anon = 1;
	else if (strcmp(k, "ipid-bswap") == 0)
		r->ipid_bswap = 1;
	else if (strcmp(k, "nopmtud") == 0)
		r->nopmtud = 1;
	else if (strcmp(k, "mpls") == 0)
		return parse_mpls(ps, r);
	else if (strcmp(k, "ittl") == 0) {
		if (num(ps, "ittl", 1, 255, &v) == -1)
			return -1;
		r->ittl = (uint8_t)v;
	} else if (strcmp(k, "ipid") == 0) {
		const char *t = next(ps);
		if (t == NULL)
			return perr(ps, "ipid needs shared, per-interface, "
			    "random or zero");
		if (strcmp(t, "shared") == 0)
			r->ipid = NS_IPID_SHARED;
		else if (strcmp(t, "per-interface") == 0)
			r->ipid = NS_IPID_PERIF;
		else if (strcmp(t, "random") == 0)
			r->ipid = NS_IPID_RANDOM;
		else if (strcmp(t, "zero") == 0)
			r->ipid = NS_IPID_ZERO;
		else
			return perr(ps, "unknown ipid behaviour '%s'", t);
	} else if (strcmp(k, "velocity") == 0) {
		if (num(ps, "velocity", 0, 1000000, &v) == -1)
			return -1;
		r->ipid_vel = (uint32_t)v;
	} else if (strcmp(k, "ratelimit") == 0) {
		if (num(ps, "ratelimit rate", 1, 1000000, &v) == -1 ||
		    num(ps, "ratelimit burst", 1, 1000000, &v2) == -1)
			return -1;
		r->rl_rate = (uint32_t)v;
		r->rl_burst = (uint32_t)v2;
	} else if (strcmp(k, "mtu") == 0) {
		if (num(ps, "mtu", 68, 65535, &v) == -1)
			return -1;
		r->mtu = (uint16_t)v;
	} else if (strcmp(k, "delay") == 0) {
		if (num(ps, "delay", 0, 10000000, &v) == -1)
			return -1;
		r->delay_us = (uint32_t)v;
	} else if (strcmp(k, "loss") == 0) {
		if (num(ps, "loss", 0, 1000000, &v) == -1)
			return -1;
		r->loss_ppm = (uint32_t)v;
	} else if (strcmp(k, "quote") == 0) {
		if (num(ps, "quote", 0, 255, &v) == -1)
			return -1;
		if (v != 0 && v < 28)
			return perr(ps, "quote must be 0 or at least 28 bytes");
		r->quote = (uint8_t)v;
	} else if (strcmp(k, "unreach-src") == 0) {
		const char *t = next(ps);
		if (t != NULL && strcmp(t, "inbound") == 0)
			r->unreach_inbound = 1;
		else if (t != NULL && strcmp(t, "probed") == 0)
			r->unreach_inbound = 0;
		else
			return perr(ps, "unreach-src needs inbound or probed");
	} else
		return perr(ps, "unknown router option '%s'", k);
	return 0;
}

static int
parse_router(struct parser *ps)
{
	const char *name = next(ps), *k;
	struct ns_router *r;
	int idx;

	if (name == NULL || !valid_name(name))
		return perr(ps, "router needs a name (letters, digits, _ - .; "
		    "not a keyword)");
	if (find_elem(ps->s, name) != -1)
		return perr(ps, "'%s' is already defined", name);
	if ((idx = ns_topo_add_router(ps->s, 4)) == -1)
		return perr(ps, "out of memory");
	r = &ps->s->rtr[idx];
	r->ipid = NS_IPID_SHARED;
	/* counters start apart, as on routers that booted at different
	 * times: from the seed and the router's number */
	for (int i = 0; i < NS_MAXIF; i++) {
		uint64_t h = ps->s->p.seed ^ ((uint64_t)idx << 8 | (uint64_t)i) *
		    0x9e3779b97f4a7c15ULL;

		r->ipid_base[i] = (uint16_t)ns_rand(&h);
	}
	r->delay_us = (uint32_t)ps->s->p.delay_min_us;
	if ((r->name = strdup(name)) == NULL)
		return perr(ps, "out of memory");
	while ((k = next(ps)) != NULL)
		if (router_opt(ps, r, k) == -1)
			return -1;
	if (r->nif == 0)
		return perr(ps, "router %s needs at least one addr", name);
	return 0;
}

/* Elements up to the next keyword in STOP (or the end); appended to the
 * pool.  AF is the family so far (0: not yet known). */
static int
parse_elems(struct parser *ps, struct ns_slice *sl, int *af,
    const char *const *stop, int nstop)
{
	sl->off = ps->s->nelems;
	sl->len = 0;
	while (ps->i < ps->ntok) {
		const char *t = ps->tok[ps->i];
		int64_t e;

		for (int k = 0; k < nstop; k++)
			if (strcmp(t, stop[k]) == 0)
				goto out;
		ps->i++;
		if ((e = find_elem(ps->s, t)) == -1)
			return perr(ps, "'%s' is not a router or balancer "
			    "defined above", t);
		if (*af != 0 && elem_af(ps->s, (uint32_t)e) != *af)
			return perr(ps, "'%s' is of the other address family",
			    t);
		*af = elem_af(ps->s, (uint32_t)e);
		if (ns_topo_push_elem(ps->s, (uint32_t)e) == -1)
			return perr(ps, "out of memory");
		sl->len++;
	}
out:
	if (sl->len == 0)
		return perr(ps, "empty list of routers");
	return 0;
}

static int
parse_lb(struct parser *ps)
{
	static const char *const stop[] = { "branch" };
	const char *name = next(ps), *t;
	int idx, af = 0;
	struct ns_lb *lb;

	if (name == NULL || !valid_name(name))
		return perr(ps, "lb needs a name (letters, digits, _ - .; not "
		    "a keyword)");
	if (find_elem(ps->s, name) != -1)
		return perr(ps, "'%s' is already defined", name);
	if ((idx = ns_topo_add_lb(ps->s, 4)) == -1)
		return perr(ps, "out of memory");
	if ((ps->s->lb[idx].name = strdup(name)) == NULL)
		return perr(ps, "out of memory");
	t = next(ps);
	if (t != NULL && strcmp(t, "per-packet") == 0) {
		ps->s->lb[idx].perpkt = 1;
		t = next(ps);
	} else if (t != NULL && strcmp(t, "per-flow") == 0)
		t = next(ps);
	while (t != NULL) {
		struct ns_slice sl;

		if (strcmp(t, "branch") != 0)
			return perr(ps, "expected 'branch', got '%s'", t);
		lb = &ps->s->lb[idx];
		if (lb->nbr >= NS_MAXBR)
			return perr(ps, "a balancer has at most %d branches",
			    NS_MAXBR);
		if (parse_elems(ps, &sl, &af, stop, 1) == -1)
			return -1;
		lb = &ps->s->lb[idx];
		lb->br[lb->nbr++] = sl;
		t = next(ps);
	}
	lb = &ps->s->lb[idx];
	if (lb->nbr < 2)
		return perr(ps, "balancer %s needs at least 2 branches", name);
	lb->af = (uint8_t)af;
	return 0;
}

static int
parse_prefix(struct parser *ps, struct ns_leaf *l)
{
	const char *t = next(ps), *slash;
	char buf[64], *end;
	long plen;

	if (t == NULL || (slash = strchr(t, '/')) == NULL ||
	    (size_t)(slash - t) >= sizeof(buf))
		return perr(ps, "path needs a prefix (ADDRESS/LENGTH)");
	memcpy(buf, t, (size_t)(slash - t));
	buf[slash - t] = '\0';
	memset(l->pfx.a, 0, 16);
	if (inet_pton(AF_INET, buf, l->pfx.a) == 1)
		l->af = 4;
	else if (inet_pton(AF_INET6, buf, l->pfx.a) == 1)
		l->af = 6;
	else
		return perr(ps, "'%s' is not an address", buf);
	errno = 0;
	plen = strtol(slash + 1, &end, 10);
	if (slash[1] == '\0' || *end != '\0' || plen < 0 ||
	    plen > (l->af == 4 ? 32 : 128))
		return perr(ps, "bad prefix length in '%s'", t);
	l->plen = (uint8_t)plen;
	for (int b = (int)plen; b < 128; b++)	/* clear host bits */
		l->pfx.a[b / 8] &= (uint8_t)~(0x80 >> (b % 8));
	return 0;
}

static int
parse_dest(struct parser *ps, struct ns_leaf *l)
{
	const char *t = next(ps);
	char buf[128], *save = NULL, *w;

	if (t == NULL || strlen(t) >= sizeof(buf))
		return perr(ps, "dest needs a list (echo,udp,synack,rst,"
		    "unreach,silent,mixed)");
	strcpy(buf, t);
	l->dflags = 0;
	for (w = strtok_r(buf, ",", &save); w != NULL;
	    w = strtok_r(NULL, ",", &save)) {
		if (strcmp(w, "echo") == 0)
			l->dflags |= NS_D_ECHO;
		else if (strcmp(w, "udp") == 0)
			l->dflags |= NS_D_UDP;
		else if (strcmp(w, "synack") == 0)
			l->dflags |= NS_D_SYNACK;
		else if (strcmp(w, "rst") == 0)
			l->dflags |= NS_D_RST;
		else if (strcmp(w, "unreach") == 0)
			l->dflags |= NS_D_UNREACH;
		else if (strcmp(w, "mixed") == 0)
			l->dflags |= NS_D_HASHED;
		else if (strcmp(w, "silent") != 0)
			return perr(ps, "unknown dest behaviour '%s'", w);
	}
	return 0;
}

static int
parse_path(struct parser *ps)
{
	static const char *const stop[] = { "dest", "dest-ttl" };
	struct ns_leaf l;
	const char *t;
	long v;
	int af, idx;

	memset(&l, 0, sizeof(l));
	if (parse_prefix(ps, &l) == -1)
		return -1;
	af = l.af;
	l.dflags = NS_D_HASHED;
	if (parse_elems(ps, &l.path, &af, stop, 2) == -1)
		return -1;
	while ((t = next(ps)) != NULL) {
		if (strcmp(t, "dest") == 0) {
			if (parse_dest(ps, &l) == -1)
				return -1;
		} else if (strcmp(t, "dest-ttl") == 0) {
			if (num(ps, "dest-ttl", 1, 255, &v) == -1)
				return -1;
			l.dttl = (uint8_t)v;
		} else
			return perr(ps, "unexpected '%s' after the path", t);
	}
	for (uint32_t i = 0; i < ps->s->nleaf; i++)
		if (ps->s->leaf[i].af == l.af && ps->s->leaf[i].plen == l.plen
		    && memcmp(ps->s->leaf[i].pfx.a, l.pfx.a, 16) == 0)
			return perr(ps, "a path for this prefix is already "
			    "defined");
	if ((idx = ns_topo_add_leaf(ps->s)) == -1)
		return perr(ps, "out of memory");
	ps->s->leaf[idx] = l;
	return 0;
}

static int
parse_line(struct parser *ps, char *line)
{
	char *save = NULL, *t, *hash;

	if ((hash = strchr(line, '#')) != NULL)
		*hash = '\0';
	ps->ntok = 0;
	ps->i = 0;
	for (t = strtok_r(line, " \t\r", &save); t != NULL;
	    t = strtok_r(NULL, " \t\r", &save)) {
		if (ps->ntok >= MAXTOK)
			return perr(ps, "more than %d words", MAXTOK);
		ps->tok[ps->ntok++] = t;
	}
	if (ps->ntok == 0)
		return 0;
	t = (char *)next(ps);
	if (strcmp(t, "router") == 0)
		return parse_router(ps);
	if (strcmp(t, "lb") == 0)
		return parse_lb(ps);
	if (strcmp(t, "path") == 0)
		return parse_path(ps);
	return perr(ps, "unknown statement '%s' (router, lb or path)", t);
}

struct netsim *
netsim_parse(const char *buf, size_t len, const struct netsim_params *p,
    char *err, size_t errlen)
{
	struct parser ps;
	char line[LINE_MAX_LEN];
	size_t pos = 0;

	memset(&ps, 0, sizeof(ps));
	ps.err = err;
	ps.errlen = errlen;
	if ((ps.s = ns_topo_new(p)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	while (pos < len) {
		size_t n = 0;

		ps.line++;
		while (pos < len && buf[pos] != '\n') {
			if (buf[pos] == '\0') {
				perr(&ps, "NUL byte");
				goto fail;
			}
			if (n + 1 >= sizeof(line)) {
				perr(&ps, "longer than %d bytes",
				    LINE_MAX_LEN - 1);
				goto fail;
			}
			line[n++] = buf[pos++];
		}
		pos++;
		line[n] = '\0';
		if (parse_line(&ps, line) == -1)
			goto fail;
	}
	if (ps.s->nleaf == 0) {
		snprintf(err, errlen, "line %d: no path defined", ps.line);
		goto fail;
	}
	if (ns_topo_finish(ps.s, err, errlen) == -1)
		goto fail;
	return ps.s;
fail:
	netsim_free(ps.s);
	return NULL;
}
