/*
 * harness.c: the in-process harness (see harness.h): a simulated clock,
 * a simulated network (struct core_io) over sc_netsim's simulator, and
 * the core between them.
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "accessor.h"
#include "core.h"
#include "harness.h"
#include "io.h"
#include "loop.h"
#include "methods.h"
#include "netsim.h"
#include "output.h"
#include "pkt.h"
#include "scamper_file.h"
#include "scamper_json.h"
#include "scamper_list.h"

#define MONO_BASE	1000000000000LL	/* the loop's clock at the start */

/* A packet to deliver to the prober at WHEN (ns after the start). */
struct hevent {
	int64_t		 when;
	uint64_t	 seq;		/* equal times: in the order made */
	uint8_t		*pkt;
	size_t		 len;
};

/* A probe queued in a pump pass (io batch). */
struct hqueued {
	uint8_t		*pkt;
	size_t		 len;
	void		*token;		/* NULL: forgotten */
	uint32_t	 tag;
};

/* A probe handed to the "kernel" whose transmit timestamp is still to
 * be reported (before the next reply, as netio does). */
struct hstamp {
	void		*token;
	uint32_t	 tag;
	struct stamp	 tx;
};

struct hprobe {
	uint8_t		*pkt;
	size_t		 len;
	int64_t		 tx;
};

struct hhalt {
	struct timer	 tm;
	struct harness	*h;
	int		 cmd;
};

/* A firewall lease (tbit, sting): answered from the loop. */
struct hlease {
	struct timer	 tm;
	struct harness	*h;
	struct netio_fw_rule rule;
	netio_fw_done	*done;
	void		*arg;
	uint16_t	 sport;		/* the port it holds */
	int		 err;
};

/* A task's datalink: ready from the loop. */
struct io_dl {
	struct timer	 tm;
	struct harness	*h;
	io_dl_ready	*ready;
	void		*arg;
	int		 err;
};

struct hresult {
	uint16_t	 type;
	void		*obj;
	char		*json;
};

struct harness {
	struct netsim		*sim;
	struct loop		*l;
	struct core		*c;
	struct core_src		*src;
	struct scamper_cycle	*cyc;
	struct output		*out;		/* a sink into RBUF */
	uint8_t			*rbuf;		/* the warts records written */
	size_t			 rlen, rcap;
	struct io_up		 up;
	int64_t			 now;		/* ns after the start */
	int			 idle;
	uint8_t			 src4[16], src6[16];
	uint32_t		 pps, pid;
	uint16_t		 ifmtu;
	harness_reply_fn	*reply_fn;
	void			*reply_arg;
	harness_probe_fn	*probe_fn;
	void			*probe_arg;
	uint32_t		 attempts;	/* probes asked to go out */
	uint32_t		 delivered;
	uint64_t		 evseq;

	struct hevent		*ev;		/* sorted by (when, seq) */
	size_t			 nev, evcap;
	struct hqueued		*q;
	size_t			 nq, qcap;
	struct hstamp		*st;		/* transmit timestamps due */
	size_t			 nst, stcap;
	int			 nostamp;	/* the kernel gives none */
	int64_t			 stamp_lag;	/* kernel stamp after the clock */
	struct io_ops		 ops;		/* harness_io and the settings */
	int			 fw_on, fw_err;
	uint16_t		 fw_next;	/* next port the firewall picks */
	uint32_t		 fw_leases, fw_held;
	struct netio_fw_rule	 fw_last;
	int			 dl_on, dl_err;
	const uint8_t		*rx_pkt;	/* the packet being delivered */
	size_t			 rx_len;
	struct stamp		 rx_ts;
	uint32_t		 dl_opened, dl_held;
	int			 batching;
	struct hprobe		*probes;
	size_t			 nprobes, probecap;
	size_t			 nsent;		/* probes sent, kept or not */
	int			 forget_probes;	/* keep no probe's bytes */
	struct task		**cmds;		/* NULL once done */
	size_t			 ncmds, cmdcap;
	struct hhalt		**halts;
	size_t			 nhalts;
	struct hresult		*res;
	size_t			 rescap;
	int			 nres;
	int			 res_loaded;
	char			 err[512];
};

static void *
grow(void *v, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap == 0 ? 16 : *cap;
	void *p;

	if (need <= *cap)
		return v;
	while (n < need)
		n *= 2;
	if ((p = realloc(v, n * size)) == NULL) {
		fprintf(stderr, "harness: out of memory\n");
		abort();
	}
	*cap = n;
	return p;
}

static uint8_t *
dup_bytes(const uint8_t *b, size_t len)
{
	uint8_t *p = malloc(len > 0 ? len : 1);

	if (p == NULL) {
		fprintf(stderr, "harness: out of memory\n");
		abort();
	}
	memcpy(p, b, len);
	return p;
}

/* ---- the clock -------------------------------------------------------- */

static struct monotime
clock_mono(void *arg)
{
	const struct harness *h = arg;

	return (struct monotime){ MONO_BASE + h->now };
}

static struct timeval
clock_wall(void *arg)
{
	const struct harness *h = arg;
	struct timeval tv;

	tv.tv_sec = (time_t)(HARNESS_EPOCH + h->now / HARNESS_S);
	tv.tv_usec = (suseconds_t)(h->now % HARNESS_S / 1000);
	return tv;
}

/* The wall clock as recorded times hold it (nanoseconds). */
static struct stamp
clock_stamp(const struct harness *h)
{
	return (struct stamp){ (int64_t)HARNESS_EPOCH * HARNESS_S + h->now };
}

/* ---- events ------------------------------------------------------------ */

static void
event_add(struct harness *h, int64_t when, const uint8_t *pkt, size_t len)
{
	size_t i;

	h->ev = grow(h->ev, &h->evcap, h->nev + 1, sizeof(*h->ev));
	/* after every event due at or before WHEN: stable order */
	for (i = h->nev; i > 0 && h->ev[i - 1].when > when; i--)
		;
	memmove(&h->ev[i + 1], &h->ev[i], (h->nev - i) * sizeof(*h->ev));
	h->ev[i].when = when;
	h->ev[i].seq = h->evseq++;
	h->ev[i].pkt = dup_bytes(pkt, len);
	h->ev[i].len = len;
	h->nev++;
}

/* Hand PKT to the core as the raw sockets would: IPv4 ICMP and TCP as
 * whole packets, IPv6 ICMPv6 and TCP without the IPv6 header (source,
 * destination and hop limit from the socket).  Anything else no socket
 * of the prober receives. */
static void stamps_report(struct harness *h);

static void deliver_raw(struct harness *h, const uint8_t *pkt, size_t len);

/* The datalink (if a task has one) sees PKT whole while it is delivered
 * (io_dl_seen). */
static void
deliver(struct harness *h, const uint8_t *pkt, size_t len)
{
	h->rx_pkt = pkt;
	h->rx_len = len;
	h->rx_ts = clock_stamp(h);
	deliver_raw(h, pkt, len);
	h->rx_pkt = NULL;
	h->rx_len = 0;
}

static void
deliver_raw(struct harness *h, const uint8_t *pkt, size_t len)
{
	struct pkt_reply full, r;
	struct stamp rx = clock_stamp(h);

	if (pkt_parse(pkt, len, &full) == -1)
		return;
	if (full.af == AF_INET) {
		if (full.proto != IPPROTO_ICMP && full.proto != IPPROTO_TCP)
			return;
		h->delivered++;
		stamps_report(h);
		h->up.reply(h->up.arg, &full, &rx);
		return;
	}
	if ((full.proto != IPPROTO_ICMPV6 && full.proto != IPPROTO_TCP) ||
	    full.l4 == NULL)
		return;
	memset(&r, 0, sizeof(r));
	r.af = AF_INET6;
	memcpy(r.src, full.src, 16);
	memcpy(r.dst, full.dst, 16);
	r.ttl = full.ttl;
	if ((full.proto == IPPROTO_ICMPV6 ?
	    pkt_parse_icmp6(full.l4, full.l4len, &r) :
	    pkt_parse_l4(IPPROTO_TCP, full.l4, full.l4len, &r)) == -1)
		return;
	r.size = (uint16_t)(full.l4len + 40);
	h->delivered++;
	stamps_report(h);
	h->up.reply(h->up.arg, &r, &rx);
}

/* Deliver every event due by now, earliest first. */
static void
deliver_due(struct harness *h)
{
	while (h->nev > 0 && h->ev[0].when <= h->now) {
		struct hevent e = h->ev[0];

		memmove(&h->ev[0], &h->ev[1], (h->nev - 1) * sizeof(*h->ev));
		h->nev--;
		deliver(h, e.pkt, e.len);
		free(e.pkt);
	}
}

/* ---- the network ------------------------------------------------------- */

/* PKT leaves now: log it, give it to the simulator, schedule its reply
 * as the reply hook says. */
static void
wire(struct harness *h, const uint8_t *pkt, size_t len, uint32_t no)
{
	static uint8_t buf[HARNESS_PKTMAX];
	struct netsim_reply nr;
	struct harness_pkt hp;

	h->nsent++;
	if (!h->forget_probes) {
		h->probes = grow(h->probes, &h->probecap, h->nprobes + 1,
		    sizeof(*h->probes));
		h->probes[h->nprobes].pkt = dup_bytes(pkt, len);
		h->probes[h->nprobes].len = len;
		h->probes[h->nprobes].tx = h->now;
		h->nprobes++;
	}
	if (netsim_input(h->sim, pkt, len, MONO_BASE + h->now, &nr) != 1)
		return;
	memset(&hp, 0, sizeof(hp));
	hp.probe = pkt;
	hp.probelen = len;
	hp.probe_no = no;
	hp.len = nr.len < sizeof(buf) ? nr.len : sizeof(buf);
	memcpy(buf, nr.pkt, hp.len);
	hp.pkt = buf;
	hp.delay_ns = nr.delay_ns;
	hp.copies = 1;
	if (h->reply_fn != NULL)
		h->reply_fn(h->reply_arg, &hp);
	if (hp.len > sizeof(buf))
		hp.len = sizeof(buf);
	for (int i = 0; i < hp.copies; i++)
		event_add(h, h->now + hp.delay_ns + i * hp.gap_ns, hp.pkt,
		    hp.len);
}

/* Probe TOKEN/TAG was handed to the kernel at TX: its timestamp (or
 * that none comes) is reported later, never from inside the send. */
static void
stamp_due(struct harness *h, void *token, uint32_t tag, struct stamp tx)
{
	if (token == NULL)
		return;
	h->st = grow(h->st, &h->stcap, h->nst + 1, sizeof(*h->st));
	h->st[h->nst].token = token;
	h->st[h->nst].tag = tag;
	h->st[h->nst].tx = tx;
	h->nst++;
}

/* Report every transmit timestamp due, in the order the probes left
 * (a report may send more probes: those wait for the next call). */
static void
stamps_report(struct harness *h)
{
	struct hstamp *v = h->st;
	size_t n = h->nst;

	if (n == 0)
		return;
	h->st = NULL;
	h->nst = h->stcap = 0;
	for (size_t i = 0; i < n; i++)
		h->up.sent(h->up.arg, v[i].token, v[i].tag, h->nostamp ?
		    NETIO_TX_NOSTAMP : NETIO_TX_STAMPED, 0, &v[i].tx);
	free(v);
}

/* The kernel's transmit timestamp of a probe sent at TX. */
static struct stamp
stamp_kernel(const struct harness *h, struct stamp tx)
{
	if (!h->nostamp)
		tx.ns += h->stamp_lag;
	return tx;
}

/* 0, or the errno the probe hook refuses probe NO with. */
static int
refused(struct harness *h, const uint8_t *pkt, size_t len, uint32_t no)
{
	return h->probe_fn != NULL ? h->probe_fn(h->probe_arg, pkt, len, no) :
	    0;
}

static int
io_attach(void *ctx, struct loop *l, const struct io_up *up)
{
	struct harness *h = ctx;

	h->up = *up;
	return 0;
}

static void
io_free(void *ctx)
{
	/* the harness owns itself */
}

static int
io_send(void *ctx, const uint8_t *pkt, size_t len, struct stamp *tx,
    void *token, uint32_t tag)
{
	struct harness *h = ctx;
	uint32_t no = h->attempts++;
	int err;

	*tx = clock_stamp(h);
	if (h->batching && token != NULL) {
		h->q = grow(h->q, &h->qcap, h->nq + 1, sizeof(*h->q));
		h->q[h->nq].pkt = dup_bytes(pkt, len);
		h->q[h->nq].len = len;
		h->q[h->nq].token = token;
		h->q[h->nq].tag = tag;
		h->nq++;
		return 0;
	}
	if ((err = refused(h, pkt, len, no)) != 0) {
		errno = err;
		return -1;
	}
	wire(h, pkt, len, no);
	stamp_due(h, token, tag, stamp_kernel(h, *tx));
	return 0;
}

/* The pump pass is over: its probes go out together, each refused at
 * once or reported SENT (its timestamp follows, as with netio). */
static void
io_batch(void *ctx, int on)
{
	struct harness *h = ctx;
	struct hqueued *q;
	size_t n;
	uint32_t first;

	if (on) {
		h->batching = 1;
		return;
	}
	h->batching = 0;
	q = h->q;
	n = h->nq;
	h->q = NULL;
	h->nq = h->qcap = 0;
	first = h->attempts - (uint32_t)n;
	for (size_t i = 0; i < n; i++) {
		struct stamp tx = clock_stamp(h);
		int err = refused(h, q[i].pkt, q[i].len, first + (uint32_t)i);

		if (err == 0) {
			wire(h, q[i].pkt, q[i].len, first + (uint32_t)i);
			stamp_due(h, q[i].token, q[i].tag,
			    stamp_kernel(h, tx));
		}
		if (q[i].token != NULL)
			h->up.sent(h->up.arg, q[i].token, q[i].tag, err == 0 ?
			    NETIO_TX_SENT : NETIO_TX_REFUSED, err, err == 0 ?
			    &tx : NULL);
		free(q[i].pkt);
	}
	free(q);
}

static int
io_blocked(void *ctx)
{
	return 0;
}

static int
io_forget(void *ctx, const void *token)
{
	struct harness *h = ctx;
	int n = 0;

	for (size_t i = 0; i < h->nq; i++)
		if (h->q[i].token == token) {
			h->q[i].token = NULL;
			n++;
		}
	return n;
}

static int
io_route_src(void *ctx, int af, const uint8_t *dst, uint8_t *src)
{
	struct harness *h = ctx;

	memcpy(src, af == AF_INET ? h->src4 : h->src6, 16);
	return 0;
}

static int
io_ifmtu(void *ctx, int af, const uint8_t *src, uint16_t *mtu)
{
	struct harness *h = ctx;

	*mtu = h->ifmtu;
	return 0;
}

/* ---- the firewall (harness_set_firewall) ------------------------------ */

static void
on_lease(void *arg)
{
	struct hlease *ls = arg;

	ls->done(ls->arg, ls->err, ls->sport);
}

static void *
io_fw_lease(void *ctx, const struct netio_fw_rule *r, netio_fw_done *done,
    void *arg)
{
	struct harness *h = ctx;
	struct hlease *ls = calloc(1, sizeof(*ls));

	if (ls == NULL)
		return NULL;
	ls->h = h;
	ls->rule = *r;
	ls->done = done;
	ls->arg = arg;
	ls->err = h->fw_err;
	ls->sport = r->sport != 0 ? r->sport : h->fw_next++;
	h->fw_last = *r;
	h->fw_leases++;
	h->fw_held++;
	timer_init(&ls->tm, on_lease, ls);
	loop_timer_after(h->l, &ls->tm, 0);
	return ls;
}

static void
io_fw_release(void *ctx, void *lease)
{
	struct harness *h = ctx;
	struct hlease *ls = lease;

	loop_timer_cancel(h->l, &ls->tm);
	h->fw_held--;
	free(ls);
}

/* ---- the datalink (harness_set_datalink) ------------------------------- */

static void
on_dl(void *arg)
{
	struct io_dl *d = arg;

	d->ready(d->arg, d->err, d->err != 0 ? strerror(d->err) : NULL);
}

static struct io_dl *
io_dl_new(void *ctx, int want, int af, const uint8_t *dst,
    const uint8_t *rtr, io_dl_ready *ready, void *arg, char *why,
    size_t whylen)
{
	struct harness *h = ctx;
	struct io_dl *d = calloc(1, sizeof(*d));

	if (d == NULL) {
		snprintf(why, whylen, "out of memory");
		return NULL;
	}
	d->h = h;
	d->ready = ready;
	d->arg = arg;
	d->err = h->dl_err;
	h->dl_opened++;
	h->dl_held++;
	timer_init(&d->tm, on_dl, d);
	loop_timer_after(h->l, &d->tm, 0);
	return d;
}

static void
io_dl_free(void *ctx, struct io_dl *d)
{
	struct harness *h = ctx;

	loop_timer_cancel(h->l, &d->tm);
	h->dl_held--;
	free(d);
}

/* A packet sent at layer 2 goes to the same simulated wire. */
static int
io_dl_send(void *ctx, struct io_dl *d, const uint8_t *pkt, size_t len,
    struct stamp *tx, void *token, uint32_t tag)
{
	return io_send(ctx, pkt, len, tx, token, tag);
}

/* A task with a datalink hears the reply being delivered there first,
 * whole (IPv6 headers included, as raw sockets never give them), with
 * the same time: delivered through up->frame, as the datalink does. */
static int
io_dl_seen(void *ctx, struct io_dl *d, const struct pkt_reply *r)
{
	struct harness *h = ctx;
	struct pkt_reply full;

	if (h->rx_pkt == NULL || d->err != 0 ||
	    pkt_parse(h->rx_pkt, h->rx_len, &full) == -1)
		return 0;
	return h->up.frame(h->up.arg, &full, &h->rx_ts, 0, NULL);
}

/* The datalink and firewall ops are added by the settings (core_up). */
static const struct io_ops harness_io = {
	.attach = io_attach,
	.free = io_free,
	.send = io_send,
	.batch = io_batch,
	.blocked = io_blocked,
	.forget = io_forget,
	.route_src = io_route_src,
	.ifmtu = io_ifmtu,
};

/* ---- the core ------------------------------------------------------------ */

static void
on_idle(void *arg)
{
	struct harness *h = arg;

	h->idle = 1;
}

static void
on_done(void *arg, struct task *t)
{
	struct harness *h = arg;

	for (size_t i = 0; i < h->ncmds; i++)
		if (h->cmds[i] == t)
			h->cmds[i] = NULL;
}

static const struct core_src_ops src_ops = { NULL, on_done };

/* The core wrote warts record BUF (LEN bytes): keep it. */
static int
on_record(void *arg, const void *buf, size_t len)
{
	struct harness *h = arg;

	h->rbuf = grow(h->rbuf, &h->rcap, h->rlen + len, 1);
	memcpy(h->rbuf + h->rlen, buf, len);
	h->rlen += len;
	h->res_loaded = 0;
	return 0;
}

/* Make the core (at the first command, after the settings). */
static int
core_up(struct harness *h)
{
	struct core_conf conf = { .pps = h->pps, .window = 0,
	    .methods = prober_methods, .pid = h->pid, .seed = 1 };
	struct core_io io = { &h->ops, h };
	struct scamper_list *list;

	if (h->c != NULL)
		return 0;
	h->ops = harness_io;
	if (h->fw_on) {
		h->ops.fw_lease = io_fw_lease;
		h->ops.fw_release = io_fw_release;
	}
	if (h->dl_on) {
		h->ops.dl_new = io_dl_new;
		h->ops.dl_free = io_dl_free;
		h->ops.dl_send = io_dl_send;
		h->ops.dl_seen = io_dl_seen;
	}
	if ((h->out = output_sink(OUTPUT_WARTS, on_record, h)) == NULL) {
		snprintf(h->err, sizeof(h->err), "out of memory");
		return -1;
	}
	if ((list = scamper_list_alloc(1, "harness", "harness", NULL)) ==
	    NULL || (h->cyc = scamper_cycle_alloc(list, 1, HARNESS_EPOCH,
	    "harness")) == NULL) {
		scamper_list_free(list);
		snprintf(h->err, sizeof(h->err), "out of memory");
		return -1;
	}
	scamper_list_free(list);
	if ((h->c = core_new_io(h->l, &conf, &io, h->out, h->cyc)) == NULL ||
	    (h->src = core_src_new(h->c, 1, h->out, h->cyc, &src_ops, h)) ==
	    NULL) {
		snprintf(h->err, sizeof(h->err), "core: %s", strerror(errno));
		return -1;
	}
	core_on_idle(h->c, on_idle, h);
	output_cycle_start(h->out, h->cyc);
	return 0;
}

struct harness *
harness_new(const char *topo, char *err, size_t errlen)
{
	return harness_new_sim(topo, NULL, err, errlen);
}

struct harness *
harness_new_sim(const char *topo, const struct harness_sim *sim, char *err,
    size_t errlen)
{
	struct harness *h = calloc(1, sizeof(*h));
	struct netsim_params p;
	struct loop_clock clk;

	if (h == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	netsim_params_default(&p);
	p.seed = 1;
	p.jitter_us = 0;
	if (sim != NULL) {
		p.seed = sim->seed;
		p.loss_ppm = (int)sim->loss_ppm;
		if (sim->delay_us > 0)
			p.delay_min_us = p.delay_max_us = (int)sim->delay_us;
	}
	if ((h->sim = netsim_parse(topo, strlen(topo), &p, err, errlen)) ==
	    NULL) {
		free(h);
		return NULL;
	}
	if ((h->l = loop_new(LOOP_POLL)) == NULL) {
		snprintf(err, errlen, "loop: %s", strerror(errno));
		harness_free(h);
		return NULL;
	}
	clk.mono = clock_mono;
	clk.wall = clock_wall;
	clk.arg = h;
	loop_set_clock(h->l, &clk);
	inet_pton(AF_INET, HARNESS_SRC4, h->src4);
	inet_pton(AF_INET6, HARNESS_SRC6, h->src6);
	h->pps = 10000;
	h->pid = 0x0123;	/* default port / ICMP id 0x8123 */
	h->ifmtu = 1500;
	h->fw_next = 40000;
	return h;
}

static void
results_free(struct harness *h)
{
	for (int i = 0; i < h->nres; i++) {
		scamper_file_obj_free(h->res[i].type, h->res[i].obj);
		free(h->res[i].json);
	}
	free(h->res);
	h->res = NULL;
	h->rescap = 0;
	h->nres = 0;
	h->res_loaded = 0;
}

void
harness_free(struct harness *h)
{
	if (h == NULL)
		return;
	core_free(h->c);
	for (size_t i = 0; i < h->nhalts; i++) {
		loop_timer_cancel(h->l, &h->halts[i]->tm);
		free(h->halts[i]);
	}
	free(h->halts);
	if (h->out != NULL)
		output_close(h->out);
	free(h->rbuf);
	scamper_cycle_free(h->cyc);
	loop_free(h->l);
	netsim_free(h->sim);
	for (size_t i = 0; i < h->nev; i++)
		free(h->ev[i].pkt);
	free(h->ev);
	for (size_t i = 0; i < h->nq; i++)
		free(h->q[i].pkt);
	free(h->q);
	free(h->st);
	for (size_t i = 0; i < h->nprobes; i++)
		free(h->probes[i].pkt);
	free(h->probes);
	free(h->cmds);
	results_free(h);
	free(h);
}

void
harness_set_pps(struct harness *h, uint32_t pps)
{
	h->pps = pps;
}

void
harness_set_pid(struct harness *h, uint32_t pid)
{
	h->pid = pid;
}

void
harness_set_ifmtu(struct harness *h, uint16_t mtu)
{
	h->ifmtu = mtu;
}

void
harness_set_nostamp(struct harness *h, int on)
{
	h->nostamp = on;
}

void
harness_set_forget_probes(struct harness *h, int on)
{
	h->forget_probes = on;
}

void
harness_set_stamp_lag(struct harness *h, int64_t ns)
{
	h->stamp_lag = ns;
}

void
harness_set_firewall(struct harness *h, int on, int err)
{
	h->fw_on = on;
	h->fw_err = err;
}

void
harness_set_datalink(struct harness *h, int on, int err)
{
	h->dl_on = on;
	h->dl_err = err;
}

void
harness_fw_stats(const struct harness *h, uint32_t *leases, uint32_t *held,
    struct netio_fw_rule *last)
{
	if (leases != NULL)
		*leases = h->fw_leases;
	if (held != NULL)
		*held = h->fw_held;
	if (last != NULL)
		*last = h->fw_last;
}

void
harness_dl_stats(const struct harness *h, uint32_t *opened, uint32_t *held)
{
	if (opened != NULL)
		*opened = h->dl_opened;
	if (held != NULL)
		*held = h->dl_held;
}

void
harness_on_reply(struct harness *h, harness_reply_fn *fn, void *arg)
{
	h->reply_fn = fn;
	h->reply_arg = arg;
}

void
harness_on_probe(struct harness *h, harness_probe_fn *fn, void *arg)
{
	h->probe_fn = fn;
	h->probe_arg = arg;
}

int
harness_command(struct harness *h, const char *cmd)
{
	struct task *t;

	if (core_up(h) == -1)
		return -1;
	if (core_src_command(h->src, cmd, "harness", &t, h->err,
	    sizeof(h->err)) == -1)
		return -1;
	h->cmds = grow(h->cmds, &h->cmdcap, h->ncmds + 1, sizeof(*h->cmds));
	h->cmds[h->ncmds] = t;
	return (int)h->ncmds++;
}

const char *
harness_error(const struct harness *h)
{
	return h->err;
}

int
harness_inject(struct harness *h, int64_t at_ns, const uint8_t *pkt,
    size_t len)
{
	event_add(h, at_ns, pkt, len);
	return 0;
}

static void
on_halt(void *arg)
{
	struct hhalt *a = arg;

	if ((size_t)a->cmd < a->h->ncmds && a->h->cmds[a->cmd] != NULL)
		core_task_halt(a->h->cmds[a->cmd]);
}

void
harness_halt_at(struct harness *h, int64_t at_ns, int cmd)
{
	struct hhalt *a = calloc(1, sizeof(*a)), **v;

	if (a == NULL || (v = realloc(h->halts, (h->nhalts + 1) *
	    sizeof(*v))) == NULL) {
		fprintf(stderr, "harness: out of memory\n");
		abort();
	}
	h->halts = v;
	h->halts[h->nhalts++] = a;
	a->h = h;
	a->cmd = cmd;
	timer_init(&a->tm, on_halt, a);
	loop_timer_at(h->l, &a->tm, (struct monotime){ MONO_BASE + at_ns });
}

/* Run what is due now: timers, then transmit stamps and replies. */
static void
run_due(struct harness *h)
{
	loop_run_due(h->l);
	stamps_report(h);
	deliver_due(h);
	stamps_report(h);
}

/* When the next thing happens (ns after the start), or INT64_MAX. */
static int64_t
next_when(const struct harness *h)
{
	struct monotime next = loop_next_due(h->l);
	int64_t when = next.ns == MONOTIME_MAX.ns ? INT64_MAX :
	    next.ns - MONO_BASE;

	if (h->nev > 0 && h->ev[0].when < when)
		when = h->ev[0].when;
	return when;
}

int
harness_run(struct harness *h, int64_t limit_ns)
{
	int64_t when;

	if (core_up(h) == -1)
		return -1;
	h->idle = core_idle(h->c);
	results_free(h);
	for (;;) {
		run_due(h);
		if ((when = next_when(h)) == INT64_MAX)
			break;		/* nothing more will happen */
		if (when > limit_ns) {
			snprintf(h->err, sizeof(h->err), "still running after "
			    "%lld ms", (long long)(limit_ns / HARNESS_MS));
			return -1;
		}
		if (when > h->now)
			h->now = when;
	}
	if (!h->idle || !core_idle(h->c)) {
		snprintf(h->err, sizeof(h->err), "nothing left to happen at "
		    "%lld ms, but the core is not idle",
		    (long long)(h->now / HARNESS_MS));
		return -1;
	}
	return 0;
}

int
harness_run_to(struct harness *h, int64_t at_ns)
{
	int64_t when;

	if (core_up(h) == -1)
		return -1;
	results_free(h);
	for (;;) {
		run_due(h);
		if ((when = next_when(h)) > at_ns)
			break;
		if (when > h->now)
			h->now = when;
	}
	if (at_ns > h->now)
		h->now = at_ns;
	return 0;
}

int
harness_step(struct harness *h)
{
	int64_t when;

	if (core_up(h) == -1)
		return -1;
	run_due(h);
	if ((when = next_when(h)) == INT64_MAX)
		return -1;
	return harness_run_to(h, when > h->now ? when : h->now);
}

int
harness_finished(const struct harness *h, int cmd)
{
	return cmd >= 0 && (size_t)cmd < h->ncmds && h->cmds[cmd] == NULL;
}

/* The simulator (its truth: netsim_truth_print, netsim_lbtruth_print). */
ACCESSOR(harness, struct netsim *, harness_netsim, sim)

/* Simulated time since the start, in nanoseconds. */
ACCESSOR(harness, int64_t, harness_now, now)

uint32_t
harness_nprobes(const struct harness *h)
{
	return (uint32_t)h->nsent;
}

const uint8_t *
harness_probe(const struct harness *h, uint32_t i, size_t *len,
    int64_t *tx_ns)
{
	if (i >= h->nprobes)
		return NULL;
	if (len != NULL)
		*len = h->probes[i].len;
	if (tx_ns != NULL)
		*tx_ns = h->probes[i].tx;
	return h->probes[i].pkt;
}

const void *
harness_cmd_array(const struct harness *h)
{
	return h->cmds;
}

uint32_t
harness_ndelivered(const struct harness *h)
{
	return h->delivered;
}

uint64_t
harness_unmatched(const struct harness *h)
{
	return h->c != NULL ? core_stats(h->c)->unmatched : 0;
}

/* A descriptor reading the warts records written so far, from the
 * start (in memory where the system allows: no file per run), or -1. */
static int
results_fd(const struct harness *h)
{
	FILE *tmp;
	int fd;
#ifdef __linux__
	if ((fd = memfd_create("harness", 0)) != -1) {
		if (write(fd, h->rbuf, h->rlen) == (ssize_t)h->rlen &&
		    lseek(fd, 0, SEEK_SET) == 0)
			return fd;
		close(fd);
		return -1;
	}
#endif
	if ((tmp = tmpfile()) == NULL)
		return -1;
	fd = -1;
	if (fwrite(h->rbuf, 1, h->rlen, tmp) != h->rlen || fflush(tmp) != 0 ||
	    (fd = dup(fileno(tmp))) == -1 || lseek(fd, 0, SEEK_SET) == -1) {
		if (fd != -1)
			close(fd);
		fd = -1;
	}
	fclose(tmp);
	return fd;
}

/* Read the results file (again) into h->res. */
static void
results_load(struct harness *h)
{
	struct scamper_file *f;
	uint16_t type;
	void *obj;
	int fd;

	if (h->res_loaded)
		return;
	results_free(h);
	h->res_loaded = 1;
	if ((fd = results_fd(h)) == -1 ||
	    (f = scamper_file_fdopen_read(fd)) == NULL) {
		fprintf(stderr, "harness: cannot read the results back\n");
		abort();
	}
	while (scamper_file_read(f, &type, &obj) == 1) {
		if (type == SCAMPER_FILE_OBJ_LIST ||
		    type == SCAMPER_FILE_OBJ_CYCLE_START ||
		    type == SCAMPER_FILE_OBJ_CYCLE_DEF ||
		    type == SCAMPER_FILE_OBJ_CYCLE_STOP) {
			scamper_file_obj_free(type, obj);
			continue;
		}
		h->res = grow(h->res, &h->rescap, (size_t)h->nres + 1,
		    sizeof(*h->res));
		h->res[h->nres].type = type;
		h->res[h->nres].obj = obj;
		h->res[h->nres].json = NULL;
		h->nres++;
	}
	scamper_file_close(f);
}

int
harness_nresults(struct harness *h)
{
	results_load(h);
	return h->nres;
}

static void *
result_of(struct harness *h, int i, uint16_t type)
{
	results_load(h);
	if (i < 0 || i >= h->nres || h->res[i].type != type)
		return NULL;
	return h->res[i].obj;
}

const void *
harness_result(struct harness *h, int i, uint16_t type)
{
	return result_of(h, i, type);
}

const void *
harness_need_result(struct harness *h, uint16_t type, const char *what)
{
	const void *r = result_of(h, 0, type);

	ck_assert_msg(r != NULL, "no %s result (%d results)", what,
	    harness_nresults(h));
	return r;
}

const struct scamper_trace *
harness_trace(struct harness *h, int i)
{
	return result_of(h, i, SCAMPER_FILE_OBJ_TRACE);
}

const struct scamper_ping *
harness_ping(struct harness *h, int i)
{
	return result_of(h, i, SCAMPER_FILE_OBJ_PING);
}

const char *
harness_json(struct harness *h, int i)
{
	results_load(h);
	if (i < 0 || i >= h->nres)
		return "(no such result)";
	if (h->res[i].json == NULL &&
	    scamper_json_obj(h->res[i].type, h->res[i].obj,
	    &h->res[i].json) == -1)
		return "(no JSON for this result)";
	return h->res[i].json;
}
