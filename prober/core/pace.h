/*
 * pace.h: the token bucket behind -p.  Pure arithmetic on monotonic
 * times, so it is tested without a clock.
 *
 * Credit accrues with time; each probe costs 1/pps seconds of it.  While
 * probes wait, up to PACE_CATCHUP_MS of credit may build up (a loop that
 * was late sends back to back to catch up); beyond that the schedule is
 * re-based rather than bursting.  When nothing waits, credit is capped at
 * one probe, so an idle prober does not save up a burst.
 */
#ifndef PROBER_CORE_PACE_H
#define PROBER_CORE_PACE_H

#include <stdint.h>

#include "monotime.h"

#define PACE_CATCHUP_MS 250

struct pace {
	uint32_t	pps;
	int64_t		cost_ns;	/* 1e9 / pps */
	int64_t		credit_ns;
	struct monotime	last;
};

/* Start a bucket at PPS (>= 1) with one probe's credit at NOW. */
void pace_init(struct pace *p, uint32_t pps, struct monotime now);

/* Change the rate (as "set pps" does), keeping the credit. */
void pace_set_rate(struct pace *p, uint32_t pps);

/* Add the credit earned up to NOW.  WAITING says whether probes are
 * queued (it decides the cap). */
void pace_update(struct pace *p, struct monotime now, int waiting);

/* Take one probe's credit if there is enough: returns 1, else 0. */
int pace_take(struct pace *p);

/* When the next probe's credit will be there (NOW if already). */
struct monotime pace_next(const struct pace *p, struct monotime now);

#endif
