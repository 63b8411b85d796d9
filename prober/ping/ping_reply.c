/*
 * ping_reply.c: the ping technique's replies: which probe a reply
 * answers, recording it as scamper does (TTL, IP IDs, size, ICMP
 * type/code, TCP flags, record route and timestamps, ICMP timestamps),
 * the -o stop, and the -M Packet Too Big.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pkt.h"
#include "ping_int.h"
#include "scamper_ping.h"
#include "task.h"

static int
alen(const struct ping_state *s)
{
	return s->af == AF_INET ? 4 : 16;
}

/* IDX if it names a probe sent, else -1. */
static int
valid(const struct ping_state *s, long idx)
{
	return idx >= 0 && idx < s->sent ? (int)idx : -1;
}

/* The most recent probe: for replies that carry no probe number. */
static int
latest(const struct ping_state *s)
{
	return s->sent > 0 ? s->sent - 1 : -1;
}

/* The probe an IPv4 IP ID names (some routers byte-swap it), or -1. */
static int
by_ipid(const struct ping_state *s, uint16_t ipid)
{
	uint16_t sw = (uint16_t)((ipid << 8) | (ipid >> 8));
	int i;

	if ((i = valid(s, (uint16_t)(ipid - s->ipid_base))) >= 0 &&
	    s->probes[i].ipid == ipid)
		return i;
	if ((i = valid(s, (uint16_t)(sw - s->ipid_base))) >= 0 &&
	    s->probes[i].ipid == sw)
		return i;
	return -1;
}

/* The probe a quoted packet is, or -1. */
static int
quote_index(const struct ping_state *s, const struct pkt_quote *q)
{
	const struct scamper_ping *p = s->p;
	int i;

	if (memcmp(q->dst, s->dst, (size_t)alen(s)) != 0)
		return -1;
	if (s->af == AF_INET && (i = by_ipid(s, q->ipid)) >= 0)
		return i;
	if (q->l4len < 8)
		return s->af == AF_INET ? -1 : latest(s);
	switch (p->probe_method) {
	case SCAMPER_PING_METHOD_ICMP_ECHO:
	case SCAMPER_PING_METHOD_ICMP_TIME:
		return valid(s, (uint16_t)(q->icmp_seq - s->seq_base));
	case SCAMPER_PING_METHOD_UDP_DPORT:
		return valid(s, (uint16_t)(q->dport - p->probe_dport));
	case SCAMPER_PING_METHOD_UDP:
		return s->cksum_id ? valid(s, (long)q->l4cksum - 1) :
		    latest(s);
	case SCAMPER_PING_METHOD_TCP_ACK_SPORT:
		return valid(s, (uint16_t)(q->sport - p->probe_sport));
	case SCAMPER_PING_METHOD_TCP_SYN:
	case SCAMPER_PING_METHOD_TCP_RST:
		return valid(s, (uint32_t)(q->tcp_seq - p->probe_tcpseq));
	}
	return latest(s);
}

/* The probe a TCP reply answers: a reset to an ACK carries the probe's
 * acknowledgment number as its sequence number; an answer to a SYN
 * acknowledges the SYN's sequence number + 1. */
static int
tcp_index(const struct ping_state *s, const struct pkt_reply *r)
{
	const struct scamper_ping *p = s->p;
	int i;

	switch (p->probe_method) {
	case SCAMPER_PING_METHOD_TCP_ACK_SPORT:
		return valid(s, (uint16_t)(r->dport - p->probe_sport));
	case SCAMPER_PING_METHOD_TCP_SYN:
		/* SYN data is acknowledged (closed port) or not (open) */
		if ((r->tcp_flags & 0x10) == 0)
			return latest(s);
		if ((i = valid(s, (uint32_t)(r->tcp_ack - 1 -
		    p->probe_tcpseq))) >= 0)
			return i;
		return valid(s, (uint32_t)(r->tcp_ack - 1 - s->tcp_datalen -
		    p->probe_tcpseq));
	case SCAMPER_PING_METHOD_TCP_ACK:
	case SCAMPER_PING_METHOD_TCP_SYNACK:
		return valid(s, (uint32_t)(r->tcp_seq - p->probe_tcpack));
	}
	return latest(s);
}

/* The probe R answers, or -1 if it answers none of ours. */
static int
reply_index(const struct ping_state *s, const struct pkt_reply *r)
{
	if (r->has_quote)
		return quote_index(s, &r->q);
	if (memcmp(r->src, s->dst, (size_t)alen(s)) != 0)
		return -1;
	switch (r->proto) {
	case IPPROTO_TCP:
		return ping_is_tcp(s) ? tcp_index(s, r) : -1;
	case IPPROTO_UDP:
		return ping_is_udp(s) ? latest(s) : -1;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if (ping_is_tcp(s) || ping_is_udp(s))
			return -1;
		if ((r->af == AF_INET && r->icmp_type != 0 &&
		    r->icmp_type != 14) ||
		    (r->af == AF_INET6 && r->icmp_type != 129))
			return -1;
		return valid(s, (uint16_t)(r->icmp_seq - s->seq_base));
	}
	return -1;
}

/* ---- recording -------------------------------------------------------- */

static void
record_rr(struct scamper_ping_reply *rep, const uint8_t *opts, size_t len)
{
	uint8_t a[PKT_RR_MAX * 4];
	int n = pkt_ipopt_get_rr(opts, len, a, PKT_RR_MAX);

	if (n <= 0 || (rep->v4rr = calloc((size_t)n, sizeof(*rep->v4rr))) ==
	    NULL)
		return;
	for (int i = 0; i < n; i++)
		scamper_addr_set(&rep->v4rr[i], SCAMPER_ADDR_IPV4, a + 4 * i);
	rep->v4rrc = (uint8_t)n;
}

static void
record_ts(struct scamper_ping_reply *rep, const uint8_t *opts, size_t len)
{
	struct pkt_ts ts;

	if (!pkt_ipopt_get_ts(opts, len, &ts) || ts.n == 0 ||
	    (rep->tsv = calloc((size_t)ts.n, sizeof(*rep->tsv))) == NULL)
		return;
	memcpy(rep->tsv, ts.ts, (size_t)ts.n * sizeof(*rep->tsv));
	rep->tsc = (uint8_t)ts.n;
	if (ts.flag == PKT_TS_TSONLY || (rep->tsaddr = calloc((size_t)ts.n,
	    sizeof(*rep->tsaddr))) == NULL)
		return;
	for (int i = 0; i < ts.n; i++)
		scamper_addr_set(&rep->tsaddr[i], SCAMPER_ADDR_IPV4,
		    ts.addr[i]);
	rep->tsaddrc = rep->tsc;
}

static int
record(struct ping_state *s, int idx, const struct pkt_reply *r,
    const struct stamp *rx)
{
	struct ping_probe *pr = &s->probes[idx];
	struct scamper_ping_reply *rep;
	const uint8_t *opts;
	size_t optlen;
	uint32_t fragid;

	if ((rep = scamper_ping_reply_add(s->p)) == NULL)
		return -1;
	scamper_addr_set(&rep->addr, task_addr_type(r->af), r->src);
	rep->probe_id = (uint16_t)idx;
	rep->flags = SCAMPER_PING_REPLY_FLAG_REPLY_TTL;
	rep->reply_ttl = r->ttl;
	rep->reply_size = r->size;
	rep->reply_proto = r->proto;
	if (r->af == AF_INET) {
		rep->flags |= SCAMPER_PING_REPLY_FLAG_REPLY_IPID |
		    SCAMPER_PING_REPLY_FLAG_PROBE_IPID;
		rep->reply_ipid = r->ipid;
		rep->probe_ipid = pr->ipid;
	} else if (task_reply_fragid(s->task, &fragid)) {
		/* -O dl: a fragmented IPv6 reply's identification */
		rep->flags |= SCAMPER_PING_REPLY_FLAG_REPLY_IPID;
		rep->reply_ipid32 = fragid;
	}
	rep->tx = stamp_tv(pr->tx);
	rep->rtt = task_rtt_us(s->task, pr->tx, *rx);
	pr->txf |= PING_TX_ANSWERED;
	if (r->proto == IPPROTO_TCP)
		rep->tcp_flags = r->tcp_flags;
	else if (r->proto == IPPROTO_ICMP || r->proto == IPPROTO_ICMPV6) {
		rep->icmp_type = r->icmp_type;
		rep->icmp_code = r->icmp_code;
		if (r->has_icmp_ts) {
			rep->has_tsreply = 1;
			rep->tso = r->icmp_tso;
			rep->tsr = r->icmp_tsr;
			rep->tst = r->icmp_tst;
		}
	}
	/* an ICMP error's options are those of our probe as it arrived,
	 * quoted (as scamper records them) */
	opts = r->has_quote ? r->q.ipopts : r->ipopts;
	optlen = r->has_quote ? r->q.ipoptlen : r->ipoptlen;
	if (opts != NULL) {
		record_rr(rep, opts, optlen);
		record_ts(rep, opts, optlen);
	}
	return 0;
}

void
ping_reply(struct task *task, const struct pkt_reply *r,
    const struct stamp *rx)
{
	struct ping_state *s = task_state(task);
	struct scamper_ping *p = s->p;
	uint32_t fragid;
	int idx;

	if (s->phase == PHASE_DONE || (idx = reply_index(s, r)) < 0)
		return;
	if (record(s, idx, r, rx) == -1) {
		ping_finish(s, SCAMPER_PING_STOP_ERROR, ENOMEM);
		return;
	}
	if (p->reply_pmtu != 0 && r->size > p->reply_pmtu && !s->ptb_sent)
		ping_send_ptb(s, r);
	if (!(s->got[idx] & GOT_REPLY)) {
		s->got[idx] |= GOT_REPLY;
		s->replied++;
	}
	if (s->tbt && !(s->got[idx] & GOT_FRAG) &&
	    task_reply_fragid(task, &fragid)) {
		s->got[idx] |= GOT_FRAG;
		s->fragged++;
	}
	if (p->reply_count != 0 &&
	    (s->tbt ? s->fragged : s->replied) >= p->reply_count)
		ping_finish(s, SCAMPER_PING_STOP_COMPLETED, 0);
}

/* ---- -M: Packet Too Big ---------------------------------------------- */

void
ping_send_ptb(struct ping_state *s, const struct pkt_reply *r)
{
	uint8_t quote[1280 - 48];
	struct pkt_probe pp;
	struct stamp tx;

	if (pkt_ptb(r, s->p->reply_pmtu, &pp, quote, sizeof(quote)) == -1)
		return;
	if (task_send(s->task, &pp, &tx, PING_TAG_PTB) == -1) {
		log_debug("ping: PTB: %s", strerror(errno));
		return;
	}
	s->ptb_sent = 1;
}

/* ---- -O dl: the datalink --------------------------------------------- */

void
ping_dl_ready(struct task *task, int err, const char *why)
{
	struct ping_state *s = task_state(task);
	char a[INET6_ADDRSTRLEN];

	if (s->phase == PHASE_DONE)
		return;
	if (err == 0) {
		task_want_probe(task);
		return;
	}
	if (inet_ntop(s->af, s->dst, a, sizeof(a)) == NULL)
		snprintf(a, sizeof(a), "?");
	log_warnx("ping %s: %s", a, why);
	ping_finish(s, SCAMPER_PING_STOP_ERROR, (uint8_t)err);
}

/* Our probe left: its timestamp on the datalink replaces the kernel's
 * transmit timestamp or the clock read before it was sent. */
int
ping_dl_sent(struct task *task, const struct pkt_reply *r,
    const struct stamp *ts)
{
	struct ping_state *s = task_state(task);
	struct ping_probe *pr;
	int idx;

	if (s->phase == PHASE_DONE || (idx = quote_index(s, &r->q)) < 0)
		return 0;
	pr = &s->probes[idx];
	if (pr->txf & (PING_TX_DL | PING_TX_ANSWERED))
		return 0;
	pr->tx = *ts;
	pr->txf |= PING_TX_DL;
	return 1;
}
