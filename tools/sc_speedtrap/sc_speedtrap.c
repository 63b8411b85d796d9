/*
 * sc_speedtrap: IPv6 alias resolution by induced fragmentation (after
 * Speedtrap, Luckie et al., IMC 2013), through a running scamper's
 * control socket (attach mode).  IPv6 headers carry no IP-ID; a router
 * that sends a fragmented reply numbers it in the fragment header, often
 * from one counter shared by its interfaces.  Every probe here is an
 * ICMP echo of 1300 bytes with -M 1280: scamper first sends each address
 * a Packet Too Big so that its echo replies come back fragmented.
 *
 * Stages (-s stops after one):
 *   classify    each address alone, 4 probes a second apart: does its
 *               fragment identification count (skipped with -I)?
 *   candidates  the counting addresses probed together in rounds
 *               (dealias -m radargun, groups of at most 50, every pair
 *               of groups together): pairs whose merged identifications
 *               are in sequence are candidates;
 *   ally        each candidate pair confirmed with dealias -m ally (5
 *               probes 200 ms apart, steps up to 2000: counters kept
 *               busy by other traffic still pass); the aliases are
 *               appended to -A.
 * The descend, overlap and descend2 stages of the paper's algorithm
 * (which keep the probing linear in the addresses) are not built.
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adrv_cli.h"
#include "aliasdrv.h"
#include "drvutil.h"
#include "scamper_file.h"
#include "tbitdrv.h"

#define PD		"-P icmp-echo -s 1300 -M 1280"
#define GROUP		50
#define U_CLASS		0x40000000u
#define U_CAND		0x80000000u
#define U_ALLY		0xc0000000u
#define U_MASK		0xc0000000u

enum { S_CLASSIFY, S_CANDIDATES, S_ALLY };
enum { C_WAIT, C_BUSY, C_YES, C_NO };

static struct {
	struct adrv_cli c;
	const char	*aliasfile, *skipfile;
	int		 stop, incr, dump;
} o = { .stop = S_ALLY };

static struct adrv_sets sets;
static int *cls;
static size_t next_class, nbusy, ngroups, next_gpair, ngpairs;
static size_t last_sent = SIZE_MAX;
static uint32_t last_uid;
static struct adrv_pairs cands, skip;
static size_t next_cand;
static FILE *aliasfp;
static struct tbitdrv drv;

static void
usage(void)
{
	fprintf(stderr,
	    "usage: sc_speedtrap [-I] [-a addressfile] [-A aliasfile] "
	    "[-l logfile]\n"
	    "                    [-o outfile] [-p port] [-s stop] "
	    "[-S skipfile]\n"
	    "                    [-U unix-socket]\n"
	    "       sc_speedtrap [-d dump] [file ...]\n"
	    "  -s classify, candidates or ally; -d 1 routers, 2 interfaces,"
	    " 3 stages\n");
}

static int
stop_word(const char *w)
{
	static const char *const built[] = { "classify", "candidates",
	    "ally" };

	for (int i = 0; i < 3; i++)
		if (strcmp(w, built[i]) == 0) {
			o.stop = i;
			return 0;
		}
	if (strcmp(w, "descend") == 0 || strcmp(w, "overlap") == 0 ||
	    strcmp(w, "descend2") == 0)
		return drv_fail("-s %s: not implemented (stages built: "
		    "classify, candidates, ally)", w);
	return drv_fail("-s %s: unknown stage (classify, candidates, ally)", w);
}

static int
parse(int argc, char **argv)
{
	int c;

	while ((c = getopt(argc, argv, "?Ia:A:d:l:o:p:s:S:U:")) != -1) {
		if (adrv_cli_opt(&o.c, c, optarg, 'a', 'l'))
			continue;
		switch (c) {
		case 'I': o.incr = 1; break;
		case 'A': o.aliasfile = optarg; break;
		case 'S': o.skipfile = optarg; break;
		case 's':
			if (stop_word(optarg) == -1)
				return -1;
			break;
		case 'd':
			if (strlen(optarg) != 1 || optarg[0] < '1' ||
			    optarg[0] > '3')
				return drv_fail("-d %s: expected 1, 2 or 3",
				    optarg);
			o.dump = optarg[0] - '0';
			break;
		default:
			usage();
			return -1;
		}
	}
	return adrv_cli_check(&o.c, o.dump != 0, "-d reads warts files", 'a',
	    usage);
}

/* ---- collecting -------------------------------------------------------- */

static int
skipped(const char *a, const char *b)
{
	for (size_t i = 0; i < skip.n; i++)
		if ((strcmp(skip.a[i], a) == 0 && strcmp(skip.b[i], b) == 0) ||
		    (strcmp(skip.a[i], b) == 0 && strcmp(skip.b[i], a) == 0))
			return 1;
	return 0;
}

static int
want_class(char **cmd)
{
	for (size_t i = next_class; i < sets.naddrs; i++) {
		if (cls[i] != C_WAIT)
			continue;
		if (asprintf(cmd, "dealias -m radargun -U %u -q 4 -W 1000 "
		    "-r 1000 -p '" PD " -i %s'", U_CLASS | (uint32_t)i,
		    sets.addrs[i].str) < 0)
			return TBITDRV_LATER;
		cls[i] = C_BUSY;
		nbusy++;
		next_class = i + 1;
		return TBITDRV_CMD;
	}
	return nbusy > 0 ? TBITDRV_LATER : -1;
}

/* Append the counting addresses of group G to *CMD (LEN used), counting
 * them in *N.  Returns 0 or -1. */
static int
add_group(char **cmd, size_t *len, size_t g, size_t *n)
{
	for (size_t i = g * GROUP; i < sets.naddrs && i < (g + 1) * GROUP;
	    i++) {
		size_t k;
		char *p;

		if (cls[i] != C_YES)
			continue;
		k = strlen(sets.addrs[i].str) + sizeof(" -p '" PD " -i '");
		if ((p = realloc(*cmd, *len + k + 1)) == NULL)
			return -1;
		*cmd = p;
		*len += (size_t)sprintf(*cmd + *len, " -p '" PD " -i %s'",
		    sets.addrs[i].str);
		(*n)++;
	}
	return 0;
}

/* Group pair number K as (G1, G2); a single group pairs with itself. */
static void
gpair(size_t k, size_t *g1, size_t *g2)
{
	if (ngroups == 1) {
		*g1 = *g2 = 0;
		return;
	}
	for (*g1 = 0; k >= ngroups - 1 - *g1; (*g1)++)
		k -= ngroups - 1 - *g1;
	*g2 = *g1 + 1 + k;
}

static int
want_cand(char **cmd)
{
	while (next_gpair < ngpairs) {
		size_t g1, g2, len, n = 0, k = next_gpair++;
		char *c;

		gpair(k, &g1, &g2);
		if (asprintf(&c, "dealias -m radargun -U %u -q 10 -W 20 "
		    "-r 3000", U_CAND | (uint32_t)k) < 0)
			return TBITDRV_LATER;
		len = strlen(c);
		if (add_group(&c, &len, g1, &n) == -1 ||
		    (g2 != g1 && add_group(&c, &len, g2, &n) == -1)) {
			free(c);
			return TBITDRV_LATER;
		}
		if (n < 2) {
			free(c);	/* nothing to compare */
			continue;
		}
		*cmd = c;
		nbusy++;
		return TBITDRV_CMD;
	}
	return nbusy > 0 ? TBITDRV_LATER : -1;
}

static int
want_ally(char **cmd)
{
	while (next_cand < cands.n) {
		size_t k = next_cand++;

		if (skipped(cands.a[k], cands.b[k]))
			continue;
		if (asprintf(cmd, "dealias -m ally -U %u -W 200 -f 2000 -q 5 -p '"
		    PD "' %s %s", U_ALLY | (uint32_t)k, cands.a[k],
		    cands.b[k]) < 0)
			return TBITDRV_LATER;
		nbusy++;
		return TBITDRV_CMD;
	}
	return nbusy > 0 ? TBITDRV_LATER : TBITDRV_DONE;
}

static int
want(void *arg, char **cmd)
{
	int rc;

	(void)arg;
	if ((rc = want_class(cmd)) != -1)
		goto sent;
	if (o.stop == S_CLASSIFY)
		return TBITDRV_DONE;
	if ((rc = want_cand(cmd)) != -1)
		goto sent;
	if (o.stop == S_CANDIDATES)
		return TBITDRV_DONE;
	rc = want_ally(cmd);
sent:
	if (rc == TBITDRV_CMD) {
		drv_note("%s", *cmd);
		last_sent = 1;
		sscanf(strstr(*cmd, "-U ") + 3, "%u", &last_uid);
	}
	return rc;
}

static void
classified(size_t i, const struct scamper_dealias *d)
{
	struct ipid_rules r = { 1000, 32, 0 };
	struct ipid_sample *v = NULL;
	long n = d != NULL ? adrv_samples(d, &v) : -1;

	if (cls[i] != C_BUSY)
		return;
	cls[i] = n >= 3 && adrv_counter(v, (size_t)n, 0, 3, &r) ? C_YES :
	    C_NO;
	drv_note("%s: %s", sets.addrs[i].str, cls[i] == C_YES ? "counts" :
	    "no counter");
	free(v);
}

/* The candidate pairs of radargun measurement D. */
static void
candidates(const struct scamper_dealias *d)
{
	struct ipid_rules r = { 50000, 32, 0 };
	struct ipid_sample *v = NULL, *w;
	char x[48], y[48];
	long n = adrv_samples(d, &v);

	if (n < 0 || (w = calloc((size_t)n + 1, sizeof(*w))) == NULL) {
		free(v);
		return;
	}
	for (uint32_t a = 0; a < d->defc; a++)
		for (uint32_t b = a + 1; b < d->defc; b++) {
			size_t k = adrv_pick2(v, (size_t)n, a, b, w);

			if (k < 4 || ipid_series(w, k, &r) == IPID_NO)
				continue;
			adrv_addr_str(&d->defs[a].dst, x);
			adrv_addr_str(&d->defs[b].dst, y);
			drv_note("candidate %s %s", x, y);
			adrv_pairs_add(&cands, x, y);
		}
	free(v);
	free(w);
}

static void
finished(uint32_t uid, const struct scamper_dealias *d)
{
	uint32_t k = uid & ~U_MASK;
	char x[48], y[48];

	switch (uid & U_MASK) {
	case U_CLASS:
		if (k < sets.naddrs)
			classified(k, d);
		return;
	case U_CAND:
		nbusy--;
		if (d != NULL)
			candidates(d);
		return;
	case U_ALLY:
		nbusy--;
		if (d != NULL && d->result == SCAMPER_DEALIAS_RESULT_ALIASES &&
		    aliasfp != NULL && d->defc >= 2) {
			fprintf(aliasfp, "%s %s\n",
			    adrv_addr_str(&d->defs[0].dst, x),
			    adrv_addr_str(&d->defs[1].dst, y));
			fflush(aliasfp);
		}
		return;
	}
}

static void
on_dealias(const struct scamper_dealias *d)
{
	if ((d->userid & U_MASK) == U_CLASS && (d->userid & ~U_MASK) <
	    sets.naddrs && cls[d->userid & ~U_MASK] == C_BUSY)
		nbusy--;
	finished(d->userid, d);
}

static void
on_refused(void)
{
	if (last_sent == SIZE_MAX)
		return;
	if ((last_uid & U_MASK) == U_CLASS)
		nbusy--;
	finished(last_uid, NULL);
	last_sent = SIZE_MAX;
}

static int
read_skip(void)
{
	struct adrv_sets s;
	char err[512];

	if (o.skipfile == NULL)
		return 0;
	if (adrv_read_sets(o.skipfile, AF_INET6, &s, err, sizeof(err)) == -1)
		return drv_fail("%s", err);
	for (size_t i = 0; i < s.nsets; i++)
		for (size_t a = s.sets[i]; a < s.sets[i + 1]; a++)
			for (size_t b = a + 1; b < s.sets[i + 1]; b++)
				adrv_pairs_add(&skip, s.addrs[a].str,
				    s.addrs[b].str);
	adrv_sets_free(&s);
	return 0;
}

static int
collect(void)
{
	char err[512];

	if (adrv_read_sets(o.c.infile, AF_INET6, &sets, err, sizeof(err)) ==
	    -1)
		return drv_fail("%s", err);
	if (read_skip() == -1)
		return -1;
	if ((cls = calloc(sets.naddrs + 1, sizeof(*cls))) == NULL)
		return drv_fail("out of memory");
	for (size_t i = 0; o.incr && i < sets.naddrs; i++)
		cls[i] = C_YES;
	ngroups = (sets.naddrs + GROUP - 1) / GROUP;
	ngpairs = ngroups == 1 ? 1 : ngroups * (ngroups - 1) / 2;
	if (o.aliasfile != NULL && (aliasfp = fopen(o.aliasfile, "a")) ==
	    NULL)
		return drv_fail("%s: %s", o.aliasfile, strerror(errno));
	return adrv_collect(&drv, "sc_speedtrap", &o.c, want, on_dealias,
	    on_refused);
}

/* ---- dumping ------------------------------------------------------------ */

struct stage {
	unsigned long	 n, probes;
	struct timeval	 first, last;
};

struct dumpst {
	struct adrv_pairs p;
	struct stage st[3];
};

static void
stage_add(struct stage *s, const struct scamper_dealias *d)
{
	s->n++;
	s->probes += d->probec;
	if (s->first.tv_sec == 0 || timercmp(&d->start, &s->first, <))
		s->first = d->start;
	for (uint32_t i = 0; i < d->probec; i++)
		if (timercmp(&d->probes[i].tx, &s->last, >))
			s->last = d->probes[i].tx;
}

static void
dump_one(void *arg, const struct scamper_dealias *d)
{
	struct dumpst *ds = arg;
	struct ipid_rules r = { 1000, 32, 0 };
	struct ipid_sample *v = NULL;
	char a[48], b[48];
	long n;

	if (d->defc == 0 || d->defs[0].dst.type != SCAMPER_ADDR_IPV6)
		return;
	if (d->method == SCAMPER_DEALIAS_METHOD_ALLY) {
		stage_add(&ds->st[S_ALLY], d);
		if (d->result == SCAMPER_DEALIAS_RESULT_ALIASES && d->defc >= 2)
			adrv_pairs_add(&ds->p, adrv_addr_str(&d->defs[0].dst,
			    a), adrv_addr_str(&d->defs[1].dst, b));
		return;
	}
	if (d->method != SCAMPER_DEALIAS_METHOD_RADARGUN)
		return;
	if (d->defc > 1) {
		stage_add(&ds->st[S_CANDIDATES], d);
		return;
	}
	stage_add(&ds->st[S_CLASSIFY], d);
	if (o.dump != 2 || (n = adrv_samples(d, &v)) < 0)
		return;
	printf("%s %s\n", adrv_addr_str(&d->defs[0].dst, a),
	    n == 0 ? "unresponsive" : ipid_all_zero(v, (size_t)n) ? "zero" :
	    adrv_counter(v, (size_t)n, 0, 3, &r) ? "incr" : "random");
	free(v);
}

static int
dump(char **files, int nfiles)
{
	static const char *const names[] = { "classify", "candidates",
	    "ally" };
	struct dumpst ds;
	int rc;

	memset(&ds, 0, sizeof(ds));
	rc = adrv_each_dealias("sc_speedtrap", files, nfiles, dump_one, &ds);
	if (o.dump == 1)
		adrv_pairs_print(&ds.p, 1, stdout);
	for (int i = 0; o.dump == 3 && i < 3; i++) {
		struct stage *s = &ds.st[i];
		double t = s->n == 0 ? 0 : (double)(s->last.tv_sec -
		    s->first.tv_sec) + (s->last.tv_usec -
		    s->first.tv_usec) / 1e6;
		printf("%s: %lu measurements, %lu probes, %.1f s\n", names[i],
		    s->n, s->probes, t);
	}
	adrv_pairs_free(&ds.p);
	return rc;
}

int
main(int argc, char **argv)
{
	int rc;

	drv_prog("sc_speedtrap");
	if (parse(argc, argv) == -1)
		return 1;
	rc = o.dump != 0 ? dump(argv + optind, argc - optind) : collect();
	adrv_sets_free(&sets);
	adrv_pairs_free(&cands);
	adrv_pairs_free(&skip);
	free(cls);
	drv_close();
	if (aliasfp != NULL && fclose(aliasfp) != 0)
		rc = drv_fail("%s: %s", o.aliasfile, strerror(errno));
	return rc == 0 ? 0 : 1;
}
