/*
 * json_ping.c: ping as JSON, as sc_warts2json 20211212 prints it
 * (version "0.4").
 */
#include <stdio.h>

#include "render_int.h"
#include "scamper_ping.h"
#include "sbuf.h"

/* ', "NAME":["A1","A2",...]' for the N addresses at A. */
static void
addrs(struct sbuf *sb, const char *name, const struct scamper_addr *a,
    uint8_t n)
{
	sb_printf(sb, ", \"%s\":[", name);
	for (uint8_t i = 0; i < n; i++) {
		sb_cat(sb, i == 0 ? "\"" : ",\"");
		sb_addr(sb, &a[i]);
		sb_cat(sb, "\"");
	}
	sb_cat(sb, "]");
}

static void
timestamps(struct sbuf *sb, const struct scamper_ping_reply *r)
{
	if (r->tsaddr != NULL && r->tsaddrc > 0) {
		sb_cat(sb, ", \"tsandaddr\":[");
		for (uint8_t i = 0; i < r->tsc; i++) {
			sb_printf(sb, "%s{\"ip\":\"", i == 0 ? "" : ",");
			sb_addr(sb, &r->tsaddr[i]);
			sb_printf(sb, "\",\"ts\":%u}", r->tsv[i]);
		}
		sb_cat(sb, "]");
	} else {
		sb_cat(sb, ", \"tsonly\":[");
		for (uint8_t i = 0; i < r->tsc; i++)
			sb_printf(sb, "%s%u", i == 0 ? "" : ",", r->tsv[i]);
		sb_cat(sb, "]");
	}
}

static void
reply(struct sbuf *sb, const struct scamper_ping *p,
    const struct scamper_ping_reply *r)
{
	struct timeval rx;

	sb_cat(sb, "{\"from\":\"");
	sb_addr(sb, &r->addr);
	sb_printf(sb, "\", \"seq\":%u, \"reply_size\":%u, \"reply_ttl\":%u",
	    r->probe_id, r->reply_size, r->reply_ttl);
	if (r->reply_proto == 1 || r->reply_proto == 58)
		sb_cat(sb, ", \"reply_proto\":\"icmp\"");
	else if (r->reply_proto == 6)
		sb_cat(sb, ", \"reply_proto\":\"tcp\"");
	else if (r->reply_proto == 17)
		sb_cat(sb, ", \"reply_proto\":\"udp\"");
	else
		sb_printf(sb, ", \"reply_proto\":%u", r->reply_proto);
	if (r->tx.tv_sec != 0) {
		rx.tv_sec = r->tx.tv_sec + (time_t)(r->rtt / 1000000);
		rx.tv_usec = r->tx.tv_usec + (suseconds_t)(r->rtt % 1000000);
		if (rx.tv_usec >= 1000000) {
			rx.tv_sec++;
			rx.tv_usec -= 1000000;
		}
		sb_printf(sb, ", \"tx\":{\"sec\":%lu, \"usec\":%lu}, "
		    "\"rx\":{\"sec\":%lu, \"usec\":%lu}",
		    (unsigned long)r->tx.tv_sec, (unsigned long)r->tx.tv_usec,
		    (unsigned long)rx.tv_sec, (unsigned long)rx.tv_usec);
	}
	sb_cat(sb, ", \"rtt\":");
	sb_rtt(sb, r->rtt);
	if (r->addr.type == SCAMPER_ADDR_IPV4)
		sb_printf(sb, ", \"probe_ipid\":%u, \"reply_ipid\":%u",
		    r->probe_ipid, r->reply_ipid);
	else if (r->flags & SCAMPER_PING_REPLY_FLAG_REPLY_IPID)
		sb_printf(sb, ", \"reply_ipid\":%u", r->reply_ipid32);
	if (scamper_ping_reply_is_icmp(p, r))
		sb_printf(sb, ", \"icmp_type\":%u, \"icmp_code\":%u",
		    r->icmp_type, r->icmp_code);
	else if (r->reply_proto == 6)
		sb_printf(sb, ", \"tcp_flags\":%u", r->tcp_flags);
	if (r->v4rr != NULL)
		addrs(sb, "RR", r->v4rr, r->v4rrc);
	if (r->tsv != NULL)
		timestamps(sb, r);
	sb_cat(sb, "}");
}

static void
flags(struct sbuf *sb, uint32_t f)
{
	static const char *const names[] = { "v4rr", "spoof", "payload",
	    "tsonly", "tsandaddr", "icmpsum", "dl", "tbt", "nosrc" };

	if ((f & 0x1ff) != 0)
		json_bits(sb, "flags", f, names,
		    sizeof(names) / sizeof(names[0]));
}

static void
header(struct sbuf *sb, const struct scamper_ping *p)
{
	const char *m = scamper_ping_method_tostr(p->probe_method);

	sb_cat(sb, "{\"type\":\"ping\", \"version\":\"0.4\"");
	if (m != NULL)
		sb_printf(sb, ", \"method\":\"%s\"", m);
	else
		sb_printf(sb, ", \"method\":\"%u\"", p->probe_method);
	json_addr(sb, "src", &p->src);
	json_addr(sb, "dst", &p->dst);
	json_addr(sb, "rtr", &p->rtr);
	sb_printf(sb, ", \"start\":{\"sec\":%lu,\"usec\":%lu}, "
	    "\"ping_sent\":%u, \"probe_size\":%u, \"userid\":%u, "
	    "\"ttl\":%u, \"wait\":%u", (unsigned long)p->start.tv_sec,
	    (unsigned long)p->start.tv_usec, p->ping_sent, p->probe_size,
	    p->userid, p->probe_ttl, p->probe_wait);
	if (p->probe_wait_us != 0)
		sb_printf(sb, ", \"wait_us\":%u", p->probe_wait_us);
	sb_printf(sb, ", \"timeout\":%u", p->probe_timeout);
	if (scamper_ping_method_is_tcp(p->probe_method) ||
	    scamper_ping_method_is_udp(p->probe_method))
		sb_printf(sb, ", \"sport\":%u, \"dport\":%u", p->probe_sport,
		    p->probe_dport);
	if (scamper_ping_method_is_tcp(p->probe_method))
		sb_printf(sb, ", \"tcp_seq\":%u, \"tcp_ack\":%u",
		    p->probe_tcpseq, p->probe_tcpack);
	if (p->probe_datalen > 0 && p->probe_data != NULL) {
		sb_printf(sb, ", \"%s\":\"", (p->flags &
		    SCAMPER_PING_FLAG_PAYLOAD) ? "payload" : "pattern");
		sb_hex(sb, p->probe_data, p->probe_datalen);
		sb_cat(sb, "\"");
	}
	flags(sb, p->flags);
	if (p->flags & SCAMPER_PING_FLAG_ICMPSUM)
		sb_printf(sb, ", \"icmp_csum\": %u", p->probe_icmpsum);
	if (p->tsps != NULL)
		addrs(sb, "probe_tsps", p->tsps, p->tspsc);
}

static void
stats(struct sbuf *sb, const struct scamper_ping *p)
{
	struct scamper_ping_stats st;

	scamper_ping_stats(p, &st);
	sb_printf(sb, ",\"statistics\":{\"replies\":%u", st.nreplies);
	if (p->ping_sent > 0) {
		if (st.nloss == 0)
			sb_cat(sb, ", \"loss\":0");
		else if (st.nloss == p->ping_sent)
			sb_cat(sb, ", \"loss\":1");
		else
			sb_printf(sb, ", \"loss\":%.2f",
			    (double)st.nloss / p->ping_sent);
	}
	if (st.nreplies > 0) {
		sb_cat(sb, ", \"min\":");
		sb_rtt(sb, st.min);
		sb_cat(sb, ", \"max\":");
		sb_rtt(sb, st.max);
		sb_cat(sb, ", \"avg\":");
		sb_rtt(sb, st.avg);
		sb_cat(sb, ", \"stddev\":");
		sb_rtt(sb, st.stddev);
	}
	sb_cat(sb, "}");
}

int
json_ping(const void *obj, char **out)
{
	const struct scamper_ping *p = obj;
	struct sbuf sb = { 0 };

	header(&sb, p);
	sb_cat(&sb, ", \"responses\":[");
	for (uint16_t i = 0; i < p->replyc; i++) {
		if (i > 0)
			sb_cat(&sb, ",");
		reply(&sb, p, &p->replies[i]);
	}
	sb_cat(&sb, "]");
	stats(&sb, p);
	sb_cat(&sb, "}");
	return sb_finish(&sb, out);
}
