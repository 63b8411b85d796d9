/*
 * stamp.h: recorded times.  A probe's send time and a reply's receive
 * time are wall-clock (CLOCK_REALTIME) instants in nanoseconds, as the
 * kernel stamps packets; they stay at that precision until a result is
 * written, and each says where it came from.  Typed apart from the
 * monotonic scheduling clock (monotime.h) so the two are never mixed.
 */
#ifndef COMMON_STAMP_H
#define COMMON_STAMP_H

#include <stdint.h>
#include <sys/time.h>
#include <time.h>

struct stamp {
	int64_t	ns;		/* since the epoch; 0 = none */
};

/* Where a recorded time came from. */
enum stamp_src {
	STAMP_BEFORE = 0,	/* our clock, read before the event */
	STAMP_KERNEL,		/* the kernel's software timestamp */
	STAMP_DL,		/* the datalink's timestamp (-O dl) */
};

/* The wall clock now. */
static inline struct stamp
stamp_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (struct stamp){ (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec };
}

static inline struct stamp
stamp_of_ts(const struct timespec *ts)
{
	return (struct stamp){ (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec };
}

static inline struct stamp
stamp_of_tv(const struct timeval *tv)
{
	return (struct stamp){ (int64_t)tv->tv_sec * 1000000000 +
	    (int64_t)tv->tv_usec * 1000 };
}

/* S as a timeval, the microsecond it falls in (what results record). */
static inline struct timeval
stamp_tv(struct stamp s)
{
	int64_t sec = s.ns / 1000000000, ns = s.ns % 1000000000;
	struct timeval tv;

	if (ns < 0) {
		sec--;
		ns += 1000000000;
	}
	tv.tv_sec = (time_t)sec;
	tv.tv_usec = (suseconds_t)(ns / 1000);
	return tv;
}

/* B - A in nanoseconds (negative if B is before A). */
static inline int64_t
stamp_sub_ns(struct stamp b, struct stamp a)
{
	return b.ns - a.ns;
}

/* NS rounded to the nearest microsecond, halves away from zero. */
static inline int64_t
stamp_ns_to_us(int64_t ns)
{
	return ns >= 0 ? (ns + 500) / 1000 : -((-ns + 500) / 1000);
}

/* Short names for logs: "kernel", "datalink", "before-send". */
static inline const char *
stamp_src_name(enum stamp_src s)
{
	return s == STAMP_KERNEL ? "kernel" : s == STAMP_DL ? "datalink" :
	    "before-send";
}

#endif
