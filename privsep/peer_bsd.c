/*
 * peer_bsd.c: peer credentials from getpeereid(2) and the peer user's
 * group list (BSDs and macOS).  Built only there.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <pwd.h>
#include <unistd.h>

#include "peer.h"

#define PEER_MAXGROUPS	256

int
peer_allowed(int sock, gid_t gid, uid_t *uid, pid_t *pid)
{
	gid_t egid;
	struct passwd *pw;
	gid_t groups[PEER_MAXGROUPS];
	int ngroups = PEER_MAXGROUPS;

	*pid = -1;
	if (getpeereid(sock, uid, &egid) == -1)
		return -1;
	if (*uid == 0 || egid == gid)
		return 1;
	if ((pw = getpwuid(*uid)) == NULL)
		return 0;
	if (getgrouplist(pw->pw_name, (int)pw->pw_gid, (int *)groups,
	    &ngroups) == -1)
		return 0;
	for (int i = 0; i < ngroups; i++)
		if (groups[i] == gid)
			return 1;
	return 0;
}
