/*
 * fuzz_remoted.c: sc_remoted's handling of what a remote scamper sends,
 * on arbitrary bytes: the stream of one TCP connection (plain) is
 * framed and acted on as sc_remoted does: MASTER_NEW (a unix socket is
 * made for the vantage point, in a private temporary directory),
 * MASTER_RES against the sessions of earlier inputs' connections
 * (zombies, kept within the caps), acks, keepalives, channel data and
 * ends.  rd_vp.c is compiled in here for its static reader.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#include "../../tools/sc_remoted/rd_vp.c"
#include "fuzz_rd.h"

static struct rd_conf conf;
static struct rd rd;

static void
cleanup(void)
{
	rd_free_all(&rd);
	(void)rmdir(conf.dir);
}

static void
setup(void)
{
	static char dir[] = "/tmp/fuzz-remoted.XXXXXX";

	if (mkdtemp(dir) == NULL)
		abort();
	fuzz_rd_init(&rd, &conf, dir, NULL);
	atexit(cleanup);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rd_conn *cn = NULL, *c;
	size_t off = 0, n;
	int sv[2];

	if (rd.l == NULL)
		setup();
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) == -1)
		abort();
	rd_conn_new(&rd, sv[0], "192.0.2.9:4000", "192.0.2.9");
	TAILQ_FOREACH(c, &rd.conns, e)
		cn = c;		/* the newest */
	/* the bytes arrive in pieces whose sizes the input picks */
	while (cn != NULL && !cn->closing && off < size) {
		n = (size_t)(data[off] % 251) + 1;
		if (n > size - off)
			n = size - off;
		if (n > RD_RBUF - cn->rlen)
			n = RD_RBUF - cn->rlen;
		memcpy(cn->rbuf + cn->rlen, data + off, n);
		cn->rlen += n;
		off += n;
		if (on_messages(cn) == -1)
			break;
	}
	/* the connection ends: what identified becomes a zombie */
	if (cn != NULL && !cn->closing)
		conn_fail(cn, "end of input");
	while (!TAILQ_EMPTY(&rd.conns))
		conn_free(TAILQ_FIRST(&rd.conns));
	close(sv[1]);
	return 0;
}
