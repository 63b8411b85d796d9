/*
 * text_tbit.c: tbit as text, as scamper 20211212 prints it (only an
 * http application gets a line), with a line per IPv4 TCP packet:
 * time since the start, direction, flags, length, sequence and
 * acknowledgement numbers relative to the ISNs (the latter printed
 * whether or not ACK is set, as that tool does), IP ID, DF, ECN.
 */
#include <stdio.h>
#include <string.h>

#include "scamper_tbit.h"
#include "scamper_text.h"
#include "sbuf.h"

/* The IP ID column: "%04x", with ":offset" for a fragment, then DF, MF
 * and ECN marks. */
static void
pkt_ip(struct sbuf *sb, const struct scamper_tbit_pktinfo *i)
{
	sb_printf(sb, "%04x", i->ip_id);
	if (i->frag_off != 0 || i->frag_mf)
		sb_printf(sb, ":%u", i->frag_off);
	sb_printf(sb, "%s%s%s", i->frag_df ? " DF" : "", i->frag_mf ? " MF" : "",
	    i->ip_ecn == 3 ? " CE" : i->ip_ecn != 0 ? " ECT" : "");
}

static void
pkt_line(struct sbuf *sb, const struct scamper_tbit *t,
    const struct scamper_tbit_pkt *p, struct scamper_tbit_isn *isn)
{
	struct scamper_tbit_pktinfo i;
	char seq[160], fl[24];
	int rc = scamper_tbit_pkt_decode(p, isn, &i);
	long long us = ((long long)p->tv.tv_sec - t->start.tv_sec) * 1000000 +
	    (p->tv.tv_usec - t->start.tv_usec);

	if (rc < 0)
		return;
	if (us < 0)
		us = 0;
	sb_printf(sb, " [%3lld.%03lld] %s ", us / 1000000,
	    (us % 1000000) / 1000, p->dir == SCAMPER_TBIT_PKT_DIR_TX ?
	    "TX" : "RX");
	if (rc == 1) {		/* IP only: a later fragment */
		sb_printf(sb, "%-12s %5uF%24s", "", p->len, "");
		pkt_ip(sb, &i);
		sb_cat(sb, "\n");
		return;
	}
	if (i.datalen > 0)
		snprintf(seq, sizeof(seq), "%u:%u(%u)", i.seq, i.ack,
		    i.datalen);
	else
		snprintf(seq, sizeof(seq), "%u:%u", i.seq, i.ack);
	scamper_tbit_pkt_sackstr(&i, scamper_tbit_sack_base(isn, p->dir),
	    seq, sizeof(seq));
	scamper_tbit_pkt_flagstr(i.tcp_flags, fl, sizeof(fl));
	sb_printf(sb, "%-12s %5u  seq = %-16s ", fl, p->len, seq);
	pkt_ip(sb, &i);
	sb_cat(sb, "\n");
}

int
scamper_text_tbit(const struct scamper_tbit *t, char **out)
{
	struct sbuf sb = { 0 };
	struct scamper_tbit_isn isn = { 0 };
	const char *r = scamper_tbit_result_tostr(t->result);
	const char *a = scamper_tbit_app_tostr(t->app_proto);

	sb_cat(&sb, "tbit from ");
	sb_addr(&sb, &t->src);
	sb_cat(&sb, " to ");
	sb_addr(&sb, &t->dst);
	sb_printf(&sb, "\n server-mss %u, result: ", t->server_mss);
	if (r != NULL)
		sb_printf(&sb, "%s\n", r);
	else
		sb_printf(&sb, "%u\n", t->result);
	if (t->app_proto == SCAMPER_TBIT_APP_HTTP && t->http_host != NULL)
		sb_printf(&sb, " app: %s, url: %s://%s%s\n", a,
		    t->http_type == 1 ? "https" : "http", t->http_host,
		    t->http_file != NULL ? t->http_file : "");
	for (uint32_t n = 0; t->pkts != NULL && n < t->pktc; n++)
		pkt_line(&sb, t, &t->pkts[n], &isn);
	return sb_finish(&sb, out);
}
