/*
 * loop_epoll.c: epoll(7) backend for the event loop (Linux).
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "loop.h"
#include "loop_backend.h"

#define EPOLL_BATCH 256

struct be_epoll {
	int ep;
	struct epoll_event ev[EPOLL_BATCH];
};

static uint32_t
to_epoll(int events)
{
	return ((events & LOOP_READ) ? EPOLLIN : 0) |
	    ((events & LOOP_WRITE) ? EPOLLOUT : 0);
}

static void *
be_epoll_init(void)
{
	struct be_epoll *b = malloc(sizeof(*b));

	if (b == NULL)
		return NULL;
	if ((b->ep = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		free(b);
		return NULL;
	}
	return b;
}

static void
be_epoll_fini(void *be)
{
	struct be_epoll *b = be;

	close(b->ep);
	free(b);
}

static int
be_epoll_ctl(struct be_epoll *b, int op, int fd, int events)
{
	struct epoll_event ev = { .events = to_epoll(events) };

	ev.data.fd = fd;
	return epoll_ctl(b->ep, op, fd, &ev);
}

static int
be_epoll_add(void *be, int fd, int events)
{
	return be_epoll_ctl(be, EPOLL_CTL_ADD, fd, events);
}

static int
be_epoll_mod(void *be, int fd, int old, int events)
{
	return be_epoll_ctl(be, EPOLL_CTL_MOD, fd, events);
}

static int
be_epoll_del(void *be, int fd, int old)
{
	return be_epoll_ctl(be, EPOLL_CTL_DEL, fd, 0);
}

static int
be_epoll_wait(void *be, int timeout_ms, loop_ready_fn *ready, void *ctx)
{
	struct be_epoll *b = be;
	int n = epoll_wait(b->ep, b->ev, EPOLL_BATCH, timeout_ms);

	for (int i = 0; i < n; i++) {
		uint32_t e = b->ev[i].events;
		int events = 0;

		if (e & (EPOLLIN | EPOLLHUP | EPOLLERR))
			events |= LOOP_READ;
		if (e & (EPOLLOUT | EPOLLERR))
			events |= LOOP_WRITE;
		ready(ctx, b->ev[i].data.fd, events);
	}
	return n < 0 ? -1 : 0;
}

const struct loop_backend loop_backend_epoll = {
	"epoll", be_epoll_init, be_epoll_fini, be_epoll_add, be_epoll_mod,
	be_epoll_del, be_epoll_wait,
};
