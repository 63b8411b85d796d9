/*
 * text_tbit.c: tbit as text, as scamper 20211212 prints it (only an
 * http application gets a line), with a line per tbit packet:
 * time since the start, direction, flags, length, sequence and
 * acknowledgement numbers relative to the ISNs (the latter printed
 * whether or not ACK is set, as that tool does), IP ID, DF, ECN.
 */
#include <stdio.h>
#include <string.h>

#include "render_int.h"
#include "scamper_tbit.h"
#include "sbuf.h"

/* After the sequence column: " %04x" with ":offset" for a fragment, DF
 * and MF (IPv4 only), then the ECN mark. */
static void
pkt_ip(struct sbuf *sb, const struct scamper_tbit_pktinfo *i)
{
	if (!i->v6) {
		sb_printf(sb, " %04x", i->ip_id);
		if (i->frag_off != 0 || i->frag_mf)
			sb_printf(sb, ":%u", i->frag_off);
		/* DF only on packets with data (as 20211212 prints it) */
		sb_printf(sb, "%s%s", i->frag_df && i->datalen > 0 ? " DF" :
		    "", i->frag_mf ? " MF" : "");
	}
	sb_cat(sb, i->ip_ecn == 3 ? " CE" : i->ip_ecn != 0 ? " ECT" : "");
}

/* A Packet Too Big (ICMP fragmentation needed, ICMPv6 type 2) as
 * "PTB", its length and "mtu = N".  Returns 1 if P is one. */
static int
text_tbit_ptb(struct sbuf *sb, const struct scamper_tbit_pkt *p)
{
	const uint8_t *d = p->data;
	unsigned mtu;
	size_t hl;

	if (p->len >= 28 && (d[0] >> 4) == 4 && d[9] == 1) {
		hl = (size_t)(d[0] & 0x0f) * 4;
		if (hl + 8 > p->len || d[hl] != 3 || d[hl + 1] != 4)
			return 0;
		mtu = (unsigned)(d[hl + 6] << 8 | d[hl + 7]);
	} else if (p->len >= 48 && (d[0] >> 4) == 6 && d[6] == 58 &&
	    d[40] == 2) {
		mtu = (unsigned)d[44] << 24 | (unsigned)d[45] << 16 |
		    (unsigned)d[46] << 8 | d[47];
	} else
		return 0;
	sb_printf(sb, "%-12s %5u  mtu = %u", "PTB", p->len, mtu);
	return 1;
}

static void
pkt_line(struct sbuf *sb, const struct scamper_tbit *t,
    const struct scamper_tbit_pkt *p, struct scamper_tbit_isn *isn)
{
	struct scamper_tbit_pktinfo i;
	char seq[160], fl[24];
	int rc = scamper_tbit_pkt_decode(p, isn, &i);
	long sec, usec;

	if (rc < 0)
		return;
	scamper_tbit_pkt_reltime(p, &t->start, &sec, &usec);
	sb_printf(sb, " [%3ld.%03ld] %s ", sec, usec / 1000,
	    p->dir == SCAMPER_TBIT_PKT_DIR_TX ? "TX" : "RX");
	if (rc == 1 && text_tbit_ptb(sb, p))
		;
	else if (rc == 1 && !i.v6 && i.frag_off != 0) {	/* a later fragment */
		sb_printf(sb, "%-12s %5uF%23s", "", p->len, "");
		pkt_ip(sb, &i);
	} else if (rc == 0) {
		if (i.datalen > 0)
			snprintf(seq, sizeof(seq), "%u:%u(%u)", i.seq, i.ack,
			    i.datalen);
		else
			snprintf(seq, sizeof(seq), "%u:%u", i.seq, i.ack);
		scamper_tbit_pkt_sackstr(&i, scamper_tbit_sack_base(isn,
		    p->dir), seq, sizeof(seq));
		scamper_tbit_pkt_flagstr(i.tcp_flags, fl, sizeof(fl));
		sb_printf(sb, "%-12s %5u  seq = %-16s", fl, p->len, seq);
		pkt_ip(sb, &i);
	}
	sb_cat(sb, "\n");
}

int
text_tbit(const void *obj, char **out)
{
	const struct scamper_tbit *t = obj;
	struct sbuf sb = { 0 };
	struct scamper_tbit_isn isn = { 0 };
	const char *r = scamper_tbit_result_tostr(t->result);
	const char *a = scamper_tbit_app_tostr(t->app_proto);

	text_from_to(&sb, "tbit", &t->src, &t->dst);
	sb_printf(&sb, "\n server-mss %u, result: ", t->server_mss);
	if (r != NULL)
		sb_printf(&sb, "%s\n", r);
	else
		sb_printf(&sb, "%u\n", t->result);
	if (t->app_proto == SCAMPER_TBIT_APP_HTTP && t->http_host != NULL)
		sb_printf(&sb, " app: %s, url: %s://%s%s\n", a,
		    t->http_type == 1 ? "https" : "http", t->http_host,
		    t->http_file != NULL ? t->http_file : "");
	else if (t->app_proto == SCAMPER_TBIT_APP_HTTP)
		/* no host: the file alone, "(null)" if none (20211212) */
		sb_printf(&sb, " app: %s, file: %s\n", a, t->http_file != NULL ?
		    t->http_file : "(null)");
	for (uint32_t n = 0; t->pkts != NULL && n < t->pktc; n++)
		pkt_line(&sb, t, &t->pkts[n], &isn);
	return sb_finish(&sb, out);
}
