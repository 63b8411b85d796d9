/*
 * sc_tbitblind: test a list of TCP servers (web servers, BGP routers)
 * for resilience to blind attacks (Luckie et al., IMC 2015) through a
 * running scamper's control socket (-p), in attach mode.
 *
 * Each system first gets a plain connection (tbit -t null); only if that
 * succeeds do the others follow, in a shuffled order unless -O
 * noshuffle: a connection offering window scaling, timestamps and SACK,
 * and the blind reset, SYN and data (acknowledging data behind and
 * ahead of the server's) tests, at least -w seconds apart, one test per
 * system at a time.  Results go to OUT_NN.warts, -l records per file;
 * -c names a file of systems done (read at start: they are skipped).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ctl_proto.h"
#include "drvutil.h"
#include "tbitdrv.h"

enum { T_NULL, T_OPTS, T_RST, T_SYN, T_DATA_BEHIND, T_DATA_AHEAD, T_N };

static const char *const test_args[T_N] = {
	"-t null", "-t null -O tcpts -O sack -w 7", "-t blind-rst",
	"-t blind-syn", "-t blind-data -o -70000", "-t blind-data -o 70000",
};

struct sys {
	struct drv_target t;	/* app: "-u URL -U ID" or "-p bgp -b ASN" */
	int		 order[T_N];	/* tests in the order run */
	int		 next;		/* index into order */
	int		 busy;		/* a test in flight */
	time_t		 ready;		/* not before */
	int		 done;
};

struct opts {
	struct drv_opts	 f;		/* -a -c -o -p -t */
	int		 bgp, noshuffle, seed;
	unsigned	 limit, ttl, wait;
};

static struct opts o;
static struct sys *sys;
static size_t nsys, last;	/* the system of the last command */
static struct tbitdrv d;

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: sc_tbitblind [-?r] [-a addressfile] [-o outfile] [-p port]\n"
	    "                    [-A app] [-c completed] [-l limit] [-t logfile]\n"
	    "                    [-T ttl] [-O options] [-w wait]\n");
}

static int
parse_opts(int argc, char **argv)
{
	uint32_t v;
	int c;

	o.wait = 60;
	while ((c = getopt(argc, argv, "?a:A:c:l:o:O:p:rt:T:w:")) != -1) {
		if (drv_opt(&o.f, c, optarg))
			continue;
		switch (c) {
		case 'r': o.seed = 1; break;
		case 'A':
			if (strcasecmp(optarg, "bgp") == 0)
				o.bgp = 1;
			else if (strcasecmp(optarg, "http") != 0)
				return drv_fail("-A %s: expected http or bgp",
				    optarg);
			break;
		case 'O':
			if (strcmp(optarg, "noshuffle") != 0)
				return drv_fail("-O %s: unknown option "
				    "(noshuffle)", optarg);
			o.noshuffle = 1;
			break;
		case 'l':
		case 'T':
		case 'w':
			if (ctl_uint(optarg, c == 'w' ? 0 : 1, c == 'T' ? 255 :
			    1000000, &v) != 0)
				return drv_fail("-%c %s: invalid value", c,
				    optarg);
			*(c == 'l' ? &o.limit : c == 'T' ? &o.ttl : &o.wait) =
			    v;
			break;
		default:
			drv_usage_exit(usage, optopt);
		}
	}
	if (drv_no_operands(argc, argv) == -1)
		return -1;
	return drv_need_aop(o.f.addrfile, o.f.outfile, o.f.port);
}

/* ---- input ---------------------------------------------------------------- */

/* One line: "ID,LABEL SIZE ADDR URL" (http) or "ADDR ASN" (bgp). */
static int
parse_line(char *line, unsigned long n, struct sys *s)
{
	char *w[5];
	int nw = drv_words(line, w, 5);
	uint32_t v;

	memset(s, 0, sizeof(*s));
	if (!o.bgp)
		return drv_http_target(w, nw, o.f.addrfile, n, &s->t);
	if (nw != 2 || ctl_uint(w[1], 1, UINT32_MAX, &v) != 0)
		return drv_fail("%s:%lu: expected 'address asn'", o.f.addrfile,
		    n);
	snprintf(s->t.addr, sizeof(s->t.addr), "%s", w[0]);
	if (drv_target_addr(&s->t, o.f.addrfile, n) == -1)
		return -1;
	if (asprintf(&s->t.app, "-p bgp -b %u", v) < 0)
		return drv_fail("out of memory");
	return 0;
}

static int
add_system(char *line, unsigned long n, void *arg)
{
	struct sys s;

	(void)arg;
	if (parse_line(line, n, &s) == -1)
		return -1;
	if (drv_target_done(o.f.donefile, &s.t))
		return 0;
	for (int t = 0; t < T_N; t++)
		s.order[t] = t;
	if (!o.noshuffle)	/* null stays first */
		drv_shuffle(s.order + 1, T_N - 1, sizeof(s.order[0]));
	return drv_push(&sys, &nsys, &s, sizeof(s));
}

static int
read_systems(void)
{
	if (drv_read_lines('a', o.f.addrfile, add_system, NULL) == -1)
		return -1;
	if (!o.noshuffle)
		drv_shuffle(sys, nsys, sizeof(*sys));
	return 0;
}

/* ---- the tests ------------------------------------------------------------ */

/* The system whose test a result for ADDR (AF) answers. */
static struct sys *
find_sys(int af, const uint8_t *addr)
{
	for (size_t i = 0; i < nsys; i++)
		if (sys[i].busy && sys[i].t.af == af &&
		    memcmp(sys[i].t.bin, addr, af == AF_INET ? 4 : 16) == 0)
			return &sys[i];
	return NULL;
}

static void
sys_done(struct sys *s, const char *why)
{
	s->done = 1;
	drv_log("%s done: %s", s->t.addr, why);
	drv_done_mark(s->t.addr);
}

/* A tbit result came: the system may go on. */
static void
on_result(const struct tbitdrv_result *r)
{
	struct sys *s = find_sys(r->af, r->dst);

	if (s == NULL)
		return;
	s->busy = 0;
	drv_log("%s %s: %s", s->t.addr, test_args[s->order[s->next]],
	    r->result_name);
	if (s->order[s->next] == T_NULL &&
	    strcmp(r->result_name, "null-success") != 0) {
		sys_done(s, "no plain connection");
		return;
	}
	if (++s->next == T_N)
		sys_done(s, "all tests");
	else
		s->ready = time(NULL) + (time_t)o.wait;
}

/* The next command to send, or NULL if nothing is ready now. */
static char *
next_command(time_t now)
{
	char *c = NULL, ttl[16] = "";

	for (size_t i = 0; i < nsys; i++) {
		struct sys *s = &sys[i];
		int t;

		if (s->done || s->busy || s->ready > now)
			continue;
		t = s->order[s->next];
		if (o.ttl != 0 && t >= T_RST)
			snprintf(ttl, sizeof(ttl), " -T %u", o.ttl);
		if (asprintf(&c, "tbit %s%s %s %s", test_args[t], ttl, s->t.app,
		    s->t.addr) < 0)
			return NULL;
		s->busy = 1;
		last = i;
		return c;
	}
	return NULL;
}

static int
all_done(void)
{
	for (size_t i = 0; i < nsys; i++)
		if (!sys[i].done)
			return 0;
	return 1;
}

/* scamper refused a test (e.g. no firewall): the system is left. */
static void
on_refused(void *arg, const char *line)
{
	(void)arg;
	sys[last].busy = 0;
	sys_done(&sys[last], line);
}

/* ---- main ----------------------------------------------------------------- */

static int
want_command(void *arg, char **cmd)
{
	(void)arg;
	if (all_done())
		return TBITDRV_DONE;
	*cmd = next_command(time(NULL));
	return *cmd != NULL ? TBITDRV_CMD : TBITDRV_LATER;
}

int
main(int argc, char **argv)
{
	int rc;

	drv_prog("sc_tbitblind");
	signal(SIGPIPE, SIG_IGN);
	if (parse_opts(argc, argv) == -1)
		return 1;
	srandom(o.seed ? (unsigned)time(NULL) ^ (unsigned)getpid() : 1);
	if (read_systems() == -1)
		return 1;
	if (drv_open_files(&o.f) == -1)
		return 1;
	drv_log("%zu systems to test", nsys);
	if (tbitdrv_init(&d, "sc_tbitblind", o.f.port, o.f.outfile, o.limit,
	    want_command, on_result, NULL) == -1)
		return 1;
	tbitdrv_on_refused(&d, on_refused);
	rc = tbitdrv_run(&d);
	drv_close();
	return rc == 0 ? 0 : 1;
}
