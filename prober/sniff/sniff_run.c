/*
 * sniff_run.c: running a sniff: a tap on the interface of the -S
 * address with the expression's filter; every packet it passes, arriving
 * or leaving, is kept whole (from its IP header, as long as its IP
 * header says) with the datalink's timestamp, until -c packets or -G
 * seconds.  The limits count from the moment the capture begins (the
 * datalink ready), which is the result's start time.
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
#include "sniff_int.h"

static const char *
addr_str(const struct sniff_state *s, char *buf, size_t len)
{
	if (inet_ntop(s->af, s->addr, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

static void
sniff_done(struct sniff_state *s, uint8_t reason)
{
	if (s->done)
		return;
	s->done = 1;
	s->sn->stop_reason = reason;
	s->sn->finish = task_walltime(s->task);
	task_timer_cancel(s->task, &s->tm);
	task_finish(s->task);
}

static void
on_limit_time(void *arg)
{
	sniff_done(arg, SCAMPER_SNIFF_STOP_LIMIT_TIME);
}

/* The IP packet at P (LEN bytes, maybe padded by the link): the length
 * its header gives, or 0 if it is not IPv4 or IPv6 or is cut short. */
static size_t
ip_len(const uint8_t *p, size_t len)
{
	size_t n;

	if (len >= 20 && (p[0] >> 4) == 4)
		n = (size_t)(p[2] << 8 | p[3]);
	else if (len >= 40 && (p[0] >> 4) == 6)
		n = 40 + (size_t)(p[4] << 8 | p[5]);
	else
		return 0;
	return n <= len && n > 0 ? n : 0;
}

/* Keep packet P (LEN bytes) seen at TS.  Returns 0 or -1 (ENOMEM). */
static int
keep(struct sniff_state *s, const uint8_t *p, size_t len,
    const struct stamp *ts)
{
	struct scamper_sniff *sn = s->sn;
	struct scamper_sniff_pkt *k;

	if (sn->pktc == s->pkts_max) {
		uint32_t n = s->pkts_max == 0 ? 16 : s->pkts_max * 2;

		if (n > sn->limit_pktc)
			n = sn->limit_pktc;
		if ((k = realloc(sn->pkts, n * sizeof(*k))) == NULL)
			return -1;
		sn->pkts = k;
		s->pkts_max = n;
	}
	k = &sn->pkts[sn->pktc];
	memset(k, 0, sizeof(*k));
	if ((k->data = malloc(len)) == NULL)
		return -1;
	memcpy(k->data, p, len);
	k->len = (uint16_t)len;
	k->tv = stamp_tv(*ts);
	sn->pktc++;
	return 0;
}

static void
sniff_frame(struct task *task, const uint8_t *frame, size_t len,
    size_t linkhdr, const struct stamp *ts, int outgoing)
{
	struct sniff_state *s = task_state(task);
	char a[INET6_ADDRSTRLEN];
	size_t n;

	(void)outgoing;
	if (s->done || len <= linkhdr ||
	    (n = ip_len(frame + linkhdr, len - linkhdr)) == 0 || n > 65535)
		return;
	if (keep(s, frame + linkhdr, n, ts) == -1) {
		log_warnx("sniff %s: out of memory", addr_str(s, a, sizeof(a)));
		sniff_done(s, SCAMPER_SNIFF_STOP_ERROR);
		return;
	}
	if (s->sn->pktc >= s->sn->limit_pktc)
		sniff_done(s, SCAMPER_SNIFF_STOP_LIMIT_PKTC);
}

static void
sniff_ready(struct task *task, int err, const char *why)
{
	struct sniff_state *s = task_state(task);
	char a[INET6_ADDRSTRLEN];

	if (s->done)
		return;
	if (err != 0) {
		log_warnx("sniff %s: %s", addr_str(s, a, sizeof(a)), why);
		sniff_done(s, SCAMPER_SNIFF_STOP_ERROR);
		return;
	}
	s->sn->start = task_walltime(task);
	task_timer(task, &s->tm, (int64_t)s->sn->limit_time * 1000);
	log_debug("sniff %s: capturing on %s, icmp id %u",
	    addr_str(s, a, sizeof(a)), s->ifname, s->sn->icmpid);
}

int
sniff_start(struct task *task, char *err, size_t errlen)
{
	struct sniff_state *s = task_state(task);

	timer_init(&s->tm, on_limit_time, s);
	s->sn->start = task_walltime(task);
	return task_dl_tap(task, s->ifindex, s->expr, 0, sniff_frame,
	    sniff_ready, err, errlen);
}

int
sniff_probe(struct task *task)
{
	(void)task;
	return 0;		/* a sniff sends nothing */
}

void
sniff_refused(struct task *task, int err)
{
	(void)err;	/* the result has no room for it: logged */
	sniff_done(task_state(task), SCAMPER_SNIFF_STOP_ERROR);
}

void
sniff_halt(struct task *task)
{
	sniff_done(task_state(task), SCAMPER_SNIFF_STOP_HALTED);
}
