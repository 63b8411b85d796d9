/*
 * test_h_trace.c: trace's state machine driven through the in-process
 * harness (harness.h): sc_netsim's simulator as the network, simulated
 * time, no root.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "scamper_trace.h"
#include "scen.h"
#include "../unit/unit_main.h"

/* Three routers, then the destinations. */
static const char *topo_line =
    "router r1 addr 198.19.0.1\n"
    "router r2 addr 198.19.0.2\n"
    "router r3 addr 198.19.0.3\n"
    "path 198.18.0.0/24 r1 r2 r3 dest echo,udp,rst\n";

START_TEST(complete)
{
	struct harness *h = scen_new(topo_line);
	const struct scamper_trace *t;
	char path[256];

	scen_cmd(h, "trace -P icmp-paris 198.18.0.9");
	scen_run(h, 60);
	t = scen_trace(h, 0);
	ck_assert_msg(t->stop_reason == SCAMPER_TRACE_STOP_COMPLETED,
	    "%s", harness_json(h, 0));
	ck_assert_str_eq(scen_path(t, path, sizeof(path)),
	    "1:198.19.0.1 2:198.19.0.2 3:198.19.0.3 4:198.18.0.9");
	harness_free(h);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("harness-trace");
	TCase *tc = tcase_create("trace");

	tcase_add_test(tc, complete);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}
