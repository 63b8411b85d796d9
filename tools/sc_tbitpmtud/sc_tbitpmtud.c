/*
 * sc_tbitpmtud: how a list of web servers' TCP reacts to ICMP Packet Too
 * Big messages (tbit -t pmtud), through a running scamper's control
 * socket; and, given the files it wrote, a summary by the servers' MSS
 * or origin AS.
 *
 * Measuring: each system gets a ping (is it answering ICMP at all?) and
 * then a pmtud test at -m's MTU, or (-m 0) one at each of 1480, 1280,
 * 576 and 256 in turn (IPv6: 1480 and 1280 only); at most -w systems at
 * once.  Results go to OUT_NN.warts (-l records each); -c names a file
 * of systems done (read at start: they are skipped).
 *
 * Summarising (-d mssresults or asnresults, 1 or 2): one line per
 * server MSS or origin AS (-A: "prefix length asn" lines, longest match)
 * with how many tests gave each pmtud result.
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
#include "scamper_file.h"
#include "scamper_tbit.h"
#include "drvutil.h"
#include "tbitdrv.h"

static const unsigned mtus[] = { 1480, 1280, 576, 256 };
#define NMTU	(sizeof(mtus) / sizeof(mtus[0]))

struct sys {
	struct drv_target t;	/* app: -u URL -U ID */
	int	 next;		/* the next MTU's index (-m 0), or 0/1 */
	int	 pinged, busy, done;
};

static struct {
	struct drv_opts f;	/* -a -c -o -p -t */
	const char *ip2as;
	unsigned mtu, limit, window, dump;
	int shuffle, mtu_given;
} o = { .mtu = 1280, .window = 10 };

static struct sys *sys;
static size_t nsys, inflight, last;	/* last: the last command's */
static int last_tbit;			/* ... and it was a tbit */

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: sc_tbitpmtud [-r] [-a addressfile] [-c completed] [-l limit]\n"
	    "                    [-m mtu] [-o outfile] [-p port] [-t logfile]\n"
	    "                    [-w window]\n"
	    "       sc_tbitpmtud [-d dump] [-A ip2as] [-m mtu] file ...\n");
}

static int
parse_opts(int argc, char **argv)
{
	uint32_t v;
	int c;

	while ((c = getopt(argc, argv, "?a:A:c:d:l:m:o:p:rt:w:")) != -1) {
		if (drv_opt(&o.f, c, optarg))
			continue;
		switch (c) {
		case 'A': o.ip2as = optarg; break;
		case 'r': o.shuffle = 1; break;
		case 'd':
			if (strcmp(optarg, "1") == 0 ||
			    strcmp(optarg, "mssresults") == 0)
				o.dump = 1;
			else if (strcmp(optarg, "2") == 0 ||
			    strcmp(optarg, "asnresults") == 0)
				o.dump = 2;
			else
				return drv_fail("-d %s: expected mssresults "
				    "(1) or asnresults (2)", optarg);
			break;
		case 'm':
			if (ctl_uint(optarg, 0, 1480, &v) != 0 || (v != 0 &&
			    v != 256 && v != 576 && v != 1280 && v != 1480))
				return drv_fail("-m %s: expected 0, 256, 576, "
				    "1280 or 1480", optarg);
			o.mtu = v;
			o.mtu_given = 1;
			break;
		case 'l':
		case 'w':
			if (ctl_uint(optarg, 1, 100000, &v) != 0)
				return drv_fail("-%c %s: invalid value", c,
				    optarg);
			*(c == 'l' ? &o.limit : &o.window) = v;
			break;
		default:
			drv_usage_exit(usage, optopt);
		}
	}
	if (o.dump != 0) {
		if (!o.mtu_given)
			o.mtu = 0;	/* summaries count every MTU */
		if (optind == argc)
			return drv_fail("-d: name the warts files to "
			    "summarise");
		if (o.dump == 2 && o.ip2as == NULL)
			return drv_fail("-d asnresults needs -A ip2as");
		return 0;
	}
	if (drv_no_operands(argc, argv) == -1)
		return -1;
	return drv_need_aop(o.f.addrfile, o.f.outfile, o.f.port);
}

/* ---- measuring ------------------------------------------------------------ */

static int
add_system(char *line, unsigned long n, void *arg)
{
	char *w[5];
	int nw = drv_words(line, w, 5);
	struct sys s;

	(void)arg;
	memset(&s, 0, sizeof(s));
	if (drv_http_target(w, nw, o.f.addrfile, n, &s.t) == -1)
		return -1;
	if (drv_target_done(o.f.donefile, &s.t))
		return 0;
	return drv_push(&sys, &nsys, &s, sizeof(s));
}

static int
read_systems(void)
{
	if (drv_read_lines('a', o.f.addrfile, add_system, NULL) == -1)
		return -1;
	if (o.shuffle) {
		srandom((unsigned)time(NULL) ^ (unsigned)getpid());
		drv_shuffle(sys, nsys, sizeof(*sys));
	}
	return 0;
}

/* The MTU of S's next test, or 0 if it has none left. */
static unsigned
next_mtu(const struct sys *s)
{
	if (o.mtu != 0)
		return s->next == 0 ? o.mtu : 0;
	for (size_t i = (size_t)s->next; i < NMTU; i++)
		if (s->t.af == AF_INET || mtus[i] >= 1280)
			return mtus[i];
	return 0;
}

static void
advance(struct sys *s)
{
	unsigned m = next_mtu(s);

	if (o.mtu != 0) {
		s->next = 1;
		return;
	}
	while ((size_t)s->next < NMTU && mtus[s->next] != m)
		s->next++;
	s->next++;
}

static void
on_result(const struct tbitdrv_result *r)
{
	for (size_t i = 0; i < nsys; i++) {
		struct sys *s = &sys[i];

		if (!s->busy || s->t.af != r->af || memcmp(s->t.bin, r->dst,
		    r->af == AF_INET ? 4 : 16) != 0)
			continue;
		s->busy = 0;
		inflight--;
		drv_log("%s: %s", s->t.addr, r->result_name);
		if (next_mtu(s) == 0) {
			s->done = 1;
			drv_done_mark(s->t.addr);
		}
		return;
	}
}

static int
want_command(void *arg, char **cmd)
{
	int left = 0;

	(void)arg;
	for (size_t i = 0; i < nsys; i++) {
		struct sys *s = &sys[i];
		unsigned m;

		if (s->done)
			continue;
		left = 1;
		if (s->busy)
			continue;
		last = i;
		last_tbit = s->pinged;
		if (!s->pinged) {
			s->pinged = 1;
			return asprintf(cmd, "ping -c 4 %s", s->t.addr) < 0 ?
			    TBITDRV_LATER : TBITDRV_CMD;
		}
		if (inflight >= o.window)
			return TBITDRV_LATER;
		m = next_mtu(s);
		advance(s);
		if (asprintf(cmd, "tbit -t pmtud -M %u %s %s", m, s->t.app,
		    s->t.addr) < 0)
			return TBITDRV_LATER;
		s->busy = 1;
		inflight++;
		return TBITDRV_CMD;
	}
	return left ? TBITDRV_LATER : TBITDRV_DONE;
}

/* scamper refused a command: a refused tbit leaves the system. */
static void
on_refused(void *arg, const char *line)
{
	(void)arg;
	if (!last_tbit)
		return;
	sys[last].busy = 0;
	sys[last].done = 1;
	inflight--;
	drv_log("%s: refused: %s", sys[last].t.addr, line);
}

static int
measure(void)
{
	struct tbitdrv d;
	int rc;

	if (read_systems() == -1)
		return -1;
	if (drv_open_files(&o.f) == -1)
		return -1;
	drv_log("%zu systems to test", nsys);
	if (tbitdrv_init(&d, "sc_tbitpmtud", o.f.port, o.f.outfile, o.limit,
	    want_command, on_result, NULL) == -1)
		return -1;
	tbitdrv_on_refused(&d, on_refused);
	rc = tbitdrv_run(&d);
	return rc;
}

/* ---- summarising ---------------------------------------------------------- */

struct pfx {
	int	 af;
	uint8_t	 addr[16];
	unsigned len;
	uint32_t asn;
};

static struct pfx *pfx;
static size_t npfx;

static int
read_ip2as(void)
{
	FILE *f = fopen(o.ip2as, "r");
	char line[256], *w[4];
	unsigned long n = 0;
	struct pfx p, *q;
	uint32_t len;

	if (f == NULL)
		return drv_fail("-A %s: %s", o.ip2as, strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL) {
		n++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			fclose(f);
			return drv_fail("%s:%lu: line too long", o.ip2as, n);
		}
		line[strcspn(line, "\r\n")] = '\0';
		if (line[strspn(line, " \t")] == '\0' || line[0] == '#')
			continue;
		memset(&p, 0, sizeof(p));
		/* "prefix length asn": decimal numbers, nothing after */
		if (drv_words(line, w, 4) != 3 ||
		    ((p.af = AF_INET, inet_pton(AF_INET, w[0], p.addr)) != 1 &&
		    (p.af = AF_INET6, inet_pton(AF_INET6, w[0], p.addr)) != 1) ||
		    ctl_uint(w[1], 0, p.af == AF_INET ? 32 : 128, &len) != 0 ||
		    ctl_uint(w[2], 0, UINT32_MAX, &p.asn) != 0) {
			fclose(f);
			return drv_fail("%s:%lu: expected 'prefix length asn'",
			    o.ip2as, n);
		}
		p.len = len;
		if ((q = realloc(pfx, (npfx + 1) * sizeof(*pfx))) == NULL) {
			fclose(f);
			return drv_fail("out of memory");
		}
		pfx = q;
		pfx[npfx++] = p;
	}
	fclose(f);
	return 0;
}

static int
in_prefix(const struct pfx *p, int af, const uint8_t *a)
{
	unsigned bytes = p->len / 8, bits = p->len % 8;

	if (p->af != af || memcmp(p->addr, a, bytes) != 0)
		return 0;
	return bits == 0 ||
	    ((p->addr[bytes] ^ a[bytes]) & (0xff << (8 - bits))) == 0;
}

/* The origin AS of A, 0 if no prefix covers it. */
static uint32_t
asn_of(int af, const uint8_t *a)
{
	const struct pfx *best = NULL;

	for (size_t i = 0; i < npfx; i++)
		if (in_prefix(&pfx[i], af, a) &&
		    (best == NULL || pfx[i].len > best->len))
			best = &pfx[i];
	return best != NULL ? best->asn : 0;
}

/* Columns: the pmtud results (20 to 26), then anything else. */
#define NCOL	8
static const char *const colname[NCOL] = { "noack", "nodata", "toosmall",
    "nodf", "fail", "success", "cleardf", "other" };

struct row {
	uint32_t key;
	unsigned n[NCOL];
};

static struct row *rows;
static size_t nrows;

static void
count(uint32_t key, uint16_t result)
{
	size_t i;
	struct row *r;

	for (i = 0; i < nrows && rows[i].key != key; i++)
		;
	if (i == nrows) {
		if ((r = realloc(rows, (nrows + 1) * sizeof(*rows))) == NULL)
			return;
		rows = r;
		memset(&rows[nrows], 0, sizeof(*rows));
		rows[nrows++].key = key;
	}
	rows[i].n[result >= 20 && result <= 26 ? result - 20 : NCOL - 1]++;
}

static int
cmp_row(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

static int
summarise(int argc, char **argv)
{
	struct scamper_file *f;
	uint16_t type;
	void *obj;
	int rc = 0;

	if (o.dump == 2 && read_ip2as() == -1)
		return -1;
	for (int i = optind; i < argc; i++) {
		if ((f = scamper_file_open_read(argv[i])) == NULL) {
			rc = drv_fail("%s: %s", argv[i], strerror(errno));
			continue;
		}
		int r;

		while ((r = scamper_file_read(f, &type, &obj)) == 1) {
			const struct scamper_tbit *t = obj;

			if (type == SCAMPER_FILE_OBJ_TBIT &&
			    t->type == SCAMPER_TBIT_TYPE_PMTUD &&
			    (o.mtu == 0 || t->pmtud_mtu == o.mtu))
				count(o.dump == 1 ? t->server_mss :
				    asn_of(t->dst.type == SCAMPER_ADDR_IPV4 ?
				    AF_INET : AF_INET6, t->dst.addr), t->result);
			scamper_file_obj_free(type, obj);
		}
		if (r == -1)
			rc = drv_fail("%s: %s", argv[i],
			    scamper_file_error(f));
		scamper_file_close(f);
	}
	if (nrows > 0)		/* qsort of NULL is undefined */
		qsort(rows, nrows, sizeof(*rows), cmp_row);
	printf("%-10s", o.dump == 1 ? "mss" : "asn");
	for (int c = 0; c < NCOL; c++)
		printf(" %8s", colname[c]);
	printf("\n");
	for (size_t i = 0; i < nrows; i++) {
		printf("%-10u", rows[i].key);
		for (int c = 0; c < NCOL; c++)
			printf(" %8u", rows[i].n[c]);
		printf("\n");
	}
	return rc;
}

int
main(int argc, char **argv)
{
	int rc;

	drv_prog("sc_tbitpmtud");
	signal(SIGPIPE, SIG_IGN);
	if (parse_opts(argc, argv) == -1)
		return 1;
	if (o.dump != 0)
		return summarise(argc, argv) == 0 ? 0 : 1;
	rc = measure();
	drv_close();
	return rc == 0 ? 0 : 1;
}
