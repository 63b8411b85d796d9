/*
 * ndcache.h: the prober's neighbour cache: the hardware address of an
 * IPv4 or IPv6 neighbour on an interface, for frames the prober sends
 * itself (trace -r).  At start, unless -O noinitndc, it takes what the
 * system knows (ndcache_init, before the privilege drop: the ARP table
 * by libdnet, IPv6 neighbours by route netlink); then it learns from the
 * prober's own ARP requests and neighbour solicitations on the
 * datalink, never from the kernel's table again.  An entry is believed
 * for NDCACHE_LIFETIME_S.  Process-wide: the host has one neighbourhood.
 */
#ifndef PROBER_NET_NDCACHE_H
#define PROBER_NET_NDCACHE_H

#include <stdint.h>

#define NDCACHE_LIFETIME_S	600

/* Fill the cache from the system's tables (before the privilege drop;
 * the interface table, iftab.h, places ARP entries, which libdnet gives
 * without their interface).  Returns the number of entries, or -1 with
 * errno if neither table could be read. */
int ndcache_init(void);

/* The hardware address of ADDR (family AF) on IFINDEX into MAC, if the
 * cache has a live entry.  Returns 1 if so, else 0. */
int ndcache_get(int af, const uint8_t *addr, uint32_t ifindex,
    uint8_t *mac);

/* Remember that ADDR on IFINDEX is at MAC (now). */
void ndcache_put(int af, const uint8_t *addr, uint32_t ifindex,
    const uint8_t *mac);

/* The number of entries (live or not). */
unsigned ndcache_count(void);

/* Empty the cache (tests). */
void ndcache_clear(void);

#endif
