/*
 * nd_run.c: running a neighbourdisc: a tap on the interface (replies
 * about the target in, whole frames out), one ARP request or Neighbour
 * Solicitation per pacing token, the wait after each, replies recorded
 * under the probe they follow.
 *
 * When the wait after a probe ends, the measurement stops once every
 * attempt was sent, or once enough replies came: -o of them (at least
 * one) without -Q, and -o of them with -Q when -o is given.  -F stops at
 * the first reply at once.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "method.h"
#include "nd_int.h"

static const char *
target_str(const struct nd_state *s, char *buf, size_t len)
{
	if (inet_ntop(s->af, s->dst, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

static void
nd_done(struct nd_state *s)
{
	if (s->done)
		return;
	s->done = 1;
	task_timer_cancel(s->task, &s->tm);
	task_finish(s->task);
}

/* The wait after the last probe ended: stop, or ask for the next. */
static void
on_wait(void *arg)
{
	struct nd_state *s = arg;
	const struct scamper_neighbourdisc *nd = s->nd;
	uint32_t want = nd->replyc > 0 ? nd->replyc : 1;

	if (s->done)
		return;
	if (nd->probec >= nd->attempts)
		nd_done(s);
	else if (!(nd->flags & SCAMPER_NEIGHBOURDISC_FLAG_ALLATTEMPTS) &&
	    s->replies >= want)
		nd_done(s);
	else if ((nd->flags & SCAMPER_NEIGHBOURDISC_FLAG_ALLATTEMPTS) &&
	    nd->replyc > 0 && s->replies >= nd->replyc)
		nd_done(s);
	else
		task_want_probe(s->task);
}

/* Room for one more probe record. */
static struct scamper_neighbourdisc_probe *
probe_slot(struct nd_state *s)
{
	struct scamper_neighbourdisc *nd = s->nd;
	struct scamper_neighbourdisc_probe *p;

	if (nd->probec == s->probes_max) {
		uint16_t n = s->probes_max == 0 ? 4 : s->probes_max * 2;

		if (n > nd->attempts || n < s->probes_max)
			n = nd->attempts;
		if ((p = realloc(nd->probes, n * sizeof(*p))) == NULL)
			return NULL;
		nd->probes = p;
		s->probes_max = n;
	}
	p = &nd->probes[nd->probec];
	memset(p, 0, sizeof(*p));
	return p;
}

int
nd_probe(struct task *task)
{
	struct nd_state *s = task_state(task);
	struct scamper_neighbourdisc_probe *p;
	uint8_t frame[PKT_ND_MAXLEN];
	struct stamp tx;
	size_t len;
	char a[INET6_ADDRSTRLEN];

	if (s->done || s->nd->probec >= s->nd->attempts)
		return 0;
	if ((p = probe_slot(s)) == NULL) {
		log_warnx("neighbourdisc %s: out of memory",
		    target_str(s, a, sizeof(a)));
		nd_done(s);
		return 0;
	}
	len = pkt_nd_request(s->af, s->mac, s->src, s->dst, frame,
	    sizeof(frame));
	if (len == 0 || task_dl_send(task, frame, len, &tx, s->nd->probec) ==
	    -1) {
		log_warn("neighbourdisc %s: sending on %s",
		    target_str(s, a, sizeof(a)), s->nd->ifname);
		nd_done(s);
		return 0;
	}
	p->tx = stamp_tv(tx);	/* until the kernel's time comes */
	s->nd->probec++;
	task_timer(task, &s->tm, s->nd->wait);
	return 1;
}

/* A frame about the target: a reply to the latest probe. */
static void
nd_frame(struct task *task, const uint8_t *frame, size_t len,
    size_t linkhdr, const struct stamp *ts, int outgoing)
{
	struct nd_state *s = task_state(task);
	struct scamper_neighbourdisc *nd = s->nd;
	struct scamper_neighbourdisc_probe *p;
	struct scamper_neighbourdisc_reply *r;
	uint8_t mac[PKT_ND_MACLEN];

	if (s->done || outgoing || nd->probec == 0 ||
	    !pkt_nd_reply(s->af, frame, len, linkhdr, s->dst, mac))
		return;
	p = &nd->probes[nd->probec - 1];
	if (p->rxc == UINT16_MAX ||
	    (r = realloc(p->rxs, (p->rxc + 1) * sizeof(*r))) == NULL)
		return;
	p->rxs = r;
	r = &p->rxs[p->rxc++];
	memset(r, 0, sizeof(*r));
	r->rx = stamp_tv(*ts);
	scamper_addr_set(&r->mac, SCAMPER_ADDR_ETHERNET, mac);
	if (!scamper_addr_isset(&nd->dst_mac))
		nd->dst_mac = r->mac;
	s->replies++;
	if (nd->flags & SCAMPER_NEIGHBOURDISC_FLAG_FIRSTRESPONSE)
		nd_done(s);
}

static void
nd_ready(struct task *task, int err, const char *why)
{
	struct nd_state *s = task_state(task);
	char a[INET6_ADDRSTRLEN];

	if (s->done)
		return;
	if (err == 0) {
		/* the measurement starts when probes can be sent */
		s->nd->start = task_walltime(task);
		task_want_probe(task);
		return;
	}
	log_warnx("neighbourdisc %s: %s", target_str(s, a, sizeof(a)), why);
	nd_done(s);
}

int
nd_start(struct task *task, char *err, size_t errlen)
{
	struct nd_state *s = task_state(task);
	char expr[512];

	timer_init(&s->tm, on_wait, s);
	s->nd->start = task_walltime(task);
	if (pkt_nd_filter(s->af, s->dst, expr, sizeof(expr)) == -1) {
		snprintf(err, errlen, "the reply filter does not fit");
		return -1;
	}
	return task_dl_tap(task, s->ifindex, expr, 1, nd_frame, nd_ready, err,
	    errlen);
}

void
nd_refused(struct task *task, int err)
{
	(void)err;	/* the result has no room for it: logged */
	nd_done(task_state(task));
}

void
nd_halt(struct task *task)
{
	nd_done(task_state(task));
}

int
nd_sent(struct task *task, uint32_t idx, int err, const struct stamp *tx,
    enum stamp_src src)
{
	struct nd_state *s = task_state(task);

	(void)src;
	if (err != 0 || idx >= s->nd->probec)
		return 0;
	s->nd->probes[idx].tx = stamp_tv(*tx);
	return 1;
}
