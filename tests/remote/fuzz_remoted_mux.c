/*
 * fuzz_remoted_mux.c: sc_remoted's multiplexed socket (-M) on arbitrary
 * bytes: what a local client sends (frames of u32 channel, u32 length;
 * channel 0's CHANNEL_OPEN and CHANNEL_CLOSE, data for its channels),
 * interleaved with what two remote scampers send on their connections
 * (acks, channel data and ends, as fuzz-remoted frames them), so that
 * VP_UPDATE, VP_DEPART, CHANNEL_CLOSE and channel data flow back to the
 * client too.  The -M socket is real (in a private temporary directory);
 * the client connects to it and is accepted as sc_remoted does.
 * rd_vp.c and rd_mux.c are compiled in here for their static parts.
 *
 * Input: a list of steps, each a selector byte S and then, if S >> 2 is
 * N > 0, N bytes for: S & 3 = 0 or 1 the client, 2 scamper A, 3 scamper
 * B.  N = 0: S = 0 nothing, 1 the client closes its end and another
 * connects (at most MAXCLIENTS times), 2 and 3 scamper A's or B's
 * connection breaks (its vantage point waits to resume).  Each input
 * starts with A ("vp-a") and B (no name) identified, vantage points 1
 * and 2, and one client connected.
 * Seeds: make-mux-seeds.py.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#include "../../tools/sc_remoted/rd_vp.c"
#include "../../tools/sc_remoted/rd_mux.c"
#include "fuzz_rd.h"

static struct rd_conf conf;
static struct rd rd;
static char mux_dir[] = "/tmp/fuzz-remoted-mux.XXXXXX";
static char mux_path[sizeof(mux_dir) + 8];

/* One input's actors: the client's end of its -M connection, the two
 * scampers' connections (NULL once freed) and their ends. */
struct actors {
	struct rd_mclient	*mc;
	int			 cfd;		/* the client's end */
	struct rd_conn		*cn[2];
	int			 sfd[2];	/* the scampers' ends */
	int			 nclients;	/* connected after the first */
};

#define MAXCLIENTS	4

static void
cleanup(void)
{
	rd_free_all(&rd);
	rd_mux_close(&rd);
	(void)rmdir(mux_dir);
}

static void
setup(void)
{
	if (mkdtemp(mux_dir) == NULL)
		abort();
	snprintf(mux_path, sizeof(mux_path), "%s/mux", mux_dir);
	/* -M only, as "sc_remoted -M path" */
	fuzz_rd_init(&rd, &conf, NULL, mux_path);
	if (rd_mux_open(&rd) == -1)
		abort();
	atexit(cleanup);
}

/* Nonzero if CN is still one of sc_remoted's connections. */
static int
conn_live(const struct rd_conn *cn)
{
	const struct rd_conn *c;

	TAILQ_FOREACH(c, &rd.conns, e)
		if (c == cn)
			return !c->closing;
	return 0;
}

/* Bytes P[0..N-1] from scamper K, read and acted on. */
static void
scamper_in(struct actors *a, int k, const uint8_t *p, size_t n)
{
	struct rd_conn *cn = a->cn[k];

	if (cn == NULL || !conn_live(cn))
		return;
	if (n > RD_RBUF - cn->rlen)
		n = RD_RBUF - cn->rlen;
	memcpy(cn->rbuf + cn->rlen, p, n);
	cn->rlen += n;
	(void)on_messages(cn);
	cn->wlen = cn->woff = 0;	/* scamper reads what it is sent */
}

/* Scamper K's connection, identified by MASTER_NEW with NAME. */
static void
scamper_new(struct actors *a, int k, const char *name)
{
	struct rd_conn *c;
	struct rp_ctl m;
	uint8_t buf[RP_HDRLEN + 300];
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) == -1)
		abort();
	a->sfd[k] = sv[1];
	a->cn[k] = NULL;
	rd_conn_new(&rd, sv[0], k == 0 ? "192.0.2.9:4000" :
	    "2001:db8::9.4001", k == 0 ? "192.0.2.9" : "2001:db8::9");
	TAILQ_FOREACH(c, &rd.conns, e)
		a->cn[k] = c;		/* the newest */
	memset(&m, 0, sizeof(m));
	m.type = RP_MASTER_NEW;
	memset(m.magic, 'a' + k, sizeof(m.magic));
	snprintf(m.name, sizeof(m.name), "%s", name);
	scamper_in(a, k, buf, rp_ctl_encode(&m, 0, buf));
}

/* A new client of the -M socket, accepted as sc_remoted does. */
static void
client_new(struct actors *a)
{
	struct sockaddr_un sun;
	struct rd_mclient *mc;

	a->mc = NULL;
	if ((a->cfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0)) == -1)
		abort();
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, mux_path, strlen(mux_path));
	if (connect(a->cfd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		abort();
	on_accept(rd.mux->lfd, rd.mux->fd, LOOP_READ, rd.mux);
	TAILQ_FOREACH(mc, &rd.mux->clients, e)
		a->mc = mc;		/* the newest */
	if (a->mc == NULL)
		abort();
}

/* Nonzero if the client is still one of the -M socket's. */
static int
client_live(const struct actors *a)
{
	const struct rd_mclient *mc;

	TAILQ_FOREACH(mc, &rd.mux->clients, e)
		if (mc == a->mc)
			return !mc->closing;
	return 0;
}

/* What sc_remoted wrote to the client, read and dropped. */
static void
client_drain(struct actors *a)
{
	uint8_t buf[16384];

	while (read(a->cfd, buf, sizeof(buf)) > 0)
		continue;
}

/* Bytes P[0..N-1] from the client, read and acted on as the loop
 * would; its replies read. */
static void
client_in(struct actors *a, const uint8_t *p, size_t n)
{
	if (!client_live(a))
		return;
	if (write(a->cfd, p, n) != (ssize_t)n)
		abort();
	on_client(a->mc->lfd, a->mc->fd, LOOP_READ | LOOP_WRITE, a->mc);
	if (client_live(a))
		on_client(a->mc->lfd, a->mc->fd, LOOP_WRITE, a->mc);
	client_drain(a);
}

/* Step N = 0 of selector S: the client or a scamper goes. */
static void
step_event(struct actors *a, int s)
{
	switch (s) {
	case 0:
		break;
	case 1:
		if (a->nclients >= MAXCLIENTS)
			break;
		a->nclients++;
		close(a->cfd);
		if (client_live(a))	/* it reads the end of its input */
			on_client(a->mc->lfd, a->mc->fd, LOOP_READ, a->mc);
		client_new(a);
		break;
	default:
		if (a->cn[s - 2] != NULL && conn_live(a->cn[s - 2]))
			conn_fail(a->cn[s - 2], "end of input");
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct actors a;
	size_t off = 0, n;
	int s;

	if (rd.l == NULL)
		setup();
	rd.mux->next_vp = 0;
	memset(&a, 0, sizeof(a));
	scamper_new(&a, 0, "vp-a");
	scamper_new(&a, 1, "");
	client_new(&a);
	while (off < size) {
		s = data[off] & 3;
		n = data[off++] >> 2;
		if (n > size - off)
			n = size - off;
		if (n == 0)
			step_event(&a, s);
		else if (s < 2)
			client_in(&a, data + off, n);
		else
			scamper_in(&a, s - 2, data + off, n);
		off += n;
		(void)loop_run_due(rd.l);	/* frees what closed */
		if (!client_live(&a))
			a.mc = NULL;
		for (s = 0; s < 2; s++)
			if (a.cn[s] != NULL && !conn_live(a.cn[s]))
				a.cn[s] = NULL;
	}
	/* every vantage point is forgotten (VP_DEPART), then the client */
	rd_free_all(&rd);
	client_drain(&a);
	while (!TAILQ_EMPTY(&rd.mux->clients))
		mc_free(TAILQ_FIRST(&rd.mux->clients));
	close(a.cfd);
	close(a.sfd[0]);
	close(a.sfd[1]);
	return 0;
}
