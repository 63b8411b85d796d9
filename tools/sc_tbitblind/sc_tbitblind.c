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
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ctl_proto.h"
#include "tbitdrv.h"

enum { T_NULL, T_OPTS, T_RST, T_SYN, T_DATA_BEHIND, T_DATA_AHEAD, T_N };

static const char *const test_args[T_N] = {
	"-t null", "-t null -O tcpts -O sack -w 7", "-t blind-rst",
	"-t blind-syn", "-t blind-data -o -70000", "-t blind-data -o 70000",
};

struct sys {
	char		 addr[64];
	uint8_t		 bin[16];
	int		 af;
	char		*app;		/* "-u URL -U ID" or "-p bgp -b ASN" */
	int		 order[T_N];	/* tests in the order run */
	int		 next;		/* index into order */
	int		 busy;		/* a test in flight */
	time_t		 ready;		/* not before */
	int		 done;
};

struct opts {
	const char	*addrfile, *outfile, *port, *logfile, *donefile;
	int		 bgp, noshuffle, seed;
	unsigned	 limit, ttl, wait;
};

static struct opts o;
static struct sys *sys;
static size_t nsys, last;	/* the system of the last command */
static FILE *logfp, *donef;
static struct tbitdrv d;

static int
fail(const char *fmt, ...)
{
	va_list ap;

	fputs("sc_tbitblind: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

static void
logmsg(const char *fmt, ...)
{
	va_list ap;

	if (logfp == NULL)
		return;
	fprintf(logfp, "%ld ", (long)time(NULL));
	va_start(ap, fmt);
	vfprintf(logfp, fmt, ap);
	va_end(ap);
	fputc('\n', logfp);
	fflush(logfp);
}

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
		switch (c) {
		case 'a': o.addrfile = optarg; break;
		case 'c': o.donefile = optarg; break;
		case 'o': o.outfile = optarg; break;
		case 'p': o.port = optarg; break;
		case 'r': o.seed = 1; break;
		case 't': o.logfile = optarg; break;
		case 'A':
			if (strcasecmp(optarg, "bgp") == 0)
				o.bgp = 1;
			else if (strcasecmp(optarg, "http") != 0)
				return fail("-A %s: expected http or bgp",
				    optarg);
			break;
		case 'O':
			if (strcmp(optarg, "noshuffle") != 0)
				return fail("-O %s: unknown option (noshuffle)",
				    optarg);
			o.noshuffle = 1;
			break;
		case 'l':
		case 'T':
		case 'w':
			if (ctl_uint(optarg, c == 'w' ? 0 : 1, c == 'T' ? 255 :
			    1000000, &v) != 0)
				return fail("-%c %s: invalid value", c, optarg);
			*(c == 'l' ? &o.limit : c == 'T' ? &o.ttl : &o.wait) =
			    v;
			break;
		default:
			usage(optopt == 0 || optopt == '?' ? stdout : stderr);
			exit(optopt == 0 || optopt == '?' ? 0 : 1);
		}
	}
	if (optind != argc)
		return fail("unexpected argument '%s'", argv[optind]);
	if (o.addrfile == NULL || o.outfile == NULL || o.port == NULL)
		return fail("-a, -o and -p are required (see sc_tbitblind -?)");
	return 0;
}

/* ---- input ---------------------------------------------------------------- */

/* Nonzero if ADDR is in the completed file already. */
static int
completed(const char *addr)
{
	char line[128];
	FILE *f;
	int found = 0;

	if (o.donefile == NULL || (f = fopen(o.donefile, "r")) == NULL)
		return 0;
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, " \r\n")] = '\0';
		found = strcmp(line, addr) == 0;
	}
	fclose(f);
	return found;
}

/* One line: "ID,LABEL SIZE ADDR URL" (http) or "ADDR ASN" (bgp). */
static int
parse_line(char *line, unsigned long n, struct sys *s)
{
	char *w[5], *save = NULL;
	int nw = 0;
	uint32_t v;

	for (char *t = strtok_r(line, " \t", &save); t != NULL && nw < 5;
	    t = strtok_r(NULL, " \t", &save))
		w[nw++] = t;
	memset(s, 0, sizeof(*s));
	if (o.bgp) {
		if (nw != 2 || ctl_uint(w[1], 1, UINT32_MAX, &v) != 0)
			return fail("%s:%lu: expected 'address asn'",
			    o.addrfile, n);
		snprintf(s->addr, sizeof(s->addr), "%s", w[0]);
		if (asprintf(&s->app, "-p bgp -b %u", v) < 0)
			s->app = NULL;
	} else {
		char *comma = nw > 0 ? strchr(w[0], ',') : NULL;

		if (comma != NULL)
			*comma = '\0';	/* the ID; the label is for people */
		if (nw != 4 || comma == NULL ||
		    ctl_uint(w[0], 0, UINT32_MAX, &v) != 0 ||
		    strncmp(w[3], "http://", 7) != 0 ||
		    strpbrk(w[3], "'\"") != NULL)
			return fail("%s:%lu: expected 'id,label size address "
			    "http://url'", o.addrfile, n);
		snprintf(s->addr, sizeof(s->addr), "%s", w[2]);
		if (asprintf(&s->app, "-u '%s' -U %u", w[3], v) < 0)
			s->app = NULL;
	}
	if (s->app == NULL)
		return fail("out of memory");
	if (inet_pton(AF_INET, s->addr, s->bin) == 1)
		s->af = AF_INET;
	else if (inet_pton(AF_INET6, s->addr, s->bin) == 1)
		s->af = AF_INET6;
	else
		return fail("%s:%lu: '%s' is not an address", o.addrfile, n,
		    s->addr);
	return 0;
}

static void
shuffle(int *v, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)random() % i;
		int t = v[i - 1];

		v[i - 1] = v[j];
		v[j] = t;
	}
}

static int
read_systems(void)
{
	FILE *f = fopen(o.addrfile, "r");
	char line[1024];
	unsigned long n = 0;
	struct sys s, *p;

	if (f == NULL)
		return fail("-a %s: %s", o.addrfile, strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL) {
		n++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[strspn(line, " \t")] == '\0' || line[0] == '#')
			continue;
		if (parse_line(line, n, &s) == -1) {
			fclose(f);
			return -1;
		}
		if (completed(s.addr)) {
			free(s.app);
			continue;
		}
		if ((p = realloc(sys, (nsys + 1) * sizeof(*sys))) == NULL)
			return fail("out of memory");
		sys = p;
		for (int t = 0; t < T_N; t++)
			s.order[t] = t;
		if (!o.noshuffle)
			shuffle(s.order + 1, T_N - 1);	/* null stays first */
		sys[nsys++] = s;
	}
	fclose(f);
	if (!o.noshuffle)
		for (size_t i = nsys; i > 1; i--) {
			size_t j = (size_t)random() % i;

			s = sys[i - 1];
			sys[i - 1] = sys[j];
			sys[j] = s;
		}
	return 0;
}

/* ---- the tests ------------------------------------------------------------ */

/* The system whose test a result for ADDR (AF) answers. */
static struct sys *
find_sys(int af, const uint8_t *addr)
{
	for (size_t i = 0; i < nsys; i++)
		if (sys[i].busy && sys[i].af == af &&
		    memcmp(sys[i].bin, addr, af == AF_INET ? 4 : 16) == 0)
			return &sys[i];
	return NULL;
}

static void
sys_done(struct sys *s, const char *why)
{
	s->done = 1;
	logmsg("%s done: %s", s->addr, why);
	if (donef != NULL) {
		fprintf(donef, "%s\n", s->addr);
		fflush(donef);
	}
}

/* A tbit result came: the system may go on. */
static void
on_result(const struct tbitdrv_result *r)
{
	struct sys *s = find_sys(r->af, r->dst);

	if (s == NULL)
		return;
	s->busy = 0;
	logmsg("%s %s: %s", s->addr, test_args[s->order[s->next]],
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
		if (asprintf(&c, "tbit %s%s %s %s", test_args[t], ttl, s->app,
		    s->addr) < 0)
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

	signal(SIGPIPE, SIG_IGN);
	if (parse_opts(argc, argv) == -1)
		return 1;
	srandom(o.seed ? (unsigned)time(NULL) ^ (unsigned)getpid() : 1);
	if (read_systems() == -1)
		return 1;
	if (o.logfile != NULL && (logfp = fopen(o.logfile, "a")) == NULL) {
		fail("-t %s: %s", o.logfile, strerror(errno));
		return 1;
	}
	if (o.donefile != NULL && (donef = fopen(o.donefile, "a")) == NULL) {
		fail("-c %s: %s", o.donefile, strerror(errno));
		return 1;
	}
	logmsg("%zu systems to test", nsys);
	if (tbitdrv_init(&d, "sc_tbitblind", o.port, o.outfile, o.limit,
	    want_command, on_result, NULL) == -1)
		return 1;
	tbitdrv_on_refused(&d, on_refused);
	rc = tbitdrv_run(&d);
	tbitdrv_close(&d);
	if (logfp != NULL)
		fclose(logfp);
	if (donef != NULL)
		fclose(donef);
	return rc == 0 ? 0 : 1;
}
