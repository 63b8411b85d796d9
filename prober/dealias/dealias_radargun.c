/*
 * dealias_radargun.c: the radargun method.  -q rounds (30); each round
 * probes every definition once, -W apart, in their order or (-O
 * shuffle) in a new random order each round; a round starts -r after
 * the one before started (or -W after its last probe, if that is
 * later).  As scamper 20211212 the prober infers nothing (the result
 * stays "none"): the IP-ID series are for sc_radargun(1) to judge.  The
 * task ends -w after the last probe, or as soon as every probe has its
 * reply.
 */
#include "config.h"

#include <stdlib.h>

#include "dealias_int.h"
#include "scamper_dealias.h"
#include "task.h"

struct rg {
	uint32_t	*order;		/* this round's definitions */
	uint32_t	 pos;		/* next in the round */
	uint32_t	 round;		/* rounds started */
	struct monotime	 start;		/* of this round */
	uint32_t	 answered;	/* probes with a reply */
};

static void
shuffle(struct dealias_state *s, struct rg *g)
{
	uint32_t n = s->d->defc;

	for (uint32_t i = 0; i < n; i++)
		g->order[i] = i;
	if (!(s->d->u.radargun.flags & 0x01))
		return;
	for (uint32_t i = n - 1; i > 0; i--) {
		uint32_t j = task_random(s->task) % (i + 1), t = g->order[i];

		g->order[i] = g->order[j];
		g->order[j] = t;
	}
}

static int
r_begin(struct dealias_state *s)
{
	struct rg *g = calloc(1, sizeof(*g));

	if (g == NULL || (g->order = calloc(s->d->defc,
	    sizeof(*g->order))) == NULL) {
		free(g);
		dealias_finish(s, SCAMPER_DEALIAS_RESULT_NONE);
		return -1;
	}
	s->ms = g;
	dealias_next(s, 0);
	return 0;
}

static uint32_t
r_maxseq(const struct dealias_state *s, uint32_t def)
{
	(void)def;
	return s->d->u.radargun.attempts;
}

static int
r_probe(struct dealias_state *s)
{
	const struct scamper_dealias_radargun *rg = &s->d->u.radargun;
	struct rg *g = s->ms;
	int64_t wait;

	if (g->pos == 0) {
		shuffle(s, g);
		g->round++;
		g->start = task_now(s->task);
	}
	if (dealias_send(s, g->order[g->pos]) < 0)
		return 1;
	if (++g->pos < s->d->defc) {
		dealias_next(s, rg->wait_probe);
		return 1;
	}
	g->pos = 0;
	if (g->round == rg->attempts) {
		dealias_wait(s, (int64_t)rg->wait_timeout * 1000);
		return 1;
	}
	wait = (int64_t)rg->wait_round - monotime_sub_ns(task_now(s->task),
	    g->start) / 1000000;
	dealias_next(s, wait > rg->wait_probe ? wait : rg->wait_probe);
	return 1;
}

static void
r_reply(struct dealias_state *s, uint32_t p,
    const struct scamper_dealias_reply *rep)
{
	struct rg *g = s->ms;

	(void)rep;
	if (p >= s->pbase && s->d->probes[p].replyc == 1)
		g->answered++;
	if (g->round == s->d->u.radargun.attempts && g->pos == 0 &&
	    g->answered == s->d->probec - s->pbase)
		dealias_finish(s, SCAMPER_DEALIAS_RESULT_NONE);
}

static void
r_free(void *ms)
{
	struct rg *g = ms;

	if (g != NULL)
		free(g->order);
	free(g);
}

const struct dealias_ops dealias_radargun_ops = {
	.begin = r_begin,
	.probe = r_probe,
	.reply = r_reply,
	.maxseq = r_maxseq,
	.free = r_free,
};
