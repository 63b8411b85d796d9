/*
 * route.h: what the routing table and interfaces say, asked without
 * privilege (and within the prober's sandbox: a UDP socket, netlink and
 * the SIOCGIFMTU ioctl).
 */
#ifndef PROBER_NET_ROUTE_H
#define PROBER_NET_ROUTE_H

#include <stdint.h>

/* The source address the kernel would use towards DST (AF_INET or
 * AF_INET6; 16-byte buffers).  Sends nothing.  Returns 0, or -1 with
 * errno (e.g. ENETUNREACH). */
int route_src(int af, const uint8_t *dst, uint8_t *src);

/* The MTU of the interface that holds local address SRC.  Returns 0 with
 * *MTU set, or -1 with errno (ENOENT: no interface has it). */
int route_ifmtu(int af, const uint8_t *src, uint16_t *mtu);

#endif
