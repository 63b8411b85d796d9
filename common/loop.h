/*
 * loop.h: the event loop object, for the prober and the tools that
 * serve sockets (sc_remoted).
 *
 * One loop per process, passed explicitly (there is no global loop).  It
 * watches descriptors through a backend (epoll, kqueue, poll or select),
 * runs timers from a monotonic min-heap, and delivers signals as ordinary
 * callbacks through a self-pipe, so no code runs in signal context except
 * one write(2).  Nothing here blocks except the backend's wait.
 */
#ifndef COMMON_LOOP_H
#define COMMON_LOOP_H

#include "monotime.h"
#include "timer.h"

enum loop_kind {
	LOOP_DEFAULT = 0,	/* the best one this system has */
	LOOP_EPOLL,
	LOOP_KQUEUE,
	LOOP_POLL,
	LOOP_SELECT,
};

#define LOOP_READ	0x1
#define LOOP_WRITE	0x2

struct loop;
struct loop_fd;

typedef void loop_fd_cb(struct loop_fd *lfd, int fd, int events, void *arg);
typedef void loop_signal_cb(int signo, void *arg);

/* Map a name ("epoll", "kqueue", "poll", "select") to a kind.
 * Returns 0, or -1 if the name is not a loop backend at all. */
int loop_kind_parse(const char *name, enum loop_kind *kind);

/* Name of KIND ("epoll", ...). */
const char *loop_kind_name(enum loop_kind kind);

/* Nonzero if KIND was built into this binary and works on this system. */
int loop_kind_available(enum loop_kind kind);

/* Create a loop using KIND.  Returns NULL with errno set on failure
 * (ENOSYS: that backend is not available here).  Caller frees with
 * loop_free(). */
struct loop *loop_new(enum loop_kind kind);

/* Free L; every watched descriptor is forgotten (not closed), every timer
 * becomes idle, signal handlers are restored to their defaults. */
void loop_free(struct loop *l);

/* The backend in use. */
enum loop_kind loop_kind(const struct loop *l);

/* Watch FD for EVENTS (LOOP_READ|LOOP_WRITE).  The handle belongs to the
 * loop; the caller gives it up with loop_fd_del().  Returns NULL with errno
 * set on failure (EEXIST if FD is already watched, EMFILE if the backend
 * cannot hold it). */
struct loop_fd *loop_fd_add(struct loop *l, int fd, int events,
    loop_fd_cb *cb, void *arg);

/* Change the events watched on LFD.  Returns 0 or -1 with errno set. */
int loop_fd_set(struct loop *l, struct loop_fd *lfd, int events);

/* Stop watching LFD.  The handle is freed after the current dispatch, so
 * this is safe inside LFD's own callback.  The descriptor is not closed. */
void loop_fd_del(struct loop *l, struct loop_fd *lfd);

/* Schedule T to fire DELAY_MS milliseconds after the loop's current time.
 * Returns 0 or -1 (ENOMEM). */
int loop_timer_after(struct loop *l, struct timer *t, int64_t delay_ms);

/* Schedule T at the absolute monotonic time WHEN.  Returns 0 or -1. */
int loop_timer_at(struct loop *l, struct timer *t, struct monotime when);

/* Cancel T if scheduled. */
void loop_timer_cancel(struct loop *l, struct timer *t);

/* Deliver SIGNO to CB in the loop.  Returns 0 or -1 with errno set. */
int loop_signal(struct loop *l, int signo, loop_signal_cb *cb, void *arg);

/* The monotonic time cached at the start of this loop iteration. */
struct monotime loop_now(const struct loop *l);

/*
 * The loop's clock: monotonic time for its timers (MONO) and the wall
 * clock results record (WALL).  A loop uses the system's clocks unless it
 * is given others: a test gives a simulated clock and drives the loop
 * with loop_run_due() instead of loop_run() (nothing then sleeps; with a
 * clock of its own loop_run() does not sleep out ticks either).
 */
struct loop_clock {
	struct monotime	(*mono)(void *arg);
	struct timeval	(*wall)(void *arg);	/* NULL: the system's */
	void		 *arg;
};

/* Use clock C (copied) from now on; NULL restores the system's. */
void loop_set_clock(struct loop *l, const struct loop_clock *c);

/* The wall-clock time now, by the loop's clock (for recorded times). */
struct timeval loop_wall(const struct loop *l);

/* One pass without waiting: read the clock and run the timers due by
 * then (loop_stop() is not looked at).  Returns the callbacks made. */
size_t loop_run_due(struct loop *l);

/* When the earliest timer is due, or MONOTIME_MAX if none is set. */
struct monotime loop_next_due(const struct loop *l);

/* Run until loop_stop() is called or nothing is left to wait for (no
 * watched descriptor besides the signal pipe, and no timer).  Returns 0,
 * or -1 with errno set if the backend failed. */
int loop_run(struct loop *l);

/* Let at least TICK_NS nanoseconds pass between two returns from the
 * backend's wait while the loop is busy (0, the default: no minimum).
 * Work that arrives within a tick is then handled together: one wake-up
 * for many replies and timers instead of one each.  Timers fire up to a
 * tick late; nothing is lost. */
void loop_set_tick(struct loop *l, int64_t tick_ns);

/* Make loop_run() return after the current iteration. */
void loop_stop(struct loop *l);

#endif
