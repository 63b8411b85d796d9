/*
 * loop_select.c: select(2) backend for the event loop.  Kept for -O select
 * compatibility; it cannot watch descriptors at or above FD_SETSIZE and
 * refuses them with EMFILE rather than corrupting memory.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/select.h>

#include "loop.h"
#include "loop_backend.h"

struct be_select {
	fd_set	rd, wr;
	int	maxfd;		/* highest descriptor watched, -1 if none */
};

static void *
be_select_init(void)
{
	struct be_select *b = malloc(sizeof(*b));

	if (b == NULL)
		return NULL;
	FD_ZERO(&b->rd);
	FD_ZERO(&b->wr);
	b->maxfd = -1;
	return b;
}

static void
be_select_fini(void *be)
{
	free(be);
}

static int
be_select_mod(void *be, int fd, int old, int events)
{
	struct be_select *b = be;

	if (fd >= FD_SETSIZE) {
		errno = EMFILE;
		return -1;
	}
	if (events & LOOP_READ)
		FD_SET(fd, &b->rd);
	else
		FD_CLR(fd, &b->rd);
	if (events & LOOP_WRITE)
		FD_SET(fd, &b->wr);
	else
		FD_CLR(fd, &b->wr);
	return 0;
}

static int
be_select_add(void *be, int fd, int events)
{
	struct be_select *b = be;

	if (be_select_mod(be, fd, 0, events) == -1)
		return -1;
	if (fd > b->maxfd)
		b->maxfd = fd;
	return 0;
}

static int
be_select_del(void *be, int fd, int old)
{
	struct be_select *b = be;

	be_select_mod(be, fd, old, 0);
	while (b->maxfd >= 0 && !FD_ISSET(b->maxfd, &b->rd) &&
	    !FD_ISSET(b->maxfd, &b->wr))
		b->maxfd--;
	return 0;
}

static int
be_select_wait(void *be, int timeout_ms, loop_ready_fn *ready, void *ctx)
{
	struct be_select *b = be;
	fd_set rd = b->rd, wr = b->wr;
	struct timeval tv, *tvp = NULL;
	int n, maxfd = b->maxfd;

	if (timeout_ms >= 0) {
		tv.tv_sec = timeout_ms / 1000;
		tv.tv_usec = (timeout_ms % 1000) * 1000;
		tvp = &tv;
	}
	if ((n = select(maxfd + 1, &rd, &wr, NULL, tvp)) <= 0)
		return n;
	for (int fd = 0; fd <= maxfd && n > 0; fd++) {
		int events = (FD_ISSET(fd, &rd) ? LOOP_READ : 0) |
		    (FD_ISSET(fd, &wr) ? LOOP_WRITE : 0);
		if (events == 0)
			continue;
		n -= (events == (LOOP_READ | LOOP_WRITE)) ? 2 : 1;
		ready(ctx, fd, events);
	}
	return 0;
}

const struct loop_backend loop_backend_select = {
	"select", be_select_init, be_select_fini, be_select_add,
	be_select_mod, be_select_del, be_select_wait,
};
