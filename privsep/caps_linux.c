/*
 * caps_linux.c: after set-up the helper runs as an unprivileged user
 * with CAP_NET_RAW and CAP_NET_ADMIN and nothing else, in every set
 * including the bounding set (when it was started as root), so it
 * cannot read or write anyone's files, change ids, load modules, trace
 * processes or regain what it dropped.
 */
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/types.h>

#include <linux/capability.h>

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "caps.h"

#define CAPS_KEEP	((1u << CAP_NET_RAW) | (1u << CAP_NET_ADMIN))

/* Drop every capability but CAPS_KEEP from the bounding set (needs
 * CAP_SETPCAP: without it, as with file capabilities, the bounding set
 * stays and no_new_privs keeps it unused). */
static int
drop_bounding(void)
{
	for (int c = 0; c <= 63; c++) {
		if (c < 32 && (CAPS_KEEP & (1u << c)) != 0)
			continue;
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) == -1 &&
		    errno != EINVAL && errno != EPERM)
			return -1;
	}
	return 0;
}

/* Become USER for good, keeping the permitted capabilities. */
static int
become(const char *user, char *err, size_t len)
{
	struct passwd *pw = getpwnam(user);

	if (pw == NULL || pw->pw_uid == 0) {
		snprintf(err, len, "helper user %s: %s", user,
		    pw == NULL ? "no such user" : "has uid 0");
		return -1;
	}
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) == -1 ||
	    setgroups(1, &pw->pw_gid) == -1 ||
	    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) == -1 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1 ||
	    prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) == -1) {
		snprintf(err, len, "becoming %s: %s", user, strerror(errno));
		return -1;
	}
	return 0;
}

int
caps_become(const char *user, char *err, size_t len)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	if (drop_bounding() == -1) {
		snprintf(err, len, "bounding set: %s", strerror(errno));
		return -1;
	}
	if (getuid() == 0 || geteuid() == 0)
		if (become(user, err, len) == -1)
			return -1;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == -1 &&
	    errno != EINVAL) {
		snprintf(err, len, "ambient capabilities: %s", strerror(errno));
		return -1;
	}
	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data) == -1) {
		snprintf(err, len, "capget: %s", strerror(errno));
		return -1;
	}
	/* both kept capabilities are below 32: only data[0] holds them;
	 * after setresuid the effective set is empty, permitted is not */
	data[0].permitted &= CAPS_KEEP;
	data[0].effective = data[0].permitted;
	data[0].inheritable = 0;
	data[1].effective = data[1].permitted = data[1].inheritable = 0;
	if (syscall(SYS_capset, &hdr, data) == -1) {
		snprintf(err, len, "capset: %s", strerror(errno));
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		snprintf(err, len, "no_new_privs: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int
caps_from_parent(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	if (getuid() == 0)
		return 1;
	/* a user who ran a binary with file capabilities: AT_SECURE */
	if (getauxval(AT_SECURE) != 0)
		return 0;
	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data) == -1)
		return 0;
	return (data[0].permitted & CAPS_KEEP) == CAPS_KEEP;
}
