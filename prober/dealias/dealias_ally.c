/*
 * dealias_ally.c: the ally method.  -q probes (5) alternate between the
 * two addresses, -W apart; the IP-IDs of their replies, in the order
 * the probes went, come from one counter if each is a little above the
 * one before (ipid.h says what that means, byte swaps too).
 *
 * A window of consecutive answered probes of both addresses that no
 * counter can explain ends the test at once: not aliases.  Otherwise the verdict waits for
 * every probe's reply, or for -w after the last probe.  It needs both
 * addresses in the samples, interleaved (A B A or B A B), and at most
 * one probe without a usable sample (lost, duplicated, the probe's own
 * IP-ID echoed); else, or if every IP-ID is zero, it is "none".
 */
#include "config.h"

#include <stdlib.h>

#include "dealias_int.h"
#include "scamper_dealias.h"

#define ALLY_WINDOW	5	/* probes the early check looks at */

static int
a_begin(struct dealias_state *s)
{
	dealias_next(s, 0);
	return 0;
}

static uint32_t
a_maxseq(const struct dealias_state *s, uint32_t def)
{
	(void)def;
	return s->d->u.ally.attempts / 2u + 1;
}

/* Nonzero if the samples alternate somewhere: X Y X. */
static int
interleaved(const struct ipid_sample *v, size_t n)
{
	for (size_t i = 2; i < n; i++)
		if (v[i].who == v[i - 2].who && v[i].who != v[i - 1].who)
			return 1;
	return 0;
}

static void
a_verdict(struct dealias_state *s)
{
	const struct scamper_dealias *d = s->d;
	struct ipid_sample v[256];
	size_t n = 0;

	for (uint32_t p = s->pbase; p < d->probec; p++)
		n += (size_t)dealias_sample(s, p, &v[n]);
	if (d->probec - s->pbase - n > 1 || n < 3 || !interleaved(v, n) ||
	    ipid_all_zero(v, n)) {
		dealias_finish(s, SCAMPER_DEALIAS_RESULT_NONE);
		return;
	}
	dealias_finish(s, ipid_series(v, n, &s->rules) == IPID_NO ?
	    SCAMPER_DEALIAS_RESULT_NOTALIASES : SCAMPER_DEALIAS_RESULT_ALIASES);
}

static int
a_probe(struct dealias_state *s)
{
	const struct scamper_dealias *d = s->d;

	if (dealias_send(s, (d->probec - s->pbase) % 2) < 0)
		return 1;
	if (d->probec - s->pbase < d->u.ally.attempts)
		dealias_next(s, d->u.ally.wait_probe);
	else
		dealias_wait(s, (int64_t)d->u.ally.wait_timeout * 1000);
	return 1;
}

/* The early check: the consecutive probes around P that each have a
 * sample; if no counter can explain them, not aliases. */
static int
a_early(struct dealias_state *s, uint32_t p)
{
	struct ipid_sample v[ALLY_WINDOW];
	uint32_t lo = p, hi = p;
	size_t n = 0;

	if (!dealias_sample(s, p, &v[0]))
		return 0;
	while (lo > s->pbase && hi - lo + 1 < ALLY_WINDOW &&
	    dealias_sample(s, lo - 1, &v[0]))
		lo--;
	while (hi + 1 < s->d->probec && hi - lo + 1 < ALLY_WINDOW &&
	    dealias_sample(s, hi + 1, &v[0]))
		hi++;
	for (uint32_t i = lo; i <= hi; i++)
		n += (size_t)dealias_sample(s, i, &v[n]);
	if (n == 2 ? v[0].who == v[1].who : n < 3 || !interleaved(v, n))
		return 0;
	return !ipid_all_zero(v, n) && ipid_surely_not(v, n, &s->rules);
}

static void
a_reply(struct dealias_state *s, uint32_t p,
    const struct scamper_dealias_reply *rep)
{
	const struct scamper_dealias *d = s->d;

	(void)rep;
	if (a_early(s, p)) {
		dealias_finish(s, SCAMPER_DEALIAS_RESULT_NOTALIASES);
		return;
	}
	if (d->probec - s->pbase < d->u.ally.attempts)
		return;
	for (uint32_t i = s->pbase; i < d->probec; i++)
		if (d->probes[i].replyc == 0)
			return;
	a_verdict(s);
}

static void
a_timeout(struct dealias_state *s)
{
	a_verdict(s);
}

const struct dealias_ops dealias_ally_ops = {
	.begin = a_begin,
	.probe = a_probe,
	.reply = a_reply,
	.timeout = a_timeout,
	.maxseq = a_maxseq,
};
