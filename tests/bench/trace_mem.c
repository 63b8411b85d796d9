/*
 * trace_mem.c: how many bytes does a trace in flight cost the prober?
 * Starts N traces through the in-process harness (tests/harness: the
 * core, the techniques and sc_netsim's simulator on a simulated clock,
 * no network) towards destinations behind HOPS answering routers that
 * never answer themselves, runs until every trace has started and has
 * recorded its routers' replies (none has finished: each still waits
 * out its silent hops), and reads the heap's bytes in use (mallinfo2:
 * uordblks + hblkhd) before the commands, after queueing them, and then.
 * The harness keeps no probe (harness_set_forget_probes); what it keeps
 * besides the core's is its array of commands (a pointer each, doubled
 * as it grows: counted apart, "harness's own") and the replies not yet
 * delivered (few: routers answer within milliseconds, the silent
 * destinations never).  A benchmark, not a test.
 *
 * With -6 the routers are 2001:2:0:e000::1 ... and the destinations in
 * 2001:2::/64; with -6 -d the routers are 2001:db8:I:I::I instead, which
 * share their first five bytes with the source's (2001:db8::1) and with
 * one another, two with the destination's (IPv6 records keep an address
 * as the bytes it adds to one of those or to the previous record's: -d is
 * the case where that saves least).
 *
 * usage: trace-mem [-6 [-d]] [-n TRACES] [-p PPS] [-h HOPS]
 *            [-c "trace -P METHOD"]
 */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core_int.h"
#include "harness.h"
#include "scamper_trace.h"
#include "trace_int.h"

static size_t
heap_used(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

/* The heap's bytes taken from the system, free chunks and holes
 * included (arena + hblkhd): what the process holds, whoever uses it. */
static size_t
heap_held(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.arena + mi.hblkhd;
}

/* The heap bytes of the harness's command array (none when the counts
 * start): its usable size and glibc malloc's header, 8 bytes for a chunk
 * (usable size 8 mod 16), 16 for whole mmapped pages (0 mod 16). */
static size_t
cmd_array_bytes(const struct harness *h)
{
	void *a = (void *)(uintptr_t)harness_cmd_array(h);
	size_t u;

	if (a == NULL)
		return 0;
	u = malloc_usable_size(a);
	return u % 16 == 8 ? u + 8 : u + 16;
}

/* A line of HOPS routers (203.0.113.1 ..., or 2001:2:0:e000::1 ... if V6,
 * 2001:db8:1:1::1 ... if also FAR) to 198.18.0.0/16 (2001:2::/64),
 * silent. */
static char *
topology(int hops, int v6, int far)
{
	size_t cap = (size_t)hops * 64 + 128, off = 0;
	char *t = malloc(cap);

	if (t == NULL)
		return NULL;
	for (int i = 1; i <= hops; i++)
		if (far)
			off += (size_t)snprintf(t + off, cap - off,
			    "router r%d addr 2001:db8:%d:%d::%d\n", i, i, i,
			    i);
		else
			off += (size_t)snprintf(t + off, cap - off, v6 ?
			    "router r%d addr 2001:2:0:e000::%d\n" :
			    "router r%d addr 203.0.113.%d\n", i, i);
	off += (size_t)snprintf(t + off, cap - off, "path %s",
	    v6 ? "2001:2::/64" : "198.18.0.0/16");
	for (int i = 1; i <= hops; i++)
		off += (size_t)snprintf(t + off, cap - off, " r%d", i);
	snprintf(t + off, cap - off, " dest silent\n");
	return t;
}

static void
sizes(void)
{
	printf("sizeof: task %zu, trace_state %zu, scamper_trace %zu, "
	    "trace_probe %zu, scamper_trace_hop %zu\n",
	    sizeof(struct task), sizeof(struct trace_state),
	    sizeof(struct scamper_trace), sizeof(struct trace_probe),
	    sizeof(struct scamper_trace_hop));
}

int
main(int argc, char **argv)
{
	const char *cmd = "trace -P icmp-paris";
	struct harness *h;
	char err[512], line[256], *topo;
	long n = 20000, pps = 10000, hops = 12, inflight = 0;
	size_t m0, m1, m2, ha, k0, k2;
	int c, v6 = 0, far = 0;

	while ((c = getopt(argc, argv, "6dn:p:h:c:")) != -1) {
		if (c == '6')
			v6 = 1;
		else if (c == 'd')
			far = 1;
		else if (c == 'n')
			n = atol(optarg);
		else if (c == 'p')
			pps = atol(optarg);
		else if (c == 'h')
			hops = atol(optarg);
		else if (c == 'c')
			cmd = optarg;
		else {
			fprintf(stderr, "usage: trace-mem [-6 [-d]] [-n TRACES] "
			    "[-p PPS] [-h HOPS] [-c CMD]\n");
			return 2;
		}
	}
	if (n < 1 || n > 65000 || pps < 1 || hops < 1 || hops > 30 ||
	    (far && !v6)) {
		fprintf(stderr, "trace-mem: -n 1..65000, -p >= 1, -h 1..30, "
		    "-d only with -6\n");
		return 2;
	}
	sizes();
	if ((topo = topology((int)hops, v6, far)) == NULL ||
	    (h = harness_new(topo, err, sizeof(err))) == NULL) {
		fprintf(stderr, "trace-mem: %s\n", topo == NULL ? "no memory" :
		    err);
		return 1;
	}
	harness_set_pps(h, (uint32_t)pps);
	harness_set_forget_probes(h, 1);
	m0 = heap_used();
	k0 = heap_held();
	for (long i = 0; i < n; i++) {
		if (v6)
			snprintf(line, sizeof(line), "%s 2001:2::%lx", cmd,
			    i + 1);
		else
			snprintf(line, sizeof(line), "%s 198.18.%ld.%ld", cmd,
			    (i + 1) / 256, (i + 1) % 256);
		if (harness_command(h, line) == -1) {
			fprintf(stderr, "trace-mem: %s: %s\n", line,
			    harness_error(h));
			return 1;
		}
	}
	m1 = heap_used();
	/* every trace started and its routers answered: HOPS + 1 probes
	 * each at PPS, and 2 s more */
	harness_run_to(h, (int64_t)n * (hops + 1) * 1000000000 / pps +
	    2000000000);
	m2 = heap_used();
	k2 = heap_held();
	ha = cmd_array_bytes(h);
	for (long i = 0; i < n; i++)
		inflight += !harness_finished(h, (int)i);
	printf("traces %ld, in flight %ld, probes %u, replies %u\n", n,
	    inflight, harness_nprobes(h), harness_ndelivered(h));
	printf("queued: %.1f bytes per command\n", (double)(m1 - m0) / n);
	if (inflight < 1)
		inflight = 1;
	printf("in flight: %.1f bytes per trace, %.1f per probe sent\n",
	    (double)(m2 - m0) / inflight,
	    (double)(m2 - m0) / harness_nprobes(h));
	printf("in flight, the prober's: %.1f bytes per trace (less the "
	    "harness's own command array, %.1f)\n",
	    (double)(m2 - m0 - ha) / inflight, (double)ha / inflight);
	printf("heap held (arena + mmapped, free chunks included): %.1f "
	    "bytes per trace\n", (double)(k2 - k0) / inflight);
	harness_free(h);
	free(topo);
	return 0;
}
