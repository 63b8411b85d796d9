/*
 * fuzz_erosprober.c: sc_erosprober's input on arbitrary bytes: its
 * options parsed as main() does, the address file read as main() reads
 * it, then control-socket lines served as a client's (ep_ctl.c): the
 * set stays sound (every live address parses back to itself).
 * ep_opts.c and ep_ctl.c are compiled in here; their messages go to
 * /dev/null.
 *
 * Input: the options, each ending in a NUL, up to an empty one (at most
 * 16); then the address file up to a NUL; then the control lines (-a
 * is the harness's).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#include "fuzz_file.h"

#undef stderr
#define stderr fuzz_null
#include "../../tools/sc_erosprober/ep_opts.c"
#include "../../tools/sc_erosprober/ep_ctl.c"
#undef stderr
#define stderr stderr

struct ep_opts ep_o;
struct ep_set ep_set;

void
ep_set_changed(void)
{
}

/* The control lines P[0..N-1] served as client C's. */
static void
control(const uint8_t *p, size_t n)
{
	struct client c;

	memset(&c, 0, sizeof(c));
	if ((c.fd = fileno(fuzz_null)) == -1)
		abort();
	while (n > 0) {
		size_t k = n < sizeof(c.buf) - c.len ? n :
		    sizeof(c.buf) - c.len;
		char *nl;

		memcpy(c.buf + c.len, p, k);
		c.len += k;
		p += k;
		n -= k;
		while ((nl = memchr(c.buf, '\n', c.len)) != NULL) {
			size_t used = (size_t)(nl - c.buf) + 1;

			*nl = '\0';
			command(&c, c.buf);
			memmove(c.buf, c.buf + used, c.len - used);
			c.len -= used;
		}
		if (c.len == sizeof(c.buf))
			c.len = 0;
	}
}

/* Every address of the set parses back to its own bytes. */
static void
check_set(void)
{
	char err[128];

	for (size_t i = 0; i < ep_set.n; i++) {
		struct drv_target t;

		if (ep_addr_parse(ep_set.a[i].t.addr, &t, err,
		    sizeof(err)) == -1 || t.af != ep_set.a[i].t.af ||
		    memcmp(t.bin, ep_set.a[i].t.bin, 16) != 0)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *rest, *ctl;
	char *argv[20], *text, path[64];
	size_t restlen, flen;
	int argc, fd;

	fuzz_quiet();
	memset(&ep_o, 0, sizeof(ep_o));
	argc = fuzz_args(data, size, "sc_erosprober", argv, 18, &text, &rest,
	    &restlen);
	ctl = memchr(rest, '\0', restlen);
	flen = ctl != NULL ? (size_t)(ctl - rest) : restlen;
	fd = fuzz_file(rest, flen, path);
	argv[argc++] = "-a";
	argv[argc++] = path;
	argv[argc] = NULL;
	optind = 0;		/* glibc: start afresh */
	opterr = 0;
	if (ep_parse(argc, argv) == 0 &&
	    (ep_o.logfile = NULL, ep_read_addrs()) == 0) {	/* no log */
		if (ctl != NULL)
			control(ctl + 1, restlen - flen - 1);
		check_set();
	}
	close(fd);
	ep_set_free(&ep_set);
	drv_close();
	free(text);
	return 0;
}
