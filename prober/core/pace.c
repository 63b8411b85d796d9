/*
 * pace.c: the -p token bucket (see pace.h).
 */
#include "pace.h"

void
pace_init(struct pace *p, uint32_t pps, struct monotime now)
{
	pace_set_rate(p, pps);
	p->burst_ns = 0;
	p->pass_ns = INT64_MAX;
	p->credit_ns = p->cost_ns;
	p->last = now;
	p->taken = 0;
	p->log = NULL;
}

void
pace_set_rate(struct pace *p, uint32_t pps)
{
	p->pps = pps > 0 ? pps : 1;
	p->cost_ns = 1000000000LL / p->pps;
	if (p->cost_ns < 1)
		p->cost_ns = 1;
}

void
pace_update(struct pace *p, struct monotime now, int waiting)
{
	int64_t cap = waiting ? (int64_t)PACE_CATCHUP_MS * 1000000 :
	    p->burst_ns;
	int64_t dt = monotime_sub_ns(now, p->last);

	/* a slow rate: a probe and a tick, or passes a tick apart lose
	 * what a probe's wait overshoots */
	if (waiting && cap < p->cost_ns + p->burst_ns)
		cap = p->cost_ns + p->burst_ns;

	if (dt > 0)
		p->credit_ns += dt;
	p->last = now;
	if (p->log != NULL)
		pace_log_pass(p->log, now, p->taken, p->credit_ns);
	if (cap < p->cost_ns)
		cap = p->cost_ns;
	if (p->credit_ns > cap)
		p->credit_ns = cap;
	/* this pass: what accrued since the last one (up to
	 * PACE_PASS_LATE_MS: a loop woken late by the scheduler keeps the
	 * rate) and one tick of the debt; at least two ticks */
	if (p->burst_ns > 0) {
		int64_t late = dt > 0 ? dt : 0;

		if (late > (int64_t)PACE_PASS_LATE_MS * 1000000)
			late = (int64_t)PACE_PASS_LATE_MS * 1000000;
		p->pass_ns = p->burst_ns + late;
		if (p->pass_ns < 2 * p->burst_ns)
			p->pass_ns = 2 * p->burst_ns;
	} else
		p->pass_ns = INT64_MAX;
	if (p->pass_ns < p->cost_ns)
		p->pass_ns = p->cost_ns;
}

void
pace_set_burst(struct pace *p, int64_t burst_ns)
{
	p->burst_ns = burst_ns > 0 ? burst_ns : 0;
}

int
pace_ready(const struct pace *p)
{
	return p->credit_ns >= p->cost_ns && p->pass_ns >= p->cost_ns;
}

int
pace_take(struct pace *p)
{
	if (!pace_ready(p))
		return 0;
	p->credit_ns -= p->cost_ns;
	p->taken++;
	if (p->pass_ns != INT64_MAX)
		p->pass_ns -= p->cost_ns;
	return 1;
}

struct monotime
pace_next(const struct pace *p, struct monotime now)
{
	if (p->credit_ns < p->cost_ns)
		return monotime_add_ns(now, p->cost_ns - p->credit_ns);
	if (p->pass_ns < p->cost_ns)
		return monotime_add_ns(now, p->burst_ns);
	return now;
}
