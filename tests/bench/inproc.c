/*
 * inproc.c: how fast is sc_netsim's simulator without the TUN device?
 * Feeds the same probes as netsim-blaster (IPv4 ICMP echo, TTL 1..16,
 * 1,000 destinations) straight to netsim_input() in a loop; prints
 * packets per second of one core.  A benchmark, not a test.
 *
 * usage: netsim-inproc [-n PACKETS] [-s SEED]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "netsim.h"
#include "ns_pkt.h"

#define NPKT	8192

static uint8_t pkts[NPKT][44];

static void
build(void)
{
	static const uint8_t src[4] = { 198, 51, 100, 1 };

	for (int i = 0; i < NPKT; i++) {
		uint8_t *p = pkts[i], dst[4] = { 198, 18, 0, 0 };
		uint32_t d = (uint32_t)((i % 1000) * 257 % 65536);

		dst[2] = (uint8_t)(d >> 8);
		dst[3] = (uint8_t)d;
		memset(p, 0, sizeof(pkts[i]));
		p[20] = 8;
		wire_set_be16(p + 24, 0x1234);
		wire_set_be16(p + 26, (uint16_t)i);
		wire_set_be16(p + 22, ns_cksum(p + 20, 24, 0));
		ns_build_ip4(p, src, dst, (uint8_t)(1 + i / 1000 % 16), 1,
		    (uint16_t)i, 0, 24);
	}
}

int
main(int argc, char **argv)
{
	struct netsim_params p;
	struct netsim_reply r;
	struct netsim *s;
	struct timespec a, b;
	long n = 20000000, out = 0;
	char err[256];
	double secs;
	int c;

	netsim_params_default(&p);
	while ((c = getopt(argc, argv, "n:s:")) != -1) {
		if (c == 'n')
			n = atol(optarg);
		else if (c == 's')
			p.seed = strtoull(optarg, NULL, 10);
		else {
			fprintf(stderr, "usage: netsim-inproc [-n PACKETS] "
			    "[-s SEED]\n");
			return 2;
		}
	}
	if ((s = netsim_generate(&p, err, sizeof(err))) == NULL) {
		fprintf(stderr, "netsim-inproc: %s\n", err);
		return 1;
	}
	build();
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
	for (long i = 0; i < n; i++)
		out += netsim_input(s, pkts[i % NPKT], 44, i * 1000, &r);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
	secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec -
	    a.tv_nsec) / 1e9;
	printf("packets=%ld replies=%ld cpu_seconds=%.3f pps=%.0f\n", n, out,
	    secs, (double)n / secs);
	netsim_free(s);
	return 0;
}
