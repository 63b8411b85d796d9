/*
 * fuzz_ctl.c: the control-socket input path on arbitrary bytes: the line
 * splitter (fed in pieces), the command tokeniser and "keyword value"
 * parameters on every line, and the uudecoder on the whole input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "ctl_proto.h"
#include "../fuzz/fuzz_feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
one_line(char *line)
{
	static const char *const keys[] = { "name", "file", "mode",
	    "priority", "format" };
	char *argv[64], err[128];
	const char *v[5];
	uint32_t u;
	int argc = cmd_split(line, argv, 64, err, sizeof(err));

	if (argc > 1) {
		(void)ctl_params(argv + 1, argc - 1, keys, 5, v);
		(void)ctl_uint(argv[1], 1, 10000, &u);
	}
}

/* fuzz_feed's EAT: every whole line in the buffer LB handed on, an
 * overlong one dropped; then there must be room for more. */
static int
eat(void *arg)
{
	struct ctl_linebuf *lb = arg;
	enum ctl_lb_rc rc;
	size_t room;
	char *line;

	while ((rc = ctl_lb_next(lb, &line)) != CTL_LB_NONE)
		if (rc == CTL_LB_LINE)
			one_line(line);
	(void)ctl_lb_space(lb, &room);
	if (room == 0)
		abort();	/* a line the buffer neither holds nor drops */
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ctl_linebuf lb;
	static uint8_t out[8192];

	ctl_lb_init(&lb);
	fuzz_feed(&lb, data, 0, size, 61, eat, &lb);
	(void)ctl_uudecode((const char *)data, size, out, sizeof(out));
	return 0;
}
