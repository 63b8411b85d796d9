/*
 * pktpath.c: interfaces, routes and neighbours for the packet-socket
 * send path (see pktpath.h).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifdef __linux__
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#endif

#include "dl_int.h"
#include "dsttab.h"
#include "ndcache.h"
#include "pktpath.h"
#include "rtcopy.h"

#define NS_PER_S	1000000000LL
#define NBR_MAX		256	/* kernel neighbour entries remembered */
#define PP_NWAY		64	/* routes' ways remembered (direct-mapped) */

enum if_state { IF_NONE, IF_OPENING, IF_OPEN, IF_FAILED, IF_UNUSABLE };

struct pp_req;

struct pp_if {
	uint32_t	 ifindex;	/* 0: slot free */
	enum neigh_link	 kind;
	uint8_t		 mac[NEIGH_MACLEN];
	uint32_t	 mtu;
	enum if_state	 state;
	struct pp_req	*req;		/* while OPENING */
};

/* A socket asked for; outlives the path if the path goes first. */
struct pp_req {
	struct pktpath	*p;		/* NULL: the path is gone */
	int		 slot;
};

/* dst_ent.state (dsttab.h): DST_EMPTY, or one of these */
enum { DST_OK = 1, DST_RAW = 2 };
_Static_assert(PKTPATH_MAXIF <= 8 && PKTPATH_NWHY <= 8,
    "dst_ent's slot and why fit in 3 bits");

/* D's address family. */
static inline int
dst_af(const struct dst_ent *d)
{
	return d->v6 ? AF_INET6 : AF_INET;
}

struct pp_nbr {
	uint32_t	 ifindex;
	uint8_t		 af;
	uint8_t		 addr[16];
	uint8_t		 mac[NEIGH_MACLEN];
};

/* The way out of every destination on one route of the routes' copy:
 * through a gateway, or onto a link without a link header.  Probes to
 * such destinations touch no entry of their own (a destination table's
 * slot was a cache miss a probe, and 1 MB at -p 10000). */
struct pp_way {
	uint64_t	 key;		/* rtcopy's route key + 1; 0: free */
	int		 perdst;	/* an Ethernet link, no gateway: each
					 * destination its own neighbour */
	struct dst_ent	 d;		/* the way (addr unused) */
};

struct pktpath {
	netio_dl_open_fn	*open;
	void			*ctx;
	pktpath_ready_cb	*ready;
	void			*arg;
	struct pp_if		 ifs[PKTPATH_MAXIF];
	struct dsttab		 dst;		/* the destinations */
	struct pp_way		 way[PP_NWAY];	/* the routes' */
	uint64_t		 by_route, by_dst; /* ways found so */
	struct pp_nbr		 nbr[NBR_MAX];
	int			 nnbr;
	int64_t			 nbr_read;	/* when the kernel's was read */
};

int
pktpath_linkhdr(enum neigh_link kind, const uint8_t *dst, const uint8_t *src,
    int ipver, uint8_t *hdr)
{
	if (kind == NEIGH_LINK_RAWIP)
		return 0;
	if (kind != NEIGH_LINK_ETHER)
		return -1;
	memcpy(hdr, dst, NEIGH_MACLEN);
	memcpy(hdr + 6, src, NEIGH_MACLEN);
	hdr[12] = ipver == 6 ? 0x86 : 0x08;
	hdr[13] = ipver == 6 ? 0xdd : 0x00;
	return 14;
}

const char *
pktpath_why_name(enum pktpath_why why)
{
	static const char *const names[PKTPATH_NWHY] = { "route",
	    "neighbour", "socket", "link", "packet" };

	return (unsigned)why < PKTPATH_NWHY ? names[why] : "?";
}

struct pktpath *
pktpath_new(netio_dl_open_fn *open, void *ctx, pktpath_ready_cb *ready,
    void *arg)
{
	struct pktpath *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	if (dsttab_init(&p->dst) == -1) {
		free(p);
		return NULL;
	}
	p->open = open;
	p->ctx = ctx;
	p->ready = ready;
	p->arg = arg;
	p->nbr_read = -NS_PER_S;
	return p;
}

void
pktpath_free(struct pktpath *p)
{
	if (p == NULL)
		return;
	for (int i = 0; i < PKTPATH_MAXIF; i++)
		if (p->ifs[i].req != NULL)
			p->ifs[i].req->p = NULL;
	dsttab_free(&p->dst);
	free(p);
}

/* Make FD a socket that only sends: non-blocking, bound to its interface
 * with protocol 0 (it receives nothing, and the kernel hands it no copy
 * of what is sent).  Returns 0 or -1 with errno. */
static int
prep_send_sock(int fd, uint32_t ifindex)
{
	if (dl_sock_prep(fd, 0) == -1)
		return -1;
#ifdef __linux__
	struct sockaddr_ll sll;

	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = 0;
	sll.sll_ifindex = (int)ifindex;
	/* what it received while bound to every protocol would hold its
	 * buffer, where the transmit timestamps queue, for good: drop it */
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) == -1 ||
	    dl_sock_filter(fd, NULL, 1) == -1)
		return -1;
	/*
	 * No PACKET_QDISC_BYPASS: with it the frame goes straight to the
	 * driver, past dev_queue_xmit_nit, so no tap sees it (tcpdump, -O
	 * dl's receiving socket, sniff: lab-dl and lab-ping's captures
	 * missed every probe), nor do tc rules on the interface apply; and
	 * a burst the driver's queue cannot hold is refused instead of
	 * queued.
	 */
#else
	(void)ifindex;
	errno = EOPNOTSUPP;
	return -1;
#endif
	return 0;
}

static void
on_open(void *arg, int err, int fd, uint32_t value)
{
	struct pp_req *r = arg;
	struct pktpath *p = r->p;
	struct pp_if *ifp;

	(void)value;
	if (p == NULL) {
		if (fd != -1)
			close(fd);
		free(r);
		return;
	}
	ifp = &p->ifs[r->slot];
	ifp->req = NULL;
	if (err != 0 || fd == -1 || prep_send_sock(fd, ifp->ifindex) == -1) {
		if (fd != -1)
			close(fd);
		ifp->state = IF_FAILED;
	} else {
		ifp->state = IF_OPEN;
		p->ready(p->arg, r->slot, fd, ifp->ifindex,
		    ifp->kind == NEIGH_LINK_ETHER ? 14 : 0);
	}
	free(r);
}

/* Ask for interface slot I's socket. */
static void
if_open(struct pktpath *p, int i)
{
	struct pp_if *ifp = &p->ifs[i];
	struct pp_req *r;

	ifp->state = IF_FAILED;
	if (p->open == NULL || (r = calloc(1, sizeof(*r))) == NULL)
		return;
	r->p = p;
	r->slot = i;
	if (p->open(p->ctx, ifp->ifindex, on_open, r) == -1) {
		free(r);
		return;
	}
	ifp->req = r;
	ifp->state = IF_OPENING;
}

/* The slot of interface IFINDEX (learning its link on first sight), or
 * -1 if the table is full. */
static int
if_slot(struct pktpath *p, uint32_t ifindex)
{
	int i;

	for (i = 0; i < PKTPATH_MAXIF; i++)
		if (p->ifs[i].ifindex == ifindex)
			return i;
	for (i = 0; i < PKTPATH_MAXIF && p->ifs[i].ifindex != 0; i++)
		;
	if (i == PKTPATH_MAXIF)
		return -1;
	p->ifs[i].ifindex = ifindex;
	if (neigh_link_get(ifindex, &p->ifs[i].kind, p->ifs[i].mac,
	    &p->ifs[i].mtu) == -1 || (p->ifs[i].kind != NEIGH_LINK_ETHER &&
	    p->ifs[i].kind != NEIGH_LINK_RAWIP))
		p->ifs[i].state = IF_UNUSABLE;
	return i;
}

static void
on_kernel_nbr(void *arg, uint32_t ifindex, const uint8_t *addr,
    const uint8_t *mac)
{
	struct pktpath *p = arg;
	struct pp_nbr *e;

	if (p->nnbr == NBR_MAX)
		return;
	e = &p->nbr[p->nnbr++];
	e->ifindex = ifindex;
	memcpy(e->addr, addr, 16);
	memcpy(e->mac, mac, NEIGH_MACLEN);
}

/* The kernel's entry for next hop NH (family AF) on IFINDEX, from
 * the kernel's table (read again at most once a second).  Returns the
 * index of its entry in P->nbr, or -1 if unknown. */
static int
nbr_find(struct pktpath *p, int af, const uint8_t *nh, uint32_t ifindex,
    int64_t now)
{
	size_t al = af == AF_INET ? 4 : 16;

	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < p->nnbr; i++)
			if (p->nbr[i].af == af && p->nbr[i].ifindex ==
			    ifindex && memcmp(p->nbr[i].addr, nh, al) == 0)
				return i;
		if (pass == 1 || now - p->nbr_read < NS_PER_S)
			break;
		p->nbr_read = now;
		p->nnbr = 0;
		for (int f = 0; f < 2; f++) {
			int start = p->nnbr;
			int fam = f == 0 ? AF_INET : AF_INET6;

			(void)neigh_dump(fam, on_kernel_nbr, p);
			for (int i = start; i < p->nnbr; i++)
				p->nbr[i].af = (uint8_t)fam;
		}
	}
	return -1;
}

/* How the kernel would send to AF address DST: from the routes' copy
 * (rtcopy.h) where it answers, else asked.  Returns 0, or -1: no route,
 * or a local destination. */
static int
route_of(int af, const uint8_t *dst, struct neigh_route *rt)
{
	struct rtable_nh nh;

	if (rtcopy_nexthop(af, dst, &nh) == 0) {
		memset(rt, 0, sizeof(*rt));
		rt->ifindex = nh.oif;
		rt->has_gw = nh.has_gw;
		memcpy(rt->gw, nh.gw, sizeof(rt->gw));
		return 0;
	}
	if (neigh_route_get(af, dst, rt) == -1 || rt->local)
		return -1;
	return 0;
}

/* Fill in D's way out to AF destination DST over route RT at NOW. */
static void
way_fill(struct pktpath *p, struct dst_ent *d, int af, const uint8_t *dst,
    const struct neigh_route *rt, int64_t now)
{
	int slot, k;

	if ((slot = if_slot(p, rt->ifindex)) == -1 ||
	    p->ifs[slot].state == IF_UNUSABLE) {
		d->why = PKTPATH_RAW_LINK;
		return;
	}
	d->slot = (unsigned int)slot;
	if (p->ifs[slot].kind == NEIGH_LINK_ETHER) {
		const uint8_t *nh = rt->has_gw ? rt->gw : dst;

		if (ndcache_get(af, nh, rt->ifindex, d->mac) == 0) {
			if ((k = nbr_find(p, af, nh, rt->ifindex, now)) ==
			    -1) {
				/* the raw socket's probe makes the kernel
				 * resolve it: look again in a second */
				d->why = PKTPATH_RAW_NEIGH;
				d->until = now + NS_PER_S;
				return;
			}
			memcpy(d->mac, p->nbr[k].mac, NEIGH_MACLEN);
		}
	}
	d->state = DST_OK;
}

/* Learn the way to destination D (af, addr set) and fill it in. */
static void
dst_learn(struct pktpath *p, struct dst_ent *d, int64_t now)
{
	struct neigh_route rt;
	int af = dst_af(d);

	d->state = DST_RAW;
	d->until = now + PKTPATH_LIFE_NS;
	if (route_of(af, d->addr, &rt) == -1) {
		d->why = PKTPATH_RAW_ROUTE;
		return;
	}
	way_fill(p, d, af, d->addr, &rt, now);
}

/* Reasons the packet itself must go raw: 1 if so. */
static int
pkt_unsendable(const uint8_t *pkt, size_t len, int *af)
{
	static const uint8_t zero[16];

	if (len > PKTPATH_MAXLEN)
		return 1;
	if (len >= 20 && (pkt[0] >> 4) == 4) {
		*af = AF_INET;
		/* a zero source or ID the raw socket's kernel fills in */
		return memcmp(pkt + 12, zero, 4) == 0 ||
		    (pkt[4] == 0 && pkt[5] == 0);
	}
	if (len >= 40 && (pkt[0] >> 4) == 6) {
		*af = AF_INET6;
		return memcmp(pkt + 8, zero, 16) == 0;
	}
	return 1;
}

/* Learn route way W (key KEY) to AF destination A over next hop NH. */
static void
way_learn(struct pktpath *p, struct pp_way *w, uint64_t key, int af,
    const uint8_t *a, const struct rtable_nh *nh, int64_t now)
{
	struct neigh_route rt;
	int slot;

	memset(w, 0, sizeof(*w));
	w->key = key;
	w->d.v6 = af == AF_INET6;
	w->d.state = DST_RAW;
	w->d.until = now + PKTPATH_LIFE_NS;
	if (!nh->has_gw && ((slot = if_slot(p, nh->oif)) == -1 ||
	    p->ifs[slot].kind != NEIGH_LINK_RAWIP)) {
		w->perdst = 1;
		return;
	}
	memset(&rt, 0, sizeof(rt));
	rt.ifindex = nh->oif;
	rt.has_gw = nh->has_gw;
	memcpy(rt.gw, nh->gw, sizeof(rt.gw));
	way_fill(p, &w->d, af, a, &rt, now);
}

/* The live way to destination (AF, A), learnt now if need be: its
 * route's where the routes' copy answers and the destination needs no
 * neighbour of its own, else its own.  NULL: ENOMEM. */
static struct dst_ent *
dst_get(struct pktpath *p, int af, const uint8_t *a, int64_t now)
{
	struct rtable_nh nh;
	struct dst_ent *d;
	struct pp_way *w;
	uint64_t key;
	int fresh;

	if (rtcopy_nexthop_route(af, a, &nh, &key) == 0) {
		key++;
		w = &p->way[(key ^ (key >> 29)) % PP_NWAY];
		if (w->key != key || w->d.until <= now)
			way_learn(p, w, key, af, a, &nh, now);
		if (!w->perdst) {
			p->by_route++;
			return &w->d;
		}
	}
	p->by_dst++;
	if ((d = dsttab_get(&p->dst, af, a, now, &fresh)) != NULL && fresh)
		dst_learn(p, d, now);
	return d;
}

void
pktpath_counts(const struct pktpath *p, uint64_t *by_route, uint64_t *by_dst)
{
	*by_route = p->by_route;
	*by_dst = p->by_dst;
}

int
pktpath_find(struct pktpath *p, const uint8_t *pkt, size_t len,
    int64_t now_ns, struct pktpath_hop *h, enum pktpath_why *why)
{
	struct dst_ent *d;
	struct pp_if *ifp;
	int af = 0, hl;

	if (pkt_unsendable(pkt, len, &af)) {
		*why = PKTPATH_RAW_PACKET;
		return 0;
	}
	if ((d = dst_get(p, af, pkt + (af == AF_INET ? 16 : 24), now_ns)) ==
	    NULL || d->state != DST_OK) {
		*why = d == NULL ? PKTPATH_RAW_ROUTE : (enum pktpath_why)d->why;
		return 0;
	}
	ifp = &p->ifs[d->slot];
	if (ifp->state != IF_OPEN) {
		if (ifp->state == IF_NONE)
			if_open(p, d->slot);
		*why = PKTPATH_RAW_SOCKET;
		return 0;
	}
	if ((ifp->mtu != 0 && len > ifp->mtu) || (hl = pktpath_linkhdr(
	    ifp->kind, d->mac, ifp->mac, af == AF_INET ? 4 : 6,
	    h->hdr)) == -1) {
		*why = PKTPATH_RAW_PACKET;
		return 0;
	}
	h->slot = d->slot;
	h->ifindex = ifp->ifindex;
	h->hlen = (size_t)hl;
	h->proto = af == AF_INET ? 0x0800 : 0x86dd;
	return 1;
}
