/*
 * task.c: what a technique may ask of the core (task.h).
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "accessor.h"
#include "core_int.h"
#include "iftab.h"
#include "log.h"
#include "scamper_addr.h"
#include "scamper_list.h"

/* A task finished and freed a flow: the first held task goes back to the
 * front of its source's queue to try again. */
static void
release_held(struct core *c)
{
	struct task *t = TAILQ_FIRST(&c->held);

	if (t == NULL)
		return;
	TAILQ_REMOVE(&c->held, t, q);
	t->held = 0;
	TAILQ_INSERT_HEAD(&t->src->pending, t, q);
	t->src->npending++;
}

void *
task_state(const struct task *t)
{
	return task_state_of((struct task *)t);
}

struct task *
task_of_state(void *state)
{
	return (struct task *)(void *)((char *)state - TASK_STATE_OFF);
}

/* The task's number, unique in this process, from 1. */
ACCESSOR(task, uint32_t, task_id, id)

struct task_ext *
task_ext(struct task *t)
{
	if (t->x == NULL)
		t->x = calloc(1, sizeof(*t->x));
	return t->x;
}

void
task_ext_free(struct task *t)
{
	if (t->x == NULL)
		return;
	free(t->x->mr);
	free(t->x);
	t->x = NULL;
}

/* Unlink T's flows F[0..N). */
static void
flows_del(struct task *t, struct task_flowent *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		match_del(task_core(t)->mt, &f[i].e);
}

void
task_flows_del(struct task *t)
{
	match_del(task_core(t)->mt, &t->me);
	if (t->x != NULL && t->x->mr != NULL) {
		flows_del(t, t->x->mr, t->x->nmr);
		free(t->x->mr);
		t->x->mr = NULL;
		t->x->nmr = 0;
	}
}

static void
flow_entry(struct match_entry *e, int af, uint8_t proto, uint16_t id,
    const uint8_t *dst)
{
	memset(&e->key, 0, sizeof(e->key));
	e->key.af = (uint8_t)af;
	e->key.proto = proto;
	e->key.id = id;
	memcpy(e->key.dst, dst, af == AF_INET ? 4 : 16);
}

int
task_flow(struct task *t, int af, uint8_t proto, uint16_t id,
    const uint8_t *dst)
{
	task_flows_del(t);
	flow_entry(&t->me, af, proto, id, dst);
	t->me.tag = 0;
	return match_add(task_core(t)->mt, &t->me);
}

/* Link T's N flows F (keys set), leaving out a key given twice; all or
 * none.  They become T's (task_ext's mr), or F is freed.  Returns 0, or
 * -1 with errno as match_add(). */
static int
flows_link(struct task *t, struct task_flowent *f, size_t n)
{
	struct match_entry *old;
	size_t m = 0;
	int save;

	for (size_t i = 0; i < n; i++) {
		f[m] = f[i];	/* before it is linked: the table keeps it */
		f[m].e.tag = 1;
		f[m].t = t;
		if (match_add(task_core(t)->mt, &f[m].e) == 0) {
			m++;
			continue;
		}
		/* a key given twice: the first is already ours */
		save = errno;
		if (save == EEXIST && (old = match_find(task_core(t)->mt,
		    &f[m].e.key)) != NULL && task_of_entry(old) == t)
			continue;
		flows_del(t, f, m);
		free(f);
		errno = save;
		return -1;
	}
	t->x->mr = f;
	t->x->nmr = m;
	return 0;
}

int
task_flow_range(struct task *t, int af, uint8_t proto, uint16_t first,
    uint16_t count, const uint8_t *dst)
{
	struct task_flowent *f;

	if (count <= 1)
		return task_flow(t, af, proto, first, dst);
	task_flows_del(t);
	if (task_ext(t) == NULL || (f = calloc(count, sizeof(*f))) == NULL)
		return -1;
	for (uint16_t i = 0; i < count; i++)
		flow_entry(&f[i].e, af, proto, (uint16_t)(first + i), dst);
	return flows_link(t, f, count);
}

int
task_flows(struct task *t, const struct task_flowkey *k, size_t n)
{
	struct task_flowent *f;

	if (n == 0) {
		errno = EINVAL;
		return -1;
	}
	task_flows_del(t);
	if (task_ext(t) == NULL || (f = calloc(n, sizeof(*f))) == NULL)
		return -1;
	for (size_t i = 0; i < n; i++)
		flow_entry(&f[i].e, k[i].af, k[i].proto, k[i].id, k[i].dst);
	return flows_link(t, f, n);
}

void
task_want_probe(struct task *t)
{
	if (t->wants || t->finished)
		return;
	t->wants = 1;
	if (readyq_push(&task_core(t)->ready, t, &t->rslot) == -1)
		fatal("ready queue");
	core_kick(task_core(t));
}

int
task_send(struct task *t, const struct pkt_probe *p, struct stamp *tx,
    uint32_t tag)
{
	uint8_t buf[PKT_MAXLEN];
	size_t len = pkt_build(p, buf, sizeof(buf));
	int rc;

	if (len == 0) {
		errno = EINVAL;
		return -1;
	}
	task_core(t)->st.probes++;
	if (t->midx < CORE_NMETHODS)
		task_core(t)->st.probes_by_method[t->midx]++;
	/* counted first: a socket without timestamps reports at once */
	t->txwait++;
	if (t->x != NULL && t->x->dlu != NULL && (t->dl_want & TASK_DL_VIA))
		rc = CORE_IO(task_core(t), dl_send, t->x->dlu, buf, len, tx, t, tag);
	else if ((rc = tcpdl_send(t, buf, len, tx, tag)) != 0)
		rc = rc == 1 ? 0 : -1;
	else
		rc = CORE_IO(task_core(t), send, buf, len, tx, t, tag);
	if (rc == -1)
		t->txwait--;
	return rc;
}

uint32_t
task_rtt_us(struct task *t, struct stamp tx, struct stamp rx)
{
	int64_t ns = stamp_sub_ns(rx, tx), us;

	if (ns < 0) {
		task_core(t)->st.rtt_negative++;
		log_debug("%s %u: reply received %lld ns before its probe was "
		    "sent (tx %lld.%09lld, rx %lld.%09lld): both times kept",
		    task_m(t)->name, t->id, (long long)-ns,
		    (long long)(tx.ns / 1000000000),
		    (long long)(tx.ns % 1000000000),
		    (long long)(rx.ns / 1000000000),
		    (long long)(rx.ns % 1000000000));
	}
	us = stamp_ns_to_us(ns);
	return (uint32_t)(uint64_t)us;
}

void
task_timer(struct task *t, struct timer *tm, int64_t ms)
{
	/* a task that has finished is freed soon: a timer armed now (a
	 * technique going on after a send that finished it) would fire
	 * into freed memory */
	if (t->finished)
		return;
	/* the only failure is ENOMEM growing the heap: die rather than
	 * leave a task that never times out */
	if (loop_timer_after(task_core(t)->l, tm, ms) == -1)
		fatal("timer");
}

static void
on_probe_timer(void *arg)
{
	task_want_probe(arg);
}

void
task_probe_timer(struct task *t, struct timer *tm)
{
	timer_init(tm, on_probe_timer, t);
}

void
task_timer_cancel(struct task *t, struct timer *tm)
{
	loop_timer_cancel(task_core(t)->l, tm);
}

struct monotime
task_now(const struct task *t)
{
	return loop_now(task_core(t)->l);
}

struct timeval
task_walltime(const struct task *t)
{
	return loop_wall(task_core(t)->l);
}

struct scamper_cycle *
task_cycle(const struct task *t)
{
	return !task_orphaned(t) ? t->src->cycle : task_core(t)->cycle;
}

void
task_list_cycle(const struct task *t, struct scamper_list **list,
    struct scamper_cycle **cycle)
{
	struct scamper_cycle *c = task_cycle(t), *oldc = *cycle;
	struct scamper_list *oldl = *list;

	if (c == NULL)
		return;
	*cycle = scamper_cycle_use(c);
	*list = scamper_list_use(c->list);
	/* a start held for a busy flow runs again: no reference leaks */
	scamper_cycle_free(oldc);
	scamper_list_free(oldl);
}

int
task_addr_type(int af)
{
	return af == AF_INET ? SCAMPER_ADDR_IPV4 : SCAMPER_ADDR_IPV6;
}

uint8_t
task_ip_proto(int af, int udp, int tcp)
{
	if (udp)
		return IPPROTO_UDP;
	if (tcp)
		return IPPROTO_TCP;
	return af == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
}

uint16_t
task_default_sport(const struct task *t)
{
	return task_core(t)->sport;
}

uint32_t
task_pid(const struct task *t)
{
	return task_core(t)->pid;
}

uint32_t
task_random(const struct task *t)
{
	struct core *c = task_core(t);
	uint32_t v;

	if (c->conf.seed != 0) {
		/* seeded (a test): xorshift64*, the same every run */
		c->rng ^= c->rng >> 12;
		c->rng ^= c->rng << 25;
		c->rng ^= c->rng >> 27;
		return (uint32_t)((c->rng * 2685821657736338717ULL) >> 32);
	}
	if (c->nent == 0) {
		/* 256 bytes, getentropy's most per call */
		if (getentropy(c->ent, sizeof(c->ent)) == -1)
			return (c->pid ^ t->id) * 2654435761u;
		c->nent = sizeof(c->ent) / sizeof(c->ent[0]);
	}
	v = c->ent[--c->nent];
	c->ent[c->nent] = 0;	/* a value is handed out once */
	return v;
}

int
task_route_src(const struct task *t, int af, const uint8_t *dst,
    uint8_t *src)
{
	return CORE_IO(task_core(t), route_src, af, dst, src);
}

int
task_start_fail(char *err, size_t errlen, const char *what)
{
	int e = errno;

	snprintf(err, errlen, "%s: %s", what, strerror(e));
	errno = e;
	return -1;
}

void
task_dl_free(struct task *t)
{
	if (t->x == NULL)
		return;
	if (t->x->dlu != NULL)
		CORE_IO(task_core(t), dl_free, t->x->dlu);
	t->x->dlu = NULL;
}

int
task_ifmtu(const struct task *t, int af, const uint8_t *src, uint16_t *mtu)
{
	return CORE_IO(task_core(t), ifmtu, af, src, mtu);
}

/* The datalink of task ARG answered. */
static void
on_dl_ready(void *arg, int err, const char *why)
{
	struct task *t = arg;

	if (t->finished)
		return;
	t->dl_ready = err == 0;
	t->x->dl_readycb(t, err, why);
}

int
task_datalink(struct task *t, int want, int af, const uint8_t *dst,
    const uint8_t *rtr, task_dl_ready *ready, task_dl_sent *sent,
    char *err, size_t errlen)
{
	int dw = ((want & TASK_DL_VIA) ? IO_DL_VIA : 0) |
	    ((want & TASK_DL_TS) ? IO_DL_TS : 0);

	task_dl_free(t);
	t->dl_ready = 0;
	t->dl_want = (uint8_t)want;
	if (task_ext(t) == NULL) {
		snprintf(err, errlen, "out of memory");
		errno = ENOMEM;
		return -1;
	}
	t->x->dl_readycb = ready;
	t->x->dl_sentcb = sent;
	t->x->dl_framecb = NULL;
	if (task_core(t)->io.ops->dl_new == NULL) {
		snprintf(err, errlen, "no datalink in this network");
		errno = ENODEV;
		return -1;
	}
	/* a refusal's errno goes into its record (method->refused): a
	 * refusal that is no system call's (a router of ours, say) is
	 * EINVAL, not whatever errno held */
	errno = 0;
	if ((t->x->dlu = CORE_IO(task_core(t), dl_new, dw, af, dst, rtr, on_dl_ready, t,
	    err, errlen)) == NULL) {
		if (errno == 0)
			errno = EINVAL;
		return -1;
	}
	return 0;
}

int
task_reply_from_dl(const struct task *t)
{
	return task_core(t)->from_dl;
}

int
task_reply_fragid(const struct task *t, uint32_t *id)
{
	if (!task_core(t)->from_dl || task_core(t)->dl_fragid == NULL)
		return 0;
	*id = *task_core(t)->dl_fragid;
	return 1;
}

static void
iface_of(const struct iftab_if *f, struct task_iface *i)
{
	memset(i, 0, sizeof(*i));
	i->ifindex = f->ifindex;
	snprintf(i->name, sizeof(i->name), "%s", f->name);
	i->ether = f->kind == NEIGH_LINK_ETHER;
	memcpy(i->mac, f->mac, sizeof(i->mac));
	i->mtu = f->mtu;
}

int
task_iface_byname(const struct task *t, const char *name,
    struct task_iface *i)
{
	struct iftab_if f;

	if (task_core(t)->io.ops->if_byname == NULL) {
		errno = ENODEV;
		return -1;
	}
	if (CORE_IO(task_core(t), if_byname, name, &f) == -1)
		return -1;
	iface_of(&f, i);
	return 0;
}

int
task_iface_byaddr(const struct task *t, int af, const uint8_t *addr,
    struct task_iface *i)
{
	struct iftab_if f;

	if (task_core(t)->io.ops->if_byaddr == NULL) {
		errno = EADDRNOTAVAIL;
		return -1;
	}
	if (CORE_IO(task_core(t), if_byaddr, af, addr, &f) == -1)
		return -1;
	iface_of(&f, i);
	return 0;
}

int
task_iface_addr(const struct task *t, uint32_t ifindex, int af,
    const uint8_t *near, uint8_t *addr)
{
	if (task_core(t)->io.ops->if_addr == NULL) {
		errno = EADDRNOTAVAIL;
		return -1;
	}
	return CORE_IO(task_core(t), if_addr, ifindex, af, near, addr);
}

/* A frame for the tap of task ARG. */
static void
on_tap_frame(void *arg, const uint8_t *frame, size_t len, size_t linkhdr,
    const struct stamp *ts, int outgoing)
{
	struct task *t = arg;

	if (!t->finished && t->dl_ready && t->x->dl_framecb != NULL)
		t->x->dl_framecb(t, frame, len, linkhdr, ts, outgoing);
}

int
task_dl_tap(struct task *t, uint32_t ifindex, const char *expr, int send,
    task_frame_cb *frame, task_dl_ready *ready, char *err, size_t errlen)
{
	task_dl_free(t);
	t->dl_ready = 0;
	t->dl_want = 0;
	if (task_ext(t) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	t->x->dl_readycb = ready;
	t->x->dl_sentcb = NULL;
	t->x->dl_framecb = frame;
	if (task_core(t)->io.ops->dl_tap_new == NULL) {
		snprintf(err, errlen, "no datalink in this network");
		return -1;
	}
	if ((t->x->dlu = CORE_IO(task_core(t), dl_tap_new, ifindex, expr, send,
	    frame != NULL ? on_tap_frame : NULL, on_dl_ready, t, err,
	    errlen)) == NULL)
		return -1;
	return 0;
}

int
task_halt_error(const struct task *t)
{
	return task_core(t)->halt_err;
}

int
task_fw_needed(const struct task *t, const char *name, char *err,
    size_t errlen)
{
	if (task_core(t)->io.ops->fw_lease != NULL)
		return 0;
	snprintf(err, errlen, "needs the firewall, which keeps this host's "
	    "own TCP from resetting the connection %s makes: start scamper "
	    "with -F %s", name, SCAMPER_FW);
	return -1;
}

/* The firewall answered task ARG's lease. */
static void
on_fw_done(void *arg, int err, uint16_t sport)
{
	struct task *t = arg;

	if (t->finished)
		return;
	if (err != 0)
		task_fw_release(t);
	t->x->fw_readycb(t, err, sport);
}

int
task_fw_lease(struct task *t, int af, const uint8_t *src, const uint8_t *dst,
    uint16_t sport, uint16_t dport, task_fw_ready *ready)
{
	struct netio_fw_rule r;

	task_fw_release(t);
	if (task_core(t)->io.ops->fw_lease == NULL) {
		errno = EOPNOTSUPP;
		return -1;
	}
	memset(&r, 0, sizeof(r));
	r.af = af;
	memcpy(r.src, src, af == AF_INET ? 4 : 16);
	memcpy(r.dst, dst, af == AF_INET ? 4 : 16);
	r.sport = sport;
	r.dport = dport;
	if (task_ext(t) == NULL)
		return -1;
	t->x->fw_readycb = ready;
	if ((t->x->fwl = CORE_IO(task_core(t), fw_lease, &r, on_fw_done, t)) == NULL)
		return -1;
	return 0;
}

int
task_dl_send(struct task *t, const uint8_t *frame, size_t len,
    struct stamp *tx, uint32_t tag)
{
	if (t->x == NULL || t->x->dlu == NULL ||
	    task_core(t)->io.ops->dl_send_frame == NULL) {
		errno = ENOTCONN;
		return -1;
	}
	task_core(t)->st.probes++;
	t->txwait++;	/* counted first, as task_send does */
	if (CORE_IO(task_core(t), dl_send_frame, t->x->dlu, frame, len, tx, t, tag) ==
	    -1) {
		t->txwait--;
		return -1;
	}
	return 0;
}

void
task_fw_release(struct task *t)
{
	if (t->x == NULL || t->x->fwl == NULL)
		return;
	CORE_IO(task_core(t), fw_release, t->x->fwl);
	t->x->fwl = NULL;
}

void
task_result(struct task *t, uint16_t type, void *obj)
{
	t->result = obj;
	t->result_type = type;
}

void *
task_result_obj(const struct task *t)
{
	return t->result;
}

void
task_unrun(struct task *t)
{
	task_dl_free(t);
	tcpdl_free(t);
	task_fw_release(t);
	task_flows_del(t);
	task_core(t)->running--;
	TAILQ_REMOVE(&task_core(t)->running_q, t, q);
}

void
task_finish(struct task *t)
{
	struct core *c = task_core(t);

	if (t->finished)
		return;
	t->finished = 1;
	if (t->wants) {
		readyq_del(&c->ready, t);
		t->wants = 0;
	}
	task_unrun(t);
	TAILQ_INSERT_TAIL(&c->dead, t, q);
	loop_timer_after(c->l, &c->reap, 0);
	release_held(c);
	core_kick(c);
}
