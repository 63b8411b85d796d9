/*
 * sc_radargun: Radargun over sets of IPv4 addresses through a running
 * scamper's control socket (attach mode), results to a warts file; and,
 * with -d, the inference from such a file's samples.
 *
 * Collecting: every address is classified first, one at a time per
 * address: -q probes one second apart (dealias -m radargun over that one
 * address) with UDP, then, if its IP-IDs did not come from a counter,
 * TCP ACKs, then ICMP echoes.  Then the addresses whose IP-IDs count
 * (with the method that showed it) get one radargun measurement: all of
 * them together, or, with -O rows, each line's set on its own: -R
 * rounds, each aiming to last -r seconds.  Unless -O nobudget, a set
 * whose rounds cannot fit the -P packets per second is refused.
 *
 * Inference (-d 1): two addresses of one radargun measurement are
 * aliases when their samples, merged in the order the probes were sent,
 * pass the monotonic bounds test: every step from one sample to the
 * next is an increase of 1 to the fudge (-f; 0: in order), byte-swapped
 * only when each address shows a swapped counter by its own samples.
 * Each address must have at least half the rounds' samples.
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
#define CLASS_BASE	0x80000000u	/* userids of classifications */

enum { C_WAIT, C_BUSY, C_YES, C_NO };

struct addrst {
	int		 state;
	int		 method;
};

static struct {
	struct adrv_cli c;
	unsigned	 fudge, attempts, wait_round, rounds, pps, dump;
	int		 nobs, nobudget, noradargun, noreserved;
	int		 rows, tc;
} o = { .fudge = 5000, .attempts = 5, .wait_round = 30, .rounds = 30,
	.pps = 100 };

static struct adrv_sets sets;
static struct addrst *ast;
static size_t next_class, nclass_busy, next_set, nsets_run, nsets_busy;
static size_t last_sent = SIZE_MAX;
static int last_kind;
static struct tbitdrv drv;

static void
usage(void)
{
	fprintf(stderr,
	    "usage: sc_radargun [-?D] [-a infile] [-f fudge] [-o outfile] "
	    "[-O options]\n"
	    "                   [-p port] [-P pps] [-q attempts] "
	    "[-r wait-round]\n"
	    "                   [-R round-count] [-t logfile] [-U unix]\n"
	    "       sc_radargun [-d dump] [-f fudge] [-O options] "
	    "data-file ...\n"
	    "  -d 1 aliases, 2 interface classifications; -O nobs, nobudget,"
	    " noradargun,\n"
	    "  noreserved, rows, tc\n");
}

static int
option(const char *w)
{
	static const char *const names[] = { "nobs", "nobudget",
	    "noradargun", "noreserved", "rows", "tc" };
	int *const flags[] = { &o.nobs, &o.nobudget, &o.noradargun,
	    &o.noreserved, &o.rows, &o.tc };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(w, names[i]) == 0) {
			*flags[i] = 1;
			return 0;
		}
	return drv_fail("-O %s: unknown option (nobs, nobudget, noradargun, "
	    "noreserved, rows, tc)", w);
}

/* adrv_getopt's OTHER: -O OPTION. */
static int
other(int c, const char *arg)
{
	return c == 'O' ? option(arg) : 1;
}

static int
parse(int argc, char **argv)
{
	const struct adrv_numopt nums[] = {
		{ 'd', 1, 2, &o.dump }, { 'f', 0, 65535, &o.fudge },
		{ 'P', 1, 100000, &o.pps }, { 'q', 2, 255, &o.attempts },
		{ 'r', 1, 3600, &o.wait_round }, { 'R', 2, 1000, &o.rounds }
	};
	const struct adrv_opts a = { "?Da:d:f:o:O:p:P:q:r:R:t:U:", &o.c, 'a',
	    't', nums, ADRV_N(nums), other, usage };

	if (adrv_getopt(argc, argv, &a) == -1 || adrv_cli_check(&o.c,
	    o.dump != 0, "-d reads warts files", 'a', usage) == -1)
		return -1;
	if (o.dump != 0 && optind == argc)
		return drv_fail("-d: no data file");
	return 0;
}

/* ---- collecting -------------------------------------------------------- */

/* Nonzero if the address is one -O noreserved leaves out: not one of
 * the documentation or benchmarking blocks our tests use, but any other
 * special-purpose IPv4 block (RFC 6890). */
static int
reserved(const struct adrv_addr *a)
{
	const uint8_t *b = a->bin;

	return b[0] == 0 || b[0] == 10 || b[0] == 127 || b[0] >= 224 ||
	    (b[0] == 100 && (b[1] & 0xc0) == 64) ||
	    (b[0] == 169 && b[1] == 254) || (b[0] == 172 &&
	    (b[1] & 0xf0) == 16) || (b[0] == 192 && b[1] == 168);
}

/* The radargun command of set S (the counting addresses among them), or
 * NULL if fewer than two count. */
static char *
set_command(size_t s, int *err)
{
	size_t n = 0, len = 0, cap = 256;
	char *cmd = malloc(cap);
	unsigned wait_probe;

	*err = 0;
	if (cmd == NULL) {
		*err = 1;
		return NULL;
	}
	for (size_t i = sets.sets[s]; i < sets.sets[s + 1]; i++)
		n += ast[i].state == C_YES;
	if (n < 2) {
		free(cmd);
		return NULL;
	}
	if (!o.nobudget && (double)n / o.wait_round > o.pps) {
		drv_fail("set %zu: %zu addresses a round in %u s is more than "
		    "-P %u packets per second (-O nobudget to try anyway)",
		    s + 1, n, o.wait_round, o.pps);
		free(cmd);
		return NULL;
	}
	wait_probe = (unsigned)(o.wait_round * 1000 / n);
	if (wait_probe < 1)
		wait_probe = 1;
	if (wait_probe > 65535)
		wait_probe = 65535;
	len = (size_t)snprintf(cmd, cap, "dealias -m radargun -U %zu -q %u "
	    "-W %u -r %u%s", s, o.rounds, wait_probe, o.wait_round * 1000,
	    o.nobs ? " -O nobs" : "");
	for (size_t i = sets.sets[s]; i < sets.sets[s + 1]; i++) {
		char one[96];
		size_t k;
		char *p;

		if (ast[i].state != C_YES)
			continue;
		k = (size_t)snprintf(one, sizeof(one), " -p '-P %s -i %s'",
		    methods[ast[i].method], sets.addrs[i].str);
		if (len + k + 1 > cap) {
			if ((p = realloc(cmd, cap * 2 + k)) == NULL) {
				free(cmd);
				*err = 1;
				return NULL;
			}
			cmd = p;
			cap = cap * 2 + k;
		}
		memcpy(cmd + len, one, k + 1);
		len += k;
	}
	return cmd;
}

/* The next address to classify, with its command. */
static int
want_class(char **cmd)
{
	for (size_t i = next_class; i < sets.naddrs; i++) {
		struct addrst *a = &ast[i];

		if (a->state != C_WAIT)
			continue;
		if (o.noreserved && reserved(&sets.addrs[i])) {
			a->state = C_NO;
			continue;
		}
		if (asprintf(cmd, "dealias -m radargun -U %zu -q %u -W 1000 "
		    "-r 1000 -p '-P %s -i %s'", CLASS_BASE + i, o.attempts,
		    methods[a->method], sets.addrs[i].str) < 0)
			return TBITDRV_LATER;
		a->state = C_BUSY;
		nclass_busy++;
		last_sent = i;
		last_kind = 0;
		return TBITDRV_CMD;
	}
	while (next_class < sets.naddrs && ast[next_class].state >= C_YES)
		next_class++;
	return next_class < sets.naddrs ? TBITDRV_LATER : -1;
}

static int
want(void *arg, char **cmd)
{
	int rc, err;

	(void)arg;
	if ((rc = want_class(cmd)) != -1)
		return rc;
	if (o.noradargun)
		return nclass_busy == 0 ? TBITDRV_DONE : TBITDRV_LATER;
	/* every address classified: the radargun measurements */
	while (next_set < nsets_run) {
		char *c = set_command(next_set, &err);

		if (err)
			return TBITDRV_LATER;
		next_set++;
		if (c != NULL) {
			*cmd = c;
			nsets_busy++;
			last_sent = next_set - 1;
			last_kind = 1;
			drv_note("%s", c);
			return TBITDRV_CMD;
		}
	}
	return nsets_busy == 0 ? TBITDRV_DONE : TBITDRV_LATER;
}

/* Classification of address I ended with result D (NULL: refused). */
static void
classified(size_t i, const struct scamper_dealias *d)
{
	struct ipid_rules r = { o.fudge, 16, o.nobs };
	struct ipid_sample *v = NULL;
	long n = d != NULL ? adrv_samples(d, &v) : -1;
	struct addrst *a = &ast[i];

	if (a->state != C_BUSY)
		return;
	nclass_busy--;
	if (n >= 0 && adrv_counter(v, (size_t)n, 0, o.attempts > 3 ? 3 : 2,
	    &r)) {
		a->state = C_YES;
		drv_note("%s: %s counts", sets.addrs[i].str,
		    methods[a->method]);
	} else if (d != NULL && a->method + 1 < NMETHODS) {
		a->method++;
		a->state = C_WAIT;
		if (i < next_class)
			next_class = i;
	} else {
		a->state = C_NO;
		drv_note("%s: no counter", sets.addrs[i].str);
	}
	free(v);
}

static void
on_dealias(const struct scamper_dealias *d)
{
	if (d->userid >= CLASS_BASE && d->userid - CLASS_BASE < sets.naddrs)
		classified(d->userid - CLASS_BASE, d);
	else if (d->userid < nsets_run && nsets_busy > 0)
		nsets_busy--;
}

static void
on_refused(void)
{
	if (last_sent == SIZE_MAX)
		return;
	if (last_kind == 0)
		classified(last_sent, NULL);
	else if (nsets_busy > 0)
		nsets_busy--;
	last_sent = SIZE_MAX;
}

static int
collect(void)
{
	char err[512];

	if (adrv_read_sets(o.c.infile, AF_INET, &sets, err, sizeof(err)) == -1)
		return drv_fail("%s", err);
	if (!o.rows) {
		/* one set: every address of the file */
		sets.sets[1] = sets.naddrs;
		sets.nsets = 1;
	}
	nsets_run = sets.nsets;
	if ((ast = calloc(sets.naddrs + 1, sizeof(*ast))) == NULL)
		return drv_fail("out of memory");
	return adrv_collect(&drv, "sc_radargun", &o.c, want, on_dealias,
	    on_refused);
}

/* ---- inference ---------------------------------------------------------- */

/* The aliases among the definitions of radargun measurement D. */
static void
infer(struct adrv_pairs *p, const struct scamper_dealias *d)
{
	struct ipid_rules r = { o.fudge, 16, o.nobs };
	struct ipid_sample *v = NULL, *w;
	size_t *cnt;
	long n;

	if (d->defc > 0 && d->defs[0].dst.type == SCAMPER_ADDR_IPV6)
		r.bits = 32;
	if ((n = adrv_samples(d, &v)) < 0 ||
	    (w = calloc((size_t)n + 1, sizeof(*w))) == NULL) {
		free(v);
		return;
	}
	if ((cnt = calloc(d->defc + 1, sizeof(*cnt))) == NULL) {
		free(v);
		free(w);
		return;
	}
	for (long i = 0; i < n; i++)
		cnt[v[i].who]++;
	for (uint32_t a = 0; a < d->defc; a++) {
		if (2 * cnt[a] < d->u.radargun.attempts || cnt[a] < 2)
			continue;
		for (uint32_t b = a + 1; b < d->defc; b++) {
			size_t k;
			char x[48], y[48];

			if (2 * cnt[b] < d->u.radargun.attempts || cnt[b] < 2)
				continue;
			k = adrv_pick2(v, (size_t)n, a, b, w);
			if (ipid_all_zero(w, k) ||
			    ipid_series(w, k, &r) == IPID_NO)
				continue;
			adrv_pairs_add(p, adrv_addr_str(&d->defs[a].dst, x),
			    adrv_addr_str(&d->defs[b].dst, y));
		}
	}
	free(cnt);
	free(v);
	free(w);
}

static void
dump_one(void *arg, const struct scamper_dealias *d)
{
	struct ipid_rules r = { o.fudge, 16, o.nobs };
	struct ipid_sample *v = NULL;
	char a[48];
	long n;

	if (d->method != SCAMPER_DEALIAS_METHOD_RADARGUN || d->defc == 0)
		return;
	if (o.dump == 1) {
		if (d->defc >= 2)
			infer(arg, d);
		return;
	}
	if (d->defc != 1 || (n = adrv_samples(d, &v)) < 0)
		return;
	if (d->defs[0].dst.type == SCAMPER_ADDR_IPV6)
		r.bits = 32;
	printf("%s %s %s\n", adrv_addr_str(&d->defs[0].dst, a),
	    scamper_dealias_probedef_method_tostr(d->defs[0].method),
	    n == 0 ? "unresponsive" : ipid_all_zero(v, (size_t)n) ? "zero" :
	    adrv_counter(v, (size_t)n, 0, 2, &r) ? "incr" : "random");
	free(v);
}

static int
dump(char **files, int nfiles)
{
	struct adrv_pairs p = { 0 };
	int rc = adrv_each_dealias("sc_radargun", files, nfiles, dump_one,
	    &p);

	if (o.dump == 1 && adrv_pairs_print(&p, o.tc, stdout) == -1)
		rc = drv_fail("out of memory");
	adrv_pairs_free(&p);
	return rc;
}

/* After the run (RC): frees what it held. */
static int
finish(int rc)
{
	adrv_sets_free(&sets);
	free(ast);
	return rc;
}

ADRV_MAIN("sc_radargun", parse, &o.dump, dump, collect, finish)
