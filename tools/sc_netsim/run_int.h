/*
 * run_int.h: what sc_netsim's two event loops share (run.c: epoll and
 * read/write; run_uring.c: io_uring).  Not a public interface.
 */
#ifndef NS_RUN_INT_H
#define NS_RUN_INT_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "monotime.h"
#include "netsim.h"
#include "timer.h"

struct slot;

struct runner {
	struct netsim	*s;
	int		 fd;		/* the TUN device */
	size_t		 mtu;
	struct timer_heap th;		/* delayed replies */
	struct slot	*free_small, *free_large;
	uint64_t	 queued, delayed, write_fail, queue_full;
	FILE		*counters;
	FILE		*ratelog;	/* --rate-log: a line a second */
	struct timer	 ratet;
	struct monotime	 start;
	uint64_t	 rate_sec;	/* seconds logged so far */
	/* send one reply now; the backend may copy it and send it later */
	void		(*send)(struct runner *, const uint8_t *, size_t);
	void		*io;		/* backend state */
};

/* Send REP now or schedule it; copies what it keeps. */
void run_reply(struct runner *r, const struct netsim_reply *rep,
    struct monotime now);

/* The wait until R's next timer (none past: 0) into TS, returned; NULL
 * when no timer is set. */
struct timespec *run_timeout(struct runner *r, struct timespec *ts);

/* Print the counters (simulator and loop) to r->counters. */
void run_print_counters(struct runner *r);

/* Read pending signals from SFD: SIGUSR1 prints the counters; returns 1
 * when asked to stop (SIGINT, SIGTERM, SIGHUP). */
int run_read_signals(struct runner *r, int sfd);

/* The io_uring loop.  Returns 0 when stopped by a signal, -1 on error,
 * -2 (nothing done) when io_uring is not available here. */
int run_uring(struct runner *r, int sfd);

#endif
