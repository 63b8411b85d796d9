/*
 * rd_chan.c: a vantage point's unix socket (dir/monitor-peer, mode 0700
 * plus -O allowgroup/allowother) and its clients: each client is one
 * channel, already attached (scamper-behaviour.md b.1, b.6).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"
#include "mem.h"
#include "rd.h"

static void chan_watch(struct rd_chan *ch);

/* ---- the socket ------------------------------------------------------ */

static void
on_accept(struct loop_fd *lfd, int lfdnum, int events, void *arg);

int
rd_sock_open(struct rd_vp *vp, const char *peer)
{
	const struct rd_conf *c = vp->rd->c;
	struct sockaddr_un sun;
	mode_t mode = 0700;
	size_t n;
	int fd;

	if (vp->monitor[0] != '\0')
		snprintf(vp->name, sizeof(vp->name), "%s-%s", vp->monitor, peer);
	else
		snprintf(vp->name, sizeof(vp->name), "%s", peer);
	n = strlen(c->dir) + 1 + strlen(vp->name);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (n >= sizeof(sun.sun_path)) {
		log_warnx("%s/%s: socket path too long (at most %zu bytes)",
		    c->dir, vp->name, sizeof(sun.sun_path) - 1);
		return -1;
	}
	/* the length was checked above; copy in two parts so the compiler
	 * need not prove it */
	memcpy(sun.sun_path, c->dir, strlen(c->dir));
	sun.sun_path[strlen(c->dir)] = '/';
	memcpy(sun.sun_path + strlen(c->dir) + 1, vp->name, strlen(vp->name));
	if ((vp->path = strdup(sun.sun_path)) == NULL)
		return -1;
	(void)unlink(vp->path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		log_warn("%s", vp->path);
		goto fail;
	}
	if (c->allowgroup)
		mode |= 0070;
	if (c->allowother)
		mode |= 0007;
	if (chmod(vp->path, mode) == -1 || listen(fd, 64) == -1) {
		log_warn("%s", vp->path);
		unlink(vp->path);
		goto fail;
	}
	if ((vp->ulfd = loop_fd_add(vp->rd->l, fd, LOOP_READ, on_accept,
	    vp)) == NULL) {
		log_warn("%s", vp->path);
		unlink(vp->path);
		goto fail;
	}
	vp->ufd = fd;
	log_debug("%s: socket made", vp->path);
	return 0;
fail:
	if (fd != -1)
		close(fd);
	free(vp->path);
	vp->path = NULL;
	return -1;
}

void
rd_sock_close(struct rd_vp *vp)
{
	if (vp->ulfd != NULL)
		loop_fd_del(vp->rd->l, vp->ulfd);
	vp->ulfd = NULL;
	if (vp->ufd != -1)
		close(vp->ufd);
	vp->ufd = -1;
	if (vp->path != NULL) {
		(void)unlink(vp->path);
		free(vp->path);
		vp->path = NULL;
	}
}

/* ---- channels --------------------------------------------------------- */

static struct rd_chan *
chan_find(struct rd_vp *vp, uint32_t id)
{
	struct rd_chan *ch;

	TAILQ_FOREACH(ch, &vp->chans, e)
		if (ch->id == id)
			return ch;
	return NULL;
}

static void
chan_free(struct rd_chan *ch)
{
	struct rd_vp *vp = ch->vp;

	TAILQ_REMOVE(&vp->chans, ch, e);
	if (ch->mc != NULL)
		rd_mux_chan_closed(ch);
	if (ch->lfd != NULL)
		loop_fd_del(vp->rd->l, ch->lfd);
	if (ch->fd != -1)
		close(ch->fd);
	free(ch->wq);
	free(ch);
}

/* Reliable control message TYPE for channel ID. */
static void
send_chan_ctl(struct rd_vp *vp, enum rp_type type, uint32_t id)
{
	struct rp_ctl c;
	struct rp_msg *m;

	memset(&c, 0, sizeof(c));
	c.type = type;
	c.num = id;
	if ((m = rp_link_send_ctl(&vp->link, &c)) == NULL)
		log_warn("%s: channel %u", vp->name, id);
	else
		rd_vp_send(vp, m);
}

/* The client left (or cannot be written): tell scamper, keep the
 * channel until scamper's FIN so late bytes have somewhere to go. */
static void
chan_gone(struct rd_chan *ch)
{
	struct rd_vp *vp = ch->vp;

	if (ch->mc != NULL)
		rd_mux_chan_unlink(ch);
	if (ch->lfd != NULL)
		loop_fd_del(vp->rd->l, ch->lfd);
	ch->lfd = NULL;
	if (ch->fd != -1)
		close(ch->fd);
	ch->fd = -1;
	ch->woff = ch->wlen = 0;
	if (ch->fin_rcvd) {
		chan_free(ch);
		return;
	}
	if (!ch->fin_sent) {
		ch->fin_sent = 1;
		send_chan_ctl(vp, RP_CHANNEL_FIN, ch->id);
	}
}

static void
chan_read(struct rd_chan *ch)
{
	struct rd_vp *vp = ch->vp;
	uint8_t buf[16384];
	ssize_t n = read(ch->fd, buf, sizeof(buf));

	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		log_debug("%s: channel %u: client left", vp->name, ch->id);
		chan_gone(ch);
		return;
	}
	if (rd_chan_send(ch, buf, (size_t)n) == 0 &&
	    vp->link.held_bytes > RD_HELD_MAX)
		vp->reading_paused = 1;
}

int
rd_chan_send(struct rd_chan *ch, const uint8_t *p, size_t len)
{
	struct rd_vp *vp = ch->vp;
	struct rp_msg *m;
	size_t n;

	while (len > 0) {
		n = len > RP_MAXPAYLOAD ? RP_MAXPAYLOAD : len;
		if ((m = rp_link_send(&vp->link, ch->id, p, n)) == NULL) {
			log_warn("%s: channel %u", vp->name, ch->id);
			chan_gone(ch);
			return -1;
		}
		rd_vp_send(vp, m);
		p += n;
		len -= n;
	}
	return 0;
}

void
rd_chan_gone(struct rd_chan *ch)
{
	chan_gone(ch);
}

static void
chan_write(struct rd_chan *ch)
{
	ssize_t n = write(ch->fd, ch->wq + ch->woff, ch->wlen - ch->woff);

	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		log_debug("%s: channel %u: client gone (%s)", ch->vp->name,
		    ch->id, strerror(errno));
		chan_gone(ch);
		return;
	}
	ch->woff += (size_t)n;
	if (ch->woff == ch->wlen)
		ch->woff = ch->wlen = 0;
}

static void
on_chan(struct loop_fd *lfd, int fd, int events, void *arg)
{
	struct rd_chan *ch = arg;

	(void)lfd;
	(void)fd;
	if ((events & LOOP_WRITE) && ch->wlen > ch->woff) {
		chan_write(ch);
		if (ch->fd == -1)
			return;
		if (ch->fin_rcvd && ch->wlen == 0) {
			chan_free(ch);
			return;
		}
	}
	if ((events & LOOP_READ) && !ch->fin_rcvd) {
		chan_read(ch);
		if (ch->fd == -1)
			return;
	}
	chan_watch(ch);
}

static void
chan_watch(struct rd_chan *ch)
{
	int ev = 0;

	if (ch->lfd == NULL)
		return;
	if (!ch->vp->reading_paused && !ch->fin_rcvd &&
	    ch->wlen - ch->woff < RD_CLIENT_WQ)
		ev |= LOOP_READ;
	if (ch->wlen > ch->woff)
		ev |= LOOP_WRITE;
	loop_fd_set(ch->vp->rd->l, ch->lfd, ev);
}

/* A channel number for CH that VP does not use. */
static void
chan_number(struct rd_chan *ch)
{
	struct rd_vp *vp = ch->vp;

	do {
		ch->id = vp->next_chan++;
	} while (ch->id == 0 || chan_find(vp, ch->id) != NULL);
}

struct rd_chan *
rd_chan_new_mux(struct rd_vp *vp, struct rd_mclient *mc, uint32_t mc_id)
{
	struct rd_chan *ch = calloc(1, sizeof(*ch));

	if (ch == NULL) {
		log_warn("%s: new channel", vp->name);
		return NULL;
	}
	ch->vp = vp;
	ch->fd = -1;
	ch->mc = mc;
	ch->mc_id = mc_id;
	chan_number(ch);
	TAILQ_INSERT_TAIL(&vp->chans, ch, e);
	log_debug("%s: channel %u: -M client's channel %u", vp->name, ch->id,
	    mc_id);
	send_chan_ctl(vp, RP_CHANNEL_NEW, ch->id);
	return ch;
}

static void
on_accept(struct loop_fd *lfd, int lfdnum, int events, void *arg)
{
	struct rd_vp *vp = arg;
	struct rd_chan *ch;
	int fd;

	(void)lfd;
	(void)events;
	if ((fd = accept4(lfdnum, NULL, NULL, SOCK_NONBLOCK |
	    SOCK_CLOEXEC)) == -1) {
		if (errno != EAGAIN && errno != EINTR)
			log_warn("%s: accept", vp->name);
		return;
	}
	if ((ch = calloc(1, sizeof(*ch))) == NULL) {
		log_warn("%s: accept", vp->name);
		close(fd);
		return;
	}
	ch->vp = vp;
	ch->fd = fd;
	chan_number(ch);
	if ((ch->lfd = loop_fd_add(vp->rd->l, fd, LOOP_READ, on_chan, ch)) ==
	    NULL) {
		log_warn("%s: accept", vp->name);
		close(fd);
		free(ch);
		return;
	}
	TAILQ_INSERT_TAIL(&vp->chans, ch, e);
	log_debug("%s: channel %u: client connected", vp->name, ch->id);
	send_chan_ctl(vp, RP_CHANNEL_NEW, ch->id);
	chan_watch(ch);
}

void
rd_chan_data(struct rd_vp *vp, uint32_t id, const uint8_t *p, size_t len)
{
	struct rd_chan *ch = chan_find(vp, id);

	if (ch != NULL && ch->mc != NULL) {
		rd_mux_chan_data(ch, p, len);
		return;
	}
	if (ch == NULL || ch->fd == -1)
		return;		/* the client has gone: discarded */
	if (ch->wlen + len > ch->wcap) {
		if (ch->woff > 0) {
			memmove(ch->wq, ch->wq + ch->woff, ch->wlen - ch->woff);
			ch->wlen -= ch->woff;
			ch->woff = 0;
		}
		if (mem_grow(&ch->wq, &ch->wcap, ch->wlen + len, 1,
		    16384) != 0) {
			log_warn("%s: channel %u", vp->name, id);
			chan_gone(ch);
			return;
		}
	}
	memcpy(ch->wq + ch->wlen, p, len);
	ch->wlen += len;
	chan_watch(ch);
}

void
rd_chan_fin(struct rd_vp *vp, uint32_t id)
{
	struct rd_chan *ch = chan_find(vp, id);

	if (ch == NULL)
		return;
	ch->fin_rcvd = 1;
	log_debug("%s: channel %u: scamper ended it", vp->name, id);
	if (ch->mc != NULL || ch->fd == -1 || ch->wlen == ch->woff)
		chan_free(ch);
	else
		chan_watch(ch);
}

void
rd_chan_resume_reading(struct rd_vp *vp)
{
	struct rd_chan *ch;

	if (vp->link.held_bytes > RD_HELD_MAX / 2)
		return;
	vp->reading_paused = 0;
	TAILQ_FOREACH(ch, &vp->chans, e)
		chan_watch(ch);
}

void
rd_chan_free_all(struct rd_vp *vp)
{
	while (!TAILQ_EMPTY(&vp->chans))
		chan_free(TAILQ_FIRST(&vp->chans));
}
