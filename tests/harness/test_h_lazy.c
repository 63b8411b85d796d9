/*
 * test_h_lazy.c: the loop's lazy tick as the core sets it, through the
 * in-process harness (harness.h; simulated time): the rate's tick while
 * probes wait for tokens or tasks wait to start, the lazy one once only
 * the traces' waits remain, and the tick again at once when work comes.
 */
#include <check.h>
#include <stdio.h>

#include "loop.h"
#include "scen.h"
#include "../lib/check_table.h"

#define MS 1000000LL

/* Two routers before silent destinations: each trace ends in waits. */
static const char *topo =
    "router r1 addr 198.19.0.1\n"
    "router r2 addr 198.19.0.2\n"
    "path 198.18.0.0/24 r1 r2 dest silent\n";

/* Queue N traces to 198.18.0.FIRST.. */
static void
traces(struct harness *h, int first, int n)
{
	char cmd[64];

	for (int i = 0; i < n; i++) {
		snprintf(cmd, sizeof(cmd), "trace -w 5 198.18.0.%d", first + i);
		scen_cmd(h, cmd);
	}
}

START_TEST(lazy_when_nothing_waits)
{
	struct harness *h = scen_new(topo);
	struct loop *l = harness_loop(h);

	harness_set_pps(h, 100);	/* a 20 ms tick, a 50 ms lazy one */
	traces(h, 1, 10);
	/* ten traces asking at once at 100 a second: probes wait */
	ck_assert_int_eq(harness_run_to(h, 5 * MS), 0);
	ck_assert_int_eq(loop_tick_len(l), 20 * MS);
	/* a second later every trace waits for its silent hops' replies:
	 * nothing waits for a token, nothing to start */
	ck_assert_int_eq(harness_run_to(h, 1000 * MS), 0);
	ck_assert_int_eq(loop_tick_len(l), 50 * MS);
	/* more work: the tick at once, in the pass that takes it */
	traces(h, 101, 10);
	ck_assert_int_eq(harness_run_to(h, 1001 * MS), 0);
	ck_assert_int_eq(loop_tick_len(l), 20 * MS);
	scen_run(h, 600);
	ck_assert_int_eq(harness_nresults(h), 20);
	harness_free(h);
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("lazy");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, lazy_when_nothing_waits);
	return unit_run(check_suite("harness-lazy", tc));
}
