/*
 * privfile_null.c: no way to open a file safely below a directory is
 * built for this system (Linux has openat2; the BSDs' O_RESOLVE_BENEATH
 * is not wired up yet): file requests are refused.
 */
#include <errno.h>

#include "privfile.h"

int
privfile_open(int dirfd, const char *path, int mode)
{
	(void)dirfd;
	(void)path;
	(void)mode;
	errno = ENOSYS;
	return -1;
}
