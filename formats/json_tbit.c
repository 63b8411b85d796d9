/*
 * json_tbit.c: tbit as JSON, as sc_warts2json 20211212 prints it: each
 * IPv4 or IPv6 packet decoded (sequence numbers relative to the ISNs, the
 * MSS option left out and "frag_df" always 0, as that tool prints them);
 * any other packet as its direction, time, length and bytes.
 */
#include <stdio.h>

#include "render_int.h"
#include "scamper_tbit.h"
#include "sbuf.h"
#include "wire.h"

static void
pkt_opts(struct sbuf *sb, const struct scamper_tbit_pktinfo *i,
    uint32_t sackbase)
{
	const uint8_t *o = i->opt;
	const char *sep = "";
	unsigned n = i->optlen, k = 0;

	sb_cat(sb, ", \"tcp_options\":[");
	while (k < n) {
		unsigned len = o[k] <= 1 ? 1 : (k + 1 < n ? o[k + 1] : 0);

		if (o[k] == 0) {
			sb_printf(sb, "%s{\"kind\":\"eol\"}", sep);
			break;
		}
		if (len < 1 || k + len > n || (o[k] != 1 && len < 2))
			break;
		if (o[k] == 1)
			sb_printf(sb, "%s{\"kind\":\"nop\"}", sep);
		else if (o[k] == 4)
			sb_printf(sb, "%s{\"kind\":\"sack-ok\"}", sep);
		else if (o[k] == 3 && len == 3)
			sb_printf(sb, "%s{\"kind\":\"wscale\", \"shift\":%u}",
			    sep, o[k + 2]);
		else if (o[k] == 8 && len == 10)
			sb_printf(sb, "%s{\"kind\":\"ts\", \"val\":%u, "
			    "\"ecr\":%u}", sep, wire_be32(o + k + 2),
			    wire_be32(o + k + 6));
		else if (o[k] == 5 && len >= 10) {
			sb_printf(sb, "%s{\"kind\":\"sack\", \"blocks\":[",
			    sep);
			for (unsigned b = k + 2; b + 8 <= k + len; b += 8)
				sb_printf(sb, "%s{\"left\":%u, \"right\":%u}",
				    b == k + 2 ? "" : ", ",
				    wire_be32(o + b) - sackbase,
				    wire_be32(o + b + 4) - sackbase);
			sb_cat(sb, "]}");
		} else if (o[k] == 34) {	/* fast open */
			sb_printf(sb, "%s{\"kind\":\"fo\"", sep);
			if (len > 2) {
				sb_cat(sb, ", \"cookie\":\"");
				sb_hex(sb, o + k + 2, len - 2);
				sb_cat(sb, "\"");
			}
			sb_cat(sb, "}");
		} else {
			k += len;
			continue;
		}
		sep = ", ";
		k += len;
	}
	sb_cat(sb, "]");
}

/* A decoded TCP header's fields. */
static void
pkt_tcp(struct sbuf *sb, const struct scamper_tbit_pkt *p,
    const struct scamper_tbit_pktinfo *i, const struct scamper_tbit_isn *isn)
{
	static const char *const fl[] = { "fin", "syn", "rst", "psh", "ack",
	    "urg", "ece", "cwr" };
	const char *sep = "";

	sb_printf(sb, ", \"tcp_hlen\": %u, \"tcp_flags\":[", i->tcp_hlen);
	for (unsigned b = 0; b < 8; b++) {
		if (i->tcp_flags & (1U << b)) {
			sb_printf(sb, "%s\"%s\"", sep, fl[b]);
			sep = ",";
		}
	}
	sb_cat(sb, "]");
	pkt_opts(sb, i, scamper_tbit_sack_base(isn, p->dir));
	sb_printf(sb, ", \"tcp_seq\":%u", i->seq);
	if (i->tcp_flags & 0x10)
		sb_printf(sb, ", \"tcp_ack\":%u", i->ack);
	sb_printf(sb, ", \"tcp_datalen\":%u, \"tcp_win\":%u", i->datalen,
	    i->tcp_win);
}

static void
pkts(struct sbuf *sb, const struct scamper_tbit *t)
{
	struct scamper_tbit_isn isn = { 0 };

	sb_cat(sb, ", \"pkts\":[");
	for (uint32_t n = 0; t->pkts != NULL && n < t->pktc; n++) {
		const struct scamper_tbit_pkt *p = &t->pkts[n];
		struct scamper_tbit_pktinfo i;
		int rc;
		long sec, usec;

		scamper_tbit_pkt_reltime(p, &t->start, &sec, &usec);
		sb_printf(sb, "%s{\"dir\":\"%s\", \"tv_sec\":%u, "
		    "\"tv_usec\":%ld, \"len\":%u", n == 0 ? "" : ", ",
		    p->dir == SCAMPER_TBIT_PKT_DIR_TX ? "tx" : "rx",
		    (uint32_t)sec, usec, p->len);
		if ((rc = scamper_tbit_pkt_decode(p, &isn, &i)) >= 0) {
			sb_printf(sb, ", \"ip_hlen\":%u, \"ip_ecn\":%u, "
			    "\"ip_ttl\":%u", i.ip_hlen, i.ip_ecn, i.ip_ttl);
			if (!i.v6)
				sb_printf(sb, ", \"frag_id\":%u, \"frag_off\":%u, "
				    "\"frag_mf\":%u, \"frag_df\":0", i.ip_id,
				    i.frag_off, i.frag_mf);
			if (rc == 0)
				pkt_tcp(sb, p, &i, &isn);
		} else {
			sb_cat(sb, ", \"data\":\"");
			if (p->data != NULL)
				sb_hex(sb, p->data, p->len);
			sb_cat(sb, "\"");
		}
		sb_cat(sb, "}");
	}
	sb_cat(sb, "]");
}

/* "client_isn" and "server_isn" from the first SYN each way. */
static void
isns(struct sbuf *sb, const struct scamper_tbit *t)
{
	struct scamper_tbit_isn isn = { 0 };

	for (uint32_t n = 0; t->pkts != NULL && n < t->pktc; n++) {
		struct scamper_tbit_isn one = { 0 };
		struct scamper_tbit_pktinfo i;

		if (scamper_tbit_pkt_decode(&t->pkts[n], &one, &i) != 0)
			continue;
		if (one.have_client && !isn.have_client) {
			isn.client = one.client;
			isn.have_client = 1;
		}
		if (one.have_server && !isn.have_server) {
			isn.server = one.server;
			isn.have_server = 1;
		}
	}
	if (isn.have_client)
		sb_printf(sb, ", \"client_isn\":%u", isn.client);
	if (isn.have_server)
		sb_printf(sb, ", \"server_isn\":%u", isn.server);
}

static void
type_data(struct sbuf *sb, const struct scamper_tbit *t)
{
	static const char *const nopt[] = { "tcpts", "ipts-syn", "iprr-syn",
	    "ipqs-syn", "sack", "fo", "fo-exp" };
	static const char *const nres[] = { "tcpts-ok", "sack-ok", "fo-ok" };
	static const char *const popt[] = { "blackhole" };

	switch (t->type) {
	case SCAMPER_TBIT_TYPE_NULL:
		json_bits(sb, "null_options", t->null_options, nopt, 7);
		json_bits(sb, "null_results", t->null_results, nres, 3);
		break;
	case SCAMPER_TBIT_TYPE_PMTUD:
		sb_printf(sb, ", \"mtu\":%u, \"ptb_retx\":%u", t->pmtud_mtu,
		    t->pmtud_ptb_retx);
		json_addr(sb, "ptbsrc", &t->pmtud_ptbsrc);
		json_bits(sb, "pmtud_options", t->pmtud_options, popt, 1);
		break;
	case SCAMPER_TBIT_TYPE_BLIND_DATA:
	case SCAMPER_TBIT_TYPE_BLIND_RST:
	case SCAMPER_TBIT_TYPE_BLIND_SYN:
	case SCAMPER_TBIT_TYPE_BLIND_FIN:
		sb_printf(sb, ", \"blind_off\":%d, \"blind_retx\":%u",
		    t->blind_off, t->blind_retx);
		break;
	}
}

static void
app(struct sbuf *sb, const struct scamper_tbit *t)
{
	const char *a = scamper_tbit_app_tostr(t->app_proto);

	if (a == NULL)
		return;
	/* only http and bgp are printed (observed) */
	if (t->app_proto == SCAMPER_TBIT_APP_HTTP) {
		sb_printf(sb, ", \"app\":\"%s\"", a);
		if (t->http_host != NULL) {
			sb_printf(sb, ", \"http_url\":\"%s://",
			    t->http_type == 1 ? "https" : "http");
			sb_json_str(sb, t->http_host);
			if (t->http_file != NULL)
				sb_json_str(sb, t->http_file);
			sb_cat(sb, "\"");
		}
	} else if (t->app_proto == SCAMPER_TBIT_APP_BGP)
		sb_printf(sb, ", \"app\":\"%s\", \"bgp_asn\":%u", a,
		    t->bgp_asn);
}

int
json_tbit(const void *obj, char **out)
{
	const struct scamper_tbit *t = obj;
	struct sbuf sb = { 0 };
	const char *ty = scamper_tbit_type_tostr(t->type);
	const char *r = scamper_tbit_result_tostr(t->result);

	sb_cat(&sb, "{\"type\":\"tbit\", \"tbit_type\":");
	if (ty != NULL)
		sb_printf(&sb, "\"%s\"", ty);
	else
		sb_printf(&sb, "\"%u\"", t->type);
	sb_printf(&sb, ", \"userid\":%u", t->userid);
	json_addr(&sb, "src", &t->src);
	json_addr(&sb, "dst", &t->dst);
	sb_printf(&sb, ", \"sport\":%u, \"dport\":%u, \"start\":{\"sec\":%lu,"
	    "\"usec\":%lu}, \"client_mss\":%u, \"server_mss\":%u, \"ttl\":%u",
	    t->sport, t->dport, (unsigned long)t->start.tv_sec,
	    (unsigned long)t->start.tv_usec, t->client_mss, t->server_mss,
	    t->ttl);
	if (r != NULL)
		sb_printf(&sb, ", \"result\":\"%s\"", r);
	else
		sb_printf(&sb, ", \"result\":\"%u\"", t->result);
	if (t->options != 0) {
		static const char *const opt[] = { "tcpts", "sack" };

		json_bits(&sb, "options", t->options, opt, 2);
	}
	if (t->wscale != 0)
		sb_printf(&sb, ", \"wscale\":%u", t->wscale);
	if (t->fo_cookielen > 0) {
		sb_cat(&sb, ", \"fo_cookie\":\"");
		sb_hex(&sb, t->fo_cookie, t->fo_cookielen);
		sb_cat(&sb, "\"");
	}
	isns(&sb, t);	/* after the options and the cookie (20211212) */
	type_data(&sb, t);
	app(&sb, t);
	pkts(&sb, t);
	sb_cat(&sb, "}");
	return sb_finish(&sb, out);
}
