/*
 * m_dealias.c: alias resolution (dealias) as scamper's dealias command:
 * its options, the probe definitions of -p, their checks and defaults
 * (docs/scamper-behaviour.md d.4), and the method descriptor.  Probing
 * is in dealias_probe.c, each method's logic in its own file.
 */
#include "config.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "dealias_int.h"
#include "method.h"
#include "scamper_dealias.h"
#include "scamper_file.h"
#include "task.h"

static const char *const dealias_methods[] = { "mercator", "ally",
    "radargun", "prefixscan", "bump", NULL };
static const uint8_t dealias_types[] = { SCAMPER_DEALIAS_METHOD_MERCATOR,
    SCAMPER_DEALIAS_METHOD_ALLY, SCAMPER_DEALIAS_METHOD_RADARGUN,
    SCAMPER_DEALIAS_METHOD_PREFIXSCAN, SCAMPER_DEALIAS_METHOD_BUMP };
enum { O_INSEQ, O_SHUFFLE, O_NOBS };
static const char *const dealias_Oopts[] = { "inseq", "shuffle", "nobs",
    NULL };

static const struct cmd_optspec dealias_opts[] = {
	{ 'd', CMD_UINT, 0, 65535, NULL, 0 },
	{ 'f', CMD_UINT, 0, 65535, NULL, 0 },
	{ 'm', CMD_WORD, 0, 0, dealias_methods, 0 },
	{ 'o', CMD_UINT, 1, 255, NULL, 0 },
	{ 'O', CMD_WORD, 0, 0, dealias_Oopts, 1 },
	{ 'p', CMD_STR, 0, 0, NULL, 1 },
	{ 'q', CMD_UINT, 1, 65535, NULL, 0 },
	{ 'r', CMD_UINT, 0, UINT32_MAX, NULL, 0 },
	{ 's', CMD_UINT, 0, 65535, NULL, 0 },
	{ 't', CMD_UINT, 1, 255, NULL, 0 },
	{ 'U', CMD_UINT, 0, UINT32_MAX, NULL, 0 },
	{ 'w', CMD_UINT, 1, 255, NULL, 0 },
	{ 'W', CMD_UINT, 1, 65535, NULL, 0 },
	{ 'x', CMD_ADDR, 0, 0, NULL, 1 },
};

/* The probe definition grammar of -p. */
static const char *const pd_methods[] = { "icmp-echo", "tcp-ack", "udp",
    "tcp-ack-sport", "udp-dport", "tcp-syn-sport", NULL };
static const struct cmd_optspec pd_opts[] = {
	{ 'c', CMD_UINT, 0, 65535, NULL, 0 },
	{ 'd', CMD_UINT, 0, 65535, NULL, 0 },
	{ 'F', CMD_UINT, 0, 65535, NULL, 0 },
	{ 'i', CMD_ADDR, 0, 0, NULL, 0 },
	{ 'M', CMD_UINT, 68, 65535, NULL, 0 },
	{ 'P', CMD_WORD, 0, 0, pd_methods, 0 },
	{ 's', CMD_UINT, 1, 65535, NULL, 0 },
	{ 't', CMD_UINT, 1, 255, NULL, 0 },
};

/* A probe definition as written, before it has a destination. */
struct pdef {
	struct scamper_dealias_probedef pd;
	int		 has_dst;
	int		 af;
	uint8_t		 dst[16];
	int		 user_sport;
};

/* The smallest probe of method M in family AF: headers and 2 bytes. */
static uint16_t
pd_minsize(int af, uint8_t m)
{
	uint16_t ip = af == AF_INET ? 20 : 40;

	if (scamper_dealias_probedef_is_tcp(m))
		return (uint16_t)(ip + 20);
	return (uint16_t)(ip + 8 + 2);
}

/* The default definition: UDP to 33435, TTL 255. */
static void
pd_default(struct pdef *p)
{
	memset(p, 0, sizeof(*p));
	p->pd.method = SCAMPER_DEALIAS_PROBEDEF_METHOD_UDP;
	p->pd.ttl = DEALIAS_TTL;
	p->pd.dport = DEALIAS_DPORT;
}

/* Parse the probe definition TEXT (the argument of -p number N). */
static int
pd_parse(const char *text, int n, struct pdef *p, char *err, size_t len)
{
	char buf[512], *argv[CMD_MAXARGS], e[200];
	struct cmd_args *a;
	const struct cmd_optval *v;
	int argc, rc = -1;

	pd_default(p);
	if (snprintf(buf, sizeof(buf), "-p %s", text) >= (int)sizeof(buf))
		return cmd_err(err, len, "-p #%d: too long", n);
	if ((a = calloc(1, sizeof(*a))) == NULL)
		return cmd_err(err, len, "out of memory");
	if ((argc = cmd_split(buf, argv, CMD_MAXARGS, e, sizeof(e))) == -1 ||
	    cmd_getopts(pd_opts, sizeof(pd_opts) / sizeof(pd_opts[0]), argc,
	    argv, a, e, sizeof(e)) == -1) {
		cmd_err(err, len, "-p '%s': %s", text, e);
		goto out;
	}
	if (a->noperands != 0) {
		cmd_err(err, len, "-p '%s': unexpected '%s'", text,
		    a->operands[0]);
		goto out;
	}
	if ((v = cmd_opt(a, 'P')) != NULL)
		p->pd.method = (uint8_t)(v->u + 1);
	p->pd.dport = (uint16_t)cmd_optu(a, 'd', DEALIAS_DPORT);
	p->pd.ttl = (uint8_t)cmd_optu(a, 't', DEALIAS_TTL);
	p->pd.size = (uint16_t)cmd_optu(a, 's', 0);
	p->pd.mtu = (uint16_t)cmd_optu(a, 'M', 0);
	p->pd.icmp_csum = (uint16_t)cmd_optu(a, 'c', 0);
	if ((v = cmd_opt(a, 'F')) != NULL) {
		p->pd.sport = (uint16_t)v->u;
		p->user_sport = 1;
	}
	if ((v = cmd_opt(a, 'i')) != NULL) {
		p->has_dst = 1;
		p->af = v->af;
		memcpy(p->dst, v->addr, 16);
	}
	if (cmd_opt(a, 'c') != NULL &&
	    !scamper_dealias_probedef_is_icmp(p->pd.method)) {
		cmd_err(err, len, "-p '%s': -c: only with -P icmp-echo", text);
		goto out;
	}
	rc = 0;
out:
	free(a);
	return rc;
}

/* Check definition P (now with its destination) and set its addresses
 * and protocol fields.  N names it in messages. */
static int
pd_check(struct pdef *p, int n, char *err, size_t len)
{
	struct scamper_dealias_probedef *pd = &p->pd;
	int type = task_addr_type(p->af);
	uint16_t min = pd_minsize(p->af, pd->method);

	scamper_addr_set(&pd->dst, type, p->dst);
	if (pd->size != 0 && pd->size < min)
		return cmd_err(err, len, "probe definition %d: -s %u is too "
		    "small (at least %u)", n, pd->size, min);
	if (pd->mtu != 0) {
		if (p->af != AF_INET6)
			return cmd_err(err, len, "probe definition %d: -M: IPv6 "
			    "only (IPv4 replies carry an IP-ID)", n);
		if (pd->mtu < 1280)
			return cmd_err(err, len, "probe definition %d: -M %u: "
			    "IPv6 needs at least 1280", n, pd->mtu);
		if (pd->method != SCAMPER_DEALIAS_PROBEDEF_METHOD_ICMP_ECHO)
			return cmd_err(err, len, "probe definition %d: -M: only "
			    "with -P icmp-echo (only an echo reply can be made "
			    "larger than the MTU)", n);
		if (pd->size <= pd->mtu)
			return cmd_err(err, len, "probe definition %d: -M %u "
			    "needs -s larger than it", n, pd->mtu);
	}
	if (scamper_dealias_probedef_is_tcp(pd->method))
		pd->tcp_flags = pd->method ==
		    SCAMPER_DEALIAS_PROBEDEF_METHOD_TCP_SYN_SPORT ? 0x02 : 0x10;
	return 0;
}

/* ---- the definitions of a command --------------------------------- */

struct pdefs {
	struct pdef	*v;
	int		 n;
	int		 tmpl;		/* index of the template, or -1 */
};

/* Parse every -p of A into DS: definitions with -i, and at most one
 * template without it. */
static int
pdefs_parse(const struct cmd_args *a, struct pdefs *ds, char *err,
    size_t len)
{
	int np = 0;

	for (int i = 0; i < a->nv; i++)
		np += a->v[i].opt == 'p';
	ds->tmpl = -1;
	ds->n = 0;
	if ((ds->v = calloc((size_t)np + (size_t)a->noperands + 1,
	    sizeof(*ds->v))) == NULL)
		return cmd_err(err, len, "out of memory");
	for (int i = 0; i < a->nv; i++) {
		struct pdef *p = &ds->v[ds->n];

		if (a->v[i].opt != 'p')
			continue;
		if (pd_parse(a->v[i].s, ds->n + 1, p, err, len) == -1)
			return -1;
		if (!p->has_dst) {
			if (ds->tmpl >= 0)
				return cmd_err(err, len, "-p '%s': a second "
				    "definition without -i (only one may be "
				    "the template of the target addresses)",
				    a->v[i].s);
			ds->tmpl = ds->n;
		}
		ds->n++;
	}
	return 0;
}

/* The definitions of methods that take them from -p and targets: every
 * -p with -i, then one per target (a copy of the template, or of the
 * default UDP definition).  Fills D->defs. */
static int
defs_build(struct dealias_state *s, const struct cmd_args *a,
    struct pdefs *ds, char *err, size_t len)
{
	struct scamper_dealias *d = s->d;
	struct pdef tmpl;
	int n = 0, rc, *user;

	if (ds->tmpl >= 0)
		tmpl = ds->v[ds->tmpl];
	else
		pd_default(&tmpl);
	if (ds->tmpl >= 0 && a->noperands == 0)
		return cmd_err(err, len, "-p: definition %d has no -i, and no "
		    "target addresses follow for it", ds->tmpl + 1);
	if ((d->defs = calloc((size_t)(ds->n + a->noperands),
	    sizeof(*d->defs))) == NULL)
		return cmd_err(err, len, "out of memory");
	for (int i = 0; i < ds->n; i++)
		if (i != ds->tmpl)
			ds->v[n++] = ds->v[i];
	for (int i = 0; i < a->noperands; i++) {
		struct pdef *p = &ds->v[n++];

		*p = tmpl;
		p->has_dst = 1;
		if ((p->af = cmd_addr(a->operands[i], p->dst)) == 0)
			return cmd_err(err, len, "'%s' is not an IPv4 or IPv6 "
			    "address", a->operands[i]);
	}
	if (n > DEALIAS_MAXDEFS)
		return cmd_err(err, len, "%d probe definitions: at most %d", n,
		    DEALIAS_MAXDEFS);
	if ((user = calloc((size_t)n + 1, sizeof(*user))) == NULL)
		return cmd_err(err, len, "out of memory");
	for (int i = 0; i < n; i++) {
		if ((i > 0 && ds->v[i].af != ds->v[0].af &&
		    cmd_err(err, len, "probe definitions %d and 1 are of "
		    "different address families", i + 1) == -1) ||
		    pd_check(&ds->v[i], i + 1, err, len) == -1) {
			free(user);
			return -1;
		}
		d->defs[i] = ds->v[i].pd;
		d->defs[i].id = (uint32_t)i;
		s->user_sport |= ds->v[i].user_sport;
		user[i] = ds->v[i].user_sport;
	}
	d->defc = (uint32_t)n;
	s->af = n > 0 ? ds->v[0].af : 0;
	rc = dealias_defs_init(s, user);
	free(user);
	return rc == 0 ? 0 : cmd_err(err, len, "out of memory");
}

/* ---- per method ---------------------------------------------------- */

/* Options that only some methods take. */
static int
only(const struct cmd_args *a, const char *opts, const char *name,
    char *err, size_t len)
{
	for (int i = 0; i < a->nv; i++)
		if (strchr(opts, a->v[i].opt) == NULL)
			return cmd_err(err, len, "-%c: not valid with -m %s",
			    a->v[i].opt, name);
	return 0;
}

static int
word_only(const struct cmd_args *a, uint32_t word, const char *name,
    char *err, size_t len)
{
	if (cmd_has_word(a, 'O', word))
		return cmd_err(err, len, "-O %s: not valid with -m %s",
		    dealias_Oopts[word], name);
	return 0;
}

static int
attempts(const struct cmd_args *a, uint32_t def, uint32_t min,
    uint32_t max, char *err, size_t len, uint32_t *out)
{
	*out = cmd_optu(a, 'q', def);
	if (*out < min || *out > max)
		return cmd_err(err, len, "-q: invalid value '%u' (expected %u to "
		    "%u)", *out, min, max);
	return 0;
}

/* IPv6 IP-IDs exist only in fragment headers: the methods that compare
 * IP-IDs need every IPv6 definition to make its replies fragment. */
static int
need_ipids(const struct dealias_state *s, char *err, size_t len)
{
	if (s->af != AF_INET6)
		return 0;
	for (uint32_t i = 0; i < s->d->defc; i++)
		if (s->d->defs[i].mtu == 0)
			return cmd_err(err, len, "probe definition %u: IPv6 "
			    "replies carry an IP-ID only when fragmented: give "
			    "it -M (e.g. -p '-P icmp-echo -s 1300 -M 1280')",
			    i + 1);
	return 0;
}

static int
fudge(struct dealias_state *s, const struct cmd_args *a, uint32_t def)
{
	s->rules.fudge = cmd_has_word(a, 'O', O_INSEQ) ? 0 :
	    cmd_optu(a, 'f', def);
	s->rules.nobs = cmd_has_word(a, 'O', O_NOBS);
	return 0;
}

static int
mercator(struct dealias_state *s, const struct cmd_args *a, char *err,
    size_t len)
{
	struct scamper_dealias *d = s->d;
	struct scamper_dealias_probedef *pd;
	struct pdef p;
	uint32_t q;

	if (only(a, "mqUwdst", "mercator", err, len) == -1 ||
	    attempts(a, 3, 1, 3, err, len, &q) == -1)
		return -1;
	if (a->noperands != 1)
		return cmd_err(err, len, "-m mercator: expected one target "
		    "address, got %d", a->noperands);
	pd_default(&p);
	if ((p.af = cmd_addr(a->operands[0], p.dst)) == 0)
		return cmd_err(err, len, "'%s' is not an IPv4 or IPv6 address",
		    a->operands[0]);
	p.pd.dport = (uint16_t)cmd_optu(a, 'd', DEALIAS_DPORT);
	p.pd.ttl = (uint8_t)cmd_optu(a, 't', DEALIAS_TTL);
	if (cmd_opt(a, 's') != NULL) {
		p.pd.sport = (uint16_t)cmd_optu(a, 's', 0);
		s->user_sport = 1;
	}
	if ((d->defs = calloc(1, sizeof(*d->defs))) == NULL)
		return cmd_err(err, len, "out of memory");
	if (pd_check(&p, 1, err, len) == -1)
		return -1;
	pd = &d->defs[0];
	*pd = p.pd;
	d->defc = 1;
	s->af = p.af;
	if (dealias_defs_init(s, &s->user_sport) == -1)
		return cmd_err(err, len, "out of memory");
	d->u.mercator.attempts = (uint8_t)q;
	d->u.mercator.wait_timeout = (uint8_t)cmd_optu(a, 'w',
	    DEALIAS_WAIT_TIMEOUT);
	s->ops = &dealias_mercator_ops;
	return 0;
}

static int
ally(struct dealias_state *s, const struct cmd_args *a, struct pdefs *ds,
    char *err, size_t len)
{
	struct scamper_dealias_ally *al = &s->d->u.ally;
	uint32_t q;

	if (only(a, "mpqUwWfO", "ally", err, len) == -1 ||
	    word_only(a, O_SHUFFLE, "ally", err, len) == -1 ||
	    attempts(a, 5, 2, 255, err, len, &q) == -1 ||
	    defs_build(s, a, ds, err, len) == -1)
		return -1;
	if (s->d->defc != 2)
		return cmd_err(err, len, "-m ally: expected two addresses (two "
		    "-p with -i, or two targets), got %u", s->d->defc);
	if (need_ipids(s, err, len) == -1)
		return -1;
	fudge(s, a, DEALIAS_FUDGE);
	al->wait_probe = (uint16_t)cmd_optu(a, 'W', 150);
	s->wait_probe = al->wait_probe;
	al->wait_timeout = (uint8_t)cmd_optu(a, 'w', DEALIAS_WAIT_TIMEOUT);
	al->attempts = (uint8_t)q;
	al->fudge = (uint16_t)s->rules.fudge;
	al->flags = s->rules.nobs ? 0x01 : 0;
	s->ops = &dealias_ally_ops;
	return 0;
}

static int
radargun(struct dealias_state *s, const struct cmd_args *a,
    struct pdefs *ds, char *err, size_t len)
{
	struct scamper_dealias_radargun *rg = &s->d->u.radargun;
	uint32_t q;
	uint64_t round;

	if (only(a, "mpqUwWrO", "radargun", err, len) == -1 ||
	    word_only(a, O_INSEQ, "radargun", err, len) == -1 ||
	    word_only(a, O_NOBS, "radargun", err, len) == -1 ||
	    attempts(a, 30, 1, 65535, err, len, &q) == -1 ||
	    defs_build(s, a, ds, err, len) == -1)
		return -1;
	if (s->d->defc == 0)
		return cmd_err(err, len, "-m radargun: no addresses (-p with -i, "
		    "or targets)");
	if (need_ipids(s, err, len) == -1)
		return -1;
	if ((uint64_t)s->d->defc * q > DEALIAS_MAXPROBES)
		return cmd_err(err, len, "-m radargun: %u addresses times %u "
		    "rounds is more than %u probes", s->d->defc, q,
		    DEALIAS_MAXPROBES);
	rg->attempts = (uint16_t)q;
	rg->wait_probe = (uint16_t)cmd_optu(a, 'W', 150);
	s->wait_probe = rg->wait_probe;
	round = (uint64_t)s->d->defc * rg->wait_probe;
	rg->wait_round = cmd_optu(a, 'r', round > UINT32_MAX ? UINT32_MAX :
	    (uint32_t)round);
	rg->wait_timeout = (uint8_t)cmd_optu(a, 'w', DEALIAS_WAIT_TIMEOUT);
	rg->flags = cmd_has_word(a, 'O', O_SHUFFLE) ? 0x01 : 0;
	s->ops = &dealias_radargun_ops;
	return 0;
}

static int
prefixscan(struct dealias_state *s, const struct cmd_args *a,
    struct pdefs *ds, char *err, size_t len)
{
	struct scamper_dealias_prefixscan *ps = &s->d->u.prefixscan;
	struct pdef p;
	uint32_t q;
	int user;

	if (only(a, "mpqUwWfoOx", "prefixscan", err, len) == -1 ||
	    word_only(a, O_SHUFFLE, "prefixscan", err, len) == -1 ||
	    attempts(a, 2, 1, 255, err, len, &q) == -1)
		return -1;
	if (ds->n > 1 || (ds->n == 1 && ds->tmpl != 0))
		return cmd_err(err, len, "-m prefixscan: at most one -p, "
		    "without -i (the addresses are the targets)");
	if (a->noperands != 2)
		return cmd_err(err, len, "-m prefixscan: expected two targets "
		    "(an address and a prefix, 'a b/len'), got %d",
		    a->noperands);
	fudge(s, a, DEALIAS_FUDGE);
	ps->attempts = (uint8_t)q;
	ps->replyc = (uint8_t)cmd_optu(a, 'o', 5);
	ps->fudge = (uint16_t)s->rules.fudge;
	ps->wait_probe = (uint16_t)cmd_optu(a, 'W', 1000);
	s->wait_probe = ps->wait_probe;
	ps->wait_timeout = (uint8_t)cmd_optu(a, 'w', DEALIAS_WAIT_TIMEOUT);
	ps->flags = s->rules.nobs ? 0x01 : 0;
	if (ps->replyc < 3)
		return cmd_err(err, len, "-o: invalid value '%u' (prefixscan "
		    "needs at least 3 replies to see a sequence)", ps->replyc);
	s->ops = &dealias_prefixscan_ops;
	if (dealias_prefixscan_init(s, a, err, len) == -1)
		return -1;
	/* definition 0 is A; the candidates are copies of it */
	if (ds->n == 1)
		p = ds->v[0];
	else
		pd_default(&p);
	p.af = s->af;
	memcpy(p.dst, s->src, 16);
	memset(s->src, 0, sizeof(s->src));
	if (pd_check(&p, 1, err, len) == -1)
		return -1;
	if ((s->d->defs = calloc(1, sizeof(*s->d->defs))) == NULL)
		return cmd_err(err, len, "out of memory");
	s->d->defs[0] = p.pd;
	s->d->defc = 1;
	user = p.user_sport;
	s->user_sport = user;
	if (dealias_defs_init(s, &user) == -1)
		return cmd_err(err, len, "out of memory");
	return need_ipids(s, err, len);
}

static int
bump(struct dealias_state *s, const struct cmd_args *a, struct pdefs *ds,
    char *err, size_t len)
{
	struct scamper_dealias_bump *b = &s->d->u.bump;
	uint32_t q;

	if (only(a, "mpqUwWf", "bump", err, len) == -1 ||
	    attempts(a, 3, 1, 255, err, len, &q) == -1 ||
	    defs_build(s, a, ds, err, len) == -1)
		return -1;
	if (s->d->defc != 2)
		return cmd_err(err, len, "-m bump: expected two addresses (two "
		    "-p with -i, or two targets), got %u", s->d->defc);
	if (need_ipids(s, err, len) == -1)
		return -1;
	b->wait_probe = (uint16_t)cmd_optu(a, 'W', 1000);
	s->wait_probe = b->wait_probe;
	b->bump_limit = (uint16_t)cmd_optu(a, 'f', 30);
	b->attempts = (uint8_t)q;
	if (b->bump_limit < 2)
		return cmd_err(err, len, "-f: invalid value '%u' (bump needs a "
		    "limit of at least 2)", b->bump_limit);
	s->rules.fudge = b->bump_limit;
	s->rules.nobs = 1;
	s->ops = &dealias_bump_ops;
	return 0;
}

static int
dealias_parse(struct dealias_state *s, const struct cmd_args *a,
    char *err, size_t len)
{
	struct pdefs ds = { NULL, 0, -1 };
	uint32_t m = cmd_optu(a, 'm', 0);
	int rc;

	s->d->method = dealias_types[m];
	s->d->userid = cmd_optu(a, 'U', 0);
	s->rules.bits = 16;
	if ((rc = pdefs_parse(a, &ds, err, len)) == 0) {
		switch (s->d->method) {
		case SCAMPER_DEALIAS_METHOD_MERCATOR:
			rc = mercator(s, a, err, len);
			break;
		case SCAMPER_DEALIAS_METHOD_ALLY:
			rc = ally(s, a, &ds, err, len);
			break;
		case SCAMPER_DEALIAS_METHOD_RADARGUN:
			rc = radargun(s, a, &ds, err, len);
			break;
		case SCAMPER_DEALIAS_METHOD_PREFIXSCAN:
			rc = prefixscan(s, a, &ds, err, len);
			break;
		default:
			rc = bump(s, a, &ds, err, len);
			break;
		}
	}
	free(ds.v);
	if (s->af == AF_INET6)
		s->rules.bits = 32;
	return rc;
}

static int
dealias_init(struct task *task, void *state, const struct cmd_args *a,
    char *err, size_t len)
{
	struct dealias_state *s = state;

	s->task = task;
	if ((s->d = scamper_dealias_alloc()) == NULL)
		return cmd_err(err, len, "out of memory");
	task_result(task, SCAMPER_FILE_OBJ_DEALIAS, s->d);
	return dealias_parse(s, a, err, len);
}

const struct method method_dealias = {
	.name = "dealias",
	METHOD_CALLS(dealias),
	.free_state = dealias_state_clear,
	.reply = dealias_reply,
	.sent = dealias_sent,
	.refused = dealias_refused,
};
