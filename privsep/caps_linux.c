/*
 * caps_linux.c: after set-up the helper keeps CAP_NET_RAW and
 * CAP_NET_ADMIN (and in service mode CAP_SETUID and CAP_SETGID, to take
 * a client's file-system credentials) and nothing else, in every set
 * including the bounding set, so even as uid 0 it cannot override file
 * permissions, load modules, trace processes or regain what it dropped.
 */
#include <sys/prctl.h>
#include <sys/syscall.h>

#include <linux/capability.h>

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "caps.h"

int
caps_keep_net(int setid)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	uint32_t keep = (1u << CAP_NET_RAW) | (1u << CAP_NET_ADMIN);

	if (setid)
		keep |= (1u << CAP_SETUID) | (1u << CAP_SETGID);
	/* the bounding set first: dropping from it needs CAP_SETPCAP */
	for (int c = 0; c <= 63; c++) {
		if (c < 32 && (keep & (1u << c)) != 0)
			continue;
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) == -1 &&
		    errno != EINVAL && errno != EPERM)
			return -1;
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == -1 &&
	    errno != EINVAL)
		return -1;
	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data) == -1)
		return -1;
	/* every kept capability is below 32: only data[0] holds them */
	data[0].effective &= keep;
	data[0].permitted &= keep;
	data[0].inheritable = 0;
	data[1].effective = data[1].permitted = data[1].inheritable = 0;
	if (syscall(SYS_capset, &hdr, data) == -1)
		return -1;
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}
