/*
 * fuzz_pinger.c: sc_pinger's input on arbitrary bytes: its options (-c,
 * -m, -U, ...) parsed as main() does, then the address file read as
 * main() reads it, and the first command for every address made: one
 * line, the address last.  sc_pinger.c is compiled in here with main()
 * renamed; its messages go to /dev/null.
 *
 * Input: the options, each ending in a NUL, up to an empty one (at most
 * 16); then the address file (-a is the harness's).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int sc_pinger_main(int argc, char **argv);

#include "fuzz_file.h"

#define main sc_pinger_main
#undef stderr
#define stderr fuzz_null
#include "../../tools/sc_pinger/sc_pinger.c"
#undef stderr
#define stderr stderr
#undef main

/* Every target's first command is one line ending in its address. */
static void
check_commands(void)
{
	for (size_t i = 0; i < ntg; i++) {
		char *c = command(i);
		size_t n, k;

		if (c == NULL)
			abort();
		n = strlen(c);
		k = strlen(tg[i].t.addr);
		if (strpbrk(c, "\n\r'\"") != NULL || n < k ||
		    strcmp(c + n - k, tg[i].t.addr) != 0)
			abort();
		free(c);
	}
}

static void
reset(void)
{
	static __typeof__(o) o0;
	static int saved;

	if (!saved)
		memcpy(&o0, &o, sizeof(o));	/* the defaults */
	saved = 1;
	memcpy(&o, &o0, sizeof(o));
	free(tg);
	free(byaddr);
	free(retry);
	tg = NULL;
	byaddr = retry = NULL;
	ntg = nretry = next_new = inflight = ndone = 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *rest;
	char *argv[20], *text, path[64];
	size_t restlen;
	int argc, fd;

	fuzz_quiet();
	reset();
	argc = fuzz_args(data, size, "sc_pinger", argv, 18, &text, &rest,
	    &restlen);
	fd = fuzz_file(rest, restlen, path);
	argv[argc++] = "-a";
	argv[argc++] = path;
	argv[argc] = NULL;
	optind = 0;		/* glibc: start afresh */
	opterr = 0;
	if (parse(argc, argv) == 0 && read_addrs() == 0)
		check_commands();
	close(fd);
	free(text);
	reset();
	return 0;
}
