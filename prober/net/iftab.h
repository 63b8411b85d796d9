/*
 * iftab.h: the host's interfaces: name, index, link kind, hardware
 * address, MTU and addresses, for the measurements that name an
 * interface or a local address (neighbourdisc -i, sniff -S, PMTUD's
 * interface MTU).
 *
 * The table is first filled by libdnet (iftab_snapshot) before the
 * privilege drop: libdnet reads /proc and uses interface ioctls the
 * sandbox refuses, but it does so the same way on every system it
 * knows.  After the drop, a lookup that misses (or names an interface
 * whose index changed) refreshes the table once from the kernel
 * (getifaddrs(3): route netlink on Linux, allowed in the sandbox), so
 * interfaces and addresses added later are found.  Process-wide: the
 * host has one set of interfaces.
 */
#ifndef PROBER_NET_IFTAB_H
#define PROBER_NET_IFTAB_H

#include <stdint.h>

#include "neigh.h"

struct iftab_if {
	uint32_t	 ifindex;
	char		 name[32];
	enum neigh_link	 kind;
	uint8_t		 mac[NEIGH_MACLEN];	/* zeros if none */
	uint32_t	 mtu;			/* 0 if unknown */
};

/* Fill the table with libdnet (interfaces, their addresses, MTUs and
 * hardware addresses), before the privilege drop.  Returns the number
 * of interfaces, or -1 with errno if libdnet could not list them (the
 * table is then filled from the kernel when first asked). */
int iftab_snapshot(void);

/* The interface called NAME.  Returns 0, or -1 with errno ENODEV. */
int iftab_byname(const char *name, struct iftab_if *out);

/* The interface with index IFINDEX.  Returns 0, or -1 with errno
 * ENODEV. */
int iftab_byindex(uint32_t ifindex, struct iftab_if *out);

/* The interface that holds local address ADDR (family AF).  Returns 0,
 * or -1 with errno EADDRNOTAVAIL (no interface has it). */
int iftab_byaddr(int af, const uint8_t *addr, struct iftab_if *out);

/* An address of family AF on interface IFINDEX into ADDR (16 bytes):
 * one whose prefix holds NEAR if there is one (NEAR may be NULL), else
 * the first global one, else any.  Returns 0, or -1 with errno
 * EADDRNOTAVAIL. */
int iftab_addr(uint32_t ifindex, int af, const uint8_t *near,
    uint8_t *addr);

/* The interface whose IPv4 or IPv6 prefix holds ADDR (not a local
 * address: a neighbour's), the first found.  Returns 0, or -1 with
 * errno EHOSTUNREACH. */
int iftab_onlink(int af, const uint8_t *addr, struct iftab_if *out);

/* Forget the table (tests). */
void iftab_clear(void);

#endif
