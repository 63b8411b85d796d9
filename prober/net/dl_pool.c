/*
 * dl_pool.c: datalink sockets per interface, shared by the measurements
 * that need them, and the resolution of a router's hardware address
 * (see dl.h).
 *
 * An interface's sockets are asked for once, when a user first needs
 * them, and kept until the pool is freed: one to send on, one receiving
 * IP while some users want timestamps (nothing otherwise), and one
 * receiving what the taps' filters take.  The taps have a socket of
 * their own so that a flood of timestamped probes and replies (trace -O
 * dl at 10,000 packets a second) never fills the buffer their few
 * frames wait in.  A user is ready when every part it wants is: the
 * sending socket and the router's address (DL_WANT_VIA), its receiving
 * socket (DL_WANT_TS, taps).
 */
#include "config.h"

#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <unistd.h>

#include "dl_int.h"
#include "fpset.h"
#include "iftab.h"
#include "log.h"
#include "ndcache.h"
#include "pkt_nd.h"
#include "txstamp.h"

#define DL_RXBATCH	256	/* frames read per wake-up */
#define DL_RESOLVE_MS	3500	/* how long a neighbour may take */
#define DL_POLL_MS	50	/* how often the neighbour table is asked */
#define DL_REPROVOKE_MS	1000	/* provoke again after this long */

enum ds_state { DS_NONE, DS_OPENING, DS_OPEN, DS_FAILED };

struct dl_sock {
	struct dl_iface	*ifp;
	int		 rx;		/* a receiving socket */
	int		 fd;
	enum ds_state	 state;
	int		 err;
	struct loop_fd	*lfd;		/* receiving socket only */
	struct txs	*txs;		/* sending socket's timestamps */
	char		*fexpr;		/* a receiving one's filter, or NULL */
};

struct dl_iface {
	struct dl_pool	*p;		/* NULL: pool gone, an open pending */
	uint32_t	 ifindex;
	char		 name[IF_NAMESIZE + 16];
	enum neigh_link	 kind;
	uint8_t		 mac[NEIGH_MACLEN];
	struct dl_sock	 tx, rx, tap;	/* send; IP (timestamps); taps */
	int		 nwatch;	/* users wanting timestamps */
	int		 ntaps;		/* taps receiving here */
	TAILQ_ENTRY(dl_iface) e;
};

enum us_state { US_WAIT, US_READY, US_FAILED };

struct dl_user {
	struct dl_pool	*p;
	int		 want;
	int		 af;
	uint8_t		 rtr[16];
	uint8_t		 rtrmac[NEIGH_MACLEN];
	int		 mac;		/* 1 known, 0 resolving, -1 failed */
	int64_t		 waited_ms;
	int64_t		 provoked_ms;	/* when the last request went */
	struct dl_user	*res;		/* the tap resolving RTR, or NULL */
	uint8_t		 ressrc[16];	/* our address in its requests */
	struct dl_iface	*txif, *rxif;
	struct dl_sock	*rxs;		/* &rxif->rx or &rxif->tap */
	int		 watching;
	enum us_state	 state;
	struct timer	 tm;
	dl_ready_cb	*ready;
	void		*arg;
	/* a tap (dl_tap_new) */
	struct dlfilter	*tapf;		/* what it receives, or NULL */
	char		*tapexpr;
	dl_tap_cb	*tapcb;
	int		 dead;		/* freed while frames are handed out */
	TAILQ_ENTRY(dl_user) e;
	TAILQ_ENTRY(dl_user) te;	/* on the pool's taps */
};

struct dl_pool {
	struct loop		*l;
	netio_dl_open_fn	*open;
	void			*ctx;
	dl_frame_cb		*cb;
	void			*arg;
	TAILQ_HEAD(, dl_iface)	 ifs;
	TAILQ_HEAD(, dl_user)	 users;
	TAILQ_HEAD(, dl_user)	 taps;
	int			 dispatching;	/* handing a frame to taps */
	struct fpset		 fps;		/* replies delivered */
	netio_tx_cb		*txcb;
	void			*txarg;
	int64_t			 drained;	/* loop time of the last drain */
};

static void pool_kick(struct dl_pool *p);

static const char *
ntop(int af, const uint8_t *a, char *buf, size_t len)
{
	if (inet_ntop(af, a, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

/* ---- sockets ---------------------------------------------------------- */

static void
iface_free(struct dl_iface *ifp)
{
	struct dl_sock *s[] = { &ifp->tx, &ifp->rx, &ifp->tap };

	for (int i = 0; i < 3; i++) {
		if (s[i]->lfd != NULL && ifp->p != NULL)
			loop_fd_del(ifp->p->l, s[i]->lfd);
		if (s[i]->fd != -1)
			close(s[i]->fd);
		txs_free(s[i]->txs);
		free(s[i]->fexpr);
	}
	free(ifp);
}

/* The expression of what S, a receiving socket of IFP, lets through:
 * IP while someone wants timestamps (the IP socket), what every tap
 * wants (the taps' socket); "" for nothing.  Returns NULL (ENOMEM). */
static char *
iface_expr(const struct dl_iface *ifp, const struct dl_sock *s)
{
	const struct dl_user *u;
	size_t len = 16;
	char *e;

	if (s == &ifp->rx)
		return strdup(ifp->nwatch > 0 ? "(ip or ip6)" : "");
	TAILQ_FOREACH(u, &ifp->p->taps, te)
		if (!u->dead && u->rxif == ifp && u->tapexpr != NULL)
			len += strlen(u->tapexpr) + 8;
	if ((e = malloc(len)) == NULL)
		return NULL;
	e[0] = '\0';
	TAILQ_FOREACH(u, &ifp->p->taps, te)
		if (!u->dead && u->rxif == ifp && u->tapexpr != NULL)
			snprintf(e + strlen(e), len - strlen(e), "%s(%s)",
			    e[0] != '\0' ? " or " : "", u->tapexpr);
	return e;
}

/* Let receiving socket S of IFP take what its users want (nothing when
 * nobody does): one filter the kernel runs, made from every user's
 * expression; each tap checks its own again on what comes. */
static void
sock_filter(struct dl_iface *ifp, struct dl_sock *s)
{
	struct dlfilter *f = NULL;
	char why[256], *e;

	if (s->state != DS_OPEN)
		return;
	if ((e = iface_expr(ifp, s)) == NULL) {
		s->state = DS_FAILED;
		s->err = ENOMEM;
		return;
	}
	if (s->fexpr != NULL && strcmp(e, s->fexpr) == 0) {
		free(e);
		return;
	}
	/* each part compiled alone; should the whole be refused, let
	 * everything through and leave the choice to the taps */
	if (e[0] != '\0' && (f = dlfilter_compile(ifp->kind, e, why,
	    sizeof(why))) == NULL)
		f = dlfilter_compile(ifp->kind, "", why, sizeof(why));
	if ((e[0] != '\0' && f == NULL) ||
	    dl_sock_filter(s->fd, f, 0) == -1) {
		s->state = DS_FAILED;
		s->err = f == NULL ? EINVAL : errno;
		free(e);
	} else {
		free(s->fexpr);
		s->fexpr = e;
	}
	dlfilter_free(f);
}

/* Both receiving sockets of IFP take what their users want now. */
static void
iface_filter(struct dl_iface *ifp)
{
	sock_filter(ifp, &ifp->rx);
	sock_filter(ifp, &ifp->tap);
}

static void tap_reap(struct dl_pool *p);

/* A frame for the taps on interface ARG: each whose filter accepts it
 * gets it.  A tap freed meanwhile is only marked (tap_reap frees it). */
static void
tap_frame(void *arg, const uint8_t *frame, size_t len,
    const struct stamp *ts, int outgoing)
{
	struct dl_iface *ifp = arg;
	struct dl_pool *p = ifp->p;
	struct dl_user *u;
	size_t hl = dl_linkhdr(ifp->kind);

	p->dispatching++;
	TAILQ_FOREACH(u, &p->taps, te)
		if (!u->dead && u->rxif == ifp && u->state == US_READY &&
		    u->tapf != NULL && dlfilter_match(u->tapf, frame, len, len))
			u->tapcb(u->arg, frame, len, hl, ts, outgoing);
	if (--p->dispatching == 0)
		tap_reap(p);
}


/* Read up to MAX frames from S, a receiving socket: IP frames for the
 * pool's callback, or frames for the taps. */
static void
iface_read(struct dl_sock *s, int max)
{
	struct dl_iface *ifp = s->ifp;
	struct dl_pool *p = ifp->p;
	int ip = s == &ifp->rx;
	uint64_t fp;
	int used;

	for (int i = 0; i < max && s->state == DS_OPEN &&
	    dl_sock_read(s->fd, ifp->kind, ip && ifp->nwatch > 0 ? p->cb :
	    NULL, p->arg, !ip && ifp->ntaps > 0 ? tap_frame : NULL, ifp,
	    &used, &fp); i++)
		if (used && fp != 0)
			fpset_add(&p->fps, fp);
}

static void
on_rx(struct loop_fd *lfd, int fd, int events, void *arg)
{
	(void)lfd;
	(void)fd;
	(void)events;
	iface_read(arg, DL_RXBATCH);
}

/* The kernel's timestamp for a probe sent on an interface's socket came,
 * or will not. */
static void
on_txstamp(void *arg, void *token, uint32_t tag, const struct stamp *ts)
{
	struct dl_pool *p = arg;

	if (p->txcb != NULL)
		p->txcb(p->txarg, token, tag, ts != NULL ? NETIO_TX_STAMPED :
		    NETIO_TX_NOSTAMP, 0, ts);
}

/* The helper answered a request for socket S. */
static void
on_open(void *arg, int err, int fd, uint32_t value)
{
	struct dl_sock *s = arg;
	struct dl_iface *ifp = s->ifp;

	(void)value;
	if (ifp->p == NULL) {
		/* the pool went away meanwhile */
		if (fd != -1)
			close(fd);
		s->state = DS_FAILED;
		if (ifp->tx.state != DS_OPENING &&
		    ifp->rx.state != DS_OPENING && ifp->tap.state != DS_OPENING)
			iface_free(ifp);
		return;
	}
	s->fd = fd;
	if (err == 0 && fd != -1 && dl_sock_prep(fd, s->rx) == 0 &&
	    dl_sock_filter(fd, NULL, 1) == 0 &&
	    (!s->rx || (s->lfd = loop_fd_add(ifp->p->l, fd, LOOP_READ, on_rx,
	    s)) != NULL)) {
		s->state = DS_OPEN;
		/* a kernel without transmit timestamps leaves before-send
		 * times (the frames seen leaving serve -O dl) */
		if (!s->rx && txs_enable(fd) == 0)
			s->txs = txs_new(fd, on_txstamp, ifp->p);
	} else {
		s->state = DS_FAILED;
		s->err = err != 0 ? err : errno != 0 ? errno : EIO;
	}
	if (s->rx)
		sock_filter(ifp, s);
	pool_kick(ifp->p);
}

/* Make sure S is open or being opened. */
static void
sock_want(struct dl_sock *s)
{
	struct dl_pool *p = s->ifp->p;

	if (s->state != DS_NONE)
		return;
	if (p->open == NULL) {
		s->state = DS_FAILED;
		s->err = EPERM;
		return;
	}
	s->state = DS_OPENING;
	if (p->open(p->ctx, s->ifp->ifindex, on_open, s) == -1) {
		s->state = DS_FAILED;
		s->err = errno;
	}
}

/* The interface IFINDEX, known to the pool from now on. */
static struct dl_iface *
iface_get(struct dl_pool *p, uint32_t ifindex, char *why, size_t len)
{
	struct dl_iface *ifp;
	uint32_t mtu;
	char name[IF_NAMESIZE];

	TAILQ_FOREACH(ifp, &p->ifs, e)
		if (ifp->ifindex == ifindex)
			return ifp;
	if ((ifp = calloc(1, sizeof(*ifp))) == NULL) {
		errf(why, len, "out of memory");
		return NULL;
	}
	ifp->p = p;
	ifp->ifindex = ifindex;
	ifp->tx.ifp = ifp->rx.ifp = ifp->tap.ifp = ifp;
	ifp->rx.rx = ifp->tap.rx = 1;
	ifp->tx.fd = ifp->rx.fd = ifp->tap.fd = -1;
	if (if_indextoname(ifindex, name) != NULL)
		snprintf(ifp->name, sizeof(ifp->name), "%s", name);
	else
		snprintf(ifp->name, sizeof(ifp->name), "ifindex %u", ifindex);
	if (neigh_link_get(ifindex, &ifp->kind, ifp->mac, &mtu) == -1) {
		errf(why, len, "interface %s: %s", ifp->name, strerror(errno));
		free(ifp);
		return NULL;
	}
	TAILQ_INSERT_TAIL(&p->ifs, ifp, e);
	return ifp;
}

/* ---- users ------------------------------------------------------------ */

/* Whether U is ready (1), still waiting (0) or cannot be (-1, with the
 * errno in *ERR and the reason in WHY). */
static int
user_verdict(const struct dl_user *u, int *err, char *why, size_t len)
{
	char a[64];

	if (u->txif != NULL && u->txif->tx.state == DS_FAILED) {
		*err = u->txif->tx.err;
		return errf(why, len, "no datalink socket on %s: %s",
		    u->txif->name, strerror(*err));
	}
	if (u->rxs != NULL && u->rxs->state == DS_FAILED) {
		*err = u->rxs->err;
		return errf(why, len, "no datalink socket on %s: %s",
		    u->rxif->name, strerror(*err));
	}
	if (u->mac == -1) {
		*err = EHOSTUNREACH;
		return errf(why, len, "router %s on %s did not answer address "
		    "resolution", ntop(u->af, u->rtr, a, sizeof(a)),
		    u->txif->name);
	}
	if (u->txif != NULL && (u->txif->tx.state != DS_OPEN || u->mac != 1))
		return 0;
	if (u->rxs != NULL && u->rxs->state != DS_OPEN)
		return 0;
	return 1;
}

/* Tell U's owner the verdict if there is one.  Returns 1 if told (U may
 * be gone then). */
static int
user_decide(struct dl_user *u)
{
	char why[256];
	int err = 0, v;

	if (u->state != US_WAIT || (v = user_verdict(u, &err, why,
	    sizeof(why))) == 0)
		return 0;
	u->state = v == 1 ? US_READY : US_FAILED;
	u->ready(u->arg, v == 1 ? 0 : err, v == 1 ? NULL : why);
	return 1;
}

/* Something changed: tell every user that can be told (a callback may
 * free users, so start over after each). */
static void
pool_kick(struct dl_pool *p)
{
	struct dl_user *u;
	int again = 1;

	while (again) {
		again = 0;
		TAILQ_FOREACH(u, &p->users, e)
			if (user_decide(u)) {
				again = 1;
				break;
			}
	}
}

/* ---- a router's hardware address ---------------------------------------
 *
 * From the neighbour cache (ndcache.h) if it has the router; else asked
 * by the prober itself with ARP or a neighbour solicitation on the
 * interface (a tap of the pool), again every DL_REPROVOKE_MS, until
 * DL_RESOLVE_MS have gone by. */

static void
res_stop(struct dl_user *u)
{
	if (u->res != NULL) {
		dl_user_free(u->res);
		u->res = NULL;
	}
}

/* Send U's request for its router's hardware address. */
static void
res_send(struct dl_user *u)
{
	uint8_t f[PKT_ND_MAXLEN];
	struct stamp tx;
	size_t len;

	u->provoked_ms = u->waited_ms;
	len = pkt_nd_request(u->af, u->txif->mac, u->ressrc, u->rtr, f,
	    sizeof(f));
	if (len != 0)
		(void)dl_user_send_frame(u->res, f, len, &tx, NULL, 0);
}

/* A reply about U's router (ARG), or some other frame. */
static void
res_frame(void *arg, const uint8_t *frame, size_t len, size_t linkhdr,
    const struct stamp *ts, int outgoing)
{
	struct dl_user *u = arg;
	uint8_t mac[NEIGH_MACLEN];

	(void)ts;
	if (outgoing || u->mac != 0 ||
	    !pkt_nd_reply(u->af, frame, len, linkhdr, u->rtr, mac))
		return;
	memcpy(u->rtrmac, mac, NEIGH_MACLEN);
	u->mac = 1;
	ndcache_put(u->af, u->rtr, u->txif->ifindex, mac);
	res_stop(u);
	pool_kick(u->p);	/* U may be gone after this */
}

/* The resolving tap of U (ARG) is ready: ask; or it cannot be. */
static void
res_ready(void *arg, int err, const char *why)
{
	struct dl_user *u = arg;

	(void)why;
	if (err == 0)
		res_send(u);
	else {
		u->mac = -1;	/* U's verdict names its sockets' error */
		res_stop(u);
	}
}

/* Start asking for U's router.  Returns 0 or -1. */
static int
res_start(struct dl_user *u)
{
	char expr[512], why[256];

	if (iftab_addr(u->txif->ifindex, u->af, u->rtr, u->ressrc) == -1 ||
	    pkt_nd_filter(u->af, u->rtr, expr, sizeof(expr)) == -1)
		return -1;
	u->res = dl_tap_new(u->p, u->txif->ifindex, expr, 1, res_frame,
	    res_ready, u, why, sizeof(why));
	return u->res == NULL ? -1 : 0;
}

/* The cache, or a request (again after DL_REPROVOKE_MS); give up after
 * DL_RESOLVE_MS. */
static void
user_resolve(struct dl_user *u)
{
	if (u->mac != 0)
		return;
	if (ndcache_get(u->af, u->rtr, u->txif->ifindex, u->rtrmac)) {
		u->mac = 1;
		res_stop(u);
	} else if (u->waited_ms >= DL_RESOLVE_MS) {
		u->mac = -1;
		res_stop(u);
	} else if (u->res == NULL) {
		if (res_start(u) == -1)
			u->mac = -1;
	} else if (u->res->state == US_READY &&
	    u->waited_ms - u->provoked_ms >= DL_REPROVOKE_MS)
		res_send(u);
}

static void
on_user_timer(void *arg)
{
	struct dl_user *u = arg;

	if (u->txif != NULL && u->mac == 0) {
		u->waited_ms += DL_POLL_MS;
		user_resolve(u);
	}
	if (user_decide(u))
		return;
	if (u->txif != NULL && u->mac == 0)
		loop_timer_after(u->p->l, &u->tm, DL_POLL_MS);
}

/* Find RTR's interface for U (on-link, Ethernet).  Returns 0 or -1. */
static int
user_via(struct dl_user *u, char *why, size_t len)
{
	struct neigh_route rt;
	char a[64], g[64];

	ntop(u->af, u->rtr, a, sizeof(a));
	if (neigh_route_get(u->af, u->rtr, &rt) == -1)
		return errf(why, len, "no route to router %s: %s", a,
		    strerror(errno));
	if (rt.local)
		return errf(why, len, "router %s is an address of this host", a);
	if (rt.has_gw)
		return errf(why, len, "router %s is not on a directly connected "
		    "network (reached via %s)", a, ntop(u->af, rt.gw, g,
		    sizeof(g)));
	if ((u->txif = iface_get(u->p, rt.ifindex, why, len)) == NULL)
		return -1;
	if (u->txif->kind != NEIGH_LINK_ETHER)
		return errf(why, len, "router %s is on %s, which is not an "
		    "Ethernet", a, u->txif->name);
	user_resolve(u);
	sock_want(&u->txif->tx);
	return 0;
}

/* Find the interface probes to DST leave by, for timestamps. */
static int
user_ts(struct dl_user *u, const uint8_t *dst, char *why, size_t len)
{
	struct neigh_route rt;
	char a[64];

	if (u->txif != NULL)
		u->rxif = u->txif;
	else if (neigh_route_get(u->af, dst, &rt) == -1)
		return errf(why, len, "no route to %s: %s",
		    ntop(u->af, dst, a, sizeof(a)), strerror(errno));
	else if ((u->rxif = iface_get(u->p, rt.ifindex, why, len)) == NULL)
		return -1;
	if (u->rxif->kind == NEIGH_LINK_OTHER)
		return errf(why, len, "%s has a link type the datalink code "
		    "does not frame", u->rxif->name);
	u->watching = 1;
	u->rxs = &u->rxif->rx;
	if (u->rxif->nwatch++ == 0)
		iface_filter(u->rxif);
	sock_want(u->rxs);
	return 0;
}

struct dl_user *
dl_user_new(struct dl_pool *p, int want, int af, const uint8_t *dst,
    const uint8_t *rtr, dl_ready_cb *ready, void *arg, char *why,
    size_t whylen)
{
	struct dl_user *u;

	if ((want & ~(DL_WANT_VIA | DL_WANT_TS)) != 0 || want == 0 ||
	    ((want & DL_WANT_VIA) && rtr == NULL)) {
		errf(why, whylen, "bad datalink request");
		return NULL;
	}
	if ((u = calloc(1, sizeof(*u))) == NULL) {
		errf(why, whylen, "out of memory");
		return NULL;
	}
	u->p = p;
	u->want = want;
	u->af = af;
	u->ready = ready;
	u->arg = arg;
	u->state = US_WAIT;
	timer_init(&u->tm, on_user_timer, u);
	if (rtr != NULL)
		memcpy(u->rtr, rtr, af == AF_INET ? 4 : 16);
	TAILQ_INSERT_TAIL(&p->users, u, e);
	if (((want & DL_WANT_VIA) && user_via(u, why, whylen) == -1) ||
	    ((want & DL_WANT_TS) && user_ts(u, dst, why, whylen) == -1)) {
		dl_user_free(u);
		return NULL;
	}
	/* the verdict comes from the loop, never from this call */
	loop_timer_after(p->l, &u->tm, (u->txif != NULL && u->mac == 0) ?
	    DL_POLL_MS : 0);
	return u;
}

void
dl_user_free(struct dl_user *u)
{
	if (u == NULL)
		return;
	res_stop(u);
	loop_timer_cancel(u->p->l, &u->tm);
	if (u->watching && --u->rxif->nwatch == 0)
		iface_filter(u->rxif);
	TAILQ_REMOVE(&u->p->users, u, e);
	if (u->want & DL_WANT_TAP) {
		u->dead = 1;
		if (u->tapexpr != NULL) {
			u->rxif->ntaps--;
			iface_filter(u->rxif);
		}
		if (u->p->dispatching == 0)
			tap_reap(u->p);
		return;
	}
	free(u);
}

/* Free the taps freed while frames were handed out. */
static void
tap_reap(struct dl_pool *p)
{
	struct dl_user *u, *next;

	for (u = TAILQ_FIRST(&p->taps); u != NULL; u = next) {
		next = TAILQ_NEXT(u, te);
		if (!u->dead)
			continue;
		TAILQ_REMOVE(&p->taps, u, te);
		dlfilter_free(u->tapf);
		free(u->tapexpr);
		free(u);
	}
}

struct dl_user *
dl_tap_new(struct dl_pool *p, uint32_t ifindex, const char *expr, int send,
    dl_tap_cb *cb, dl_ready_cb *ready, void *arg, char *why, size_t whylen)
{
	struct dl_iface *ifp;
	struct dl_user *u;
	char e[256];

	if ((expr == NULL && !send) || (expr != NULL && cb == NULL)) {
		errf(why, whylen, "bad datalink request");
		return NULL;
	}
	if ((ifp = iface_get(p, ifindex, why, whylen)) == NULL)
		return NULL;
	if (ifp->kind == NEIGH_LINK_OTHER) {
		errf(why, whylen, "%s has a link type the datalink code does "
		    "not frame", ifp->name);
		return NULL;
	}
	if ((u = calloc(1, sizeof(*u))) == NULL ||
	    (expr != NULL && (u->tapexpr = strdup(expr)) == NULL)) {
		free(u);
		errf(why, whylen, "out of memory");
		return NULL;
	}
	if (expr != NULL && (u->tapf = dlfilter_compile(ifp->kind, expr, e,
	    sizeof(e))) == NULL) {
		free(u->tapexpr);
		free(u);
		errf(why, whylen, "filter '%s' on %s: %s", expr, ifp->name, e);
		return NULL;
	}
	u->p = p;
	u->want = DL_WANT_TAP;
	u->mac = 1;		/* no router to resolve */
	u->tapcb = cb;
	u->ready = ready;
	u->arg = arg;
	u->state = US_WAIT;
	timer_init(&u->tm, on_user_timer, u);
	TAILQ_INSERT_TAIL(&p->users, u, e);
	TAILQ_INSERT_TAIL(&p->taps, u, te);
	if (send) {
		u->txif = ifp;
		sock_want(&ifp->tx);
	}
	if (expr != NULL) {
		u->rxif = ifp;
		u->rxs = &ifp->tap;
		ifp->ntaps++;
		iface_filter(ifp);
		sock_want(u->rxs);
	}
	/* the verdict comes from the loop, never from this call */
	loop_timer_after(p->l, &u->tm, 0);
	return u;
}


int
dl_user_link(const struct dl_user *u, struct dl_link *l)
{
	const struct dl_iface *ifp = u->txif != NULL ? u->txif : u->rxif;

	if (ifp == NULL) {
		errno = ENXIO;
		return -1;
	}
	memset(l, 0, sizeof(*l));
	l->ifindex = ifp->ifindex;
	l->kind = ifp->kind;
	l->linkhdr = dl_linkhdr(ifp->kind);
	memcpy(l->mac, ifp->mac, NEIGH_MACLEN);
	snprintf(l->name, sizeof(l->name), "%s", ifp->name);
	return 0;
}

int
dl_user_rx(const struct dl_user *u)
{
	return u->state == US_READY && u->rxs != NULL &&
	    u->rxs->state == DS_OPEN;
}

/* A send on S failed (errno): the kernel may have used a timestamp key
 * for it.  Returns -1 with errno kept. */
static int
sent_refused(struct dl_sock *s)
{
	if (errno != EAGAIN && s->txs != NULL) {
		int save = errno;
		txs_refused(s->txs);
		errno = save;
	}
	return -1;
}

/* A packet went out on S after the clock read TX: its timestamp is
 * awaited (every packet on S, so the keys stay counted), and reported
 * for TOKEN/TAG if TOKEN is not NULL. */
static void
sent_note(struct dl_pool *p, struct dl_sock *s, void *token, uint32_t tag,
    const struct stamp *tx)
{
	if (p->txcb == NULL)
		token = NULL;
	if (s->txs != NULL) {
		txs_sent(s->txs, token, tag, *tx);
		p->drained = -1;	/* a reply may follow this iteration */
	} else if (token != NULL)
		p->txcb(p->txarg, token, tag, NETIO_TX_NOSTAMP, 0, tx);
}

int
dl_user_send(struct dl_user *u, const uint8_t *pkt, size_t len,
    struct stamp *tx, void *token, uint32_t tag)
{
	struct dl_sock *s;
	struct dl_pool *p = u->p;

	if (u->state != US_READY || u->txif == NULL ||
	    u->txif->tx.state != DS_OPEN) {
		errno = ENOTCONN;
		return -1;
	}
	s = &u->txif->tx;
	if (dl_sock_send(s->fd, u->txif->kind, u->rtrmac, u->txif->mac, pkt,
	    len, tx) == -1)
		return sent_refused(s);
	sent_note(p, s, token, tag, tx);
	return 0;
}

int
dl_user_send_frame(struct dl_user *u, const uint8_t *frame, size_t len,
    struct stamp *tx, void *token, uint32_t tag)
{
	struct dl_sock *s;

	if (u->state != US_READY || u->txif == NULL ||
	    u->txif->tx.state != DS_OPEN) {
		errno = ENOTCONN;
		return -1;
	}
	s = &u->txif->tx;
	if (dl_sock_send_frame(s->fd, frame, len, tx) == -1)
		return sent_refused(s);
	sent_note(u->p, s, token, tag, tx);
	return 0;
}

void
dl_pool_set_txcb(struct dl_pool *p, netio_tx_cb *cb, void *arg)
{
	p->txcb = cb;
	p->txarg = arg;
}

void
dl_pool_tx_drain(struct dl_pool *p)
{
	struct dl_iface *ifp;
	int64_t now = loop_now(p->l).ns;

	if (p->drained == now)
		return;
	p->drained = now;
	TAILQ_FOREACH(ifp, &p->ifs, e)
		if (ifp->tx.txs != NULL && txs_waiting(ifp->tx.txs) > 0)
			txs_drain(ifp->tx.txs, stamp_now(), 0);
}

void
dl_user_drain(struct dl_user *u)
{
	if (u->rxs != NULL && u->rxs->state == DS_OPEN)
		iface_read(u->rxs, 4096);
}

/* ---- the pool --------------------------------------------------------- */

struct dl_pool *
dl_pool_new(struct loop *l, netio_dl_open_fn *open, void *ctx,
    dl_frame_cb *cb, void *arg)
{
	struct dl_pool *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->l = l;
	p->open = open;
	p->ctx = ctx;
	p->cb = cb;
	p->arg = arg;
	p->drained = -1;
	TAILQ_INIT(&p->ifs);
	TAILQ_INIT(&p->users);
	TAILQ_INIT(&p->taps);
	return p;
}

void
dl_pool_free(struct dl_pool *p)
{
	struct dl_iface *ifp;

	if (p == NULL)
		return;
	while (!TAILQ_EMPTY(&p->users))
		dl_user_free(TAILQ_FIRST(&p->users));
	while ((ifp = TAILQ_FIRST(&p->ifs)) != NULL) {
		TAILQ_REMOVE(&p->ifs, ifp, e);
		if (ifp->tx.state == DS_OPENING ||
		    ifp->rx.state == DS_OPENING ||
		    ifp->tap.state == DS_OPENING) {
			/* freed when the helper answers (on_open) */
			for (int i = 0; i < 3; i++) {
				struct dl_sock *s = i == 0 ? &ifp->tx : i == 1 ?
				    &ifp->rx : &ifp->tap;
				if (s->lfd != NULL)
					loop_fd_del(p->l, s->lfd);
				s->lfd = NULL;
			}
			ifp->p = NULL;
		} else
			iface_free(ifp);
	}
	free(p);
}

int
dl_pool_seen(struct dl_pool *p, const struct pkt_reply *r)
{
	return fpset_take(&p->fps, dl_fingerprint(r));
}
