/*
 * fz_radargun.c: sc_radargun compiled in for fuzz-aliasdump (fuzz_aliasdump.c),
 * main() renamed, its messages and output to /dev/null.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_file.h"

int sc_radargun_main(int argc, char **argv);
int fz_radargun(int argc, char **argv, char *path);

#define main sc_radargun_main
#undef stderr
#define stderr fuzz_null
#undef stdout
#define stdout fuzz_null
#define printf(...) fprintf(fuzz_null, __VA_ARGS__)
#include "../../tools/sc_radargun/sc_radargun.c"
#undef printf
#undef stdout
#define stdout stdout
#undef stderr
#define stderr stderr
#undef main

/* The options ARGV (ARGC) parsed as main() does; if they ask for the
 * dump mode, the warts file PATH read in it.  Returns main()'s result
 * (0 or -1). */
int
fz_radargun(int argc, char **argv, char *path)
{
	static char o0[sizeof(o)];
	static int saved;
	int rc;

	fuzz_quiet();
	if (!saved)
		memcpy(o0, &o, sizeof(o));	/* the defaults */
	saved = 1;
	memcpy(&o, o0, sizeof(o));
	optind = 0;		/* glibc: start afresh */
	opterr = 0;
	if ((rc = parse(argc, argv)) == 0 && o.dump != 0)
		rc = dump(&path, 1);
	memcpy(&o, o0, sizeof(o));
	return rc;
}
