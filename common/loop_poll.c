/*
 * loop_poll.c: poll(2) backend for the event loop (any POSIX system).
 * A dense pollfd array plus a descriptor -> slot map keeps add, change and
 * remove O(1); wait is O(n) in the number of watched descriptors.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "loop.h"
#include "loop_backend.h"
#include "mem.h"

struct be_poll {
	struct pollfd	*pfd;
	int		 n, cap;
	int		*slot;		/* fd -> index in pfd, -1 if none */
	int		 nslot;
	struct pollfd	*snap;		/* copy polled, so callbacks may edit */
	int		 snapcap;
};

static short
to_poll(int events)
{
	return (short)(((events & LOOP_READ) ? POLLIN : 0) |
	    ((events & LOOP_WRITE) ? POLLOUT : 0));
}

static void *
be_poll_init(void)
{
	return calloc(1, sizeof(struct be_poll));
}

static void
be_poll_fini(void *be)
{
	struct be_poll *b = be;

	free(b->pfd);
	free(b->slot);
	free(b->snap);
	free(b);
}

static int
grow(void **v, int *cap, int need, size_t elem, int fill)
{
	size_t ncap = (size_t)*cap;

	if (need <= *cap)
		return 0;
	if (mem_grow(v, &ncap, (size_t)need, elem, 64) != 0)
		return -1;
	if (ncap > INT_MAX)
		ncap = INT_MAX;
	memset((char *)*v + (size_t)*cap * elem, fill,
	    (ncap - (size_t)*cap) * elem);
	*cap = (int)ncap;
	return 0;
}

static int
be_poll_add(void *be, int fd, int events)
{
	struct be_poll *b = be;

	if (grow((void **)&b->slot, &b->nslot, fd + 1, sizeof(int), 0xff) ==
	    -1 || grow((void **)&b->pfd, &b->cap, b->n + 1,
	    sizeof(struct pollfd), 0) == -1)
		return -1;
	b->pfd[b->n].fd = fd;
	b->pfd[b->n].events = to_poll(events);
	b->pfd[b->n].revents = 0;
	b->slot[fd] = b->n++;
	return 0;
}

static int
be_poll_mod(void *be, int fd, int old, int events)
{
	struct be_poll *b = be;

	b->pfd[b->slot[fd]].events = to_poll(events);
	return 0;
}

static int
be_poll_del(void *be, int fd, int old)
{
	struct be_poll *b = be;
	int i = b->slot[fd];

	b->pfd[i] = b->pfd[--b->n];
	b->slot[b->pfd[i].fd] = i;
	b->slot[fd] = -1;
	return 0;
}

static int
be_poll_wait(void *be, int timeout_ms, loop_ready_fn *ready, void *ctx)
{
	struct be_poll *b = be;
	int n, cnt;

	if (grow((void **)&b->snap, &b->snapcap, b->n, sizeof(struct pollfd),
	    0) == -1)
		return -1;
	cnt = b->n;
	if (cnt > 0)
		memcpy(b->snap, b->pfd, (size_t)cnt * sizeof(struct pollfd));
	if ((n = poll(b->snap, (nfds_t)cnt, timeout_ms)) <= 0)
		return n;
	for (int i = 0; i < cnt && n > 0; i++) {
		short r = b->snap[i].revents;
		int events = 0;

		if (r == 0)
			continue;
		n--;
		if (r & (POLLIN | POLLHUP | POLLERR | POLLNVAL))
			events |= LOOP_READ;
		if (r & (POLLOUT | POLLERR))
			events |= LOOP_WRITE;
		ready(ctx, b->snap[i].fd, events);
	}
	return 0;
}

const struct loop_backend loop_backend_poll = {
	"poll", be_poll_init, be_poll_fini, be_poll_add, be_poll_mod,
	be_poll_del, be_poll_wait,
};
