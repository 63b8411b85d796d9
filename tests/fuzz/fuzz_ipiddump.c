/*
 * fuzz_ipiddump.c: sc_ipiddump on arbitrary bytes: its options (-i
 * addresses, -U user ids, comma separated; -O notrace) taken as main()
 * takes them, then a warts file's ping, trace and dealias replies read
 * into rows, sorted and printed (to /dev/null).  sc_ipiddump.c is
 * compiled in here with main() renamed; its messages go to /dev/null.
 *
 * Input: the options, each ending in a NUL, up to an empty one (at most
 * 32); then the warts file.
 */
#include <getopt.h>

#define FZ_MAIN sc_ipiddump_main
#define FZ_SOURCE "../../tools/sc_ipiddump/sc_ipiddump.c"
#include "fuzz_tool.h"

/* main()'s options loop.  Returns 0 or -1 (refused). */
static int
options(int argc, char **argv)
{
	int c;

	optind = 0;		/* glibc: start afresh */
	opterr = 0;
	while ((c = getopt(argc, argv, "i:O:U:?")) != -1) {
		switch (c) {
		case 'i': case 'U':
			if (parse_list(c, optarg) == -1)
				return -1;
			break;
		case 'O':
			if (strcmp(optarg, "notrace") != 0)
				return fail3("-O", optarg, "unknown option");
			o.notrace = 1;
			break;
		default:
			return -1;
		}
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *rest;
	char *argv[34], *text, path[64];
	size_t restlen;
	int argc, fd;

	fuzz_quiet();
	argc = fuzz_args(data, size, "sc_ipiddump", argv, 34, &text, &rest,
	    &restlen);
	if (options(argc, argv) == 0) {
		fd = fuzz_file(rest, restlen, path);
		(void)read_file(path);
		close(fd);
		if (nrows > 0)
			qsort(rows, nrows, sizeof(*rows), cmp_row);
		for (size_t i = 0; i < nrows; i++) {
			if (i > 0 && cmp_row(&rows[i - 1], &rows[i]) > 0)
				abort();
			printf("%s %s %0*x\n", rows[i].src, rows[i].addr,
			    rows[i].wide ? 8 : 4, rows[i].ipid);
		}
	}
	free(rows);
	free(o.ips);
	free(o.uids);
	memset(&o, 0, sizeof(o));
	rows = NULL;
	nrows = caprows = 0;
	free(text);
	return 0;
}
