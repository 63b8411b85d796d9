/*
 * privfile_linux.c: files below a directory with openat2(2)
 * (RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS, O_NOFOLLOW) under the
 * client's file-system credentials (setfsuid/setfsgid/setgroups), which
 * are put back before returning; if they cannot be, the helper exits
 * rather than serve anyone with the wrong ones.
 */
#include <sys/types.h>
#include <sys/fsuid.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <linux/openat2.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "priv_proto.h"
#include "privfile.h"

int
privfile_cred_self(struct privfile_cred *c)
{
	int n;

	memset(c, 0, sizeof(*c));
	c->uid = getuid();
	c->gid = getgid();
	if ((n = getgroups(PRIVFILE_MAXGROUPS, c->groups)) == -1)
		n = 0;		/* EINVAL: too many; fewer rights, not more */
	c->ngroups = n;
	return 0;
}

int
privfile_cred_peer(int sock, struct privfile_cred *c)
{
	struct ucred uc;
	socklen_t len = sizeof(uc);

	memset(c, 0, sizeof(*c));
	if (getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &uc, &len) == -1)
		return -1;
	c->uid = uc.uid;
	c->gid = uc.gid;
	len = sizeof(c->groups);
	if (getsockopt(sock, SOL_SOCKET, SO_PEERGROUPS, c->groups, &len) ==
	    -1)
		len = 0;	/* ERANGE: too many; fewer rights, not more */
	c->ngroups = (int)(len / sizeof(gid_t));
	return 0;
}

int
privfile_dir_check(int dirfd)
{
	struct stat st;

	if (fstat(dirfd, &st) == -1)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

/* The helper's own credentials, taken before a switch. */
struct saved_cred {
	int	switched;
	int	ngroups;
	gid_t	groups[PRIVFILE_MAXGROUPS];
};

/* Take CRED's file-system credentials if they are not ours already. */
static int
cred_enter(const struct privfile_cred *cred, struct saved_cred *sv)
{
	sv->switched = 0;
	if (cred->uid == geteuid() && cred->gid == getegid())
		return 0;
	if ((sv->ngroups = getgroups(PRIVFILE_MAXGROUPS, sv->groups)) == -1)
		return -1;
	sv->switched = 1;
	if ((cred->ngroups >= 0 && setgroups((size_t)cred->ngroups,
	    cred->groups) == -1)) {
		sv->switched = 0;
		errno = EPERM;
		return -1;
	}
	(void)setfsgid(cred->gid);
	(void)setfsuid(cred->uid);
	/* the calls return the old value: ask again to see they took */
	if ((uid_t)setfsuid((uid_t)-1) != cred->uid ||
	    (gid_t)setfsgid((gid_t)-1) != cred->gid) {
		errno = EPERM;
		return -2;
	}
	return 0;
}

/* Put the helper's credentials back; fatal if that fails. */
static void
cred_leave(const struct saved_cred *sv)
{
	if (!sv->switched)
		return;
	(void)setfsuid(geteuid());
	(void)setfsgid(getegid());
	if ((uid_t)setfsuid((uid_t)-1) != geteuid() ||
	    (gid_t)setfsgid((gid_t)-1) != getegid() ||
	    setgroups((size_t)sv->ngroups, sv->groups) == -1)
		fatal("cannot restore the helper's own credentials");
}

/* Open PATH below DIRFD (the credentials are already in place). */
static int
open_beneath(int dirfd, const char *path, int mode)
{
	struct open_how how;
	long fd;
	int tries = 0;

	memset(&how, 0, sizeof(how));
	how.flags = O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
	if (mode == PRIV_FILE_READ)
		how.flags |= O_RDONLY;
	else
		how.flags |= O_WRONLY | O_CREAT |
		    (mode == PRIV_FILE_APPEND ? O_APPEND : O_TRUNC);
	how.mode = (how.flags & O_CREAT) ? 0644 : 0;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
	/* EAGAIN: a rename raced with the lookup; try a few times */
	do
		fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
	while (fd == -1 && errno == EAGAIN && ++tries < 8);
	return (int)fd;
}

int
privfile_open(int dirfd, const char *path, int mode,
    const struct privfile_cred *cred)
{
	struct saved_cred sv;
	struct stat st;
	int fd, rc, e;

	if (path[0] == '/') {
		errno = EXDEV;
		return -1;
	}
	if ((rc = cred_enter(cred, &sv)) != 0) {
		e = errno;
		if (rc == -2)
			cred_leave(&sv);
		errno = e;
		return -1;
	}
	/* O_NONBLOCK: a FIFO must not hang the helper; it is refused
	 * below like every other file that is not regular */
	fd = open_beneath(dirfd, path, mode);
	e = errno;
	cred_leave(&sv);
	if (fd == -1) {
		errno = e;
		return -1;
	}
	if (fstat(fd, &st) == -1)
		e = errno;
	else if (!S_ISREG(st.st_mode))
		e = S_ISDIR(st.st_mode) ? EISDIR : ENODEV;
	else if (fcntl(fd, F_SETFL, mode == PRIV_FILE_APPEND ? O_APPEND :
	    0) == -1)
		e = errno;
	else
		return fd;
	close(fd);
	errno = e;
	return -1;
}
