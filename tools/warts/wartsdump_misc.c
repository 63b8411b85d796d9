/*
 * wartsdump_misc.c: sc_wartsdump's neighbourdisc, tbit, sting and sniff
 * records, in the layout of CAIDA's sc_wartsdump 20211212 (which prints
 * no packets of sting records, and tbit's IPv4 TCP packets decoded).
 */
#include <stdio.h>
#include <string.h>

#include "wartsdump.h"

/* ---- neighbourdisc --------------------------------------------------- */

void
wd_neighbourdisc(const struct scamper_neighbourdisc *n)
{
	static const char *fl[] = { "all-attempts", "first-response" };

	printf("neighbourdisc\n");
	wd_list_cycle(n->list, n->cycle);
	wd_user_start(n->userid, &n->start);
	printf(" method: %s, attempts: %u, wait: %us, replyc: %u",
	    n->method == SCAMPER_NEIGHBOURDISC_METHOD_ARP ? "arp" :
	    n->method == SCAMPER_NEIGHBOURDISC_METHOD_NSOL ? "ipv6 nsol" : "?",
	    n->attempts, n->wait, n->replyc);
	if (n->ifname != NULL)
		printf(", iface: %s", n->ifname);
	printf("\n");
	if (scamper_addr_isset(&n->src_mac))
		printf(" our-mac: %s\n", wd_addr(&n->src_mac));
	printf(" flags: ");
	wd_flags(n->flags, fl, 2);
	printf("\n");
	if (scamper_addr_isset(&n->dst_ip)) {
		printf(" query:  who-has %s", wd_addr(&n->dst_ip));
		if (scamper_addr_isset(&n->src_ip))
			printf(" tell %s", wd_addr(&n->src_ip));
		/* 20211212 prints the answer twice, and ends the line
		   only after it */
		if (scamper_addr_isset(&n->dst_mac))
			printf(" result: %s is-at %s\n", wd_addr(&n->dst_mac),
			    wd_addr(&n->dst_mac));
	}
	for (uint16_t i = 0; i < n->probec; i++) {
		const struct scamper_neighbourdisc_probe *p = &n->probes[i];

		printf(" probe: %u, tx: ", i);
		wd_tv(&p->tx);
		printf("\n");
		for (uint16_t j = 0; j < p->rxc; j++) {
			printf("  reply: %u, rtt: ", j);
			wd_rtt(&p->tx, &p->rxs[j].rx);
			printf(", mac: %s\n", wd_addr(&p->rxs[j].mac));
		}
	}
	printf("\n");
}

/* ---- tbit ------------------------------------------------------------ */

static void
names(const char *key, unsigned v, const char *const *n, unsigned c)
{
	const char *sep = "";

	printf(" %s:", key);
	for (unsigned i = 0; i < c; i++) {
		if (v & (1U << i)) {
			printf("%s %s", sep, n[i]);
			sep = ",";
		}
	}
	printf("\n");
}

static void
tbit_type(const struct scamper_tbit *t)
{
	static const char *const nopt[] = { "tcpts", "ipts-syn", "iprr-syn",
	    "ipqs-syn", "sack", "fo", "fo-exp" };
	static const char *const nres[] = { "tcpts-ok", "sack-ok", "fo-ok" };

	switch (t->type) {
	case SCAMPER_TBIT_TYPE_PMTUD:
		printf(" mtu: %u, ptb-retx: %u", t->pmtud_mtu,
		    t->pmtud_ptb_retx);
		if (scamper_addr_isset(&t->pmtud_ptbsrc))
			printf(", ptb-src: %s", wd_addr(&t->pmtud_ptbsrc));
		if (t->pmtud_options & 1)
			printf(", blackhole");
		printf("\n");
		break;
	case SCAMPER_TBIT_TYPE_NULL:
		if (t->null_options != 0)
			names("null-options", t->null_options, nopt, 7);
		if (t->null_results != 0)
			names("results", t->null_results, nres, 3);
		break;
	case SCAMPER_TBIT_TYPE_BLIND_DATA:
	case SCAMPER_TBIT_TYPE_BLIND_RST:
	case SCAMPER_TBIT_TYPE_BLIND_SYN:
	case SCAMPER_TBIT_TYPE_BLIND_FIN:
		printf(" blind: offset %d, retx %u\n", t->blind_off,
		    t->blind_retx);
		break;
	}
}

static void
tbit_app(const struct scamper_tbit *t)
{
	const char *a = scamper_tbit_app_tostr(t->app_proto);

	if (t->app_proto == SCAMPER_TBIT_APP_HTTP) {
		/* without a host, the file alone ("(null)" if none, as
		   20211212 prints) */
		printf(" app: %s", a);
		if (t->http_host != NULL)
			printf(", url: %s://%s%s", t->http_type == 1 ?
			    "https" : "http", t->http_host,
			    t->http_file != NULL ? t->http_file : "");
		else
			printf(", file: %s", t->http_file != NULL ?
			    t->http_file : "(null)");
		printf("\n");
	} else if (t->app_proto == SCAMPER_TBIT_APP_BGP)
		printf(" app: %s, asn: %u\n", a, t->bgp_asn);
	else if (a != NULL)
		printf(" app: %s\n", a);
}

/* After the sequence column: the IP ID with ":offset" for a fragment,
 * DF and MF (IPv4 only), the ECN mark, then SACK blocks. */
static void
tbit_ip(const struct scamper_tbit_pktinfo *i, const char *sack)
{
	if (!i->v6) {
		printf("%04x", i->ip_id);
		if (i->frag_off != 0 || i->frag_mf)
			printf(":%u", i->frag_off);
		printf("%s%s", i->frag_df ? " DF" : "", i->frag_mf ? " MF" : "");
	}
	printf("%s%s", i->ip_ecn == 3 ? " CE" : i->ip_ecn != 0 ? " ECT" : "",
	    sack);
}

static void
tbit_pkt(const struct scamper_tbit *t, const struct scamper_tbit_pkt *p,
    struct scamper_tbit_isn *isn)
{
	struct scamper_tbit_pktinfo i;
	char seq[48], sack[160] = "", fl[24];
	int rc = scamper_tbit_pkt_decode(p, isn, &i);
	long sec, usec;
	size_t n;

	if (rc < 0)
		return;
	scamper_tbit_pkt_reltime(p, &t->start, &sec, &usec);
	printf(" [%3ld.%03ld] %s ", sec, usec / 1000,
	    p->dir == SCAMPER_TBIT_PKT_DIR_TX ? "TX" : "RX");
	if (rc == 1 && !i.v6 && i.frag_off != 0) {	/* a later fragment */
		printf("%-12s %5uF%17s", "", p->len, "");
		tbit_ip(&i, "");
	} else if (rc == 0) {
		n = (size_t)snprintf(seq, sizeof(seq), "%u", i.seq);
		if (i.tcp_flags & 0x10)
			n += (size_t)snprintf(seq + n, sizeof(seq) - n, ":%u",
			    i.ack);
		if (i.datalen > 0)
			snprintf(seq + n, sizeof(seq) - n, "(%u)", i.datalen);
		scamper_tbit_pkt_sackstr(&i, scamper_tbit_sack_base(isn,
		    p->dir), sack, sizeof(sack));
		scamper_tbit_pkt_flagstr(i.tcp_flags, fl, sizeof(fl));
		printf("%-12s %5u  %-16s", fl, p->len, seq);
		tbit_ip(&i, sack);
	}
	printf("\n");
}

void
wd_tbit(const struct scamper_tbit *t)
{
	static const char *const opt[] = { "tcpts", "sack" };
	const char *ty = scamper_tbit_type_tostr(t->type);
	const char *r = scamper_tbit_result_tostr(t->result);
	struct scamper_tbit_isn isn = { 0 };

	printf("tbit from %s to %s\n", wd_addr(&t->src), wd_addr(&t->dst));
	wd_list_cycle(t->list, t->cycle);
	wd_user_start(t->userid, &t->start);
	printf(" sport: %u, dport: %u\n", t->sport, t->dport);
	printf(" client-mss: %u, server-mss: %u, ttl: %u", t->client_mss,
	    t->server_mss, t->ttl);
	if (t->wscale != 0)
		printf(", wscale: %u", t->wscale);
	printf("\n type: ");
	if (ty != NULL)
		printf("%s", ty);
	else
		printf("%u", t->type);
	printf(", result: ");
	if (r != NULL)
		printf("%s\n", r);
	else
		printf("%u\n", t->result);
	if (t->options != 0)
		names("options", t->options, opt, 2);
	if (t->fo_cookielen > 0) {
		printf(" fo-cookie: ");
		for (uint8_t i = 0; i < t->fo_cookielen; i++)
			printf("%02x", t->fo_cookie[i]);
		printf("\n");
	}
	tbit_type(t);
	tbit_app(t);
	for (uint32_t n = 0; t->pkts != NULL && n < t->pktc; n++)
		tbit_pkt(t, &t->pkts[n], &isn);
	printf("\n");
}

/* ---- sting ----------------------------------------------------------- */

void
wd_sting(const struct scamper_sting *s)
{
	printf("sting from %s to %s\n", wd_addr(&s->src), wd_addr(&s->dst));
	wd_list_cycle(s->list, s->cycle);
	wd_user_start(s->userid, &s->start);
	printf(" sport: %u, dport: %u\n", s->sport, s->dport);
	printf(" count: %u, mean: %uus, inter: %uus, seqskip %u\n", s->count,
	    s->mean, s->inter, s->seqskip);
	printf(" synretx: %u, dataretx: %u\n", s->synretx, s->dataretx);
	printf(" dataackc: %u, holec: %u\n", s->dataackc, s->holec);
	printf(" hs-rtt: %ld.%06ld\n", (long)s->hsrtt.tv_sec,
	    (long)s->hsrtt.tv_usec);
	printf(" result: ");
	if (s->result == SCAMPER_STING_RESULT_NONE)
		printf("none\n");
	else if (s->result == SCAMPER_STING_RESULT_COMPLETED)
		printf("completed\n");
	else
		printf("0x%02x\n", s->result);
}

/* ---- sniff ----------------------------------------------------------- */

static void
sniff_pkt(const struct scamper_sniff *s, uint32_t i)
{
	const struct scamper_sniff_pkt *p = &s->pkts[i];
	struct scamper_addr a, b;
	int ok = 0;

	printf("%4u ", i);
	wd_rtt(&s->start, &p->tv);
	if (p->len >= 20 && (p->data[0] >> 4) == 4)
		ok = scamper_addr_set(&a, SCAMPER_ADDR_IPV4, p->data + 12) == 0 &&
		    scamper_addr_set(&b, SCAMPER_ADDR_IPV4, p->data + 16) == 0;
	else if (p->len >= 40 && (p->data[0] >> 4) == 6)
		ok = scamper_addr_set(&a, SCAMPER_ADDR_IPV6, p->data + 8) == 0 &&
		    scamper_addr_set(&b, SCAMPER_ADDR_IPV6, p->data + 24) == 0;
	if (ok)
		printf(" %s -> %s", wd_addr(&a), wd_addr(&b));
	printf("\n");
	for (uint16_t off = 0; off < p->len; off += 16) {
		printf("     0x%04x: ", off);
		for (uint16_t j = off; j < off + 16 && j < p->len; j += 2) {
			if (j + 1 < p->len)
				printf(" %02x%02x", p->data[j], p->data[j + 1]);
			else
				printf(" %02x", p->data[j]);
		}
		printf("\n");
	}
}

void
wd_sniff(const struct scamper_sniff *s)
{
	static const char *stop[] = { "none", "error", "limit-time",
	    "limit-pktc", "halted" };

	printf("sniff %s\n", wd_addr(&s->src));
	wd_list_cycle(s->list, s->cycle);
	wd_user_start(s->userid, &s->start);
	printf(" finish: %s %06lu\n", wd_when(s->finish.tv_sec),
	    (unsigned long)s->finish.tv_usec);
	printf(" limit-pktc: %u, limit-time: %u, icmp-id %u\n",
	    s->limit_pktc, s->limit_time, s->icmpid);
	printf(" result: ");
	if (s->stop_reason < 5)
		printf("%s", stop[s->stop_reason]);
	else
		printf("%u", s->stop_reason);
	printf(", pktc: %u\n", s->pktc);
	for (uint32_t i = 0; i < s->pktc; i++)
		sniff_pkt(s, i);
}
