/*
 * daemon.c: detaching and pid files (see daemon.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"

int
daemon_detach(void)
{
	pid_t pid;
	int fd;

	if ((pid = fork()) == -1)
		return -1;
	if (pid != 0)
		_exit(0);
	if (setsid() == -1)
		return -1;
	if (chdir("/") == -1)
		return -1;
	if ((fd = open("/dev/null", O_RDWR | O_CLOEXEC)) == -1)
		return -1;
	for (int i = 0; i <= 2; i++)
		if (dup2(fd, i) == -1) {
			int save = errno;
			close(fd);
			errno = save;
			return -1;
		}
	if (fd > 2)
		close(fd);
	return 0;
}

int
daemon_pidfile_open(const char *path, pid_t pid)
{
	char buf[32];
	int fd, n, save;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0644);
	if (fd == -1)
		return -1;
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)pid);
	if (write(fd, buf, (size_t)n) != n) {
		save = errno != 0 ? errno : EIO;
		close(fd);
		errno = save;
		return -1;
	}
	return fd;
}

int
daemon_pidfile_write(const char *path, pid_t pid)
{
	int fd = daemon_pidfile_open(path, pid);

	return fd == -1 ? -1 : close(fd);
}

void
daemon_pidfile_remove(const char *path, int fd)
{
	if (unlink(path) == -1 && fd != -1)
		(void)!ftruncate(fd, 0);
	if (fd != -1)
		close(fd);
}
