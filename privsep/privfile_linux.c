/*
 * privfile_linux.c: files below a directory with openat2(2)
 * (RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS, O_NOFOLLOW), with the
 * process's own credentials: every permission check, on each directory
 * of the path and on the file itself, is the kernel's, for that user.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <linux/openat2.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "priv_proto.h"
#include "privfile.h"

/* Open PATH below DIRFD. */
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
privfile_open(int dirfd, const char *path, int mode)
{
	struct stat st;
	int fd, e;

	if (path[0] == '/') {
		errno = EXDEV;
		return -1;
	}
	/* O_NONBLOCK: a FIFO must not hang the file server; it is refused
	 * below like every other file that is not regular */
	if ((fd = open_beneath(dirfd, path, mode)) == -1)
		return -1;
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
