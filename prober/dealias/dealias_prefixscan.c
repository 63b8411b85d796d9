/*
 * dealias_prefixscan.c: the prefixscan method.  Given an address A of a
 * router and an address B that a traceroute saw after it, look in B's
 * prefix for the address of A's router on the link to B: try the
 * candidates one at a time, and keep the first whose IP-IDs interleave
 * with A's for -o replies.
 *
 * Candidates, in order: B's partner on its /30 (or /31 when B is the
 * first or last address of its /30), the rest of that /30, then the
 * rest of each larger block up to the prefix, lowest first; never A, B
 * or a -x address.  A probe goes out every -W.  A candidate that gives
 * no usable reply in -q probes is passed over.  One that answers is
 * probed in turn with A (C A C A ...) until -o samples are in; a probe
 * without a usable reply is sent again (at most -q times in a row).
 * Aliases when the samples are one counter (ipid.h).  At any
 * point, samples no counter can explain pass the candidate over.
 *
 * A port unreachable answering a probe to the candidate from A's
 * address (or from an address seen answering for A) makes them aliases
 * at once (the CSA flag).  A target that twice sends back the probe's
 * own IP-ID gives no counter: a candidate is passed over, and if it is
 * A the result is "ipid-echo".
 */
#include "config.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "dealias_int.h"
#include "scamper_dealias.h"
#include "task.h"

#define PS_MAXCAND	256	/* candidates a prefix may hold */
#define PS_MAXSAMPLE	255	/* -o */
#define PS_MAXCSA	8	/* addresses seen answering for A */

enum ps_stage {
	PS_A,			/* waiting for A's first usable reply */
	PS_FIRST,		/* trying the candidate */
	PS_ALT,			/* alternating with the candidate */
};

struct ps {
	uint8_t		 (*cand)[16];	/* the candidates, in order */
	uint32_t	 ncand, next;	/* how many; the next to try */
	int		 cur;		/* its definition, or -1 */
	enum ps_stage	 stage;
	uint32_t	 tries;		/* probes without a usable reply */
	uint32_t	 await;		/* the probe awaited */
	int		 awaiting;
	int		 to_a;		/* the next probe goes to A */
	struct ipid_sample v[PS_MAXSAMPLE];
	uint32_t	 nv;
	uint32_t	 echo_a, echo_c;
	uint8_t		 csa[PS_MAXCSA][16];
	uint32_t	 ncsa;
};

static int
alen(int af)
{
	return af == AF_INET ? 4 : 16;
}

/* ---- candidates ------------------------------------------------------ */

/* A with its last BITS bits set to those of V. */
static void
host_set(uint8_t *a, int af, uint32_t v, int bits)
{
	int l = alen(af);

	for (int i = 0; i < bits; i++) {
		int byte = l - 1 - i / 8, bit = i % 8;

		if (v & (1u << i))
			a[byte] |= (uint8_t)(1u << bit);
		else
			a[byte] &= (uint8_t)~(1u << bit);
	}
}

/* The last BITS bits of A. */
static uint32_t
host_get(const uint8_t *a, int af, int bits)
{
	uint32_t v = 0;
	int l = alen(af);

	for (int i = 0; i < bits; i++)
		if (a[l - 1 - i / 8] & (1u << (i % 8)))
			v |= 1u << i;
	return v;
}

static int
excluded(const struct dealias_state *s, const uint8_t *x)
{
	const struct scamper_dealias_prefixscan *ps = &s->d->u.prefixscan;
	size_t l = (size_t)alen(s->af);

	if (memcmp(x, ps->a.addr, l) == 0 || memcmp(x, ps->b.addr, l) == 0)
		return 1;
	for (uint16_t i = 0; i < ps->xsc; i++)
		if (memcmp(ps->xs[i].addr, x, l) == 0)
			return 1;
	return 0;
}

static void
cand_add(struct dealias_state *s, struct ps *ps, uint32_t host, int bits)
{
	uint8_t x[16];

	memcpy(x, s->d->u.prefixscan.b.addr, 16);
	host_set(x, s->af, host, bits);
	if (excluded(s, x))
		return;
	for (uint32_t i = 0; i < ps->ncand; i++)
		if (memcmp(ps->cand[i], x, 16) == 0)
			return;
	memcpy(ps->cand[ps->ncand++], x, 16);
}

/* The candidates of the prefix, in the order they are tried. */
static void
candidates(struct dealias_state *s, struct ps *ps, int bits)
{
	uint32_t b = host_get(s->d->u.prefixscan.b.addr, s->af, bits);
	uint32_t in30 = b & 3;

	if (bits >= 2 && (in30 == 1 || in30 == 2))
		cand_add(s, ps, b ^ 3, bits);
	else
		cand_add(s, ps, b ^ 1, bits);
	for (int w = 2; w <= bits; w++) {
		uint32_t base = b & ~((1u << w) - 1);

		for (uint32_t h = 0; h < (1u << w); h++)
			cand_add(s, ps, base + h, bits);
	}
}

/* Check a, b/len and -x, and fill the prefixscan parameters. */
int
dealias_prefixscan_init(struct dealias_state *s, const struct cmd_args *a,
    char *err, size_t errlen)
{
	struct scamper_dealias_prefixscan *p = &s->d->u.prefixscan;
	uint8_t xa[16], xb[16];
	char buf[64], *slash, *end;
	int afa, afb, bits, nx = 0, type;
	struct ps *ps;
	long len;

	if ((afa = cmd_addr(a->operands[0], xa)) == 0)
		return cmd_err(err, errlen, "'%s' is not an IPv4 or IPv6 address",
		    a->operands[0]);
	if (snprintf(buf, sizeof(buf), "%s", a->operands[1]) >=
	    (int)sizeof(buf) || (slash = strchr(buf, '/')) == NULL)
		return cmd_err(err, errlen, "'%s' is not a prefix (expected "
		    "address/length)", a->operands[1]);
	*slash = '\0';
	len = strtol(slash + 1, &end, 10);
	if ((afb = cmd_addr(buf, xb)) == 0 || *end != '\0' || slash[1] == '\0')
		return cmd_err(err, errlen, "'%s' is not a prefix (expected "
		    "address/length)", a->operands[1]);
	if (afa != afb)
		return cmd_err(err, errlen, "'%s' and '%s' are of different "
		    "address families", a->operands[0], a->operands[1]);
	bits = (afa == AF_INET ? 32 : 128) - (int)len;
	if (len < 0 || bits < 1 || bits > 8)
		return cmd_err(err, errlen, "'%s': the prefix length must be %d "
		    "to %d (at most %d addresses are searched)", a->operands[1],
		    afa == AF_INET ? 24 : 120, afa == AF_INET ? 31 : 127,
		    PS_MAXCAND);
	for (int i = 0; i < a->nv; i++) {
		if (a->v[i].opt != 'x')
			continue;
		if (a->v[i].af != afa)
			return cmd_err(err, errlen, "-x %s: not of the targets' "
			    "address family", a->v[i].s);
		nx++;
	}
	type = task_addr_type(afa);
	s->af = afa;
	memcpy(s->src, xa, 16);		/* A, for the caller's definition */
	scamper_addr_set(&p->a, type, xa);
	scamper_addr_set(&p->b, type, xb);
	p->prefix = (uint8_t)len;
	if (nx > 0) {
		if ((p->xs = calloc((size_t)nx, sizeof(*p->xs))) == NULL)
			return cmd_err(err, errlen, "out of memory");
		for (int i = 0; i < a->nv; i++)
			if (a->v[i].opt == 'x')
				scamper_addr_set(&p->xs[p->xsc++], type,
				    a->v[i].addr);
	}
	if ((ps = calloc(1, sizeof(*ps))) == NULL ||
	    (ps->cand = calloc(PS_MAXCAND, sizeof(*ps->cand))) == NULL) {
		free(ps);
		return cmd_err(err, errlen, "out of memory");
	}
	s->ms = ps;
	candidates(s, ps, bits);
	ps->cur = -1;
	ps->stage = PS_A;
	return 0;
}

/* ---- running ----------------------------------------------------------- */

static void
next_candidate(struct dealias_state *s, struct ps *ps)
{
	ps->cur = -1;
	ps->stage = PS_FIRST;
	ps->tries = 0;
	ps->nv = 0;
	ps->echo_c = 0;
	ps->awaiting = 0;
	if (ps->next == ps->ncand) {
		dealias_finish(s, SCAMPER_DEALIAS_RESULT_NONE);
		return;
	}
	ps->cur = dealias_def_add(s, 0, ps->cand[ps->next++]);
}

static void
aliases(struct dealias_state *s, struct ps *ps, int csa)
{
	struct scamper_dealias_prefixscan *p = &s->d->u.prefixscan;

	p->ab = s->d->defs[ps->cur].dst;
	if (csa)
		p->flags |= 0x02;
	dealias_finish(s, SCAMPER_DEALIAS_RESULT_ALIASES);
}

/* The awaited probe got nothing usable by the time the next is due. */
static void
missed(struct dealias_state *s, struct ps *ps)
{
	const struct scamper_dealias_prefixscan *p = &s->d->u.prefixscan;

	ps->awaiting = 0;
	if (++ps->tries < p->attempts)
		return;			/* send the same again */
	if (ps->stage == PS_A)
		dealias_finish(s, SCAMPER_DEALIAS_RESULT_NONE);
	else
		next_candidate(s, ps);
}

static int
p_begin(struct dealias_state *s)
{
	dealias_next(s, 0);
	return 0;
}

static int
p_probe(struct dealias_state *s)
{
	struct ps *ps = s->ms;
	uint32_t def;
	int k;

	if (ps->awaiting)
		missed(s, ps);
	if (s->phase == DEALIAS_DONE)
		return 0;
	if (ps->stage == PS_A)
		def = 0;
	else if (ps->stage == PS_FIRST)
		def = (uint32_t)ps->cur;
	else
		def = ps->to_a ? 0 : (uint32_t)ps->cur;
	if ((k = dealias_send(s, def)) < 0)
		return 1;
	ps->await = (uint32_t)k;
	ps->awaiting = 1;
	dealias_next(s, s->d->u.prefixscan.wait_probe);
	return 1;
}

/* A reply from an address seen answering for A, other than A. */
static void
note_csa(struct dealias_state *s, struct ps *ps,
    const struct scamper_dealias_reply *rep)
{
	if (scamper_addr_cmp(&rep->src, &s->d->defs[0].dst) == 0 ||
	    ps->ncsa == PS_MAXCSA)
		return;
	for (uint32_t i = 0; i < ps->ncsa; i++)
		if (memcmp(ps->csa[i], rep->src.addr, 16) == 0)
			return;
	memcpy(ps->csa[ps->ncsa++], rep->src.addr, 16);
}

static int
is_csa(const struct dealias_state *s, const struct ps *ps,
    const struct scamper_dealias_reply *rep)
{
	if (scamper_addr_cmp(&rep->src, &s->d->defs[0].dst) == 0)
		return 1;
	for (uint32_t i = 0; i < ps->ncsa; i++)
		if (memcmp(ps->csa[i], rep->src.addr, 16) == 0)
			return 1;
	return 0;
}

/* Probe P's reply echoes its own IP-ID: twice gives up on the target. */
static int
echoed(struct dealias_state *s, struct ps *ps, uint32_t p,
    const struct scamper_dealias_reply *rep)
{
	uint32_t def = s->d->probes[p].def;

	if (s->af != AF_INET || rep->ipid != s->d->probes[p].ipid)
		return 0;
	if (def == 0 && ++ps->echo_a >= 2) {
		dealias_finish(s, SCAMPER_DEALIAS_RESULT_IPIDECHO);
		return 1;
	}
	if (def != 0 && ++ps->echo_c >= 2) {
		next_candidate(s, ps);
		return 1;
	}
	return 0;
}

/* A usable sample of the awaited probe. */
static void
sampled(struct dealias_state *s, struct ps *ps, const struct ipid_sample *v)
{
	const struct scamper_dealias_prefixscan *p = &s->d->u.prefixscan;

	ps->awaiting = 0;
	ps->tries = 0;
	if (ps->stage == PS_A) {
		next_candidate(s, ps);
		return;
	}
	if (ps->stage == PS_FIRST)
		ps->stage = PS_ALT;
	ps->v[ps->nv++] = *v;
	ps->to_a = v->who != 0;
	if (ps->nv >= 3 && ipid_surely_not(ps->v, ps->nv, &s->rules)) {
		next_candidate(s, ps);
		return;
	}
	if (ps->nv < p->replyc)
		return;
	if (!ipid_all_zero(ps->v, ps->nv) &&
	    ipid_series(ps->v, ps->nv, &s->rules) != IPID_NO)
		aliases(s, ps, 0);
	else
		next_candidate(s, ps);
}

static void
p_reply(struct dealias_state *s, uint32_t p,
    const struct scamper_dealias_reply *rep)
{
	struct ps *ps = s->ms;
	uint32_t def = s->d->probes[p].def;
	struct ipid_sample v;

	if (def == 0 && dealias_reply_usable(s, p, rep))
		note_csa(s, ps, rep);
	if (ps->cur >= 0 && def == (uint32_t)ps->cur &&
	    s->defs[def].proto == IPPROTO_UDP &&
	    dealias_reply_usable(s, p, rep) && is_csa(s, ps, rep)) {
		aliases(s, ps, 1);
		return;
	}
	if (echoed(s, ps, p, rep) || !ps->awaiting || p != ps->await)
		return;
	if (dealias_sample(s, p, &v))
		sampled(s, ps, &v);
}

static uint32_t
p_maxseq(const struct dealias_state *s, uint32_t def)
{
	const struct scamper_dealias_prefixscan *p = &s->d->u.prefixscan;
	const struct ps *ps = s->ms;
	uint32_t per = (uint32_t)p->attempts * (p->replyc / 2u + 2);

	/* A is probed beside every candidate */
	return def == 0 ? p->attempts + per * ps->ncand : per;
}

static void
p_free(void *ms)
{
	struct ps *ps = ms;

	if (ps != NULL)
		free(ps->cand);
	free(ps);
}

const struct dealias_ops dealias_prefixscan_ops = {
	.begin = p_begin,
	.probe = p_probe,
	.reply = p_reply,
	.maxseq = p_maxseq,
	.free = p_free,
};
