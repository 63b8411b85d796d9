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

/* What a reply's lateness is measured against (run_late.c): when its
 * probe was read, the designed delay, and the probe's destination and
 * TTL (to name the reply in --reply-truth). */
struct reply_meta {
	int64_t		 read_ns;	/* monotonic */
	int64_t		 delay_ns;	/* designed; <= 0: at once */
	uint8_t		 af;		/* 4 or 6; 0 if not IP */
	uint8_t		 ttl;
	uint8_t		 probe_dst[16];
};

/* sc_netsim's own lateness: each reply's send time less its designed one
 * (its probe's read time plus the designed delay). */
struct late_stats {
	uint64_t	 n, early, over_100us, over_1ms;
	int64_t		 sum_ns, max_ns;
};

struct runner {
	struct netsim	*s;
	int		 fd;		/* the TUN device */
	size_t		 mtu;
	struct timer_heap th;		/* delayed replies */
	struct slot	*free_small, *free_large;
	uint64_t	 queued, delayed, write_fail, queue_full;
	FILE		*counters;
	FILE		*ratelog;	/* --rate-log: a line a second */
	FILE		*replylog;	/* --reply-truth: a line a reply */
	int64_t		 rt_off;	/* realtime less monotonic, ns */
	struct late_stats late;
	struct timer	 ratet;
	struct monotime	 start;
	uint64_t	 rate_sec;	/* seconds logged so far */
	/* --poll-us: after a packet read at last_in, the loop keeps looking
	 * for the next without sleeping for poll_ns (0: never) */
	int64_t		 poll_ns;
	struct monotime	 last_in;
	uint64_t	 waits, polls;	/* loop turns that may sleep; not */
	/* send one reply now; the backend may copy it and send it later,
	 * and calls run_sent() with the time it handed it to the kernel */
	void		(*send)(struct runner *, const uint8_t *, size_t,
			    const struct reply_meta *);
	void		*io;		/* backend state */
};

/* Send REP, the answer to the probe PROBE (PLEN bytes) read at NOW, now
 * or schedule it; copies what it keeps. */
void run_reply(struct runner *r, const struct netsim_reply *rep,
    const uint8_t *probe, size_t plen, struct monotime now);

/* Fill M for the answer to PROBE (PLEN bytes), read at NOW, designed to
 * leave DELAY_NS later. */
void run_meta(struct reply_meta *m, const uint8_t *probe, size_t plen,
    struct monotime now, int64_t delay_ns);

/* Count the reply PKT (LEN bytes), described by M, as handed to the
 * kernel at SENT (the clock read just before the write), and log it with
 * --reply-truth. */
void run_sent(struct runner *r, const struct reply_meta *m,
    const uint8_t *pkt, size_t len, struct monotime sent);

/* Print the lateness counters as name=value pairs to F. */
void run_late_print(const struct runner *r, FILE *f);

/* The wait until R's next timer (none past: 0) into TS, returned; NULL
 * when no timer is set. */
struct timespec *run_timeout(struct runner *r, struct timespec *ts);

/* Print the counters (simulator and loop) to r->counters. */
void run_print_counters(struct runner *r);

/* Read pending signals from SFD: SIGUSR1 prints the counters; returns 1
 * when asked to stop (SIGINT, SIGTERM, SIGHUP). */
int run_read_signals(struct runner *r, int sfd);

/* 1 when R's loop should look for packets without sleeping now: within
 * --poll-us of the last packet read. */
int run_polling(const struct runner *r, struct monotime now);

/* The io_uring loop.  Returns 0 when stopped by a signal, -1 on error,
 * -2 (nothing done) when io_uring is not available here. */
int run_uring(struct runner *r, int sfd);

#endif
