/*
 * test_h_dealias.c: dealias's methods (ally, radargun, prefixscan,
 * mercator, bump) driven through the in-process harness (harness.h): the
 * real core, simulated time, no root.  Two kinds of routers:
 *  - played by the test (a probe hook answers each probe, harness_inject):
 *    each target address answers from an IP-ID counter of the test's
 *    choosing (shared or not, byte-swapped, wrapping, fast, zero),
 *    replies can be lost or delivered out of order, a router can answer
 *    a UDP probe from another address, a prefix holds an alias of the
 *    address or not;
 *  - sc_netsim's routers (ipid shared, per-interface, ipid-bswap,
 *    unreach-src inbound), answering as the simulator does.
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkt.h"
#include "scamper_addr.h"
#include "scamper_dealias.h"
#include "scamper_file.h"
#include "scen.h"
#include "../lib/check_table.h"

/* The test's routers are beside the prober: the simulator has no route
 * to them, only the test answers. */
static const char *topo_none =
    "router r1 addr 198.19.0.1\n"
    "path 198.51.100.0/24 r1 dest silent\n";

/* ---- the test's routers ---------------------------------------------------- */

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

static struct harness *H;
static struct target targets[4];
static int ntargets;
static uint32_t lose;		/* bit i: lose the reply to probe i */
static int reorder;		/* deliver replies in pairs, swapped */
static int held;		/* a reply is held back */
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

/* The reply to probe NO (Q, LEN bytes): built and sent back 1 ms later
 * (or lost, or held back to come after the next one). */
static int
answer(void *arg, const uint8_t *q, size_t len, uint32_t no)
{
	struct target *tg = len >= 28 && (q[0] >> 4) == 4 ?
	    target_of(q + 16) : NULL;
	int64_t at = harness_now(H) + HARNESS_MS;
	struct pkt_probe p;
	uint8_t buf[1600];
	uint16_t id;
	size_t n;

	(void)arg;
	if (tg == NULL || (no < 32 && (lose >> no) & 1))
		return 0;
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
		p.paylen = len - 28;
	} else {
		if (tg->from != NULL)
			inet_pton(AF_INET, tg->from, p.src);
		p.icmp_type = 3;
		p.icmp_code = 3;
		p.payload = q;
		p.paylen = 28;
	}
	n = pkt_build(&p, buf, sizeof(buf));
	ck_assert_uint_gt(n, 0);
	if (!reorder) {
		harness_inject(H, at, buf, n);
		return 0;
	}
	if (!held) {
		memcpy(heldbuf, buf, n);
		heldlen = n;
		held = 1;
		return 0;
	}
	harness_inject(H, at, buf, n);		/* the later reply first */
	harness_inject(H, at, heldbuf, heldlen);
	held = 0;
	return 0;
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
	held = 0;
}

static const struct scamper_dealias *
result(void)
{
	return harness_need_result(H, SCAMPER_FILE_OBJ_DEALIAS, "dealias");
}

/* Run dealias command LINE to the end on TOPO (the test's routers
 * answer too); returns its result (valid until done()). */
static const struct scamper_dealias *
run_on(const char *topo, const char *line)
{
	H = scen_new(topo);
	harness_on_probe(H, answer, NULL);
	scen_cmd(H, line);
	scen_run(H, 3600);
	return result();
}

static const struct scamper_dealias *
run(const char *line)
{
	return run_on(topo_none, line);
}

static void
done(void)
{
	harness_free(H);
	H = NULL;
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

/* ---- ally ---------------------------------------------------------------- */

START_TEST(ally_shared)
{
	struct counter c = { 1000, 3, 0 };

	ck_assert_uint_eq(ally(&c, &c), SCAMPER_DEALIAS_RESULT_ALIASES);
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

START_TEST(ally_bswap_wraps)
{
	/* byte-swapped and crossing 0xffff -> 0 */
	struct counter c = { 0xfff0, 5, 1 };

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
	const struct scamper_dealias *d;
	uint32_t pairs = 0;

	world(A, &c, B, &c);
	reorder = 1;
	d = run(ALLY A " " B);
	ck_assert_uint_eq(d->result, SCAMPER_DEALIAS_RESULT_ALIASES);
	/* each reply is recorded with the probe it answers */
	for (uint32_t i = 0; i + 1 < d->probec; i++)
		if (d->probes[i].replyc == 1 && d->probes[i + 1].replyc == 1) {
			ck_assert_uint_lt(d->probes[i].replies[0].ipid,
			    d->probes[i + 1].replies[0].ipid);
			pairs++;
		}
	ck_assert_uint_gt(pairs, 0);
	done();
}
END_TEST

START_TEST(ally_zero)
{
	struct counter c = { 0, 0, 0 };

	ck_assert_uint_ne(ally(&c, &c), SCAMPER_DEALIAS_RESULT_ALIASES);
}
END_TEST

/* ---- radargun ------------------------------------------------------------ */

START_TEST(radargun_rounds)
{
	struct counter a = { 100, 1, 0 }, b = { 9000, 1, 0 };
	const struct scamper_dealias *d;

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

/* Replies lost and swapped in pairs: each recorded with its own probe
 * (the IP-IDs of one shared counter rise probe by probe), the lost ones
 * with none. */
START_TEST(radargun_lost_and_reordered)
{
	struct counter c = { 65500, 3, 0 };	/* and it wraps */
	const struct scamper_dealias *d;
	uint32_t got = 0;
	uint16_t last = 0;

	world(A, &c, B, &c);
	reorder = 1;
	lose = 1u << 5;
	d = run("dealias -m radargun -q 8 -W 50 -p '-P icmp-echo' " A " " B);
	ck_assert_uint_eq(d->probec, 16);
	ck_assert_uint_eq(d->probes[5].replyc, 0);
	for (uint32_t i = 0; i < d->probec; i++) {
		if (d->probes[i].replyc == 0)
			continue;
		ck_assert_uint_eq(d->probes[i].replyc, 1);
		if (got > 0)
			ck_assert_uint_gt((uint16_t)(d->probes[i].replies[0].ipid
			    - last), 0);
		last = d->probes[i].replies[0].ipid;
		got++;
	}
	ck_assert_uint_ge(got, 14);
	done();
}
END_TEST

/* ---- mercator ------------------------------------------------------------ */

START_TEST(mercator_other_address)
{
	struct counter c = { 1, 1, 0 };

	world(A, &c, NULL, NULL);
	targets[0].from = "198.18.0.9";
	ck_assert_uint_eq(run("dealias -m mercator " A)->result,
	    SCAMPER_DEALIAS_RESULT_ALIASES);
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

/* ---- prefixscan ---------------------------------------------------------- */

START_TEST(prefixscan_finds_mate)
{
	/* A's router also holds .6, in B's /30; B (.5) counts on its own */
	struct counter c = { 2000, 2, 0 }, other = { 40000, 2, 0 };
	const struct scamper_dealias *d;
	char ab[INET_ADDRSTRLEN];

	world(A, &c, "198.18.0.5", &other);
	targets[2].addr = "198.18.0.6";
	targets[2].c = &c;
	ntargets = 3;
	d = run("dealias -m prefixscan -W 100 -p '-P icmp-echo' " A
	    " 198.18.0.5/30");
	ck_assert_uint_eq(d->result, SCAMPER_DEALIAS_RESULT_ALIASES);
	scamper_addr_tostr(&d->u.prefixscan.ab, ab, sizeof(ab));
	ck_assert_str_eq(ab, "198.18.0.6");
	done();
}
END_TEST

START_TEST(prefixscan_no_mate)
{
	struct counter c = { 2000, 2, 0 }, o1 = { 40000, 2, 0 },
	    o2 = { 20000, 3, 0 };
	const struct scamper_dealias *d;

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

/* Two byte-swapped counters whose low bytes sit side by side look
 * interleaved once swapped: no false mate by default. */
START_TEST(prefixscan_bswap_no_false_mate)
{
	struct counter c = { 0x1000, 1, 1 }, o1 = { 0x1100, 1, 1 },
	    o2 = { 0x1001, 1, 0 };
	const struct scamper_dealias *d;

	world(A, &c, "198.18.0.5", &o1);
	targets[2].addr = "198.18.0.6";
	targets[2].c = &o2;
	ntargets = 3;
	d = run("dealias -m prefixscan -W 100 -p '-P icmp-echo' " A
	    " 198.18.0.5/30");
	ck_assert_uint_ne(d->result, SCAMPER_DEALIAS_RESULT_ALIASES);
	done();
}
END_TEST

/* ---- bump ---------------------------------------------------------------- */

#define BUMP	"dealias -m bump -W 100 -q 2 -f 10 -p '-P icmp-echo' "

START_TEST(bump_shared)
{
	struct counter c = { 3000, 1, 0 };

	world(A, &c, B, &c);
	ck_assert_uint_eq(run(BUMP A " " B)->result,
	    SCAMPER_DEALIAS_RESULT_ALIASES);
	done();
}
END_TEST

START_TEST(bump_apart)
{
	/* close, but each bump moves only its own counter */
	struct counter a = { 3000, 1, 0 }, b = { 3005, 1, 0 };

	world(A, &a, B, &b);
	ck_assert_uint_eq(run(BUMP A " " B)->result,
	    SCAMPER_DEALIAS_RESULT_NOTALIASES);
	done();
}
END_TEST

START_TEST(bump_wraps)
{
	struct counter c = { 65530, 1, 0 };

	world(A, &c, B, &c);
	ck_assert_uint_eq(run(BUMP A " " B)->result,
	    SCAMPER_DEALIAS_RESULT_ALIASES);
	done();
}
END_TEST

START_TEST(bump_too_fast)
{
	/* 40 a probe: more than -f 10 per -W, nothing can be told */
	struct counter c = { 3000, 40, 0 };

	world(A, &c, B, &c);
	ck_assert_uint_eq(run(BUMP A " " B)->result,
	    SCAMPER_DEALIAS_RESULT_NONE);
	done();
}
END_TEST

START_TEST(bump_silent)
{
	struct counter c = { 3000, 1, 0 };

	world(A, &c, B, &c);
	lose = 0xffffffffu;
	ck_assert_uint_ne(run(BUMP A " " B)->result,
	    SCAMPER_DEALIAS_RESULT_ALIASES);
	done();
}
END_TEST

/* ---- sc_netsim's routers --------------------------------------------------- */

static const char *topo_sim =
    "router ra addr 198.19.0.1 addr 198.19.0.2 ipid shared\n"
    "router rb addr 198.19.1.1 addr 198.19.1.2 ipid per-interface\n"
    "router rc addr 198.19.2.1 addr 198.19.2.2 ipid shared ipid-bswap\n"
    "router rd addr 198.19.3.1\n"
    "router re addr 198.19.4.1 addr 198.19.4.2 unreach-src inbound\n"
    "path 198.18.0.0/24 ra rb rc rd re dest echo,udp\n";

START_TEST(sim_ally)
{
	static const struct { const char *a, *b; uint8_t want; } c[] = {
		{ "198.19.0.1", "198.19.0.2", SCAMPER_DEALIAS_RESULT_ALIASES },
		{ "198.19.1.1", "198.19.1.2",
		    SCAMPER_DEALIAS_RESULT_NOTALIASES },
		{ "198.19.2.1", "198.19.2.2", SCAMPER_DEALIAS_RESULT_ALIASES },
		{ "198.19.0.1", "198.19.3.1",
		    SCAMPER_DEALIAS_RESULT_NOTALIASES },
	};
	const struct scamper_dealias *d;
	char line[160];

	world("192.0.2.99", NULL, NULL, NULL);	/* nobody of the test's */
	ntargets = 0;
	snprintf(line, sizeof(line), ALLY "%s %s", c[_i].a, c[_i].b);
	d = run_on(topo_sim, line);
	ck_assert_msg(d->result == c[_i].want, "%s: %u, want %u\n%s", line,
	    d->result, c[_i].want, harness_json(H, 0));
	done();
}
END_TEST

START_TEST(sim_mercator_inbound)
{
	const struct scamper_dealias *d;

	world("192.0.2.99", NULL, NULL, NULL);
	ntargets = 0;
	/* re's far address, answered from the one the probe came in on */
	d = run_on(topo_sim, "dealias -m mercator 198.19.4.2");
	ck_assert_msg(d->result == SCAMPER_DEALIAS_RESULT_ALIASES, "%s",
	    harness_json(H, 0));
	done();
}
END_TEST

int
main(void)
{
	const TTest *tests[] = {
		ally_shared, ally_apart, ally_close_but_two, ally_wraps,
		ally_bswap_shared, ally_bswap_wraps, ally_bswap_nobs,
		ally_bswap_and_plain, ally_one_loss, ally_many_losses,
		ally_reordered, ally_zero, radargun_rounds,
		radargun_lost_and_reordered, mercator_other_address,
		mercator_same_address, mercator_silent, prefixscan_finds_mate,
		prefixscan_no_mate, prefixscan_bswap_no_false_mate,
		bump_shared, bump_apart, bump_wraps, bump_too_fast, bump_silent
	};
	TCase *tc = tcase_create("dealias");

	check_add(tc, tests, CHECK_N(tests));
	tcase_add_loop_test(tc, sim_ally, 0, 4);
	tcase_add_test(tc, sim_mercator_inbound);
	return unit_run(check_suite("harness-dealias", tc));
}
