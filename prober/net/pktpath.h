/*
 * pktpath.h: where a probe goes on the packet-socket send path (-O
 * pktsend; raw sockets are the default): the interface and link header for an IP
 * packet, and one AF_PACKET socket per interface, asked of scamper-helper
 * through netio_fds.dl_open when the first probe needs it.
 *
 * For each destination the outgoing interface and next hop come from the
 * prober's copy of the routing tables (rtcopy.h) where it answers, else
 * from the kernel, asked once (route netlink); the next hop's hardware address comes
 * from the prober's neighbour cache (ndcache.h) or, failing that, from
 * the kernel's neighbour table (read at most once a second).  Answers
 * are kept PKTPATH_LIFE_NS: by route (the copy's) where the destination
 * needs no neighbour of its own (through a gateway, or on a link without
 * a link header), else by destination.  Interfaces without a link header (TUN and
 * other ARPHRD_NONE tunnels) need no neighbour.  Whatever the path cannot
 * take (no route or neighbour yet, a socket still being opened, a local
 * or loopback destination, a link kind it does not frame, a packet
 * larger than the interface's MTU or PKTPATH_MAXLEN, a source or IPv4
 * identification the kernel would have filled in) is left to the raw
 * socket, counted by reason.
 */
#ifndef PROBER_NET_PKTPATH_H
#define PROBER_NET_PKTPATH_H

#include <stddef.h>
#include <stdint.h>

#include "neigh.h"
#include "netio.h"

#define PKTPATH_MAXIF	8		/* interfaces with a socket */
#define PKTPATH_HDRMAX	14		/* bytes of link header at most */
#define PKTPATH_MAXLEN	1500		/* larger probes go raw */
#define PKTPATH_LIFE_NS	10000000000LL	/* a route or neighbour believed */

/* Why a probe was left to the raw socket. */
enum pktpath_why {
	PKTPATH_RAW_ROUTE,	/* no route, or a local destination */
	PKTPATH_RAW_NEIGH,	/* the next hop's hardware address unknown */
	PKTPATH_RAW_SOCKET,	/* the interface's socket not open (yet) */
	PKTPATH_RAW_LINK,	/* a link kind not framed, or too many */
	PKTPATH_RAW_PACKET,	/* too large, no source, IPv4 ID 0 */
	PKTPATH_NWHY
};

/* The way out for one packet: socket SLOT, interface IFINDEX, link
 * header HDR of HLEN bytes, ethertype PROTO (host order). */
struct pktpath_hop {
	int		 slot;
	uint32_t	 ifindex;
	size_t		 hlen;
	uint16_t	 proto;
	uint8_t		 hdr[PKTPATH_HDRMAX];
};

/* Interface socket SLOT is open: FD (the callee's), prepared for
 * sending, on interface IFINDEX whose frames have HLEN bytes of link
 * header. */
typedef void pktpath_ready_cb(void *arg, int slot, int fd, uint32_t ifindex,
    int hlen);

struct pktpath;

/* Write the link header of an IP version IPVER (4 or 6) packet on a KIND
 * link into HDR: Ethernet to DST from SRC, or nothing for raw IP.
 * Returns its length, or -1 for a kind that is not framed. */
int pktpath_linkhdr(enum neigh_link kind, const uint8_t *dst,
    const uint8_t *src, int ipver, uint8_t *hdr);

/* A path asking OPEN(CTX, ...) for sockets, telling READY(ARG, ...)
 * when each is open.  Returns NULL on ENOMEM. */
struct pktpath *pktpath_new(netio_dl_open_fn *open, void *ctx,
    pktpath_ready_cb *ready, void *arg);

/* Free P; sockets still being opened are closed when they come. */
void pktpath_free(struct pktpath *p);

/* How many ways out P found from a route's entry, shared by the
 * destinations on it, and from a destination's own. */
void pktpath_counts(const struct pktpath *p, uint64_t *by_route,
    uint64_t *by_dst);

/* The way out for the IP packet PKT (LEN bytes) at loop time NOW_NS into
 * H.  Returns 1, or 0 with *WHY set: send it on the raw socket. */
int pktpath_find(struct pktpath *p, const uint8_t *pkt, size_t len,
    int64_t now_ns, struct pktpath_hop *h, enum pktpath_why *why);


/* A short name for WHY, for the debug log. */
const char *pktpath_why_name(enum pktpath_why why);

#endif
