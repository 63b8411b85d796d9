/*
 * daemon.h: process chores for long-lived scamper: -D and -e.
 */
#ifndef COMMON_DAEMON_H
#define COMMON_DAEMON_H

#include <sys/types.h>

/* Detach from the terminal: fork (the parent exits 0), setsid, chdir("/"),
 * and point stdin/stdout/stderr at /dev/null.  Returns 0 in the detached
 * child, or -1 with errno set (nothing changed if the fork failed). */
int daemon_detach(void);

/* Write PID and a newline to PATH (created 0644, truncated).  Returns 0 or
 * -1 with errno set.  May block on the file system. */
int daemon_pidfile_write(const char *path, pid_t pid);

/* Write the pid file as daemon_pidfile_write does and return its
 * descriptor, kept open so the file can still be emptied at exit after
 * the process has lost access to the file system.  -1 with errno. */
int daemon_pidfile_open(const char *path, pid_t pid);

/* At exit: remove PATH, or if that is no longer possible (chroot,
 * sandbox) empty it through FD, so no stale pid is left behind.  FD is
 * closed.  Never fails. */
void daemon_pidfile_remove(const char *path, int fd);

#endif
