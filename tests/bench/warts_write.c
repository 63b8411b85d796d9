/*
 * warts_write.c: what does writing a trace as warts cost?  Builds N
 * typical trace results in memory from a fixed seed (12 to 16 hops, one
 * reply each and a second reply at some, some silent hops, ICMP time
 * exceeded and a destination's echo reply, some hops with an MPLS ICMP
 * extension, some traces with a PTR name on a hop; IPv4, or with -6
 * IPv6, or with -m both in turn), then writes them all through the
 * prober's path: a warts scamper_sink on a descriptor (/dev/null, or
 * FILE with -o).  Run it under callgrind for instructions per trace:
 * the building is apart from the writing (see the "write" line, and
 * callgrind's inclusive count of write_all).  Prints the traces, hops
 * and bytes written.  A benchmark, not a test; the bytes of a given
 * seed never change (tests/formats/test_warts_golden.c keeps a hash).
 *
 * usage: warts-write [-6 | -m] [-n TRACES] [-s SEED] [-o FILE]
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scamper_list.h"
#include "scamper_sink.h"
#include "scamper_file.h"
#include "warts_gen.h"

/* Write the N traces at T to S; 0 or -1. */
static int __attribute__((noinline))
write_all(struct scamper_sink *s, struct scamper_trace **t, int n)
{
	for (int i = 0; i < n; i++)
		if (scamper_sink_write(s, SCAMPER_FILE_OBJ_TRACE, t[i]) != 0)
			return -1;
	return scamper_sink_flush(s);
}

int
main(int argc, char **argv)
{
	struct warts_gen g = { .seed = 1, .v6 = 0 };
	const char *out = "/dev/null";
	struct scamper_trace **t;
	struct scamper_sink *s;
	unsigned long hops = 0;
	int c, n = 1000, fd;

	while ((c = getopt(argc, argv, "6mn:s:o:")) != -1) {
		switch (c) {
		case '6': g.v6 = 1; break;
		case 'm': g.v6 = 2; break;
		case 'n': n = atoi(optarg); break;
		case 's': g.seed = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'o': out = optarg; break;
		default:
			fprintf(stderr, "usage: warts-write [-6 | -m] "
			    "[-n TRACES] [-s SEED] [-o FILE]\n");
			return 2;
		}
	}
	if (n < 1 || (t = calloc((size_t)n, sizeof(*t))) == NULL) {
		fprintf(stderr, "warts-write: -n %d: need 1 or more\n", n);
		return 2;
	}
	if (warts_gen_init(&g) != 0)
		return 1;
	for (int i = 0; i < n; i++) {
		if ((t[i] = warts_gen_trace(&g, i)) == NULL) {
			fprintf(stderr, "warts-write: out of memory\n");
			return 1;
		}
		hops += t[i]->hops.hopc;
	}
	if ((fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1 ||
	    (s = scamper_sink_fd(fd, SCAMPER_SINK_WARTS)) == NULL) {
		perror(out);
		return 1;
	}
	if (write_all(s, t, n) != 0) {
		fprintf(stderr, "warts-write: %s\n", scamper_sink_error(s));
		return 1;
	}
	printf("write: traces=%d hops=%lu bytes=%llu\n", n, hops,
	    (unsigned long long)scamper_sink_bytes(s));
	scamper_sink_close(s);
	close(fd);
	for (int i = 0; i < n; i++)
		scamper_trace_free(t[i]);
	free(t);
	warts_gen_clear(&g);
	return 0;
}
