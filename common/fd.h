/*
 * fd.h: the failure path of code that opens a descriptor.  Header-only,
 * as mem.h, so that every library can use it without linking common/.
 */
#ifndef COMMON_FD_H
#define COMMON_FD_H

#include <errno.h>
#include <unistd.h>

/* Close FD keeping errno (the reason the caller gives up on FD), and
 * return -1, for "return fd_close_fail(fd);". */
static inline int
fd_close_fail(int fd)
{
	int e = errno;

	close(fd);
	errno = e;
	return -1;
}

#endif
