/*
 * fuzz_ttlexp.c: sc_ttlexp on arbitrary bytes: its options (-O nodst,
 * -O noreserved) parsed as main() does, then the warts file read and
 * its time-exceeded sources printed (to /dev/null).  sc_ttlexp.c is
 * compiled in through fz_driver.h.
 *
 * Input: the options, each ending in a NUL, up to an empty one (at most
 * 8); then the warts file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int ttlexp_file(const char *path);

#define FZ_FUNC		ttlexp_run
#define FZ_MAIN		sc_ttlexp_main
#define FZ_SOURCE	"../../tools/sc_ttlexp/sc_ttlexp.c"
#define FZ_WANTS_DUMP	1
#define FZ_DUMP(PATHP)	ttlexp_file(*(PATHP))
#include "fz_driver.h"

/* The file PATH read as main() reads each. */
static int
ttlexp_file(const char *path)
{
	struct seen s = { 0 };
	int rc = one_file(&s, path);

	free(s.a);
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *rest;
	char *argv[10], *text, path[64];
	size_t restlen;
	int argc, fd;

	fuzz_quiet();
	argc = fuzz_args(data, size, "sc_ttlexp", argv, 10, &text, &rest,
	    &restlen);
	fd = fuzz_file(rest, restlen, path);
	(void)ttlexp_run(argc, argv, path);
	close(fd);
	free(text);
	return 0;
}
