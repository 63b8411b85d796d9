/*
 * test_pace.c: the -p token bucket, on synthetic time (no clock, no
 * timing assertions).
 */
#include <check.h>

#include "pace.h"
#include "../lib/check_table.h"

static struct monotime
ms(int64_t v)
{
	return (struct monotime){ v * 1000000 };
}

/* A pass of the loop at T ms (WAITING: probes were waiting since the
 * last): the bucket updated, then every token it grants taken.  Returns
 * how many it granted. */
static uint64_t
pass(struct pace *p, int64_t t, int waiting)
{
	uint64_t n = 0;

	pace_update(p, ms(t), waiting);
	while (pace_take(p))
		n++;
	return n;
}

/* A pass at T ns: as pass(), on a finer clock. */
static uint64_t
pass_ns(struct pace *p, int64_t t, int waiting)
{
	uint64_t n = 0;

	pace_update(p, (struct monotime){ t }, waiting);
	while (pace_take(p))
		n++;
	return n;
}

/* The tick is one send batch of probes, within its floor and ceiling. */
START_TEST(tick_values)
{
	static const struct { uint32_t pps; int64_t tick; } tab[] = {
		{ 1, PACE_TICK_MAX_NS }, { 1000, PACE_TICK_MAX_NS },
		{ 10000, 6400000 }, { 100000, 640000 }, { 200000, 320000 },
		{ 250000, 256000 }, { 1000000, PACE_TICK_MIN_NS },
	};
	struct pace p;

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		pace_init(&p, tab[i].pps, ms(0));
		ck_assert_msg(pace_tick_ns(&p, 0) == tab[i].tick, "pps %u: %lld",
		    tab[i].pps, (long long)pace_tick_ns(&p, 0));
	}
}
END_TEST

/* A loop that wakes once a tick, on time, sends one batch a pass. */
START_TEST(tick_passes_on_time)
{
	static const uint32_t rates[] = { 10000, 100000, 200000, 250000 };
	struct pace p;

	for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
		int64_t tick;
		uint64_t total = 0;

		pace_init(&p, rates[i], ms(0));
		tick = pace_tick_ns(&p, 0);
		pace_set_burst(&p, tick);
		(void)pace_take(&p);
		for (int64_t t = tick; t <= 1000000000; t += tick) {
			uint64_t n = pass_ns(&p, t, 1);

			ck_assert_uint_eq(n, (uint64_t)(tick / p.cost_ns));
			total += n;
		}
		ck_assert_uint_eq(total, (uint64_t)(1000000000 / tick *
		    (tick / p.cost_ns)));
	}
}
END_TEST

/* Woken late by up to 300 us (pseudo-random, the scheduler), the loop
 * still holds the rate within 1% in every simulated second, and no pass
 * sends more than what accrued since the last one and one batch. */
START_TEST(tick_passes_jittered)
{
	static const uint32_t rates[] = { 10000, 100000, 200000, 250000 };
	struct pace p;

	for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
		uint32_t seed = 12345;
		int64_t tick, t = 0, last = 0, sec_end = 1000000000;
		uint64_t sec = 0;

		pace_init(&p, rates[i], ms(0));
		tick = pace_tick_ns(&p, 0);
		pace_set_burst(&p, tick);
		(void)pace_take(&p);
		while (sec_end <= 5000000000LL) {
			uint64_t n;

			seed = seed * 1103515245u + 12345u;
			t += tick + (int64_t)(seed >> 8) % 300000;
			n = pass_ns(&p, t, 1);
			ck_assert_uint_le(n, (uint64_t)((t - last) /
			    p.cost_ns) + PACE_TICK_PROBES + 1);
			last = t;
			if (t > sec_end) {
				ck_assert_msg(sec >= rates[i] * 99 / 100 &&
				    sec <= rates[i] * 101 / 100,
				    "pps %u: %llu in a second", rates[i],
				    (unsigned long long)sec);
				sec = 0;
				sec_end += 1000000000;
			}
			sec += n;
		}
	}
}
END_TEST

/* The tick follows the rate sent: with fewer probes ready than -p allows
 * it grows back to 200 probes' time at -p (the wake-ups per probe sent
 * stay as they were), and with probes always ready it comes back down to
 * one batch's time. */
START_TEST(tick_follows_rate_sent)
{
	static const struct { uint32_t pps; int64_t slow, fast; } tab[] = {
		{ 10000, 20000000, 6400000 }, { 100000, 2000000, 640000 },
	};
	struct pace p;

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		int64_t t = 0;

		pace_init(&p, tab[i].pps, ms(0));
		ck_assert(pace_tick_ns(&p, 0) == tab[i].fast);
		/* a second of 1 ms passes with 3 probes ready in each */
		for (t = 1000000; t <= 1000000000; t += 1000000) {
			pace_update(&p, (struct monotime){ t }, 1);
			for (int k = 0; k < 3; k++)
				(void)pace_take(&p);
		}
		ck_assert_msg(pace_tick_ns(&p, 0) == tab[i].slow, "pps %u: %lld",
		    tab[i].pps, (long long)pace_tick_ns(&p, 0));
		/* probes left waiting after a pass: a batch's time at -p */
		ck_assert(pace_tick_ns(&p, 1) == tab[i].fast);
		ck_assert(pace_batch_ns(&p) == tab[i].fast);
		/* then always ready: a batch's time again within a second */
		pace_set_burst(&p, pace_tick_ns(&p, 0));
		for (int64_t end = t + 1000000000; t <= end; t += 1000000) {
			(void)pass_ns(&p, t, 1);
			pace_set_burst(&p, pace_tick_ns(&p, 0));
		}
		ck_assert_msg(pace_tick_ns(&p, 0) <= tab[i].fast * 101 / 100,
		    "pps %u: %lld", tab[i].pps, (long long)pace_tick_ns(&p, 0));
	}
}
END_TEST

/* After a pass that left nothing waiting, probes that wake together (a
 * generation of timeouts) leave at most two batches a pass, and the rate
 * is still kept: the credit waits for the following passes. */
START_TEST(no_backlog_no_catchup)
{
	struct pace p;
	uint64_t n, total = 0;

	pace_init(&p, 100000, ms(0));
	pace_set_burst(&p, pace_batch_ns(&p));	/* 640 us: 64 probes */
	(void)pace_take(&p);
	(void)pass_ns(&p, 640000, 1);
	pace_set_backlog(&p, 0);
	n = pass_ns(&p, 2640000, 1);		/* 2 ms later, many ready */
	ck_assert_uint_eq(n, 128);
	pace_set_backlog(&p, 1);
	for (int64_t t = 3280000; t <= 1002640000; t += 640000) {
		n = pass_ns(&p, t, 1);
		ck_assert_uint_le(n, 128);
		total += n;
	}
	/* all the credit of 1.00264 s (and the first probe) went, but for
	 * under a batch still owed: nothing lost, nothing extra */
	ck_assert_uint_le(total + 128 + 65, 100265);
	ck_assert_uint_ge(total + 128 + 65, 100265 - 64);
}
END_TEST

/* Over a simulated second at PPS with probes always waiting, exactly PPS
 * tokens are granted (plus the one the bucket starts with). */
START_TEST(rate)
{
	static const uint32_t rates[] = { 1, 20, 1000, 10000, 100000 };
	struct pace p;

	for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
		uint64_t n = 0;
		pace_init(&p, rates[i], ms(0));
		for (int64_t t = 0; t <= 1000; t++)	/* 1 ms steps */
			n += pass(&p, t, 1);
		ck_assert_msg(n == rates[i] + 1, "pps %u: %llu tokens",
		    rates[i], (unsigned long long)n);
	}
}
END_TEST

START_TEST(idle_no_burst)
{
	struct pace p;

	pace_init(&p, 100, ms(0));
	ck_assert_uint_eq(pass(&p, 5000, 0), 1);	/* idle for 5 s */
}
END_TEST

/* An idle bucket keeps up to the burst set for the loop's tick. */
START_TEST(idle_burst)
{
	struct pace p;

	pace_init(&p, 10000, ms(0));
	pace_set_burst(&p, 5 * 1000000LL);	/* 5 ms: 50 probes */
	ck_assert_uint_eq(pass(&p, 5000, 0), 50);
	pace_set_burst(&p, 1);			/* below one probe: one */
	ck_assert_uint_eq(pass(&p, 6000, 0), 1);
}
END_TEST

START_TEST(catchup_bounded)
{
	struct pace p;

	pace_init(&p, 1000, ms(0));
	(void)pace_take(&p);
	/* the loop was 5 s late: 250 ms worth at 1000 pps */
	ck_assert_uint_eq(pass(&p, 5000, 1), PACE_CATCHUP_MS);
}
END_TEST

/* With the tick's burst set, a pass spends what accrued since the last
 * one (up to PACE_PASS_LATE_MS) and one burst: a loop 5 s late sends 20 ms
 * and one tick's worth at once, then pays the rest of its 250 ms of debt
 * back over the following passes at twice the rate, and a whole second
 * of passes then grants the second's probes and the debt, no more. */
START_TEST(catchup_spread)
{
	struct pace p;
	uint64_t total, n;

	pace_init(&p, 100000, ms(0));
	pace_set_burst(&p, 2 * 1000000LL);	/* 2 ms: 200 probes */
	(void)pace_take(&p);
	total = pass(&p, 5000, 1);	/* the loop was 5 s late */
	ck_assert_uint_eq(total, 2200);		/* 20 ms + 2 ms */
	ck_assert(monotime_cmp(pace_next(&p, ms(5000)), ms(5002)) == 0);
	for (int64_t t = 5002; t <= 6000; t += 2) {	/* a pass a tick */
		n = pass(&p, t, 1);
		ck_assert_uint_le(n, 400);
		total += n;
	}
	/* 250 ms of debt and 1 s at 100,000 per second */
	ck_assert_uint_eq(total, 25000 + 100000);
}
END_TEST

/* A loop woken every 10 ms instead of every 2 ms tick still gets the
 * whole rate: each pass may spend what accrued since the last. */
START_TEST(late_wakeups_keep_rate)
{
	struct pace p;
	uint64_t total = 0;

	pace_init(&p, 100000, ms(0));
	pace_set_burst(&p, 2 * 1000000LL);
	(void)pace_take(&p);
	for (int64_t t = 10; t <= 1000; t += 10)
		total += pass(&p, t, 1);
	ck_assert_uint_eq(total, 100000);
}
END_TEST

START_TEST(next_time)
{
	struct pace p;

	pace_init(&p, 50, ms(0));	/* 20 ms per probe */
	ck_assert(monotime_cmp(pace_next(&p, ms(0)), ms(0)) == 0);
	ck_assert(pace_take(&p));
	ck_assert(!pace_take(&p));
	ck_assert(monotime_cmp(pace_next(&p, ms(0)), ms(20)) == 0);
	pace_update(&p, ms(15), 1);
	ck_assert(monotime_cmp(pace_next(&p, ms(15)), ms(20)) == 0);
	pace_set_rate(&p, 1000);	/* faster: 1 ms per probe */
	ck_assert(pace_take(&p));
	pace_set_rate(&p, 0);		/* clamped to 1 pps */
	ck_assert_uint_eq(p.pps, 1);
}
END_TEST

CHECK_MAIN("pace", "pace", rate, idle_no_burst, idle_burst, catchup_bounded,
    catchup_spread, late_wakeups_keep_rate, next_time, tick_values,
    tick_passes_on_time, tick_passes_jittered, tick_follows_rate_sent, no_backlog_no_catchup)
