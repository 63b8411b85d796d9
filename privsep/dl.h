/*
 * dl.h: the helper's datalink and route-socket backend (one per OS,
 * chosen by meson: dl_linux.c, dl_bpf.c).
 *
 * Route sockets: on Linux a NETLINK_ROUTE socket and on the BSDs a
 * PF_ROUTE socket need no privilege for lookups, so the prober may open
 * one itself before it enters its sandbox; the helper still offers
 * OPEN_ROUTE so the prober has one way that works everywhere.
 */
#ifndef PRIVSEP_DL_H
#define PRIVSEP_DL_H

#include <stdint.h>

/* Name of the backend ("linux", "bpf"). */
extern const char dl_backend_name[];

/* Open a datalink socket bound to interface IFINDEX, called NAME (the
 * caller has looked it up: the backend uses whichever it needs),
 * receiving every frame on it.  Returns the descriptor, or -1 with
 * errno.  Does not block. */
int dl_open(uint32_t ifindex, const char *name);

/* Open a socket for route lookups.  Returns it, or -1 with errno. */
int dl_route_open(void);

#endif
