/*
 * fuzz_feed.h: how the targets of the control-protocol readers (the
 * control socket's, our sc_attach's, the tbit drivers') feed their input: in pieces of the
 * sizes reads would give, into the reader's line buffer.  Static: a
 * target includes it once, after the source that defines the reader.
 */
#ifndef TESTS_FUZZ_FEED_H
#define TESTS_FUZZ_FEED_H

#include <stdint.h>
#include <string.h>

#include "ctl_proto.h"

/* Copy DATA[OFF..SIZE-1] into LB in pieces of 1 to MOST bytes (the
 * byte that starts a piece picks its size), calling EAT(ARG) after
 * each; stop at the end, when LB has no room, or when EAT returns -1. */
static void
fuzz_feed(struct ctl_linebuf *lb, const uint8_t *data, size_t off,
    size_t size, size_t most, int (*eat)(void *), void *arg)
{
	size_t room, n;
	char *p;

	while (off < size) {
		p = ctl_lb_space(lb, &room);
		if (room == 0)
			break;
		n = (size_t)(data[off] % most) + 1;
		if (n > room)
			n = room;
		if (n > size - off)
			n = size - off;
		memcpy(p, data + off, n);
		ctl_lb_commit(lb, n);
		off += n;
		if (eat(arg) == -1)
			break;
	}
}

#endif
