/*
 * privfile_null.c: no way to open a file safely below a directory is
 * built for this system (Linux has openat2; the BSDs' O_RESOLVE_BENEATH
 * is not wired up yet): file requests are refused.
 */
#include <sys/types.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "privfile.h"

int
privfile_cred_self(struct privfile_cred *c)
{
	memset(c, 0, sizeof(*c));
	c->uid = getuid();
	c->gid = getgid();
	c->ngroups = -1;
	return 0;
}

int
privfile_cred_peer(int sock, struct privfile_cred *c)
{
	(void)sock;
	memset(c, 0, sizeof(*c));
	c->ngroups = -1;
	return 0;
}

int
privfile_dir_check(int dirfd)
{
	(void)dirfd;
	errno = ENOSYS;
	return -1;
}

int
privfile_open(int dirfd, const char *path, int mode,
    const struct privfile_cred *cred)
{
	(void)dirfd;
	(void)path;
	(void)mode;
	(void)cred;
	errno = ENOSYS;
	return -1;
}
