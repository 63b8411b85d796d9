/*
 * test_lb_task.c: the tracelb technique (method_tracelb: options, probes,
 * reply matching, timers, the result) without root or a network.  A fake
 * core defines the task_* calls of task.h with a fake clock; each probe
 * is built into bytes (pkt_build), answered by sc_netsim's simulator
 * (netsim_input, its library) on a topology with a 3-wide diamond, a
 * diamond holding an anonymous router, a 16-wide diamond, IPv4 and
 * IPv6, and the answer parsed back (pkt_parse) and delivered when due.
 * The links found are compared with the simulator's MDA truth
 * (netsim_lbtruth_print): every method, both families, 95% and 99%,
 * losses; a trace halted, out of probes or out of time is still a
 * result with its stop reason.  Send times are the ones the core gave
 * (a kernel time given later replaces the clock's); receive times the
 * ones it delivered replies at.  Everything is seeded: each run is the
 * same.  (When the suite's in-process harness lands on main, these
 * scenarios can move onto it.)
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "lb_int.h"
#include "method.h"
#include "netsim.h"
#include "pkt.h"
#include "scamper_file.h"
#include "scamper_tracelb.h"
#include "task.h"
#include "unit_main.h"

extern const struct method method_tracelb;
static const struct method *const M = &method_tracelb;

static const char topo[] =
    "router r1 addr 198.19.0.1\n"
    "router a1 addr 198.19.1.1\n"
    "router a2 addr 198.19.1.2\n"
    "router a3 addr 198.19.1.3\n"
    "lb d1 per-flow branch a1 branch a2 branch a3\n"
    "router m1 addr 198.19.0.3\n"
    "router b1 addr 198.19.2.1\n"
    "router s1 addr 198.19.2.2 anon\n"
    "lb d2 per-flow branch b1 branch s1\n"
    "router m2 addr 198.19.0.5\n"
    "router w1 addr 198.19.4.1\nrouter w2 addr 198.19.4.2\n"
    "router w3 addr 198.19.4.3\nrouter w4 addr 198.19.4.4\n"
    "router w5 addr 198.19.4.5\nrouter w6 addr 198.19.4.6\n"
    "router w7 addr 198.19.4.7\nrouter w8 addr 198.19.4.8\n"
    "router w9 addr 198.19.4.9\nrouter w10 addr 198.19.4.10\n"
    "router w11 addr 198.19.4.11\nrouter w12 addr 198.19.4.12\n"
    "router w13 addr 198.19.4.13\nrouter w14 addr 198.19.4.14\n"
    "router w15 addr 198.19.4.15\nrouter w16 addr 198.19.4.16\n"
    "lb d16 per-flow branch w1 branch w2 branch w3 branch w4 branch w5 "
    "branch w6 branch w7 branch w8 branch w9 branch w10 branch w11 "
    "branch w12 branch w13 branch w14 branch w15 branch w16\n"
    "router m3 addr 198.19.0.7\n"
    "path 198.18.0.0/24 r1 d1 m1 d2 m2 dest echo,udp,rst\n"
    "path 198.18.1.0/24 r1 d16 m3 dest echo,udp,rst\n"
    "router r61 addr 2001:db8:100::1\n"
    "router a61 addr 2001:db8:101::1\n"
    "router a62 addr 2001:db8:101::2\n"
    "router a63 addr 2001:db8:101::3\n"
    "lb d61 per-flow branch a61 branch a62 branch a63\n"
    "router m61 addr 2001:db8:100::3\n"
    "router b61 addr 2001:db8:102::1\n"
    "router s61 addr 2001:db8:102::2 anon\n"
    "lb d62 per-flow branch b61 branch s61\n"
    "router m62 addr 2001:db8:100::5\n"
    "path 2001:db8:ff::/64 r61 d61 m61 d62 m62 dest echo,udp,rst\n";

#define DST4	"198.18.0.9"
#define DST16	"198.18.1.9"
#define DST6	"2001:db8:ff::9"

/* ---- the fake core --------------------------------------------------------- */

struct task {
	void		*state;
	int		 finished;
};

#define MAXTM	8
#define MAXQ	8192
#define PKTMAX	512
#define WALL0	((int64_t)1700000000 * 1000000000)
#define KERNEL_NS	7000	/* a kernel stamp comes 7 us after the clock */

struct pending {
	int64_t		 due;
	size_t		 len;
	uint8_t		 pkt[PKTMAX];
};

static struct task T;
static struct netsim *sim;
static int64_t now_ns;			/* the fake clock, multiples of 10 us */
static int wants;
static uint32_t nsent, last_tag;
static int sent_pending;		/* a kernel stamp to give */
static struct timer *tms[MAXTM];
static int64_t tm_at[MAXTM];
static struct pending *q;		/* replies in flight */
static size_t qn;

void *task_state(const struct task *t) { return t->state; }
void task_want_probe(struct task *t) { (void)t; wants = 1; }
struct scamper_cycle *task_cycle(const struct task *t) { (void)t;
    return NULL; }
uint16_t task_default_sport(const struct task *t) { (void)t;
    return 0x8000 | 1234; }
uint32_t task_random(const struct task *t) { (void)t; return 0x5eed1234; }

int
task_flow(struct task *t, int af, uint8_t p, uint16_t id, const uint8_t *d)
{
	(void)t; (void)af; (void)p; (void)id; (void)d;
	return 0;
}

int
task_flow_range(struct task *t, int af, uint8_t p, uint16_t first,
    uint16_t count, const uint8_t *d)
{
	(void)t; (void)af; (void)p; (void)first; (void)count; (void)d;
	return 0;
}

struct monotime
task_now(const struct task *t)
{
	(void)t;
	return (struct monotime){ now_ns };
}

struct timeval
task_walltime(const struct task *t)
{
	(void)t;
	return stamp_tv((struct stamp){ WALL0 + now_ns });
}

int
task_route_src(const struct task *t, int af, const uint8_t *dst,
    uint8_t *src)
{
	(void)t; (void)dst;
	memset(src, 0, 16);
	inet_pton(af, af == AF_INET ? "192.0.2.1" : "2001:db8::1", src);
	return 0;
}

int
task_send(struct task *t, const struct pkt_probe *p, struct stamp *tx,
    uint32_t tag)
{
	uint8_t buf[PKTMAX];
	size_t len = pkt_build(p, buf, sizeof(buf));
	struct netsim_reply r;

	(void)t;
	ck_assert_uint_gt(len, 0);
	nsent++;
	last_tag = tag;
	sent_pending = 1;
	tx->ns = WALL0 + now_ns;
	if (netsim_input(sim, buf, len, now_ns, &r)) {
		ck_assert_uint_lt(qn, MAXQ);
		ck_assert_uint_le(r.len, PKTMAX);
		q[qn].due = now_ns + r.delay_ns;
		q[qn].len = r.len;
		memcpy(q[qn].pkt, r.pkt, r.len);
		qn++;
	}
	return 0;
}

void
task_timer(struct task *t, struct timer *tm, int64_t ms)
{
	int i, slot = -1;

	(void)t;
	for (i = 0; i < MAXTM && tms[i] != tm; i++)
		if (tms[i] == NULL && slot == -1)
			slot = i;
	if (i == MAXTM)
		i = slot;
	ck_assert_int_ge(i, 0);
	tms[i] = tm;
	tm_at[i] = now_ns + ms * 1000000;
}

void
task_timer_cancel(struct task *t, struct timer *tm)
{
	(void)t;
	for (int i = 0; i < MAXTM; i++)
		if (tms[i] == tm)
			tms[i] = NULL;
}

void
task_finish(struct task *t)
{
	t->finished = 1;
}

/* ---- driving it ---------------------------------------------------------- */

static void
sim_load(unsigned loss_ppm)
{
	struct netsim_params p;
	char err[256];

	netsim_params_default(&p);
	p.seed = 11;
	p.delay_min_us = p.delay_max_us = 500;
	p.jitter_us = 0;
	p.loss_ppm = (int)loss_ppm;
	sim = netsim_parse(topo, strlen(topo), &p, err, sizeof(err));
	ck_assert_msg(sim != NULL, "topology: %s", err);
	q = calloc(MAXQ, sizeof(*q));
	ck_assert_ptr_nonnull(q);
	qn = 0;
}

static void
sim_free(void)
{
	netsim_free(sim);
	sim = NULL;
	free(q);
	q = NULL;
}

/* Start command LINE on a fresh simulator losing LOSS_PPM of probes. */
static void
start(const char *line, unsigned loss_ppm)
{
	char buf[512], *argv[CMD_MAXARGS], err[256];
	struct cmd_args a;
	int argc;

	memset(&T, 0, sizeof(T));
	memset(tms, 0, sizeof(tms));
	wants = sent_pending = 0;
	nsent = 0;
	now_ns = 0;
	sim_load(loss_ppm);
	snprintf(buf, sizeof(buf), "%s", line);
	argc = cmd_split(buf, argv, CMD_MAXARGS, err, sizeof(err));
	ck_assert_int_gt(argc, 0);
	ck_assert_int_eq(cmd_getopts(M->opts, M->nopts, argc, argv, &a, err,
	    sizeof(err)), 0);
	T.state = M->alloc(&T, &a, err, sizeof(err));
	ck_assert_msg(T.state != NULL, "%s: %s", line, err);
	ck_assert_int_eq(M->start(&T, err, sizeof(err)), 0);
}

/* Deliver reply I of the queue (removed from it) now. */
static void
deliver(size_t i)
{
	struct pending p = q[i];
	struct pkt_reply r;
	struct stamp rx = { WALL0 + now_ns };

	q[i] = q[--qn];
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(pkt_parse(p.pkt, p.len, &r), 0);
	M->reply(&T, &r, &rx);
}

/* One step: a probe if one is wanted (then its kernel stamp), else the
 * earliest reply or timer.  Returns 0 when nothing is left to happen. */
static int
step(void)
{
	int64_t best = INT64_MAX;
	int bt = -1;
	size_t bq = MAXQ;

	if (wants) {
		wants = 0;
		if (M->probe(&T) == 1 && sent_pending && !T.finished) {
			struct stamp k = { WALL0 + now_ns + KERNEL_NS };

			sent_pending = 0;
			ck_assert_int_eq(M->sent(&T, last_tag, 0, &k,
			    STAMP_KERNEL), 1);
		}
		return 1;
	}
	for (size_t i = 0; i < qn; i++)
		if (q[i].due < best) {
			best = q[i].due;
			bq = i;
		}
	for (int i = 0; i < MAXTM; i++)
		if (tms[i] != NULL && tm_at[i] <= best) {
			best = tm_at[i];
			bt = i;
			bq = MAXQ;
		}
	if (bq == MAXQ && bt == -1)
		return 0;
	if (best > now_ns)
		now_ns = best;
	if (bq != MAXQ)
		deliver(bq);
	else {
		struct timer *tm = tms[bt];

		tms[bt] = NULL;
		tm->cb(tm->arg);
	}
	return 1;
}

/* Run until the trace ends, HALT_AT probes sent (then halt it; 0: no). */
static const struct scamper_tracelb *
run(uint32_t halt_at)
{
	const struct scamper_tracelb *t;
	uint16_t type = 0;

	for (int n = 0; !T.finished && n < 10000000; n++) {
		if (halt_at != 0 && nsent >= halt_at) {
			M->halt(&T);
			break;
		}
		ck_assert_msg(step(), "the trace stalled after %u probes",
		    nsent);
	}
	ck_assert(T.finished);
	t = M->result(&T, &type);
	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(type, SCAMPER_FILE_OBJ_TRACELB);
	return t;
}

static void
done(void)
{
	M->free_state(T.state);
	T.state = NULL;
	sim_free();
}

/* ---- scoring --------------------------------------------------------------- */

#define MAXL	64

struct linkset {
	char	 l[MAXL][96];
	int	 n;
};

static void
add(struct linkset *s, const char *from, const char *to, int hops)
{
	ck_assert_int_lt(s->n, MAXL);
	snprintf(s->l[s->n++], sizeof(s->l[0]), "%s>%s/%d", from, to, hops);
}

static int
has(const struct linkset *s, const char *l)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->l[i], l) == 0)
			return 1;
	return 0;
}

/* The simulator's truth for DST probed with PROTO. */
static void
truth(const char *dst, const char *proto, struct linkset *s)
{
	char *text = NULL, err[256], line[256];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(netsim_lbtruth_print(sim, dst, proto, f, err,
	    sizeof(err)), 0);
	fclose(f);
	memset(s, 0, sizeof(*s));
	f = fmemopen(text, len, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		char a[64], b[64];
		int h;

		if (sscanf(line, "link %63s %63s %d", a, b, &h) == 3)
			add(s, a, b, h);
	}
	fclose(f);
	free(text);
	ck_assert_int_gt(s->n, 0);
}

/* The links of T; checks every probe's send time is the kernel stamp
 * given (clock + 7 us) and every reply's receive time the delivery's. */
static void
found(const struct scamper_tracelb *t, struct linkset *s)
{
	char a[64], b[64];

	memset(s, 0, sizeof(*s));
	for (uint16_t i = 0; i < t->linkc; i++) {
		const struct scamper_tracelb_link *l = &t->links[i];

		if (l->to < 0)
			continue;
		scamper_addr_tostr(&t->nodes[l->from].addr, a, sizeof(a));
		scamper_addr_tostr(&t->nodes[l->to].addr, b, sizeof(b));
		add(s, a, b, l->hopc);
		for (uint8_t h = 0; h < l->hopc; h++)
			for (uint16_t j = 0; j < l->sets[h].probec; j++) {
				const struct scamper_tracelb_probe *p =
				    &l->sets[h].probes[j];

				ck_assert_int_eq(p->tx.tv_usec % 10, 7);
				for (uint16_t k = 0; k < p->rxc; k++) {
					ck_assert_int_eq(p->rxs[k].rx.tv_usec %
					    10, 0);
					ck_assert(timercmp(&p->tx,
					    &p->rxs[k].rx, <));
				}
			}
	}
}

/* How many of WANT's links GOT has; fails on a link GOT has that WANT
 * lacks (precision 1.00 always). */
static int
score(const struct linkset *got, const struct linkset *want)
{
	int right = 0;

	for (int i = 0; i < got->n; i++) {
		ck_assert_msg(has(want, got->l[i]), "wrong link %s",
		    got->l[i]);
		right++;
	}
	return right;
}

/* Run LINE to DST (lossless) and check it finds exactly the truth. */
static const struct scamper_tracelb *
exact(const char *line, const char *dst, const char *proto)
{
	const struct scamper_tracelb *t;
	struct linkset want, got;

	start(line, 0);
	t = run(0);
	truth(dst, proto, &want);
	found(t, &got);
	ck_assert_msg(score(&got, &want) == want.n, "%s: %d of %d links",
	    line, got.n, want.n);
	ck_assert_uint_eq(t->stop_reason, SCAMPER_TRACELB_STOP_COMPLETED);
	ck_assert_uint_eq(t->probec, nsent);
	return t;
}

/* ---- the scenarios ----------------------------------------------------------- */

static const struct {
	const char *p, *proto;
} methods[] = {
	{ "udp-dport", "udp" }, { "icmp-echo", "icmp" },
	{ "udp-sport", "udp" }, { "tcp-sport", "tcp" },
	{ "tcp-ack-sport", "tcp" },
};

/* Every method over IPv4 and IPv6 (loop index: method * 2 + family). */
START_TEST(every_method)
{
	const char *dst = _i % 2 == 0 ? DST4 : DST6;
	char line[128];

	snprintf(line, sizeof(line), "tracelb -P %s -w 1 -W 1 %s",
	    methods[_i / 2].p, dst);
	exact(line, dst, methods[_i / 2].proto);
	done();
}
END_TEST

/* 99% sends more probes than 95% for the same links. */
START_TEST(confidence_95_99)
{
	uint32_t n95, n99;

	exact("tracelb -c 95 -w 1 -W 1 " DST4, DST4, "udp");
	n95 = nsent;
	done();
	exact("tracelb -c 99 -w 1 -W 1 " DST4, DST4, "udp");
	n99 = nsent;
	done();
	ck_assert_uint_gt(n99, n95);
}
END_TEST

/* A diamond 16 wide: every branch found. */
START_TEST(diamond_16)
{
	const struct scamper_tracelb *t;

	t = exact("tracelb -c 99 -w 1 -W 1 -Q 65535 " DST16, DST16, "udp");
	ck_assert_uint_ge(t->linkc, 33);	/* 1 + 16 + 16 */
	done();
}
END_TEST

/* The anonymous router inside the second diamond: a 2-hop link across
 * it, with every node around it. */
START_TEST(silent_router)
{
	const struct scamper_tracelb *t;
	int across = 0;

	t = exact("tracelb -w 1 -W 1 " DST4, DST4, "udp");
	for (uint16_t i = 0; i < t->linkc; i++)
		across += t->links[i].hopc == 2;
	ck_assert_int_eq(across, 1);
	done();
}
END_TEST

/* 3% of probes lost: never a wrong link, and most found; the losses are
 * tried again (-q 2). */
START_TEST(losses)
{
	const struct scamper_tracelb *t;
	struct linkset want, got;

	start("tracelb -q 2 -w 1 -W 1 " DST4, 30000);
	t = run(0);
	truth(DST4, "udp", &want);
	found(t, &got);
	ck_assert_int_ge(score(&got, &want) * 10, want.n * 8);
	ck_assert_uint_eq(t->stop_reason, SCAMPER_TRACELB_STOP_COMPLETED);
	done();
}
END_TEST

/* Halted mid-run: a result with what was found and the reason. */
START_TEST(halted)
{
	const struct scamper_tracelb *t;
	struct linkset want, got;

	start("tracelb -w 1 -W 1 " DST4, 0);
	t = run(40);
	ck_assert_uint_eq(t->stop_reason, SCAMPER_TRACELB_STOP_HALTED);
	ck_assert_uint_gt(t->nodec, 0);
	truth(DST4, "udp", &want);
	found(t, &got);
	score(&got, &want);
	done();
}
END_TEST

/* Out of probes (-Q) or of time (-O time-limit): the same. */
START_TEST(budget_and_time)
{
	const struct scamper_tracelb *t;

	start("tracelb -Q 50 -w 1 -W 1 " DST16, 0);
	t = run(0);
	ck_assert_uint_eq(t->stop_reason, SCAMPER_TRACELB_STOP_PROBES);
	ck_assert_uint_le(nsent, 50);
	ck_assert_uint_gt(t->nodec, 0);
	done();
	start("tracelb -O time-limit=1 -w 1 -W 25 " DST16, 0);
	t = run(0);
	ck_assert_uint_eq(t->stop_reason, SCAMPER_TRACELB_STOP_TIMELIMIT);
	ck_assert_int_le(now_ns, (int64_t)1000000000);
	ck_assert_uint_gt(t->nodec, 0);
	done();
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("tracelb-task");
	TCase *tc = tcase_create("technique");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, every_method, 0, 10);
	tcase_add_test(tc, confidence_95_99);
	tcase_add_test(tc, diamond_16);
	tcase_add_test(tc, silent_router);
	tcase_add_test(tc, losses);
	tcase_add_test(tc, halted);
	tcase_add_test(tc, budget_and_time);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}
