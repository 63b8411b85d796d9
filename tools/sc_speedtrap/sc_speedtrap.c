/*
 * sc_speedtrap: IPv6 alias resolution by induced fragmentation (after
 * Speedtrap, Luckie et al., IMC 2013), through a running scamper's
 * control socket (attach mode).  IPv6 headers carry no IP-ID; a router
 * that sends a fragmented reply numbers it in the fragment header, often
 * from one counter shared by its interfaces.  Every probe here is an
 * ICMP echo of 1300 bytes with -M 1280: scamper first sends each address
 * a Packet Too Big so that its echo replies come back fragmented.
 *
 * Such a counter moves only when the router fragments, so its value is
 * the router's fingerprint: two aliases give values close together, and
 * the values of one probed right after the other follow on.  Every
 * identification seen is kept with its send time; the stages (-s stops
 * after one) are
 *   classify    each address alone, 4 probes a second apart: does its
 *               identification count (skipped with -I)?
 *   descend     one probe to each counting address, all in descending
 *               order of the last identification seen, so that aliases
 *               (close values) are probed back to back;
 *   overlap     the addresses whose ranges of identifications overlap
 *               another's and whose merged series is in sequence (sets
 *               of possible aliases) probed again, set by set, in
 *               ascending order;
 *   descend2    the members of the sets left probed again, descending;
 *   candidates  the sets left give the pairs to confirm: one pair per
 *               member joined (a spanning tree, not every pair);
 *   ally        each pair confirmed with dealias -m ally; the aliases
 *               are appended to -A.
 * Each address is probed once in each of descend, overlap and descend2,
 * so the probes grow with the addresses, not with their pairs.  -O
 * allpairs runs the old way instead: classify, then radargun over every
 * pair of 50-address groups (candidates), then ally.
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
#define GROUP		50		/* addresses a radargun group */
#define CHUNK		100		/* addresses a pass's measurement */
#define FUDGE		65535		/* largest step between two samples */
#define CFUDGE		5000		/* classify's, its probes 1 s apart:
					   counters busy at up to 5,000 a
					   second still count */
/* The stage of a measurement is in its user id's top four bits (the
 * three of the first version kept their values); the rest is its
 * number in the stage. */
#define U_DESC		0x10000000u
#define U_OVER		0x20000000u
#define U_DESC2		0x30000000u
#define U_CLASS		0x40000000u
#define U_CAND		0x80000000u
#define U_ALLY		0xc0000000u
#define U_MASK		0xf0000000u

enum { S_CLASSIFY, S_DESCEND, S_OVERLAP, S_DESCEND2, S_CANDIDATES, S_ALLY,
    S_N };
enum { C_WAIT, C_BUSY, C_YES, C_NO };

static const char *const stage_names[S_N] = { "classify", "descend",
    "overlap", "descend2", "candidates", "ally" };
static const uint32_t stage_uid[S_N] = { U_CLASS, U_DESC, U_OVER,
    U_DESC2, U_CAND, U_ALLY };

static struct {
	struct adrv_cli c;
	const char	*aliasfile, *skipfile;
	int		 stop, incr, allpairs;
	unsigned	 dump;
} o = { .stop = S_ALLY };

/* The identifications one address gave, in the order they came. */
struct smp {
	struct timeval	 tx;
	uint32_t	 id;
};
struct addrst {
	struct smp	*s;
	size_t		 n, cap;
	int		 swapped;	/* its counter counts byte-swapped */
	int		 inset;		/* may have an alias (last inference) */
};

static struct adrv_sets sets;
static int *cls;
static struct addrst *ast;
static int stage = S_CLASSIFY;
static size_t next_class, nbusy, ngroups, next_gpair, ngpairs;
static size_t *order, norder, next_chunk;
static int seeded;		/* -I's first pass: 0 not yet, 1 under way,
				   2 done */
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
	    "                    [-o outfile] [-O allpairs] [-p port] "
	    "[-s stop]\n"
	    "                    [-S skipfile] [-U unix-socket]\n"
	    "       sc_speedtrap [-d dump] [file ...]\n"
	    "  -s classify, descend, overlap, descend2, candidates or ally;"
	    " -d 1 routers,\n"
	    "  2 interfaces, 3 stages\n");
}

static int
stop_word(const char *w)
{
	for (int i = 0; i < S_N; i++)
		if (strcmp(w, stage_names[i]) == 0) {
			o.stop = i;
			return 0;
		}
	return drv_fail("-s %s: unknown stage (classify, descend, overlap, "
	    "descend2, candidates, ally)", w);
}

static int
parse(int argc, char **argv)
{
	int c;

	while ((c = getopt(argc, argv, "?Ia:A:d:l:o:O:p:s:S:U:")) != -1) {
		if (adrv_cli_opt(&o.c, c, optarg, 'a', 'l'))
			continue;
		switch (c) {
		case 'I': o.incr = 1; break;
		case 'A': o.aliasfile = optarg; break;
		case 'S': o.skipfile = optarg; break;
		case 'O':
			if (strcmp(optarg, "allpairs") != 0)
				return drv_fail("-O %s: unknown option "
				    "(allpairs)", optarg);
			o.allpairs = 1;
			break;
		case 's':
			if (stop_word(optarg) == -1)
				return -1;
			break;
		case 'd':
			if (strlen(optarg) != 1 || optarg[0] < '1' ||
			    optarg[0] > '3')
				return drv_fail("-d %s: expected 1, 2 or 3",
				    optarg);
			o.dump = (unsigned)(optarg[0] - '0');
			break;
		default:
			usage();
			return -1;
		}
	}
	if (o.allpairs && o.stop > S_CLASSIFY && o.stop < S_CANDIDATES)
		return drv_fail("-s %s: not a stage of -O allpairs "
		    "(classify, candidates, ally)", stage_names[o.stop]);
	return adrv_cli_check(&o.c, o.dump != 0, "-d reads warts files", 'a',
	    usage);
}

/* ---- the identifications seen ------------------------------------------ */

static int
smp_add(size_t i, const struct timeval *tx, uint32_t id)
{
	struct addrst *a = &ast[i];

	if (a->n == a->cap) {
		size_t cap = a->cap == 0 ? 8 : a->cap * 2;
		struct smp *p = realloc(a->s, cap * sizeof(*p));

		if (p == NULL)
			return -1;
		a->s = p;
		a->cap = cap;
	}
	a->s[a->n].tx = *tx;
	a->s[a->n++].id = id;
	return 0;
}

/* Sample K of address I in counter order (unswapped if it counts
 * byte-swapped). */
static uint32_t
smp_val(size_t i, size_t k)
{
	uint32_t v = ast[i].s[k].id;

	return ast[i].swapped ? ipid_swap(v, 32) : v;
}

/* Keep the identifications of D, whose definition J is address
 * IDX[J] (IDX NULL: every definition is address ONE). */
static void
keep_samples(const struct scamper_dealias *d, const size_t *idx,
    size_t nidx, size_t one)
{
	char x[48];

	for (uint32_t k = 0; k < d->probec; k++) {
		const struct scamper_dealias_probe *p = &d->probes[k];
		const struct scamper_dealias_reply *r;
		size_t i;

		if (p->replyc != 1 || p->def >= d->defc)
			continue;
		r = &p->replies[0];
		if (r->src.type != SCAMPER_ADDR_IPV6 ||
		    !(r->flags & SCAMPER_DEALIAS_REPLY_FLAG_IPID32))
			continue;
		if (idx != NULL && p->def >= nidx)
			continue;
		i = idx != NULL ? idx[p->def] : one;
		adrv_addr_str(&d->defs[p->def].dst, x);
		if (i < sets.naddrs && strcmp(x, sets.addrs[i].str) == 0)
			(void)smp_add(i, &p->tx, r->ipid32);
	}
}

/* Nonzero if the samples of A and B, merged in the order sent, are one
 * counter's. */
static int
merged_inseq(size_t a, size_t b)
{
	struct ipid_rules r = { FUDGE, 32, 1 };
	struct ipid_sample *w;
	size_t i = 0, j = 0, k = 0;
	int ok;

	if (ast[a].swapped != ast[b].swapped || ast[a].n < 2 ||
	    ast[b].n < 2 || (w = calloc(ast[a].n + ast[b].n,
	    sizeof(*w))) == NULL)
		return 0;
	while (i < ast[a].n || j < ast[b].n) {
		if (j == ast[b].n || (i < ast[a].n &&
		    !timercmp(&ast[b].s[j].tx, &ast[a].s[i].tx, <))) {
			w[k].who = 0;
			w[k++].id = smp_val(a, i++);
		} else {
			w[k].who = 1;
			w[k++].id = smp_val(b, j++);
		}
	}
	ok = ipid_series(w, k, &r) == IPID_YES;
	free(w);
	return ok;
}

/* ---- sets of possible aliases ------------------------------------------ */

struct span {
	uint64_t	 lo, hi;	/* identifications, unwrapped */
	size_t		 i;
};

static int
span_cmp(const void *x, const void *y)
{
	const struct span *a = x, *b = y;

	return a->lo < b->lo ? -1 : a->lo > b->lo;
}

/* The spans of the addresses that may have an alias (MEMBERS: only those
 * marked inset) into *OUT, sorted; returns how many, or -1. */
static long
spans(int members, struct span **out)
{
	struct span *v = calloc(sets.naddrs + 1, sizeof(*v));
	size_t n = 0;

	if ((*out = v) == NULL)
		return -1;
	for (size_t i = 0; i < sets.naddrs; i++) {
		uint32_t first, step;

		if (cls[i] != C_YES || ast[i].n < 2 ||
		    (members && !ast[i].inset))
			continue;
		first = smp_val(i, 0);
		step = smp_val(i, ast[i].n - 1) - first;
		if (step >= 0x80000000u)
			continue;	/* went backwards: not a counter */
		v[n].lo = first;
		v[n].hi = (uint64_t)first + step;
		v[n++].i = i;
	}
	qsort(v, n, sizeof(*v), span_cmp);
	return (long)n;
}

/* Group the counting addresses (MEMBERS: those still in a set) into sets
 * of possible aliases: two join when their spans come within FUDGE of
 * each other and their merged samples are in sequence.  The joins that
 * made the sets go to *EDGES (NULL: not kept).  Marks inset. */
static int
infer_sets(int members, struct adrv_pairs *edges)
{
	struct span *v;
	struct adrv_uf uf;
	long n = spans(members, &v);
	size_t nin = 0;

	if (n < 0 || adrv_uf_init(&uf, sets.naddrs) == -1) {
		free(v);
		return drv_fail("out of memory");
	}
	for (size_t i = 0; i < sets.naddrs; i++)
		ast[i].inset = 0;
	for (long x = 0; x < n; x++)
		for (long y = x + 1; y < n && v[y].lo <= v[x].hi + FUDGE; y++) {
			size_t a = v[x].i, b = v[y].i;

			if (adrv_uf_find(&uf, a) == adrv_uf_find(&uf, b) ||
			    !merged_inseq(a, b))
				continue;
			nin += (size_t)!ast[a].inset + (size_t)!ast[b].inset;
			ast[a].inset = ast[b].inset = 1;
			adrv_uf_join(&uf, a, b);
			if (edges != NULL)
				adrv_pairs_add(edges, sets.addrs[a].str,
				    sets.addrs[b].str);
		}
	drv_note("%s: %zu addresses in sets of possible aliases",
	    stage_names[stage], nin);
	adrv_uf_free(&uf);
	free(v);
	return 0;
}

/* ---- the passes: one probe to each address, in a planned order ---------- */

static uint32_t
last_val(size_t i)
{
	return ast[i].n == 0 ? 0 : smp_val(i, ast[i].n - 1);
}

static int
desc_cmp(const void *x, const void *y)
{
	uint32_t a = last_val(*(const size_t *)x);
	uint32_t b = last_val(*(const size_t *)y);

	return a > b ? -1 : a < b;
}

static int
asc_cmp(const void *x, const void *y)
{
	return desc_cmp(y, x);
}

/* The order of this stage's pass into ORDER: descend (first, with -I,
 * the addresses never seen, as they come), overlap (set by set,
 * ascending) or descend2 (the members, descending). */
static void
plan_pass(void)
{
	norder = next_chunk = 0;
	if (stage == S_DESCEND && seeded == 0) {
		seeded = 2;
		for (size_t i = 0; i < sets.naddrs; i++)
			if (cls[i] == C_YES && ast[i].n == 0)
				order[norder++] = i;
		if (norder > 0) {
			seeded = 1;
			return;
		}
	}
	for (size_t i = 0; i < sets.naddrs; i++)
		if (cls[i] == C_YES && (stage == S_DESCEND || ast[i].inset))
			order[norder++] = i;
	if (stage != S_OVERLAP) {
		qsort(order, norder, sizeof(*order), desc_cmp);
		return;
	}
	/* ascending puts each set's members (close values) together */
	qsort(order, norder, sizeof(*order), asc_cmp);
}

/* Append " -p 'PD -i ADDR'" to *CMD (LEN used).  Returns 0 or -1. */
static int
add_def(char **cmd, size_t *len, const char *addr)
{
	size_t k = strlen(addr) + sizeof(" -p '" PD " -i '");
	char *p;

	if ((p = realloc(*cmd, *len + k + 1)) == NULL)
		return -1;
	*cmd = p;
	*len += (size_t)sprintf(*cmd + *len, " -p '" PD " -i %s'", addr);
	return 0;
}

/* The next measurement of this stage's pass, -1 when all are back. */
static int
want_pass(char **cmd)
{
	size_t k = next_chunk, len;
	char *c;

	if (k * CHUNK >= norder)
		return nbusy > 0 ? TBITDRV_LATER : -1;
	if (asprintf(&c, "dealias -m radargun -U %u -q 1 -W 20 -w 2",
	    stage_uid[stage] | (uint32_t)k) < 0)
		return TBITDRV_LATER;
	len = strlen(c);
	for (size_t i = k * CHUNK; i < norder && i < (k + 1) * CHUNK; i++)
		if (add_def(&c, &len, sets.addrs[order[i]].str) == -1) {
			free(c);
			return TBITDRV_LATER;
		}
	next_chunk++;
	nbusy++;
	*cmd = c;
	return TBITDRV_CMD;
}

/* ---- classify, candidates (-O allpairs) and ally ------------------------ */

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
		if (cls[i] != C_YES)
			continue;
		if (add_def(cmd, len, sets.addrs[i].str) == -1)
			return -1;
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

/* ---- the stages in turn ------------------------------------------------- */

/* The stage after this one, its pass planned; S_N after -s's stop. */
static int
next_stage(void)
{
	if (stage == o.stop)
		return S_N;
	if (o.allpairs)
		return stage == S_CLASSIFY ? S_CANDIDATES : S_ALLY;
	return stage + 1;
}

/* Stage STAGE's measurements are all back: infer what it tells. */
static int
stage_done(void)
{
	switch (stage) {
	case S_DESCEND:
		if (seeded == 1) {
			seeded = 2;	/* the -I seeding pass: descend now */
			plan_pass();
			return 1;
		}
		/* FALLTHROUGH */
	case S_OVERLAP:
		return infer_sets(stage != S_DESCEND, NULL);
	case S_DESCEND2:
		return infer_sets(1, &cands);
	case S_CANDIDATES:
		for (size_t k = 0; !o.allpairs && k < cands.n; k++)
			drv_note("candidate %s %s", cands.a[k], cands.b[k]);
		return 0;
	}
	return 0;
}

static int
want_stage(char **cmd)
{
	switch (stage) {
	case S_CLASSIFY: return want_class(cmd);
	case S_DESCEND:
	case S_OVERLAP:
	case S_DESCEND2: return want_pass(cmd);
	case S_CANDIDATES: return o.allpairs ? want_cand(cmd) : -1;
	case S_ALLY: return want_ally(cmd);
	}
	return TBITDRV_DONE;
}

static int
want(void *arg, char **cmd)
{
	int rc;

	(void)arg;
	while ((rc = want_stage(cmd)) == -1) {
		rc = stage_done();
		if (rc == 1)
			continue;	/* the same stage again */
		if (rc == -1 || (stage = next_stage()) == S_N)
			return TBITDRV_DONE;
		drv_note("stage %s", stage_names[stage]);
		if (stage >= S_DESCEND && stage <= S_DESCEND2)
			plan_pass();
	}
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
	struct ipid_rules r = { CFUDGE, 32, 0 };
	struct ipid_sample *v = NULL;
	long n = d != NULL ? adrv_samples(d, &v) : -1;

	cls[i] = n >= 3 && adrv_counter(v, (size_t)n, 0, 3, &r) ? C_YES :
	    C_NO;
	if (cls[i] == C_YES) {
		ast[i].swapped = ipid_shows_swapped(v, (size_t)n, 0, &r);
		keep_samples(d, NULL, 0, i);
	}
	drv_note("%s: %s", sets.addrs[i].str, cls[i] == C_YES ? "counts" :
	    "no counter");
	free(v);
}

/* The candidate pairs of radargun measurement D (-O allpairs). */
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
		if (k >= sets.naddrs || cls[k] != C_BUSY)
			return;
		nbusy--;
		classified(k, d);
		return;
	case U_DESC:
	case U_OVER:
	case U_DESC2:
		if ((uid & U_MASK) != stage_uid[stage] || nbusy == 0)
			return;
		nbusy--;
		if (d != NULL && (size_t)k * CHUNK < norder)
			keep_samples(d, order + (size_t)k * CHUNK,
			    norder - (size_t)k * CHUNK, 0);
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
	finished(d->userid, d);
}

static void
on_refused(void)
{
	if (last_sent == SIZE_MAX)
		return;
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
	if ((cls = calloc(sets.naddrs + 1, sizeof(*cls))) == NULL ||
	    (ast = calloc(sets.naddrs + 1, sizeof(*ast))) == NULL ||
	    (order = calloc(sets.naddrs + 1, sizeof(*order))) == NULL)
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
	struct stage st[S_N];
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

/* The stage of dealias record D, from its user id. */
static int
stage_of(const struct scamper_dealias *d)
{
	for (int i = 0; i < S_N; i++)
		if ((d->userid & U_MASK) == stage_uid[i])
			return i;
	return -1;
}

static void
dump_one(void *arg, const struct scamper_dealias *d)
{
	struct dumpst *ds = arg;
	struct ipid_rules r = { CFUDGE, 32, 0 };
	struct ipid_sample *v = NULL;
	char a[48], b[48];
	int s = stage_of(d);
	long n;

	if (d->defc == 0 || d->defs[0].dst.type != SCAMPER_ADDR_IPV6 ||
	    s == -1)
		return;
	stage_add(&ds->st[s], d);
	if (s == S_ALLY && d->result == SCAMPER_DEALIAS_RESULT_ALIASES &&
	    d->defc >= 2)
		adrv_pairs_add(&ds->p, adrv_addr_str(&d->defs[0].dst, a),
		    adrv_addr_str(&d->defs[1].dst, b));
	if (s != S_CLASSIFY || o.dump != 2 || (n = adrv_samples(d, &v)) < 0)
		return;
	printf("%s %s\n", adrv_addr_str(&d->defs[0].dst, a),
	    n == 0 ? "unresponsive" : ipid_all_zero(v, (size_t)n) ? "zero" :
	    adrv_counter(v, (size_t)n, 0, 3, &r) ? "incr" : "random");
	free(v);
}

static double
secs(const struct timeval *a, const struct timeval *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (b->tv_usec - a->tv_usec) / 1e6;
}

static void
dump_stages(const struct dumpst *ds)
{
	struct stage all;

	memset(&all, 0, sizeof(all));
	for (int i = 0; i < S_N; i++) {
		const struct stage *s = &ds->st[i];

		printf("%s: %lu measurements, %lu probes, %.1f s\n",
		    stage_names[i], s->n, s->probes, s->n == 0 ? 0 :
		    secs(&s->first, &s->last));
		if (s->n == 0)
			continue;
		all.n += s->n;
		all.probes += s->probes;
		if (all.first.tv_sec == 0 || timercmp(&s->first, &all.first,
		    <))
			all.first = s->first;
		if (timercmp(&s->last, &all.last, >))
			all.last = s->last;
	}
	printf("total: %lu measurements, %lu probes, %.1f s\n", all.n,
	    all.probes, all.n == 0 ? 0 : secs(&all.first, &all.last));
}

static int
dump(char **files, int nfiles)
{
	struct dumpst ds;
	int rc;

	memset(&ds, 0, sizeof(ds));
	rc = adrv_each_dealias("sc_speedtrap", files, nfiles, dump_one, &ds);
	if (o.dump == 1)
		adrv_pairs_print(&ds.p, 1, stdout);
	if (o.dump == 3)
		dump_stages(&ds);
	adrv_pairs_free(&ds.p);
	return rc;
}

/* After the run (RC): frees what it held. */
static int
finish(int rc)
{
	for (size_t i = 0; ast != NULL && i < sets.naddrs; i++)
		free(ast[i].s);
	adrv_sets_free(&sets);
	adrv_pairs_free(&cands);
	adrv_pairs_free(&skip);
	free(cls);
	free(ast);
	free(order);
	if (aliasfp != NULL && fclose(aliasfp) != 0)
		rc = drv_fail("%s: %s", o.aliasfile, strerror(errno));
	return rc;
}

ADRV_MAIN("sc_speedtrap", parse, &o.dump, dump, collect, finish)
