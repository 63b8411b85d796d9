/*
 * pktrecv.c: replies read through receive rings (see pktrecv.h).
 */
#include "config.h"

#include <sys/socket.h>

#include <net/if.h>
#include <netinet/in.h>
#include <netinet/icmp6.h>

#include <errno.h>
#include <ifaddrs.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dl_int.h"
#include "log.h"
#include "pktpath.h"
#include "pktrecv.h"

#define DRAIN_MAX	100000	/* frames read off before the filter */
#ifndef SOL_RAW
#define SOL_RAW		255
#endif
#ifndef ICMP_FILTER
#define ICMP_FILTER	1	/* linux/icmp.h: the raw ICMP type mask */
#endif
#define ICMP_TIMXCEED_TYPE 11	/* IPv4 ICMP time exceeded */

struct pr_req;

struct pr_if {
	uint32_t	 ifindex;	/* 0: slot free */
	int		 hlen;
	int		 fd;		/* -1 until open */
	struct rxring	*ring;
	struct loop_fd	*lfd;
	struct pr_req	*req;		/* while being opened */
	struct pktrecv	*p;
	uint64_t	 tcp;		/* TCP frames read */
};

/* A socket asked for; outlives P if P goes first. */
struct pr_req {
	struct pktrecv	*p;		/* NULL: P is gone */
	int		 slot;
};

struct pktrecv {
	struct loop		*l;
	netio_dl_open_fn	*open;
	void			*ctx;
	rxring_cb		*cb;
	rxring_cb		*out;		/* NULL: no copies taken */
	rxring_end_cb		*end;		/* NULL: none */
	void			*arg;
	uint32_t		 bsize;		/* a ring's block */
	int			 raw[PKTRECV_NRAW];
	int			 refused;	/* a ring was refused */
	int			 blocked[2];	/* ICMP, ICMPv6 types blocked */
	struct pr_if		 ifs[PKTPATH_MAXIF];
};

struct pktrecv *
pktrecv_new(struct loop *l, netio_dl_open_fn *open, void *ctx,
    uint32_t bsize, const int raw[PKTRECV_NRAW], rxring_cb *cb,
    rxring_cb *out, rxring_end_cb *end, void *arg)
{
	struct pktrecv *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->l = l;
	p->open = open;
	p->ctx = ctx;
	p->cb = cb;
	p->out = out;
	p->end = end;
	p->arg = arg;
	p->bsize = bsize;
	memcpy(p->raw, raw, sizeof(p->raw));
	for (int i = 0; i < PKTPATH_MAXIF; i++)
		p->ifs[i].fd = -1;
	return p;
}

void
pktrecv_free(struct pktrecv *p)
{
	if (p == NULL)
		return;
	for (int i = 0; i < PKTPATH_MAXIF; i++) {
		struct pr_if *f = &p->ifs[i];
		uint32_t got, dropped;

		if (f->fd != -1 && rxring_counts(f->fd, &got, &dropped) == 0)
			log_debug("interface %u: its receive ring took %u "
			    "frames, dropped %u (full); TCP read %llu",
			    f->ifindex, got, dropped,
			    (unsigned long long)f->tcp);
		if (f->req != NULL)
			f->req->p = NULL;
		if (f->lfd != NULL)
			loop_fd_del(p->l, f->lfd);
		rxring_free(f->ring);
		if (f->fd != -1)
			close(f->fd);
	}
	free(p);
}

int
pktrecv_count(const struct pktrecv *p)
{
	int n = 0;

	for (int i = 0; i < PKTPATH_MAXIF; i++)
		n += p->ifs[i].lfd != NULL;
	return n;
}

#ifdef __linux__
/* Whether interface IFINDEX has a ring. */
static int
has_ring(const struct pktrecv *p, uint32_t ifindex)
{
	for (int i = 0; i < PKTPATH_MAXIF; i++)
		if (p->ifs[i].ifindex == ifindex && p->ifs[i].lfd != NULL)
			return 1;
	return 0;
}

/* Whether every interface that is up, not loopback and has an address
 * of family AF has a ring (ALL: getifaddrs(3)'s list). */
static int
rings_cover(const struct pktrecv *p, const struct ifaddrs *all, int af)
{
	for (const struct ifaddrs *i = all; i != NULL; i = i->ifa_next)
		if (i->ifa_addr != NULL && i->ifa_addr->sa_family == af &&
		    (i->ifa_flags & IFF_UP) != 0 &&
		    (i->ifa_flags & IFF_LOOPBACK) == 0 &&
		    !has_ring(p, if_nametoindex(i->ifa_name)))
			return 0;
	return 1;
}

/* Block time exceeded (V6: ICMPv6's) on raw socket FD, or no type.
 * Returns setsockopt's result. */
static int
icmp_types(int fd, int v6, int block)
{
	struct icmp6_filter f6;
	uint32_t mask = block ? 1u << ICMP_TIMXCEED_TYPE : 0;

	if (!v6)
		return setsockopt(fd, SOL_RAW, ICMP_FILTER, &mask,
		    sizeof(mask));
	ICMP6_FILTER_SETPASSALL(&f6);
	if (block)
		ICMP6_FILTER_SETBLOCK(ICMP6_TIME_EXCEEDED, &f6);
	return setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f6, sizeof(f6));
}

/* Keep the raw ICMP and ICMPv6 sockets from taking (the kernel's clone
 * of) the time exceeded messages, most of a trace's replies, while the
 * rings read every interface they can come on: each up interface with
 * an address of the family, and no ring was refused.  Loopback is not
 * asked (the packet path leaves it to the raw sockets, so it has no
 * ring): no time exceeded comes on it for a probe, as nothing forwards
 * a probe to the host's own address.  Otherwise they take every type,
 * and the interface filter of raw_filters sorts them. */
static void
icmp_filters(struct pktrecv *p)
{
	static const int fam[2] = { AF_INET, AF_INET6 };
	struct ifaddrs *all;
	int block;

	if (getifaddrs(&all) == -1)
		all = NULL;
	for (int v6 = 0; v6 < 2; v6++) {
		block = all != NULL && !p->refused &&
		    rings_cover(p, all, fam[v6]);
		if (p->raw[v6] == -1 || block == p->blocked[v6])
			continue;
		if (icmp_types(p->raw[v6], v6, block) == -1) {
			log_warn("raw ICMP%s socket's type filter", v6 ?
			    "v6" : "");
			continue;
		}
		p->blocked[v6] = block;
		log_debug("raw ICMP%s socket: %s", v6 ? "v6" : "", block ?
		    "takes no time exceeded (rings read every interface)" :
		    "takes every type (an interface has no ring)");
	}
	if (all != NULL)
		freeifaddrs(all);
}
#else
static void
icmp_filters(struct pktrecv *p)
{
	(void)p;
}
#endif

/* Keep from the raw sockets (ICMP, ICMPv6, TCP) what arrives on the
 * interfaces with a ring. */
static void
raw_filters(struct pktrecv *p)
{
	struct rxring_insn prog[RXRING_PROGMAX];
	uint32_t ifs[PKTPATH_MAXIF];
	int n = 0, len;

	for (int i = 0; i < PKTPATH_MAXIF; i++)
		if (p->ifs[i].lfd != NULL)
			ifs[n++] = p->ifs[i].ifindex;
	len = rxring_filter_not_ifs(ifs, n, prog);
	for (int i = 0; i < PKTRECV_NRAW; i++)
		if (p->raw[i] != -1 && rxring_attach(p->raw[i], prog,
		    len) == -1)
			log_warn("filtering a raw socket: replies may come "
			    "twice");
	icmp_filters(p);
}

/* A frame of interface ARG's ring: counted if TCP, handed on. */
static void
on_frame(void *arg, const uint8_t *net, size_t len, uint32_t ifindex,
    const struct stamp *ts)
{
	struct pr_if *f = arg;

	/* (IPv6 TCP behind extension headers is not counted) */
	if (len >= 40 && (((net[0] >> 4) == 4 && net[9] == 6) ||
	    ((net[0] >> 4) == 6 && net[6] == 6)))
		f->tcp++;
	f->p->cb(f->p->arg, net, len, ifindex, ts);
}

/* An outgoing copy from interface ARG's ring: handed on. */
static void
on_copy(void *arg, const uint8_t *net, size_t len, uint32_t ifindex,
    const struct stamp *ts)
{
	struct pr_if *f = arg;

	f->p->out(f->p->arg, net, len, ifindex, ts);
}

/* The end of a block of interface ARG's ring: handed on. */
static void
on_block_end(void *arg)
{
	struct pr_if *f = arg;

	if (f->p->end != NULL)
		f->p->end(f->p->arg);
}

static void
on_readable(struct loop_fd *lfd, int fd, int events, void *arg)
{
	struct pr_if *f = arg;

	(void)rxring_read(f->ring, RXRING_BLOCKS, on_frame, on_block_end, f);
}

/* Make F's socket FD a ring of replies.  Returns 0, or -1 with errno. */
static int
ring_up(struct pktrecv *p, struct pr_if *f, int fd)
{
	struct rxring_insn prog[RXRING_PROGMAX];
	uint8_t junk[64];
	uint32_t got, dropped;
	int len = p->out != NULL ? rxring_filter_both(f->hlen, prog) :
	    rxring_filter_replies(f->hlen, prog);

	if (dl_sock_prep(fd, 0) == -1 || rxring_attach(fd, prog, len) == -1)
		return -1;
	/* what came before the filter: not ours to read */
	for (int i = 0; i < DRAIN_MAX && recv(fd, junk, sizeof(junk),
	    MSG_DONTWAIT | MSG_TRUNC) >= 0; i++)
		;
	if ((f->ring = rxring_new(fd, p->bsize, p->out != NULL)) == NULL)
		return -1;
	if (p->out != NULL)
		rxring_set_out(f->ring, on_copy);
	/* the counters start here: what the socket dropped before its
	 * filter (everything it saw) is not the ring's */
	(void)rxring_counts(fd, &got, &dropped);
	if ((f->lfd = loop_fd_add(p->l, fd, LOOP_READ, on_readable, f)) ==
	    NULL) {
		rxring_free(f->ring);
		f->ring = NULL;
		errno = ENOMEM;
		return -1;
	}
	f->fd = fd;
	return 0;
}

/* An interface the packet path sends on gets no ring: the raw ICMP
 * sockets take replies again (icmp_filters). */
static void
no_ring(struct pktrecv *p)
{
	p->refused = 1;
	icmp_filters(p);
}

static void
on_open(void *arg, int err, int fd, uint32_t value)
{
	struct pr_req *r = arg;
	struct pktrecv *p = r->p;
	struct pr_if *f;

	(void)value;
	if (p == NULL) {
		if (fd != -1)
			close(fd);
		free(r);
		return;
	}
	f = &p->ifs[r->slot];
	f->req = NULL;
	free(r);
	if (err == 0 && fd != -1 && ring_up(p, f, fd) == 0) {
		log_debug("interface %u: replies read through a receive ring",
		    f->ifindex);
		raw_filters(p);
		return;
	}
	log_debug("interface %u: no receive ring (%s): its replies come on "
	    "the raw sockets", f->ifindex, strerror(err != 0 ? err : errno));
	if (fd != -1)
		close(fd);
	no_ring(p);
}

void
pktrecv_add(struct pktrecv *p, uint32_t ifindex, int hlen)
{
	struct pr_req *r;
	int i;

	for (i = 0; i < PKTPATH_MAXIF; i++)
		if (p->ifs[i].ifindex == ifindex)
			return;
	for (i = 0; i < PKTPATH_MAXIF && p->ifs[i].ifindex != 0; i++)
		;
	if (i == PKTPATH_MAXIF || p->open == NULL ||
	    (r = calloc(1, sizeof(*r))) == NULL) {
		no_ring(p);
		return;
	}
	p->ifs[i].ifindex = ifindex;
	p->ifs[i].hlen = hlen;
	p->ifs[i].p = p;
	r->p = p;
	r->slot = i;
	if (p->open(p->ctx, ifindex, on_open, r) == -1) {
		free(r);
		no_ring(p);
		return;
	}
	p->ifs[i].req = r;
}
