/*
 * rtcopy.h: the prober's copy of the kernel's routing tables, so a new
 * trace's source address needs no system call (route_src in route.h).
 *
 * Once watching, the copy of a family is read (route netlink dumps of
 * the policy rules, the routes, and for IPv6 the addresses) at the first
 * lookup after any change the kernel announces: routes, addresses,
 * rules or links of either family (one notification socket on the
 * loop).  It is used only where the kernel's source address provably
 * does not depend on the destination within a route (rtable.h: plain
 * routes), and only while the policy rules are the default ones (local,
 * main, default tables).  For IPv6 a plain route must also carry a
 * preferred source, or the host hold exactly one usable global address,
 * on the route's interface (then RFC 6724's rule 2 picks it for every
 * global destination).  Everything else, and any failure to read the
 * copy, is asked of the kernel as before.  Between a change and the
 * loop reading its notification a lookup may see the old tables, as a
 * connect(2) just before the change would have.  The same plain routes
 * also give the packet send path (pktpath.h) their output interface and
 * gateway, unless a route has several paths or anything unusual (a
 * gateway of another family, an encapsulation, no output interface).
 * Process-wide.
 */
#ifndef PROBER_NET_RTCOPY_H
#define PROBER_NET_RTCOPY_H

#include <stdint.h>

#include "loop.h"
#include "rtable.h"

/* Keep the copy, hearing of changes on L.  Until this succeeds every
 * lookup is the kernel's.  Returns 0, or -1 with errno (no route
 * netlink: the kernel answers every lookup). */
int rtcopy_watch(struct loop *l);

/* Stop watching (L as given to rtcopy_watch) and forget the copy. */
void rtcopy_stop(struct loop *l);

/* The source slot of the plain route towards DST (family AF), shared
 * by every destination on it; NULL: ask the kernel. */
struct rtable_src *rtcopy_src(int af, const uint8_t *dst);

/* The next hop of the plain route towards DST (family AF) into *NH.
 * Returns 0, or -1: ask the kernel. */
int rtcopy_nexthop(int af, const uint8_t *dst, struct rtable_nh *nh);

/* As rtcopy_nexthop, with *ROUTE a key of the route that answered: the
 * same for every destination on that route while the copy stands, never
 * given again once the copy is read anew. */
int rtcopy_nexthop_route(int af, const uint8_t *dst, struct rtable_nh *nh,
    uint64_t *route);

/* Next-hop lookups answered from the copy and not, since the start. */
void rtcopy_nh_counts(unsigned long *copy, unsigned long *asked);

/* Lookups answered from the copy (a slot given) and not (NULL), since
 * the start: for the debug log and tests. */
void rtcopy_counts(unsigned long *copy, unsigned long *asked);

#endif
