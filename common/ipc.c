/*
 * ipc.c: one message (and at most one descriptor) per SEQPACKET datagram.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0		/* callers there ignore SIGPIPE */
#endif
#ifndef MSG_CMSG_CLOEXEC
#define MSG_CMSG_CLOEXEC 0
#endif

/* Room for a few descriptors, so that a peer sending too many is seen
 * (and its descriptors closed) instead of silently truncated. */
#define IPC_MAXFDS	4

union ipc_cmsg {
	struct cmsghdr	hdr;
	char		buf[CMSG_SPACE(sizeof(int) * IPC_MAXFDS)];
};

int
ipc_send(int sock, const void *buf, size_t len, int fd)
{
	struct msghdr msg;
	struct iovec iov;
	union ipc_cmsg cm;
	struct cmsghdr *c;
	ssize_t n;

	memset(&msg, 0, sizeof(msg));
	iov.iov_base = (void *)(uintptr_t)buf;
	iov.iov_len = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (fd >= 0) {
		memset(&cm, 0, sizeof(cm));
		msg.msg_control = cm.buf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int));
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	do
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1;
	if ((size_t)n != len) {
		errno = EMSGSIZE;
		return -1;
	}
	return 0;
}

/* Collect the descriptors in MSG: returns how many were found and stores
 * the first in *FD. Every descriptor after the first is closed. */
static int
take_fds(struct msghdr *msg, int *fd)
{
	struct cmsghdr *c;
	int count = 0;

	*fd = -1;
	for (c = CMSG_FIRSTHDR(msg); c != NULL; c = CMSG_NXTHDR(msg, c)) {
		size_t n;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < n; i++) {
			int x;

			memcpy(&x, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (count++ == 0)
				*fd = x;
			else
				close(x);
		}
	}
	return count;
}

int
ipc_recv(int sock, void *buf, size_t cap, size_t *len, int *fdp)
{
	struct msghdr msg;
	struct iovec iov;
	union ipc_cmsg cm;
	ssize_t n;
	int fd, nfds;

	*len = 0;
	if (fdp != NULL)
		*fdp = -1;
	memset(&msg, 0, sizeof(msg));
	memset(&cm, 0, sizeof(cm));
	iov.iov_base = buf;
	iov.iov_len = cap;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cm.buf;
	msg.msg_controllen = sizeof(cm.buf);
	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1;
	nfds = take_fds(&msg, &fd);
	if ((msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0 || nfds > 1 ||
	    (nfds == 1 && fdp == NULL)) {
		if (fd != -1)
			close(fd);
		errno = (msg.msg_flags & MSG_TRUNC) ? EMSGSIZE : EBADMSG;
		return -1;
	}
	if (n == 0 && nfds == 0)
		return 0;
	*len = (size_t)n;
	if (fdp != NULL)
		*fdp = fd;
	return 1;
}
