/*
 * fuzz_attach.c: sc_attach's reader of what scamper sends (OK, ERR,
 * MORE, DATA with uuencoded warts or JSON payloads) on arbitrary bytes,
 * fed in pieces as reads give them.  sc_attach.c is compiled in here
 * with its main() renamed; its messages go to /dev/null.
 *
 * Input: byte 0 picks JSON (bit 0) and -O impatient (bit 1); the rest is
 * the stream from scamper.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int sc_attach_main(int argc, char **argv);

static FILE *fuzz_null;

#define main sc_attach_main
#undef stderr
#define stderr fuzz_null
#include "../../tools/sc_attach/sc_attach.c"
#undef stderr
#define stderr stderr
#undef main
#include "fuzz_feed.h"

/* What the reader is fed with: sc_attach's options and state. */
struct fz_attach {
	struct opts o;
	struct state st;
};

/* fuzz_feed's EAT: sc_attach reads what it has. */
static int
eat(void *arg)
{
	struct fz_attach *a = arg;

	return on_input(&a->o, &a->st);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *cmds[] = { "trace 192.0.2.1", "ping -c 2 192.0.2.2",
	    "192.0.2.3" };
	struct fz_attach a;
	struct opts *o = &a.o;
	struct state *st = &a.st;

	if (size == 0)
		return 0;
	if (fuzz_null == NULL && (fuzz_null = fopen("/dev/null", "w")) == NULL)
		abort();
	memset(&a, 0, sizeof(a));
	o->outfile = "/dev/null";
	o->json = data[0] & 1;
	o->impatient = (data[0] & 2) != 0;
	ctl_lb_init(&st->lb);
	st->out = fuzz_null;
	st->fd = -1;
	st->cmds = cmds;
	st->ncmds = sizeof(cmds) / sizeof(cmds[0]);
	fuzz_feed(&st->lb, data, 1, size, 89, eat, &a);
	free(st->data);
	free(st->raw);
	free(st->wbuf);
	return 0;
}
