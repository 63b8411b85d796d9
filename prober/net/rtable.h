/*
 * rtable.h: a user-space copy of one family's routing tables, enough to
 * say which route the kernel would take towards a destination when that
 * choice is simple, so the source address learned for a route once can
 * serve every destination on it (route.c; pure code, unit tested).
 *
 * The tables are looked up in the order the policy rules give (local,
 * main, default: route.c uses the copy only when the rules are those);
 * in each, the longest prefix holding the destination decides.  The
 * answer is a route only when that prefix has exactly one route and it
 * is PLAIN (unicast, one path, no TOS, not dead: the kernel's source for
 * it does not depend on the destination); anything else, including a
 * destination no route holds and any match in the local table, is
 * "ask the kernel" (-1).  A route may also carry its next hop (output
 * interface, gateway) for the packet send path: known only when given
 * (rtable_add_nh), never for a prefix added twice.  Addresses are in
 * network order.
 */
#ifndef PROBER_NET_RTABLE_H
#define PROBER_NET_RTABLE_H

#include <stddef.h>
#include <stdint.h>

#define RTABLE_NTAB	3	/* tables in lookup order, 0 first */

struct rtable;

/* An empty table set for family AF (AF_INET or AF_INET6), or NULL with
 * errno ENOMEM. */
struct rtable *rtable_new(int af);

/* Add the route PREFIX/PLEN (PLEN at most 32 or 128; bits past it are
 * ignored) to table TAB (0 .. RTABLE_NTAB-1); PLAIN as above.  Two
 * routes of one prefix in one table make it "ask the kernel".  Returns
 * 0, or -1 with errno (EINVAL: a bad TAB or PLEN; ENOMEM). */
int rtable_add(struct rtable *t, int tab, const uint8_t *prefix,
    unsigned plen, int plain);

/* A route's next hop: interface OIF (never 0), through gateway GW if
 * HAS_GW, else on-link. */
struct rtable_nh {
	uint32_t	 oif;
	int		 has_gw;
	uint8_t		 gw[16];
};

/* rtable_add, with the route's next hop NH (NULL or an OIF of 0: not
 * known, rtable_nexthop asks the kernel). */
int rtable_add_nh(struct rtable *t, int tab, const uint8_t *prefix,
    unsigned plen, int plain, const struct rtable_nh *nh);

/* Done adding: sort for lookups.  Call before rtable_lookup. */
void rtable_finish(struct rtable *t);

/* The route the kernel would take towards DST: an id (>= 0) for
 * rtable_src, or -1 to ask the kernel. */
int rtable_lookup(const struct rtable *t, const uint8_t *dst);

/* What is known of a route's source address: set by the caller once it
 * has learned it (the kernel's answer for any destination on it). */
struct rtable_src {
	int		 known;
	uint8_t		 addr[16];
};

/* Route ID's source address slot. */
struct rtable_src *rtable_src(struct rtable *t, int id);

/* Route ID's next hop into *NH.  Returns 0, or -1 if not known. */
int rtable_nexthop(const struct rtable *t, int id, struct rtable_nh *nh);

/* Route ID's prefix (16 bytes, zeros past its length) into PFX, and its
 * length into *PLEN. */
void rtable_route(const struct rtable *t, int id, uint8_t *pfx,
    unsigned *plen);

/* How many routes T holds (after rtable_finish: distinct prefixes). */
size_t rtable_count(const struct rtable *t);

/* Free T (NULL is fine). */
void rtable_free(struct rtable *t);

#endif
