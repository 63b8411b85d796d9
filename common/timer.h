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
 * breaks ties, across queues and heap; it is 32 bits, renumbered in
 * order before it would wrap).  The owner must cancel a timer before
 * freeing the memory it lives in.
 *
 * A timer is 32 bytes (issue 22: one is held per trace in flight): its
 * callback and argument are one 32-bit "kind", an entry in a process-wide
 * table of (callback, argument's distance from the timer) pairs.  The
 * argument is nearly always the structure the timer is embedded in, so
 * a program has a few dozen kinds however many timers it makes.
 */
#ifndef COMMON_TIMER_H
#define COMMON_TIMER_H

#include <stddef.h>
#include <stdint.h>

#include "monotime.h"

typedef void timer_cb(void *arg);

struct timer {
	struct monotime	 when;	/* deadline; valid while scheduled */
	struct timer	*next;	/* NULL: idle; else heaped, or queued */
	union {
		size_t		 idx;	/* heaped: index in the heap */
		struct timer	*prev;	/* queued: the one before */
	} at;
	uint32_t	 seq;	/* tie-break: order of scheduling */
	uint32_t	 kind;	/* callback and argument (timer_init) */
};

struct timer_ent {
	int64_t		 when;	/* the timer's deadline (ns) */
	uint32_t	 seq;
	struct timer	*t;
};

#define TIMER_NQ 4	/* queues */
#define TIMER_KINDS 4096	/* (callback, distance) pairs, process-wide */

/* A queue: a circular list through the timers from sentinel S, and the
 * key of its head (INT64_MAX when empty) so that finding the earliest
 * timer reads no timer. */
struct timer_queue {
	struct timer	 s;
	int64_t		 head_when;
	uint32_t	 head_seq;
};

struct timer_heap {
	struct timer_ent	*v;
	size_t			 len;	/* timers in the heap */
	size_t			 cap;
	uint32_t		 seq;	/* the next timer's */
	size_t			 n;	/* timers scheduled, heap and queues */
	struct timer_queue	 q[TIMER_NQ];
};

/* Prepare T to call CB(ARG) when it fires; T is not scheduled.  ARG is
 * kept as its distance from T: each distinct (CB, distance) takes one of
 * TIMER_KINDS - 1 entries for the process's life (aborts when they run out),
 * so ARG should be T's container or at a fixed place beside T. */
void timer_init(struct timer *t, timer_cb *cb, void *arg);

/* Nonzero if T has been through timer_init (a zeroed timer has not). */
static inline int
timer_is_init(const struct timer *t)
{
	return t->kind != 0;
}

/* Nonzero if T is currently scheduled. */
static inline int
timer_pending(const struct timer *t)
{
	return t->next != NULL;
}

/* Renumber H's timers' sequence from 0 in their order (what
 * timer_schedule does when the 32-bit sequence would wrap).  Returns 0,
 * or -1 with errno ENOMEM. */
int timer_heap_renumber(struct timer_heap *h);

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
