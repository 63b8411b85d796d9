/*
 * pace.h: the token bucket behind -p.  Pure arithmetic on monotonic
 * times, so it is tested without a clock.
 *
 * Credit accrues with time; each probe costs 1/pps seconds of it.  While
 * probes wait, up to PACE_CATCHUP_MS of credit may build up (a loop that
 * was late sends back to back to catch up); beyond that the schedule is
 * re-based rather than bursting.  When nothing waits, credit is capped at
 * one probe, or at the burst the loop's tick needs (pace_set_burst), so
 * an idle prober does not save up more than one tick's worth.
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
	int64_t		burst_ns;	/* idle cap; at least cost_ns */
	struct monotime	last;
};

/* Start a bucket at PPS (>= 1) with one probe's credit at NOW. */
void pace_init(struct pace *p, uint32_t pps, struct monotime now);

/* Change the rate (as "set pps" does), keeping the credit. */
void pace_set_rate(struct pace *p, uint32_t pps);

/* Let up to BURST_NS of credit (at least one probe) build up while
 * nothing waits: what a loop that wakes once per tick sends at once. */
void pace_set_burst(struct pace *p, int64_t burst_ns);

/* Add the credit earned up to NOW.  WAITING says whether probes are
 * queued (it decides the cap). */
void pace_update(struct pace *p, struct monotime now, int waiting);

/* Take one probe's credit if there is enough: returns 1, else 0. */
int pace_take(struct pace *p);

/* When the next probe's credit will be there (NOW if already). */
struct monotime pace_next(const struct pace *p, struct monotime now);

#endif
