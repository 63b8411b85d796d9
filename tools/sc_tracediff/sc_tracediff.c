/*
 * sc_tracediff: show, side by side, the pairs of traceroutes of two warts
 * files (to the same destination, or with the same userid) whose paths
 * differ by an address at some hop; with -a every pair.
 *
 * usage: sc_tracediff [-an] [-m dst|userid|dstuserid] file1 file2
 *
 * Each pair is printed as a "traceroute from SRC to DST" line, a line of
 * the two start times (local time of day), and one line per TTL from
 * the lower first hop of the two to the higher hop count: the address
 * of the first reply at that TTL with an ICMP unreachable annotation
 * ("!N", ...), "*" for no reply, "-" for a TTL the trace did not probe.
 * What counts as a change (differs()), how traces are paired (pair_up())
 * and the layout follow Debian's sc_tracediff 20211212 as observed on
 * its output (sc_tracediff(1) says it in full).
 */
#include "config.h"

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "mem.h"
#include "scamper_addr.h"
#include "scamper_file.h"
#include "scamper_trace.h"

#define MATCH_DST	1
#define MATCH_USERID	2

/* The traces of one file, in file order. */
struct tset {
	struct scamper_trace	**t;
	size_t			  n, cap;
};

static struct {
	int	all, names, match;
} o = { 0, 0, MATCH_DST };

static void
usage(void)
{
	fprintf(stderr, "usage: sc_tracediff [-an] [-m <match>] "
	    "file1.warts file2.warts\n");
}

/* Order of traces by the match key. */
static int
key_cmp(const struct scamper_trace *a, const struct scamper_trace *b)
{
	int c;

	if ((o.match & MATCH_DST) && (c = scamper_addr_cmp(&a->dst,
	    &b->dst)) != 0)
		return c;
	if (o.match & MATCH_USERID) {
		if (a->userid != b->userid)
			return a->userid < b->userid ? -1 : 1;
	}
	return 0;
}

/* Address text of A, or its name with -n when one resolves. */
static void
addr_text(const struct scamper_addr *a, char *buf, size_t len)
{
	scamper_addr_tostr(a, buf, len);
	if (o.names) {
		struct addrinfo hints = { .ai_flags = AI_NUMERICHOST }, *ai;
		char host[NI_MAXHOST];

		if (getaddrinfo(buf, NULL, &hints, &ai) != 0)
			return;
		if (getnameinfo(ai->ai_addr, ai->ai_addrlen, host,
		    sizeof(host), NULL, 0, NI_NAMEREQD) == 0)
			snprintf(buf, len, "%s", host);
		freeaddrinfo(ai);
	}
}

/* Into BUF: " !X" marking an unreachable reply H as traceroute does
 * (" !<code>", " !<type,code>" for others); "" for time exceeded, echo
 * replies, port unreachable, TCP and UDP replies. */
static void
unreach_mark(const struct scamper_trace_hop *h, char *buf, size_t len)
{
	static const char *v4[] = { "N", "H", "P", NULL, "F", "S" };
	static const char *v6[] = { "N", "P", "S", "A" };
	unsigned t = h->icmp_type, c = h->icmp_code;

	buf[0] = '\0';
	if (h->flags & (SCAMPER_TRACE_HOP_TCP | SCAMPER_TRACE_HOP_UDP))
		return;
	if (h->addr.type == SCAMPER_ADDR_IPV4) {
		if (t == 11 || t == 0 || (t == 3 && c == 3))
			return;
		if (t == 3 && c == 13)
			snprintf(buf, len, " !X");
		else if (t == 3 && c < 6)
			snprintf(buf, len, " !%s", v4[c]);
		else if (t == 3)
			snprintf(buf, len, " !<%u>", c);
		else
			snprintf(buf, len, " !<%u,%u>", t, c);
		return;
	}
	if (t == 3 || t == 129 || (t == 1 && c == 4))
		return;
	if (t == 1 && c < 4)
		snprintf(buf, len, " !%s", v6[c]);
	else if (t == 1)
		snprintf(buf, len, " !<%u>", c);
	else if (t == 2)
		snprintf(buf, len, " !F");
	else
		snprintf(buf, len, " !<%u,%u>", t, c);
}

/* The first reply of T at TTL, or NULL. */
static const struct scamper_trace_hop *
first_reply(const struct scamper_trace *t, unsigned ttl)
{
	for (uint16_t i = 0; i < t->hops.hopc; i++)
		if (t->hops.hops[i].probe_ttl == ttl)
			return &t->hops.hops[i];
	return NULL;
}

/* What T shows at TTL into BUF: address, "*" or "-". */
static void
cell(const struct scamper_trace *t, unsigned ttl, char *buf, size_t len)
{
	const struct scamper_trace_hop *h;
	char a[NI_MAXHOST], m[16];

	if (ttl < t->firsthop || ttl > t->hop_count) {
		snprintf(buf, len, "-");
	} else if ((h = first_reply(t, ttl)) == NULL) {
		snprintf(buf, len, "*");
	} else {
		addr_text(&h->addr, a, sizeof(a));
		unreach_mark(h, m, sizeof(m));
		snprintf(buf, len, "%s%s", a, m);
	}
}

/* 1 if the paths of A and B differ at some TTL: first replies from two
 * addresses, or a reply in one past the other's hop count.  Every reply
 * counts, also those below the first hop shown (a doubletree's), as in
 * 20211212; a reply against no reply within both hop counts does not. */
static int
differs(const struct scamper_trace *a, const struct scamper_trace *b)
{
	for (unsigned ttl = 1; ttl <= 255; ttl++) {
		const struct scamper_trace_hop *x = first_reply(a, ttl);
		const struct scamper_trace_hop *y = first_reply(b, ttl);

		if (x != NULL && y != NULL) {
			if (scamper_addr_cmp(&x->addr, &y->addr) != 0)
				return 1;
		} else if ((x != NULL && ttl > b->hop_count) ||
		    (y != NULL && ttl > a->hop_count)) {
			return 1;
		}
	}
	return 0;
}

/* The start time of T as HH:MM:SS, local time. */
static void
start_text(const struct scamper_trace *t, char *buf, size_t len)
{
	time_t s = t->start.tv_sec;
	struct tm tm;

	if (localtime_r(&s, &tm) == NULL)
		snprintf(buf, len, "?");
	else
		strftime(buf, len, "%H:%M:%S", &tm);
}

/* Width of the entries of T over TTLs LO..HI and of its start time. */
static int
col_width(const struct scamper_trace *t, unsigned lo, unsigned hi)
{
	char buf[NI_MAXHOST + 8];
	int w;

	start_text(t, buf, sizeof(buf));
	w = (int)strlen(buf);
	for (unsigned ttl = lo; ttl <= hi; ttl++) {
		cell(t, ttl, buf, sizeof(buf));
		if ((int)strlen(buf) > w)
			w = (int)strlen(buf);
	}
	return w;
}

static void
print_pair(const struct scamper_trace *a, const struct scamper_trace *b)
{
	unsigned lo = a->firsthop < b->firsthop ? a->firsthop : b->firsthop;
	unsigned hi = a->hop_count > b->hop_count ? a->hop_count :
	    b->hop_count;
	char x[NI_MAXHOST + 8], y[NI_MAXHOST + 8];
	int wa, wb;

	if (lo == 0)
		lo = 1;
	wa = wb = col_width(a, lo, hi);	/* file 1's widest, for both */
	scamper_addr_tostr(&a->src, x, sizeof(x));
	scamper_addr_tostr(&a->dst, y, sizeof(y));
	if (scamper_addr_cmp(&a->dst, &b->dst) == 0)
		printf("traceroute from %s to %s\n", x, y);
	else
		printf("traceroute to %s\n", y);	/* -m userid */
	start_text(a, x, sizeof(x));
	start_text(b, y, sizeof(y));
	printf("   %-*s %-*s\n", wa, x, wb, y);
	for (unsigned ttl = lo; ttl <= hi; ttl++) {
		cell(a, ttl, x, sizeof(x));
		cell(b, ttl, y, sizeof(y));
		printf("%2u %-*s %-*s\n", ttl, wa, x, wb, y);
	}
}

static void
show(const struct scamper_trace *a, const struct scamper_trace *b)
{
	if (o.all || differs(a, b))
		print_pair(a, b);
}

/* A file being read, and its traces not paired yet, in file order. */
struct src {
	const char		 *path;
	struct scamper_file	 *f;
	struct tset		  wait;
	int			  done;
};

/* Index of the waiting trace of S with the key of T, or -1. */
static long
find_wait(const struct src *s, const struct scamper_trace *t)
{
	for (size_t i = 0; i < s->wait.n; i++)
		if (key_cmp(s->wait.t[i], t) == 0)
			return (long)i;
	return -1;
}

/* The next trace of S into *T (NULL at the end).  Returns 0 or -1. */
static int
next_trace(struct src *s, struct scamper_trace **t)
{
	uint16_t type;
	void *obj;
	int r;

	*t = NULL;
	while ((r = scamper_file_read(s->f, &type, &obj)) == 1) {
		if (type == SCAMPER_FILE_OBJ_TRACE) {
			*t = obj;
			return 0;
		}
		scamper_file_obj_free(type, obj);
	}
	s->done = 1;
	if (r == 0)
		return 0;
	fprintf(stderr, "sc_tracediff: %s: %s\n", s->path,
	    scamper_file_error(s->f));
	return -1;
}

/*
 * One step for ME (which is file 1 if FIRST): read a trace; pair it with
 * the other file's waiting trace of the same key, or make it wait.  A
 * second waiting trace with one key is an error, as in 20211212.
 */
static int
step(struct src *me, struct src *other, int first)
{
	struct scamper_trace *t;
	long i;

	if (me->done)
		return 0;
	if (next_trace(me, &t) != 0)
		return -1;
	if (t == NULL)
		return 0;
	if ((i = find_wait(other, t)) >= 0) {
		struct scamper_trace *u = other->wait.t[i];

		memmove(&other->wait.t[i], &other->wait.t[i + 1],
		    (other->wait.n - (size_t)i - 1) * sizeof(u));
		other->wait.n--;
		show(first ? t : u, first ? u : t);
		scamper_trace_free(t);
		scamper_trace_free(u);
		return 0;
	}
	if (find_wait(me, t) >= 0) {
		char buf[128];

		fprintf(stderr, "repeated trace for %s\n",
		    scamper_addr_tostr(&t->dst, buf, sizeof(buf)));
		scamper_trace_free(t);
		return -1;
	}
	if (mem_grow(&me->wait.t, &me->wait.cap, me->wait.n + 1,
	    sizeof(t), 64) != 0) {
		fprintf(stderr, "sc_tracediff: out of memory\n");
		scamper_trace_free(t);
		return -1;
	}
	me->wait.t[me->wait.n++] = t;
	return 0;
}

/*
 * Read both files a trace at a time, in turn; a trace is shown with the
 * first waiting trace of the other file with its key, so pairs come in
 * the order their second trace is read (as 20211212 does).
 */
static int
pair_up(struct src *s1, struct src *s2)
{
	while (!s1->done || !s2->done) {
		if (step(s1, s2, 1) != 0 || step(s2, s1, 0) != 0)
			return -1;
	}
	return 0;
}

static int
parse_match(const char *s)
{
	if (strcmp(s, "dst") == 0)
		o.match = MATCH_DST;
	else if (strcmp(s, "userid") == 0)
		o.match = MATCH_USERID;
	else if (strcmp(s, "dstuserid") == 0)
		o.match = MATCH_DST | MATCH_USERID;
	else
		return -1;
	return 0;
}

static void
free_set(struct tset *s)
{
	for (size_t i = 0; i < s->n; i++)
		scamper_trace_free(s->t[i]);
	free(s->t);
}

int
main(int argc, char **argv)
{
	struct src s[2];
	int ch, rc = 255;

	while ((ch = getopt(argc, argv, "am:n?")) != -1) {
		switch (ch) {
		case 'a':
			o.all = 1;
			break;
		case 'n':
			o.names = 1;
			break;
		case 'm':
			if (parse_match(optarg) == 0)
				break;
			fprintf(stderr, "sc_tracediff: -m %s: unknown "
			    "method (dst, userid or dstuserid)\n", optarg);
			usage();
			return 255;
		default:
			usage();
			return 255;
		}
	}
	if (argc - optind != 2) {
		usage();
		return 255;
	}
	memset(s, 0, sizeof(s));
	for (int i = 0; i < 2; i++) {
		s[i].path = argv[optind + i];
		if ((s[i].f = scamper_file_open_read(s[i].path)) == NULL) {
			fprintf(stderr, "could not open %s\n", s[i].path);
			if (i == 1)
				scamper_file_close(s[0].f);
			return 255;
		}
	}
	if (pair_up(&s[0], &s[1]) == 0)
		rc = 0;
	for (int i = 0; i < 2; i++) {
		scamper_file_close(s[i].f);
		free_set(&s[i].wait);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "sc_tracediff: cannot write output\n");
		rc = 255;
	}
	return rc;
}
