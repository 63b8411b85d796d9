/*
 * json_trace.c: traceroute as JSON, as sc_warts2json 20211212 prints it
 * (version "0.1"; PMTUD, last-ditch and doubletree data are not printed).
 */
#include <stdio.h>
#include <time.h>

#include "render_int.h"
#include "scamper_trace.h"
#include "sbuf.h"

static void
hop(struct sbuf *sb, const struct scamper_trace *t,
    const struct scamper_trace_hop *h)
{
	int rxerr = (t->flags & SCAMPER_TRACE_FLAG_RXERR) != 0;

	sb_cat(sb, "{\"addr\":\"");
	sb_addr(sb, &h->addr);
	sb_cat(sb, "\"");
	if (h->name != NULL)
		sb_json_member(sb, ", \"name\":", h->name);
	sb_printf(sb, ", \"probe_ttl\":%u, \"probe_id\":%u, \"probe_size\":%u",
	    h->probe_ttl, h->probe_id, h->probe_size);
	if (h->tx.tv_sec != 0)
		sb_printf(sb, ", \"tx\":{\"sec\":%lu, \"usec\":%lu}",
		    (unsigned long)h->tx.tv_sec, (unsigned long)h->tx.tv_usec);
	sb_cat(sb, ", \"rtt\":");
	sb_rtt(sb, h->rtt);
	sb_printf(sb, ", \"reply_ttl\":%u, \"reply_tos\":%u", h->reply_ttl,
	    h->reply_tos);
	if (!rxerr)
		sb_printf(sb, ", \"reply_ipid\":%u, \"reply_size\":%u",
		    h->reply_ipid, h->reply_size);
	if (scamper_trace_hop_is_icmp(h)) {
		sb_printf(sb, ", \"icmp_type\":%u, \"icmp_code\":%u",
		    h->icmp_type, h->icmp_code);
		if (scamper_trace_hop_is_icmp_q(h) && !rxerr) {
			sb_printf(sb, ", \"icmp_q_ttl\":%u, \"icmp_q_ipl\":%u",
			    h->icmp_q_ttl, h->icmp_q_ipl);
			if (h->addr.type == SCAMPER_ADDR_IPV4)
				sb_printf(sb, ", \"icmp_q_tos\":%u",
				    h->icmp_q_tos);
		}
		if (scamper_trace_hop_is_ptb(h))
			sb_printf(sb, ", \"icmp_nhmtu:\":%u", h->icmp_nhmtu);
	} else if (h->flags & SCAMPER_TRACE_HOP_TCP) {
		sb_printf(sb, ", \"tcp_flags\":%u", h->tcp_flags);
	}
	if (h->icmpext != NULL)
		json_icmpext(sb, h->icmpext, h->icmpext_len);
	sb_cat(sb, "}");
}

static void
header(struct sbuf *sb, const struct scamper_trace *t)
{
	const char *m = scamper_trace_type_tostr(t->type);
	const char *r = scamper_trace_stop_tostr(t->stop_reason);
	char ftime[32];
	struct tm tm;
	time_t sec = t->start.tv_sec;

	sb_printf(sb, "{\"type\":\"trace\",\"version\":\"0.1\", \"userid\":%u",
	    t->userid);
	if (m != NULL)
		sb_printf(sb, ", \"method\":\"%s\"", m);
	else
		sb_printf(sb, ", \"method\":\"%u\"", t->type);
	if (scamper_addr_isset(&t->src)) {
		sb_cat(sb, ", \"src\":\"");
		sb_addr(sb, &t->src);
		sb_cat(sb, "\"");
	}
	sb_cat(sb, ", \"dst\":\"");
	sb_addr(sb, &t->dst);
	sb_cat(sb, "\"");
	if (scamper_addr_isset(&t->rtr)) {
		sb_cat(sb, ", \"rtr\":\"");
		sb_addr(sb, &t->rtr);
		sb_cat(sb, "\"");
	}
	switch (t->type) {
	case SCAMPER_TRACE_TYPE_UDP:
	case SCAMPER_TRACE_TYPE_UDP_PARIS:
	case SCAMPER_TRACE_TYPE_TCP:
	case SCAMPER_TRACE_TYPE_TCP_ACK:
		sb_printf(sb, ", \"sport\":%u, \"dport\":%u", t->sport,
		    t->dport);
		break;
	case SCAMPER_TRACE_TYPE_ICMP_ECHO_PARIS:
		/* only where the checksum is kept in dport, as 20211212 */
		if (t->flags & SCAMPER_TRACE_FLAG_ICMPCSUMDP)
			sb_printf(sb, ", \"icmp_sum\":%u", t->dport);
		break;
	}
	if (r != NULL)
		sb_printf(sb, ", \"stop_reason\":\"%s\"", r);
	else
		sb_printf(sb, ", \"stop_reason\":\"%u\"", t->stop_reason);
	sb_printf(sb, ", \"stop_data\":%u", t->stop_data);
	if (localtime_r(&sec, &tm) == NULL ||
	    strftime(ftime, sizeof(ftime), "%Y-%m-%d %H:%M:%S", &tm) == 0)
		ftime[0] = '\0';
	sb_printf(sb, ", \"start\":{\"sec\":%lu, \"usec\":%lu, "
	    "\"ftime\":\"%s\"}", (unsigned long)t->start.tv_sec,
	    (unsigned long)t->start.tv_usec, ftime);
	sb_printf(sb, ", \"hop_count\":%u, \"attempts\":%u, \"hoplimit\":%u, "
	    "\"firsthop\":%u, \"wait\":%u, \"wait_probe\":%u, \"tos\":%u, "
	    "\"probe_size\":%u, \"probe_count\":%u", t->hop_count,
	    t->attempts, t->hoplimit, t->firsthop, t->wait, t->wait_probe,
	    t->tos, t->probe_size, t->probec);
}

int
json_trace(const void *obj, char **out)
{
	const struct scamper_trace *t = obj;
	struct sbuf sb = { 0 };
	int first = 1;

	header(&sb, t);
	/* hops by TTL, in record order within a TTL */
	for (unsigned ttl = t->firsthop > 0 ? t->firsthop : 1;
	    ttl <= 255 && t->hops.hopc > 0; ttl++) {
		for (uint16_t i = 0; i < t->hops.hopc; i++) {
			if (t->hops.hops[i].probe_ttl != ttl)
				continue;
			sb_cat(&sb, first ? ", \"hops\":[" : ",");
			hop(&sb, t, &t->hops.hops[i]);
			first = 0;
		}
	}
	if (!first)
		sb_cat(&sb, "]");
	sb_cat(&sb, "}");
	return sb_finish(&sb, out);
}
