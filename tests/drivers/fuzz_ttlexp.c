/*
 * fuzz_ttlexp.c: sc_ttlexp on arbitrary bytes: its options (-O nodst,
 * -O noreserved) parsed as main() does, then the warts file read and
 * its time-exceeded sources printed (to /dev/null).  sc_ttlexp.c is
 * compiled in here with main() renamed.
 *
 * Input: the options, each ending in a NUL, up to an empty one (at most
 * 8); then the warts file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int sc_ttlexp_main(int argc, char **argv);

#include "fuzz_file.h"

#define main sc_ttlexp_main
#undef stderr
#define stderr fuzz_null
#undef stdout
#define stdout fuzz_null
#define printf(...) fprintf(fuzz_null, __VA_ARGS__)
#include "../../tools/sc_ttlexp/sc_ttlexp.c"
#undef printf
#undef stdout
#define stdout stdout
#undef stderr
#define stderr stderr
#undef main

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen s = { 0 };
	const uint8_t *rest;
	char *argv[10], *text, path[64];
	size_t restlen;
	int argc, fd;

	fuzz_quiet();
	argc = fuzz_args(data, size, "sc_ttlexp", argv, 10, &text, &rest,
	    &restlen);
	optind = 0;		/* glibc: start afresh */
	opterr = 0;
	opts = 0;
	if (parse(argc, argv) == 0) {
		fd = fuzz_file(rest, restlen, path);
		(void)one_file(&s, path);
		close(fd);
	}
	free(s.a);
	free(text);
	return 0;
}
