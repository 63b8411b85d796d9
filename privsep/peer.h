/*
 * peer.h: who is at the other end of a Unix socket (one backend per OS:
 * peer_linux.c with SO_PEERCRED/SO_PEERGROUPS, peer_bsd.c with
 * getpeereid and the user's group list).
 */
#ifndef PRIVSEP_PEER_H
#define PRIVSEP_PEER_H

#include <sys/types.h>

/* Look at the peer of the connected Unix socket SOCK: its uid goes to
 * *UID and its pid (-1 where unknown) to *PID.  Returns 1 if the peer is
 * root or has GID as its group or among its groups, 0 if not, -1 with
 * errno if the kernel would not say.  Does not block. */
int peer_allowed(int sock, gid_t gid, uid_t *uid, pid_t *pid);

#endif
