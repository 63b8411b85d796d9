/*
 * pace.h: the token bucket behind -p.  Pure arithmetic on monotonic
 * times, so it is tested without a clock.
 *
 * Credit accrues with time; each probe costs 1/pps seconds of it.  While
 * probes wait, up to PACE_CATCHUP_MS of credit may build up (the debt of
 * a loop that was late); beyond that the schedule is re-based and the
 * probes of a longer stall are never sent.  Stalls measured beside
 * sc_netsim on two cores (tests/bench/pacesim.py replays them) are mostly
 * 10-30 ms (the prober preempted); a cap below them loses their probes,
 * each stall's second low, and 250 ms lets a long stall's debt spill
 * past a second's end, that second up to 25% high.  The replays favour
 * 40-50 ms; lab-times' IPv6 probe a second late, once blamed on a 40 ms
 * cap, was the lab's neighbour discovery (a just-built lab dropped a
 * first solicitation; it failed so with 250 ms too), and the cap plays
 * no part in a probe that waits for nothing (tests/bench/RESULTS.md,
 * h22cap).  When nothing waits, credit
 * is capped at one probe, or at the burst the loop's tick needs
 * (pace_set_burst), so an idle prober does not save up more than one
 * tick's worth.
 *
 * A pass (from one pace_update to the next) may spend, when a burst is
 * set, what accrued since the last pass (up to PACE_PASS_LATE_MS) and one
 * burst more, at least two bursts: a loop woken late by the scheduler
 * keeps the rate, and its debt is paid back over the following ticks, a
 * burst a pass, never at once (a burst of many milliseconds' probes
 * overflows the device's queue, and every probe lost there costs its
 * trace a wait).  Paying back slowly instead (at 0.5% above -p) was
 * tried: each stall of 10-30 ms then left its own second low
 * (tests/bench/RESULTS.md, "the rate in every second").
 */
#ifndef PROBER_CORE_PACE_H
#define PROBER_CORE_PACE_H

#include <stdint.h>

#include "monotime.h"
#include "pacelog.h"

#define PACE_CATCHUP_MS 250	/* the most debt kept (see above) */
#define PACE_PASS_LATE_MS 20	/* lateness one pass may make up at once */

struct pace {
	uint32_t	pps;
	int64_t		cost_ns;	/* 1e9 / pps */
	int64_t		credit_ns;
	int64_t		burst_ns;	/* idle cap; at least cost_ns */
	int64_t		pass_ns;	/* what this pass may still spend */
	struct monotime	last;
	uint64_t	taken;		/* probes taken in all */
	struct pace_log	*log;		/* NULL unless SCAMPER_PACE_LOG */
};

/* Start a bucket at PPS (>= 1) with one probe's credit at NOW. */
void pace_init(struct pace *p, uint32_t pps, struct monotime now);

/* Change the rate (as "set pps" does), keeping the credit. */
void pace_set_rate(struct pace *p, uint32_t pps);

/* Let up to BURST_NS of credit (at least one probe) build up while
 * nothing waits: what a loop that wakes once per tick sends at once. */
void pace_set_burst(struct pace *p, int64_t burst_ns);

/* Add the credit earned up to NOW and begin a pass.  WAITING says
 * whether probes are queued (it decides the cap). */
void pace_update(struct pace *p, struct monotime now, int waiting);

/* Nonzero if a probe may go now (credit, and room in this pass). */
int pace_ready(const struct pace *p);

/* Take one probe's credit if pace_ready: returns 1, else 0. */
int pace_take(struct pace *p);

/* When the next probe may go: NOW if already; the next tick if this
 * pass has spent its share; else when its credit will be there. */
struct monotime pace_next(const struct pace *p, struct monotime now);

#endif
