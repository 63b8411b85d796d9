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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *cmds[] = { "trace 192.0.2.1", "ping -c 2 192.0.2.2",
	    "192.0.2.3" };
	struct opts o;
	struct state st;
	size_t off = 1, room, n;
	char *p;

	if (size == 0)
		return 0;
	if (fuzz_null == NULL && (fuzz_null = fopen("/dev/null", "w")) == NULL)
		abort();
	memset(&o, 0, sizeof(o));
	o.outfile = "/dev/null";
	o.json = data[0] & 1;
	o.impatient = (data[0] & 2) != 0;
	memset(&st, 0, sizeof(st));
	ctl_lb_init(&st.lb);
	st.out = fuzz_null;
	st.fd = -1;
	st.cmds = cmds;
	st.ncmds = sizeof(cmds) / sizeof(cmds[0]);
	while (off < size) {
		p = ctl_lb_space(&st.lb, &room);
		if (room == 0)
			break;
		n = (size_t)(data[off] % 89) + 1;
		if (n > room)
			n = room;
		if (n > size - off)
			n = size - off;
		memcpy(p, data + off, n);
		ctl_lb_commit(&st.lb, n);
		off += n;
		if (on_input(&o, &st) == -1)
			break;
	}
	free(st.data);
	free(st.raw);
	free(st.wbuf);
	return 0;
}
