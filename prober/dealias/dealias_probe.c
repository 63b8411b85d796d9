/*
 * dealias_probe.c: what every dealias method shares: building and
 * sending probes, the flows replies come back on, which probe a reply
 * answers, recording it, the Packet Too Big that makes an IPv6 target
 * fragment its replies (so they carry an identification), timers and
 * finishing.  See dealias_int.h for how a probe is named.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dealias_int.h"
#include "log.h"
#include "pkt.h"
#include "scamper_dealias.h"
#include "scamper_list.h"
#include "task.h"

#define TAG_PTB		UINT32_MAX	/* task_send tag of a PTB */
#define INV257		65281u		/* 257 * 65281 = 1 mod 65536 */

static int
alen(int af)
{
	return af == AF_INET ? 4 : 16;
}

void
dealias_state_clear(void *state)
{
	struct dealias_state *s = state;

	if (s->ops != NULL && s->ops->free != NULL)
		s->ops->free(s->ms);
	else
		free(s->ms);
	free(s->defs);
	free(s->seen);
}

/* ---- finishing and timers ------------------------------------------ */

void
dealias_finish(struct dealias_state *s, uint8_t result)
{
	if (s->phase == DEALIAS_DONE)
		return;
	s->phase = DEALIAS_DONE;
	task_timer_cancel(s->task, &s->t_probe);
	task_timer_cancel(s->task, &s->t_wait);
	s->d->result = result;
	task_finish(s->task);
}

static void
on_wait_timer(void *arg)
{
	struct dealias_state *s = arg;

	if (s->phase == DEALIAS_DONE)
		return;
	if (s->ops->timeout != NULL)
		s->ops->timeout(s);
	else
		dealias_finish(s, SCAMPER_DEALIAS_RESULT_NONE);
}

void
dealias_next(struct dealias_state *s, int64_t ms)
{
	if (s->phase == DEALIAS_DONE)
		return;
	task_timer_cancel(s->task, &s->t_probe);
	if (ms <= 0)
		task_want_probe(s->task);
	else
		task_timer(s->task, &s->t_probe, ms);
}

void
dealias_wait(struct dealias_state *s, int64_t ms)
{
	if (s->phase == DEALIAS_DONE)
		return;
	task_timer_cancel(s->task, &s->t_wait);
	task_timer(s->task, &s->t_wait, ms);
}

void
dealias_wait_cancel(struct dealias_state *s)
{
	task_timer_cancel(s->task, &s->t_wait);
}

/* ---- probe definitions and flows ------------------------------------ */

static uint8_t
def_proto(int af, uint8_t method)
{
	return task_ip_proto(af, scamper_dealias_probedef_is_udp(method),
	    scamper_dealias_probedef_is_tcp(method));
}

/* Nonzero for the methods whose source port changes with each probe. */
static int
sport_varies(uint8_t method)
{
	return method == SCAMPER_DEALIAS_PROBEDEF_METHOD_TCP_ACK_SPORT ||
	    method == SCAMPER_DEALIAS_PROBEDEF_METHOD_TCP_SYN_SPORT;
}

/* The id (source port or ICMP id) of definition PD. */
static uint16_t
def_id(const struct scamper_dealias_probedef *pd)
{
	return scamper_dealias_probedef_is_icmp(pd->method) ? pd->icmp_id :
	    pd->sport;
}

/* How many ids definition DEF's probes use. */
static uint32_t
def_span(const struct dealias_state *s, uint32_t def)
{
	uint32_t n;

	if (!sport_varies(s->d->defs[def].method) || s->ops->maxseq == NULL)
		return 1;
	n = s->ops->maxseq(s, def);
	return n == 0 ? 1 : n > 65536 ? 65536 : n;
}

/* The flows of every definition into a new array; *N gets their
 * number.  NULL on allocation failure. */
static struct task_flowkey *
flow_keys(const struct dealias_state *s, size_t *n)
{
	const struct scamper_dealias *d = s->d;
	struct task_flowkey *k;
	size_t total = 0, j = 0;

	for (uint32_t i = 0; i < d->defc; i++)
		total += def_span(s, i);
	if ((k = calloc(total, sizeof(*k))) == NULL)
		return NULL;
	for (uint32_t i = 0; i < d->defc; i++) {
		const struct scamper_dealias_probedef *pd = &d->defs[i];
		uint32_t c = def_span(s, i);

		for (uint32_t x = 0; x < c; x++, j++) {
			k[j].af = s->af;
			k[j].proto = s->defs[i].proto;
			k[j].id = (uint16_t)(def_id(pd) + x);
			memcpy(k[j].dst, pd->dst.addr, 16);
		}
	}
	*n = total;
	return k;
}

/* Give every definition without a port of the user's the id ID. */
static void
set_auto_ids(struct dealias_state *s, uint16_t id)
{
	for (uint32_t i = 0; i < s->d->defc; i++) {
		struct scamper_dealias_probedef *pd = &s->d->defs[i];

		if (s->defs[i].user_sport)
			continue;
		if (scamper_dealias_probedef_is_icmp(pd->method))
			pd->icmp_id = id;
		else
			pd->sport = id;
	}
}

int
dealias_flows(struct dealias_state *s, char *err, size_t errlen)
{
	struct task_flowkey *k;
	size_t n = 0;
	int rc, tries = 0;

	for (;;) {
		if ((k = flow_keys(s, &n)) == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		rc = task_flows(s->task, k, n);
		free(k);
		if (rc == 0)
			return 0;
		if (errno != EEXIST || s->user_sport || ++tries == 1000) {
			snprintf(err, errlen, "flow busy: %s%s", strerror(errno),
			    s->user_sport && errno == EEXIST ? " (another task "
			    "uses this port to this address)" : "");
			return -1;
		}
		s->base_id = (uint16_t)(((s->base_id + 1) & 0x7fff) | 0x8000);
		set_auto_ids(s, s->base_id);
	}
}

/* Make room for definition number N in both arrays. */
static int
defs_room(struct dealias_state *s, uint32_t n)
{
	struct scamper_dealias *d = s->d;
	struct scamper_dealias_probedef *pd;
	struct dealias_def *sd;
	uint32_t cap;

	if (n < s->defcap)
		return 0;
	for (cap = s->defcap < 8 ? 8 : s->defcap; cap <= n; cap *= 2)
		;
	if ((pd = realloc(d->defs, cap * sizeof(*pd))) == NULL)
		return -1;
	d->defs = pd;
	if ((sd = realloc(s->defs, cap * sizeof(*sd))) == NULL)
		return -1;
	memset(sd + s->defcap, 0, (cap - s->defcap) * sizeof(*sd));
	s->defs = sd;
	s->defcap = cap;
	return 0;
}

int
dealias_defs_init(struct dealias_state *s, const int *user_sport)
{
	uint32_t n = s->d->defc;

	if (defs_room(s, n) == -1)
		return -1;
	for (uint32_t i = 0; i < n; i++) {
		s->defs[i].user_sport = (uint8_t)(user_sport != NULL &&
		    user_sport[i]);
		s->defs[i].proto = def_proto(s->af, s->d->defs[i].method);
	}
	return 0;
}

int
dealias_def_add(struct dealias_state *s, uint32_t tmpl, const uint8_t *dst)
{
	struct scamper_dealias *d = s->d;
	uint32_t n = d->defc;
	char err[128];

	if (defs_room(s, n) == -1) {
		log_warnx("dealias: out of memory");
		dealias_finish(s, SCAMPER_DEALIAS_RESULT_NONE);
		return -1;
	}
	d->defs[n] = d->defs[tmpl];
	d->defs[n].id = n;
	scamper_addr_set(&d->defs[n].dst, task_addr_type(s->af), dst);
	s->defs[n] = s->defs[tmpl];
	s->defs[n].nsent = 0;
	s->defs[n].primed = 0;
	s->defs[n].ptb = 0;
	d->defc++;
	if (dealias_flows(s, err, sizeof(err)) == -1) {
		log_warnx("dealias: %s", err);
		d->defc--;
		dealias_finish(s, SCAMPER_DEALIAS_RESULT_NONE);
		return -1;
	}
	return (int)n;
}

/* ---- building and sending probes ------------------------------------ */

static uint16_t
probe_ipid(uint32_t k)
{
	return (uint16_t)(0xffff - 257u * k);
}

/* The total size of a probe of definition PD (its -s, or the least). */
static size_t
probe_size(const struct dealias_state *s,
    const struct scamper_dealias_probedef *pd)
{
	size_t ip = s->af == AF_INET ? 20 : 40;

	if (pd->size != 0)
		return pd->size;
	if (scamper_dealias_probedef_is_tcp(pd->method))
		return ip + 20;
	return ip + 8 + 2;
}

/* Fill PP for probe K, the SEQth of definition DEF. */
static void
build(const struct dealias_state *s, uint32_t def, uint32_t k, uint32_t seq,
    struct pkt_probe *pp, uint8_t *pay, size_t paylen)
{
	const struct scamper_dealias_probedef *pd = &s->d->defs[def];

	memset(pp, 0, sizeof(*pp));
	memset(pay, 0, paylen);
	pp->af = s->af;
	memcpy(pp->src, pd->src.addr, 16);
	memcpy(pp->dst, pd->dst.addr, 16);
	pp->proto = s->defs[def].proto;
	pp->ttl = pd->ttl;
	pp->tos = pd->tos;
	pp->ipid = probe_ipid(k);
	pp->df = 1;
	pp->size = probe_size(s, pd);
	pp->payload = pay;
	pp->paylen = paylen;
	pp->sport = pd->sport;
	pp->dport = pd->dport;
	switch (pd->method) {
	case SCAMPER_DEALIAS_PROBEDEF_METHOD_ICMP_ECHO:
		pp->icmp_type = s->af == AF_INET ? 8 : 128;
		pp->icmp_id = pd->icmp_id;
		pp->icmp_seq = (uint16_t)k;
		if (pd->icmp_csum != 0) {
			pp->fix_cksum = 1;
			pp->cksum = pd->icmp_csum;
		}
		break;
	case SCAMPER_DEALIAS_PROBEDEF_METHOD_UDP_DPORT:
		pp->dport = (uint16_t)(pd->dport + seq);
		/* FALLTHROUGH */
	case SCAMPER_DEALIAS_PROBEDEF_METHOD_UDP:
		if (s->af == AF_INET6) {
			pp->fix_cksum = 1;
			pp->cksum = (uint16_t)(k % 65535 + 1);
		}
		break;
	case SCAMPER_DEALIAS_PROBEDEF_METHOD_TCP_ACK_SPORT:
		pp->sport = (uint16_t)(pd->sport + seq);
		/* FALLTHROUGH */
	case SCAMPER_DEALIAS_PROBEDEF_METHOD_TCP_ACK:
		pp->tcp_flags = 0x10;
		pp->tcp_seq = s->tcp_base ^ 0x5a5a5a5a;
		pp->tcp_ack = s->tcp_base + k;
		pp->tcp_win = 65535;
		break;
	case SCAMPER_DEALIAS_PROBEDEF_METHOD_TCP_SYN_SPORT:
		pp->sport = (uint16_t)(pd->sport + seq);
		pp->tcp_flags = 0x02;
		pp->tcp_seq = s->tcp_base + k;
		pp->tcp_win = 65535;
		break;
	}
}

/* Make room for probe K in the result. */
static int
probes_room(struct dealias_state *s, uint32_t k)
{
	struct scamper_dealias_probe *p;
	uint32_t *seen, cap;

	if (k < s->probecap)
		return 0;
	if (k >= DEALIAS_MAXPROBES) {
		errno = E2BIG;
		return -1;
	}
	cap = s->probecap < 16 ? 16 : s->probecap * 2;
	if ((p = realloc(s->d->probes, cap * sizeof(*p))) == NULL)
		return -1;
	s->d->probes = p;
	if ((seen = realloc(s->seen, cap * sizeof(*seen))) == NULL)
		return -1;
	s->seen = seen;
	s->probecap = cap;
	return 0;
}

int
dealias_send(struct dealias_state *s, uint32_t def)
{
	struct scamper_dealias *d = s->d;
	struct dealias_def *sd = &s->defs[def];
	struct scamper_dealias_probe *p;
	struct pkt_probe pp;
	struct stamp tx;
	uint8_t pay[PKT_MAXLEN];
	uint32_t k = d->probec;
	size_t hdr = (s->af == AF_INET ? 20 : 40) +
	    (s->defs[def].proto == IPPROTO_TCP ? 20 : 8);

	if (probes_room(s, k) == -1) {
		log_warnx("dealias: %s", errno == E2BIG ? "too many probes" :
		    "out of memory");
		dealias_finish(s, SCAMPER_DEALIAS_RESULT_NONE);
		return -1;
	}
	build(s, def, k, sd->nsent, &pp, pay,
	    probe_size(s, &d->defs[def]) - hdr);
	p = &d->probes[k];
	memset(p, 0, sizeof(*p));
	p->def = def;
	p->seq = sd->nsent;
	if (s->af == AF_INET)
		p->ipid = pp.ipid;
	s->seen[k] = 0;
	if (task_send(s->task, &pp, &tx, k) == -1) {
		log_debug("dealias: send: %s", strerror(errno));
		dealias_finish(s, SCAMPER_DEALIAS_RESULT_NONE);
		return -1;
	}
	p->tx = stamp_tv(tx);
	d->probec++;
	sd->nsent++;
	sd->last = k;
	return (int)k;
}

int
dealias_sent(struct task *t, uint32_t tag, int err, const struct stamp *tx,
    enum stamp_src src)
{
	struct dealias_state *s = task_state(t);

	(void)src;
	if (tag == TAG_PTB || s->phase == DEALIAS_DONE)
		return 0;
	if (err != 0) {
		log_debug("dealias: send: %s", strerror(err));
		dealias_finish(s, SCAMPER_DEALIAS_RESULT_NONE);
		return 0;
	}
	/* a probe already answered keeps the time its reply followed */
	if (tag >= s->d->probec || s->seen[tag] != 0)
		return 0;
	s->d->probes[tag].tx = stamp_tv(*tx);
	return 1;
}

/* ---- which probe a reply answers ------------------------------------ */

/* Nonzero if probe K exists and went to ADDR with protocol PROTO. */
static int
probe_is(const struct dealias_state *s, uint32_t k, const uint8_t *addr,
    uint8_t proto)
{
	const struct scamper_dealias_probedef *pd;

	if (k >= s->d->probec)
		return 0;
	pd = &s->d->defs[s->d->probes[k].def];
	return s->defs[pd->id].proto == proto &&
	    memcmp(pd->dst.addr, addr, (size_t)alen(s->af)) == 0;
}

/* The latest probe whose number is LOW modulo MOD, or UINT32_MAX. */
static uint32_t
latest_mod(const struct dealias_state *s, uint32_t low, uint32_t mod)
{
	uint32_t n = s->d->probec;

	if (n == 0 || low >= mod)
		return UINT32_MAX;
	if (low > n - 1)
		return UINT32_MAX;
	return low + ((n - 1 - low) / mod) * mod;
}

/* The latest probe of a definition that goes to ADDR with PROTO and
 * id ID (for replies that carry nothing else), or UINT32_MAX. */
static uint32_t
latest_to(const struct dealias_state *s, const uint8_t *addr, uint8_t proto,
    uint16_t id)
{
	uint32_t best = UINT32_MAX;

	for (uint32_t i = 0; i < s->d->defc; i++) {
		const struct scamper_dealias_probedef *pd = &s->d->defs[i];
		uint16_t first = def_id(pd);

		if (s->defs[i].nsent == 0 || s->defs[i].proto != proto ||
		    memcmp(pd->dst.addr, addr, (size_t)alen(s->af)) != 0)
			continue;
		if (sport_varies(pd->method) ?
		    (uint16_t)(id - first) >= s->defs[i].nsent : id != first)
			continue;
		if (best == UINT32_MAX || s->defs[i].last > best)
			best = s->defs[i].last;
	}
	return best;
}

/* The probe a TCP segment from the target answers (by the number it
 * acknowledges or echoes), or UINT32_MAX. */
static uint32_t
tcp_probe(const struct dealias_state *s, uint8_t flags, uint32_t seq,
    uint32_t ack)
{
	uint32_t k = (flags & 0x02) || (flags & 0x14) == 0x14 ?
	    ack - 1 - s->tcp_base : seq - s->tcp_base;

	return k < s->d->probec ? k : UINT32_MAX;
}

static uint32_t
quote_probe(const struct dealias_state *s, const struct pkt_quote *q)
{
	uint32_t k;

	if (q->af == AF_INET) {
		uint16_t sw = (uint16_t)(q->ipid << 8 | q->ipid >> 8);

		k = latest_mod(s, ((0xffffu - q->ipid) * INV257) & 0xffff,
		    65536);
		if (probe_is(s, k, q->dst, q->proto) &&
		    s->d->probes[k].ipid == q->ipid)
			return k;
		k = latest_mod(s, ((0xffffu - sw) * INV257) & 0xffff, 65536);
		if (probe_is(s, k, q->dst, q->proto) &&
		    s->d->probes[k].ipid == sw)
			return k;
	}
	if (q->l4len >= 8 && (q->proto == IPPROTO_ICMP ||
	    q->proto == IPPROTO_ICMPV6)) {
		k = latest_mod(s, q->icmp_seq, 65536);
		if (probe_is(s, k, q->dst, q->proto))
			return k;
	}
	if (q->l4len >= 8 && q->proto == IPPROTO_UDP && q->af == AF_INET6 &&
	    q->l4cksum != 0) {
		k = latest_mod(s, (uint32_t)q->l4cksum - 1, 65535);
		if (probe_is(s, k, q->dst, q->proto))
			return k;
	}
	if (q->l4len >= 8 && q->proto == IPPROTO_TCP &&
	    (k = tcp_probe(s, 0x02, q->tcp_seq + 1, q->tcp_seq + 1)) !=
	    UINT32_MAX && probe_is(s, k, q->dst, q->proto) &&
	    s->d->defs[s->d->probes[k].def].method ==
	    SCAMPER_DEALIAS_PROBEDEF_METHOD_TCP_SYN_SPORT)
		return k;
	return latest_to(s, q->dst, q->proto, q->proto == IPPROTO_ICMP ||
	    q->proto == IPPROTO_ICMPV6 ? q->icmp_id : q->sport);
}

/* The probe reply R answers, or UINT32_MAX. */
static uint32_t
reply_probe(const struct dealias_state *s, const struct pkt_reply *r)
{
	uint32_t k;

	if (r->has_quote)
		return quote_probe(s, &r->q);
	switch (r->proto) {
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if (r->icmp_type != (r->af == AF_INET ? 0 : 129))
			return UINT32_MAX;
		k = latest_mod(s, r->icmp_seq, 65536);
		return probe_is(s, k, r->src, r->proto) ? k : UINT32_MAX;
	case IPPROTO_TCP:
		k = tcp_probe(s, r->tcp_flags, r->tcp_seq, r->tcp_ack);
		if (k != UINT32_MAX && probe_is(s, k, r->src, r->proto))
			return k;
		return latest_to(s, r->src, r->proto, r->dport);
	}
	return UINT32_MAX;
}

/* ---- recording ------------------------------------------------------- */

static struct scamper_dealias_reply *
reply_add(struct scamper_dealias_probe *p)
{
	struct scamper_dealias_reply *v;

	if (p->replyc == UINT16_MAX ||
	    (v = realloc(p->replies, ((size_t)p->replyc + 1) * sizeof(*v))) ==
	    NULL)
		return NULL;
	p->replies = v;
	memset(&v[p->replyc], 0, sizeof(*v));
	return &v[p->replyc++];
}

static int
record(struct dealias_state *s, uint32_t k, const struct pkt_reply *r,
    const struct stamp *rx, struct scamper_dealias_reply **out)
{
	struct scamper_dealias_reply *rep;
	uint32_t fragid;

	if ((rep = reply_add(&s->d->probes[k])) == NULL)
		return -1;
	scamper_addr_set(&rep->src, task_addr_type(r->af), r->src);
	rep->rx = stamp_tv(*rx);
	rep->proto = r->proto;
	rep->ttl = r->ttl;
	if (r->af == AF_INET)
		rep->ipid = r->ipid;
	else if (task_reply_fragid(s->task, &fragid)) {
		rep->ipid32 = fragid;
		rep->flags |= SCAMPER_DEALIAS_REPLY_FLAG_IPID32;
	}
	if (r->proto == IPPROTO_TCP)
		rep->tcp_flags = r->tcp_flags;
	if (r->proto == IPPROTO_ICMP || r->proto == IPPROTO_ICMPV6) {
		rep->icmp_type = r->icmp_type;
		rep->icmp_code = r->icmp_code;
		if (r->has_quote)
			rep->icmp_q_ttl = r->q.ttl;
		if (r->ext != NULL && r->extlen > 0 && r->extlen <= UINT16_MAX &&
		    (rep->icmpext = malloc(r->extlen)) != NULL) {
			memcpy(rep->icmpext, r->ext, r->extlen);
			rep->icmpext_len = (uint16_t)r->extlen;
		}
	}
	s->seen[k]++;
	*out = rep;
	return 0;
}

/* IPv6 -M: a reply larger than the pseudo MTU that came whole makes us
 * send its sender a Packet Too Big, so that it fragments what it sends
 * us from now on (at most twice per definition). */
static void
maybe_ptb(struct dealias_state *s, uint32_t def, const struct pkt_reply *r,
    const struct scamper_dealias_reply *rep)
{
	struct dealias_def *sd = &s->defs[def];
	uint16_t mtu = s->d->defs[def].mtu;
	uint8_t quote[1280 - 48];
	struct pkt_probe pp;
	struct stamp tx;

	if (rep->flags & SCAMPER_DEALIAS_REPLY_FLAG_IPID32) {
		sd->primed = 1;
		return;
	}
	if (mtu == 0 || r->size <= mtu || sd->ptb >= 2 ||
	    pkt_ptb(r, mtu, &pp, quote, sizeof(quote)) == -1)
		return;
	if (task_send(s->task, &pp, &tx, TAG_PTB) == -1) {
		log_debug("dealias: PTB: %s", strerror(errno));
		return;
	}
	sd->ptb++;
}

void
dealias_reply(struct task *t, const struct pkt_reply *r,
    const struct stamp *rx)
{
	struct dealias_state *s = task_state(t);
	struct scamper_dealias_reply *rep;
	uint32_t k;

	if (s->phase == DEALIAS_DONE || r->af != s->af ||
	    (k = reply_probe(s, r)) == UINT32_MAX)
		return;
	if (record(s, k, r, rx, &rep) == -1) {
		log_warnx("dealias: out of memory");
		dealias_finish(s, SCAMPER_DEALIAS_RESULT_NONE);
		return;
	}
	if (s->af == AF_INET6)
		maybe_ptb(s, s->d->probes[k].def, r, rep);
	if (!s->priming)
		s->ops->reply(s, k, rep);
}

/* ---- what methods ask of a reply --------------------------------- */

const struct scamper_dealias_reply *
dealias_only_reply(const struct dealias_state *s, uint32_t p)
{
	const struct scamper_dealias_probe *pr = &s->d->probes[p];

	return pr->replyc == 1 ? &pr->replies[0] : NULL;
}

uint32_t
dealias_reply_ipid(const struct scamper_dealias_reply *rep)
{
	return (rep->flags & SCAMPER_DEALIAS_REPLY_FLAG_IPID32) ?
	    rep->ipid32 : rep->ipid;
}

int
dealias_reply_has_ipid(const struct dealias_state *s, uint32_t p,
    const struct scamper_dealias_reply *rep)
{
	if (rep->src.type == SCAMPER_ADDR_IPV6)
		return (rep->flags & SCAMPER_DEALIAS_REPLY_FLAG_IPID32) != 0;
	return rep->ipid != s->d->probes[p].ipid;
}

int
dealias_reply_usable(const struct dealias_state *s, uint32_t p,
    const struct scamper_dealias_reply *rep)
{
	const struct scamper_dealias_probedef *pd =
	    &s->d->defs[s->d->probes[p].def];
	int from_dst = scamper_addr_cmp(&rep->src, &pd->dst) == 0;

	switch (s->defs[pd->id].proto) {
	case IPPROTO_ICMP:
		return from_dst && rep->proto == IPPROTO_ICMP &&
		    rep->icmp_type == 0;
	case IPPROTO_ICMPV6:
		return from_dst && rep->proto == IPPROTO_ICMPV6 &&
		    rep->icmp_type == 129;
	case IPPROTO_UDP:
		if (s->af == AF_INET)
			return rep->proto == IPPROTO_ICMP &&
			    rep->icmp_type == 3 && rep->icmp_code == 3;
		return rep->proto == IPPROTO_ICMPV6 && rep->icmp_type == 1 &&
		    rep->icmp_code == 4;
	case IPPROTO_TCP:
		return from_dst && rep->proto == IPPROTO_TCP;
	}
	return 0;
}

int
dealias_sample(const struct dealias_state *s, uint32_t p,
    struct ipid_sample *out)
{
	const struct scamper_dealias_reply *rep = dealias_only_reply(s, p);

	if (rep == NULL || !dealias_reply_usable(s, p, rep) ||
	    !dealias_reply_has_ipid(s, p, rep))
		return 0;
	out->id = dealias_reply_ipid(rep);
	out->who = s->d->probes[p].def;
	return 1;
}

/* ---- the task's life ------------------------------------------------- */

/* Source addresses, and the result's header. */
static int
set_sources(struct dealias_state *s, char *err, size_t errlen)
{
	struct scamper_dealias *d = s->d;

	for (uint32_t i = 0; i < d->defc; i++) {
		struct scamper_dealias_probedef *pd = &d->defs[i];

		if (i > 0 && memcmp(pd->dst.addr, d->defs[i - 1].dst.addr,
		    16) == 0) {
			pd->src = d->defs[i - 1].src;
			continue;
		}
		if (task_route_src(s->task, s->af, pd->dst.addr, s->src) ==
		    -1) {
			char a[INET6_ADDRSTRLEN];
			int e = errno;

			inet_ntop(s->af, pd->dst.addr, a, sizeof(a));
			snprintf(err, errlen, "no route to %s: %s", a,
			    strerror(e));
			errno = e;
			return -1;
		}
		scamper_addr_set(&pd->src, task_addr_type(s->af), s->src);
	}
	return 0;
}

/* ---- IPv6: priming -------------------------------------------------- */

#define PRIME_ROUNDS	3

/* A priming probe to the next definition that needs one, or the end
 * of priming and the method's start.  Returns 1 if a probe went. */
static int
prime_probe(struct dealias_state *s)
{
	const struct scamper_dealias *d = s->d;
	int done = 1;

	for (;;) {
		for (uint32_t i = s->prime_pos; i < d->defc; i++) {
			if (d->defs[i].mtu == 0 || s->defs[i].primed)
				continue;
			s->prime_pos = i + 1;
			if (dealias_send(s, i) >= 0)
				dealias_next(s, s->wait_probe);
			return 1;
		}
		for (uint32_t i = 0; i < d->defc; i++)
			if (d->defs[i].mtu != 0 && !s->defs[i].primed)
				done = 0;
		s->prime_pos = 0;
		if (done || ++s->prime_round == PRIME_ROUNDS)
			break;
	}
	s->priming = 0;
	s->pbase = d->probec;
	s->ops->begin(s);
	return 0;
}

static void
on_dl_ready(struct task *t, int err, const char *why)
{
	struct dealias_state *s = task_state(t);

	if (s->phase == DEALIAS_DONE)
		return;
	if (err != 0) {
		log_warnx("dealias: %s", why);
		dealias_finish(s, SCAMPER_DEALIAS_RESULT_NONE);
		return;
	}
	s->priming = 1;
	dealias_next(s, 0);
}

int
dealias_start(struct task *t, char *err, size_t errlen)
{
	struct dealias_state *s = task_state(t);
	struct scamper_dealias *d = s->d;

	/* what a refusal's record needs comes first (dealias_refused) */
	task_probe_timer(t, &s->t_probe);
	timer_init(&s->t_wait, on_wait_timer, s);
	task_list_cycle(t, &d->list, &d->cycle);
	d->start = task_walltime(t);
	s->tcp_base = task_random(t);
	s->base_id = task_default_sport(t);
	set_auto_ids(s, s->base_id);
	if (set_sources(s, err, errlen) == -1 ||
	    dealias_flows(s, err, errlen) == -1)
		return -1;
	s->phase = DEALIAS_RUNNING;
	for (uint32_t i = 0; i < d->defc; i++)
		s->dl |= d->defs[i].mtu != 0;
	if (s->dl)
		/* fragment identifications come from the datalink */
		return task_datalink(t, TASK_DL_TS, s->af, d->defs[0].dst.addr,
		    NULL, on_dl_ready, NULL, err, errlen);
	if (s->ops->begin(s) == -1 && s->phase != DEALIAS_DONE) {
		snprintf(err, errlen, "%s", s->err);
		return -1;
	}
	return 0;
}

int
dealias_probe(struct task *t)
{
	struct dealias_state *s = task_state(t);

	if (s->phase == DEALIAS_DONE)
		return 0;
	if (s->priming)
		return prime_probe(s);
	return s->ops->probe(s);
}

void
dealias_refused(struct task *t, int err)
{
	static const uint8_t any[16];
	struct dealias_state *s = task_state(t);

	(void)err;	/* the result has no room for it: logged */
	for (uint32_t i = 0; i < s->d->defc; i++)
		if (s->d->defs[i].src.type == 0)	/* no route to it */
			scamper_addr_set(&s->d->defs[i].src,
			    task_addr_type(s->af), any);
	dealias_finish(s, SCAMPER_DEALIAS_RESULT_NONE);
}

void
dealias_halt(struct task *t)
{
	dealias_finish(task_state(t), SCAMPER_DEALIAS_RESULT_HALTED);
}
