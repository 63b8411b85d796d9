/*
 * netio.c: raw-socket packet I/O for the prober (see netio.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netio.h"

#define NETIO_RXBATCH 256	/* replies read per wake-up, for fairness */

enum netio_kind { RX_IP4, RX_ICMP6, RX_TCP6, NKIND };

struct netio_rx {
	struct netio	*n;
	struct loop_fd	*lfd;
	int		 fd;
	enum netio_kind	 kind;
};

struct netio {
	struct loop		*l;
	struct netio_fds	 fds;
	struct netio_rx		 rx[4];
	int			 nrx;
	netio_reply_cb		*cb;
	void			*arg;
	struct netio_stats	 st;
	uint8_t			 buf[65536];
};

void
netio_fds_init(struct netio_fds *f)
{
	f->send4 = f->icmp4 = f->tcp4 = -1;
	f->send6 = f->icmp6 = f->tcp6 = -1;
	f->dl_open = NULL;
	f->dl_ctx = NULL;
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
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMP, &on, sizeof(on)) == -1)
		return -1;
	if (af == AF_INET6 &&
	    (setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on,
	    sizeof(on)) == -1 || setsockopt(fd, IPPROTO_IPV6,
	    IPV6_RECVHOPLIMIT, &on, sizeof(on)) == -1))
		return -1;
	return 0;
}

/* Read the cmsgs of M into R (IPv6 destination and hop limit) and RX. */
static void
read_cmsgs(struct msghdr *m, struct pkt_reply *r, struct timeval *rx)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(m); c != NULL; c = CMSG_NXTHDR(m, c)) {
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_TIMESTAMP &&
		    c->cmsg_len >= CMSG_LEN(sizeof(*rx)))
			memcpy(rx, CMSG_DATA(c), sizeof(*rx));
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

/* Read one datagram from X into a parsed reply.  Returns 1 if one was
 * delivered or dropped, 0 when the socket is drained. */
static int
rx_one(struct netio_rx *x)
{
	struct netio *n = x->n;
	struct sockaddr_storage from;
	union {
		struct cmsghdr align;
		uint8_t b[256];
	} cbuf;
	struct iovec iov = { n->buf, sizeof(n->buf) };
	struct msghdr m;
	struct pkt_reply r;
	struct timeval rx = { 0, 0 };
	ssize_t len;
	int rc;

	memset(&m, 0, sizeof(m));
	m.msg_name = &from;
	m.msg_namelen = sizeof(from);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = cbuf.b;
	m.msg_controllen = sizeof(cbuf.b);
	if ((len = recvmsg(x->fd, &m, 0)) == -1)
		return errno == EINTR ? 1 : 0;
	n->st.received++;
	if (x->kind == RX_IP4) {
		rc = pkt_parse(n->buf, (size_t)len, &r);
		read_cmsgs(&m, &r, &rx);
	} else {
		memset(&r, 0, sizeof(r));
		r.af = AF_INET6;
		if (from.ss_family == AF_INET6)
			memcpy(r.src, &((struct sockaddr_in6 *)&from)->
			    sin6_addr, 16);
		read_cmsgs(&m, &r, &rx);
		rc = x->kind == RX_ICMP6 ?
		    pkt_parse_icmp6(n->buf, (size_t)len, &r) :
		    pkt_parse_l4(IPPROTO_TCP, n->buf, (size_t)len, &r);
		r.size = (uint16_t)(len + 40);
	}
	if (rx.tv_sec == 0)
		gettimeofday(&rx, NULL);
	if (rc == -1) {
		n->st.malformed++;
		return 1;
	}
	n->cb(n->arg, &r, &rx);
	return 1;
}

static void
on_readable(struct loop_fd *lfd, int fd, int events, void *arg)
{
	struct netio_rx *x = arg;

	for (int i = 0; i < NETIO_RXBATCH && rx_one(x); i++)
		;
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
	if ((fds->send4 != -1 && prep_fd(fds->send4, AF_INET, 0) == -1) ||
	    (fds->send6 != -1 && prep_fd(fds->send6, AF_INET6, 0) == -1) ||
	    add_rx(n, fds->icmp4, AF_INET, RX_IP4) == -1 ||
	    add_rx(n, fds->tcp4, AF_INET, RX_IP4) == -1 ||
	    add_rx(n, fds->icmp6, AF_INET6, RX_ICMP6) == -1 ||
	    add_rx(n, fds->tcp6, AF_INET6, RX_TCP6) == -1)
		goto fail;
	return n;
fail:
	for (int i = 0; i < n->nrx; i++)
		loop_fd_del(l, n->rx[i].lfd);
	free(n);
	return NULL;
}

void
netio_free(struct netio *n)
{
	if (n == NULL)
		return;
	for (int i = 0; i < n->nrx; i++)
		loop_fd_del(n->l, n->rx[i].lfd);
	int fds[] = { n->fds.send4, n->fds.icmp4, n->fds.tcp4,
	    n->fds.send6, n->fds.icmp6, n->fds.tcp6 };
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fds[i] != -1)
			close(fds[i]);
	free(n);
}

int
netio_send(struct netio *n, const uint8_t *pkt, size_t len,
    struct timeval *tx)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd;
	ssize_t w;

	memset(&ss, 0, sizeof(ss));
	if (len >= 20 && (pkt[0] >> 4) == 4 && n->fds.send4 != -1) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, pkt + 16, 4);
		sl = sizeof(*sin);
		fd = n->fds.send4;
	} else if (len >= 40 && (pkt[0] >> 4) == 6 && n->fds.send6 != -1) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, pkt + 24, 16);
		sl = sizeof(*sin6);
		fd = n->fds.send6;
	} else {
		errno = EAFNOSUPPORT;
		return -1;
	}
	gettimeofday(tx, NULL);
	w = sendto(fd, pkt, len, 0, (struct sockaddr *)&ss, sl);
	if (w != (ssize_t)len) {
		n->st.send_errors++;
		if (w >= 0)
			errno = EMSGSIZE;
		return -1;
	}
	n->st.sent++;
	return 0;
}

const struct netio_stats *
netio_stats(const struct netio *n)
{
	return &n->st;
}
