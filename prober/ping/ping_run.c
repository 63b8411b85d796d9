/*
 * ping_run.c: the ping technique's probing: probe i leaves i waits (-i)
 * after the first; after the last the ping waits -W for replies and
 * ends, or ends as soon as -o probes have been answered (see m_ping.c
 * for the options and ping_int.h for the state).
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "ping_int.h"
#include "scamper_list.h"
#include "scamper_ping.h"
#include "task.h"
#include "wire.h"

int
ping_is_tcp(const struct ping_state *s)
{
	return scamper_ping_method_is_tcp(s->p->probe_method);
}

int
ping_is_udp(const struct ping_state *s)
{
	return scamper_ping_method_is_udp(s->p->probe_method);
}

static uint8_t
flow_proto(const struct ping_state *s)
{
	return task_ip_proto(s->af, ping_is_udp(s), ping_is_tcp(s));
}

void
ping_state_clear(void *state)
{
	struct ping_state *s = state;

	free(s->data);
	free(s->probes);
	free(s->got);
}

/* ---- finishing -------------------------------------------------------- */

/* Replies in probe order, each probe's in arrival order (stable). */
static void
sort_replies(struct scamper_ping *p)
{
	struct scamper_ping_reply tmp;

	for (uint16_t i = 1; i < p->replyc; i++) {
		uint16_t j = i;

		if (p->replies[j - 1].probe_id <= p->replies[j].probe_id)
			continue;
		tmp = p->replies[i];
		while (j > 0 && p->replies[j - 1].probe_id > tmp.probe_id) {
			p->replies[j] = p->replies[j - 1];
			j--;
		}
		p->replies[j] = tmp;
	}
}

void
ping_finish(struct ping_state *s, uint8_t reason, uint8_t data)
{
	if (s->phase == PHASE_DONE)
		return;
	s->phase = PHASE_DONE;
	task_timer_cancel(s->task, &s->next);
	task_timer_cancel(s->task, &s->wait);
	s->p->stop_reason = reason;
	s->p->stop_data = data;
	s->p->ping_sent = s->sent;
	sort_replies(s->p);
	task_finish(s->task);
}

/* ---- building probes -------------------------------------------------- */

/* Milliseconds since midnight UTC, as ICMP and IP timestamps count. */
static uint32_t
ms_of_day(const struct ping_state *s)
{
	struct timeval tv = task_walltime(s->task);

	return (uint32_t)((tv.tv_sec % 86400) * 1000 + tv.tv_usec / 1000);
}

/* The payload of probe IDX into PAY (LEN bytes, the whole payload):
 * [-C fix bytes] [ICMP timestamps] [our address] [data or pattern]. */
static void
build_payload(const struct ping_state *s, uint8_t *pay, size_t len)
{
	const struct scamper_ping *p = s->p;
	size_t off = 0, alen = s->af == AF_INET ? 4 : 16;

	memset(pay, 0, len);
	if (p->flags & SCAMPER_PING_FLAG_ICMPSUM)
		off += 2;
	if (p->probe_method == SCAMPER_PING_METHOD_ICMP_TIME) {
		wire_set_be32(pay + off, ms_of_day(s));
		off += 12;
	}
	if (p->flags & SCAMPER_PING_FLAG_SPOOF) {
		memcpy(pay + off, s->realsrc, alen);
		off += alen;
	}
	if (s->datalen == 0)
		return;
	if (p->flags & SCAMPER_PING_FLAG_PAYLOAD) {
		memcpy(pay + off, s->data, s->datalen);
		return;
	}
	for (size_t i = 0; off + i < len; i++)
		pay[off + i] = s->data[i % s->datalen];
}

static void
build_tcp(const struct ping_state *s, struct pkt_probe *pp, uint16_t idx)
{
	const struct scamper_ping *p = s->p;

	pp->tcp_win = 65535;
	pp->tcp_seq = p->probe_tcpseq;
	switch (p->probe_method) {
	case SCAMPER_PING_METHOD_TCP_SYN:
		pp->tcp_flags = 0x02;
		pp->tcp_seq = p->probe_tcpseq + idx;
		break;
	case SCAMPER_PING_METHOD_TCP_RST:
		pp->tcp_flags = 0x04;
		pp->tcp_seq = p->probe_tcpseq + idx;
		break;
	case SCAMPER_PING_METHOD_TCP_SYNACK:
		pp->tcp_flags = 0x12;
		pp->tcp_ack = p->probe_tcpack + idx;
		break;
	case SCAMPER_PING_METHOD_TCP_ACK:
		pp->tcp_flags = 0x10;
		pp->tcp_ack = p->probe_tcpack + idx;
		break;
	case SCAMPER_PING_METHOD_TCP_ACK_SPORT:
		pp->tcp_flags = 0x10;
		pp->tcp_ack = p->probe_tcpack;
		pp->sport = (uint16_t)(p->probe_sport + idx);
		break;
	}
}

/* Fill PP for probe IDX with its payload in PAY (PAYLEN bytes). */
static void
build_probe(const struct ping_state *s, struct pkt_probe *pp, uint16_t idx,
    uint8_t *pay, size_t paylen)
{
	const struct scamper_ping *p = s->p;

	memset(pp, 0, sizeof(*pp));
	pp->af = s->af;
	memcpy(pp->src, s->src, 16);
	memcpy(pp->dst, s->dst, 16);
	pp->proto = flow_proto(s);
	pp->ttl = p->probe_ttl;
	pp->tos = p->probe_tos;
	pp->ipid = (uint16_t)(s->ipid_base + idx);
	pp->df = 1;
	pp->ipopts = s->ipoptlen > 0 ? s->ipopts : NULL;
	pp->ipoptlen = s->ipoptlen;
	pp->size = p->probe_size;
	build_payload(s, pay, paylen);
	pp->payload = pay;
	pp->paylen = paylen;
	pp->sport = p->probe_sport;
	pp->dport = p->probe_dport;
	if (ping_is_tcp(s)) {
		build_tcp(s, pp, idx);
		return;
	}
	if (ping_is_udp(s)) {
		if (p->probe_method == SCAMPER_PING_METHOD_UDP_DPORT)
			pp->dport = (uint16_t)(p->probe_dport + idx);
		if (s->cksum_id) {
			pp->fix_cksum = 1;
			pp->cksum = (uint16_t)(idx + 1);
		}
		return;
	}
	if (s->af == AF_INET)
		pp->icmp_type = p->probe_method ==
		    SCAMPER_PING_METHOD_ICMP_TIME ? 13 : 8;
	else
		pp->icmp_type = 128;
	pp->icmp_id = p->probe_sport;
	pp->icmp_seq = (uint16_t)(s->seq_base + idx);
	if (p->flags & SCAMPER_PING_FLAG_ICMPSUM) {
		pp->fix_cksum = 1;
		pp->cksum = p->probe_icmpsum;
	}
}

/* The length of the probes' payload (after the L4 header). */
static size_t
payload_len(const struct ping_state *s)
{
	size_t hdr = (s->af == AF_INET ? 20 + s->ipoptlen : 40) +
	    (ping_is_tcp(s) ? 20 : 8);

	return s->p->probe_size - hdr;
}

/* ---- sending ---------------------------------------------------------- */

static void
on_wait(void *arg)
{
	struct ping_state *s = arg;

	ping_finish(s, SCAMPER_PING_STOP_COMPLETED, 0);
}

static int64_t
wait_ms(const struct scamper_ping *p)
{
	return (int64_t)p->probe_wait * 1000 + p->probe_wait_us / 1000;
}

int
ping_probe(struct task *task)
{
	struct ping_state *s = task_state(task);
	struct scamper_ping *p = s->p;
	struct pkt_probe pp;
	size_t paylen = payload_len(s);
	uint8_t buf[PING_STACKPAY], *pay = buf;
	uint16_t idx = s->sent;
	int rc, e;

	if (s->phase != PHASE_PROBING)
		return 0;
	/* a payload past the stack buffer (a large -s or -B) is the only
	 * allocation a probe makes */
	if (paylen > sizeof(buf) && (pay = malloc(paylen)) == NULL) {
		ping_finish(s, SCAMPER_PING_STOP_ERROR, ENOMEM);
		return 0;
	}
	build_probe(s, &pp, idx, pay, paylen);
	s->probes[idx].ipid = pp.ipid;
	s->probes[idx].sport = pp.sport;
	rc = task_send(task, &pp, &s->probes[idx].tx, idx);
	e = errno;
	if (pay != buf)
		free(pay);
	if (rc == -1) {
		log_debug("ping: send: %s", strerror(e));
		ping_finish(s, SCAMPER_PING_STOP_ERROR, (uint8_t)e);
		return 1;
	}
	s->sent++;
	p->ping_sent = s->sent;
	if (s->sent < p->probe_count)
		task_timer(task, &s->next, wait_ms(p));
	else {
		s->phase = PHASE_WAITING;
		task_timer(task, &s->wait, (int64_t)p->probe_timeout * 1000);
	}
	return 1;
}

/* ---- starting --------------------------------------------------------- */

/* Register the task's flow: tcp-ack-sport uses one port per probe
 * (sport, sport+1, ...), every one registered so that a reply arriving
 * after later probes went out still finds the task. */
static int
flow_try(struct ping_state *s)
{
	struct scamper_ping *p = s->p;

	if (p->probe_method == SCAMPER_PING_METHOD_TCP_ACK_SPORT)
		return task_flow_range(s->task, s->af, IPPROTO_TCP,
		    p->probe_sport, p->probe_count, s->dst);
	return task_flow(s->task, s->af, flow_proto(s), p->probe_sport,
	    s->dst);
}

/* Register the task's flow; a busy one moves to the next free id or
 * port unless the user chose it (-F). */
static int
ping_flow(struct ping_state *s, int user_port, char *err, size_t errlen)
{
	struct scamper_ping *p = s->p;

	for (int tries = 0; flow_try(s) == -1; tries++) {
		if (errno != EEXIST || user_port || tries == 1000) {
			int e = errno;

			snprintf(err, errlen, "flow busy: %s%s", strerror(e),
			    user_port && e == EEXIST ? " (another task uses "
			    "this -F to this target)" : "");
			errno = e;	/* EEXIST: held (core.c) */
			return -1;
		}
		if (ping_is_tcp(s) || ping_is_udp(s))
			p->probe_sport = (uint16_t)(((p->probe_sport + 1) &
			    0x7fff) | 0x8000);
		else
			p->probe_sport++;
	}
	return 0;
}

int
ping_start(struct task *task, char *err, size_t errlen)
{
	struct ping_state *s = task_state(task);
	struct scamper_ping *p = s->p;
	int spoof = (p->flags & SCAMPER_PING_FLAG_SPOOF) != 0;
	static const uint8_t any[16];

	/* what a refusal's record needs comes first (ping_refused): the
	 * source stays unspecified until the route gives it */
	task_probe_timer(task, &s->next);
	timer_init(&s->wait, on_wait, s);
	task_list_cycle(task, &p->list, &p->cycle);
	p->start = task_walltime(task);
	scamper_addr_set(&p->src, task_addr_type(s->af), any);
	scamper_addr_set(&p->dst, task_addr_type(s->af), s->dst);
	if (s->have_src && !spoof)
		memcpy(s->realsrc, s->src, 16);
	else if (task_route_src(task, s->af, s->dst, s->realsrc) == -1)
		return task_start_fail(err, errlen, "no route to the target");
	if (!s->have_src)
		memcpy(s->src, s->realsrc, 16);
	scamper_addr_set(&p->src, task_addr_type(s->af), s->src);
	s->tcp_datalen = ping_is_tcp(s) ? (uint32_t)payload_len(s) : 0;
	s->cksum_id = s->af == AF_INET6 && ping_is_udp(s) &&
	    s->fixlen == 0 && s->datalen == 0 && payload_len(s) >= 2;
	/* (a start held for a busy flow runs again: allocated once) */
	if ((s->probes == NULL && (s->probes = calloc(p->probe_count,
	    sizeof(*s->probes))) == NULL) || (s->got == NULL &&
	    (s->got = calloc(p->probe_count, 1)) == NULL))
		return task_start_fail(err, errlen, "probe records");
	if (ping_flow(s, s->user_sport, err, errlen) == -1)
		return -1;
	s->phase = PHASE_PROBING;
	if (s->dlts)
		/* probing starts when the datalink is ready */
		return task_datalink(task, TASK_DL_TS, s->af, s->dst, NULL,
		    ping_dl_ready, ping_dl_sent, err, errlen);
	task_want_probe(task);
	return 0;
}

int
ping_sent(struct task *task, uint32_t idx, int err, const struct stamp *tx,
    enum stamp_src src)
{
	struct ping_state *s = task_state(task);
	struct ping_probe *pr;

	if (idx == PING_TAG_PTB)
		return 0;		/* -M's PTB: no probe, no time kept */
	if (err != 0) {
		ping_finish(s, SCAMPER_PING_STOP_ERROR, (uint8_t)err);
		return 0;
	}
	if (idx >= s->sent)
		return 0;
	pr = &s->probes[idx];
	/* the datalink's time stands; a time a reply was measured
	 * against stays, so its RTT and its send time agree */
	if (pr->txf & (PING_TX_DL | PING_TX_ANSWERED))
		return 0;
	pr->tx = *tx;
	if (src == STAMP_KERNEL)
		pr->txf |= PING_TX_KERNEL;
	return 1;
}

void
ping_refused(struct task *task, int err)
{
	ping_finish(task_state(task), SCAMPER_PING_STOP_ERROR, (uint8_t)err);
}

void
ping_halt(struct task *task)
{
	int err = task_halt_error(task);

	if (err != 0)
		ping_finish(task_state(task), SCAMPER_PING_STOP_ERROR,
		    (uint8_t)err);
	else
		ping_finish(task_state(task), SCAMPER_PING_STOP_HALTED, 0);
}
