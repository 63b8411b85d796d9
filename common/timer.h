/*
 * timer.h: a 4-ary min-heap of timers keyed by monotonic time.
 *
 * Timers are embedded in their owner's structure (no allocation per timer):
 * the heap holds each timer's key (deadline, sequence) beside a pointer to
 * it, so moving through the heap compares keys in the array without
 * touching the timers themselves (a prober with 100,000 traces in flight
 * has as many timers, scattered through memory); each timer knows its
 * heap index so cancel is O(log n), over about half the levels a binary
 * heap has.  Equal deadlines fire in the order they were scheduled (a
 * sequence number breaks ties).  The owner must cancel a timer before
 * freeing the memory it lives in.
 */
#ifndef COMMON_TIMER_H
#define COMMON_TIMER_H

#include <stddef.h>
#include <stdint.h>

#include "monotime.h"

typedef void timer_cb(void *arg);

struct timer {
	struct monotime	 when;	/* deadline; valid while scheduled */
	uint64_t	 seq;	/* tie-break: order of scheduling */
	size_t		 idx;	/* index in heap, TIMER_IDLE if not in one */
	timer_cb	*cb;
	void		*arg;
};

#define TIMER_IDLE SIZE_MAX

struct timer_ent {
	int64_t		 when;	/* the timer's deadline (ns) */
	uint64_t	 seq;
	struct timer	*t;
};

struct timer_heap {
	struct timer_ent *v;
	size_t		  len;
	size_t		  cap;
	uint64_t	  seq;
};

/* Prepare T to call CB(ARG) when it fires; T is not scheduled. */
void timer_init(struct timer *t, timer_cb *cb, void *arg);

/* Nonzero if T is currently scheduled in a heap. */
static inline int
timer_pending(const struct timer *t)
{
	return t->idx != TIMER_IDLE;
}

/* Make H an empty heap. */
void timer_heap_init(struct timer_heap *h);

/* Release H's array; timers still in it become idle. */
void timer_heap_fini(struct timer_heap *h);

/* Schedule (or reschedule) T in H at WHEN.  Returns 0, or -1 with errno
 * ENOMEM if the heap could not grow (T is then left idle). */
int timer_schedule(struct timer_heap *h, struct timer *t, struct monotime when);

/* Remove T from H if it is scheduled; a no-op otherwise. */
void timer_cancel(struct timer_heap *h, struct timer *t);

/* The earliest scheduled timer, or NULL when H is empty. */
static inline struct timer *
timer_heap_peek(const struct timer_heap *h)
{
	return h->len > 0 ? h->v[0].t : NULL;
}

/* Fire every timer whose deadline is at or before NOW, earliest first.
 * A callback may schedule or cancel any timer, including its own; a timer
 * scheduled during this call for a time <= NOW fires in the same call.
 * Returns the number of callbacks made. */
size_t timer_heap_run(struct timer_heap *h, struct monotime now);

#endif
