/*
 * sc_prefixscan: is the link between two addresses adjacent in a
 * traceroute point-to-point?  Through a running scamper's control socket
 * (attach mode), each pair A B of a file gets dealias -m prefixscan: an
 * alias of A searched among the addresses of B's /31 to /X; with ICMP
 * echoes first, then, if those gave nothing to judge (result none), TCP
 * ACKs and then UDP, -w seconds apart.  Results go to a warts file; -r
 * reads such a file and prints the links found.
 */
#include "config.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "adrv_cli.h"
#include "aliasdrv.h"
#include "drvutil.h"
#include "scamper_file.h"
#include "tbitdrv.h"

static const char *const methods[] = { "icmp-echo", "tcp-ack", "udp" };
#define NMETHODS	3


static struct {
	struct adrv_cli c;
	const char	*readfile;
	unsigned	 wait, prefix, dump;	/* dump: -r given */
} o = { .wait = 5, .prefix = 30 };

static struct adrv_sets sets;
static struct adrv_jobs q;
static time_t *ready_at;	/* when job K may run (again) */
static struct tbitdrv drv;

static void
usage(void)
{
	fprintf(stderr,
	    "usage: sc_prefixscan [-D] [-i infile] [-o outfile] [-p port] "
	    "[-l logfile]\n"
	    "                     [-U unix-socket] [-w wait] "
	    "[-x prefixlen]\n"
	    "       sc_prefixscan [-r data-file] [-x prefixlen]\n");
}

/* adrv_getopt's OTHER: -r data-file. */
static int
other(int c, const char *arg)
{
	if (c != 'r')
		return 1;
	o.readfile = arg;
	o.dump = 1;
	return 0;
}

static int
parse(int argc, char **argv)
{
	const struct adrv_numopt nums[] = {
		{ 'w', 0, 3600, &o.wait }, { 'x', 24, 31, &o.prefix }
	};
	const struct adrv_opts a = { "?Di:l:o:p:r:U:w:x:", &o.c, 'i', 'l',
	    nums, ADRV_N(nums), other, usage };

	if (adrv_getopt(argc, argv, &a) == -1)
		return -1;
	if (optind != argc)
		return drv_fail("%s: unexpected argument", argv[optind]);
	return adrv_cli_check(&o.c, o.readfile != NULL,
	    "-r reads a warts file", 'i', usage);
}

/* ---- collecting -------------------------------------------------------- */

static int
job_ready(size_t k, time_t now)
{
	return ready_at[k] <= now;
}

static char *
command(size_t k)
{
	const struct adrv_addr *a = &sets.addrs[sets.sets[k]];
	char *s = NULL;

	if (asprintf(&s, "dealias -m prefixscan -U %zu -p '-P %s' "
	    "%s %s/%u", k, methods[q.j[k].method], a->str, a[1].str, o.prefix) < 0)
		return NULL;
	return s;
}

/* Job K ended: tried again (RETRY) -w seconds from now. */
static int
ended(size_t k, int retry)
{
	if (retry)
		ready_at[k] = time(NULL) + (time_t)o.wait;
	return retry;
}

static int
collect(void)
{
	char err[512];

	if (adrv_read_sets(o.c.infile, AF_INET, &sets, err, sizeof(err)) == -1)
		return drv_fail("%s", err);
	for (size_t s = 0; s < sets.nsets; s++)
		if (sets.sets[s + 1] - sets.sets[s] != 2)
			return drv_fail("%s: line %zu of the addresses: "
			    "expected two addresses (A B), got %zu",
			    o.c.infile, s + 1, sets.sets[s + 1] - sets.sets[s]);
	if (adrv_jobs_alloc(&q, sets.nsets) == -1)
		return -1;
	if ((ready_at = calloc(sets.nsets + 1, sizeof(*ready_at))) == NULL)
		return drv_fail("out of memory");
	q.nmethods = NMETHODS;
	q.ready = job_ready;
	q.command = command;
	q.ended = ended;
	return adrv_jobs_collect(&q, &drv, "sc_prefixscan", &o.c);
}

/* ---- reading ------------------------------------------------------------ */

/* A prefixscan that found an alias: "A B AB/LEN", LEN the prefix of B
 * that holds AB (-x caps it). */
static void
read_one(void *arg, const struct scamper_dealias *d)
{
	const struct scamper_dealias_prefixscan *ps = &d->u.prefixscan;
	char a[48], b[48], ab[48];
	unsigned len;

	(void)arg;
	if (d->method != SCAMPER_DEALIAS_METHOD_PREFIXSCAN ||
	    d->result != SCAMPER_DEALIAS_RESULT_ALIASES ||
	    !scamper_addr_isset(&ps->ab) || ps->ab.len != 4 ||
	    ps->b.len != 4)
		return;
	len = 0;
	for (unsigned i = 0; i < 32; i++) {
		unsigned byte = i / 8, bit = 7 - i % 8;
		if (((ps->ab.addr[byte] ^ ps->b.addr[byte]) >> bit) & 1)
			break;
		len++;
	}
	if (len < o.prefix)
		return;
	printf("%s %s %s/%u\n", adrv_addr_str(&ps->a, a),
	    adrv_addr_str(&ps->b, b), adrv_addr_str(&ps->ab, ab), len);
}

/* The -r run: the data file's prefixscans (no operands). */
static int
dump(char **files, int nfiles)
{
	(void)files;
	(void)nfiles;
	return adrv_each_dealias("sc_prefixscan", (char **)&o.readfile, 1,
	    read_one, NULL);
}

/* After the run (RC): frees what it held. */
static int
finish(int rc)
{
	adrv_sets_free(&sets);
	free(q.j);
	free(ready_at);
	return rc;
}

ADRV_MAIN("sc_prefixscan", parse, &o.dump, dump, collect, finish)
