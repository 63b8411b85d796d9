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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ctl_linebuf lb;
	static uint8_t out[8192];
	size_t off = 0, room, n;
	char *p, *line;

	ctl_lb_init(&lb);
	while (off < size) {
		p = ctl_lb_space(&lb, &room);
		/* pieces of varying size, as reads would give */
		n = (size_t)(data[off] % 61) + 1;
		if (n > room)
			n = room;
		if (n > size - off)
			n = size - off;
		memcpy(p, data + off, n);
		ctl_lb_commit(&lb, n);
		off += n;
		for (;;) {
			enum ctl_lb_rc rc = ctl_lb_next(&lb, &line);
			if (rc == CTL_LB_NONE)
				break;
			if (rc == CTL_LB_LINE)
				one_line(line);
		}
	}
	(void)ctl_uudecode((const char *)data, size, out, sizeof(out));
	return 0;
}
