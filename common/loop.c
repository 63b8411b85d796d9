/*
 * loop.c: the event loop: descriptor table, timers, signals, dispatch.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loop.h"
#include "loop_backend.h"
#include "mem.h"

struct loop_fd {
	int		 fd;
	int		 events;
	int		 dead;		/* deleted; freed after dispatch */
	loop_fd_cb	*cb;
	void		*arg;
	struct loop_fd	*next_dead;
};

struct loop_sig {
	loop_signal_cb	*cb;
	void		*arg;
};

struct loop {
	enum loop_kind		  kind;
	const struct loop_backend *be;
	void			 *bestate;
	struct loop_fd		**fds;		/* indexed by descriptor */
	int			  nfds;		/* size of fds[] */
	int			  nuser;	/* live user descriptors */
	struct loop_fd		 *graveyard;
	struct timer_heap	  timers;
	struct monotime		  now;
	struct monotime		  woke;		/* the last wait returned */
	int64_t			  tick_ns;	/* 0: no minimum */
	int			  busy;		/* the last wait took < a tick */
	int			  stop;
	int			  sigpipe[2];
	struct loop_fd		 *sigfd;
	struct loop_sig		  sigs[NSIG];
	struct loop_clock	  clock;	/* mono NULL: the system's */
};

/*
 * The write end of the signal self-pipe.  A signal handler can reach no
 * context pointer, so this one descriptor is process-wide; only one loop
 * may handle signals at a time.
 */
static volatile sig_atomic_t loop_sigpipe_w = -1;

/* The loop's monotonic time now: its clock's, or the system's. */
static struct monotime
clock_mono(const struct loop *l)
{
	return l->clock.mono != NULL ? l->clock.mono(l->clock.arg) :
	    monotime_now();
}

static const struct {
	enum loop_kind kind;
	const char *name;
} loop_names[] = {
	{ LOOP_EPOLL, "epoll" },
	{ LOOP_KQUEUE, "kqueue" },
	{ LOOP_POLL, "poll" },
	{ LOOP_SELECT, "select" },
};

int
loop_kind_parse(const char *name, enum loop_kind *kind)
{
	for (size_t i = 0; i < sizeof(loop_names) / sizeof(loop_names[0]); i++)
		if (strcmp(name, loop_names[i].name) == 0) {
			*kind = loop_names[i].kind;
			return 0;
		}
	return -1;
}

const char *
loop_kind_name(enum loop_kind kind)
{
	for (size_t i = 0; i < sizeof(loop_names) / sizeof(loop_names[0]); i++)
		if (loop_names[i].kind == kind)
			return loop_names[i].name;
	return "default";
}

static const struct loop_backend *
loop_backend_of(enum loop_kind kind)
{
	switch (kind) {
	case LOOP_DEFAULT:
#if HAVE_EPOLL
		return &loop_backend_epoll;
#elif HAVE_KQUEUE
		return &loop_backend_kqueue;
#else
		return &loop_backend_poll;
#endif
	case LOOP_EPOLL:
#if HAVE_EPOLL
		return &loop_backend_epoll;
#else
		return NULL;
#endif
	case LOOP_KQUEUE:
#if HAVE_KQUEUE
		return &loop_backend_kqueue;
#else
		return NULL;
#endif
	case LOOP_POLL:
		return &loop_backend_poll;
	case LOOP_SELECT:
		return &loop_backend_select;
	}
	return NULL;
}

int
loop_kind_available(enum loop_kind kind)
{
	return loop_backend_of(kind) != NULL;
}

static void
loop_sig_handler(int signo)
{
	int save = errno;
	unsigned char b = (unsigned char)signo;

	if (loop_sigpipe_w != -1)
		(void)!write(loop_sigpipe_w, &b, 1);
	errno = save;
}

static void
loop_sig_read(struct loop_fd *lfd, int fd, int events, void *arg)
{
	struct loop *l = arg;
	unsigned char buf[64];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < n; i++)
			if (buf[i] < NSIG && l->sigs[buf[i]].cb != NULL)
				l->sigs[buf[i]].cb(buf[i], l->sigs[buf[i]].arg);
}

static int
set_nonblock_cloexec(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl == -1 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1)
		return -1;
	return fcntl(fd, F_SETFD, FD_CLOEXEC);
}

struct loop *
loop_new(enum loop_kind kind)
{
	const struct loop_backend *be = loop_backend_of(kind);
	struct loop *l;

	if (be == NULL) {
		errno = ENOSYS;
		return NULL;
	}
	if ((l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	l->kind = kind;
	l->be = be;
	l->sigpipe[0] = l->sigpipe[1] = -1;
	timer_heap_init(&l->timers);
	l->now = clock_mono(l);
	if ((l->bestate = be->init()) == NULL)
		goto fail;
	return l;
fail:
	free(l);
	return NULL;
}

void
loop_free(struct loop *l)
{
	struct loop_fd *d;

	if (l == NULL)
		return;
	for (int s = 1; s < NSIG; s++)
		if (l->sigs[s].cb != NULL)
			signal(s, SIG_DFL);
	if (l->sigpipe[1] != -1) {
		loop_sigpipe_w = -1;
		close(l->sigpipe[0]);
		close(l->sigpipe[1]);
	}
	for (int fd = 0; fd < l->nfds; fd++)
		free(l->fds[fd]);
	while ((d = l->graveyard) != NULL) {
		l->graveyard = d->next_dead;
		free(d);
	}
	free(l->fds);
	timer_heap_fini(&l->timers);
	l->be->fini(l->bestate);
	free(l);
}

enum loop_kind
loop_kind(const struct loop *l)
{
	return l->kind == LOOP_DEFAULT ?
	    (l->be == &loop_backend_poll ? LOOP_POLL :
	    l->be == &loop_backend_select ? LOOP_SELECT :
	    l->be == &loop_backend_epoll ? LOOP_EPOLL : LOOP_KQUEUE) : l->kind;
}

static int
loop_fds_grow(struct loop *l, int fd)
{
	size_t n = (size_t)l->nfds;

	if (mem_grow(&l->fds, &n, (size_t)fd + 1, sizeof(*l->fds), 64) != 0)
		return -1;
	if (n > INT_MAX)
		n = INT_MAX;
	memset(l->fds + l->nfds, 0, (n - (size_t)l->nfds) * sizeof(*l->fds));
	l->nfds = (int)n;
	return 0;
}

static struct loop_fd *
loop_fd_add_internal(struct loop *l, int fd, int events, loop_fd_cb *cb,
    void *arg)
{
	struct loop_fd *lfd;

	if (fd < 0) {
		errno = EBADF;
		return NULL;
	}
	if (fd >= l->nfds && loop_fds_grow(l, fd) == -1)
		return NULL;
	if (l->fds[fd] != NULL) {
		errno = EEXIST;
		return NULL;
	}
	if ((lfd = calloc(1, sizeof(*lfd))) == NULL)
		return NULL;
	if (l->be->add(l->bestate, fd, events) == -1) {
		free(lfd);
		return NULL;
	}
	lfd->fd = fd;
	lfd->events = events;
	lfd->cb = cb;
	lfd->arg = arg;
	l->fds[fd] = lfd;
	return lfd;
}

struct loop_fd *
loop_fd_add(struct loop *l, int fd, int events, loop_fd_cb *cb, void *arg)
{
	struct loop_fd *lfd = loop_fd_add_internal(l, fd, events, cb, arg);

	if (lfd != NULL)
		l->nuser++;
	return lfd;
}

int
loop_fd_set(struct loop *l, struct loop_fd *lfd, int events)
{
	if (lfd->dead) {
		errno = EBADF;
		return -1;
	}
	if (events == lfd->events)
		return 0;
	if (l->be->mod(l->bestate, lfd->fd, lfd->events, events) == -1)
		return -1;
	lfd->events = events;
	return 0;
}

void
loop_fd_del(struct loop *l, struct loop_fd *lfd)
{
	if (lfd == NULL || lfd->dead)
		return;
	(void)l->be->del(l->bestate, lfd->fd, lfd->events);
	l->fds[lfd->fd] = NULL;
	lfd->dead = 1;
	lfd->next_dead = l->graveyard;
	l->graveyard = lfd;
	if (lfd != l->sigfd)
		l->nuser--;
}

int
loop_timer_after(struct loop *l, struct timer *t, int64_t delay_ms)
{
	return timer_schedule(&l->timers, t, monotime_add_ms(l->now, delay_ms));
}

int
loop_timer_at(struct loop *l, struct timer *t, struct monotime when)
{
	return timer_schedule(&l->timers, t, when);
}

void
loop_timer_cancel(struct loop *l, struct timer *t)
{
	timer_cancel(&l->timers, t);
}

int
loop_signal(struct loop *l, int signo, loop_signal_cb *cb, void *arg)
{
	struct sigaction sa;

	if (signo <= 0 || signo >= NSIG || signo > UCHAR_MAX) {
		errno = EINVAL;
		return -1;
	}
	if (l->sigpipe[1] == -1) {
		if (loop_sigpipe_w != -1) {
			errno = EBUSY;	/* another loop owns signals */
			return -1;
		}
		if (pipe(l->sigpipe) == -1)
			return -1;
		if (set_nonblock_cloexec(l->sigpipe[0]) == -1 ||
		    set_nonblock_cloexec(l->sigpipe[1]) == -1 ||
		    (l->sigfd = loop_fd_add_internal(l, l->sigpipe[0],
		    LOOP_READ, loop_sig_read, l)) == NULL) {
			int save = errno;
			close(l->sigpipe[0]);
			close(l->sigpipe[1]);
			l->sigpipe[0] = l->sigpipe[1] = -1;
			errno = save;
			return -1;
		}
		loop_sigpipe_w = l->sigpipe[1];
	}
	l->sigs[signo].cb = cb;
	l->sigs[signo].arg = arg;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = loop_sig_handler;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	return sigaction(signo, &sa, NULL);
}

struct monotime
loop_now(const struct loop *l)
{
	return l->now;
}

void
loop_set_clock(struct loop *l, const struct loop_clock *c)
{
	if (c != NULL)
		l->clock = *c;
	else
		memset(&l->clock, 0, sizeof(l->clock));
	l->now = clock_mono(l);
}

struct timeval
loop_wall(const struct loop *l)
{
	if (l->clock.wall != NULL)
		return l->clock.wall(l->clock.arg);
	return walltime_now();
}

size_t
loop_run_due(struct loop *l)
{
	l->now = clock_mono(l);
	return timer_heap_run(&l->timers, l->now);
}

struct monotime
loop_next_due(const struct loop *l)
{
	const struct timer *t = timer_heap_peek(&l->timers);

	return t != NULL ? t->when : MONOTIME_MAX;
}

void
loop_stop(struct loop *l)
{
	l->stop = 1;
}

static void
loop_ready(void *ctx, int fd, int events)
{
	struct loop *l = ctx;
	struct loop_fd *lfd;

	if (fd < 0 || fd >= l->nfds || (lfd = l->fds[fd]) == NULL ||
	    lfd->dead)
		return;
	lfd->cb(lfd, fd, events, lfd->arg);
}

/* Milliseconds until the next timer (rounded up), -1 if none. */
static int
loop_timeout(struct loop *l)
{
	struct timer *t = timer_heap_peek(&l->timers);
	int64_t ns;

	if (t == NULL)
		return -1;
	ns = monotime_sub_ns(t->when, l->now);
	if (ns <= 0)
		return 0;
	if (ns / 1000000 >= INT_MAX)
		return INT_MAX;
	return (int)((ns + 999999) / 1000000);
}

void
loop_set_tick(struct loop *l, int64_t tick_ns)
{
	l->tick_ns = tick_ns > 0 ? tick_ns : 0;
}

/*
 * Sleep out the rest of the tick that began when the last wait returned,
 * so that what became ready meanwhile is taken in one pass.  Only when
 * busy: after a wait that blocked a tick or more, events are sparse and
 * the next one is taken as soon as it comes.  A signal
 * cuts the sleep short; the self-pipe then wakes the wait at once.
 */
static void
loop_tick_sleep(struct loop *l)
{
	struct monotime until;
	struct timespec ts;
	int64_t left;

	if (l->tick_ns == 0 || !l->busy || l->clock.mono != NULL)
		return;
	until = monotime_add_ns(l->woke, l->tick_ns);
	if ((left = monotime_sub_ns(until, monotime_now())) <= 0)
		return;
	ts.tv_sec = (time_t)(left / 1000000000);
	ts.tv_nsec = (long)(left % 1000000000);
	(void)nanosleep(&ts, NULL);
	l->now = monotime_now();
	timer_heap_run(&l->timers, l->now);
}

int
loop_run(struct loop *l)
{
	struct loop_fd *d;
	struct monotime before;

	l->stop = 0;
	while (!l->stop) {
		l->now = clock_mono(l);
		timer_heap_run(&l->timers, l->now);
		if (l->stop)
			break;
		if (l->nuser == 0 && timer_heap_peek(&l->timers) == NULL)
			break;
		loop_tick_sleep(l);	/* runs the timers then due */
		if (l->stop || (l->nuser == 0 &&
		    timer_heap_peek(&l->timers) == NULL))
			break;
		before = clock_mono(l);
		if (l->be->wait(l->bestate, loop_timeout(l), loop_ready, l)
		    == -1 && errno != EINTR)
			return -1;
		l->woke = clock_mono(l);
		l->busy = monotime_sub_ns(l->woke, before) < l->tick_ns;
		while ((d = l->graveyard) != NULL) {
			l->graveyard = d->next_dead;
			free(d);
		}
	}
	return 0;
}
