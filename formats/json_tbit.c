/*
 * json_tbit.c: tbit as JSON, as sc_warts2json 20211212 prints it.
 * Not yet: Debian decodes each packet's IP and TCP headers ("ip_hlen",
 * "tcp_flags", sequence numbers relative to "client_isn"/"server_isn");
 * here a packet is printed as its direction, time, length and bytes.
 */
#include <stdio.h>

#include "scamper_json.h"
#include "scamper_tbit.h"
#include "sbuf.h"

static void
names(struct sbuf *sb, const char *key, uint16_t v, const char *const *n,
    unsigned nn)
{
	int first = 1;

	sb_printf(sb, ", \"%s\":[", key);
	for (unsigned i = 0; i < nn; i++) {
		if ((v & (1U << i)) == 0)
			continue;
		sb_printf(sb, "%s\"%s\"", first ? "" : ",", n[i]);
		first = 0;
	}
	sb_cat(sb, "]");
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
		names(sb, "null_options", t->null_options, nopt, 7);
		names(sb, "null_results", t->null_results, nres, 3);
		break;
	case SCAMPER_TBIT_TYPE_PMTUD:
		sb_printf(sb, ", \"mtu\":%u, \"ptb_retx\":%u", t->pmtud_mtu,
		    t->pmtud_ptb_retx);
		json_addr(sb, "ptbsrc", &t->pmtud_ptbsrc);
		names(sb, "pmtud_options", t->pmtud_options, popt, 1);
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
		if (t->http_host != NULL)
			sb_printf(sb, ", \"http_url\":\"%s://%s%s\"",
			    t->http_type == 1 ? "https" : "http", t->http_host,
			    t->http_file != NULL ? t->http_file : "");
	} else if (t->app_proto == SCAMPER_TBIT_APP_BGP)
		sb_printf(sb, ", \"app\":\"%s\", \"bgp_asn\":%u", a,
		    t->bgp_asn);
}

int
scamper_json_tbit(const struct scamper_tbit *t, char **out)
{
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

		names(&sb, "options", (uint16_t)t->options, opt, 2);
	}
	if (t->wscale != 0)
		sb_printf(&sb, ", \"wscale\":%u", t->wscale);
	if (t->fo_cookielen > 0) {
		sb_cat(&sb, ", \"fo_cookie\":\"");
		sb_hex(&sb, t->fo_cookie, t->fo_cookielen);
		sb_cat(&sb, "\"");
	}
	type_data(&sb, t);
	app(&sb, t);
	sb_cat(&sb, ", \"pkts\":[");
	for (uint32_t i = 0; t->pkts != NULL && i < t->pktc; i++) {
		const struct scamper_tbit_pkt *p = &t->pkts[i];

		sb_printf(&sb, "%s{\"dir\":\"%s\", \"tv_sec\":%lu, "
		    "\"tv_usec\":%lu, \"len\":%u, \"data\":\"", i == 0 ? "" : ",",
		    p->dir == SCAMPER_TBIT_PKT_DIR_TX ? "tx" : "rx",
		    (unsigned long)p->tv.tv_sec, (unsigned long)p->tv.tv_usec,
		    p->len);
		if (p->data != NULL)
			sb_hex(&sb, p->data, p->len);
		sb_cat(&sb, "\"}");
	}
	sb_cat(&sb, "]}");
	return sb_finish(&sb, out);
}
