/*
 * daemon.h: process chores for long-lived scamper: -D and -e.
 */
#ifndef PROBER_DAEMON_H
#define PROBER_DAEMON_H

#include <sys/types.h>

/* Detach from the terminal: fork (the parent exits 0), setsid, chdir("/"),
 * and point stdin/stdout/stderr at /dev/null.  Returns 0 in the detached
 * child, or -1 with errno set (nothing changed if the fork failed). */
int daemon_detach(void);

/* Write PID and a newline to PATH (created 0644, truncated).  Returns 0 or
 * -1 with errno set.  May block on the file system. */
int daemon_pidfile_write(const char *path, pid_t pid);

#endif
