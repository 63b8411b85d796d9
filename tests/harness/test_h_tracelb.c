/*
 * test_h_tracelb.c: the tracelb technique driven through the in-process
 * harness (harness.h): the real core (many flows per task: every probe's
 * flow is registered with the matcher), sc_netsim's simulator as the
 * network on a topology with a 3-wide diamond, a diamond holding an
 * anonymous router, a 16-wide diamond, IPv4 and IPv6, simulated time.
 * The links found are compared with the simulator's MDA truth
 * (netsim_lbtruth_print): every method, both families, 95% and 99%,
 * losses; a trace halted, out of probes or out of time is still a
 * result with its stop reason.  Send times are the kernel's (the
 * harness gives them 7 us after the clock), receive times the ones the
 * replies were delivered at.  Everything is seeded: each run is the
 * same.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netsim.h"
#include "scamper_addr.h"
#include "scamper_file.h"
#include "scamper_tracelb.h"
#include "scen.h"
#include "../lib/check_table.h"

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
#define KERNEL_NS	7000	/* a kernel stamp comes 7 us after the clock */

/* A harness on the topology losing LOSS_PPM of probes, with LINE
 * queued. */
static struct harness *
start(const char *line, uint32_t loss_ppm)
{
	struct harness_sim sim = { 11, loss_ppm, 500 };
	char err[512];
	struct harness *h = harness_new_sim(topo, &sim, err, sizeof(err));

	ck_assert_msg(h != NULL, "topology: %s", err);
	harness_set_stamp_lag(h, KERNEL_NS);
	scen_cmd(h, line);
	return h;
}

static const struct scamper_tracelb *
lb_of(struct harness *h)
{
	return harness_need_result(h, SCAMPER_FILE_OBJ_TRACELB, "tracelb");
}

/* Run to the end; the trace. */
static const struct scamper_tracelb *
run(struct harness *h)
{
	scen_run(h, 3600);
	return lb_of(h);
}

/* ---- scoring --------------------------------------------------------------- */

#define MAXL	64

struct linkset {
	char	 l[MAXL][144];	/* two addresses of up to 63, a TTL */
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
truth(struct harness *h, const char *dst, const char *proto,
    struct linkset *s)
{
	char *text = NULL, err[256], line[256];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(netsim_lbtruth_print(harness_netsim(h), dst, proto,
	    f, err, sizeof(err)), 0);
	fclose(f);
	memset(s, 0, sizeof(*s));
	f = fmemopen(text, len, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		char a[64], b[64];
		int hc;

		if (sscanf(line, "link %63s %63s %d", a, b, &hc) == 3)
			add(s, a, b, hc);
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

/* Run LINE to DST (lossless) and check it finds exactly the truth;
 * the harness (freed by the caller) and its probe count in *NP. */
static struct harness *
exact(const char *line, const char *dst, const char *proto, uint32_t *np)
{
	const struct scamper_tracelb *t;
	struct linkset want, got;
	struct harness *h = start(line, 0);

	t = run(h);
	truth(h, dst, proto, &want);
	found(t, &got);
	ck_assert_msg(score(&got, &want) == want.n, "%s: %d of %d links",
	    line, got.n, want.n);
	ck_assert_uint_eq(t->stop_reason, SCAMPER_TRACELB_STOP_COMPLETED);
	ck_assert_uint_eq(t->probec, harness_nprobes(h));
	if (np != NULL)
		*np = harness_nprobes(h);
	return h;
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
	harness_free(exact(line, dst, methods[_i / 2].proto, NULL));
}
END_TEST

/* 99% sends more probes than 95% for the same links. */
START_TEST(confidence_95_99)
{
	uint32_t n95, n99;

	harness_free(exact("tracelb -c 95 -w 1 -W 1 " DST4, DST4, "udp",
	    &n95));
	harness_free(exact("tracelb -c 99 -w 1 -W 1 " DST4, DST4, "udp",
	    &n99));
	ck_assert_uint_gt(n99, n95);
}
END_TEST

/* A diamond 16 wide: every branch found. */
START_TEST(diamond_16)
{
	struct harness *h = exact("tracelb -c 99 -w 1 -W 1 -Q 65535 " DST16,
	    DST16, "udp", NULL);

	ck_assert_uint_ge(lb_of(h)->linkc, 33);	/* 1 + 16 + 16 */
	harness_free(h);
}
END_TEST

/* The anonymous router inside the second diamond: a 2-hop link across
 * it, with every node around it. */
START_TEST(silent_router)
{
	struct harness *h = exact("tracelb -w 1 -W 1 " DST4, DST4, "udp",
	    NULL);
	const struct scamper_tracelb *t = lb_of(h);
	int across = 0;

	for (uint16_t i = 0; i < t->linkc; i++)
		across += t->links[i].hopc == 2;
	ck_assert_int_eq(across, 1);
	harness_free(h);
}
END_TEST

/* 3% of probes lost: never a wrong link, and most found; the losses are
 * tried again (-q 2). */
START_TEST(losses)
{
	struct harness *h = start("tracelb -q 2 -w 1 -W 1 " DST4, 30000);
	const struct scamper_tracelb *t = run(h);
	struct linkset want, got;

	truth(h, DST4, "udp", &want);
	found(t, &got);
	ck_assert_int_ge(score(&got, &want) * 10, want.n * 8);
	ck_assert_uint_eq(t->stop_reason, SCAMPER_TRACELB_STOP_COMPLETED);
	harness_free(h);
}
END_TEST

/* Replies duplicated, and every other one late (after the next probe's):
 * the same links, each probe's replies recorded once per copy. */
static void
dup_and_late(void *arg, struct harness_pkt *p)
{
	(void)arg;
	p->copies = 2;
	p->gap_ns = 50000;
	if (p->probe_no % 2 == 0)
		p->delay_ns += 400000;
}

START_TEST(duplicated_and_reordered)
{
	struct harness *h = start("tracelb -w 2 -W 1 " DST4, 0);
	const struct scamper_tracelb *t;
	struct linkset want, got;

	harness_on_reply(h, dup_and_late, NULL);
	t = run(h);
	truth(h, DST4, "udp", &want);
	found(t, &got);
	ck_assert_msg(score(&got, &want) == want.n, "%d of %d links", got.n,
	    want.n);
	ck_assert_uint_eq(t->stop_reason, SCAMPER_TRACELB_STOP_COMPLETED);
	harness_free(h);
}
END_TEST

/* Halted mid-run (after 40 probes): a result with what was found and
 * the reason. */
START_TEST(halted)
{
	struct harness *h = start("tracelb -w 1 -W 1 " DST4, 0);
	const struct scamper_tracelb *t;
	struct linkset want, got;

	while (harness_nprobes(h) < 40)
		ck_assert_int_eq(harness_step(h), 0);
	harness_halt_at(h, harness_now(h), 0);
	t = run(h);
	ck_assert_uint_eq(t->stop_reason, SCAMPER_TRACELB_STOP_HALTED);
	ck_assert_uint_gt(t->nodec, 0);
	truth(h, DST4, "udp", &want);
	found(t, &got);
	score(&got, &want);
	harness_free(h);
}
END_TEST

/* Out of probes (-Q) or of time (-O time-limit): the same. */
START_TEST(budget_and_time)
{
	struct harness *h = start("tracelb -Q 50 -w 1 -W 1 " DST16, 0);
	const struct scamper_tracelb *t = run(h);

	ck_assert_uint_eq(t->stop_reason, SCAMPER_TRACELB_STOP_PROBES);
	ck_assert_uint_le(harness_nprobes(h), 50);
	ck_assert_uint_gt(t->nodec, 0);
	harness_free(h);
	h = start("tracelb -O time-limit=1 -w 1 -W 25 " DST16, 0);
	while (!harness_finished(h, 0))
		ck_assert_int_eq(harness_step(h), 0);
	ck_assert_int_le(harness_now(h), HARNESS_S);
	t = run(h);
	ck_assert_uint_eq(t->stop_reason, SCAMPER_TRACELB_STOP_TIMELIMIT);
	ck_assert_uint_gt(t->nodec, 0);
	harness_free(h);
}
END_TEST

int
main(void)
{
	const TTest *tests[] = {
		confidence_95_99, diamond_16, silent_router, losses,
		duplicated_and_reordered, halted, budget_and_time
	};
	TCase *tc = tcase_create("tracelb");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, every_method, 0, 10);
	check_add(tc, tests, CHECK_N(tests));
	return unit_run(check_suite("harness-tracelb", tc));
}
