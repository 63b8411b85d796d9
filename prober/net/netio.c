/*
 * netio.c: the prober's packet I/O (see netio.h): probes out on raw
 * sockets or, with send_packet, on packet sockets (pktpath.h) in the
 * same queues, a packet socket's queue written straight into its
 * transmit ring (txring.h) where it has one; replies in on the raw
 * sockets.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifdef __linux__
#include <linux/if_packet.h>
#endif

#include "log.h"
#include "memtrim.h"
#include "netio.h"
#include "pktpath.h"
#include "pktrecv.h"
#include "txring.h"
#include "txstamp.h"

#define NETIO_RXBATCH 256	/* replies read per wake-up, for fairness */
#define NETIO_RXSLOTS 32	/* datagrams per recvmmsg */
#define NETIO_RXSLOT 2048	/* bytes per datagram slot */
#define NETIO_TXBATCH 64	/* probes per sendmmsg: their owners are still
				   in the cache when the timestamps come */
#define NETIO_TXARENA 65536	/* bytes of queued probes */
#define NETIO_TXSLOT 1500	/* larger probes are sent at once */
#define NETIO_RCVBUF (4 * 1024 * 1024)	/* receive buffer to ask for */
#define NETIO_NSOCK (2 + PKTPATH_MAXIF)	/* raw4, raw6, then packet sockets */

_Static_assert(PKTPATH_NWHY <= 8, "netio_stats.packet_raw_why too small");

enum netio_kind { RX_IP4, RX_ICMP6, RX_TCP6, NKIND };

struct netio_rx {
	struct netio	*n;
	struct loop_fd	*lfd;
	int		 fd;
	enum netio_kind	 kind;
};

struct netio_rxslot {
	struct sockaddr_storage	 from;
	struct iovec		 iov;
	_Alignas(struct cmsghdr) uint8_t cbuf[128];
};

/* Probes queued while batching, one queue per socket, each sent with one
 * sendmmsg (and its transmit timestamps read with one recvmmsg): packed
 * one after another in ARENA.  A pass that mixes IPv4 and IPv6 probes
 * fills both queues and flushes each once. */
union netio_sa {
	struct sockaddr		sa;
	struct sockaddr_in	sin;
	struct sockaddr_in6	sin6;
#ifdef __linux__
	struct sockaddr_ll	sll;
#endif
};

struct netio_tx {
	int			 off;		/* [off, n) wait to go out */
	int			 n;
	size_t			 used;		/* bytes of ARENA */
	struct loop_fd		*wait;		/* fd watched: its buffer was full */
	struct mmsghdr		 m[NETIO_TXBATCH];
	struct iovec		 iov[NETIO_TXBATCH];
	union netio_sa		 ss[NETIO_TXBATCH];
	void			*token[NETIO_TXBATCH];
	uint32_t		 tag[NETIO_TXBATCH];
	uint32_t		 fp[NETIO_TXBATCH];	/* txs_fp: packet
						   sockets with a ring */
	uint8_t			 arena[NETIO_TXARENA];
};

/* A socket probes are sent on, its queue and its transmit timestamps.
 * With a transmit ring, the queue's frames [off, n) are the ring's
 * pending ones (its arena unused), all of ethertype PROTO. */
struct netio_sock {
	struct netio	*n;
	int		 fd;
	struct txs	*txs;		/* NULL: the kernel gives none */
	struct txs	*etxs;		/* the error queue's, still awaited
					   after a switch to copies */
	int		 copies;	/* times from a ring's copies */
	struct netio_tx	*tx;		/* the batch; NULL until used */
	int		 packet;	/* a packet socket (netio's to close) */
	struct txring	*ring;		/* its transmit ring, or NULL */
	int		 dead;		/* the ring jammed: probes go raw */
	uint32_t	 ifindex;	/* a packet socket's interface */
	uint16_t	 proto;		/* ethertype of the ring's pending */
};

/* The receive rings' replies, each parsed one ahead of its delivery (as
 * rx_deliver does) so the hint for the next goes first: N (0 or 1)
 * parsed and waiting in slot CUR, pointing into a block still ours. */
struct netio_ringq {
	struct pkt_reply	 r[2];
	struct stamp		 rx[2];
	int			 cur, n;
};

struct netio {
	struct loop		*l;
	struct netio_fds	 fds;
	struct netio_rx		 rx[4];
	int			 nrx;
	netio_reply_cb		*cb;
	netio_hint_cb		*hint;		/* NULL: none */
	void			*arg;
	struct netio_stats	 st;
	int			 batching;	/* netio_batch(n, 1) */
	struct stamp		 qtime;		/* the clock when it began */
	netio_tx_cb		*txcb;
	struct netio_sock	 snd[NETIO_NSOCK];	/* send4, send6, packet */
	struct pktpath		*pp;		/* NULL: raw sockets only */
	struct pktrecv		*pr;		/* NULL: replies on raw sockets */
	struct netio_ringq	 rq;
	int64_t			 drained;	/* loop time of the last drain */
	size_t			 maxtx;		/* largest probe sent */
	uint64_t		 gone_stray;	/* error-queue matchers freed: */
	uint64_t		 gone_reads;	/* their counts */
	struct netio_rxslot	 rxs[NETIO_RXSLOTS];
	uint8_t			 buf[NETIO_RXSLOTS * NETIO_RXSLOT];
};

void
netio_fds_init(struct netio_fds *f)
{
	f->send4 = f->icmp4 = f->tcp4 = -1;
	f->send6 = f->icmp6 = f->tcp6 = -1;
	f->dl_open = NULL;
	f->dl_ctx = NULL;
	f->send_packet = NETIO_PKT_NONE;
	f->recv_packet = 0;
	f->on_lost = NULL;
	f->fw_lease = NULL;
	f->fw_release = NULL;
	f->fw_ctx = NULL;
}

/* Replies to a tick's probes arrive while a busy prober sleeps out the
 * tick: let the buffer hold NETIO_RCVBUF (the helper may have forced
 * more; never shrink it; net.core.rmem_max caps what is asked here). */
static void
grow_rcvbuf(int fd)
{
	int cur = 0, want = NETIO_RCVBUF;
	socklen_t len = sizeof(cur);

	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &cur, &len) == 0 &&
	    cur >= want)
		return;
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &want, sizeof(want));
}

static int
prep_fd(int fd, int af, int rx)
{
	int fl, on = 1;

	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) == -1)
		return -1;
	if (!rx) {
		/* send at any size the interface takes, whatever path MTU
		 * the kernel has learnt: PMTUD probes must go out as built */
		int probe = af == AF_INET ? IP_PMTUDISC_PROBE :
		    IPV6_PMTUDISC_PROBE;
		return setsockopt(fd, af == AF_INET ? IPPROTO_IP :
		    IPPROTO_IPV6, af == AF_INET ? IP_MTU_DISCOVER :
		    IPV6_MTU_DISCOVER, &probe, sizeof(probe));
	}
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on)) == -1)
		return -1;
	grow_rcvbuf(fd);
	if (af == AF_INET6 &&
	    (setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on,
	    sizeof(on)) == -1 || setsockopt(fd, IPPROTO_IPV6,
	    IPV6_RECVHOPLIMIT, &on, sizeof(on)) == -1))
		return -1;
	return 0;
}

/* Read the cmsgs of M into R (IPv6 destination and hop limit) and RX. */
static void
read_cmsgs(struct msghdr *m, struct pkt_reply *r, struct stamp *rx)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(m); c != NULL; c = CMSG_NXTHDR(m, c)) {
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_TIMESTAMPNS &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct timespec))) {
			struct timespec ts;
			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			*rx = stamp_of_ts(&ts);
		}
		else if (c->cmsg_level == IPPROTO_IPV6 &&
		    c->cmsg_type == IPV6_PKTINFO &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct in6_pktinfo))) {
			struct in6_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			memcpy(r->dst, &pi.ipi6_addr, 16);
		} else if (c->cmsg_level == IPPROTO_IPV6 &&
		    c->cmsg_type == IPV6_HOPLIMIT &&
		    c->cmsg_len >= CMSG_LEN(sizeof(int))) {
			int hl;
			memcpy(&hl, CMSG_DATA(c), sizeof(hl));
			r->ttl = (uint8_t)hl;
		}
	}
}

/* Parse the datagram (PKT, LEN) of message M read from X into *R,
 * received at *RX.  Returns 0, or -1 if malformed (counted). */
static int
rx_parse(struct netio_rx *x, struct msghdr *m, uint8_t *pkt, size_t len,
    struct pkt_reply *r, struct stamp *rx)
{
	struct netio *n = x->n;
	struct sockaddr_storage *from = m->msg_name;
	int rc;

	rx->ns = 0;
	n->st.received++;
	if (x->kind == RX_IP4) {
		rc = pkt_parse(pkt, len, r);
		read_cmsgs(m, r, rx);
	} else {
		memset(r, 0, sizeof(*r));
		r->af = AF_INET6;
		if (from->ss_family == AF_INET6)
			memcpy(r->src, &((struct sockaddr_in6 *)from)->
			    sin6_addr, 16);
		read_cmsgs(m, r, rx);
		rc = x->kind == RX_ICMP6 ?
		    pkt_parse_icmp6(pkt, len, r) :
		    pkt_parse_l4(IPPROTO_TCP, pkt, len, r);
		r->size = (uint16_t)(len + 40);
	}
	if (rx->ns == 0) {
		/* no kernel timestamp (never seen on Linux): the clock now,
		 * later than the arrival; counted */
		*rx = stamp_now();
		n->st.rx_nostamp++;
	}
	if (rc == -1 || (m->msg_flags & MSG_TRUNC)) {
		n->st.malformed++;
		return -1;
	}
	return 0;
}

/*
 * Parse the GOT messages of MM (read from X into n->rxs) and hand them
 * on in order, each parsed one ahead so that the hint for the next
 * reaches the core before this one is delivered: the match table's slot
 * it will read is then on its way while this one is handled.
 */
static void
rx_deliver(struct netio_rx *x, struct mmsghdr *mm, int got)
{
	struct netio *n = x->n;
	struct netio_rxslot *sl = n->rxs;
	struct pkt_reply r[2];
	struct stamp rx[2];
	int ok[2] = { -1, -1 };

	ok[0] = rx_parse(x, &mm[0].msg_hdr, sl[0].iov.iov_base,
	    mm[0].msg_len, &r[0], &rx[0]);
	for (int i = 0; i < got; i++) {
		int c = i & 1, nx = c ^ 1;

		if (i + 1 < got && (ok[nx] = rx_parse(x, &mm[i + 1].msg_hdr,
		    sl[i + 1].iov.iov_base, mm[i + 1].msg_len, &r[nx],
		    &rx[nx])) == 0 && n->hint != NULL)
			n->hint(n->arg, &r[nx]);
		if (ok[c] == 0)
			n->cb(n->arg, &r[c], &rx[c]);
	}
}

/* Datagrams one read takes: one while probes larger than a slot are in
 * use (so no reply to them is cut short), else NETIO_RXSLOTS. */
static int
rx_slots(const struct netio *n)
{
	return n->maxtx > NETIO_RXSLOT - 128 ? 1 : NETIO_RXSLOTS;
}

/*
 * Read up to NETIO_RXSLOTS datagrams from X with one recvmmsg(2), each
 * into a slot of n->buf, and deliver them.  While probes larger than a
 * slot are in use the whole buffer takes one datagram, so no reply to
 * them is cut short.  Returns how many were read (0: drained).
 */
static int
rx_batch(struct netio_rx *x)
{
	struct netio *n = x->n;
	struct netio_rxslot *sl = n->rxs;
	struct mmsghdr mm[NETIO_RXSLOTS];
	unsigned int slots, size;
	int got;

	slots = (unsigned int)rx_slots(n);
	size = slots == 1 ? sizeof(n->buf) : NETIO_RXSLOT;
	for (unsigned int i = 0; i < slots; i++) {
		sl[i].iov.iov_base = n->buf + i * NETIO_RXSLOT;
		sl[i].iov.iov_len = size;
		memset(&mm[i], 0, sizeof(mm[i]));
		mm[i].msg_hdr.msg_name = &sl[i].from;
		mm[i].msg_hdr.msg_namelen = sizeof(sl[i].from);
		mm[i].msg_hdr.msg_iov = &sl[i].iov;
		mm[i].msg_hdr.msg_iovlen = 1;
		mm[i].msg_hdr.msg_control = sl[i].cbuf;
		mm[i].msg_hdr.msg_controllen = sizeof(sl[i].cbuf);
	}
	if ((got = recvmmsg(x->fd, mm, slots, 0, NULL)) <= 0)
		return 0;
	rx_deliver(x, mm, got);
	return got;
}

static void
on_readable(struct loop_fd *lfd, int fd, int events, void *arg)
{
	struct netio_rx *x = arg;
	int n;

	/* send times first: the replies may answer probes just stamped */
	netio_tx_drain(x->n);
	/* a batch that did not fill its slots emptied the socket: another
	 * read would only say so (EAGAIN); what comes later wakes the
	 * loop again (the descriptor is watched level-triggered) */
	for (int total = 0; total < NETIO_RXBATCH; total += n)
		if ((n = rx_batch(x)) < rx_slots(x->n))
			break;
}

static int
add_rx(struct netio *n, int fd, int af, enum netio_kind kind)
{
	struct netio_rx *x;

	if (fd == -1)
		return 0;
	if (prep_fd(fd, af, 1) == -1)
		return -1;
	x = &n->rx[n->nrx];
	x->n = n;
	x->fd = fd;
	x->kind = kind;
	if ((x->lfd = loop_fd_add(n->l, fd, LOOP_READ, on_readable, x)) ==
	    NULL)
		return -1;
	n->nrx++;
	return 0;
}

/* The kernel's timestamp for a probe on socket ARG came, or will not. */
static void
on_txstamp(void *arg, void *token, uint32_t tag, const struct stamp *ts)
{
	struct netio_sock *so = arg;
	struct netio *n = so->n;

	if (ts != NULL)
		n->st.tx_kernel++;
	else
		n->st.tx_before++;
	n->txcb(n->arg, token, tag, ts != NULL ? NETIO_TX_STAMPED :
	    NETIO_TX_NOSTAMP, 0, ts);
}

/* The time of a probe on socket ARG from its copy came, or will not. */
static void
on_txcopy(void *arg, void *token, uint32_t tag, const struct stamp *ts)
{
	struct netio_sock *so = arg;

	if (ts != NULL)
		so->n->st.tx_copies++;
	else
		so->n->st.tx_nocopy++;
	on_txstamp(arg, token, tag, ts);
}

/* Socket FD sends probes: ask for transmit timestamps on it (a kernel
 * without them leaves the socket's probes with before-send times). */
static int
add_sock(struct netio *n, struct netio_sock *so, int fd)
{
	so->n = n;
	so->fd = fd;
	so->txs = NULL;
	if (fd == -1 || txs_enable(fd) == -1)
		return 0;
	if ((so->txs = txs_new(fd, on_txstamp, so)) == NULL)
		return -1;
	return 0;
}

/* Packet socket SLOT (FD, prepared by pktpath) is open: probes to its
 * interface go out on it from now on. */
static void
on_packet_sock(void *arg, int slot, int fd, uint32_t ifindex, int hlen)
{
	struct netio *n = arg;
	struct netio_sock *so = &n->snd[2 + slot];

	if (n->pr != NULL)
		pktrecv_add(n->pr, ifindex, hlen);

	if (add_sock(n, so, fd) == -1)
		so->txs = NULL;	/* ENOMEM: before-send times for it */
	so->packet = 1;
	so->ifindex = ifindex;
	if (n->fds.send_packet != NETIO_PKT_RING)
		return;
	if ((so->ring = txring_new(fd)) == NULL) {
		/* the socket is as it was: sendmmsg sends on it */
		n->st.ring_none++;
		log_debug("packet socket %d: no transmit ring (%s): sendmmsg "
		    "sends its probes", slot, strerror(errno));
	}
}

/* A reply's IP packet NET (LEN bytes) came through a receive ring at
 * TS (NULL: the kernel gave no stamp): parsed, its hint given, and the
 * one before it delivered; it waits for the next, or its block's end. */
static void
on_ring_packet(void *arg, const uint8_t *net, size_t len, uint32_t ifindex,
    const struct stamp *ts)
{
	struct netio *n = arg;
	struct netio_ringq *q = &n->rq;
	int s = q->n == 0 ? q->cur : q->cur ^ 1, prev = q->cur;

	(void)ifindex;
	/* send times first: the replies may answer probes just stamped */
	netio_tx_drain(n);
	n->st.received++;
	n->st.rx_ring++;
	if (ts != NULL)
		q->rx[s] = *ts;
	else {
		/* the kernel's coarse clock only: the clock now, later than
		 * the arrival; counted */
		q->rx[s] = stamp_now();
		n->st.rx_nostamp++;
	}
	if (pkt_parse(net, len, &q->r[s]) == -1) {
		n->st.malformed++;
		return;
	}
	q->cur = s;
	if (q->n == 0) {
		q->n = 1;
		return;
	}
	if (n->hint != NULL)
		n->hint(n->arg, &q->r[s]);
	n->cb(n->arg, &q->r[prev], &q->rx[prev]);
}

/* Socket SO's send times come from a ring's copies from now on: the
 * kernel stamps no more of its packets, and its error queue is read
 * until the stamps awaited there have come.  Returns 0, or -1 (it goes
 * on as it was). */
static int
sock_to_copies(struct netio_sock *so)
{
	struct txs *c;
	int off = 0;

	if ((c = txs_new(-1, on_txcopy, so)) == NULL)
		return -1;
	if (so->txs != NULL && setsockopt(so->fd, SOL_SOCKET,
	    SO_TIMESTAMPING, &off, sizeof(off)) == -1) {
		txs_free(c);
		return -1;
	}
	log_debug("packet socket on interface %u: send times from its "
	    "receive ring's copies", so->ifindex);
	so->etxs = so->txs;
	so->txs = c;
	so->copies = 1;
	return 0;
}

/* An outgoing packet's copy NET (LEN bytes) came through interface
 * IFINDEX's receive ring, stamped TS (NULL: the kernel's coarse clock):
 * the send time of the probe it is a copy of, if any. */
static void
on_ring_copy(void *arg, const uint8_t *net, size_t len, uint32_t ifindex,
    const struct stamp *ts)
{
	struct netio *n = arg;
	struct netio_sock *so = NULL;

	for (int i = 2; i < NETIO_NSOCK && so == NULL; i++)
		if (n->snd[i].packet && n->snd[i].ifindex == ifindex)
			so = &n->snd[i];
	if (so == NULL || ts == NULL) {
		n->st.tx_copy_stray++;
		return;
	}
	/* the first copy: those before it were stamped by the kernel */
	if (!so->copies) {
		if (sock_to_copies(so) == -1)
			n->st.tx_copy_stray++;
		return;
	}
	txs_copy(so->txs, txs_fp(net, len), *ts);
}

/* A receive ring's block is done: its last reply delivered before the
 * block goes back to the kernel. */
static void
on_ring_end(void *arg)
{
	struct netio *n = arg;
	struct netio_ringq *q = &n->rq;

	if (q->n == 0)
		return;
	q->n = 0;
	n->cb(n->arg, &q->r[q->cur], &q->rx[q->cur]);
}

/* Close the packet sockets and forget the path. */
static void
free_packet(struct netio *n)
{
	uint64_t by_route, by_dst;

	if (n->pp != NULL) {
		pktpath_counts(n->pp, &by_route, &by_dst);
		log_debug("statistics: the packet path's ways out: from a "
		    "route's entry %llu, from a destination's %llu",
		    (unsigned long long)by_route, (unsigned long long)by_dst);
	}
	for (int i = 2; i < NETIO_NSOCK; i++)
		if (n->snd[i].packet) {
			txring_free(n->snd[i].ring);
			close(n->snd[i].fd);
		}
	pktpath_free(n->pp);
	n->pp = NULL;
	pktrecv_free(n->pr);
	n->pr = NULL;
}

void
netio_trim(struct netio *n)
{
	for (int i = 0; i < NETIO_NSOCK; i++) {
		struct netio_sock *so = &n->snd[i];

		if (so->tx != NULL && so->tx->n == 0 && so->tx->wait == NULL) {
			free(so->tx);
			so->tx = NULL;
		}
		txs_trim(so->txs);
		txs_trim(so->etxs);
	}
}

/* mem_trim_idle's hook: netio_trim. */
static void
on_trim(void *arg)
{
	netio_trim(arg);
}

/* The receive rings' block size for netio_fds.recv_packet HOW. */
static uint32_t
rx_block(int how)
{
	switch (how) {
	case NETIO_RX_TINY:
		return RXRING_BLOCK_TINY;
	case NETIO_RX_SMALL:
		return RXRING_BLOCK_SMALL;
	default:
		return RXRING_BLOCK;
	}
}

struct netio *
netio_new(struct loop *l, const struct netio_fds *fds, netio_reply_cb *cb,
    void *arg)
{
	struct netio *n = calloc(1, sizeof(*n));

	if (n == NULL)
		return NULL;
	n->l = l;
	n->fds = *fds;
	n->cb = cb;
	n->arg = arg;
	n->drained = -1;
	for (int i = 0; i < NETIO_NSOCK; i++)
		n->snd[i].fd = -1;
	(void)mem_trim_hook(on_trim, n);	/* none left: no trimming */
	if (fds->send_packet && fds->dl_open != NULL && (n->pp =
	    pktpath_new(fds->dl_open, fds->dl_ctx, on_packet_sock, n)) ==
	    NULL)
		goto fail;
	if (n->pp != NULL && fds->recv_packet && (n->pr = pktrecv_new(l,
	    fds->dl_open, fds->dl_ctx, rx_block(fds->recv_packet),
	    (const int[PKTRECV_NRAW]){ fds->icmp4,
	    fds->icmp6, fds->tcp4, fds->tcp6 }, on_ring_packet, on_ring_copy,
	    on_ring_end, n)) == NULL)
		goto fail;
	if ((fds->send4 != -1 && prep_fd(fds->send4, AF_INET, 0) == -1) ||
	    (fds->send6 != -1 && prep_fd(fds->send6, AF_INET6, 0) == -1) ||
	    add_sock(n, &n->snd[0], fds->send4) == -1 ||
	    add_sock(n, &n->snd[1], fds->send6) == -1 ||
	    add_rx(n, fds->icmp4, AF_INET, RX_IP4) == -1 ||
	    add_rx(n, fds->tcp4, AF_INET, RX_IP4) == -1 ||
	    add_rx(n, fds->icmp6, AF_INET6, RX_ICMP6) == -1 ||
	    add_rx(n, fds->tcp6, AF_INET6, RX_TCP6) == -1)
		goto fail;
	return n;
fail:
	mem_trim_unhook(on_trim, n);
	for (int i = 0; i < n->nrx; i++)
		loop_fd_del(l, n->rx[i].lfd);
	txs_free(n->snd[0].txs);
	txs_free(n->snd[1].txs);
	pktpath_free(n->pp);
	pktrecv_free(n->pr);
	free(n);
	return NULL;
}

/* The end-of-run count of send times by where they came from. */
static void
log_copies(const struct netio *n)
{
	uint64_t stray = 0;

	for (int i = 2; i < NETIO_NSOCK; i++)
		if (n->snd[i].copies)
			stray += txs_stats(n->snd[i].txs)->stray;
	if (n->pr != NULL)
		log_debug("send times: %llu from receive rings' copies, %llu "
		    "from error queues, %llu the clock before the send (%llu "
		    "of them on sockets awaiting copies); copies of no probe "
		    "%llu", (unsigned long long)n->st.tx_copies,
		    (unsigned long long)(n->st.tx_kernel - n->st.tx_copies),
		    (unsigned long long)n->st.tx_before,
		    (unsigned long long)n->st.tx_nocopy,
		    (unsigned long long)(stray + n->st.tx_copy_stray));
}

void
netio_free(struct netio *n)
{
	if (n == NULL)
		return;
	mem_trim_unhook(on_trim, n);
	for (int i = 0; i < NETIO_NSOCK; i++) {
		struct netio_tx *q = n->snd[i].tx;

		if (q != NULL && q->wait != NULL)
			loop_fd_del(n->l, q->wait);
		free(q);	/* the core flushes before it frees tasks */
	}
	for (int i = 0; i < n->nrx; i++)
		loop_fd_del(n->l, n->rx[i].lfd);
	log_copies(n);
	for (int i = 0; i < NETIO_NSOCK; i++) {
		txs_free(n->snd[i].txs);
		txs_free(n->snd[i].etxs);
	}
	free_packet(n);
	int fds[] = { n->fds.send4, n->fds.icmp4, n->fds.tcp4,
	    n->fds.send6, n->fds.icmp6, n->fds.tcp6 };
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fds[i] != -1)
			close(fds[i]);
	free(n);
}

/* The raw socket for PKT, with SS filled with its destination, or NULL
 * (EAFNOSUPPORT) if there is none. */
static struct netio_sock *
raw_dest(struct netio *n, const uint8_t *pkt, size_t len,
    struct sockaddr_storage *ss, socklen_t *sl)
{
	memset(ss, 0, sizeof(*ss));
	if (len >= 20 && (pkt[0] >> 4) == 4 && n->fds.send4 != -1) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;
		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, pkt + 16, 4);
		*sl = sizeof(*sin);
		return &n->snd[0];
	}
	if (len >= 40 && (pkt[0] >> 4) == 6 && n->fds.send6 != -1) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, pkt + 24, 16);
		*sl = sizeof(*sin6);
		return &n->snd[1];
	}
	errno = EAFNOSUPPORT;
	return NULL;
}

/* The packet socket for PKT with its link header in H and SS filled
 * (its interface and ethertype), or NULL: the raw socket takes it
 * (counted). */
static struct netio_sock *
packet_dest(struct netio *n, const uint8_t *pkt, size_t len,
    struct sockaddr_storage *ss, socklen_t *sl, struct pktpath_hop *h)
{
#ifdef __linux__
	struct sockaddr_ll *sll = (struct sockaddr_ll *)ss;
	enum pktpath_why why;

	if (!pktpath_find(n->pp, pkt, len, loop_now(n->l).ns, h, &why)) {
		n->st.packet_raw++;
		n->st.packet_raw_why[why]++;
		return NULL;
	}
	if (n->snd[2 + h->slot].dead) {
		n->st.packet_raw++;
		n->st.packet_raw_why[PKTPATH_RAW_SOCKET]++;
		return NULL;
	}
	memset(ss, 0, sizeof(*ss));
	sll->sll_family = AF_PACKET;
	sll->sll_protocol = htons(h->proto);
	sll->sll_ifindex = (int)h->ifindex;
	*sl = sizeof(*sll);
	return &n->snd[2 + h->slot];
#else
	return NULL;
#endif
}

/* Fill SS with the destination of PKT and return the socket for it
 * (H->hlen bytes of link header in H->hdr to go before it), or NULL
 * (EAFNOSUPPORT) if there is none. */
static struct netio_sock *
send_dest(struct netio *n, const uint8_t *pkt, size_t len,
    struct sockaddr_storage *ss, socklen_t *sl, struct pktpath_hop *h)
{
	struct netio_sock *so;

	h->hlen = 0;
	if ((so = raw_dest(n, pkt, len, ss, sl)) == NULL || n->pp == NULL)
		return so;
	if ((so = packet_dest(n, pkt, len, ss, sl, h)) != NULL)
		return so;
	h->hlen = 0;
	return raw_dest(n, pkt, len, ss, sl);
}

/* Read SO's transmit timestamps (ALL: until its error queue is empty)
 * and give up on those overdue. */
static void
sock_drain(struct netio *n, struct netio_sock *so, int all)
{
	const struct txs_stats *ts;
	struct stamp now;

	if (so->txs == NULL)
		return;
	now = stamp_now();
	txs_drain(so->txs, now, all);
	if (so->etxs != NULL) {
		txs_drain(so->etxs, now, all);
		if (txs_waiting(so->etxs) == 0) {
			/* all come: its counts kept, it goes */
			n->gone_stray += txs_stats(so->etxs)->stray;
			n->gone_reads += txs_stats(so->etxs)->reads;
			txs_free(so->etxs);
			so->etxs = NULL;
		}
	}
	n->st.tx_stray = n->gone_stray;
	n->st.tx_reads = n->gone_reads;
	for (int i = 0; i < NETIO_NSOCK; i++)
		for (int k = 0; k < 2; k++) {
			struct txs *x = k == 0 ? n->snd[i].txs :
			    n->snd[i].etxs;

			if (x == NULL || (k == 0 && n->snd[i].copies))
				continue;
			ts = txs_stats(x);
			n->st.tx_stray += ts->stray;
			n->st.tx_reads += ts->reads;
		}
}

void
netio_tx_drain(struct netio *n)
{
	int64_t now = loop_now(n->l).ns;

	if (n->drained == now)
		return;
	n->drained = now;
	for (int i = 0; i < NETIO_NSOCK; i++)
		if (n->snd[i].txs != NULL && (txs_waiting(n->snd[i].txs) > 0 ||
		    (n->snd[i].etxs != NULL &&
		    txs_waiting(n->snd[i].etxs) > 0)))
			sock_drain(n, &n->snd[i], 0);
}

/* The kernel took probe TOKEN/TAG (fingerprint FP: sock_fp) on SO after
 * the clock read BEFORE: its timestamp is awaited, or (none to come)
 * BEFORE is final. */
static void
sock_sent(struct netio *n, struct netio_sock *so, void *token, uint32_t tag,
    struct stamp before, uint32_t fp)
{
	if (so->copies) {
		txs_sent_fp(so->txs, token, tag, before, fp);
		return;
	}
	if (so->txs != NULL) {
		txs_sent(so->txs, token, tag, before);
		n->drained = -1;	/* a reply may follow this iteration */
		return;
	}
	n->st.tx_before++;
	if (token != NULL && n->txcb != NULL)
		n->txcb(n->arg, token, tag, NETIO_TX_NOSTAMP, 0, &before);
}

/* The fingerprint of probe PKT (LEN bytes) on SO if a ring's copies may
 * give its time (txs_fp), else 0. */
static uint32_t
sock_fp(const struct netio *n, const struct netio_sock *so,
    const uint8_t *pkt, size_t len)
{
	return so->packet && n->pr != NULL ? txs_fp(pkt, len) : 0;
}

/* The kernel refused a packet on SO; it may have used a timestamp key. */
static void
sock_refused(struct netio_sock *so)
{
	if (so->txs != NULL)
		txs_refused(so->txs);
}

static void sock_flush(struct netio *n, struct netio_sock *so);
static void tx_wait(struct netio *n, struct netio_sock *so);

/* Queue PKT after H's link header in SO's transmit ring for the next
 * flush (flushing first if the batch is full, holds another ethertype
 * or the ring no free frame).  Returns 0, or -1 with errno: EAGAIN
 * while the kernel holds the frames (SO waits for it), EIO if the ring
 * jammed. */
static int
ring_queue(struct netio *n, struct netio_sock *so, const struct pktpath_hop *h,
    const uint8_t *pkt, size_t len, void *token, uint32_t tag)
{
	struct netio_tx *q = so->tx;
	int i;

	if (q->n > 0 && (q->n == NETIO_TXBATCH || h->proto != so->proto ||
	    !txring_room(so->ring)))
		sock_flush(n, so);
	if (so->dead) {
		errno = EIO;
		return -1;
	}
	if (q->wait == NULL && !txring_room(so->ring)) {
		/* every frame still the kernel's (in the device's queue) */
		n->st.send_waits++;
		tx_wait(n, so);
	}
	if (q->wait != NULL) {
		errno = EAGAIN;
		return -1;
	}
	if (txring_put(so->ring, h->hdr, h->hlen, pkt, len) == -1)
		return -1;
	i = q->n++;
	q->token[i] = token;
	q->tag[i] = tag;
	q->fp[i] = sock_fp(n, so, pkt, len);
	so->proto = h->proto;
	so->ifindex = h->ifindex;
	return 0;
}

/* Queue PKT, after H's link header, on SO for the next flush.  Returns 0, or -1 (ENOMEM, or
 * EAGAIN while SO waits for its buffer to drain). */
static int
tx_queue(struct netio *n, struct netio_sock *so, const struct pktpath_hop *h,
    const uint8_t *pkt, size_t len, const struct sockaddr_storage *ss,
    socklen_t sl, void *token, uint32_t tag)
{
	struct netio_tx *q = so->tx;
	int i;

	if (q == NULL && (q = so->tx = calloc(1, sizeof(*q))) == NULL)
		return -1;
	if (so->ring != NULL)
		return ring_queue(n, so, h, pkt, len, token, tag);
	if (q->n > 0 && (q->n == NETIO_TXBATCH ||
	    q->used + h->hlen + len > NETIO_TXARENA))
		sock_flush(n, so);
	if (q->wait != NULL) {
		/* still waiting for the socket's buffer to drain */
		errno = EAGAIN;
		return -1;
	}
	i = q->n++;
	memcpy(q->arena + q->used, h->hdr, h->hlen);
	memcpy(q->arena + q->used + h->hlen, pkt, len);
	memcpy(&q->ss[i], ss, sl);
	q->token[i] = token;
	q->tag[i] = tag;
	q->fp[i] = sock_fp(n, so, pkt, len);
	q->iov[i].iov_base = q->arena + q->used;
	q->iov[i].iov_len = h->hlen + len;
	q->used += h->hlen + len;
	memset(&q->m[i], 0, sizeof(q->m[i]));
	q->m[i].msg_hdr.msg_name = &q->ss[i];
	q->m[i].msg_hdr.msg_namelen = sl;
	q->m[i].msg_hdr.msg_iov = &q->iov[i];
	q->m[i].msg_hdr.msg_iovlen = 1;
	return 0;
}

static void ring_jam(struct netio *n, struct netio_sock *so, int err,
    uint32_t mark);

/* Send PKT after H's link header at once on SO's ring, as sendto does on
 * the other sockets; TX gets the clock read before the send.  Returns 0
 * (sent, or taken into the queue when the kernel could take nothing
 * now: it goes at the next flush), or -1 with errno. */
static int
ring_send_now(struct netio *n, struct netio_sock *so,
    const struct pktpath_hop *h, const uint8_t *pkt, size_t len,
    struct stamp *tx, void *token, uint32_t tag)
{
	struct netio_tx *q;
	uint32_t mark;
	int rc, err, refused, i;

	if ((q = so->tx) == NULL && (q = so->tx = calloc(1, sizeof(*q))) ==
	    NULL)
		return -1;
	if (q->n > 0)
		sock_flush(n, so);	/* keep the order they were sent in */
	if (so->dead || q->wait != NULL) {
		errno = so->dead ? EIO : EAGAIN;
		return -1;
	}
	if (txring_put(so->ring, h->hdr, h->hlen, pkt, len) == -1)
		return -1;
	so->proto = h->proto;
	so->ifindex = h->ifindex;
	mark = so->txs != NULL ? txs_mark(so->txs) : 0;
	*tx = stamp_now();
	rc = txring_kick(so->ring, so->fd, so->proto, so->ifindex);
	err = errno;
	n->st.batches++;
	token = n->txcb != NULL ? token : NULL;
	if (txring_reap(so->ring, &refused) == 1) {
		n->st.sent++;
		n->st.sent_packet++;
		n->st.sent_ring++;
		sock_sent(n, so, token, tag, *tx, sock_fp(n, so, pkt, len));
		return 0;
	}
	if (refused || (rc == -1 && err != EAGAIN && err != ENOBUFS &&
	    err != EINTR)) {
		n->st.send_errors++;
		ring_jam(n, so, refused ? EMSGSIZE : err, mark);
		errno = refused ? EMSGSIZE : err;
		return -1;
	}
	/* the frame stays at the kernel's head and goes at the next kick:
	 * queued, reported as the batch's are */
	if (rc == -1 && err == ENOBUFS)
		sock_refused(so);
	i = q->n++;
	q->token[i] = token;
	q->tag[i] = tag;
	n->st.send_waits++;
	tx_wait(n, so);
	return 0;
}

int
netio_send(struct netio *n, const uint8_t *pkt, size_t len,
    struct stamp *tx, void *token, uint32_t tag)
{
	struct sockaddr_storage ss;
	struct netio_sock *so;
	struct pktpath_hop h;
	uint8_t frame[PKTPATH_HDRMAX + PKTPATH_MAXLEN];
	socklen_t sl;
	ssize_t w;

	if ((so = send_dest(n, pkt, len, &ss, &sl, &h)) == NULL)
		return -1;
	netio_note_tx(n, len);
	if (n->batching && n->txcb != NULL && len <= NETIO_TXSLOT) {
		/* a clock read before it, until the flush tells better: one
		 * read per batch, not per probe */
		*tx = n->qtime;
		return tx_queue(n, so, &h, pkt, len, &ss, sl, token, tag);
	}
	if (so->ring != NULL)
		return ring_send_now(n, so, &h, pkt, len, tx, token, tag);
	if (h.hlen > 0) {
		/* the packet path takes at most PKTPATH_MAXLEN */
		memcpy(frame, h.hdr, h.hlen);
		memcpy(frame + h.hlen, pkt, len);
		pkt = frame;
		len += h.hlen;
	}
	if (so->tx != NULL && so->tx->n > 0) {
		sock_flush(n, so);	/* keep the order they were sent in */
		if (so->tx->wait != NULL) {
			errno = EAGAIN;
			return -1;
		}
	}
	*tx = stamp_now();
	w = sendto(so->fd, pkt, len, 0, (struct sockaddr *)&ss, sl);
	n->st.batches++;
	if (w != (ssize_t)len) {
		if (w >= 0)
			errno = EMSGSIZE;
		n->st.send_errors++;
		if (errno != EAGAIN) {
			int save = errno;
			sock_refused(so);
			errno = save;
		}
		return -1;
	}
	n->st.sent++;
	n->st.sent_packet += (uint64_t)so->packet;
	/* its timestamp is read at the next drain: never from inside this
	 * call, whose caller has not yet recorded the probe */
	sock_sent(n, so, n->txcb != NULL ? token : NULL, tag, *tx,
	    sock_fp(n, so, pkt + h.hlen, len - h.hlen));
	return 0;
}

void
netio_note_tx(struct netio *n, size_t len)
{
	if (len > n->maxtx)
		n->maxtx = len;
}

void
netio_set_txcb(struct netio *n, netio_tx_cb *cb)
{
	n->txcb = cb;
}

void
netio_set_hintcb(struct netio *n, netio_hint_cb *cb)
{
	n->hint = cb;
}

void
netio_batch(struct netio *n, int on)
{
	if (!on)
		netio_flush(n);
	else if (!n->batching)
		n->qtime = stamp_now();
	n->batching = on;
}

/* Probes OFF..OFF+R-1 of Q went out on SO in one sendmmsg called after
 * the clock read BEFORE: their timestamps are awaited (tx_provisional
 * tells of those that have not come), or, on a socket without, BEFORE is
 * their time. */
static void
tx_done(struct netio *n, struct netio_sock *so, struct netio_tx *q, int off,
    int r, struct stamp before)
{
	for (int i = off; i < off + r; i++) {
		if (so->txs == NULL && q->token[i] != NULL)
			n->txcb(n->arg, q->token[i], q->tag[i], NETIO_TX_SENT, 0,
			    &before);
		sock_sent(n, so, q->token[i], q->tag[i], before, q->fp[i]);
	}
}

static void
on_provisional(void *arg, void *token, uint32_t tag, const struct stamp *ts)
{
	struct netio *n = arg;

	n->txcb(n->arg, token, tag, NETIO_TX_SENT, 0, ts);
}

/* The probes this flush sent on SO (since MARK) whose timestamps did not
 * come with it: their owners get the clock read before the send, for
 * now.  (Those stamped already were told STAMPED and need nothing.) */
static void
tx_provisional(struct netio *n, struct netio_sock *so, uint32_t mark)
{
	if (so->txs != NULL && txs_waiting(so->txs) > 0)
		txs_waiting_since(so->txs, mark, on_provisional, n);
}

int
netio_blocked(const struct netio *n)
{
	for (int i = 0; i < NETIO_NSOCK; i++)
		if (n->snd[i].tx != NULL && n->snd[i].tx->wait != NULL)
			return 1;
	return 0;
}

/* Whether SO's queue can take no other probe (of any size up to
 * NETIO_TXSLOT). */
static int
sock_full(const struct netio_sock *so)
{
	const struct netio_tx *q = so->tx;

	if (so->ring != NULL && !so->dead)
		return q->n == NETIO_TXBATCH || !txring_room(so->ring);
	return q->n == NETIO_TXBATCH ||
	    q->used + PKTPATH_HDRMAX + NETIO_TXSLOT > NETIO_TXARENA;
}

int
netio_make_room(struct netio *n)
{
	for (int i = 0; i < NETIO_NSOCK; i++) {
		struct netio_sock *so = &n->snd[i];

		if (so->tx == NULL || so->tx->wait != NULL || !sock_full(so))
			continue;
		sock_flush(n, so);
		if (so->ring != NULL && !so->dead && so->tx->wait == NULL &&
		    !txring_room(so->ring)) {
			/* every frame still the kernel's */
			n->st.send_waits++;
			tx_wait(n, so);
		}
	}
	return netio_blocked(n);
}

int
netio_forget(struct netio *n, const void *token)
{
	int dropped = 0;

	for (int s = 0; s < NETIO_NSOCK; s++) {
		struct netio_tx *q = n->snd[s].tx;

		for (int i = q != NULL ? q->off : 0; q != NULL && i < q->n; i++)
			if (q->token[i] == token) {
				q->token[i] = NULL;
				dropped++;
			}
	}
	return dropped;
}

static void
on_writable(struct loop_fd *lfd, int fd, int events, void *arg)
{
	struct netio_sock *so = arg;

	sock_flush(so->n, so);
}

/* SO's send buffer is full: go on when it drains. */
static void
tx_wait(struct netio *n, struct netio_sock *so)
{
	if (so->tx->wait == NULL)
		so->tx->wait = loop_fd_add(n->l, so->fd, LOOP_WRITE,
		    on_writable, so);
}

void
netio_flush(struct netio *n)
{
	for (int i = 0; i < NETIO_NSOCK; i++)
		sock_flush(n, &n->snd[i]);
}

/* SO's queue is sent (OFF = N): empty it, stop waiting, and read the
 * batch's timestamps (one read of the error queue). */
static void
flush_done(struct netio *n, struct netio_sock *so, uint32_t mark)
{
	struct netio_tx *q = so->tx;

	q->off = q->n = 0;
	q->used = 0;
	if (q->wait != NULL) {
		loop_fd_del(n->l, q->wait);
		q->wait = NULL;
	}
	sock_drain(n, so, 0);
	tx_provisional(n, so, mark);
}

/* SO's ring can send no more: a frame was refused, or the kernel failed
 * in a way it would again (the frame stays at the head of its ring).
 * The probes queued on it are refused with ERR; later probes to its
 * interface go on the raw socket.  MARK: as for tx_provisional. */
static void
ring_jam(struct netio *n, struct netio_sock *so, int err, uint32_t mark)
{
	struct netio_tx *q = so->tx;

	log_debug("packet socket on interface %u: its transmit ring stopped "
	    "(%s): probes to it go on the raw socket", so->ifindex,
	    strerror(err));
	so->dead = 1;
	if (q->off < q->n)
		sock_refused(so);
	for (; q->off < q->n; q->off++) {
		n->st.send_errors++;
		if (q->token[q->off] != NULL)
			n->txcb(n->arg, q->token[q->off], q->tag[q->off],
			    NETIO_TX_REFUSED, err, NULL);
	}
	flush_done(n, so, mark);
}

/* Kick SO's ring until the kernel has taken every frame of its queue
 * or can take no more for now (SO then waits for its buffer), or the
 * ring jams. */
static void
ring_flush(struct netio *n, struct netio_sock *so)
{
	struct netio_tx *q = so->tx;
	struct stamp before;
	uint32_t mark, t;
	int rc, err, refused;

	mark = so->txs != NULL ? txs_mark(so->txs) : 0;
	while (q->off < q->n) {
		before = stamp_now();
		rc = txring_kick(so->ring, so->fd, so->proto, so->ifindex);
		err = errno;
		n->st.batches++;
		if ((t = txring_reap(so->ring, &refused)) > 0) {
			n->st.sent += t;
			n->st.sent_packet += t;
			n->st.sent_ring += t;
			q->off += (int)t;
			tx_done(n, so, q, q->off - (int)t, (int)t, before);
		}
		if (refused || (rc == -1 && err != EAGAIN && err != ENOBUFS &&
		    err != EINTR)) {
			ring_jam(n, so, refused ? EMSGSIZE : err, mark);
			return;
		}
		if (q->off == q->n || (rc == -1 && err == EINTR))
			continue;
		/* the socket's buffer is full, or the device dropped the
		 * frame (it goes again at the next kick, and may have used a
		 * timestamp key) */
		if (rc == -1 && err == ENOBUFS)
			sock_refused(so);
		n->st.send_waits++;
		tx_wait(n, so);
		sock_drain(n, so, 1);
		tx_provisional(n, so, mark);
		return;
	}
	flush_done(n, so, mark);
}

/* Send what waits in SO's queue: sendmmsg until it is empty or the
 * socket's buffer is full (then SO waits for it to drain). */
static void
sock_flush(struct netio *n, struct netio_sock *so)
{
	struct netio_tx *q = so->tx;
	struct stamp before;
	uint32_t mark;
	int r, cnt;

	if (q == NULL)
		return;
	if (so->ring != NULL && !so->dead && (q->n > 0 || q->wait != NULL)) {
		ring_flush(n, so);
		return;
	}
	if (q->n == 0)
		return;
	mark = so->txs != NULL ? txs_mark(so->txs) : 0;
	while (q->off < q->n) {
		cnt = q->n - q->off;
		before = stamp_now();
		r = sendmmsg(so->fd, q->m + q->off, (unsigned int)cnt, 0);
		n->st.batches++;
		if (r > 0) {
			n->st.sent += (uint64_t)r;
			if (so->packet)
				n->st.sent_packet += (uint64_t)r;
			q->off += r;
			tx_done(n, so, q, q->off - r, r, before);
			if (r < cnt)
				/* the next one failed, its error unseen:
				 * it may have used a timestamp key */
				sock_refused(so);
			continue;
		}
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1 && (errno == EAGAIN || errno == ENOBUFS)) {
			if (errno == ENOBUFS)
				sock_refused(so);
			n->st.send_waits++;
			tx_wait(n, so);
			/* all: the socket is watched now, and an error queue
			 * left unread would wake the loop at once again */
			sock_drain(n, so, 1);
			tx_provisional(n, so, mark);
			return;
		}
		/* the first unsent one was refused: say so, go on after it */
		n->st.send_errors++;
		sock_refused(so);
		q->off++;
		if (q->token[q->off - 1] != NULL)
			n->txcb(n->arg, q->token[q->off - 1],
			    q->tag[q->off - 1], NETIO_TX_REFUSED,
			    r == -1 ? errno : EIO, NULL);
	}
	flush_done(n, so, mark);
}

const struct netio_stats *
netio_stats(const struct netio *n)
{
	return &n->st;
}
