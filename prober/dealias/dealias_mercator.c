/*
 * dealias_mercator.c: the mercator method.  One UDP probe to an unused
 * port of the target, again after the wait if nothing came (up to -q
 * times); the port unreachable it draws names the target's router by
 * the address it comes from.  Another address than the target's makes
 * the two aliases.  Only a port unreachable counts: any other ICMP error
 * (a host unreachable from the router before, say) is another router's
 * word and would make a false alias.
 */
#include "config.h"

#include "dealias_int.h"
#include "scamper_dealias.h"

static int
m_begin(struct dealias_state *s)
{
	dealias_next(s, 0);
	return 0;
}

static int
m_probe(struct dealias_state *s)
{
	if (dealias_send(s, 0) < 0)
		return 1;
	dealias_wait(s, (int64_t)s->d->u.mercator.wait_timeout * 1000);
	return 1;
}

static void
m_reply(struct dealias_state *s, uint32_t p,
    const struct scamper_dealias_reply *rep)
{
	const struct scamper_dealias_probedef *pd = &s->d->defs[0];

	if (!scamper_dealias_reply_is_icmp(rep) ||
	    !dealias_reply_usable(s, p, rep))
		return;
	dealias_finish(s, scamper_addr_cmp(&rep->src, &pd->dst) != 0 ?
	    SCAMPER_DEALIAS_RESULT_ALIASES : SCAMPER_DEALIAS_RESULT_NONE);
}

static void
m_timeout(struct dealias_state *s)
{
	if (s->d->probec < s->d->u.mercator.attempts)
		dealias_next(s, 0);
	else
		dealias_finish(s, SCAMPER_DEALIAS_RESULT_NONE);
}

const struct dealias_ops dealias_mercator_ops = {
	.begin = m_begin,
	.probe = m_probe,
	.reply = m_reply,
	.timeout = m_timeout,
};
