/*
 * rd_vp.c: connections from remote scampers and the vantage points they
 * become: TLS, MASTER_NEW -> MASTER_ID, channel data and acks,
 * keepalives, and after a connection breaks the zombie that a
 * MASTER_RES with the same magic resumes (scamper-behaviour.md b.3-b.5).
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "mem.h"
#include "rd.h"

#define RD_TICK_MS	5000

static void conn_fail(struct rd_conn *cn, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- output ------------------------------------------------------------ */

static void
conn_watch(struct rd_conn *cn)
{
	int ev = tstream_events(&cn->ts, cn->wlen > cn->woff);

	loop_fd_set(cn->rd->l, cn->lfd, (cn->closing ? 0 : LOOP_READ) |
	    ((ev & 2) ? LOOP_WRITE : 0));
}

static int
out_raw(struct rd_conn *cn, const void *p, size_t len)
{
	if (cn->woff > 0 && cn->woff == cn->wlen)
		cn->woff = cn->wlen = 0;
	if (cn->wlen + len > cn->wcap) {
		if (cn->woff > 0) {
			memmove(cn->wbuf, cn->wbuf + cn->woff,
			    cn->wlen - cn->woff);
			cn->wlen -= cn->woff;
			cn->woff = 0;
		}
		if (mem_grow(&cn->wbuf, &cn->wcap, cn->wlen + len, 1,
		    16384) != 0)
			return -1;
	}
	memcpy(cn->wbuf + cn->wlen, p, len);
	cn->wlen += len;
	cn->last_tx = loop_now(cn->rd->l);
	conn_watch(cn);
	return 0;
}

/* An unreliable control message with sequence SEQ. */
static void
send_ctl(struct rd_conn *cn, const struct rp_ctl *c, uint32_t seq)
{
	uint8_t buf[RP_HDRLEN + 300];

	if (out_raw(cn, buf, rp_ctl_encode(c, seq, buf)) == -1)
		log_warn("%s", cn->peer);
}

void
rd_vp_send(struct rd_vp *vp, const struct rp_msg *m)
{
	if (vp->conn != NULL && !vp->conn->closing &&
	    out_raw(vp->conn, m->buf, m->len) == -1)
		conn_fail(vp->conn, "out of memory");
}

/* ---- vantage points ------------------------------------------------------ */

static void
vp_free(struct rd_vp *vp)
{
	struct rd *rd = vp->rd;

	TAILQ_REMOVE(&rd->vps, vp, e);
	loop_timer_cancel(rd->l, &vp->zombie);
	rd_sock_close(vp);
	rd_chan_free_all(vp);
	rd_mux_vp_depart(vp);
	rp_link_reset(&vp->link);
	free(vp);
}

static void
on_zombie(void *arg)
{
	struct rd_vp *vp = arg;

	log_info("%s: gone for %u s; forgotten", vp->name, vp->rd->c->zombie_s);
	vp_free(vp);
}

/* The zombie (of address IP, or any if NULL) waiting longest, and in N
 * how many there are. */
static struct rd_vp *
oldest_zombie(struct rd *rd, const char *ip, uint32_t *n)
{
	struct rd_vp *vp, *old = NULL;

	*n = 0;
	TAILQ_FOREACH(vp, &rd->vps, e) {
		if (vp->conn != NULL || (ip != NULL && strcmp(vp->ip, ip) != 0))
			continue;
		(*n)++;
		if (old == NULL || monotime_cmp(vp->zombie_since,
		    old->zombie_since) < 0)
			old = vp;
	}
	return old;
}

/* Forget the zombies waiting longest beyond RD_PEER_ZOMBIES from IP and
 * RD_MAXZOMBIES in all. */
static void
zombie_caps(struct rd *rd, const char *ip)
{
	struct rd_vp *vp;
	uint32_t n;

	while ((vp = oldest_zombie(rd, ip, &n)) != NULL &&
	    n > RD_PEER_ZOMBIES) {
		log_warnx("%s: forgotten: more than %d sessions from %s wait "
		    "to resume", vp->name, RD_PEER_ZOMBIES, ip);
		vp_free(vp);
	}
	while ((vp = oldest_zombie(rd, NULL, &n)) != NULL &&
	    n > RD_MAXZOMBIES) {
		log_warnx("%s: forgotten: more than %d sessions wait to "
		    "resume", vp->name, RD_MAXZOMBIES);
		vp_free(vp);
	}
}

/* VP lost its connection: keep it for -Z seconds (within the caps). */
static void
vp_zombie(struct rd_vp *vp)
{
	char ip[RD_IPLEN];

	vp->conn = NULL;
	vp->zombie_since = loop_now(vp->rd->l);
	rd_sock_close(vp);
	log_info("%s: disconnected; kept %u s for it to resume", vp->name,
	    vp->rd->c->zombie_s);
	loop_timer_after(vp->rd->l, &vp->zombie,
	    (int64_t)vp->rd->c->zombie_s * 1000);
	snprintf(ip, sizeof(ip), "%s", vp->ip);	/* VP may be freed */
	zombie_caps(vp->rd, ip);
}

static void
master_new(struct rd_conn *cn, const struct rp_ctl *c)
{
	struct rd *rd = cn->rd;
	struct rd_vp *vp;
	struct rp_ctl id;

	if (c->name[0] != '\0' && !rp_name_ok(c->name)) {
		conn_fail(cn, "invalid monitor name (letters, digits, '.' "
		    "and '-' only)");
		return;
	}
	if ((vp = calloc(1, sizeof(*vp))) == NULL) {
		conn_fail(cn, "out of memory");
		return;
	}
	vp->rd = rd;
	vp->ufd = -1;
	vp->next_chan = 1;
	snprintf(vp->monitor, sizeof(vp->monitor), "%s", c->name);
	snprintf(vp->ip, sizeof(vp->ip), "%s", cn->ip);
	memcpy(vp->magic, c->magic, RP_MAGICLEN);
	rp_link_init(&vp->link);
	TAILQ_INIT(&vp->chans);
	timer_init(&vp->zombie, on_zombie, vp);
	TAILQ_INSERT_TAIL(&rd->vps, vp, e);
	vp->conn = cn;
	cn->vp = vp;
	memset(&id, 0, sizeof(id));
	id.type = RP_MASTER_ID;
	snprintf(id.name, sizeof(id.name), "%s", cn->peer);
	send_ctl(cn, &id, 0);
	if (rd->c->dir != NULL && rd_sock_open(vp, cn->peer) == -1) {
		conn_fail(cn, "no socket for it");
		return;
	}
	rd_mux_vp_update(vp, cn->peer);
	log_info("%s: connected", vp->name);
}

static struct rd_vp *
vp_by_magic(struct rd *rd, const uint8_t *magic)
{
	struct rd_vp *vp;

	TAILQ_FOREACH(vp, &rd->vps, e)
		if (memcmp(vp->magic, magic, RP_MAGICLEN) == 0)
			return vp;
	return NULL;
}

static void
master_res(struct rd_conn *cn, const struct rp_ctl *c)
{
	struct rd_vp *vp = vp_by_magic(cn->rd, c->magic);
	struct rp_ctl r;
	struct rp_msg *m;
	char err[256];

	memset(&r, 0, sizeof(r));
	if (vp == NULL || rp_link_resume_ok(&vp->link, c->rcv_nxt,
	    c->snd_una, c->snd_nxt, err, sizeof(err)) == -1) {
		log_warnx("%s: resume refused: %s", cn->peer, vp == NULL ?
		    "unknown session (forgotten, or never seen)" : err);
		r.type = RP_MASTER_REJ;
		send_ctl(cn, &r, 0);
		cn->closing = 1;
		conn_watch(cn);
		return;
	}
	if (vp->conn != NULL) {
		/* the old connection is dead but did not know it yet */
		struct rd_conn *old = vp->conn;

		old->vp = NULL;
		vp->conn = NULL;
		conn_fail(old, "replaced by a resumed connection");
	}
	loop_timer_cancel(cn->rd->l, &vp->zombie);
	(void)rp_link_peer_has(&vp->link, c->rcv_nxt);
	vp->conn = cn;
	cn->vp = vp;
	r.type = RP_MASTER_OK;
	r.num = vp->link.rcv_nxt;
	send_ctl(cn, &r, 0);
	TAILQ_FOREACH(m, &vp->link.held, e)
		rd_vp_send(vp, m);
	rd_sock_close(vp);
	if (cn->rd->c->dir != NULL)
		(void)rd_sock_open(vp, cn->peer);
	rd_mux_vp_update(vp, cn->peer);
	log_info("%s: resumed", vp->name);
	rd_chan_resume_reading(vp);
}

/* ---- input ---------------------------------------------------------------- */

static void
send_ack(struct rd_conn *cn, uint32_t seq)
{
	struct rp_ctl c;

	memset(&c, 0, sizeof(c));
	c.type = RP_ACK;
	c.num = seq;
	send_ctl(cn, &c, cn->vp->link.snd_nxt);
}

/* A reliable message with SEQ arrived: check and acknowledge it.
 * Returns 0, or -1 (the connection failed). */
static int
reliable(struct rd_conn *cn, uint32_t seq)
{
	if (rp_link_recv(&cn->vp->link, seq) == -1) {
		conn_fail(cn, "protocol error: sequence %u, expected %u", seq,
		    cn->vp->link.rcv_nxt);
		return -1;
	}
	send_ack(cn, seq);
	return 0;
}

static int
on_ctl(struct rd_conn *cn, const struct rp_hdr *h, const uint8_t *p)
{
	struct rd_vp *vp = cn->vp;
	struct rp_ctl c;
	char err[256];

	if (rp_ctl_decode(p, h->len, &c, err, sizeof(err)) == -1) {
		conn_fail(cn, "protocol error: %s", err);
		return -1;
	}
	if (vp == NULL) {
		if (c.type == RP_MASTER_NEW)
			master_new(cn, &c);
		else if (c.type == RP_MASTER_RES)
			master_res(cn, &c);
		else
			conn_fail(cn, "protocol error: message %d before "
			    "MASTER_NEW or MASTER_RES", (int)c.type);
		return 0;
	}
	if (rp_ctl_reliable(c.type) && reliable(cn, h->seq) == -1)
		return -1;
	switch (c.type) {
	case RP_CHANNEL_FIN:
		rd_chan_fin(vp, c.num);
		return 0;
	case RP_ACK:
		if (rp_link_ack(&vp->link, c.num) == -1) {
			conn_fail(cn, "protocol error: ACK %u, expected %u",
			    c.num, rp_link_una(&vp->link));
			return -1;
		}
		if (vp->reading_paused)
			rd_chan_resume_reading(vp);
		return 0;
	case RP_KEEPALIVE:
		return 0;
	default:
		conn_fail(cn, "protocol error: unexpected message %d",
		    (int)c.type);
		return -1;
	}
}

static int
on_messages(struct rd_conn *cn)
{
	struct rp_hdr h;
	size_t off = 0;
	long n;

	while (!cn->closing &&
	    (n = rp_frame(cn->rbuf + off, cn->rlen - off, &h)) != 0) {
		const uint8_t *p = cn->rbuf + off + RP_HDRLEN;

		if (n == -1) {
			conn_fail(cn, "protocol error: empty message");
			return -1;
		}
		off += (size_t)n;
		if (h.chan == 0) {
			if (on_ctl(cn, &h, p) == -1 || cn->fd == -1)
				return -1;
			continue;
		}
		if (cn->vp == NULL) {
			conn_fail(cn, "protocol error: data before "
			    "MASTER_NEW");
			return -1;
		}
		if (reliable(cn, h.seq) == -1)
			return -1;
		rd_chan_data(cn->vp, h.chan, p, h.len);
	}
	if (cn->closing)	/* conn_fail emptied the buffer */
		return -1;
	memmove(cn->rbuf, cn->rbuf + off, cn->rlen - off);
	cn->rlen -= off;
	return 0;
}

/* ---- the connection ------------------------------------------------------ */

static void
conn_free(struct rd_conn *cn)
{
	struct rd *rd = cn->rd;

	TAILQ_REMOVE(&rd->conns, cn, e);
	loop_timer_cancel(rd->l, &cn->tick);
	if (cn->lfd != NULL)
		loop_fd_del(rd->l, cn->lfd);
	tstream_free(&cn->ts);
	close(cn->fd);
	free(cn->rbuf);
	free(cn->wbuf);
	free(cn);
}

/* The connection ends; its vantage point (if any) becomes a zombie. */
static void
conn_fail(struct rd_conn *cn, const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	log_warnx("%s: %s", cn->vp != NULL ? cn->vp->name : cn->peer, why);
	if (cn->vp != NULL)
		vp_zombie(cn->vp);
	cn->vp = NULL;
	/* freed from the loop: callers up the stack still hold it */
	cn->closing = 1;
	cn->fd = cn->fd == -1 ? -1 : cn->fd;
	cn->wlen = cn->woff = 0;
	cn->rlen = 0;
	loop_fd_set(cn->rd->l, cn->lfd, 0);
	loop_timer_after(cn->rd->l, &cn->tick, 0);
}

static void
do_read(struct rd_conn *cn)
{
	ssize_t n;

	while (!cn->closing) {
		n = tstream_read(&cn->ts, cn->rbuf + cn->rlen,
		    RD_RBUF - cn->rlen);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			conn_fail(cn, "%s", n == 0 ? "connection closed" :
			    tstream_strerror(&cn->ts, errno));
			return;
		}
		cn->last_rx = loop_now(cn->rd->l);
		cn->rlen += (size_t)n;
		if (on_messages(cn) == -1)
			return;
	}
}

static void
flush(struct rd_conn *cn)
{
	ssize_t n;

	while (cn->wlen > cn->woff) {
		n = tstream_write(&cn->ts, cn->wbuf + cn->woff,
		    cn->wlen - cn->woff);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			conn_fail(cn, "write: %s", tstream_strerror(&cn->ts,
			    errno));
			return;
		}
		cn->woff += (size_t)n;
	}
	cn->woff = cn->wlen = 0;
}

static void
on_conn(struct loop_fd *lfd, int fd, int events, void *arg)
{
	struct rd_conn *cn = arg;
	char err[512];
	int rc;

	(void)lfd;
	(void)fd;
	(void)events;
	if (!cn->ts.established) {
		if ((rc = tstream_handshake(&cn->ts, err, sizeof(err))) == -1) {
			conn_fail(cn, "%s", err);
			return;
		}
		if (rc == 0) {
			conn_watch(cn);
			return;
		}
	}
	flush(cn);
	if (!cn->closing)
		do_read(cn);
	if (!cn->closing || cn->wlen > cn->woff)
		flush(cn);
	if (cn->closing && cn->wlen == cn->woff) {
		/* a refused resume: MASTER_REJ is out */
		loop_timer_after(cn->rd->l, &cn->tick, 0);
		return;
	}
	conn_watch(cn);
}

static void
on_tick(void *arg)
{
	struct rd_conn *cn = arg;
	struct monotime now = loop_now(cn->rd->l);
	struct rp_ctl c;

	if (cn->closing) {
		conn_free(cn);
		return;
	}
	loop_timer_after(cn->rd->l, &cn->tick, RD_TICK_MS);
	if (cn->vp == NULL) {
		if (monotime_sub_ns(now, cn->born) / 1000000000 >= RP_NEWDEAD_S)
			conn_fail(cn, "did not identify itself in %d s",
			    RP_NEWDEAD_S);
		return;
	}
	if (monotime_sub_ns(now, cn->last_rx) / 1000000000 >= RP_DEAD_S) {
		conn_fail(cn, "nothing heard for %d s", RP_DEAD_S);
		return;
	}
	if (monotime_sub_ns(now, cn->last_tx) / 1000000000 >= RP_KEEPALIVE_S) {
		memset(&c, 0, sizeof(c));
		c.type = RP_KEEPALIVE;
		send_ctl(cn, &c, cn->vp->link.snd_nxt);
	}
}

/* The connection (from IP, or any if NULL) that has gone longest without
 * identifying itself, and in N how many live ones there are. */
static struct rd_conn *
oldest_anon(struct rd *rd, const char *ip, uint32_t *n)
{
	struct rd_conn *cn, *old = NULL;

	*n = 0;
	TAILQ_FOREACH(cn, &rd->conns, e) {
		if (cn->closing || (ip != NULL && strcmp(cn->ip, ip) != 0))
			continue;
		(*n)++;
		if (old == NULL && cn->vp == NULL)
			old = cn;	/* the list is in order of arrival */
	}
	return old;
}

/* Room for a connection from IP within the caps, made by closing one that
 * has not identified itself if need be.  Returns 0, or -1 (logged). */
static int
conn_room(struct rd *rd, const char *peer, const char *ip)
{
	struct rd_conn *old;
	uint32_t n;

	if ((old = oldest_anon(rd, ip, &n)) != NULL && n >= RD_PEER_CONNS)
		conn_fail(old, "closed before it identified itself: a newer "
		    "connection from %s took its place", ip);
	else if (n >= RD_PEER_CONNS) {
		log_warnx("%s: refused: %u connections from %s already", peer,
		    n, ip);
		return -1;
	}
	if ((old = oldest_anon(rd, NULL, &n)) != NULL && n >= RD_MAXCONNS)
		conn_fail(old, "closed before it identified itself: a newer "
		    "connection took its place");
	else if (n >= RD_MAXCONNS) {
		log_warnx("%s: refused: %u connections already", peer, n);
		return -1;
	}
	return 0;
}

void
rd_conn_new(struct rd *rd, int fd, const char *peer, const char *ip)
{
	struct rd_conn *cn;
	char err[512];

	if (conn_room(rd, peer, ip) == -1) {
		close(fd);
		return;
	}
	if ((cn = calloc(1, sizeof(*cn))) == NULL ||
	    (cn->rbuf = malloc(RD_RBUF)) == NULL) {
		log_warn("%s", peer);
		free(cn);
		close(fd);
		return;
	}
	cn->rd = rd;
	cn->fd = fd;
	snprintf(cn->peer, sizeof(cn->peer), "%s", peer);
	snprintf(cn->ip, sizeof(cn->ip), "%s", ip);
	if (tstream_init(&cn->ts, fd, rd->tls, 1, NULL, err,
	    sizeof(err)) == -1 || (cn->lfd = loop_fd_add(rd->l, fd, LOOP_READ,
	    on_conn, cn)) == NULL) {
		log_warnx("%s: %s", peer, cn->lfd == NULL ? strerror(errno) :
		    err);
		tstream_free(&cn->ts);
		free(cn->rbuf);
		free(cn);
		close(fd);
		return;
	}
	cn->born = cn->last_rx = cn->last_tx = loop_now(rd->l);
	timer_init(&cn->tick, on_tick, cn);
	loop_timer_after(rd->l, &cn->tick, RD_TICK_MS);
	TAILQ_INSERT_TAIL(&rd->conns, cn, e);
	log_debug("%s: connected", peer);
}

void
rd_free_all(struct rd *rd)
{
	while (!TAILQ_EMPTY(&rd->conns))
		conn_free(TAILQ_FIRST(&rd->conns));
	while (!TAILQ_EMPTY(&rd->vps))
		vp_free(TAILQ_FIRST(&rd->vps));
}
