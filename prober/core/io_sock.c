/*
 * io_sock.c: the core's real network (io.h): raw sockets through netio,
 * datalink sockets through dl_pool, routes and MTUs from route.c.
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dl.h"
#include "iftab.h"
#include "io.h"
#include "neigh.h"
#include "route.h"
#include "rtcopy.h"

struct io_sock {
	struct netio_fds	 fds;		/* until attach hands them on */
	netio_fw_lease_fn	*fw_lease;	/* -F, or NULL */
	netio_fw_release_fn	*fw_release;
	void			*fw_ctx;
	struct netio		*nio;
	struct dl_pool		*dlp;
	struct io_up		 up;
	struct loop		*l;
};

static void
close_fds(struct netio_fds *f)
{
	int *v[] = { &f->send4, &f->icmp4, &f->tcp4, &f->send6, &f->icmp6,
	    &f->tcp6 };

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (*v[i] != -1) {
			close(*v[i]);
			*v[i] = -1;
		}
}

/* A reply from the raw sockets (netio matched its own send times
 * first): probes sent at layer 2 (trace -r) get theirs too. */
static void
on_reply(void *arg, const struct pkt_reply *r, const struct stamp *rx)
{
	struct io_sock *s = arg;

	dl_pool_tx_drain(s->dlp);
	s->up.reply(s->up.arg, r, rx);
}

static void
on_hint(void *arg, const struct pkt_reply *r)
{
	struct io_sock *s = arg;

	s->up.hint(s->up.arg, r);
}

static void
on_sent(void *arg, void *token, uint32_t tag, enum netio_txev ev, int err,
    const struct stamp *tx)
{
	struct io_sock *s = arg;

	s->up.sent(s->up.arg, token, tag, ev, err, tx);
}

/* A frame from the datalink; before a reply, every send time that has
 * come, as for replies from the raw sockets. */
static int
on_frame(void *arg, const struct pkt_reply *r, const struct stamp *ts,
    int outgoing, const uint32_t *fragid)
{
	struct io_sock *s = arg;

	if (!outgoing) {
		netio_tx_drain(s->nio);
		dl_pool_tx_drain(s->dlp);
	}
	return s->up.frame(s->up.arg, r, ts, outgoing, fragid);
}

static int
s_attach(void *ctx, struct loop *l, const struct io_up *up)
{
	struct io_sock *s = ctx;

	s->up = *up;
	if ((s->dlp = dl_pool_new(l, s->fds.dl_open, s->fds.dl_ctx, on_frame,
	    s)) == NULL)
		return -1;
	if ((s->nio = netio_new(l, &s->fds, on_reply, s)) == NULL)
		return -1;
	netio_fds_init(&s->fds);	/* netio's now */
	netio_set_txcb(s->nio, on_sent);
	if (up->hint != NULL)
		netio_set_hintcb(s->nio, on_hint);
	dl_pool_set_txcb(s->dlp, on_sent, s);
	/* without the copy every new trace's source is the kernel's */
	if (rtcopy_watch(l) == 0)
		s->l = l;
	return 0;
}

static void
s_free(void *ctx)
{
	struct io_sock *s = ctx;

	if (s->l != NULL)
		rtcopy_stop(s->l);
	dl_pool_free(s->dlp);
	netio_free(s->nio);
	close_fds(&s->fds);
	free(s);
}

static int
s_send(void *ctx, const uint8_t *pkt, size_t len, struct stamp *tx,
    void *token, uint32_t tag)
{
	struct io_sock *s = ctx;

	return netio_send(s->nio, pkt, len, tx, token, tag);
}

static void
s_batch(void *ctx, int on)
{
	struct io_sock *s = ctx;

	netio_batch(s->nio, on);
}

static int
s_blocked(void *ctx)
{
	struct io_sock *s = ctx;

	return netio_make_room(s->nio);
}


static int
s_forget(void *ctx, const void *token)
{
	struct io_sock *s = ctx;

	return netio_forget(s->nio, token);
}

static int
s_route_src(void *ctx, int af, const uint8_t *dst, uint8_t *src)
{
	return route_src(af, dst, src);
}

static int
s_ifmtu(void *ctx, int af, const uint8_t *src, uint16_t *mtu)
{
	return route_ifmtu(af, src, mtu);
}

static struct io_dl *
s_dl_new(void *ctx, int want, int af, const uint8_t *dst,
    const uint8_t *rtr, io_dl_ready *ready, void *arg, char *why,
    size_t whylen)
{
	struct io_sock *s = ctx;
	int dw = ((want & IO_DL_VIA) ? DL_WANT_VIA : 0) |
	    ((want & IO_DL_TS) ? DL_WANT_TS : 0);

	return (struct io_dl *)dl_user_new(s->dlp, dw, af, dst, rtr, ready,
	    arg, why, whylen);
}

static void
s_dl_free(void *ctx, struct io_dl *d)
{
	dl_user_free((struct dl_user *)d);
}

static int
s_dl_send(void *ctx, struct io_dl *d, const uint8_t *pkt, size_t len,
    struct stamp *tx, void *token, uint32_t tag)
{
	struct io_sock *s = ctx;

	/* replies come back on the raw sockets: size their buffers */
	netio_note_tx(s->nio, len);
	return dl_user_send((struct dl_user *)d, pkt, len, tx, token, tag);
}

/* The datalink sees a reply first, if at all: read what it has, and
 * report whether R was delivered from there. */
static int
s_dl_seen(void *ctx, struct io_dl *d, const struct pkt_reply *r)
{
	struct io_sock *s = ctx;
	struct dl_user *u = (struct dl_user *)d;

	if (!dl_user_rx(u))
		return 0;
	dl_user_drain(u);
	return dl_pool_seen(s->dlp, r);
}

static struct io_dl *
s_dl_tap_new(void *ctx, uint32_t ifindex, const char *expr, int send,
    io_dl_frame *frame, io_dl_ready *ready, void *arg, char *why,
    size_t whylen)
{
	struct io_sock *s = ctx;

	return (struct io_dl *)dl_tap_new(s->dlp, ifindex, expr, send, frame,
	    ready, arg, why, whylen);
}

static int
s_dl_send_frame(void *ctx, struct io_dl *d, const uint8_t *frame,
    size_t len, struct stamp *tx, void *token, uint32_t tag)
{
	(void)ctx;
	return dl_user_send_frame((struct dl_user *)d, frame, len, tx, token,
	    tag);
}

static int
s_if_byname(void *ctx, const char *name, struct iftab_if *ifp)
{
	(void)ctx;
	return iftab_byname(name, ifp);
}

static int
s_if_byaddr(void *ctx, int af, const uint8_t *addr, struct iftab_if *ifp)
{
	(void)ctx;
	return iftab_byaddr(af, addr, ifp);
}

static int
s_if_addr(void *ctx, uint32_t ifindex, int af, const uint8_t *near,
    uint8_t *addr)
{
	(void)ctx;
	return iftab_addr(ifindex, af, near, addr);
}

static int
s_next_hop(void *ctx, int af, const uint8_t *dst, uint8_t *rtr)
{
	struct neigh_route rt;

	(void)ctx;
	if (neigh_route_get(af, dst, &rt) == -1)
		return -1;
	if (rt.local)
		return 1;
	memcpy(rtr, rt.has_gw ? rt.gw : dst, af == AF_INET ? 4 : 16);
	return 0;
}

static void *
s_fw_lease(void *ctx, const struct netio_fw_rule *r, netio_fw_done *done,
    void *arg)
{
	struct io_sock *s = ctx;

	return s->fw_lease(s->fw_ctx, r, done, arg);
}

static void
s_fw_release(void *ctx, void *lease)
{
	struct io_sock *s = ctx;

	s->fw_release(s->fw_ctx, lease);
}

static const struct netio_stats *
s_stats(void *ctx)
{
	struct io_sock *s = ctx;

	return netio_stats(s->nio);
}

/* Two tables, with firewall leases (-F) and without; every other op is
 * the same in both. */
#define SOCK_OPS_COMMON						\
	.attach = s_attach,					\
	.free = s_free,						\
	.send = s_send,						\
	.batch = s_batch,					\
	.blocked = s_blocked,					\
	.forget = s_forget,					\
	.route_src = s_route_src,				\
	.ifmtu = s_ifmtu,					\
	.dl_new = s_dl_new,					\
	.dl_free = s_dl_free,					\
	.dl_send = s_dl_send,					\
	.dl_seen = s_dl_seen,					\
	.dl_tap_new = s_dl_tap_new,				\
	.dl_send_frame = s_dl_send_frame,			\
	.if_byname = s_if_byname,				\
	.if_byaddr = s_if_byaddr,				\
	.if_addr = s_if_addr,					\
	.next_hop = s_next_hop,					\
	.stats = s_stats

static const struct io_ops sock_ops = {
	SOCK_OPS_COMMON,
};

static const struct io_ops sock_ops_fw = {
	SOCK_OPS_COMMON,
	.fw_lease = s_fw_lease,
	.fw_release = s_fw_release,
};

int
io_sock_new(struct core_io *io, const struct netio_fds *fds)
{
	struct io_sock *s = calloc(1, sizeof(*s));
	struct netio_fds f = *fds;

	if (s == NULL) {
		int save = errno;
		close_fds(&f);
		errno = save;
		return -1;
	}
	s->fds = f;
	s->fw_lease = f.fw_lease;
	s->fw_release = f.fw_release;
	s->fw_ctx = f.fw_ctx;
	io->ops = f.fw_lease != NULL && f.fw_release != NULL ? &sock_ops_fw :
	    &sock_ops;
	io->ctx = s;
	return 0;
}
