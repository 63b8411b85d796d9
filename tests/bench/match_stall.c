/*
 * match_stall.c: the longest single add to the reply table
 * (prober/net/match.c), in the thread's CPU time, as traces come and go:
 * flows added one after another, the oldest deleted once N are in, with
 * a lookup per add.  A benchmark, not a test (tests/bench/RESULTS.md,
 * "the wake-up and the cold misses", h22miss).
 *
 *   match-stall [-n IN_FLIGHT] [-a ADDS]
 *
 * Prints the table's growths' longest add, the mean add, and the
 * longest add that did not grow it.
 */
#include "config.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "match.h"

static double
cpu_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

/* Flow I's key: an address in 198.18.0.0/15, a port from I. */
static void
flow_key(struct match_key *k, long i)
{
	memset(k, 0, sizeof(*k));
	k->af = AF_INET;
	k->proto = IPPROTO_UDP;
	k->id = (uint16_t)(i * 7919);
	k->dst[0] = 198;
	k->dst[1] = (uint8_t)(18 + ((i >> 16) & 1));
	k->dst[2] = (uint8_t)(i >> 8);
	k->dst[3] = (uint8_t)i;
}

int
main(int argc, char **argv)
{
	long n = 100000, adds = 1000000, c;
	double worst = 0, tot = 0;
	struct match_table *t = match_new();
	struct match_entry *e;

	while ((c = getopt(argc, argv, "n:a:")) != -1) {
		if (c == 'n')
			n = atol(optarg);
		else if (c == 'a')
			adds = atol(optarg);
		else
			return 2;
	}
	if (t == NULL || n <= 0 || adds < n || n > 131072 ||
	    (e = calloc((size_t)n, sizeof(*e))) == NULL)
		return 2;
	for (long i = 0; i < adds; i++) {
		struct match_entry *x = &e[i % n];
		double t0, dt;

		if (x->linked)
			match_del(t, x);
		flow_key(&x->key, i);
		t0 = cpu_us();
		if (match_add(t, x) == -1)
			return 1;
		dt = cpu_us() - t0;
		tot += dt;
		if (dt > worst)
			worst = dt;
		if (match_find(t, &e[(i * 31) % n].key) == NULL &&
		    i >= n)
			return 1;
	}
	printf("adds %ld in flight %ld: mean %.3f us, longest %.1f us\n",
	    adds, n, tot / adds, worst);
	match_free(t);
	free(e);
	return 0;
}
