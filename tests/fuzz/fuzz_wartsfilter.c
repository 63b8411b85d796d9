/*
 * fuzz_wartsfilter.c: sc_wartsfilter on arbitrary bytes: its options
 * (-a address[/len], -t type, -l, -c, -s, -e, -O check-hops) parsed as
 * main() does, then the warts file filtered with them, what is selected
 * written (to /dev/null).  sc_wartsfilter.c is
 * compiled in here with main() renamed; its messages go to /dev/null.
 *
 * Input: the options, each ending in a NUL, up to an empty one (at most
 * 32); then the warts file.  -i and -o are the harness's.
 */
#include <getopt.h>

#define FZ_MAIN sc_wartsfilter_main
#define FZ_SOURCE "../../tools/warts/sc_wartsfilter.c"
#include "fuzz_tool.h"

/* The file P[0..N-1] filtered by F as main() does. */
static void
filter_file(const struct filter *f, const uint8_t *p, size_t n)
{
	struct scamper_file *in, *out;
	char path[64];
	uint16_t type;
	void *obj;
	int fd = fuzz_file(p, n, path);

	if ((in = scamper_file_open_read(path)) == NULL)
		abort();
	if ((out = scamper_file_open_write("/dev/null")) == NULL)
		abort();
	while (scamper_file_read(in, &type, &obj) == 1) {
		if (selected(f, type, obj) &&
		    scamper_file_write_obj(out, type, obj) != 0)
			abort();
		scamper_file_obj_free(type, obj);
	}
	scamper_file_close(in);
	(void)scamper_file_close(out);
	close(fd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct filter f = { .from = -1, .until = -1 };
	const char *in = NULL, *out = NULL;
	const uint8_t *rest;
	char *argv[34], *text;
	size_t restlen;
	int argc;

	fuzz_quiet();
	argc = fuzz_args(data, size, "sc_wartsfilter", argv, 34, &text, &rest,
	    &restlen);
	optind = 0;		/* glibc: start afresh */
	opterr = 0;
	if (parse_args(argc, argv, &f, &in, &out) == 0)
		filter_file(&f, rest, restlen);
	free(f.pfx);
	free(text);
	return 0;
}
