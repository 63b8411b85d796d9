/*
 * craft_corpus.c: make the "crafted" corpus files of tests/data.
 *
 * Some shapes Debian's scamper does not produce in our lab (a tracelb
 * node with two links, replies from several addresses at one hop, TCP
 * probe definitions, sting holes, tbit types and options, ...) but whose
 * rendering by Debian's tools we want to match.  This program takes a
 * Debian-made corpus file, changes its measurement in memory with one of
 * the recipes below, and writes it with our library; make-corpus.sh then
 * stores what Debian's tools print for the result.
 * usage: craft_corpus RECIPE IN.warts OUT.warts
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scamper_dealias.h"
#include "scamper_file.h"
#include "scamper_host.h"
#include "scamper_list.h"
#include "scamper_neighbourdisc.h"
#include "scamper_ping.h"
#include "scamper_sniff.h"
#include "scamper_sting.h"
#include "scamper_tbit.h"
#include "scamper_trace.h"
#include "scamper_tracelb.h"

static void
tlb_reply_addrs(struct scamper_tracelb_probe *p, const char *a, const char *b)
{
	struct scamper_tracelb_reply *n = calloc(2, sizeof(*n));

	if (n == NULL)
		abort();
	n[0] = p->rxs[0];
	n[1] = p->rxs[0];
	n[0].icmpext = n[1].icmpext = NULL;
	scamper_addr_pton(&n[0].from, a);
	scamper_addr_pton(&n[1].from, b);
	free(p->rxs[0].icmpext);
	free(p->rxs);
	p->rxs = n;
	p->rxc = 2;
}

static void
tracelb(const char *r, struct scamper_tracelb *t)
{
	struct scamper_tracelb_probeset *ps = &t->links[0].sets[0];

	if (strcmp(r, "tracelb-multilink") == 0) {
		t->links[1].from = 0;		/* node 0 gets two links */
	} else if (strcmp(r, "tracelb-silentlink") == 0) {
		/* node 0 gets two links, one across a silent hop: its first
		   hop the probes with their replies taken away, one TTL
		   earlier (ours writes such links) */
		struct scamper_tracelb_link *l = &t->links[1];
		struct scamper_tracelb_probeset *s2 = calloc(2, sizeof(*s2));

		if (s2 == NULL)
			abort();
		s2[1] = l->sets[0];
		s2[0].probec = l->sets[0].probec;
		s2[0].probes = calloc(s2[0].probec, sizeof(*s2[0].probes));
		if (s2[0].probes == NULL)
			abort();
		for (uint16_t i = 0; i < s2[0].probec; i++) {
			s2[0].probes[i] = l->sets[0].probes[i];
			s2[0].probes[i].ttl--;
			s2[0].probes[i].rxs = NULL;
			s2[0].probes[i].rxc = 0;
		}
		free(l->sets);
		l->sets = s2;
		l->hopc = 2;
		l->from = 0;
	} else if (strcmp(r, "tracelb-groups") == 0) {
		/* replies from several addresses, unanswered probes */
		scamper_addr_pton(&ps->probes[0].rxs[0].from, "198.18.9.9");
		ps->probes[2].rxc = 0;
		tlb_reply_addrs(&ps->probes[1], "198.18.3.2", "198.18.0.9");
		t->links[0].sets[2].probes[0].rxc = 0;
	} else if (strcmp(r, "tracelb-order6") == 0) {
		static const char *a[] = { "2001:db8::100:2:0:0",
		    "2001:db8::200:1:0:0", "2001:db8::ffff:ffff",
		    "2001:db8::0:1:0:0", "2001:db8:1::", "2001:db9::" };

		for (int i = 0; i < 6; i++)
			scamper_addr_pton(&ps->probes[i].rxs[0].from, a[i]);
		for (int i = 6; i < ps->probec; i++)
			ps->probes[i].rxc = 0;
	} else if (strcmp(r, "tracelb-misc") == 0) {
		/* hopc-1 link: replies from others, no "to" node, TCP,
		   no q-ttl, name, rtr, userid, method */
		tlb_reply_addrs(&ps->probes[0], "198.18.77.7", "198.18.2.2");
		scamper_addr_pton(&ps->probes[1].rxs[0].from, "198.18.77.7");
		ps->probes[2].rxs[0].flags |= SCAMPER_TRACELB_REPLY_FLAG_TCP;
		ps->probes[2].rxs[0].tcp_flags = 0x12;
		t->links[2].to = -1;
		t->nodes[1].flags = 0;
		t->nodes[0].name = strdup("r1.example");
		scamper_addr_pton(&t->rtr, "198.18.1.1");
		t->userid = 5;
		t->type = SCAMPER_TRACELB_TYPE_TCP_SPORT;
	}
}

/* Set hop H's ICMP extensions to one MPLS label stack object holding N
 * entries (label 16000 + i, exp i, bottom of stack on the last, TTL 1). */
static void
mpls(struct scamper_trace_hop *h, int n)
{
	uint8_t *b = calloc(1, 4 + 4 * (size_t)n);

	if (b == NULL)
		abort();
	b[1] = (uint8_t)(4 * n);	/* data length */
	b[2] = 1;			/* class: MPLS label stack */
	b[3] = 1;
	for (int i = 0; i < n; i++) {
		uint32_t e = (uint32_t)(16000 + i) << 12 | (uint32_t)i << 9 |
		    (i == n - 1 ? 1U << 8 : 0) | 1;

		b[4 + 4 * i] = (uint8_t)(e >> 24);
		b[5 + 4 * i] = (uint8_t)(e >> 16);
		b[6 + 4 * i] = (uint8_t)(e >> 8);
		b[7 + 4 * i] = (uint8_t)e;
	}
	free(h->icmpext);
	h->icmpext = b;
	h->icmpext_len = (uint16_t)(4 + 4 * n);
}

static void
trace(const char *r, struct scamper_trace *t)
{
	struct scamper_trace_pmtud *p = t->pmtud;

	if (strcmp(r, "trace-nocsum") == 0) {
		/* icmp-paris without icmp-csum-dport: no icmp_sum in JSON */
		t->flags &= (uint8_t)~SCAMPER_TRACE_FLAG_ICMPCSUMDP;
		return;
	}
	if (strcmp(r, "trace-mpls") == 0) {
		/* MPLS label stacks on hops 1 (one entry) and 2 (two) */
		for (uint16_t i = 0; i < t->hops.hopc; i++)
			if (t->hops.hops[i].probe_ttl <= 2)
				mpls(&t->hops.hops[i],
				    t->hops.hops[i].probe_ttl);
		return;
	}
	if (p == NULL || p->notec == 0)
		return;
	if (strcmp(r, "trace-pmtud-inferred") == 0) {
		p->notes[0].type = SCAMPER_TRACE_PMTUD_NOTE_PTB_BAD;
		p->notes[0].nhmtu = 1300;
	} else if (strcmp(r, "trace-pmtud-silence") == 0) {
		p->notes[0].type = SCAMPER_TRACE_PMTUD_NOTE_SILENCE;
		p->notes[0].hop = -1;
	} else if (strcmp(r, "trace-pmtud-nhmtu") == 0) {
		p->hops.hops[0].icmp_nhmtu = 1450;
	} else if (strcmp(r, "trace-pmtud-twonotes") == 0) {
		struct scamper_trace_pmtud_note *n;

		if ((n = realloc(p->notes, 2 * sizeof(*n))) == NULL)
			abort();
		p->notes = n;
		p->notec = 2;
		n[1].type = SCAMPER_TRACE_PMTUD_NOTE_SILENCE;
		n[1].nhmtu = 1280;
		n[1].hop = -1;
		p->pmtu = 1280;
	} else if (strcmp(r, "trace-pmtud-earlier") == 0) {
		p->hops.hops[0].icmp_q_ttl = 254;
	}
}

static void
dealias(const char *r, struct scamper_dealias *d)
{
	struct scamper_dealias_reply *x;

	if (strcmp(r, "dealias-ally-tcp") == 0) {
		d->defs[0].method = SCAMPER_DEALIAS_PROBEDEF_METHOD_TCP_ACK;
		d->defs[0].sport = 1000;
		d->defs[0].dport = 80;
		d->defs[0].tcp_flags = 0x10;
		d->defs[1].method = SCAMPER_DEALIAS_PROBEDEF_METHOD_UDP_DPORT;
		d->defs[1].sport = 2000;
		d->defs[1].dport = 33435;
		d->defs[1].mtu = 1280;
		d->defs[1].size = 60;
		d->defs[1].tos = 4;
		d->result = SCAMPER_DEALIAS_RESULT_ALIASES;
		d->userid = 7;
		d->u.ally.flags = 1;
		x = &d->probes[0].replies[0];
		x->proto = 6;
		x->tcp_flags = 4;
		x = &d->probes[1].replies[0];
		scamper_addr_pton(&x->src, "2001:db8::1");
		x->proto = 58;
		x->icmp_type = 1;
		x->icmp_code = 4;
		x->icmp_q_ttl = 9;
		x->ipid32 = 77;
		x->flags = SCAMPER_DEALIAS_REPLY_FLAG_IPID32;
	} else if (strcmp(r, "dealias-prefixscan-xs") == 0) {
		struct scamper_dealias_prefixscan *ps = &d->u.prefixscan;

		scamper_addr_pton(&ps->ab, "198.18.2.2");
		ps->xsc = 2;
		ps->xs = calloc(2, sizeof(*ps->xs));
		scamper_addr_pton(&ps->xs[0], "198.18.2.3");
		scamper_addr_pton(&ps->xs[1], "198.18.1.2");
		ps->flags = 3;
		ps->replyc = 3;
		d->result = 9;
	}
}

/* An IPv4 TCP packet 198.18.1.2:51255 <-> 198.18.6.2:80 (TX from the
 * prober when DIR is TX) with FLAGS, SEQ, ACK, TCP options OPT (OPTLEN, a
 * multiple of 4) and payload PL (PLEN bytes). */
static void
tbit_pkt(struct scamper_tbit_pkt *p, uint8_t dir, uint8_t flags,
    uint32_t seq, uint32_t ack, const char *opt, size_t optlen,
    const char *pl, size_t plen)
{
	static const uint8_t a[4] = { 198, 18, 1, 2 }, b[4] = { 198, 18, 6, 2 };
	size_t thl = 20 + optlen, len = 20 + thl + plen;
	uint8_t *d = calloc(1, len);

	if (d == NULL)
		abort();
	d[0] = 0x45;
	d[2] = (uint8_t)(len >> 8);
	d[3] = (uint8_t)len;
	d[1] = flags == 0x02 ? 0x02 : 0;	/* ECT(0) on the SYN */
	d[4] = 0x12;
	d[5] = (uint8_t)(0x30 + flags);	/* an IP ID to see */
	d[6] = (flags & 0x08) ? 0x40 : 0;	/* DF on data */
	d[8] = dir == SCAMPER_TBIT_PKT_DIR_TX ? 64 : 57;
	d[9] = 6;
	memcpy(d + 12, dir == SCAMPER_TBIT_PKT_DIR_TX ? a : b, 4);
	memcpy(d + 16, dir == SCAMPER_TBIT_PKT_DIR_TX ? b : a, 4);
	d[20] = dir == SCAMPER_TBIT_PKT_DIR_TX ? 0xc8 : 0;
	d[21] = dir == SCAMPER_TBIT_PKT_DIR_TX ? 0x37 : 80;
	d[22] = dir == SCAMPER_TBIT_PKT_DIR_TX ? 0 : 0xc8;
	d[23] = dir == SCAMPER_TBIT_PKT_DIR_TX ? 80 : 0x37;
	for (int i = 0; i < 4; i++) {
		d[24 + i] = (uint8_t)(seq >> (24 - 8 * i));
		d[28 + i] = (uint8_t)(ack >> (24 - 8 * i));
	}
	d[32] = (uint8_t)((thl / 4) << 4);
	d[33] = flags;
	d[34] = 0xff;
	d[35] = 0xff;
	memcpy(d + 40, opt, optlen);
	memcpy(d + 20 + thl, pl, plen);
	p->dir = dir;
	p->data = d;
	p->len = (uint16_t)len;
}

/* A short HTTP exchange: SYN, SYN/ACK, ACK, request, reply, FIN. */
static void
tbit_pkts(struct scamper_tbit *t)
{
	static const char mss[] = "\x02\x04\x05\xb4\x04\x02\x08\x0a"
	    "\x00\x00\x00\x07\x00\x00\x00\x00\x01\x03\x03\x07";
	static const char sack[] = "\x02\x04\x05\x78\x01\x01\x04\x02";
	static const char ts[] = "\x01\x01\x08\x0a\x00\x00\x00\x08"
	    "\x00\x00\x01\x00";
	static const char blk[] = "\x01\x01\x05\x0a\x00\x00\x13\x8a"
	    "\x00\x00\x13\x94";
	static const char req[] = "GET / HTTP/1.0\r\n\r\n";
	static const char rep[] = "HTTP/1.0 200 OK\r\n\r\n";
	const uint8_t tx = SCAMPER_TBIT_PKT_DIR_TX, rx = SCAMPER_TBIT_PKT_DIR_RX;

	t->pktc = 7;
	if ((t->pkts = calloc(7, sizeof(*t->pkts))) == NULL)
		abort();
	tbit_pkt(&t->pkts[0], tx, 0x02, 1000, 0, mss, 20, NULL, 0);
	tbit_pkt(&t->pkts[1], rx, 0x12, 5000, 1001, sack, 8, NULL, 0);
	tbit_pkt(&t->pkts[2], tx, 0x10, 1001, 5001, blk, 12, NULL, 0);
	tbit_pkt(&t->pkts[3], tx, 0x18, 1001, 5001, ts, 12, req,
	    sizeof(req) - 1);
	tbit_pkt(&t->pkts[4], rx, 0x18, 5001, 1019, NULL, 0, rep,
	    sizeof(rep) - 1);
	tbit_pkt(&t->pkts[5], rx, 0x11, 5020, 1019, NULL, 0, NULL, 0);
	tbit_pkt(&t->pkts[6], tx, 0x04, 1019, 0, NULL, 0, NULL, 0);
	for (uint32_t i = 0; i < t->pktc; i++) {
		t->pkts[i].tv = t->start;
		t->pkts[i].tv.tv_sec += 1;	/* 1.i s after the start */
		t->pkts[i].tv.tv_usec = 1000 * i;
	}
	t->type = SCAMPER_TBIT_TYPE_NULL;
	t->result = 40;
}

/* Odd cases: two SACK blocks, an unknown option and EOL, CE, a fragment
 * offset with MF, FIN with PSH, ECE and CWR, a 1200-byte packet. */
static void
tbit_pkts2(struct scamper_tbit *t)
{
	static const char syn[] = "\x02\x04\x05\xb4\x1e\x03\x01\x00";
	static const char blk[] = "\x01\x01\x05\x12\x00\x00\x13\x8a"
	    "\x00\x00\x13\x94\x00\x00\x13\xa0\x00\x00\x13\xb0";
	static char big[1160];
	const uint8_t tx = SCAMPER_TBIT_PKT_DIR_TX, rx = SCAMPER_TBIT_PKT_DIR_RX;

	t->pktc = 6;
	if ((t->pkts = calloc(6, sizeof(*t->pkts))) == NULL)
		abort();
	tbit_pkt(&t->pkts[0], tx, 0xc2, 1000, 0, syn, 8, NULL, 0);
	tbit_pkt(&t->pkts[1], rx, 0x52, 5000, 1001, NULL, 0, NULL, 0);
	tbit_pkt(&t->pkts[2], tx, 0x10, 1001, 5001, blk, 20, NULL, 0);
	tbit_pkt(&t->pkts[3], rx, 0x18, 5001, 1001, NULL, 0, big,
	    sizeof(big));
	tbit_pkt(&t->pkts[4], rx, 0x19, 6161, 1001, NULL, 0, NULL, 0);
	tbit_pkt(&t->pkts[5], tx, 0x11, 1001, 6162, NULL, 0, NULL, 0);
	t->pkts[2].data[1] = 3;				/* CE */
	t->pkts[4].data[6] = 0x20;			/* MF, offset 8 */
	t->pkts[4].data[7] = 1;
	for (uint32_t i = 0; i < t->pktc; i++) {
		t->pkts[i].tv = t->start;
		t->pkts[i].tv.tv_sec += 2;
		t->pkts[i].tv.tv_usec = 999 * i;
	}
	t->type = SCAMPER_TBIT_TYPE_ECN;
	t->result = 40;
}

/* IPv6: a SYN and a SYN/ACK with MSS, and a UDP packet. */
static void
tbit_pkts6(struct scamper_tbit *t)
{
	const uint8_t tx = SCAMPER_TBIT_PKT_DIR_TX, rx = SCAMPER_TBIT_PKT_DIR_RX;
	static const char mss[] = "\x02\x04\x05\xa0";

	t->pktc = 3;
	if ((t->pkts = calloc(3, sizeof(*t->pkts))) == NULL)
		abort();
	tbit_pkt(&t->pkts[0], tx, 0x02, 1000, 0, mss, 4, NULL, 0);
	tbit_pkt(&t->pkts[1], rx, 0x12, 5000, 1001, mss, 4, NULL, 0);
	tbit_pkt(&t->pkts[2], rx, 0x10, 5001, 1001, NULL, 0, NULL, 0);
	for (uint32_t i = 0; i < t->pktc; i++) {
		struct scamper_tbit_pkt *p = &t->pkts[i];
		uint8_t *d = calloc(1, p->len + 20u);

		if (d == NULL)
			abort();
		d[0] = 0x60;
		d[1] = i == 0 ? 0x20 : 0;	/* traffic class: ECT(0) */
		d[3] = 0x05;			/* flow label 5 */
		d[4] = (uint8_t)((p->len - 20) >> 8);
		d[5] = (uint8_t)(p->len - 20);
		d[6] = i == 2 ? 17 : 6;
		d[7] = 64;
		d[8] = d[24] = 0x20;
		d[9] = d[25] = 0x01;
		d[10] = d[26] = 0x0d;
		d[11] = d[27] = 0xb8;
		d[23] = p->dir == tx ? 2 : 1;
		d[39] = p->dir == tx ? 1 : 2;
		memcpy(d + 40, p->data + 20, p->len - 20u);
		free(p->data);
		p->data = d;
		p->len = (uint16_t)(p->len + 20);
		p->tv = t->start;
		p->tv.tv_usec = 1000 * i;
	}
	t->result = 40;
}

static void
tbit(const char *r, struct scamper_tbit *t)
{
	t->pad1 = 0;
	if (strcmp(r, "tbit-pmtud") == 0) {
		t->type = SCAMPER_TBIT_TYPE_PMTUD;
		t->result = 25;
		t->pmtud_mtu = 1280;
		t->pmtud_ptb_retx = 4;
		t->pmtud_options = 1;
		scamper_addr_pton(&t->pmtud_ptbsrc, "198.18.3.3");
	} else if (strcmp(r, "tbit-blind") == 0) {
		t->type = SCAMPER_TBIT_TYPE_BLIND_RST;
		t->result = 81;
		t->blind_off = -5;
		t->blind_retx = 2;
		t->app_proto = SCAMPER_TBIT_APP_BGP;
		t->bgp_asn = 65000;
	} else if (strcmp(r, "tbit-nofile") == 0) {
		/* http with neither host nor file */
		free(t->http_file);
		t->http_file = NULL;
	} else if (strcmp(r, "tbit-hostonly") == 0) {
		/* http with a host but no file */
		free(t->http_file);
		t->http_file = NULL;
		t->http_host = strdup("198.18.6.2");
	} else if (strcmp(r, "tbit-pkts") == 0) {
		tbit_pkts(t);
	} else if (strcmp(r, "tbit-pkts2") == 0) {
		tbit_pkts2(t);
	} else if (strcmp(r, "tbit-pkts6") == 0) {
		tbit_pkts6(t);
	} else if (strcmp(r, "tbit-opts") == 0) {
		t->null_options = 0x7f;
		t->null_results = 7;
		t->userid = 9;
		t->ttl = 64;
		t->wscale = 7;
		t->options = 3;
		t->fo_cookielen = 4;
		memcpy(t->fo_cookie, "\x01\x02\x03\x04", 4);
		t->http_type = 1;
		t->server_mss = 536;
		t->result = 40;
	}
}

static void
sting(struct scamper_sting *s)
{
	static const uint8_t fl[6] = { 0x05, 0x02, 0x0d, 0x05, 0x0d, 0x0a };

	s->pktc = 6;
	if ((s->pkts = calloc(6, sizeof(*s->pkts))) == NULL)
		abort();
	for (int i = 0; i < 6; i++) {
		s->pkts[i].flags = fl[i];
		s->pkts[i].tv = s->start;
		s->pkts[i].tv.tv_usec += i * 1000;
		s->pkts[i].len = 20;
		s->pkts[i].data = calloc(1, 20);
		s->pkts[i].data[0] = 0x45;
	}
	s->holec = 2;
	s->dataackc = 3;
	s->result = SCAMPER_STING_RESULT_COMPLETED;
}

/* Recipe "var": other values of fields the corpus leaves alone, to check
 * the tools' output for them (not kept in the corpus). */
static void
variants(uint16_t type, void *obj)
{
	struct scamper_tracelb *lb = obj;
	struct scamper_dealias *d = obj;
	struct scamper_neighbourdisc *n = obj;
	struct scamper_sniff *sn = obj;
	struct scamper_sting *st = obj;

	switch (type) {
	case SCAMPER_FILE_OBJ_TRACELB:
		lb->type = SCAMPER_TRACELB_TYPE_UDP_SPORT;
		lb->links[0].sets[0].probes[0].rxs[0].flags &=
		    (uint8_t)~SCAMPER_TRACELB_REPLY_FLAG_REPLY_TTL;
		lb->nodes[0].flags = 0;
		lb->tos = 0x10;
		break;
	case SCAMPER_FILE_OBJ_DEALIAS:
		if (d->method == SCAMPER_DEALIAS_METHOD_RADARGUN)
			d->u.radargun.flags = 1;
		d->result = SCAMPER_DEALIAS_RESULT_HALTED;
		d->defs[0].method = SCAMPER_DEALIAS_PROBEDEF_METHOD_TCP_SYN_SPORT;
		d->defs[0].tcp_flags = 0x02;
		d->defs[0].sport = 7;
		d->defs[0].dport = 443;
		break;
	case SCAMPER_FILE_OBJ_NEIGHBOURDISC:
		n->pad_bug = 0;
		n->flags = 3;
		n->replyc = 2;
		memset(&n->dst_mac, 0, sizeof(n->dst_mac));
		break;
	case SCAMPER_FILE_OBJ_SNIFF:
		sn->stop_reason = SCAMPER_SNIFF_STOP_HALTED;
		if (sn->pktc > 0)
			sn->pkts[0].len = 83;
		break;
	case SCAMPER_FILE_OBJ_STING:
		st->result = 7;
		st->hsrtt.tv_usec = 500123;
		break;
	}
}

/* Recipe "stops": each trace or ping written once per stop reason (and
 * some stop data: unreachable codes, ICMP types, errnos), and one
 * reason beyond those 20211212 defines. */
static int
stops(struct scamper_file *w, uint16_t type, void *obj)
{
	static const uint8_t tr[][2] = { { 0, 0 }, { 1, 0 }, { 2, 0 },
	    { 2, 1 }, { 2, 2 }, { 2, 3 }, { 2, 4 }, { 2, 5 }, { 2, 6 },
	    { 2, 7 }, { 2, 8 }, { 2, 9 }, { 2, 10 }, { 2, 11 }, { 2, 12 },
	    { 2, 13 }, { 2, 14 }, { 2, 15 }, { 2, 16 }, { 3, 4 }, { 4, 0 },
	    { 5, 0 }, { 6, 2 }, { 6, 101 }, { 7, 0 }, { 8, 0 }, { 9, 0 },
	    { 10, 3 } };
	static const uint8_t pr[][2] = { { 0, 0 }, { 1, 0 }, { 2, 2 },
	    { 2, 101 }, { 3, 0 }, { 4, 1 } };
	struct scamper_trace *t = obj;
	struct scamper_ping *p = obj;
	size_t n = type == SCAMPER_FILE_OBJ_TRACE ? sizeof(tr) / 2 :
	    type == SCAMPER_FILE_OBJ_PING ? sizeof(pr) / 2 : 0;

	if (n == 0)
		return scamper_file_write_obj(w, type, obj);
	for (size_t i = 0; i < n; i++) {
		if (type == SCAMPER_FILE_OBJ_TRACE) {
			t->stop_reason = tr[i][0];
			t->stop_data = tr[i][1];
		} else {
			p->stop_reason = pr[i][0];
			p->stop_data = pr[i][1];
		}
		if (scamper_file_write_obj(w, type, obj) != 0)
			return -1;
	}
	return 0;
}

/* Recipe "host-var": each host record written as read and then changed
 * in the ways below, one copy per change. */
static int
host_var(struct scamper_file *w, struct scamper_host *h)
{
	struct scamper_host_query *q = h->qcount > 0 ? &h->queries[0] : NULL;

	if (scamper_file_write_host(w, h) != 0)
		return -1;
	/* stop reasons none, halted, error, unknown; user id; flags */
	h->userid = 77;
	h->flags = 0x0003;
	for (uint8_t r = 0; r <= 5; r += (r == 0 ? 3 : 1)) {
		h->stop_reason = r;
		if (scamper_file_write_host(w, h) != 0)
			return -1;
	}
	/* other classes and types, a query sent before the start */
	h->qclass = 3;
	h->qtype = 16;
	if (q != NULL)
		q->tx.tv_sec = h->start.tv_sec - 2;
	if (scamper_file_write_host(w, h) != 0)
		return -1;
	/* the types 20211212 names, some it does not */
	static const uint16_t types[] = { 2, 3, 5, 6, 7, 12, 15, 16, 17, 28,
	    42, 43, 44, 45, 46, 47, 48, 99 };
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		h->qtype = types[i];
		if (scamper_file_write_host(w, h) != 0)
			return -1;
	}
	h->flags = 0x0002;
	if (scamper_file_write_host(w, h) != 0)
		return -1;
	return 0;
}

int
main(int argc, char **argv)
{
	struct scamper_file *r, *w;
	uint16_t type;
	void *obj;
	int rc;

	if (argc != 4) {
		fprintf(stderr, "usage: craft_corpus RECIPE IN OUT\n");
		return 2;
	}
	if ((r = scamper_file_open_read(argv[2])) == NULL ||
	    (w = scamper_file_open_write(argv[3])) == NULL) {
		perror("craft_corpus");
		return 1;
	}
	while ((rc = scamper_file_read(r, &type, &obj)) == 1) {
		if (strcmp(argv[1], "host-var") == 0 &&
		    type == SCAMPER_FILE_OBJ_HOST) {
			if (host_var(w, obj) != 0) {
				fprintf(stderr, "%s\n", scamper_file_error(w));
				return 1;
			}
			scamper_file_obj_free(type, obj);
			continue;
		}
		if (strcmp(argv[1], "stops") == 0) {
			if (stops(w, type, obj) != 0) {
				fprintf(stderr, "%s\n", scamper_file_error(w));
				return 1;
			}
			scamper_file_obj_free(type, obj);
			continue;
		}
		if (strcmp(argv[1], "list-nodescr") == 0 &&
		    type == SCAMPER_FILE_OBJ_LIST) {
			/* a list without a description */
			free(((struct scamper_list *)obj)->descr);
			((struct scamper_list *)obj)->descr = NULL;
		}
		if (strcmp(argv[1], "var") == 0)
			variants(type, obj);
		else if (type == SCAMPER_FILE_OBJ_TRACE)
			trace(argv[1], obj);
		else if (type == SCAMPER_FILE_OBJ_TRACELB)
			tracelb(argv[1], obj);
		else if (type == SCAMPER_FILE_OBJ_DEALIAS)
			dealias(argv[1], obj);
		else if (type == SCAMPER_FILE_OBJ_TBIT)
			tbit(argv[1], obj);
		else if (type == SCAMPER_FILE_OBJ_STING)
			sting(obj);
		else if (type == SCAMPER_FILE_OBJ_NEIGHBOURDISC)
			((struct scamper_neighbourdisc *)obj)->pad_bug = 0;
		if (scamper_file_write_obj(w, type, obj) != 0) {
			fprintf(stderr, "%s\n", scamper_file_error(w));
			return 1;
		}
		scamper_file_obj_free(type, obj);
	}
	if (rc != 0)
		fprintf(stderr, "%s\n", scamper_file_error(r));
	scamper_file_close(r);
	return scamper_file_close(w) == 0 && rc == 0 ? 0 : 1;
}
