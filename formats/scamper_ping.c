/*
 * scamper_ping.c: allocation, names and statistics for ping results.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "object_int.h"
#include "scamper_ping.h"

/* Free what p owns besides its list and cycle. */
static void
ping_release(struct scamper_ping *p)
{
	for (uint16_t i = 0; i < p->replyc; i++) {
		free(p->replies[i].v4rr);
		free(p->replies[i].tsv);
		free(p->replies[i].tsaddr);
	}
	free(p->replies);
	free(p->probe_data);
	free(p->tsps);
}

OBJECT_LIFECYCLE(ping, ping_release)

struct scamper_ping_reply *
scamper_ping_reply_add(struct scamper_ping *p)
{
	/* room for one reply per probe at first (a ping of -c 4 has 4 in
	 * the common case), at most 8; more grow the array as usual */
	size_t first = p->probe_count > 0 && p->probe_count < 8 ?
	    p->probe_count : 8;

	return mem_append16(&p->replies, &p->replyc, &p->reply_alloc,
	    sizeof(*p->replies), first);
}

int
scamper_ping_method_is_tcp(uint8_t m)
{
	return m == SCAMPER_PING_METHOD_TCP_ACK ||
	    m == SCAMPER_PING_METHOD_TCP_ACK_SPORT ||
	    m == SCAMPER_PING_METHOD_TCP_SYN ||
	    m == SCAMPER_PING_METHOD_TCP_SYNACK ||
	    m == SCAMPER_PING_METHOD_TCP_RST;
}

int
scamper_ping_method_is_udp(uint8_t m)
{
	return m == SCAMPER_PING_METHOD_UDP || m == SCAMPER_PING_METHOD_UDP_DPORT;
}

int
scamper_ping_reply_is_icmp(const struct scamper_ping *p,
    const struct scamper_ping_reply *r)
{
	if (p->dst.type == SCAMPER_ADDR_IPV6)
		return r->reply_proto == 58;
	return r->reply_proto == 1;
}

const char *
scamper_ping_method_tostr(uint8_t m)
{
	static const char *n[] = { "icmp-echo", "tcp-ack", "tcp-ack-sport",
	    "udp", "udp-dport", "icmp-time", "tcp-syn", "tcp-synack",
	    "tcp-rst" };

	return m < sizeof(n) / sizeof(n[0]) ? n[m] : NULL;
}

void
scamper_ping_stats(const struct scamper_ping *p, struct scamper_ping_stats *st)
{
	double sum = 0, var = 0, mean;
	uint32_t n = 0;
	int have = -1;

	memset(st, 0, sizeof(*st));
	for (uint16_t i = 0; i < p->replyc; i++) {
		const struct scamper_ping_reply *r = &p->replies[i];

		if (i > 0 && have == r->probe_id) {
			st->ndups++;
			continue;
		}
		have = r->probe_id;
		st->nreplies++;
		if (n == 0 || r->rtt < st->min)
			st->min = r->rtt;
		if (n == 0 || r->rtt > st->max)
			st->max = r->rtt;
		sum += r->rtt;
		n++;
	}
	st->nloss = p->ping_sent > st->nreplies ? p->ping_sent - st->nreplies : 0;
	if (n == 0)
		return;
	mean = sum / n;
	st->avg = (uint32_t)mean;
	have = -1;
	for (uint16_t i = 0; i < p->replyc; i++) {
		const struct scamper_ping_reply *r = &p->replies[i];

		if (i > 0 && have == r->probe_id)
			continue;
		have = r->probe_id;
		var += ((double)r->rtt - mean) * ((double)r->rtt - mean);
	}
	st->stddev = (uint32_t)sqrt(var / n);
}
