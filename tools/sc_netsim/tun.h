/*
 * tun.h: sc_netsim's TUN device and the namespace safety check.
 */
#ifndef NS_TUN_H
#define NS_TUN_H

#include <stddef.h>

/* Create TUN device NAME (may hold "%d"), without packet information,
 * non-blocking, with MTU, and bring it up.  Returns the descriptor and
 * the device's name in DEV, or -1 with a message in ERR. */
int tun_open(const char *name, int mtu, char *dev, size_t devlen, char *err,
    size_t errlen);

/* 1 if this network namespace has a default route (IPv4 main table or
 * any IPv6 table), described in WHY; 0 if not; -1 (message in WHY) if
 * the routing tables could not be read. */
int tun_has_default_route(char *why, size_t len);

#endif
