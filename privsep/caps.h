/*
 * caps.h: the helper sheds every privilege it does not use once it is
 * set up (caps_linux.c; caps_null.c where the OS has no capabilities).
 */
#ifndef PRIVSEP_CAPS_H
#define PRIVSEP_CAPS_H

#include <stddef.h>

/* Keep only what serving requests needs, in every set, for good:
 *   CAP_NET_RAW   raw and datalink sockets;
 *   CAP_NET_ADMIN the helper's own nftables table, and buffers beyond
 *                 net.core.rmem_max for receiving sockets.
 * Nothing for files: the helper opens none (filesrv.h does, as the
 * user who owns them).  Started as root, first become USER (not uid 0;
 * its groups are dropped), keeping those two.  Sets no_new_privs.
 * Returns 0, or -1 with a message in ERR. */
int caps_become(const char *user, char *err, size_t len);

/* Nonzero if this process holds CAP_NET_RAW and CAP_NET_ADMIN because
 * whoever started it granted them (root, or systemd's
 * AmbientCapabilities), not because its own file has capabilities a
 * user could exec (AT_SECURE).  Service mode needs this. */
int caps_from_parent(void);

#endif
