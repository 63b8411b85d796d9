/*
 * fuzz_ctl_session.c: a whole control-socket session on arbitrary bytes:
 * the server's line buffer, every interactive command (get, set, source,
 * outfile, observe, shutdown, exit, help, lss-clear) and, after
 * "attach", attach mode (measurement commands parsed into tasks, halt,
 * done), as one client that just connected.  The client's stream is the
 * input, fed in pieces whose sizes come from the input; what the server
 * writes is thrown away.  The loop never runs: no task starts, no probe
 * is sent, no file is opened (the prober is sandboxed: nofiles).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "ctl.h"
#include "log.h"
#include "loop.h"
#include "methods.h"
#include "netio.h"
#include "opts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct stream {
	const uint8_t	*p;
	size_t		 n, off;
	int		 closed;
};

static ssize_t
s_read(void *arg, void *buf, size_t len)
{
	struct stream *s = arg;
	size_t k;

	if (s->off >= s->n)
		return 0;
	k = (size_t)(s->p[s->off] % 97) + 1;	/* a piece, as reads give */
	if (k > s->n - s->off)
		k = s->n - s->off;
	if (k > len)
		k = len;
	memcpy(buf, s->p + s->off, k);
	s->off += k;
	return (ssize_t)k;
}

static ssize_t
s_write(void *arg, const void *buf, size_t len)
{
	(void)arg;
	(void)buf;
	return (ssize_t)len;
}

static void
s_watch(void *arg, int events)
{
	(void)arg;
	(void)events;
}

static void
s_close(void *arg)
{
	((struct stream *)arg)->closed = 1;
}

static const struct ctl_vio vio = { s_read, s_write, s_watch, s_close };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int quiet;
	struct stream s = { data, size, 0, 0 };
	struct netio_fds fds;
	struct ctl_client *cl;
	struct loop *l;
	struct ctl *ctl;
	struct opts o;

	if (!quiet) {
		log_stderr_off();	/* refusals are logged: not wanted */
		quiet = 1;
	}
	memset(&o, 0, sizeof(o));
	o.command = "trace";
	o.pps = 100;
	o.outfile = "/dev/null";
	o.input = INPUT_REMOTE;		/* no listener is made */
	netio_fds_init(&fds);
	if ((l = loop_new(LOOP_POLL)) == NULL ||
	    (ctl = ctl_prepare(&o, prober_methods)) == NULL)
		abort();
	if (ctl_start(ctl, l, &fds, 1) == -1 ||
	    (cl = ctl_client_stream(ctl, "fuzz", &vio, &s)) == NULL)
		abort();
	/* each call reads a piece; one more once the input is all read */
	for (size_t i = 0; i <= size && !s.closed; i++) {
		int done = s.off >= s.n;

		ctl_client_io(cl, LOOP_READ | LOOP_WRITE);
		if (done)
			break;
	}
	ctl_finish(ctl);
	loop_free(l);
	return 0;
}
