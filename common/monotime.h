/*
 * monotime.h: a typed monotonic clock for scheduling, kept apart from the
 * wall clock used only for recorded timestamps.  Wrapping the value in a
 * struct stops the two from being mixed by accident.
 */
#ifndef COMMON_MONOTIME_H
#define COMMON_MONOTIME_H

#include <stdint.h>
#include <sys/time.h>
#include <time.h>

struct monotime {
	int64_t ns;		/* nanoseconds since an arbitrary origin */
};

#define MONOTIME_MAX ((struct monotime){ INT64_MAX })

/* The current monotonic time; never fails on supported systems. */
static inline struct monotime
monotime_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (struct monotime){ (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec };
}

/* T plus MS milliseconds, clamped at MONOTIME_MAX instead of overflowing. */
static inline struct monotime
monotime_add_ms(struct monotime t, int64_t ms)
{
	if (ms > INT64_MAX / 1000000 ||
	    (ms > 0 && t.ns > INT64_MAX - ms * 1000000))
		return MONOTIME_MAX;
	return (struct monotime){ t.ns + ms * 1000000 };
}

/* T plus NS nanoseconds, clamped at MONOTIME_MAX. */
static inline struct monotime
monotime_add_ns(struct monotime t, int64_t ns)
{
	if (ns > 0 && t.ns > INT64_MAX - ns)
		return MONOTIME_MAX;
	return (struct monotime){ t.ns + ns };
}

/* <0, 0 or >0 as A is before, equal to or after B. */
static inline int
monotime_cmp(struct monotime a, struct monotime b)
{
	return (a.ns > b.ns) - (a.ns < b.ns);
}

/* A - B in nanoseconds. */
static inline int64_t
monotime_sub_ns(struct monotime a, struct monotime b)
{
	return a.ns - b.ns;
}

/* Wall-clock time, for timestamps that are recorded in results only. */
static inline struct timeval
walltime_now(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return tv;
}

#endif
