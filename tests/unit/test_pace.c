/*
 * test_pace.c: the -p token bucket, on synthetic time (no clock, no
 * timing assertions).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

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
	/* the loop was 5 s late: PACE_CATCHUP_MS worth at 1000 pps */
	ck_assert_uint_eq(pass(&p, 5000, 1), PACE_CATCHUP_MS);
}
END_TEST

/* With the tick's burst set, a pass spends what accrued since the last
 * one (up to PACE_PASS_LATE_MS) and one burst; a loop 5 s late keeps
 * only PACE_CATCHUP_MS of debt, and over its first pass and the
 * following second of passes sends it and that second's probes, no
 * more. */
START_TEST(catchup_spread)
{
	struct pace p;
	uint64_t total, n;

	pace_init(&p, 100000, ms(0));
	pace_set_burst(&p, 2 * 1000000LL);	/* 2 ms: 200 probes */
	(void)pace_take(&p);
	total = pass(&p, 5000, 1);	/* the loop was 5 s late */
	/* at once: the debt, up to PACE_PASS_LATE_MS and a tick of it */
	ck_assert_uint_eq(total, 100 * (PACE_CATCHUP_MS <
	    PACE_PASS_LATE_MS + 2 ? PACE_CATCHUP_MS : PACE_PASS_LATE_MS + 2));
	for (int64_t t = 5002; t <= 6000; t += 2) {	/* a pass a tick */
		n = pass(&p, t, 1);
		ck_assert_uint_le(n, 400);
		total += n;
	}
	/* the capped debt and 1 s at 100,000 per second */
	ck_assert_uint_eq(total, 100 * PACE_CATCHUP_MS + 100000);
}
END_TEST

/* A stall of 100 ms just before a second's end: the next second, its
 * passes a millisecond apart, grants at most PACE_CATCHUP_MS more. */
START_TEST(stall_next_second)
{
	struct pace p;
	uint64_t next = 0;

	pace_init(&p, 200000, ms(0));
	pace_set_burst(&p, 1000000LL);		/* 1 ms: 200 probes */
	for (int64_t t = 0; t <= 900; t++)
		(void)pass(&p, t, 1);
	/* nothing from 900 to 1000 ms; then a second of passes */
	for (int64_t t = 1000; t < 2000; t++)
		next += pass(&p, t, 1);
	ck_assert_uint_le(next, 200000 + 200 * PACE_CATCHUP_MS);
	ck_assert_uint_ge(next, 200000 - 200);
}
END_TEST

/* A loop woken every 4 ms (two 2 ms ticks), or every 10 ms with a 5 ms
 * tick, still gets the whole rate: each pass may spend what accrued since
 * the last. */
START_TEST(late_wakeups_keep_rate)
{
	static const int64_t step[] = { 4, 10 }, tick[] = { 2, 5 };
	struct pace p;

	for (size_t i = 0; i < 2; i++) {
		uint64_t total = 0;

		pace_init(&p, 100000, ms(0));
		pace_set_burst(&p, tick[i] * 1000000LL);
		(void)pace_take(&p);
		for (int64_t t = step[i]; t <= 1000; t += step[i])
			total += pass(&p, t, 1);
		ck_assert_uint_eq(total, 100000);
	}
}
END_TEST

/* A slow rate whose probe costs more than the tick still sends. */
START_TEST(slow_rate_tick)
{
	struct pace p;
	uint64_t total = 0;

	pace_init(&p, 20, ms(0));		/* 50 ms a probe */
	pace_set_burst(&p, 20 * 1000000LL);	/* a 20 ms tick */
	(void)pace_take(&p);
	for (int64_t t = 20; t <= 1000; t += 20)
		total += pass(&p, t, 1);
	ck_assert_uint_eq(total, 20);
}
END_TEST

/* lab-times' case: one ping at the default -p 20 (a 20 ms tick), a probe
 * a second, nothing waiting between.  Every probe may go the moment it
 * wants a token, the first from the start's credit: the debt cap plays
 * no part (a second's delay of the first IPv6 ping there was the lab's
 * neighbour discovery, not the pacer: tests/bench/RESULTS.md, h22cap). */
START_TEST(ping_each_second)
{
	struct pace p;

	pace_init(&p, 20, ms(3));
	pace_set_burst(&p, 20 * 1000000LL);
	for (int64_t t = 3; t <= 20003; t += 1000) {
		pace_update(&p, ms(t), 1);
		ck_assert(pace_ready(&p));
		ck_assert(monotime_cmp(pace_next(&p, ms(t)), ms(t)) == 0);
		ck_assert(pace_take(&p));
		ck_assert(!pace_take(&p));
		pace_update(&p, ms(t), 0);	/* the ping waits its second */
	}
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

/* SCAMPER_PACE_LOG_FD's record: probes per 10 ms bucket, as taken,
 * written at close to the descriptor named; a bad name is refused. */
START_TEST(pace_log)
{
	FILE *f = tmpfile();
	char fdstr[16], line[128];
	unsigned long long probes[3] = { 0 };
	struct pace p;
	int n = 0;

	ck_assert_ptr_nonnull(f);
	snprintf(fdstr, sizeof(fdstr), "%d", dup(fileno(f)));
	pace_init(&p, 1000, ms(0));		/* 1 ms a probe */
	ck_assert_ptr_nonnull(p.log = pace_log_open(fdstr, ms(0)));
	for (int64_t t = 1; t <= 25; t++)	/* 25 ms, a pass each */
		(void)pass(&p, t, 1);
	pace_log_close(p.log, p.taken);
	rewind(f);
	while (n < 3 && fgets(line, sizeof(line), f) != NULL) {
		unsigned long long v[5];
		double mono;

		ck_assert_int_eq(sscanf(line, "%lf %llu %llu %llu %llu %llu",
		    &mono, &probes[n], &v[0], &v[1], &v[2], &v[3]), 6);
		n++;
	}
	ck_assert_int_eq(n, 3);
	/* the first pass (1 ms) takes the start's probe and the next */
	ck_assert_uint_eq(probes[0] + probes[1] + probes[2], p.taken);
	ck_assert_uint_eq(probes[1], 10);
	fclose(f);
	ck_assert_ptr_null(pace_log_open("x9", ms(0)));
	ck_assert_ptr_null(pace_log_open("", ms(0)));
}
END_TEST

CHECK_MAIN("pace", "pace", rate, idle_no_burst, idle_burst, catchup_bounded,
    catchup_spread, stall_next_second, late_wakeups_keep_rate,
    slow_rate_tick, ping_each_second, next_time, pace_log)
