/*
 * loop_kqueue.c: kqueue(2) backend for the event loop (BSD, macOS).
 * Built only where meson finds kqueue.
 */
#include <sys/types.h>
#include <sys/event.h>
#include <sys/time.h>

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "loop.h"
#include "loop_backend.h"

#define KQ_BATCH 256

struct be_kq {
	int kq;
	struct kevent ev[KQ_BATCH];
};

static void *
be_kq_init(void)
{
	struct be_kq *b = malloc(sizeof(*b));

	if (b == NULL)
		return NULL;
	if ((b->kq = kqueue()) == -1) {
		free(b);
		return NULL;
	}
	return b;
}

static void
be_kq_fini(void *be)
{
	struct be_kq *b = be;

	close(b->kq);
	free(b);
}

static int
be_kq_mod(void *be, int fd, int old, int events)
{
	struct be_kq *b = be;
	struct kevent ch[2];
	int n = 0;

	if ((old ^ events) & LOOP_READ)
		EV_SET(&ch[n++], fd, EVFILT_READ,
		    (events & LOOP_READ) ? EV_ADD : EV_DELETE, 0, 0, NULL);
	if ((old ^ events) & LOOP_WRITE)
		EV_SET(&ch[n++], fd, EVFILT_WRITE,
		    (events & LOOP_WRITE) ? EV_ADD : EV_DELETE, 0, 0, NULL);
	return n == 0 ? 0 : kevent(b->kq, ch, n, NULL, 0, NULL);
}

static int
be_kq_add(void *be, int fd, int events)
{
	return be_kq_mod(be, fd, 0, events);
}

static int
be_kq_del(void *be, int fd, int old)
{
	return be_kq_mod(be, fd, old, 0);
}

static int
be_kq_wait(void *be, int timeout_ms, loop_ready_fn *ready, void *ctx)
{
	struct be_kq *b = be;
	struct timespec ts, *tsp = NULL;
	int n;

	if (timeout_ms >= 0) {
		ts.tv_sec = timeout_ms / 1000;
		ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000;
		tsp = &ts;
	}
	n = kevent(b->kq, NULL, 0, b->ev, KQ_BATCH, tsp);
	for (int i = 0; i < n; i++)
		ready(ctx, (int)b->ev[i].ident,
		    b->ev[i].filter == EVFILT_WRITE ? LOOP_WRITE : LOOP_READ);
	return n < 0 ? -1 : 0;
}

const struct loop_backend loop_backend_kqueue = {
	"kqueue", be_kq_init, be_kq_fini, be_kq_add, be_kq_mod, be_kq_del,
	be_kq_wait,
};
