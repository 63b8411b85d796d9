/*
 * fz_driver.h: one alias driver compiled in for fuzz-aliasdump
 * (fuzz_aliasdump.c), its main() renamed, its messages and output sent
 * to /dev/null.  The file that includes it defines FZ_FUNC (the entry
 * point's name), FZ_MAIN (main's new name), FZ_SOURCE (the driver's
 * source, a string), FZ_WANTS_DUMP (true when the parsed options ask
 * for the dump mode) and FZ_DUMP(PATHP) (the dump mode over the one
 * warts file *PATHP).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_file.h"

int FZ_FUNC(int argc, char **argv, char *path);

#include "fuzz_tool.h"

/* The options ARGV (ARGC) parsed as main() does; if they ask for the
 * dump mode, the warts file PATH read in it.  Returns main()'s result
 * (0 or -1). */
int
FZ_FUNC(int argc, char **argv, char *path)
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
	if ((rc = parse(argc, argv)) == 0 && FZ_WANTS_DUMP)
		rc = FZ_DUMP(&path);
	memcpy(&o, o0, sizeof(o));
	return rc;
}
