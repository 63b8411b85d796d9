/*
 * timer.h: timers keyed by monotonic time: a few FIFO queues beside a
 * 4-ary min-heap.
 *
 * Timers are embedded in their owner's structure (no allocation per timer).
 * Most timers a busy prober schedules are "now + the same delay" (every
 * probe's reply wait): their deadlines come in order, so each goes at the
 * tail of a queue (doubly linked through the timers) whose tail is due no
 * later, in O(1), and cancelling one (every answered probe) unlinks it in
 * O(1) without moving any other.  A timer that fits no queue's tail goes
 * to the heap, which holds each timer's key (deadline, sequence) beside a
 * pointer to it, so moving through the heap compares keys in the array;
 * each heaped timer knows its index so cancel is O(log n).  The earliest
 * timer is the least of the heap's root and the queues' heads.  Equal
 * deadlines fire in the order they were scheduled (a sequence number
 * breaks ties, across queues and heap).  The owner must cancel a timer
 * before freeing the memory it lives in.
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
	struct timer	*next;	/* NULL: idle; else heaped, or queued */
	union {
		size_t		 idx;	/* heaped: index in the heap */
		struct timer	*prev;	/* queued: the one before */
	} at;
	timer_cb	*cb;
	void		*arg;
};

struct timer_ent {
	int64_t		 when;	/* the timer's deadline (ns) */
	uint64_t	 seq;
	struct timer	*t;
};

#define TIMER_NQ 4	/* queues */

/* A queue: a circular list through the timers from sentinel S, and the
 * key of its head (INT64_MAX when empty) so that finding the earliest
 * timer reads no timer. */
struct timer_queue {
	struct timer	 s;
	int64_t		 head_when;
	uint64_t	 head_seq;
};

struct timer_heap {
	struct timer_ent	*v;
	size_t			 len;	/* timers in the heap */
	size_t			 cap;
	uint64_t		 seq;
	size_t			 n;	/* timers scheduled, heap and queues */
	struct timer_queue	 q[TIMER_NQ];
};

/* Prepare T to call CB(ARG) when it fires; T is not scheduled. */
void timer_init(struct timer *t, timer_cb *cb, void *arg);

/* Nonzero if T is currently scheduled. */
static inline int
timer_pending(const struct timer *t)
{
	return t->next != NULL;
}

/* Make H empty.  H must not be moved while timers are scheduled in it. */
void timer_heap_init(struct timer_heap *h);

/* Release H's array; timers still in H become idle. */
void timer_heap_fini(struct timer_heap *h);

/* Schedule (or reschedule) T in H at WHEN.  Returns 0, or -1 with errno
 * ENOMEM if the heap could not grow (T is then left idle). */
int timer_schedule(struct timer_heap *h, struct timer *t, struct monotime when);

/* Remove T from H if it is scheduled; a no-op otherwise. */
void timer_cancel(struct timer_heap *h, struct timer *t);

/* The earliest scheduled timer (the first scheduled of equal deadlines),
 * or NULL when H is empty. */
struct timer *timer_heap_peek(const struct timer_heap *h);

/* Number of timers scheduled in H. */
static inline size_t
timer_heap_count(const struct timer_heap *h)
{
	return h->n;
}

/* Fire every timer whose deadline is at or before NOW, earliest first.
 * A callback may schedule or cancel any timer, including its own; a timer
 * scheduled during this call for a time <= NOW fires in the same call.
 * Returns the number of callbacks made. */
size_t timer_heap_run(struct timer_heap *h, struct monotime now);

#endif
