/*
 * dealias_bump.c: the bump method, for two addresses believed aliases.
 * First A, B, A, -W apart: IP-IDs out of order mean not aliases; their
 * rate d (per -W) above the bump limit (-f) means the counter moves too
 * fast to tell, and the result is "none".  Then -q times, bumping B and
 * A in turn: send n = max(2d, 3) probes to the bumped address at once,
 * then one to the other.  One shared counter shows the other address's
 * IP-ID pushed on by at least n and the bump's replies in sequence
 * between its two samples; anything else is not aliases.  A missing
 * reply (more than half the bump's, or a sample) makes it "none".
 */
#include "config.h"

#include <stdlib.h>

#include "dealias_int.h"
#include "scamper_dealias.h"

enum bump_stage {
	BUMP_INIT,		/* A, B, A */
	BUMP_STEP,		/* bumping */
};

struct bump {
	enum bump_stage	 stage;
	uint32_t	 attempt;	/* steps done */
	uint32_t	 n;		/* probes per bump */
	uint32_t	 first;		/* the step's first probe */
	uint32_t	 sent;		/* probes of the step sent */
	uint32_t	 ylast;		/* the other's latest sampled probe */
};

static int
b_begin(struct dealias_state *s)
{
	if ((s->ms = calloc(1, sizeof(struct bump))) == NULL) {
		dealias_finish(s, SCAMPER_DEALIAS_RESULT_NONE);
		return -1;
	}
	dealias_next(s, 0);
	return 0;
}

static uint32_t
b_maxseq(const struct dealias_state *s, uint32_t def)
{
	const struct scamper_dealias_bump *b = &s->d->u.bump;

	(void)def;
	return 2 + (uint32_t)b->attempts * (2u * b->bump_limit + 4);
}

static uint32_t
step16(uint32_t a, uint32_t b)
{
	return (b - a) & 0xffff;
}

/* The first stage's verdict; 0 to go on. */
static int
init_done(struct dealias_state *s, struct bump *b)
{
	const struct scamper_dealias_bump *p = &s->d->u.bump;
	struct ipid_sample v[3];
	struct ipid_rules any = { 0, 16, 1 };
	uint32_t v3[3], d;

	for (uint32_t i = 0; i < 3; i++)
		if (!dealias_sample(s, s->pbase + i, &v[i])) {
			dealias_finish(s, SCAMPER_DEALIAS_RESULT_NONE);
			return 1;
		}
	for (int i = 0; i < 3; i++)
		v3[i] = v[i].id;
	if (!ipid_inseq(v3, 3, &any)) {
		dealias_finish(s, SCAMPER_DEALIAS_RESULT_NOTALIASES);
		return 1;
	}
	if ((d = step16(v3[1], v3[2])) > p->bump_limit ||
	    step16(v3[0], v3[1]) > p->bump_limit) {
		dealias_finish(s, SCAMPER_DEALIAS_RESULT_NONE);
		return 1;
	}
	b->n = 2 * d < 3 ? 3 : 2 * d;
	b->ylast = s->pbase + 2;
	b->stage = BUMP_STEP;
	return 0;
}

/* The verdict on the step just done; 0 to go on. */
static int
step_done(struct dealias_state *s, struct bump *b)
{
	const struct scamper_dealias_bump *p = &s->d->u.bump;
	struct ipid_rules r = { (uint32_t)p->bump_limit * 2, 16, 1 };
	uint32_t *v, n = 0, last = b->first + b->sent - 1, got = 0;
	uint32_t xlast = 0;
	struct ipid_sample x;
	int ok;

	if ((v = calloc(b->sent + 1, sizeof(*v))) == NULL) {
		dealias_finish(s, SCAMPER_DEALIAS_RESULT_NONE);
		return 1;
	}
	if (dealias_sample(s, b->ylast, &x))
		v[n++] = x.id;
	for (uint32_t k = b->first; k < last; k++)
		if (dealias_sample(s, k, &x)) {
			v[n++] = x.id;
			xlast = k;
			got++;
		}
	if (n == got || !dealias_sample(s, last, &x) || 2 * got < b->n) {
		free(v);
		dealias_finish(s, SCAMPER_DEALIAS_RESULT_NONE);
		return 1;
	}
	v[n++] = x.id;
	ok = ipid_inseq(v, n, &r) && step16(v[0], v[n - 1]) >= b->n;
	free(v);
	if (!ok) {
		dealias_finish(s, SCAMPER_DEALIAS_RESULT_NOTALIASES);
		return 1;
	}
	/* the next step bumps the other: its sample is the last bump's */
	b->ylast = xlast;
	if (++b->attempt == p->attempts) {
		dealias_finish(s, SCAMPER_DEALIAS_RESULT_ALIASES);
		return 1;
	}
	return 0;
}

static int
b_probe(struct dealias_state *s)
{
	const struct scamper_dealias_bump *p = &s->d->u.bump;
	struct bump *b = s->ms;
	uint32_t bumped;

	if (b->stage == BUMP_INIT && s->d->probec - s->pbase < 3) {
		if (dealias_send(s, s->d->probec - s->pbase == 1 ? 1 : 0) >= 0)
			dealias_next(s, p->wait_probe);
		return 1;
	}
	if (b->stage == BUMP_INIT && init_done(s, b))
		return 0;
	if (b->sent == b->n + 1) {
		if (step_done(s, b))
			return 0;
		b->sent = 0;
	}
	if (b->sent == 0)
		b->first = s->d->probec;
	/* B is bumped first, then A, in turn */
	bumped = b->attempt % 2 == 0 ? 1 : 0;
	if (dealias_send(s, b->sent < b->n ? bumped : 1 - bumped) < 0)
		return 1;
	if (++b->sent <= b->n)
		dealias_next(s, 0);
	else
		dealias_next(s, p->wait_probe);
	return 1;
}

static void
b_reply(struct dealias_state *s, uint32_t p,
    const struct scamper_dealias_reply *rep)
{
	(void)s;
	(void)p;
	(void)rep;
}

const struct dealias_ops dealias_bump_ops = {
	.begin = b_begin,
	.probe = b_probe,
	.reply = b_reply,
	.maxseq = b_maxseq,
};
