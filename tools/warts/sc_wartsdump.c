/*
 * sc_wartsdump: a field-by-field dump of every record in warts files, in
 * the layout of CAIDA's sc_wartsdump (lists, cycles, traceroutes and
 * pings in full; other record types by type and length).
 *
 * usage: sc_wartsdump [file ...]     (no file, or "-": standard input)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "scamper_file.h"
#include "scamper_ping.h"
#include "scamper_trace.h"
#include "wartsdump.h"
#include "wartsread.h"

/* The text of A in one of four rotating static buffers. */
const char *
wd_addr(const struct scamper_addr *a)
{
	static char buf[4][SCAMPER_ADDR_STRLEN];
	static int k;

	k = (k + 1) % 4;
	return scamper_addr_tostr(a, buf[k], sizeof(buf[k]));
}

/* ctime(3) without its newline, in a static buffer. */
const char *
wd_when(time_t t)
{
	static char buf[32];

	if (ctime_r(&t, buf) == NULL)
		return "?";
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

/* Seconds from START to TV as "%d.%06d". */
static void
reltime(const struct timeval *start, const struct timeval *tv)
{
	wd_rtt(start, tv);
	putchar('s');
}

/* V as 0x%02x and, when nonzero, the names of its set bits. */
void
wd_flags(unsigned v, const char *const *names, unsigned n)
{
	printf("0x%02x", v);
	if (v == 0)
		return;
	printf(" (");
	for (unsigned i = 0; i < n; i++)
		if ((v & (1U << i)) && names[i] != NULL)
			printf(" %s", names[i]);
	printf(" )");
}

/* The list and cycle lines of a measurement record. */
void
wd_list_cycle(const struct scamper_list *l, const struct scamper_cycle *c)
{
	if (l != NULL)
		printf(" list id: %u, name: %s", l->id, l->name);
	if (l != NULL && l->monitor != NULL)
		printf(", monitor: %s", l->monitor);
	if (l != NULL)
		printf("\n");
	if (c != NULL)
		printf(" cycle id: %u\n", c->id);
}

/* " user-id: U" and " start: ctime usec" lines. */
void
wd_user_start(uint32_t userid, const struct timeval *start)
{
	printf(" user-id: %u\n", userid);
	printf(" start: %s %06lu\n", wd_when(start->tv_sec),
	    (unsigned long)start->tv_usec);
}

/* TV as seconds.microseconds. */
void
wd_tv(const struct timeval *tv)
{
	printf("%ld.%06ld", (long)tv->tv_sec, (long)tv->tv_usec);
}

/* RX - TX as seconds.microseconds. */
void
wd_rtt(const struct timeval *tx, const struct timeval *rx)
{
	long long us = ((long long)rx->tv_sec - tx->tv_sec) * 1000000 +
	    (rx->tv_usec - tx->tv_usec);

	if (us < 0) {
		putchar('-');
		us = -us;
	}
	printf("%lld.%06lld", us / 1000000, us % 1000000);
}

/* "( name ... )" for the set TCP flags in F. */
void
wd_tcp_flags(uint8_t f)
{
	static const char *n[] = { "fin", "syn", "rst", "psh", "ack", "urg",
	    "ece", "cwr" };

	printf("(");
	for (unsigned i = 0; i < 8; i++)
		if (f & (1U << i))
			printf(" %s", n[i]);
	printf(" )");
}

/* ---- traceroute ------------------------------------------------------ */

static const char *
stop_text(const struct scamper_trace *t, char *buf, size_t len)
{
	/* the names of ICMP and ICMPv6 unreachable codes */
	static const char *un4[] = { "net", "host", "protocol", "port",
	    "need frag", "src-rt failed", "net unknown", "host unknown",
	    "isolated", "net prohib", "host prohib", "tos net", "tos host",
	    "admin prohib" };
	static const char *un6[] = { "no route", "admin prohib",
	    "beyond scope", "addr", "port" };
	int v4 = t->dst.type == SCAMPER_ADDR_IPV4;
	size_t nun = v4 ? sizeof(un4) / sizeof(un4[0]) :
	    sizeof(un6) / sizeof(un6[0]);

	switch (t->stop_reason) {
	case SCAMPER_TRACE_STOP_NONE:		return "none";
	case SCAMPER_TRACE_STOP_COMPLETED:	return "done";
	case SCAMPER_TRACE_STOP_UNREACH:
		if (t->stop_data < nun)
			snprintf(buf, len, "icmp unreach %s", v4 ?
			    un4[t->stop_data] : un6[t->stop_data]);
		else
			snprintf(buf, len, "icmp unreach %u", t->stop_data);
		return buf;
	case SCAMPER_TRACE_STOP_ICMP:
		snprintf(buf, len, "icmp type %u", t->stop_data);
		return buf;
	case SCAMPER_TRACE_STOP_LOOP:		return "loop";
	case SCAMPER_TRACE_STOP_GAPLIMIT:	return "gaplimit";
	case SCAMPER_TRACE_STOP_ERROR:
		snprintf(buf, len, "errno %u", t->stop_data);
		return buf;
	case SCAMPER_TRACE_STOP_HOPLIMIT:	return "hoplimit";
	case SCAMPER_TRACE_STOP_GSS:		return "dtree-gss";
	case SCAMPER_TRACE_STOP_HALTED:		return "halted";
	}
	snprintf(buf, len, "reason 0x%02x data 0x%02x", t->stop_reason,
	    t->stop_data);
	return buf;
}

static void
trace_type(const struct scamper_trace *t)
{
	/* the UDP and TCP methods: their name and what dport means */
	static const struct {
		uint8_t		 type;
		const char	*name, *dport;
	} ports[] = {
		{ SCAMPER_TRACE_TYPE_UDP, "udp", "base dport" },
		{ SCAMPER_TRACE_TYPE_UDP_PARIS, "udp paris", "dport" },
		{ SCAMPER_TRACE_TYPE_TCP, "tcp", "dport" },
		{ SCAMPER_TRACE_TYPE_TCP_ACK, "tcp-ack", "dport" },
	};

	printf(" type: ");
	for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++)
		if (ports[i].type == t->type) {
			printf("%s, sport: %u, %s: %u\n", ports[i].name,
			    t->sport, ports[i].dport, t->dport);
			return;
		}
	switch (t->type) {
	case SCAMPER_TRACE_TYPE_ICMP_ECHO:
		printf("icmp, echo id: %u", t->sport);
		break;
	case SCAMPER_TRACE_TYPE_ICMP_ECHO_PARIS:
		printf("icmp paris, echo id: %u", t->sport);
		if (t->flags & SCAMPER_TRACE_FLAG_ICMPCSUMDP)
			printf(", csum: 0x%04x", t->dport);
		break;
	default:
		printf("%u", t->type);
	}
	printf("\n");
}

/* An MPLS label stack entry E (at byte I of its stack) of a reply's ICMP
 * extensions, a line; other objects are not shown. */
static void
trace_mpls(size_t i, uint32_t e)
{
	printf("%s ttl: %u, s: %u, exp: %u, label: %u\n",
	    i == 0 ? " mpls ext" : "         ", e & 0xff, (e >> 8) & 1,
	    (e >> 9) & 7, e >> 12);
}

static void
trace_hop(const struct scamper_trace *t, const struct scamper_trace_hop *h)
{
	static const char *hf[] = { "sockrxts", "dltxts", "dlrxts", "tsc",
	    "replyttl" };
	static const char *tf[] = { "fin", "syn", "rst", "psh", "ack", "urg",
	    "ece", "cwr" };
	int v4 = h->addr.type == SCAMPER_ADDR_IPV4;

	printf("hop %2u  %s", h->probe_ttl, wd_addr(&h->addr));
	if (h->name != NULL)
		printf(" name %s", h->name);
	printf("\n attempt: %u", h->probe_id);
	if (h->tx.tv_sec != 0) {
		printf(", tx: ");
		reltime(&t->start, &h->tx);
	}
	printf(", rtt: %u.%06us, probe-size: %u\n", h->rtt / 1000000,
	    h->rtt % 1000000, h->probe_size);
	printf(" reply-ttl: %u, reply-size: %u", h->reply_ttl, h->reply_size);
	if (v4)
		printf(", reply-ipid: 0x%04x, reply-tos 0x%02x", h->reply_ipid,
		    h->reply_tos);
	printf("\n");
	if ((h->flags & (SCAMPER_TRACE_HOP_TCP | SCAMPER_TRACE_HOP_UDP)) == 0) {
		int q = v4 ? (h->icmp_type == 3 || h->icmp_type == 11) :
		    (h->icmp_type >= 1 && h->icmp_type <= 3);

		printf(" icmp-type: %u, icmp-code: %u", h->icmp_type,
		    h->icmp_code);
		if (q) {
			printf(", q-ttl: %u, q-len: %u", h->icmp_q_ttl,
			    h->icmp_q_ipl);
			if (v4)
				printf(", q-tos %u", h->icmp_q_tos);
		}
		if ((v4 && h->icmp_type == 3 && h->icmp_code == 4) ||
		    (!v4 && h->icmp_type == 2))
			printf(", nhmtu: %u", h->icmp_nhmtu);
		printf("\n");
	} else if (h->flags & SCAMPER_TRACE_HOP_TCP) {
		printf(" tcp-flags: ");
		wd_flags(h->tcp_flags, tf, 8);
		printf("\n");
	}
	printf(" flags: ");
	wd_flags(h->flags, hf, 5);
	printf("\n");
	wr_mpls_each(h->icmpext, h->icmpext_len, trace_mpls);
}

static void
trace_pmtud(const struct scamper_trace *t, const struct scamper_trace_pmtud *p)
{
	printf("pmtud: ver %u ifmtu %u, pmtu %u", p->ver ? p->ver : 1,
	    p->ifmtu, p->pmtu);
	if (p->outmtu != 0)
		printf(", outmtu %u", p->outmtu);
	if (p->notec != 0)
		printf(", notec %u", p->notec);
	printf("\n");
	for (uint8_t i = 0; i < p->notec; i++) {
		const struct scamper_trace_pmtud_note *n = &p->notes[i];

		const struct scamper_trace_hop *h = n->hop >= 0 &&
		    n->hop < p->hops.hopc ? &p->hops.hops[n->hop] : NULL;

		printf(" note %u: nhmtu %u", i, n->nhmtu);
		if (n->type == SCAMPER_TRACE_PMTUD_NOTE_SILENCE)
			printf(", silence > ttl %u", h != NULL ?
			    h->probe_ttl : 0);
		else if (h != NULL && n->type == SCAMPER_TRACE_PMTUD_NOTE_PTB)
			printf(", ptb %s", wd_addr(&h->addr));
		else if (h != NULL && n->type == SCAMPER_TRACE_PMTUD_NOTE_PTB_BAD)
			printf(", ptb-bad %s mtu %u", wd_addr(&h->addr),
			    h->icmp_nhmtu);
		printf("\n");
	}
	for (uint16_t i = 0; i < p->hops.hopc; i++)
		trace_hop(t, &p->hops.hops[i]);
}

static void
dump_trace(const struct scamper_trace *t)
{
	static const char *tf[] = { "all-attempts", "pmtud", "dl",
	    "ignorettldst", "doubletree", "icmp-csum-dport", "const-payload",
	    "rxerr", "ptr" };
	char buf[64];

	printf("traceroute from %s to %s\n", wd_addr(&t->src), wd_addr(&t->dst));
	wd_list_cycle(t->list, t->cycle);
	printf(" user-id: %u\n", t->userid);
	printf(" start: %s %06lu\n", wd_when(t->start.tv_sec),
	    (unsigned long)t->start.tv_usec);
	trace_type(t);
	if (t->dtree != NULL) {
		printf(" doubletree firsthop: %u", t->dtree->firsthop);
		if (t->dtree->lss != NULL)
			printf(", lss-name: %s", t->dtree->lss);
		if (scamper_addr_isset(&t->dtree->lss_stop))
			printf(", lss-stop: %s", wd_addr(&t->dtree->lss_stop));
		if (scamper_addr_isset(&t->dtree->gss_stop))
			printf(", gss-stop: %s", wd_addr(&t->dtree->gss_stop));
		printf("\n");
	}
	printf(" attempts: %u, hoplimit: %u, loops: %u, probec: %u\n",
	    t->attempts, t->hoplimit, t->loops, t->probec);
	printf(" squeries: %u, gaplimit: %u, gapaction: %s\n", t->squeries,
	    t->gaplimit, t->gapaction == SCAMPER_TRACE_GAPACTION_LASTDITCH ?
	    "lastditch" : "stop");
	printf(" wait-timeout: %us", t->wait);
	if (t->wait_probe != 0)
		printf(", wait-probe: %ums", t->wait_probe * 10);
	if (t->confidence != 0)
		printf(", confidence: %u%%", t->confidence);
	printf("\n flags: ");
	wd_flags(t->flags, tf, 9);
	printf("\n stop reason: %s\n", stop_text(t, buf, sizeof(buf)));
	for (uint16_t i = 0; i < t->hops.hopc; i++)
		trace_hop(t, &t->hops.hops[i]);
	if (t->pmtud != NULL)
		trace_pmtud(t, t->pmtud);
	if (t->lastditch != NULL) {
		printf("last-ditch probes:\n");
		for (uint16_t i = 0; i < t->lastditch->hopc; i++)
			trace_hop(t, &t->lastditch->hops[i]);
	}
	printf("\n");
}

/* ---- ping ------------------------------------------------------------ */

static void
dump_ping_reply(const struct scamper_ping *p,
    const struct scamper_ping_reply *r)
{
	static const char *tf[] = { "fin", "syn", "rst", "psh", "ack", "urg",
	    "ece", "cwr" };

	printf("reply from %s, attempt: %u", wd_addr(&r->addr), r->probe_id + 1);
	if (r->tx.tv_sec != 0) {
		printf(", tx: ");
		reltime(&p->start, &r->tx);
	}
	printf(", rtt: %u.%06us\n", r->rtt / 1000000, r->rtt % 1000000);
	printf(" size: %u", r->reply_size);
	if (r->flags & SCAMPER_PING_REPLY_FLAG_REPLY_TTL)
		printf(", ttl: %u", r->reply_ttl);
	if (r->flags & SCAMPER_PING_REPLY_FLAG_PROBE_IPID)
		printf(", probe-ipid: 0x%04x", r->probe_ipid);
	if (r->flags & SCAMPER_PING_REPLY_FLAG_REPLY_IPID) {
		if (p->dst.type == SCAMPER_ADDR_IPV4)
			printf(", reply-ipid: 0x%04x", r->reply_ipid);
		else
			printf(", reply-ipid32: 0x%08x", r->reply_ipid32);
	}
	printf("\n");
	if (scamper_ping_reply_is_icmp(p, r))
		printf(" icmp type: %u, code: %u\n", r->icmp_type, r->icmp_code);
	else if (r->reply_proto == 6) {
		printf(" tcp flags: %02x", r->tcp_flags);
		if (r->tcp_flags != 0) {
			printf(" (");
			for (unsigned i = 0; i < 8; i++)
				if (r->tcp_flags & (1U << i))
					printf(" %s", tf[i]);
			printf(" )");
		}
		printf("\n");
	}
	for (uint8_t i = 0; r->v4rr != NULL && i < r->v4rrc; i++) {
		if (i % 3 == 0)
			printf(i == 0 ? " record route:" : "\n              ");
		printf(" %-15s", wd_addr(&r->v4rr[i]));
	}
	if (r->v4rr != NULL)
		printf("\n");
	if (r->tsv != NULL) {
		int wa = r->tsaddr != NULL && r->tsaddrc > 0, per = wa ? 2 : 3;

		printf(" IP timestamp option: tsc %u", r->tsc);
		for (uint8_t i = 0; i < r->tsc; i++) {
			if (i % per == 0)
				printf("\n%s", wa ? " " : "  ");
			else if (wa)
				printf("   ");
			if (wa)
				printf(" %-15s", wd_addr(&r->tsaddr[i]));
			printf(" 0x%08x", r->tsv[i]);
		}
		printf("\n");
	}
	if (r->has_tsreply) {
		const uint32_t ts[3] = { r->tso, r->tsr, r->tst };
		const char *n[3] = { "tso", "tsr", "tst" };

		printf(" icmp-tsreply:");
		for (int i = 0; i < 3; i++)
			printf(" %s=%02u:%02u:%02u.%03u", n[i],
			    (ts[i] / 3600000) % 24, (ts[i] / 60000) % 60,
			    (ts[i] / 1000) % 60, ts[i] % 1000);
		printf("\n");
	}
}

/* A ping's stop reason as 20211212's dump prints it. */
static const char *
ping_stop(const struct scamper_ping *p, char *buf, size_t len)
{
	static const char *stop[] = { "none", "done", NULL, "halted" };

	if (p->stop_reason == SCAMPER_PING_STOP_ERROR)
		snprintf(buf, len, "sendto errno %u", p->stop_data);
	else if (p->stop_reason < 4)
		return stop[p->stop_reason];
	else
		snprintf(buf, len, "reason 0x%02x data 0x%02x",
		    p->stop_reason, p->stop_data);
	return buf;
}

static void
dump_ping(const struct scamper_ping *p)
{
	char buf[64];
	const char *m = scamper_ping_method_tostr(p->probe_method);

	printf("ping from %s to %s\n", wd_addr(&p->src), wd_addr(&p->dst));
	wd_list_cycle(p->list, p->cycle);
	printf(" user-id: %u\n", p->userid);
	printf(" start: %s %06lu\n", wd_when(p->start.tv_sec),
	    (unsigned long)p->start.tv_usec);
	printf(" probe-count: %u", p->probe_count);
	if (p->reply_count != 0)
		printf(", replies-req: %u", p->reply_count);
	printf(", size: %u, wait: %u", p->probe_size, p->probe_wait);
	if (p->probe_wait_us != 0) {
		char us[16];
		size_t n;

		snprintf(us, sizeof(us), "%06u", p->probe_wait_us);
		for (n = strlen(us); n > 1 && us[n - 1] == '0'; n--)
			us[n - 1] = '\0';
		printf(".%s", us);
	}
	printf(", timeout: %u, ttl: %u\n", p->probe_timeout, p->probe_ttl);
	if (p->flags & 0x1ff) {
		static const char *pf[] = { "v4rr", "spoof", "payload",
		    "tsonly", "tsandaddr", "icmpsum", "dl", "tbt", "nosrc" };
		int first = 1;

		printf(" flags:");
		for (unsigned i = 0; i < 9; i++) {
			if (p->flags & (1U << i)) {
				printf("%s %s", first ? "" : ",", pf[i]);
				first = 0;
			}
		}
		printf("\n");
	}
	printf(" method: %s", m != NULL ? m : "?");
	if (scamper_ping_method_is_tcp(p->probe_method) ||
	    scamper_ping_method_is_udp(p->probe_method))
		printf(", %ssport: %u, %s %u", p->probe_method ==
		    SCAMPER_PING_METHOD_TCP_ACK_SPORT ? "base-" : "",
		    p->probe_sport, p->probe_method ==
		    SCAMPER_PING_METHOD_UDP_DPORT ? "base-dport" : "dport:",
		    p->probe_dport);
	if (scamper_ping_method_is_tcp(p->probe_method))
		printf(", seq: %u, ack: %u", p->probe_tcpseq, p->probe_tcpack);
	if (p->flags & SCAMPER_PING_FLAG_ICMPSUM)
		printf(", icmp-csum: %04x", p->probe_icmpsum);
	printf("\n");
	if (p->probe_datalen > 0 && p->probe_data != NULL) {
		printf(" %s bytes (%u): ", (p->flags & SCAMPER_PING_FLAG_PAYLOAD) ?
		    "payload" : "pattern", p->probe_datalen);
		for (uint16_t i = 0; i < p->probe_datalen; i++)
			printf("%02x", p->probe_data[i]);
		printf("\n");
	}
	if (p->tsps != NULL) {
		printf(" timestamp-prespec:");
		for (uint8_t i = 0; i < p->tspsc; i++)
			printf(" %s", wd_addr(&p->tsps[i]));
		printf("\n");
	}
	printf(" probes-sent: %u, stop-reason: %s\n", p->ping_sent,
	    ping_stop(p, buf, sizeof(buf)));
	for (uint16_t i = 0; i < p->replyc; i++)
		dump_ping_reply(p, &p->replies[i]);
	printf("\n");
}

/* ---- records --------------------------------------------------------- */

static void
dump_obj(uint16_t type, const void *obj)
{
	const struct scamper_cycle *c = obj;
	const struct scamper_list *l = obj;
	const struct scamper_file_raw *raw = obj;

	switch (type) {
	case SCAMPER_FILE_OBJ_LIST:
		/* the monitor is shown in the measurements' list lines */
		printf("list id %u, name %s", l->id, l->name);
		if (l->descr != NULL)
			printf(", descr \"%s\"", l->descr);
		printf("\n");
		break;
	case SCAMPER_FILE_OBJ_CYCLE_START:
	case SCAMPER_FILE_OBJ_CYCLE_DEF:
	case SCAMPER_FILE_OBJ_CYCLE_STOP:
		printf("cycle %s, list %s %u, cycle %u, time %s\n",
		    type == SCAMPER_FILE_OBJ_CYCLE_START ? "start" :
		    type == SCAMPER_FILE_OBJ_CYCLE_DEF ? "def" : "stop",
		    c->list != NULL ? c->list->name : "", c->list != NULL ?
		    c->list->id : 0, c->id, wd_when(type ==
		    SCAMPER_FILE_OBJ_CYCLE_STOP ? c->stop_time : c->start_time));
		break;
	case SCAMPER_FILE_OBJ_TRACE:
		dump_trace(obj);
		break;
	case SCAMPER_FILE_OBJ_PING:
		dump_ping(obj);
		break;
	case SCAMPER_FILE_OBJ_TRACELB:
		wd_tracelb(obj);
		break;
	case SCAMPER_FILE_OBJ_DEALIAS:
		wd_dealias(obj);
		break;
	case SCAMPER_FILE_OBJ_NEIGHBOURDISC:
		wd_neighbourdisc(obj);
		break;
	case SCAMPER_FILE_OBJ_TBIT:
		wd_tbit(obj);
		break;
	case SCAMPER_FILE_OBJ_STING:
		wd_sting(obj);
		break;
	case SCAMPER_FILE_OBJ_SNIFF:
		wd_sniff(obj);
		break;
	case SCAMPER_FILE_OBJ_HOST:
		wd_host(obj);
		break;
	case SCAMPER_FILE_OBJ_RAW:
		printf("record type %u, %u bytes (not decoded)\n\n", raw->type,
		    raw->len);
		break;
	}
}

/* One object, unless it is a neighbourdisc record in the padded form
 * CAIDA's 20211212 reader cannot read (its own writer made it), where
 * CAIDA's sc_wartsdump stops: so do we, saying why. */
static int
print(const char *path, uint16_t type, void *obj)
{
	if (type == SCAMPER_FILE_OBJ_NEIGHBOURDISC &&
	    ((struct scamper_neighbourdisc *)obj)->pad_bug) {
		fprintf(stderr, "sc_wartsdump: %s: neighbourdisc record in "
		    "scamper 20211212's padded form: stopping as CAIDA's "
		    "sc_wartsdump does\n", path);
		return 1;
	}
	dump_obj(type, obj);
	return 0;
}

int
main(int argc, char **argv)
{
	return wr_main("sc_wartsdump", NULL, argc, argv, print);
}
