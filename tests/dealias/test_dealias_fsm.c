/*
 * test_dealias_fsm.c: dealias's state machines without root or a
 * network.  The technique runs against a fake core (the task_* calls of
 * task.h defined here: packets sent are captured, timers are a list
 * fired in time order) and the test plays the routers: each target
 * address answers from an IP-ID counter of the test's choosing (shared
 * or not, byte-swapped, wrapping), replies can be lost or delivered out
 * of order, a router can answer a UDP probe from another address, and a
 * prefix holds an alias of the address or not (prefixscan).  bump is
 * not covered here.
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "method.h"
#include "pkt.h"
#include "scamper_dealias.h"
#include "task.h"
#include "scamper_file.h"
#include "timer.h"
#include "unit_main.h"

extern const struct method method_dealias;

/* ---- the fake core ------------------------------------------------------- */

struct task {
	void		*state;
	int		 finished;
};

#define MAXPKT	512
#define MAXTM	16

static struct task T;
static int64_t now_ms;
static uint8_t sent[MAXPKT][1600];
static size_t sentlen[MAXPKT];
static int nsent, wants;
static struct timer *tms[MAXTM];
static int64_t tm_at[MAXTM];

void *task_state(const struct task *t) { return t->state; }
int task_flows(struct task *t, const struct task_flowkey *k, size_t n)
    { (void)t; (void)k; (void)n; return 0; }
void task_want_probe(struct task *t) { (void)t; wants = 1; }
struct scamper_cycle *task_cycle(const struct task *t) { (void)t;
    return NULL; }
uint16_t task_default_sport(const struct task *t) { (void)t;
    return 0x8123; }
uint32_t task_random(const struct task *t) { (void)t; return 1000000; }
int task_reply_fragid(const struct task *t, uint32_t *id) { (void)t;
    (void)id; return 0; }
void task_finish(struct task *t) { t->finished = 1; }

struct timeval
task_walltime(const struct task *t)
{
	struct timeval tv;

	(void)t;
	tv.tv_sec = 1000000 + now_ms / 1000;
	tv.tv_usec = (now_ms % 1000) * 1000;
	return tv;
}

struct monotime
task_now(const struct task *t)
{
	(void)t;
	return (struct monotime){ now_ms * 1000000 };
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
task_datalink(struct task *t, int want, int af, const uint8_t *dst,
    const uint8_t *rtr, task_dl_ready *ready, task_dl_sent *s, char *err,
    size_t errlen)
{
	(void)t; (void)want; (void)af; (void)dst; (void)rtr; (void)ready;
	(void)s;
	snprintf(err, errlen, "no datalink in this test");
	return -1;
}

int
task_send(struct task *t, const struct pkt_probe *p, struct stamp *tx,
    uint32_t tag)
{
	struct timeval tv = task_walltime(t);

	(void)tag;
	ck_assert_int_lt(nsent, MAXPKT);
	sentlen[nsent] = pkt_build(p, sent[nsent], sizeof(sent[nsent]));
	ck_assert_uint_gt(sentlen[nsent], 0);
	nsent++;
	*tx = stamp_of_tv(&tv);
	return 0;
}

void
task_timer(struct task *t, struct timer *tm, int64_t ms)
{
	int i, free_slot = -1;

	(void)t;
	for (i = 0; i < MAXTM; i++) {
		if (tms[i] == tm)
			break;
		if (tms[i] == NULL && free_slot == -1)
			free_slot = i;
	}
	if (i == MAXTM)
		i = free_slot;
	ck_assert_int_ge(i, 0);
	tms[i] = tm;
	tm_at[i] = now_ms + ms;
}

void
task_timer_cancel(struct task *t, struct timer *tm)
{
	(void)t;
	for (int i = 0; i < MAXTM; i++)
		if (tms[i] == tm)
			tms[i] = NULL;
}

static int
fire(void)
{
	int best = -1;
	struct timer *tm;

	for (int i = 0; i < MAXTM; i++)
		if (tms[i] != NULL && (best == -1 || tm_at[i] < tm_at[best]))
			best = i;
	if (best == -1)
		return 0;
	tm = tms[best];
	tms[best] = NULL;
	if (tm_at[best] > now_ms)
		now_ms = tm_at[best];
	tm->cb(tm->arg);
	return 1;
}

/* ---- the routers -------------------------------------------------------- */

/* An IP-ID counter: VALUE, advancing STEP per packet sent. */
struct counter {
	uint16_t	 value, step;
	int		 bswap;		/* written little-endian */
};

struct target {
	const char	*addr;
	struct counter	*c;
	const char	*from;		/* answers UDP from this address */
};

static struct target targets[4];
static int ntargets;
static uint32_t lose;		/* bit i: lose the reply to probe i */
static int reorder;		/* deliver replies in pairs, swapped */
static int held = -1;
static uint8_t heldbuf[1600];
static size_t heldlen;

static struct target *
target_of(const uint8_t *dst)
{
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, dst, a, sizeof(a));
	for (int i = 0; i < ntargets; i++)
		if (strcmp(targets[i].addr, a) == 0)
			return &targets[i];
	return NULL;
}

static void
deliver(const uint8_t *buf, size_t len)
{
	struct pkt_reply r;
	struct timeval tv = task_walltime(&T);
	struct stamp rx = stamp_of_tv(&tv);

	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(pkt_parse(buf, len, &r), 0);
	method_dealias.reply(&T, &r, &rx);
}

/* The reply to sent packet I, built and delivered (or lost, or held). */
static void
answer(int i)
{
	const uint8_t *q = sent[i];
	struct target *tg = target_of(q + 16);
	struct pkt_probe p;
	uint8_t buf[1600];
	uint16_t id;
	size_t len;

	if (tg == NULL || (i < 32 && (lose >> i) & 1))
		return;
	id = tg->c->value;
	tg->c->value = (uint16_t)(tg->c->value + tg->c->step);
	memset(&p, 0, sizeof(p));
	p.af = AF_INET;
	memcpy(p.dst, q + 12, 4);
	memcpy(p.src, q + 16, 4);
	p.ttl = 64;
	p.ipid = tg->c->bswap ? (uint16_t)(id >> 8 | id << 8) : id;
	p.proto = IPPROTO_ICMP;
	if (q[9] == IPPROTO_ICMP) {
		p.icmp_type = 0;
		p.icmp_id = (uint16_t)(q[24] << 8 | q[25]);
		p.icmp_seq = (uint16_t)(q[26] << 8 | q[27]);
		p.payload = q + 28;
		p.paylen = sentlen[i] - 28;
	} else {
		if (tg->from != NULL)
			inet_pton(AF_INET, tg->from, p.src);
		p.icmp_type = 3;
		p.icmp_code = 3;
		p.payload = q;
		p.paylen = sentlen[i] < 28 ? sentlen[i] : 28;
	}
	len = pkt_build(&p, buf, sizeof(buf));
	ck_assert_uint_gt(len, 0);
	if (!reorder) {
		deliver(buf, len);
		return;
	}
	if (held == -1) {
		memcpy(heldbuf, buf, len);
		heldlen = len;
		held = i;
		return;
	}
	deliver(buf, len);		/* the later reply first */
	deliver(heldbuf, heldlen);
	held = -1;
}

static void
world(const char *a, struct counter *ca, const char *b, struct counter *cb)
{
	memset(targets, 0, sizeof(targets));
	targets[0].addr = a;
	targets[0].c = ca;
	ntargets = 1;
	if (b != NULL) {
		targets[1].addr = b;
		targets[1].c = cb;
		ntargets = 2;
	}
	lose = 0;
	reorder = 0;
	held = -1;
}

/* Run dealias command LINE to the end; returns its result. */
static struct scamper_dealias *
run(const char *line)
{
	char buf[512], *argv[CMD_MAXARGS], err[256];
	struct cmd_args a;
	int argc, steps = 0;

	memset(&T, 0, sizeof(T));
	memset(tms, 0, sizeof(tms));
	nsent = wants = 0;
	now_ms = 0;
	snprintf(buf, sizeof(buf), "%s", line);
	argc = cmd_split(buf, argv, CMD_MAXARGS, err, sizeof(err));
	ck_assert_int_gt(argc, 0);
	ck_assert_int_eq(cmd_getopts(method_dealias.opts,
	    method_dealias.nopts, argc, argv, &a, err, sizeof(err)), 0);
	T.state = method_dealias.alloc(&T, &a, err, sizeof(err));
	ck_assert_msg(T.state != NULL, "%s: %s", line, err);
	ck_assert_int_eq(method_dealias.start(&T, err, sizeof(err)), 0);
	while (!T.finished && steps++ < 10000) {
		if (wants) {
			int before = nsent;

			wants = 0;
			method_dealias.probe(&T);
			for (int i = before; i < nsent; i++)
				answer(i);
			continue;
		}
		if (!fire())
			break;
	}
	ck_assert_msg(T.finished, "%s: did not finish", line);
	{
		uint16_t type;
		const struct scamper_dealias *d = method_dealias.result(&T,
		    &type);
		ck_assert_uint_eq(type, SCAMPER_FILE_OBJ_DEALIAS);
		return (struct scamper_dealias *)d;
	}
}

static void
done(void)
{
	method_dealias.free_state(T.state);
}

#define ALLY	"dealias -m ally -W 100 -p '-P icmp-echo' "
#define A	"198.18.0.1"
#define B	"198.18.0.2"

static uint8_t
ally(struct counter *ca, struct counter *cb)
{
	uint8_t res;

	world(A, ca, B, cb);
	res = run(ALLY A " " B)->result;
	done();
	return res;
}

/* ---- the cases --------------------------------------------------------- */

START_TEST(ally_shared)
{
	struct counter c = { 1000, 3, 0 };

	world(A, &c, B, &c);
	ck_assert_uint_eq(run(ALLY A " " B)->result,
	    SCAMPER_DEALIAS_RESULT_ALIASES);
	done();
}
END_TEST

START_TEST(ally_apart)
{
	struct counter a = { 1000, 3, 0 }, b = { 30000, 3, 0 };

	ck_assert_uint_eq(ally(&a, &b), SCAMPER_DEALIAS_RESULT_NOTALIASES);
}
END_TEST

START_TEST(ally_close_but_two)
{
	/* two counters 50 apart, both moving: they cross, no series */
	struct counter a = { 1000, 40, 0 }, b = { 1050, 1, 0 };

	ck_assert_uint_ne(ally(&a, &b), SCAMPER_DEALIAS_RESULT_ALIASES);
}
END_TEST

START_TEST(ally_wraps)
{
	struct counter c = { 65530, 2, 0 };

	ck_assert_uint_eq(ally(&c, &c), SCAMPER_DEALIAS_RESULT_ALIASES);
}
END_TEST

START_TEST(ally_bswap_shared)
{
	/* one byte-swapped counter: each address shows it by itself */
	struct counter c = { 0x12f0, 7, 1 };

	ck_assert_uint_eq(ally(&c, &c), SCAMPER_DEALIAS_RESULT_ALIASES);
}
END_TEST

START_TEST(ally_bswap_nobs)
{
	struct counter c = { 0x12f0, 7, 1 };

	world(A, &c, B, &c);
	ck_assert_uint_ne(run(ALLY "-O nobs " A " " B)->result,
	    SCAMPER_DEALIAS_RESULT_ALIASES);
	done();
}
END_TEST

START_TEST(ally_bswap_and_plain)
{
	struct counter a = { 0x1000, 1, 1 }, b = { 0x0010, 1, 0 };

	ck_assert_uint_ne(ally(&a, &b), SCAMPER_DEALIAS_RESULT_ALIASES);
}
END_TEST

START_TEST(ally_one_loss)
{
	struct counter c = { 500, 2, 0 };

	world(A, &c, B, &c);
	lose = 1u << 1;	/* A B A B A: the first B lost, A B A remains */
	ck_assert_uint_eq(run(ALLY A " " B)->result,
	    SCAMPER_DEALIAS_RESULT_ALIASES);
	done();
}
END_TEST

START_TEST(ally_many_losses)
{
	struct counter c = { 500, 2, 0 };

	world(A, &c, B, &c);
	lose = 0x1e;
	ck_assert_uint_eq(run(ALLY A " " B)->result,
	    SCAMPER_DEALIAS_RESULT_NONE);
	done();
}
END_TEST

START_TEST(ally_reordered)
{
	struct counter c = { 500, 2, 0 };
	struct scamper_dealias *d;

	world(A, &c, B, &c);
	reorder = 1;
	d = run(ALLY A " " B);
	ck_assert_uint_eq(d->result, SCAMPER_DEALIAS_RESULT_ALIASES);
	/* each reply is recorded with the probe it answers */
	for (uint32_t i = 0; i + 1 < d->probec; i++)
		if (d->probes[i].replyc == 1 && d->probes[i + 1].replyc == 1)
			ck_assert_uint_lt(d->probes[i].replies[0].ipid,
			    d->probes[i + 1].replies[0].ipid);
	done();
}
END_TEST

START_TEST(ally_zero)
{
	struct counter c = { 0, 0, 0 };

	ck_assert_uint_ne(ally(&c, &c), SCAMPER_DEALIAS_RESULT_ALIASES);
}
END_TEST

START_TEST(radargun_rounds)
{
	struct counter a = { 100, 1, 0 }, b = { 9000, 1, 0 };
	struct scamper_dealias *d;

	world(A, &a, B, &b);
	d = run("dealias -m radargun -q 4 -W 50 -p '-P icmp-echo' " A " " B);
	ck_assert_uint_eq(d->probec, 8);
	for (uint32_t i = 0; i < d->probec; i++) {
		ck_assert_uint_eq(d->probes[i].def, i % 2);
		ck_assert_uint_eq(d->probes[i].replyc, 1);
	}
	done();
}
END_TEST

START_TEST(mercator_other_address)
{
	struct counter c = { 1, 1, 0 };
	struct scamper_dealias *d;

	world(A, &c, NULL, NULL);
	targets[0].from = "198.18.0.9";
	d = run("dealias -m mercator " A);
	ck_assert_uint_eq(d->result, SCAMPER_DEALIAS_RESULT_ALIASES);
	done();
}
END_TEST

START_TEST(mercator_same_address)
{
	struct counter c = { 1, 1, 0 };

	world(A, &c, NULL, NULL);
	ck_assert_uint_ne(run("dealias -m mercator " A)->result,
	    SCAMPER_DEALIAS_RESULT_ALIASES);
	done();
}
END_TEST

START_TEST(mercator_silent)
{
	struct counter c = { 1, 1, 0 };

	world(A, &c, NULL, NULL);
	lose = 0xffffffffu;
	ck_assert_uint_eq(run("dealias -m mercator " A)->result,
	    SCAMPER_DEALIAS_RESULT_NONE);
	done();
}
END_TEST

START_TEST(prefixscan_finds_mate)
{
	/* A's router also holds .6, in B's /30; B (.5) counts on its own */
	struct counter c = { 2000, 2, 0 }, other = { 40000, 2, 0 };
	struct scamper_dealias *d;
	char ab[INET_ADDRSTRLEN];

	world(A, &c, "198.18.0.5", &other);
	targets[2].addr = "198.18.0.6";
	targets[2].c = &c;
	ntargets = 3;
	d = run("dealias -m prefixscan -W 100 -p '-P icmp-echo' " A
	    " 198.18.0.5/30");
	ck_assert_uint_eq(d->result, SCAMPER_DEALIAS_RESULT_ALIASES);
	inet_ntop(AF_INET, d->u.prefixscan.ab.addr, ab, sizeof(ab));
	ck_assert_str_eq(ab, "198.18.0.6");
	done();
}
END_TEST

START_TEST(prefixscan_no_mate)
{
	struct counter c = { 2000, 2, 0 }, o1 = { 40000, 2, 0 },
	    o2 = { 20000, 3, 0 };
	struct scamper_dealias *d;

	world(A, &c, "198.18.0.5", &o1);
	targets[2].addr = "198.18.0.6";
	targets[2].c = &o2;
	ntargets = 3;
	d = run("dealias -m prefixscan -W 100 -p '-P icmp-echo' " A
	    " 198.18.0.5/30");
	ck_assert_uint_ne(d->result, SCAMPER_DEALIAS_RESULT_ALIASES);
	ck_assert(!scamper_addr_isset(&d->u.prefixscan.ab));
	done();
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("dealias-fsm");
	TCase *tc = tcase_create("methods");

	tcase_add_test(tc, ally_shared);
	tcase_add_test(tc, ally_apart);
	tcase_add_test(tc, ally_close_but_two);
	tcase_add_test(tc, ally_wraps);
	tcase_add_test(tc, ally_bswap_shared);
	tcase_add_test(tc, ally_bswap_nobs);
	tcase_add_test(tc, ally_bswap_and_plain);
	tcase_add_test(tc, ally_one_loss);
	tcase_add_test(tc, ally_many_losses);
	tcase_add_test(tc, ally_reordered);
	tcase_add_test(tc, ally_zero);
	tcase_add_test(tc, radargun_rounds);
	tcase_add_test(tc, mercator_other_address);
	tcase_add_test(tc, mercator_same_address);
	tcase_add_test(tc, mercator_silent);
	tcase_add_test(tc, prefixscan_finds_mate);
	tcase_add_test(tc, prefixscan_no_mate);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}
