/*
 * sc_ally: Ally over the address pairs of the sets in a file, through a
 * running scamper's control socket (attach mode), results to a warts
 * file; and, with -d, the aliases found in such files.
 *
 * Each pair of a line's set is tested with dealias -m ally, first with
 * UDP probes, then, if those gave no IP-ID series to judge (result
 * none), with TCP ACKs and then ICMP echoes; each address also gets one
 * dealias -m mercator (common source address).  A pair is tested once
 * neither of its addresses is in another measurement and -w seconds
 * have passed since the last measurement of either ended.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <netinet/in.h>

#include "adrv_cli.h"
#include "aliasdrv.h"
#include "drvutil.h"
#include "scamper_file.h"
#include "tbitdrv.h"

static const char *const methods[] = { "udp", "tcp-ack", "icmp-echo" };
#define NMETHODS	3

enum { J_MERC, J_ALLY };

/* Job K's own part (its method and state: jobs.j[K]). */
struct job {
	int		 kind;
	size_t		 a, b;		/* address indices (b: ally) */
};

struct addrst {
	int		 busy;
	time_t		 ready;
};

static struct {
	struct adrv_cli c;
	unsigned	 fudge, wait_probe, attempts, wait, dump;
	int		 nobs, tc;
} o = { .fudge = 200, .wait_probe = 1000, .attempts = 5 };

static struct adrv_sets sets;
static struct addrst *ast;
static struct job *jobs;
static struct adrv_jobs q;
static struct tbitdrv drv;

static void
usage(void)
{
	fprintf(stderr,
	    "usage: sc_ally [-?D] [-a infile] [-o outfile] [-p port] "
	    "[-U unix-socket]\n"
	    "               [-f fudge] [-i probe-wait] [-O options] "
	    "[-q attempts]\n"
	    "               [-t logfile] [-w waittime]\n"
	    "       sc_ally [-d dump-id] [-O options] [file ...]\n"
	    "  -d 1 ally aliases, 2 mercator aliases, 3 both;"
	    " -O nobs, -O tc\n");
}

/* adrv_getopt's OTHER: -O nobs, -O tc. */
static int
other(int c, const char *arg)
{
	if (c != 'O')
		return 1;
	if (strcmp(arg, "nobs") == 0)
		o.nobs = 1;
	else if (strcmp(arg, "tc") == 0)
		o.tc = 1;
	else
		return drv_fail("-O %s: unknown option (nobs, tc)", arg);
	return 0;
}

static int
parse(int argc, char **argv)
{
	const struct adrv_numopt nums[] = {
		{ 'd', 1, 3, &o.dump }, { 'f', 0, 65535, &o.fudge },
		{ 'i', 200, 2000, &o.wait_probe }, { 'q', 2, 255, &o.attempts },
		{ 'w', 0, 86400, &o.wait }
	};
	const struct adrv_opts a = { "?Da:d:f:i:o:O:p:q:t:U:w:", &o.c, 'a',
	    't', nums, ADRV_N(nums), other, usage };

	if (adrv_getopt(argc, argv, &a) == -1)
		return -1;
	return adrv_cli_check(&o.c, o.dump != 0, "-d reads warts files", 'a',
	    usage);
}

/* ---- collecting -------------------------------------------------------- */

static int
make_jobs(void)
{
	size_t n = sets.naddrs;

	for (size_t s = 0; s < sets.nsets; s++) {
		size_t k = sets.sets[s + 1] - sets.sets[s];
		n += k * (k - 1) / 2;
	}
	if (adrv_jobs_alloc(&q, n) == -1)
		return -1;
	if ((jobs = calloc(n + 1, sizeof(*jobs))) == NULL ||
	    (ast = calloc(sets.naddrs + 1, sizeof(*ast))) == NULL)
		return drv_fail("out of memory");
	n = 0;
	for (size_t i = 0; i < sets.naddrs; i++) {
		jobs[n].kind = J_MERC;
		jobs[n++].a = i;
	}
	for (size_t s = 0; s < sets.nsets; s++)
		for (size_t i = sets.sets[s]; i < sets.sets[s + 1]; i++)
			for (size_t j = i + 1; j < sets.sets[s + 1]; j++) {
				jobs[n].kind = J_ALLY;
				jobs[n].a = i;
				jobs[n++].b = j;
			}
	return 0;
}

/* Nonzero if address I may be probed now. */
static int
ready(size_t i, time_t now)
{
	return !ast[i].busy && ast[i].ready <= now;
}

/* Nonzero if job K's addresses may be probed at NOW. */
static int
job_ready(size_t k, time_t now)
{
	const struct job *j = &jobs[k];

	return ready(j->a, now) && (j->kind == J_MERC || ready(j->b, now));
}

static char *
command(size_t k)
{
	const struct job *j = &jobs[k];
	char *s = NULL;
	int n;

	if (j->kind == J_MERC)
		n = asprintf(&s, "dealias -m mercator -U %zu %s", k,
		    sets.addrs[j->a].str);
	else
		n = asprintf(&s, "dealias -m ally -U %zu -W %u -q %u -f %u%s "
		    "-p '-P %s' %s %s", k, o.wait_probe, o.attempts, o.fudge,
		    o.nobs ? " -O nobs" : "", methods[q.j[k].method],
		    sets.addrs[j->a].str, sets.addrs[j->b].str);
	return n < 0 ? NULL : s;
}

/* Job K started: its addresses are busy. */
static void
started(size_t k)
{
	ast[jobs[k].a].busy = 1;
	if (jobs[k].kind == J_ALLY)
		ast[jobs[k].b].busy = 1;
}

/* Job K ended: its addresses rest -w seconds; only ally tries its next
 * method (RETRY). */
static int
ended(size_t k, int retry)
{
	const struct job *j = &jobs[k];
	time_t next = time(NULL) + (time_t)o.wait;

	ast[j->a].busy = 0;
	ast[j->a].ready = next;
	if (j->kind == J_ALLY) {
		ast[j->b].busy = 0;
		ast[j->b].ready = next;
	}
	return retry && j->kind == J_ALLY;
}

static int
collect(void)
{
	char err[512];

	if (adrv_read_sets(o.c.infile, AF_INET, &sets, err, sizeof(err)) == -1)
		return drv_fail("%s", err);
	if (make_jobs() == -1)
		return -1;
	q.nmethods = NMETHODS;
	q.ready = job_ready;
	q.command = command;
	q.started = started;
	q.ended = ended;
	return adrv_jobs_collect(&q, &drv, "sc_ally", &o.c);
}

/* ---- dumping ------------------------------------------------------------ */

static void
dump_one(void *arg, const struct scamper_dealias *d)
{
	struct adrv_pairs *p = arg;
	char a[48], b[48];

	if (d->method == SCAMPER_DEALIAS_METHOD_ALLY && (o.dump & 1) &&
	    d->result == SCAMPER_DEALIAS_RESULT_ALIASES && d->defc >= 2)
		adrv_pairs_add(p, adrv_addr_str(&d->defs[0].dst, a),
		    adrv_addr_str(&d->defs[1].dst, b));
	if (d->method != SCAMPER_DEALIAS_METHOD_MERCATOR || !(o.dump & 2) ||
	    d->result != SCAMPER_DEALIAS_RESULT_ALIASES || d->defc < 1)
		return;
	for (uint32_t i = 0; i < d->probec; i++)
		for (uint16_t r = 0; r < d->probes[i].replyc; r++) {
			const struct scamper_addr *src =
			    &d->probes[i].replies[r].src;
			if (scamper_addr_cmp(src, &d->defs[0].dst) != 0) {
				adrv_pairs_add(p,
				    adrv_addr_str(&d->defs[0].dst, a),
				    adrv_addr_str(src, b));
				return;
			}
		}
}

static int
dump(char **files, int nfiles)
{
	struct adrv_pairs p = { 0 };
	int rc = adrv_each_dealias("sc_ally", files, nfiles, dump_one, &p);

	if (adrv_pairs_print(&p, o.tc, stdout) == -1)
		rc = drv_fail("out of memory");
	adrv_pairs_free(&p);
	return rc;
}

/* After the run (RC): frees what it held. */
static int
finish(int rc)
{
	adrv_sets_free(&sets);
	free(jobs);
	free(q.j);
	free(ast);
	return rc;
}

ADRV_MAIN("sc_ally", parse, &o.dump, dump, collect, finish)
