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
 *
 * A pass (from one pace_update to the next) may spend, when a burst is
 * set, what accrued since the last pass (up to PACE_PASS_LATE_MS) and one
 * burst more, at least two bursts: a loop woken late by the scheduler
 * keeps the rate, and one that was very late pays its debt back over the
 * following ticks, a burst a pass, instead of
 * sending it all at once (a burst of a quarter second's probes overflows
 * the device's queue, and every probe lost there costs its trace a wait:
 * at -p 100000 that made a whole generation of traces wait out their
 * timeouts together, and the rate fall to near zero every five seconds).
 * After a pass that left nothing waiting (pace_set_backlog), the next
 * makes up no lateness: at most two bursts, whatever woke meanwhile.
 */
#ifndef PROBER_CORE_PACE_H
#define PROBER_CORE_PACE_H

#include <stdint.h>

#include "monotime.h"

#define PACE_CATCHUP_MS 250
#define PACE_PASS_LATE_MS 20	/* lateness one pass may make up at once */

/* The loop's tick: the time PACE_TICK_PROBES probes take at -p while
 * probes wait after a pass, else at the rate the prober is sending
 * (measured over PACE_RATE_WIN_NS windows, smoothed; at most -p), kept
 * within [PACE_TICK_MIN_NS, the time of
 * PACE_TICK_SLOW_PROBES at -p] and [PACE_TICK_FLOOR_NS, PACE_TICK_MAX_NS].
 * A busy prober sends a tick's probes back to back, and whatever reads
 * them (a link, sc_netsim) works through them one at a time, so the last
 * waits for the burst: 64 (one send batch) keeps that under a few
 * hundred microseconds at 100,000 probes a second, where 200 (before)
 * made it about a millisecond.  Following the rate sent, not -p, keeps
 * the wake-ups per probe sent as they were when fewer probes are ready
 * than -p allows (traces waiting for replies): there the tick grows back
 * to the old 200 probes' time at -p.  The floor keeps the loop from
 * waking more than 4,000 times a second (no busy loop); the ceiling
 * bounds timers' lateness. */
#define PACE_TICK_PROBES 64
#define PACE_TICK_SLOW_PROBES 200
#define PACE_TICK_MIN_NS 250000LL	/* 250 us */
#define PACE_TICK_FLOOR_NS 1000000LL	/* 1 ms: the slow tick's floor */
#define PACE_TICK_MAX_NS 20000000LL	/* 20 ms */
#define PACE_RATE_WIN_NS 10000000LL	/* 10 ms */

struct pace {
	uint32_t	pps;
	int64_t		cost_ns;	/* 1e9 / pps */
	int64_t		credit_ns;
	int64_t		burst_ns;	/* idle cap; at least cost_ns */
	int64_t		pass_ns;	/* what this pass may still spend */
	struct monotime	last;
	struct monotime	win_start;	/* the rate sent: this window's */
	uint64_t	win_n;		/* probes taken in it */
	double		sent_pps;	/* smoothed over windows */
	int		backlog;	/* probes waited after the last pass */
};

/* Start a bucket at PPS (>= 1) with one probe's credit at NOW. */
void pace_init(struct pace *p, uint32_t pps, struct monotime now);

/* The loop's tick, in ns (see PACE_TICK_PROBES): one batch's time at -p
 * if BACKLOG (probes still wait after a pass), else one batch's time at
 * the rate P is sending, up to the slow tick. */
int64_t pace_tick_ns(const struct pace *p, int backlog);

/* Say whether probes still wait after this pass: if not, the next pass
 * makes up no lateness (what woke meanwhile leaves a batch a tick). */
void pace_set_backlog(struct pace *p, int backlog);

/* The burst a pass may add and an idle bucket may keep: one batch's
 * time at -p, whatever the tick, so probes that wake together (a
 * generation of timeouts) leave a batch a tick, not a long tick's worth
 * at once. */
int64_t pace_batch_ns(const struct pace *p);

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
