/*
 * dst_stall.c: the longest single lookup in the packet path's
 * destination table (prober/net/dsttab.c), in the prober's thread CPU
 * time, under the stream of destinations a traceroute at a given rate
 * makes: a new destination every PROBES probes, the others looking up
 * one of the last 200, each learnt for 10 s.  A benchmark, not a test
 * (tests/bench/RESULTS.md, "the stall pairs").
 *
 *   dst-stall [-p PPS] [-s SECONDS] [-k PROBES]
 *
 * Prints per simulated second the longest lookup, the table's size and
 * entries in use, then the mean and the longest.
 */
#include "config.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dsttab.h"

static double
cpu_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

int
main(int argc, char **argv)
{
	long pps = 250000, secs = 60, per = 17, calls = 0;
	double worst = 0, tot = 0;
	struct dsttab d;
	uint32_t id = 0;
	int c;

	while ((c = getopt(argc, argv, "p:s:k:")) != -1) {
		if (c == 'p')
			pps = atol(optarg);
		else if (c == 's')
			secs = atol(optarg);
		else if (c == 'k')
			per = atol(optarg);
		else
			return 2;
	}
	if (pps <= 0 || secs <= 0 || per <= 0 || dsttab_init(&d) == -1)
		return 2;
	for (long s = 0; s < secs; s++) {
		double w = 0;

		for (long k = 0; k < pps; k++) {
			int64_t now = s * 1000000000LL + k * (1000000000LL /
			    pps);
			uint32_t i = k % per == 0 ? id++ :
			    (id > 200 ? id - 1 - (uint32_t)(k * 7919) % 200 : 0);
			uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8 };
			struct dst_ent *e;
			double t0, dt;
			int fresh;

			a[12] = (uint8_t)(i >> 24);
			a[13] = (uint8_t)(i >> 16);
			a[14] = (uint8_t)(i >> 8);
			a[15] = (uint8_t)i;
			t0 = cpu_us();
			if ((e = dsttab_get(&d, AF_INET6, a, now, &fresh)) ==
			    NULL)
				return 1;
			if (fresh) {
				e->state = 1;
				e->until = now + 10000000000LL;
			}
			dt = cpu_us() - t0;
			tot += dt;
			calls++;
			if (dt > w)
				w = dt;
		}
		if (w > worst)
			worst = w;
		printf("second %ld: longest %.0f us, %zu slots, %zu in use\n",
		    s, w, d.n, d.used);
	}
	printf("mean %.3f us (with two clock reads), longest %.0f us\n",
	    tot / (double)calls, worst);
	dsttab_free(&d);
	return 0;
}
