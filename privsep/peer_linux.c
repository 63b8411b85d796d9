/*
 * peer_linux.c: peer credentials from SO_PEERCRED and SO_PEERGROUPS
 * (Linux 4.13 and later), taken by the kernel at connect(2) time.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>

#include "peer.h"

#define PEER_MAXGROUPS	256

int
peer_allowed(int sock, gid_t gid, uid_t *uid, pid_t *pid)
{
	struct ucred uc;
	gid_t groups[PEER_MAXGROUPS];
	socklen_t len = sizeof(uc);

	*uid = (uid_t)-1;
	*pid = -1;
	if (getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &uc, &len) == -1)
		return -1;
	*uid = uc.uid;
	*pid = uc.pid;
	if (uc.uid == 0 || uc.gid == gid)
		return 1;
	len = sizeof(groups);
	if (getsockopt(sock, SOL_SOCKET, SO_PEERGROUPS, groups, &len) == -1)
		return -1;
	for (size_t i = 0; i < len / sizeof(gid_t); i++)
		if (groups[i] == gid)
			return 1;
	return 0;
}
