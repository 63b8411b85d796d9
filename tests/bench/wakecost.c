/*
 * wakecost: the CPU time a wake-up costs the woken process, as
 * getrusage(2) (and so GNU time, tests/bench/run's cpu_s) counts it (a
 * benchmark, not a test; sends nothing).  It sleeps COUNT times for NS
 * nanoseconds (clock_nanosleep), each followed by an epoll_wait(2) that
 * does not block, as the prober's tick does, and prints the process's
 * user+system time per wake-up.
 *
 * usage: cc -O2 -o wakecost tests/bench/wakecost.c; ./wakecost NS COUNT
 */
#include <sys/epoll.h>
#include <sys/resource.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int
main(int argc, char **argv)
{
	struct epoll_event ev[8];
	struct timespec ts;
	struct rusage ru;
	long ns;
	int n, ep;
	double us;

	if (argc != 3 || (ns = atol(argv[1])) <= 0 || ns >= 1000000000 ||
	    (n = atoi(argv[2])) <= 0) {
		fprintf(stderr, "usage: wakecost NS COUNT (0 < NS < 1e9)\n");
		return 2;
	}
	if ((ep = epoll_create1(0)) == -1) {
		perror("epoll_create1");
		return 1;
	}
	ts.tv_sec = 0;
	ts.tv_nsec = ns;
	for (int i = 0; i < n; i++) {
		(void)clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
		(void)epoll_wait(ep, ev, 8, 0);
	}
	if (getrusage(RUSAGE_SELF, &ru) == -1) {
		perror("getrusage");
		return 1;
	}
	us = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
	printf("%d wake-ups every %ld ns: %.2f us of CPU each "
	    "(voluntary context switches %ld)\n", n, ns, us / n,
	    ru.ru_nvcsw);
	return 0;
}
