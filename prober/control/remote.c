/*
 * remote.c: scamper's side of the remote-control protocol (see remote.h):
 * the connection to the controller and its lifecycle (connect, TLS,
 * MASTER_NEW or MASTER_RES, go, keepalives, reconnect), and the channels,
 * each served as a virtual control-socket client (ctl_client_virtual).
 */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include "ctl.h"
#include "log.h"
#include "mem.h"
#include "memtrim.h"
#include "remote.h"
#include "remote_proto.h"
#include "tls.h"

#define RMT_MAXADDR	8
#define RMT_HELD_MAX	(8u << 20)	/* unacked bytes: channels wait */
#define RMT_INBUF_MAX	(16u << 20)	/* untaken bytes of one channel */
#define RMT_CONNECT_MS	10000		/* connect + TLS + hello */
#define RMT_BACKOFF_MIN	1000
#define RMT_BACKOFF_MAX	60000
#define RMT_TICK_MS	5000
#define RMT_RBUF	(RP_MAXMSG + 16384)

struct remote;

/* One channel: a virtual client of the control socket. */
struct rchan {
	struct remote		*r;
	uint32_t		 id;
	struct ctl_client	*cl;		/* NULL while being made */
	char			*in;		/* bytes for the client */
	size_t			 in_off, in_len, in_cap;
	int			 fin_rcvd;	/* the controller's FIN */
	int			 reset;		/* session lost: discard */
	int			 events;	/* the client waits for */
	TAILQ_ENTRY(rchan)	 e;
};

enum rstate {
	RS_WAIT,		/* not connected; t_conn reconnects */
	RS_CONNECTING,		/* TCP connect in progress */
	RS_TLS,			/* TLS handshake */
	RS_HELLO,		/* MASTER_NEW/RES sent, awaiting ID/OK/REJ */
	RS_GO,			/* established */
};

struct remote {
	struct ctl		*ctl;
	struct loop		*l;
	char			 host[256];
	char			 where[300];	/* "host:port" for messages */
	struct sockaddr_storage	 addr[RMT_MAXADDR];
	socklen_t		 alen[RMT_MAXADDR];
	int			 naddr, next_addr;
	SSL_CTX			*tls;		/* NULL: plain TCP */
	char			 monitor[RP_NAMEMAX + 1];
	uint8_t			 magic[RP_MAGICLEN];
	int			 have_id;	/* a MASTER_ID was received */
	char			 id[RP_NAMEMAX + 1];
	uint32_t		 nlists;	/* channel list names _k */
	enum rstate		 st;
	int			 fd;
	struct loop_fd		*lfd;
	struct tstream		 ts;
	struct rp_link		 link;
	uint8_t			*rbuf;
	size_t			 rlen;
	uint8_t			*wbuf;
	size_t			 woff, wlen, wcap;
	int			 held_full;	/* channels wait for acks */
	struct timer		 t_conn;	/* reconnect, or give up */
	struct timer		 t_tick;	/* keepalive, silence */
	struct timer		 t_wake;	/* serve ready channels */
	struct monotime		 last_rx, last_tx;
	int64_t			 backoff;
	int			 failures;	/* in a row, for logging */
	int			 trimmed;	/* memory given back since busy */
	TAILQ_HEAD(, rchan)	 chans;
};

static void conn_fail(struct remote *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void start_connect(void *arg);

/* ---- preparation -------------------------------------------------------- */

static int
resolve(struct remote *r, const char *arg, uint16_t port)
{
	const char *colon = strrchr(arg, ':');
	size_t n = (size_t)(colon - arg);
	struct addrinfo hints, *res, *ai;
	char ps[8];
	int rc;

	if (n >= 2 && arg[0] == '[' && arg[n - 1] == ']') {
		arg++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof(r->host)) {
		log_warnx("-R %s: invalid host name", arg);
		return -1;
	}
	memcpy(r->host, arg, n);
	r->host[n] = '\0';
	snprintf(r->where, sizeof(r->where), "%s%s%s:%u",
	    strchr(r->host, ':') != NULL ? "[" : "", r->host,
	    strchr(r->host, ':') != NULL ? "]" : "", port);
	snprintf(ps, sizeof(ps), "%u", port);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((rc = getaddrinfo(r->host, ps, &hints, &res)) != 0) {
		log_warnx("-R %s: cannot resolve %s: %s", r->where, r->host,
		    gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL && r->naddr < RMT_MAXADDR; ai = ai->ai_next)
		if (ai->ai_addrlen <= sizeof(r->addr[0])) {
			memcpy(&r->addr[r->naddr], ai->ai_addr, ai->ai_addrlen);
			r->alen[r->naddr++] = ai->ai_addrlen;
		}
	freeaddrinfo(res);
	if (r->naddr == 0) {
		log_warnx("-R %s: no address for %s", r->where, r->host);
		return -1;
	}
	return 0;
}

struct remote *
remote_prepare(const struct opts *o)
{
	struct remote *r = calloc(1, sizeof(*r));
	char err[512];

	if (r == NULL) {
		log_warn("-R");
		return NULL;
	}
	r->fd = -1;
	TAILQ_INIT(&r->chans);
	rp_link_init(&r->link);
	if (resolve(r, o->remote, o->remote_port) == -1)
		goto fail;
	if (o->monitorname != NULL) {
		if (!rp_name_ok(o->monitorname)) {
			log_warnx("-M %s: with -R the monitor name may only "
			    "hold letters, digits, '.' and '-' (at most 254)",
			    o->monitorname);
			goto fail;
		}
		snprintf(r->monitor, sizeof(r->monitor), "%s", o->monitorname);
	}
	if (!(o->oflags & (OPT_O_NOTLS | OPT_O_NOTLS_REMOTE))) {
		if ((r->tls = tls_ctx_client(o->cafile, o->certfile,
		    o->keyfile, err, sizeof(err))) == NULL) {
			log_warnx("-R %s: %s", r->where, err);
			goto fail;
		}
	}
	if (getrandom(r->magic, sizeof(r->magic), 0) != sizeof(r->magic)) {
		log_warn("-R: random magic");
		goto fail;
	}
	if ((r->rbuf = malloc(RMT_RBUF)) == NULL) {
		log_warn("-R");
		goto fail;
	}
	return r;
fail:
	remote_free(r);
	return NULL;
}

/* ---- output --------------------------------------------------------------- */

static void
watch(struct remote *r)
{
	if (r->lfd == NULL)
		return;
	if (r->st == RS_CONNECTING)
		loop_fd_set(r->l, r->lfd, LOOP_WRITE);
	else
		loop_fd_set(r->l, r->lfd, tstream_events(&r->ts,
		    r->wlen > r->woff) == 3 ? LOOP_READ | LOOP_WRITE :
		    LOOP_READ);
}

/* Queue LEN bytes for the connection.  Returns 0 or -1 (ENOMEM). */
static int
out_raw(struct remote *r, const void *p, size_t len)
{
	if (r->woff > 0 && r->woff == r->wlen)
		r->woff = r->wlen = 0;
	if (r->wlen + len > r->wcap) {
		if (r->woff > 0) {
			memmove(r->wbuf, r->wbuf + r->woff, r->wlen - r->woff);
			r->wlen -= r->woff;
			r->woff = 0;
		}
		if (mem_grow(&r->wbuf, &r->wcap, r->wlen + len, 1, 16384) != 0)
			return -1;
	}
	memcpy(r->wbuf + r->wlen, p, len);
	r->wlen += len;
	r->last_tx = loop_now(r->l);
	return 0;
}

/* An unreliable control message (sequence: snd_nxt once going, else 0). */
static void
send_ctl(struct remote *r, const struct rp_ctl *c)
{
	uint8_t buf[RP_HDRLEN + 300];
	size_t n = rp_ctl_encode(c, r->st == RS_GO ? r->link.snd_nxt : 0,
	    buf);

	if (out_raw(r, buf, n) == -1)
		conn_fail(r, "out of memory");
}

/* A held reliable message goes out now if the session is up; otherwise
 * it waits for the resume. */
static void
send_held(struct remote *r, const struct rp_msg *m)
{
	if (r->st == RS_GO && out_raw(r, m->buf, m->len) == -1)
		conn_fail(r, "out of memory");
}

static void
send_fin(struct remote *r, uint32_t id)
{
	struct rp_ctl c;
	struct rp_msg *m;

	memset(&c, 0, sizeof(c));
	c.type = RP_CHANNEL_FIN;
	c.num = id;
	if ((m = rp_link_send_ctl(&r->link, &c)) == NULL)
		log_warn("remote: channel %u FIN", id);
	else
		send_held(r, m);
}

/* After a failed write: the TLS alert the controller sent before it
 * closed the connection, if one is still to be read (with TLS 1.3 a
 * refused client certificate is reported that way, after our side of
 * the handshake is done), else NULL. */
static const char *
peer_alert(struct remote *r)
{
	uint8_t b[512];

	if (r->ts.ssl == NULL || tstream_read(&r->ts, b, sizeof(b)) != -1 ||
	    errno != EPROTO)
		return NULL;
	return tstream_strerror(&r->ts, errno);
}

static void
flush(struct remote *r)
{
	ssize_t n;

	while (r->wlen > r->woff) {
		n = tstream_write(&r->ts, r->wbuf + r->woff, r->wlen - r->woff);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			int e = errno;
			const char *alert = peer_alert(r);

			conn_fail(r, "write: %s", alert != NULL ? alert :
			    tstream_strerror(&r->ts, e));
			return;
		}
		r->woff += (size_t)n;
	}
	r->woff = r->wlen = 0;
}

/* ---- channels ------------------------------------------------------------- */

static int
chan_ready(const struct rchan *ch)
{
	int ev = 0;

	if ((ch->events & LOOP_READ) &&
	    (ch->in_len > ch->in_off || ch->fin_rcvd || ch->reset))
		ev |= LOOP_READ;
	if ((ch->events & LOOP_WRITE) && (!ch->r->held_full || ch->reset))
		ev |= LOOP_WRITE;
	return ev;
}

static void
wake_soon(struct remote *r)
{
	if (!timer_pending(&r->t_wake))
		loop_timer_after(r->l, &r->t_wake, 0);
}

static void
on_wake(void *arg)
{
	struct remote *r = arg;
	struct rchan *ch, *next;
	int ev;

	for (ch = TAILQ_FIRST(&r->chans); ch != NULL; ch = next) {
		next = TAILQ_NEXT(ch, e);
		if (ch->cl != NULL && (ev = chan_ready(ch)) != 0)
			ctl_client_io(ch->cl, ev);
	}
}

static ssize_t
vio_read(void *arg, void *buf, size_t len)
{
	struct rchan *ch = arg;
	size_t n = ch->in_len - ch->in_off;

	if (ch->reset) {
		errno = ECONNRESET;
		return -1;
	}
	if (n == 0) {
		if (ch->fin_rcvd)
			return 0;
		errno = EAGAIN;
		return -1;
	}
	if (n > len)
		n = len;
	memcpy(buf, ch->in + ch->in_off, n);
	ch->in_off += n;
	if (ch->in_off == ch->in_len)
		ch->in_off = ch->in_len = 0;
	return (ssize_t)n;
}

static ssize_t
vio_write(void *arg, const void *buf, size_t len)
{
	struct rchan *ch = arg;
	struct remote *r = ch->r;
	const uint8_t *p = buf;
	size_t left = len, n;
	struct rp_msg *m;

	if (ch->reset)
		return (ssize_t)len;	/* nobody to read it: discarded */
	if (r->link.held_bytes >= RMT_HELD_MAX) {
		r->held_full = 1;
		errno = EAGAIN;
		return -1;
	}
	while (left > 0) {
		n = left > RP_MAXPAYLOAD ? RP_MAXPAYLOAD : left;
		if ((m = rp_link_send(&r->link, ch->id, p, n)) == NULL) {
			if (left < len)
				break;
			return -1;
		}
		send_held(r, m);
		p += n;
		left -= n;
	}
	if (r->lfd != NULL)
		watch(r);
	return (ssize_t)(len - left);
}

static void
vio_watch(void *arg, int events)
{
	struct rchan *ch = arg;

	ch->events = events;
	if (chan_ready(ch) != 0)
		wake_soon(ch->r);
}

static void
chan_free(struct remote *r, struct rchan *ch)
{
	TAILQ_REMOVE(&r->chans, ch, e);
	free(ch->in);
	free(ch);
}

static void
vio_close(void *arg)
{
	struct rchan *ch = arg;
	struct remote *r = ch->r;

	if (!ch->reset) {
		send_fin(r, ch->id);
		if (r->lfd != NULL)
			watch(r);
	}
	log_debug("remote: channel %u closed", ch->id);
	chan_free(r, ch);
}

static const struct ctl_vio chan_vio = {
	vio_read, vio_write, vio_watch, vio_close,
};

static struct rchan *
chan_find(struct remote *r, uint32_t id)
{
	struct rchan *ch;

	TAILQ_FOREACH(ch, &r->chans, e)
		if (ch->id == id)
			return ch;
	return NULL;
}

static void
chan_new(struct remote *r, uint32_t id)
{
	struct rchan *ch;
	char name[RP_NAMEMAX + 32];

	if (chan_find(r, id) != NULL) {
		log_warnx("remote %s: channel %u opened twice; ignored",
		    r->where, id);
		return;
	}
	if ((ch = calloc(1, sizeof(*ch))) == NULL) {
		log_warn("remote: channel %u", id);
		send_fin(r, id);
		return;
	}
	ch->r = r;
	ch->id = id;
	TAILQ_INSERT_TAIL(&r->chans, ch, e);
	r->trimmed = 0;
	snprintf(name, sizeof(name), "%s_%u", r->id, r->nlists++);
	if ((ch->cl = ctl_client_virtual(r->ctl, name, &chan_vio, ch)) ==
	    NULL) {
		chan_free(r, ch);
		send_fin(r, id);
		return;
	}
	log_debug("remote %s: channel %u is %s", r->where, id, name);
}

static void
chan_data(struct remote *r, uint32_t id, const uint8_t *p, size_t len)
{
	struct rchan *ch = chan_find(r, id);

	if (ch == NULL || ch->fin_rcvd)
		return;		/* closed on our side: nobody to take it */
	if (ch->in_len - ch->in_off + len > RMT_INBUF_MAX) {
		log_warnx("remote %s: channel %u: over %u bytes of commands "
		    "waiting; dropped", r->where, id, RMT_INBUF_MAX);
		return;
	}
	if (ch->in_len + len > ch->in_cap) {
		if (ch->in_off > 0) {
			memmove(ch->in, ch->in + ch->in_off,
			    ch->in_len - ch->in_off);
			ch->in_len -= ch->in_off;
			ch->in_off = 0;
		}
		if (mem_grow(&ch->in, &ch->in_cap, ch->in_len + len, 1,
		    1024) != 0) {
			log_warn("remote: channel %u", id);
			return;
		}
	}
	memcpy(ch->in + ch->in_len, p, len);
	ch->in_len += len;
	if (chan_ready(ch))
		wake_soon(r);
}

/* MASTER_REJ: the controller forgot us; so do the channels. */
static void
chans_reset(struct remote *r)
{
	struct rchan *ch;

	TAILQ_FOREACH(ch, &r->chans, e)
		ch->reset = 1;
	rp_link_reset(&r->link);
	r->held_full = 0;
	r->have_id = 0;
	wake_soon(r);
}

/* ---- input ---------------------------------------------------------------- */

static void
send_ack(struct remote *r, uint32_t seq)
{
	struct rp_ctl c;

	memset(&c, 0, sizeof(c));
	c.type = RP_ACK;
	c.num = seq;
	send_ctl(r, &c);
}

/* The session is up (MASTER_ID or MASTER_OK): send what is held. */
static void
go(struct remote *r)
{
	struct rp_msg *m;

	r->st = RS_GO;
	r->backoff = 0;
	r->trimmed = 0;
	if (r->failures > 0)
		log_info("remote %s: connected again", r->where);
	r->failures = 0;
	loop_timer_cancel(r->l, &r->t_conn);
	TAILQ_FOREACH(m, &r->link.held, e)
		send_held(r, m);
}

static void
on_ack(struct remote *r, uint32_t seq)
{
	if (rp_link_ack(&r->link, seq) == -1) {
		conn_fail(r, "protocol error: ACK %u, expected %u", seq,
		    rp_link_una(&r->link));
		return;
	}
	if (r->held_full && r->link.held_bytes < RMT_HELD_MAX / 2) {
		r->held_full = 0;
		wake_soon(r);
	}
}

/* One control message.  Returns 0, or -1 if the connection failed. */
static int
on_ctl(struct remote *r, const struct rp_hdr *h, const uint8_t *p)
{
	struct rp_ctl c;
	char err[256];

	if (rp_ctl_decode(p, h->len, &c, err, sizeof(err)) == -1) {
		conn_fail(r, "protocol error: %s", err);
		return -1;
	}
	if (rp_ctl_reliable(c.type)) {
		if (r->st != RS_GO || rp_link_recv(&r->link, h->seq) == -1) {
			conn_fail(r, "protocol error: sequence %u, expected "
			    "%u", h->seq, r->link.rcv_nxt);
			return -1;
		}
		send_ack(r, h->seq);
	}
	switch (c.type) {
	case RP_MASTER_ID:
		if (r->st != RS_HELLO || r->have_id)
			break;
		snprintf(r->id, sizeof(r->id), "%s", c.name);
		r->have_id = 1;
		log_info("remote %s: connected, known as %s", r->where, r->id);
		go(r);
		return 0;
	case RP_MASTER_OK:
		if (r->st != RS_HELLO || !r->have_id)
			break;
		if (rp_link_peer_has(&r->link, c.num) == -1) {
			conn_fail(r, "resume: the controller expects %u, we "
			    "hold %u to %u", c.num, rp_link_una(&r->link),
			    r->link.snd_nxt);
			return -1;
		}
		log_info("remote %s: session resumed", r->where);
		go(r);
		return 0;
	case RP_MASTER_REJ:
		if (r->st != RS_HELLO)
			break;
		log_warnx("remote %s: the controller refused to resume the "
		    "session; its channels are dropped, starting afresh",
		    r->where);
		chans_reset(r);
		r->backoff = 0;
		conn_fail(r, "session refused");
		return -1;
	case RP_CHANNEL_NEW:
		chan_new(r, c.num);
		return 0;
	case RP_CHANNEL_FIN: {
		struct rchan *ch = chan_find(r, c.num);
		if (ch != NULL) {
			ch->fin_rcvd = 1;
			if (chan_ready(ch))
				wake_soon(r);
		}
		return 0;
	}
	case RP_ACK:
		if (r->st != RS_GO)
			break;
		on_ack(r, c.num);
		return r->fd == -1 ? -1 : 0;
	case RP_KEEPALIVE:
		return 0;
	default:
		break;
	}
	conn_fail(r, "protocol error: unexpected control message %d",
	    (int)c.type);
	return -1;
}

/* Every complete message in rbuf.  Returns 0, or -1 if the connection
 * failed. */
static int
on_messages(struct remote *r)
{
	struct rp_hdr h;
	size_t off = 0;
	long n;

	while ((n = rp_frame(r->rbuf + off, r->rlen - off, &h)) > 0) {
		const uint8_t *p = r->rbuf + off + RP_HDRLEN;

		off += (size_t)n;
		if (h.chan == 0) {
			if (on_ctl(r, &h, p) == -1 || r->fd == -1)
				return -1;
			continue;
		}
		if (r->st != RS_GO || rp_link_recv(&r->link, h.seq) == -1) {
			conn_fail(r, "protocol error: data sequence %u, "
			    "expected %u", h.seq, r->link.rcv_nxt);
			return -1;
		}
		send_ack(r, h.seq);
		if (r->fd == -1)
			return -1;
		chan_data(r, h.chan, p, h.len);
	}
	if (n == -1) {
		conn_fail(r, "protocol error: empty message");
		return -1;
	}
	memmove(r->rbuf, r->rbuf + off, r->rlen - off);
	r->rlen -= off;
	return 0;
}

static void
do_read(struct remote *r)
{
	ssize_t n;

	for (;;) {
		n = tstream_read(&r->ts, r->rbuf + r->rlen, RMT_RBUF - r->rlen);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			conn_fail(r, "%s", n == 0 ? "the controller closed "
			    "the connection" : tstream_strerror(&r->ts, errno));
			return;
		}
		r->last_rx = loop_now(r->l);
		r->rlen += (size_t)n;
		if (on_messages(r) == -1)
			return;
	}
}

/* ---- connection lifecycle ------------------------------------------------ */

static void
hello(struct remote *r)
{
	struct rp_ctl c;

	memset(&c, 0, sizeof(c));
	memcpy(c.magic, r->magic, RP_MAGICLEN);
	if (r->have_id) {
		c.type = RP_MASTER_RES;
		c.rcv_nxt = r->link.rcv_nxt;
		c.snd_una = rp_link_una(&r->link);
		c.snd_nxt = r->link.snd_nxt;
	} else {
		rp_link_reset(&r->link);
		c.type = RP_MASTER_NEW;
		snprintf(c.name, sizeof(c.name), "%s", r->monitor);
	}
	r->st = RS_HELLO;
	send_ctl(r, &c);
}

static void
on_conn(struct loop_fd *lfd, int fd, int events, void *arg)
{
	struct remote *r = arg;
	char err[512];
	socklen_t sl = sizeof(int);
	int e = 0, one = 1, rc;

	(void)lfd;
	(void)events;
	if (r->st == RS_CONNECTING) {
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &sl) == -1)
			e = errno;
		if (e != 0) {
			conn_fail(r, "connect: %s", strerror(e));
			return;
		}
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
		    sizeof(one));
		if (tstream_init(&r->ts, fd, r->tls, 0, r->host, err,
		    sizeof(err)) == -1) {
			conn_fail(r, "%s", err);
			return;
		}
		r->st = RS_TLS;
		r->last_rx = loop_now(r->l);
	}
	if (r->st == RS_TLS) {
		if ((rc = tstream_handshake(&r->ts, err, sizeof(err))) == -1) {
			conn_fail(r, "%s", err);
			return;
		}
		if (rc == 0) {
			watch(r);
			return;
		}
		hello(r);
	}
	flush(r);
	if (r->fd == -1)
		return;
	do_read(r);
	if (r->fd == -1)
		return;
	flush(r);
	if (r->fd != -1)
		watch(r);
}

static void
conn_close(struct remote *r)
{
	if (r->lfd != NULL)
		loop_fd_del(r->l, r->lfd);
	r->lfd = NULL;
	tstream_free(&r->ts);
	if (r->fd != -1)
		close(r->fd);
	r->fd = -1;
	r->rlen = 0;
	r->woff = r->wlen = 0;
}

/* A hint for WHY when the controller refused our client certificate
 * (with TLS 1.3 that arrives as an alert after the handshake). */
static const char *
tls_hint(const char *why)
{
	if (strstr(why, "certificate required") != NULL)
		return " (the controller wants a client certificate: "
		    "-O certfile= and -O keyfile=)";
	if (strstr(why, "alert unknown ca") != NULL ||
	    strstr(why, "alert bad certificate") != NULL ||
	    strstr(why, "alert certificate unknown") != NULL)
		return " (the controller refused our client certificate)";
	return "";
}

static void
conn_fail(struct remote *r, const char *fmt, ...)
{
	char why[512];
	va_list ap;
	int64_t d;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	conn_close(r);
	r->st = RS_WAIT;
	if (r->backoff == 0)
		r->backoff = RMT_BACKOFF_MIN;
	else if ((r->backoff *= 2) > RMT_BACKOFF_MAX)
		r->backoff = RMT_BACKOFF_MAX;
	d = r->backoff + (int64_t)(random() % (r->backoff / 2 + 1));
	/* the first failure is a warning; repeats only in the debug log */
	if (r->failures++ == 0)
		log_warnx("remote %s: %s%s; reconnecting", r->where, why,
		    tls_hint(why));
	else
		log_debug("remote %s: %s%s; next try in %lld ms", r->where,
		    why, tls_hint(why), (long long)d);
	loop_timer_after(r->l, &r->t_conn, d);
}

static void
start_connect(void *arg)
{
	struct remote *r = arg;
	int i = r->next_addr++ % r->naddr, fd;
	const struct sockaddr *sa = (const void *)&r->addr[i];

	if (r->st == RS_CONNECTING || r->st == RS_TLS || r->st == RS_HELLO) {
		conn_fail(r, "no answer in %d s", RMT_CONNECT_MS / 1000);
		return;
	}
	if ((fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1) {
		conn_fail(r, "socket: %s", strerror(errno));
		return;
	}
	r->fd = fd;
	if (connect(fd, sa, r->alen[i]) == -1 && errno != EINPROGRESS) {
		conn_fail(r, "connect: %s", strerror(errno));
		return;
	}
	r->st = RS_CONNECTING;
	r->ts.fd = fd;
	if ((r->lfd = loop_fd_add(r->l, fd, LOOP_WRITE, on_conn, r)) == NULL) {
		conn_fail(r, "watching the socket: %s", strerror(errno));
		return;
	}
	/* the whole of connect, TLS and hello must finish in time */
	loop_timer_after(r->l, &r->t_conn, RMT_CONNECT_MS);
}

/* ---- idle memory ---------------------------------------------------------- */

/* An idle remote scamper gives memory back: free heap at the top and in
 * holes, the output buffer, and the resident read-only pages of the
 * program and its libraries (the kernel maps 64 KB or more around each
 * page a process touches, so a library touched once during start-up or
 * a TLS handshake stays resident in full). */
static void
trim_idle(struct remote *r)
{
	if (r->woff == r->wlen) {
		free(r->wbuf);
		r->wbuf = NULL;
		r->woff = r->wlen = r->wcap = 0;
	}
	mem_trim_idle();
	r->trimmed = 1;
	log_debug("remote %s: idle, memory given back", r->where);
}

/* Nonzero if nothing is in flight: no channel, nothing unacknowledged or
 * waiting to be written. */
static int
is_idle(const struct remote *r)
{
	return r->st == RS_GO && TAILQ_EMPTY(&r->chans) &&
	    TAILQ_EMPTY(&r->link.held) && r->woff == r->wlen;
}

static void
on_tick(void *arg)
{
	struct remote *r = arg;
	struct monotime now = loop_now(r->l);

	loop_timer_after(r->l, &r->t_tick, RMT_TICK_MS);
	if (r->st != RS_GO)
		return;
	if (monotime_sub_ns(now, r->last_rx) / 1000000000 >= RP_DEAD_S) {
		conn_fail(r, "nothing heard for %d s", RP_DEAD_S);
		return;
	}
	if (monotime_sub_ns(now, r->last_tx) / 1000000000 >= RP_KEEPALIVE_S) {
		struct rp_ctl c;

		memset(&c, 0, sizeof(c));
		c.type = RP_KEEPALIVE;
		send_ctl(r, &c);
		flush(r);
		if (r->fd != -1)
			watch(r);
	}
	if (!r->trimmed && is_idle(r))
		trim_idle(r);
}

int
remote_start(struct remote *r, struct ctl *ctl, struct loop *l)
{
	r->ctl = ctl;
	r->l = l;
	timer_init(&r->t_conn, start_connect, r);
	timer_init(&r->t_tick, on_tick, r);
	timer_init(&r->t_wake, on_wake, r);
	srandom((unsigned)r->magic[0] << 8 ^ r->magic[1] ^ (unsigned)getpid());
	loop_timer_after(l, &r->t_tick, RMT_TICK_MS);
	log_debug("remote: connecting to %s%s", r->where,
	    r->tls != NULL ? " with TLS" : "");
	start_connect(r);
	return 0;
}

void
remote_free(struct remote *r)
{
	struct rchan *ch;

	if (r == NULL)
		return;
	/* channels normally went with the control socket's clients */
	while ((ch = TAILQ_FIRST(&r->chans)) != NULL)
		chan_free(r, ch);
	if (r->l != NULL) {
		loop_timer_cancel(r->l, &r->t_conn);
		loop_timer_cancel(r->l, &r->t_tick);
		loop_timer_cancel(r->l, &r->t_wake);
	}
	conn_close(r);
	rp_link_reset(&r->link);
	tls_ctx_free(r->tls);
	free(r->rbuf);
	free(r->wbuf);
	free(r);
}
