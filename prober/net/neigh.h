/*
 * neigh.h: what the kernel knows about the local network, asked without
 * privilege (route netlink on Linux; inside the prober's sandbox): the
 * interface and next hop towards an address, an interface's link type
 * and hardware address, and the neighbour table (read once, for the
 * prober's own cache: ndcache.h).  Each call is one
 * short exchange with the kernel, which answers at once.
 *
 * Addresses are 16-byte buffers in network order (IPv4 in the first 4);
 * hardware addresses are Ethernet's 6 bytes.
 */
#ifndef PROBER_NET_NEIGH_H
#define PROBER_NET_NEIGH_H

#include <stdint.h>

#define NEIGH_MACLEN	6

/* Link-layer header kinds the datalink code frames for. */
enum neigh_link {
	NEIGH_LINK_OTHER,	/* not supported */
	NEIGH_LINK_ETHER,	/* Ethernet (and veth, bridges) */
	NEIGH_LINK_LOOP,	/* loopback: an Ethernet header of zeros */
	NEIGH_LINK_RAWIP,	/* no link header (TUN, some tunnels) */
};

struct neigh_route {
	uint32_t	 ifindex;	/* the outgoing interface */
	int		 has_gw;	/* reached through GW, not on-link */
	uint8_t		 gw[16];
	int		 local;		/* the address is one of ours */
};

/* How the kernel would send to DST (AF_INET or AF_INET6).  Returns 0,
 * or -1 with errno (ENETUNREACH, EHOSTUNREACH ... as the kernel says). */
int neigh_route_get(int af, const uint8_t *dst, struct neigh_route *r);

/* Interface IFINDEX's link kind, hardware address (MAC, zeros if it has
 * none) and MTU.  Returns 0, or -1 with errno (ENODEV: no such
 * interface). */
int neigh_link_get(uint32_t ifindex, enum neigh_link *kind, uint8_t *mac,
    uint32_t *mtu);

/* A usable entry of the kernel's neighbour table: ADDR on IFINDEX is at
 * hardware address MAC. */
typedef void neigh_each_cb(void *arg, uint32_t ifindex, const uint8_t *addr,
    const uint8_t *mac);

/* Every usable entry (reachable, stale, being probed, permanent) of the
 * kernel's neighbour table of family AF, to CB(ARG, ...).  Returns 0, or
 * -1 with errno. */
int neigh_dump(int af, neigh_each_cb *cb, void *arg);

/* Any route netlink dump: request TYPE (RTM_GETROUTE, RTM_GETRULE,
 * RTM_GETADDR ...) for family AF, each message (a struct nlmsghdr) to
 * CB(MSG, ARG), which returns nonzero to end it early.  Returns 0, or -1
 * with errno (EOPNOTSUPP where there is no route netlink). */
typedef int neigh_nl_cb(const void *msg, void *arg);
int neigh_nl_dump(int type, int af, neigh_nl_cb *cb, void *arg);

#endif
