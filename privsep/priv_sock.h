/*
 * priv_sock.h: the helper opens raw sockets of an allowlisted kind.
 */
#ifndef PRIVSEP_PRIV_SOCK_H
#define PRIVSEP_PRIV_SOCK_H

#include <stdint.h>

/* Open a raw socket for FAMILY (PRIV_AF_*) and PROTO (PRIV_P_*); for
 * PRIV_P_RAW over IPv4, IP_HDRINCL is set.  ICMP goes only with IPv4 and
 * ICMP6 only with IPv6.  Returns the descriptor, or -1 with errno
 * (EINVAL for a combination not on the list).  Does not block. */
int priv_sock_open_raw(uint8_t family, uint8_t proto);

#endif
