/*
 * fuzz_pinger.c: sc_pinger's input on arbitrary bytes: its options (-c,
 * -m, -U, ...) parsed as main() does, then the address file read as
 * main() reads it, and the first command for every address made: one
 * line, the address last.  sc_pinger.c is compiled in through
 * fz_driver.h.
 *
 * Input: the options, each ending in a NUL, up to an empty one (at most
 * 16); then the address file (-a is the harness's).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int pinger_input(void);

#define FZ_FUNC		pinger_run
#define FZ_MAIN		sc_pinger_main
#define FZ_SOURCE	"../../tools/sc_pinger/sc_pinger.c"
#define FZ_WANTS_DUMP	1
#define FZ_DUMP(PATHP)	pinger_input()
#include "fz_driver.h"

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

/* The address file read as main() reads it, every first command
 * checked, then all freed.  Returns 0. */
static int
pinger_input(void)
{
	if (read_addrs() == 0)
		check_commands();
	free(tg);
	free(byaddr);
	free(retry);
	tg = NULL;
	byaddr = retry = NULL;
	ntg = nretry = next_new = inflight = ndone = 0;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *rest;
	char *argv[20], *text, path[64];
	size_t restlen;
	int argc, fd;

	fuzz_quiet();
	argc = fuzz_args(data, size, "sc_pinger", argv, 18, &text, &rest,
	    &restlen);
	fd = fuzz_file(rest, restlen, path);
	argv[argc++] = "-a";
	argv[argc++] = path;
	argv[argc] = NULL;
	(void)pinger_run(argc, argv, path);
	close(fd);
	free(text);
	return 0;
}
