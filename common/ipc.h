/*
 * ipc.h: whole messages over an AF_UNIX SOCK_SEQPACKET socket, each
 * carrying at most one descriptor (SCM_RIGHTS).
 *
 * A message is one datagram: it arrives whole or not at all, so framing
 * is the kernel's.  The receiver says whether it accepts a descriptor;
 * an unexpected descriptor, more than one, or a truncated message is an
 * error, never silently ignored.
 */
#ifndef COMMON_IPC_H
#define COMMON_IPC_H

#include <stddef.h>

/* Send the LEN bytes at BUF as one message, with descriptor FD attached
 * when FD >= 0 (FD stays open for the caller).  Never raises SIGPIPE.
 * Returns 0, or -1 with errno set (EAGAIN on a full non-blocking socket,
 * EPIPE if the peer is gone).  Blocks only if SOCK is blocking. */
int ipc_send(int sock, const void *buf, size_t len, int fd);

/* Receive one message of at most CAP bytes into BUF; its length goes to
 * *LEN.  If FDP is not NULL a descriptor may come with it: *FDP is that
 * descriptor (close-on-exec, now the caller's) or -1.  If FDP is NULL a
 * descriptor is an error.  Returns 1 for a message, 0 at end of file, or
 * -1 with errno set: EMSGSIZE if the message was longer than CAP,
 * EBADMSG for an unwanted descriptor or more than one (any received are
 * closed), EAGAIN if nothing is waiting on a non-blocking socket. */
int ipc_recv(int sock, void *buf, size_t cap, size_t *len, int *fdp);

#endif
