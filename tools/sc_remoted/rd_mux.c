/*
 * rd_mux.c: sc_remoted's multiplexed socket (-M path): one unix socket
 * through which a client reaches every vantage point by number, opens
 * channels to them and learns when they come and go
 * (scamper-behaviour.md b.7; sc_remoted(1), MULTIPLEXED SOCKET).
 *
 * Every message, both ways: u32 channel, u32 length, payload (big-
 * endian).  Channel 0: u16 type, then
 *	VP_UPDATE	-> u32 vp, { u16 attribute, value, NUL }...
 *	VP_DEPART	-> u32 vp
 *	GO		-> (the first VP_UPDATEs are all out)
 *	CHANNEL_OPEN	<- u32 vp, u32 channel (the client's number)
 *	CHANNEL_CLOSE	<> u32 channel
 * Other channels carry one attached session's bytes, as a VP's own
 * socket does.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"
#include "rd.h"

#define MX_HDR		8
#define MX_MAXIN	(RP_MAXPAYLOAD + MX_HDR)	/* client's frames */

enum { MX_VP_UPDATE = 0, MX_VP_DEPART, MX_GO, MX_CHANNEL_OPEN,
    MX_CHANNEL_CLOSE };
enum { MX_ATTR_NAME = 1, MX_ATTR_ARRIVAL = 2, MX_ATTR_ADDR = 3 };

struct rd_mclient {
	struct rd_muxd		*mx;
	int			 fd;
	struct loop_fd		*lfd;
	uint8_t			 rbuf[MX_MAXIN];
	size_t			 rlen;
	uint8_t			*wq;
	size_t			 woff, wlen, wcap;
	int			 closing;	/* free from the timer */
	struct timer		 reap;
	TAILQ_HEAD(, rd_chan)	 chans;
	TAILQ_ENTRY(rd_mclient)	 e;
};

struct rd_muxd {
	struct rd		*rd;
	int			 fd;
	struct loop_fd		*lfd;
	uint32_t		 next_vp;
	TAILQ_HEAD(, rd_mclient) clients;
};

static void mc_watch(struct rd_mclient *mc);

static void
be_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
be_put32(uint8_t *p, uint32_t v)
{
	be_put16(p, (uint16_t)(v >> 16));
	be_put16(p + 2, (uint16_t)v);
}

static uint16_t
be_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
be_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}
static void mc_close(struct rd_mclient *mc, const char *why);

/* ---- output ------------------------------------------------------------ */

/* Queue a message of LEN payload bytes on CHAN; returns where the
 * payload goes, or NULL (the client is closed). */
static uint8_t *
mc_reserve(struct rd_mclient *mc, uint32_t chan, size_t len)
{
	uint8_t *p;

	if (mc->closing)
		return NULL;
	if (mc->woff > 0 && mc->woff == mc->wlen)
		mc->woff = mc->wlen = 0;
	if (mc->wlen + MX_HDR + len > mc->wcap) {
		size_t cap = mc->wcap == 0 ? 16384 : mc->wcap;
		uint8_t *n;

		if (mc->woff > 0) {
			memmove(mc->wq, mc->wq + mc->woff, mc->wlen - mc->woff);
			mc->wlen -= mc->woff;
			mc->woff = 0;
		}
		while (cap < mc->wlen + MX_HDR + len)
			cap *= 2;
		if (cap > mc->wcap) {
			if ((n = realloc(mc->wq, cap)) == NULL) {
				mc_close(mc, "out of memory");
				return NULL;
			}
			mc->wq = n;
			mc->wcap = cap;
		}
	}
	p = mc->wq + mc->wlen;
	be_put32(p, chan);
	be_put32(p + 4, (uint32_t)len);
	mc->wlen += MX_HDR + len;
	mc_watch(mc);
	return p + MX_HDR;
}

static void
mc_ctl32(struct rd_mclient *mc, uint16_t type, uint32_t v)
{
	uint8_t *p = mc_reserve(mc, 0, 6);

	if (p != NULL) {
		be_put16(p, type);
		be_put32(p + 2, v);
	}
}

/* Append attribute A with value V to BUF at *OFF (room checked). */
static void
put_attr(uint8_t *buf, size_t *off, uint16_t a, const char *v)
{
	size_t n = strlen(v) + 1;

	be_put16(buf + *off, a);
	memcpy(buf + *off + 2, v, n);
	*off += 2 + n;
}

static void
mc_vp_update(struct rd_mclient *mc, const struct rd_vp *vp)
{
	uint8_t buf[6 + 3 * 2 + sizeof(vp->monitor) + sizeof(vp->arrived) +
	    sizeof(vp->addr)], *p;
	size_t off = 6;

	be_put16(buf, MX_VP_UPDATE);
	be_put32(buf + 2, vp->id);
	if (vp->monitor[0] != '\0')
		put_attr(buf, &off, MX_ATTR_NAME, vp->monitor);
	put_attr(buf, &off, MX_ATTR_ARRIVAL, vp->arrived);
	put_attr(buf, &off, MX_ATTR_ADDR, vp->addr);
	if ((p = mc_reserve(mc, 0, off)) != NULL)
		memcpy(p, buf, off);
}

/* ---- the client's channels ---------------------------------------------- */

static struct rd_chan *
mc_chan(struct rd_mclient *mc, uint32_t id)
{
	struct rd_chan *ch;

	TAILQ_FOREACH(ch, &mc->chans, mce)
		if (ch->mc_id == id)
			return ch;
	return NULL;
}

static struct rd_vp *
vp_by_id(struct rd *rd, uint32_t id)
{
	struct rd_vp *vp;

	TAILQ_FOREACH(vp, &rd->vps, e)
		if (vp->id == id)
			return vp;
	return NULL;
}

static void
chan_open(struct rd_mclient *mc, uint32_t vpid, uint32_t id)
{
	struct rd_vp *vp = vp_by_id(mc->mx->rd, vpid);
	struct rd_chan *ch;

	if (id == 0 || mc_chan(mc, id) != NULL || vp == NULL) {
		log_warnx("-M client: CHANNEL_OPEN %u to vantage point %u "
		    "refused: %s", id, vpid, vp == NULL ? "no such vantage "
		    "point" : "channel number 0 or in use");
		mc_ctl32(mc, MX_CHANNEL_CLOSE, id);
		return;
	}
	if ((ch = rd_chan_new_mux(vp, mc, id)) == NULL) {
		mc_ctl32(mc, MX_CHANNEL_CLOSE, id);
		return;
	}
	TAILQ_INSERT_TAIL(&mc->chans, ch, mce);
}

void
rd_mux_chan_unlink(struct rd_chan *ch)
{
	if (ch->mc == NULL)
		return;
	TAILQ_REMOVE(&ch->mc->chans, ch, mce);
	ch->mc = NULL;
}

void
rd_mux_chan_closed(struct rd_chan *ch)
{
	struct rd_mclient *mc = ch->mc;

	if (mc == NULL)
		return;
	mc_ctl32(mc, MX_CHANNEL_CLOSE, ch->mc_id);
	rd_mux_chan_unlink(ch);
}

void
rd_mux_chan_data(struct rd_chan *ch, const uint8_t *p, size_t len)
{
	uint8_t *q = mc_reserve(ch->mc, ch->mc_id, len);

	if (q != NULL)
		memcpy(q, p, len);
}

/* ---- the client's input ------------------------------------------------- */

/* A control message P[0..LEN-1].  Returns 0, or -1 (closed). */
static int
mc_control(struct rd_mclient *mc, const uint8_t *p, size_t len)
{
	struct rd_chan *ch;
	uint16_t t;

	if (len < 2) {
		mc_close(mc, "protocol error: empty control message");
		return -1;
	}
	t = be_get16(p);
	if (t == MX_CHANNEL_OPEN && len == 10) {
		chan_open(mc, be_get32(p + 2), be_get32(p + 6));
		return 0;
	}
	if (t == MX_CHANNEL_CLOSE && len == 6) {
		if ((ch = mc_chan(mc, be_get32(p + 2))) != NULL)
			rd_chan_gone(ch);
		return 0;
	}
	mc_close(mc, t == MX_CHANNEL_OPEN || t == MX_CHANNEL_CLOSE ?
	    "protocol error: control message of the wrong length" :
	    "protocol error: unknown control message");
	return -1;
}

/* Bytes for channel ID from the client. */
static void
mc_data(struct rd_mclient *mc, uint32_t id, const uint8_t *p, size_t len)
{
	struct rd_chan *ch = mc_chan(mc, id);

	if (ch == NULL || ch->fin_sent)
		return;		/* closed a moment ago: dropped */
	if (ch->vp->link.held_bytes > 2 * RD_HELD_MAX) {
		/* a vantage point that acknowledges nothing (gone, waiting
		 * to resume) cannot take more: end the channel */
		log_warnx("%s: channel %u: over %u bytes unacknowledged; "
		    "closed", ch->vp->name, ch->id, 2 * RD_HELD_MAX);
		mc_ctl32(mc, MX_CHANNEL_CLOSE, id);
		rd_chan_gone(ch);
		return;
	}
	(void)rd_chan_send(ch, p, len);
}

static void
mc_read(struct rd_mclient *mc)
{
	size_t off = 0, n;
	ssize_t r;
	uint32_t chan;

	r = read(mc->fd, mc->rbuf + mc->rlen, sizeof(mc->rbuf) - mc->rlen);
	if (r == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r <= 0) {
		mc_close(mc, r == 0 ? NULL : strerror(errno));
		return;
	}
	mc->rlen += (size_t)r;
	while (mc->rlen - off >= MX_HDR) {
		chan = be_get32(mc->rbuf + off);
		n = be_get32(mc->rbuf + off + 4);
		if (n == 0 || n > RP_MAXPAYLOAD) {
			mc_close(mc, "protocol error: a message of 0 or over "
			    "65535 bytes");
			return;
		}
		if (mc->rlen - off < MX_HDR + n)
			break;
		if (chan == 0) {
			if (mc_control(mc, mc->rbuf + off + MX_HDR, n) == -1)
				return;
		} else
			mc_data(mc, chan, mc->rbuf + off + MX_HDR, n);
		off += MX_HDR + n;
	}
	memmove(mc->rbuf, mc->rbuf + off, mc->rlen - off);
	mc->rlen -= off;
}

static void
mc_write(struct rd_mclient *mc)
{
	ssize_t n = write(mc->fd, mc->wq + mc->woff, mc->wlen - mc->woff);

	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		mc_close(mc, strerror(errno));
		return;
	}
	mc->woff += (size_t)n;
}

static void
on_client(struct loop_fd *lfd, int fd, int events, void *arg)
{
	struct rd_mclient *mc = arg;

	(void)lfd;
	(void)fd;
	if ((events & LOOP_WRITE) && mc->wlen > mc->woff)
		mc_write(mc);
	if (!mc->closing && (events & LOOP_READ))
		mc_read(mc);
	mc_watch(mc);
}

static void
mc_watch(struct rd_mclient *mc)
{
	int ev = 0;

	if (mc->closing || mc->lfd == NULL)
		return;
	/* a client that does not read its results is not read either */
	if (mc->wlen - mc->woff < RD_CLIENT_WQ)
		ev |= LOOP_READ;
	if (mc->wlen > mc->woff)
		ev |= LOOP_WRITE;
	loop_fd_set(mc->mx->rd->l, mc->lfd, ev);
}

static void
mc_free(struct rd_mclient *mc)
{
	while (!TAILQ_EMPTY(&mc->chans))
		rd_chan_gone(TAILQ_FIRST(&mc->chans));
	TAILQ_REMOVE(&mc->mx->clients, mc, e);
	loop_timer_cancel(mc->mx->rd->l, &mc->reap);
	if (mc->lfd != NULL)
		loop_fd_del(mc->mx->rd->l, mc->lfd);
	close(mc->fd);
	free(mc->wq);
	free(mc);
}

static void
on_reap(void *arg)
{
	mc_free(arg);
}

/* The client goes (WHY logged unless NULL); its channels end as if
 * their sockets had closed.  Freed from the loop. */
static void
mc_close(struct rd_mclient *mc, const char *why)
{
	if (mc->closing)
		return;
	if (why != NULL)
		log_warnx("-M client: %s; closed", why);
	else
		log_debug("-M client left");
	mc->closing = 1;
	while (!TAILQ_EMPTY(&mc->chans))
		rd_chan_gone(TAILQ_FIRST(&mc->chans));
	if (mc->lfd != NULL)
		loop_fd_set(mc->mx->rd->l, mc->lfd, 0);
	loop_timer_after(mc->mx->rd->l, &mc->reap, 0);
}

static void
on_accept(struct loop_fd *lfd, int lfdnum, int events, void *arg)
{
	struct rd_muxd *mx = arg;
	struct rd_mclient *mc;
	struct rd_vp *vp;
	uint8_t *p;
	int fd;

	(void)lfd;
	(void)events;
	if ((fd = accept4(lfdnum, NULL, NULL, SOCK_NONBLOCK |
	    SOCK_CLOEXEC)) == -1) {
		if (errno != EAGAIN && errno != EINTR)
			log_warn("%s: accept", mx->rd->c->mux);
		return;
	}
	if ((mc = calloc(1, sizeof(*mc))) == NULL || (mc->lfd =
	    loop_fd_add(mx->rd->l, fd, LOOP_READ, on_client, mc)) == NULL) {
		log_warn("%s: accept", mx->rd->c->mux);
		free(mc);
		close(fd);
		return;
	}
	mc->mx = mx;
	mc->fd = fd;
	TAILQ_INIT(&mc->chans);
	timer_init(&mc->reap, on_reap, mc);
	TAILQ_INSERT_TAIL(&mx->clients, mc, e);
	log_debug("-M client connected");
	TAILQ_FOREACH(vp, &mx->rd->vps, e)
		if (vp->id != 0)
			mc_vp_update(mc, vp);
	if ((p = mc_reserve(mc, 0, 2)) != NULL)
		be_put16(p, MX_GO);
}

/* ---- vantage points ------------------------------------------------------ */

/* PEER ("ip:port" or "ip6.port") without its port. */
static void
peer_addr(const char *peer, char *out, size_t len)
{
	const char *sep = strrchr(peer, strchr(peer, ':') != strrchr(peer,
	    ':') ? '.' : ':');
	size_t n = sep != NULL ? (size_t)(sep - peer) : strlen(peer);

	if (n >= len)
		n = len - 1;
	memcpy(out, peer, n);
	out[n] = '\0';
}

void
rd_mux_vp_update(struct rd_vp *vp, const char *peer)
{
	struct rd_muxd *mx = vp->rd->mux;
	struct rd_mclient *mc;
	struct timeval tv;

	if (vp->rd->c->dir == NULL) {	/* no -U: the name for the logs */
		if (vp->monitor[0] != '\0')
			snprintf(vp->name, sizeof(vp->name), "%s-%s",
			    vp->monitor, peer);
		else
			snprintf(vp->name, sizeof(vp->name), "%s", peer);
	}
	if (mx == NULL)
		return;
	if (vp->id == 0) {
		do
			vp->id = ++mx->next_vp;
		while (vp->id == 0 || vp_by_id(vp->rd, vp->id) != vp);
		gettimeofday(&tv, NULL);
		snprintf(vp->arrived, sizeof(vp->arrived), "%lld.%06ld",
		    (long long)tv.tv_sec, (long)tv.tv_usec);
	}
	peer_addr(peer, vp->addr, sizeof(vp->addr));
	TAILQ_FOREACH(mc, &mx->clients, e)
		mc_vp_update(mc, vp);
}

void
rd_mux_vp_depart(struct rd_vp *vp)
{
	struct rd_mclient *mc;

	if (vp->rd->mux == NULL || vp->id == 0)
		return;
	TAILQ_FOREACH(mc, &vp->rd->mux->clients, e)
		mc_ctl32(mc, MX_VP_DEPART, vp->id);
}

/* ---- the socket ------------------------------------------------------------ */

int
rd_mux_open(struct rd *rd)
{
	const struct rd_conf *c = rd->c;
	struct sockaddr_un sun;
	struct rd_muxd *mx;
	mode_t mode = 0700;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(c->mux) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "sc_remoted: -M %s: path too long (at most %zu "
		    "bytes)\n", c->mux, sizeof(sun.sun_path) - 1);
		return -1;
	}
	memcpy(sun.sun_path, c->mux, strlen(c->mux));
	if ((mx = calloc(1, sizeof(*mx))) == NULL)
		return -1;
	mx->rd = rd;
	TAILQ_INIT(&mx->clients);
	(void)unlink(c->mux);
	if (c->allowgroup)
		mode |= 0070;
	if (c->allowother)
		mode |= 0007;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    chmod(c->mux, mode) == -1 || listen(fd, 64) == -1 ||
	    (mx->lfd = loop_fd_add(rd->l, fd, LOOP_READ, on_accept,
	    mx)) == NULL) {
		fprintf(stderr, "sc_remoted: -M %s: %s\n", c->mux,
		    strerror(errno));
		if (fd != -1) {
			close(fd);
			(void)unlink(c->mux);
		}
		free(mx);
		return -1;
	}
	mx->fd = fd;
	rd->mux = mx;
	return 0;
}

void
rd_mux_close(struct rd *rd)
{
	struct rd_muxd *mx = rd->mux;

	if (mx == NULL)
		return;
	while (!TAILQ_EMPTY(&mx->clients))
		mc_free(TAILQ_FIRST(&mx->clients));
	loop_fd_del(rd->l, mx->lfd);
	close(mx->fd);
	(void)unlink(rd->c->mux);
	free(mx);
	rd->mux = NULL;
}
