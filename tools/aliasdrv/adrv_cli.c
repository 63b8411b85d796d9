/*
 * adrv_cli.c: what the alias-resolution drivers' command lines and
 * collecting runs have alike (adrv_cli.h).
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adrv_cli.h"
#include "aliasdrv.h"
#include "drvutil.h"
#include "scamper_file.h"

static struct tbitdrv *cdrv;
static adrv_dealias_cb *dealias_cb;
static adrv_refused_cb *refused_cb;

int
adrv_cli_opt(struct adrv_cli *c, int ch, const char *arg, char inopt,
    char logopt)
{
	if (ch == 'D')
		c->daemon = 1;
	else if (ch == inopt)
		c->infile = arg;
	else if (ch == logopt)
		c->logfile = arg;
	else if (ch == 'o')
		c->outfile = arg;
	else if (ch == 'p' || ch == 'U')
		c->port = arg;
	else
		return 0;
	return 1;
}

int
adrv_num(int c, const char *val, unsigned lo, unsigned hi, unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(val, &end, 10);
	if (errno != 0 || *end != '\0' || end == val || v < lo || v > hi)
		return drv_fail("-%c %s: expected a number from %u to %u", c,
		    val, lo, hi);
	*out = (unsigned)v;
	return 0;
}

/* If CH is one of A's numeric options, ARG checked and stored.  Returns
 * 1 (taken), 0 (not one of them) or -1 (refused, reported). */
static int
numopt(const struct adrv_opts *a, int ch, const char *arg)
{
	for (size_t i = 0; i < a->nnums; i++)
		if (a->nums[i].c == ch)
			return adrv_num(ch, arg, a->nums[i].lo, a->nums[i].hi,
			    a->nums[i].out) == -1 ? -1 : 1;
	return 0;
}

int
adrv_getopt(int argc, char **argv, const struct adrv_opts *a)
{
	int c, rc;

	while ((c = getopt(argc, argv, a->optstring)) != -1) {
		if (adrv_cli_opt(a->cli, c, optarg, a->inopt, a->logopt))
			continue;
		if ((rc = numopt(a, c, optarg)) == 1)
			continue;
		if (rc == 0 && (rc = a->other(c, optarg)) == 1) {
			a->usage();
			return -1;
		}
		if (rc == -1)
			return -1;
	}
	return 0;
}

int
adrv_cli_check(const struct adrv_cli *c, int dumping, const char *dumpwhat,
    char inopt, void (*usage)(void))
{
	if (dumping) {
		if (c->infile != NULL || c->port != NULL || c->outfile != NULL)
			return drv_fail("%s: -%c, -o, -p and -U are for "
			    "collecting", dumpwhat, inopt);
		return 0;
	}
	if (c->infile == NULL || c->outfile == NULL || c->port == NULL) {
		usage();
		return drv_fail("collecting needs -%c, -o and -p or -U",
		    inopt);
	}
	return 0;
}

static void
no_tbit(const struct tbitdrv_result *r)
{
	(void)r;
}

static void
on_record(void *arg, uint16_t type, const uint8_t *b, size_t len)
{
	struct scamper_dealias *d;

	(void)arg;
	if (type != SCAMPER_FILE_OBJ_DEALIAS ||
	    (d = adrv_decode(cdrv->hdr, cdrv->hdrlen, b, len)) == NULL)
		return;
	dealias_cb(d);
	scamper_dealias_free(d);
}

static void
on_refused(void *arg, const char *line)
{
	(void)arg;
	drv_note("refused: %s", line);
	refused_cb();
}

int
adrv_collect(struct tbitdrv *drv, const char *prog, const struct adrv_cli *c,
    tbitdrv_want *want, adrv_dealias_cb *on_dealias,
    adrv_refused_cb *on_refused_last)
{
	cdrv = drv;
	dealias_cb = on_dealias;
	refused_cb = on_refused_last;
	if (c->logfile != NULL && drv_log_create(c->logfile) == -1)
		return -1;
	if (tbitdrv_init(drv, prog, c->port, c->outfile, 0, want, no_tbit,
	    NULL) == -1)
		return -1;
	tbitdrv_single_file(drv);
	tbitdrv_on_record(drv, on_record);
	tbitdrv_on_refused(drv, on_refused);
	if (c->daemon && daemon(1, 0) == -1)
		return drv_fail("daemon: %s", strerror(errno));
	return tbitdrv_run(drv);
}

int
adrv_main(const struct adrv_run *r, int argc, char **argv)
{
	int rc;

	drv_prog(r->prog);
	if (r->parse(argc, argv) == -1)
		return 1;
	rc = *r->dumping ? r->dump(argv + optind, argc - optind) :
	    r->collect();
	drv_close();
	return r->finish(rc) == 0 ? 0 : 1;
}

/* ---- the job list ------------------------------------------------------ */

/* The list being run (adrv_collect's hooks take no argument). */
static struct adrv_jobs *cq;

int
adrv_jobs_alloc(struct adrv_jobs *q, size_t n)
{
	q->n = n;
	q->first_open = q->inflight = 0;
	q->last_sent = SIZE_MAX;
	if ((q->j = calloc(n + 1, sizeof(*q->j))) == NULL)
		return drv_fail("out of memory");
	return 0;
}

static int
jobs_want(void *arg, char **cmd)
{
	struct adrv_jobs *q = cq;
	time_t now = time(NULL);

	(void)arg;
	while (q->first_open < q->n && q->j[q->first_open].done)
		q->first_open++;
	if (q->first_open == q->n)
		return q->inflight == 0 ? TBITDRV_DONE : TBITDRV_LATER;
	for (size_t k = q->first_open; k < q->n; k++) {
		struct adrv_job *j = &q->j[k];

		if (j->done || j->busy || !q->ready(k, now))
			continue;
		if ((*cmd = q->command(k)) == NULL)
			return TBITDRV_LATER;
		j->busy = 1;
		if (q->started != NULL)
			q->started(k);
		q->inflight++;
		q->last_sent = k;
		drv_note("%s", *cmd);
		return TBITDRV_CMD;
	}
	return TBITDRV_LATER;
}

/* Job K's measurement ended with RESULT (-1: refused, never retried). */
static void
job_ended(size_t k, int result)
{
	struct adrv_job *j = &cq->j[k];

	if (!j->busy)
		return;
	j->busy = 0;
	cq->inflight--;
	if (cq->ended(k, result == SCAMPER_DEALIAS_RESULT_NONE &&
	    j->method + 1 < cq->nmethods))
		j->method++;
	else
		j->done = 1;
}

static void
jobs_dealias(const struct scamper_dealias *d)
{
	if (d->userid < cq->n) {
		drv_note("%u: %s", d->userid,
		    scamper_dealias_result_tostr(d->result));
		job_ended(d->userid, d->result);
	}
}

/* scamper refused the last command sent (commands go one at a time):
 * that job ends without a result. */
static void
jobs_refused(void)
{
	if (cq->last_sent != SIZE_MAX) {
		cq->j[cq->last_sent].method = cq->nmethods;
		job_ended(cq->last_sent, -1);
		cq->last_sent = SIZE_MAX;
	}
}

int
adrv_jobs_collect(struct adrv_jobs *q, struct tbitdrv *drv, const char *prog,
    const struct adrv_cli *c)
{
	cq = q;
	return adrv_collect(drv, prog, c, jobs_want, jobs_dealias,
	    jobs_refused);
}
