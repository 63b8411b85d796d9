/*
 * ndcache.c: the neighbour cache (see ndcache.h): a small array, found
 * by a linear walk (a host has few neighbours; trace -r asks once per
 * measurement).
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#ifdef HAVE_DUMBNET_H
#include <dumbnet.h>
#else
#include <dnet.h>
#endif

#include "iftab.h"
#include "ndcache.h"
#include "neigh.h"

#define NDCACHE_MAX	4096

struct nd_ent {
	int		 af;
	uint8_t		 addr[16];
	uint32_t	 ifindex;
	uint8_t		 mac[NEIGH_MACLEN];
	int64_t		 learned;	/* monotonic seconds */
};

static struct nd_ent *ents;
static unsigned nents;

static int64_t
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

static int
alen(int af)
{
	return af == AF_INET ? 4 : 16;
}

static struct nd_ent *
find(int af, const uint8_t *addr, uint32_t ifindex)
{
	for (unsigned i = 0; i < nents; i++)
		if (ents[i].af == af && ents[i].ifindex == ifindex &&
		    memcmp(ents[i].addr, addr, (size_t)alen(af)) == 0)
			return &ents[i];
	return NULL;
}

void
ndcache_put(int af, const uint8_t *addr, uint32_t ifindex,
    const uint8_t *mac)
{
	struct nd_ent *e = find(af, addr, ifindex);

	if (e == NULL) {
		if (nents == NDCACHE_MAX)
			return;
		if ((e = realloc(ents, (nents + 1) * sizeof(*e))) == NULL)
			return;
		ents = e;
		e = &ents[nents++];
		memset(e, 0, sizeof(*e));
		e->af = af;
		memcpy(e->addr, addr, (size_t)alen(af));
		e->ifindex = ifindex;
	}
	memcpy(e->mac, mac, NEIGH_MACLEN);
	e->learned = now_s();
}

int
ndcache_get(int af, const uint8_t *addr, uint32_t ifindex, uint8_t *mac)
{
	const struct nd_ent *e = find(af, addr, ifindex);

	if (e == NULL || now_s() - e->learned >= NDCACHE_LIFETIME_S)
		return 0;
	memcpy(mac, e->mac, NEIGH_MACLEN);
	return 1;
}

unsigned
ndcache_count(void)
{
	return nents;
}

void
ndcache_clear(void)
{
	free(ents);
	ents = NULL;
	nents = 0;
}

/* An entry of libdnet's ARP table: its interface is the one whose
 * prefix holds the address. */
static int
on_arp(const struct arp_entry *e, void *arg)
{
	static const uint8_t zero[NEIGH_MACLEN];
	struct iftab_if ifc;

	(void)arg;
	if (e->arp_pa.addr_type != ADDR_TYPE_IP ||
	    memcmp(&e->arp_ha.addr_eth, zero, NEIGH_MACLEN) == 0 ||
	    e->arp_ha.addr_type != ADDR_TYPE_ETH ||
	    iftab_onlink(AF_INET, (const uint8_t *)&e->arp_pa.addr_ip,
	    &ifc) == -1)
		return 0;
	ndcache_put(AF_INET, (const uint8_t *)&e->arp_pa.addr_ip,
	    ifc.ifindex, (const uint8_t *)&e->arp_ha.addr_eth);
	return 0;
}

static void
on_neigh6(void *arg, uint32_t ifindex, const uint8_t *addr,
    const uint8_t *mac)
{
	(void)arg;
	ndcache_put(AF_INET6, addr, ifindex, mac);
}

int
ndcache_init(void)
{
	arp_t *a;
	int ok = 0;

	if ((a = arp_open()) != NULL) {
		if (arp_loop(a, on_arp, NULL) == 0)
			ok = 1;
		arp_close(a);
	}
	if (neigh_dump(AF_INET6, on_neigh6, NULL) == 0)
		ok = 1;
	if (!ok) {
		if (errno == 0)
			errno = ENOENT;
		return -1;
	}
	return (int)nents;
}
