/*
 * fuzz_aliasdump.c: the dump modes of the alias-resolution drivers on
 * arbitrary bytes: sc_ally -d, sc_radargun -d (its radargun inference),
 * sc_prefixscan -r and sc_speedtrap -d, each with its options parsed as
 * its main() does, then a warts file read in that mode.  Each driver is
 * compiled in by its own fz_NAME.c; aliasdrv.c is compiled in here.
 * Messages and output go to /dev/null.
 *
 * Input: byte 0 & 3 picks the driver (ally, radargun, prefixscan,
 * speedtrap); then its options, each ending in a NUL, up to an empty
 * one (at most 30; the harness adds the file: an operand, or -r FILE
 * for sc_prefixscan); then the warts file.  Seeds: make-aliasdrv-seeds.py.
 */
#include "fuzz_file.h"

#undef stderr
#define stderr fuzz_null
#include "../../tools/aliasdrv/aliasdrv.c"
#undef stderr
#define stderr stderr

int fz_ally(int argc, char **argv, char *path);
int fz_radargun(int argc, char **argv, char *path);
int fz_prefixscan(int argc, char **argv, char *path);
int fz_speedtrap(int argc, char **argv, char *path);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int (*const drv[4])(int, char **, char *) = { fz_ally,
	    fz_radargun, fz_prefixscan, fz_speedtrap };
	static char *const name[4] = { "sc_ally", "sc_radargun",
	    "sc_prefixscan", "sc_speedtrap" };
	const uint8_t *rest;
	char *argv[34], *text, path[64];
	size_t restlen;
	int argc, fd;

	if (size == 0)
		return 0;
	fuzz_quiet();
	argc = fuzz_args(data + 1, size - 1, name[data[0] & 3], argv, 32,
	    &text, &rest, &restlen);
	fd = fuzz_file(rest, restlen, path);
	if ((data[0] & 3) == 2)
		argv[argc++] = "-r";	/* sc_prefixscan -r file */
	argv[argc++] = path;		/* the others' file operand */
	argv[argc] = NULL;
	(void)drv[data[0] & 3](argc, argv, path);
	close(fd);
	free(text);
	return 0;
}
