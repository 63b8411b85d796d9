/*
 * caps.h: the helper sheds every privilege it does not use once it is
 * set up (caps_linux.c; caps_null.c where the OS has no capabilities).
 */
#ifndef PRIVSEP_CAPS_H
#define PRIVSEP_CAPS_H

/* Keep only what serving requests needs and drop the rest for good:
 *   CAP_NET_RAW   raw and datalink sockets;
 *   CAP_NET_ADMIN the helper's own nftables table;
 *   and, when SETID (service mode), CAP_SETUID and CAP_SETGID: files are
 *   opened with each client's file-system credentials (setfsuid).
 * Also set no_new_privs.  Returns 0, or -1 with errno. */
int caps_keep_net(int setid);

#endif
