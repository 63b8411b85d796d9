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

struct job {
	int		 kind;
	size_t		 a, b;		/* address indices (b: ally) */
	int		 method;	/* index into methods (ally) */
	int		 busy, done;
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
static size_t njobs, first_open, inflight, last_sent = SIZE_MAX;
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
	if ((jobs = calloc(n + 1, sizeof(*jobs))) == NULL ||
	    (ast = calloc(sets.naddrs + 1, sizeof(*ast))) == NULL)
		return drv_fail("out of memory");
	for (size_t i = 0; i < sets.naddrs; i++) {
		jobs[njobs].kind = J_MERC;
		jobs[njobs++].a = i;
	}
	for (size_t s = 0; s < sets.nsets; s++)
		for (size_t i = sets.sets[s]; i < sets.sets[s + 1]; i++)
			for (size_t j = i + 1; j < sets.sets[s + 1]; j++) {
				jobs[njobs].kind = J_ALLY;
				jobs[njobs].a = i;
				jobs[njobs++].b = j;
			}
	return 0;
}

/* Nonzero if address I may be probed now. */
static int
ready(size_t i, time_t now)
{
	return !ast[i].busy && ast[i].ready <= now;
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
		    o.nobs ? " -O nobs" : "", methods[j->method],
		    sets.addrs[j->a].str, sets.addrs[j->b].str);
	return n < 0 ? NULL : s;
}

static int
want(void *arg, char **cmd)
{
	time_t now = time(NULL);

	(void)arg;
	while (first_open < njobs && jobs[first_open].done)
		first_open++;
	if (first_open == njobs)
		return inflight == 0 ? TBITDRV_DONE : TBITDRV_LATER;
	for (size_t k = first_open; k < njobs; k++) {
		struct job *j = &jobs[k];

		if (j->done || j->busy || !ready(j->a, now) ||
		    (j->kind == J_ALLY && !ready(j->b, now)))
			continue;
		if ((*cmd = command(k)) == NULL)
			return TBITDRV_LATER;
		j->busy = 1;
		ast[j->a].busy = 1;
		if (j->kind == J_ALLY)
			ast[j->b].busy = 1;
		inflight++;
		last_sent = k;
		drv_note("%s", *cmd);
		return TBITDRV_CMD;
	}
	return TBITDRV_LATER;
}

/* Job K's measurement ended with RESULT (-1: refused). */
static void
ended(size_t k, int result)
{
	struct job *j = &jobs[k];
	time_t next = time(NULL) + (time_t)o.wait;

	if (!j->busy)
		return;
	j->busy = 0;
	inflight--;
	ast[j->a].busy = 0;
	ast[j->a].ready = next;
	if (j->kind == J_ALLY) {
		ast[j->b].busy = 0;
		ast[j->b].ready = next;
	}
	if (j->kind == J_ALLY && result == SCAMPER_DEALIAS_RESULT_NONE &&
	    j->method + 1 < NMETHODS) {
		j->method++;
		return;
	}
	j->done = 1;
}

static void
on_dealias(const struct scamper_dealias *d)
{
	if (d->userid < njobs) {
		drv_note("%u: %s", d->userid,
		    scamper_dealias_result_tostr(d->result));
		ended(d->userid, d->result);
	}
}

/* scamper refused the last command sent (commands go one at a time):
 * that job ends without a result. */
static void
on_refused(void)
{
	if (last_sent != SIZE_MAX) {
		jobs[last_sent].method = NMETHODS;
		ended(last_sent, -1);
		last_sent = SIZE_MAX;
	}
}

static int
collect(void)
{
	char err[512];

	if (adrv_read_sets(o.c.infile, AF_INET, &sets, err, sizeof(err)) == -1)
		return drv_fail("%s", err);
	if (make_jobs() == -1)
		return -1;
	return adrv_collect(&drv, "sc_ally", &o.c, want, on_dealias,
	    on_refused);
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

int
main(int argc, char **argv)
{
	int rc;

	drv_prog("sc_ally");
	if (parse(argc, argv) == -1)
		return 1;
	rc = o.dump != 0 ? dump(argv + optind, argc - optind) : collect();
	adrv_sets_free(&sets);
	free(jobs);
	free(ast);
	drv_close();
	return rc == 0 ? 0 : 1;
}
