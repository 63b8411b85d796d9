/*
 * sc_pinger: ping every address of a file through a running scamper's
 * control socket (attach mode), trying one probe method after another
 * until one draws a reply, every ping record into one warts file.
 *
 * Each address gets "ping -c PROBES -o REPLIES -P METHOD ADDR" with the
 * first method; a ping without any reply is tried again with the next
 * method, until the methods run out.  As many commands are in flight as
 * scamper asks for (one per MORE), so scamper's own rate (-p) and window
 * set the pace.  Addresses are probed in the order of the file, each
 * once (a repeated line is skipped).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "drvutil.h"
#include "scamper_file.h"
#include "scamper_ping.h"
#include "tbitdrv.h"

#define MAX_METHODS	16
#define METHOD_LEN	128

enum { A_QUEUED, A_FLIGHT, A_DONE };

struct target {
	struct drv_target t;
	unsigned	 method;	/* index into o.methods */
	int		 state;
};

static struct {
	const char	*infile, *outfile, *logfile;
	struct drv_sock	 sock;
	int		 daemon;
	unsigned	 probes, replies, nmethods;
	const char	*methods[MAX_METHODS];
} o = { .probes = 5, .replies = 3 };

static const char *const default_methods[] = {
	"icmp-echo", "udp-dport", "tcp-ack-sport -d 80",
};

static struct target *tg;
static size_t ntg, *byaddr, *retry, nretry, next_new, inflight, ndone;
static size_t last_sent = SIZE_MAX;
static time_t progress;		/* a command sent or a result in */
static struct tbitdrv drv;

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: sc_pinger [-?D] [-a infile] [-o outfile] [-p port] "
	    "[-U unix-socket]\n"
	    "                 [-c [replies/]probes] [-m method] "
	    "[-t logfile]\n"
	    "  -a  the addresses, one a line\n"
	    "  -o  the warts file to write\n"
	    "  -p  scamper's control port ([address:]port); -U its socket\n"
	    "  -c  probes per method, or replies wanted/probes (3/5)\n"
	    "  -m  a ping method with options (repeat: tried in order)\n"
	    "  -t  the log file;  -D  run as a daemon\n");
}

/* The -c value VAL: PROBES, or REPLIES/PROBES.  Returns 0 or -1. */
static int
opt_count(const char *val)
{
	unsigned long r, p;
	char *end;

	errno = 0;
	r = p = strtoul(val, &end, 10);
	if (end != val && *end == '/') {
		const char *s = end + 1;

		p = strtoul(s, &end, 10);
		if (end == s)
			end = (char *)val;
	}
	if (errno != 0 || end == val || *end != '\0' || r < 1 || p < 1 ||
	    p > 65535 || r > p || val[0] == '-' || val[0] == '+')
		return drv_fail("-c %s: expected probes or replies/probes, "
		    "1 to 65535 with replies at most probes", val);
	o.replies = (unsigned)r;
	o.probes = (unsigned)p;
	return 0;
}

/* Nonzero if the N bytes at S name one of scamper's ping methods. */
static int
known_method(const char *s, size_t n)
{
	for (uint8_t m = 0; m < 32; m++) {
		const char *name = scamper_ping_method_tostr(m);

		if (name != NULL && strlen(name) == n &&
		    strncmp(name, s, n) == 0)
			return 1;
	}
	return 0;
}

/* The -m value VAL: a method name and options for scamper's ping -P. */
static int
opt_method(const char *val)
{
	size_t n = strcspn(val, " ");

	if (o.nmethods == MAX_METHODS)
		return drv_fail("-m %s: at most %d methods", val, MAX_METHODS);
	if (!known_method(val, n))
		return drv_fail("-m '%s': '%.*s' is not a ping method "
		    "(icmp-echo, udp-dport, tcp-ack-sport, ...)", val,
		    (int)n, val);
	if (drv_cmd_text('m', val, METHOD_LEN) == -1)
		return -1;
	o.methods[o.nmethods++] = val;
	return 0;
}

static int
opt_one(int c, const char *arg)
{
	switch (c) {
	case 'a': o.infile = arg; return 0;
	case 'o': o.outfile = arg; return 0;
	case 'p':
	case 'U': return drv_sock_opt(&o.sock, c, arg);
	case 't': o.logfile = arg; return 0;
	case 'D': o.daemon = 1; return 0;
	case 'c': return opt_count(arg);
	case 'm': return opt_method(arg);
	}
	usage(stderr);
	return -1;
}

/* The options of ARGV into o.  Returns 0, 1 for -? (print the usage),
 * or -1 (reported). */
static int
parse(int argc, char **argv)
{
	int rc = drv_getopts(argc, argv, "?Da:c:m:o:p:t:U:", opt_one);

	if (rc != 0)
		return rc;
	if (o.infile == NULL || o.outfile == NULL || o.sock.port == NULL)
		return drv_fail("-a, -o and -p or -U are required "
		    "(see sc_pinger -?)");
	if (o.nmethods == 0) {
		for (size_t i = 0; i < 3; i++)
			o.methods[i] = default_methods[i];
		o.nmethods = 3;
	}
	return 0;
}

/* ---- the addresses -------------------------------------------------- */

static int
addr_cmp(const struct drv_target *a, const struct drv_target *b)
{
	if (a->af != b->af)
		return a->af < b->af ? -1 : 1;
	return memcmp(a->bin, b->bin, a->af == AF_INET ? 4 : 16);
}

static int
byaddr_cmp(const void *a, const void *b)
{
	const size_t *x = a, *y = b;
	int c = addr_cmp(&tg[*x].t, &tg[*y].t);

	return c != 0 ? c : (*x < *y ? -1 : *x > *y);
}

/* One line of the address file: one address. */
static int
one_line(char *line, unsigned long n, void *arg)
{
	struct target t;
	char *w[2];

	(void)arg;
	memset(&t, 0, sizeof(t));
	if (drv_words(line, w, 2) != 1)
		return drv_fail("%s:%lu: expected one address a line",
		    o.infile, n);
	if (strlen(w[0]) >= sizeof(t.t.addr))
		return drv_fail("%s:%lu: '%.40s...' is not an address",
		    o.infile, n, w[0]);
	strcpy(t.t.addr, w[0]);
	if (drv_target_addr(&t.t, o.infile, n) == -1)
		return -1;
	return drv_push(&tg, &ntg, &t, sizeof(t));
}

/* Read the address file; index it by address, a repeat marked done. */
static int
read_addrs(void)
{
	if (drv_read_lines('a', o.infile, one_line, NULL) == -1)
		return -1;
	if (ntg == 0)
		return drv_fail("%s: no address", o.infile);
	if ((byaddr = calloc(ntg, sizeof(*byaddr))) == NULL ||
	    (retry = calloc(ntg, sizeof(*retry))) == NULL)
		return drv_fail("out of memory");
	for (size_t i = 0; i < ntg; i++)
		byaddr[i] = i;
	qsort(byaddr, ntg, sizeof(*byaddr), byaddr_cmp);
	for (size_t i = 1; i < ntg; i++)
		if (addr_cmp(&tg[byaddr[i]].t, &tg[byaddr[i - 1]].t) == 0) {
			tg[byaddr[i]].state = A_DONE;
			ndone++;
			drv_log("%s: repeated, probed once",
			    tg[byaddr[i]].t.addr);
		}
	return 0;
}

/* The first target (in file order) whose address is the AF bytes BIN,
 * or NULL. */
static struct target *
find(int af, const uint8_t *bin)
{
	struct drv_target k;
	size_t lo = 0, hi = ntg;

	k.af = af;
	memcpy(k.bin, bin, 16);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (addr_cmp(&k, &tg[byaddr[mid]].t) <= 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (lo == ntg || addr_cmp(&k, &tg[byaddr[lo]].t) != 0)
		return NULL;
	return &tg[byaddr[lo]];
}

/* ---- the run -------------------------------------------------------- */

/* The command for target I, malloc'd, or NULL. */
static char *
command(size_t i)
{
	char *s = NULL;

	if (asprintf(&s, "ping -c %u -o %u -P %s %s", o.probes, o.replies,
	    o.methods[tg[i].method], tg[i].t.addr) < 0)
		return NULL;
	return s;
}

/* Nonzero if the pings in flight are given up: scamper has sent no
 * result for STALL seconds while nothing else was left to send (it
 * drops a task it cannot start, such as one to an address without a
 * route, without a word). */
static int
stalled(void)
{
	time_t stall = 60 + 2 * (time_t)o.probes;

	if (inflight == 0 || time(NULL) - progress < stall)
		return 0;
	for (size_t i = 0; i < ntg; i++)
		if (tg[i].state == A_FLIGHT) {
			drv_log("%s: no result from scamper in %lds, given up",
			    tg[i].t.addr, (long)stall);
			tg[i].state = A_DONE;
			ndone++;
		}
	inflight = 0;
	return 1;
}

static int
want(void *arg, char **cmd)
{
	size_t i;

	(void)arg;
	if (nretry > 0)
		i = retry[--nretry];
	else {
		while (next_new < ntg && tg[next_new].state != A_QUEUED)
			next_new++;
		if (next_new == ntg)
			return stalled() || inflight == 0 ? TBITDRV_DONE :
			    TBITDRV_LATER;
		i = next_new++;
	}
	progress = time(NULL);
	if ((*cmd = command(i)) == NULL) {
		drv_fail("out of memory");
		return TBITDRV_DONE;
	}
	tg[i].state = A_FLIGHT;
	inflight++;
	last_sent = i;
	drv_log("p %zu, c %zu: %s", inflight, ndone, *cmd);
	return TBITDRV_CMD;
}

/* Target T's ping ended with REPLIES replies (-1: refused). */
static void
ended(struct target *t, long replies)
{
	if (t->state != A_FLIGHT)
		return;
	inflight--;
	if (replies == 0 && t->method + 1 < o.nmethods) {
		t->method++;
		t->state = A_QUEUED;
		retry[nretry++] = (size_t)(t - tg);
		return;
	}
	t->state = A_DONE;
	ndone++;
}

static void
on_record(void *arg, uint16_t type, const uint8_t *b, size_t len)
{
	struct scamper_ping *p;
	struct target *t;

	(void)arg;
	if (type != SCAMPER_FILE_OBJ_PING ||
	    (p = tbitdrv_decode_obj(&drv, type, b, len)) == NULL)
		return;
	t = find(p->dst.type == SCAMPER_ADDR_IPV4 ? AF_INET : AF_INET6,
	    p->dst.addr);
	if (t != NULL)
		ended(t, p->replyc);
	progress = time(NULL);
	scamper_ping_free(p);
}

/* scamper refused the command last sent: that address is done. */
static void
on_refused(void *arg, const char *line)
{
	(void)arg;
	if (last_sent == SIZE_MAX)
		return;
	drv_log("%s refused: %s", tg[last_sent].t.addr, line);
	tg[last_sent].method = o.nmethods;
	ended(&tg[last_sent], -1);
	last_sent = SIZE_MAX;
}

static void
no_tbit(const struct tbitdrv_result *r)
{
	(void)r;
}

static int
run(void)
{
	if (o.logfile != NULL && drv_log_create(o.logfile) == -1)
		return -1;
	if (read_addrs() == -1)
		return -1;
	if (tbitdrv_init(&drv, "sc_pinger", o.sock.port, o.outfile, 0, want,
	    no_tbit, NULL) == -1)
		return -1;
	tbitdrv_single_file(&drv);
	tbitdrv_on_record(&drv, on_record);
	tbitdrv_on_refused(&drv, on_refused);
	if (o.daemon && daemon(1, 0) == -1)
		return drv_fail("daemon: %s", strerror(errno));
	if (tbitdrv_run(&drv) == -1)
		return -1;
	drv_log("done: %zu addresses", ndone);
	return 0;
}

int
main(int argc, char **argv)
{
	int rc;

	drv_prog("sc_pinger");
	if ((rc = parse(argc, argv)) == 1)
		usage(stdout);
	else if (rc == 0)
		rc = run();
	free(tg);
	free(byaddr);
	free(retry);
	drv_close();
	return rc == -1 ? 1 : 0;
}
