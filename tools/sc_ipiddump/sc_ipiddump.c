/*
 * sc_ipiddump: the IP-IDs of the replies in ping, trace and dealias
 * records of warts files, as text sorted by the probes' send times: one
 * line per reply with the send and receive times, the address the probe
 * was sent from, the address that replied and the IP-ID in hexadecimal
 * (IPv6: the 32-bit fragment identification, for replies that came in
 * fragments).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scamper_dealias.h"
#include "scamper_file.h"
#include "scamper_ping.h"
#include "scamper_trace.h"

struct row {
	struct timeval	 tx, rx;
	char		 src[48], addr[48];
	uint32_t	 ipid;
	int		 wide;		/* 32 bits */
};

static struct {
	struct scamper_addr *ips;
	size_t		 nips;
	uint32_t	*uids;
	size_t		 nuids;
	int		 notrace;
} o;

static struct row *rows;
static size_t nrows, caprows;

static void
usage(void)
{
	fprintf(stderr, "usage: sc_ipiddump [-i ips] [-O notrace] "
	    "[-U userids] [file ...]\n");
}

/* Report "A B: WHY" (B may be empty). */
static int
fail3(const char *a, const char *b, const char *why)
{
	fprintf(stderr, "sc_ipiddump: %s%s%s: %s\n", a, *b != '\0' ? " " : "",
	    b, why);
	return -1;
}

static int
fail(const char *a, const char *why)
{
	return fail3(a, "", why);
}

/* -i and -U lists: comma separated. */
static int
parse_list(int c, char *arg)
{
	char *tok, *save, *end;

	for (tok = strtok_r(arg, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (c == 'i') {
			void *n = realloc(o.ips, (o.nips + 1) *
			    sizeof(*o.ips));
			if (n == NULL)
				return fail("-i", "out of memory");
			o.ips = n;
			if (scamper_addr_pton(&o.ips[o.nips], tok) != 0)
				return fail3("-i", tok, "not an IP address");
			o.nips++;
		} else {
			unsigned long v;
			void *n = realloc(o.uids, (o.nuids + 1) *
			    sizeof(*o.uids));
			if (n == NULL)
				return fail("-U", "out of memory");
			o.uids = n;
			errno = 0;
			v = strtoul(tok, &end, 10);
			if (errno != 0 || *end != '\0' || end == tok ||
			    v > UINT32_MAX)
				return fail3("-U", tok,
				    "not a user id (0 to 4294967295)");
			o.uids[o.nuids++] = (uint32_t)v;
		}
	}
	return 0;
}

static int
want_uid(uint32_t u)
{
	if (o.nuids == 0)
		return 1;
	for (size_t i = 0; i < o.nuids; i++)
		if (o.uids[i] == u)
			return 1;
	return 0;
}

static int
want_src(const struct scamper_addr *a)
{
	if (o.nips == 0)
		return 1;
	for (size_t i = 0; i < o.nips; i++)
		if (scamper_addr_cmp(&o.ips[i], a) == 0)
			return 1;
	return 0;
}

static void
add(const struct scamper_addr *src, const struct scamper_addr *addr,
    struct timeval tx, struct timeval rx, uint32_t ipid, int wide)
{
	struct row *r;

	if (nrows == caprows) {
		size_t c = caprows == 0 ? 256 : caprows * 2;
		struct row *n = realloc(rows, c * sizeof(*n));
		if (n == NULL)
			return;
		rows = n;
		caprows = c;
	}
	r = &rows[nrows++];
	r->tx = tx;
	r->rx = rx;
	if (scamper_addr_tostr(src, r->src, sizeof(r->src)) == NULL)
		snprintf(r->src, sizeof(r->src), "?");
	if (scamper_addr_tostr(addr, r->addr, sizeof(r->addr)) == NULL)
		snprintf(r->addr, sizeof(r->addr), "?");
	r->ipid = ipid;
	r->wide = wide;
}

static struct timeval
tv_add_us(struct timeval t, uint32_t us)
{
	t.tv_sec += (time_t)(us / 1000000);
	t.tv_usec += (suseconds_t)(us % 1000000);
	if (t.tv_usec >= 1000000) {
		t.tv_sec++;
		t.tv_usec -= 1000000;
	}
	return t;
}

static void
from_ping(const struct scamper_ping *p)
{
	if (!want_uid(p->userid))
		return;
	for (uint16_t i = 0; i < p->replyc; i++) {
		const struct scamper_ping_reply *r = &p->replies[i];

		if (!want_src(&r->addr) || r->tx.tv_sec == 0)
			continue;
		if (r->addr.type == SCAMPER_ADDR_IPV6) {
			if (r->reply_ipid32 != 0)
				add(&p->src, &r->addr, r->tx,
				    tv_add_us(r->tx, r->rtt), r->reply_ipid32,
				    1);
		} else if (r->flags & SCAMPER_PING_REPLY_FLAG_REPLY_IPID)
			add(&p->src, &r->addr, r->tx, tv_add_us(r->tx, r->rtt),
			    r->reply_ipid, 0);
	}
}

static void
from_trace(const struct scamper_trace *t)
{
	if (o.notrace || !want_uid(t->userid) ||
	    t->dst.type != SCAMPER_ADDR_IPV4)
		return;
	for (uint16_t i = 0; i < t->hops.hopc; i++) {
		const struct scamper_trace_hop *h = &t->hops.hops[i];

		if (want_src(&h->addr) && h->tx.tv_sec != 0)
			add(&t->src, &h->addr, h->tx, tv_add_us(h->tx, h->rtt),
			    h->reply_ipid, 0);
	}
}

static void
from_dealias(const struct scamper_dealias *d)
{
	if (!want_uid(d->userid))
		return;
	for (uint32_t i = 0; i < d->probec; i++) {
		const struct scamper_dealias_probe *p = &d->probes[i];
		const struct scamper_addr *src = p->def < d->defc ?
		    &d->defs[p->def].src : NULL;

		for (uint16_t k = 0; src != NULL && k < p->replyc; k++) {
			const struct scamper_dealias_reply *r = &p->replies[k];

			if (!want_src(&r->src))
				continue;
			if (r->src.type == SCAMPER_ADDR_IPV6) {
				if (r->flags & SCAMPER_DEALIAS_REPLY_FLAG_IPID32)
					add(src, &r->src, p->tx, r->rx,
					    r->ipid32, 1);
			} else
				add(src, &r->src, p->tx, r->rx, r->ipid, 0);
		}
	}
}

static int
read_file(const char *path)
{
	struct scamper_file *f;
	uint16_t type;
	void *obj;
	int rc;

	f = strcmp(path, "-") == 0 ? scamper_file_fdopen_read(dup(0)) :
	    scamper_file_open_read(path);
	if (f == NULL)
		return fail(path, strerror(errno));
	while ((rc = scamper_file_read(f, &type, &obj)) == 1) {
		if (type == SCAMPER_FILE_OBJ_PING)
			from_ping(obj);
		else if (type == SCAMPER_FILE_OBJ_TRACE)
			from_trace(obj);
		else if (type == SCAMPER_FILE_OBJ_DEALIAS)
			from_dealias(obj);
		scamper_file_obj_free(type, obj);
	}
	if (rc == -1)
		fail(path, scamper_file_error(f));
	scamper_file_close(f);
	return rc == -1 ? -1 : 0;
}

static int
cmp_row(const void *x, const void *y)
{
	const struct row *a = x, *b = y;

	if (a->tx.tv_sec != b->tx.tv_sec)
		return a->tx.tv_sec < b->tx.tv_sec ? -1 : 1;
	if (a->tx.tv_usec != b->tx.tv_usec)
		return a->tx.tv_usec < b->tx.tv_usec ? -1 : 1;
	return a->rx.tv_sec != b->rx.tv_sec ?
	    (a->rx.tv_sec < b->rx.tv_sec ? -1 : 1) :
	    (a->rx.tv_usec < b->rx.tv_usec ? -1 :
	    a->rx.tv_usec > b->rx.tv_usec);
}

int
main(int argc, char **argv)
{
	int c, rc = 0;

	while ((c = getopt(argc, argv, "i:O:U:?")) != -1) {
		switch (c) {
		case 'i': case 'U':
			if (parse_list(c, optarg) == -1)
				return 1;
			break;
		case 'O':
			if (strcmp(optarg, "notrace") != 0) {
				fail3("-O", optarg, "unknown option (notrace)");
				return 1;
			}
			o.notrace = 1;
			break;
		default:
			usage();
			return 1;
		}
	}
	if (optind == argc)
		rc = read_file("-");
	for (int i = optind; i < argc; i++)
		if (read_file(argv[i]) == -1)
			rc = -1;
	if (nrows > 0)		/* qsort of NULL is undefined */
		qsort(rows, nrows, sizeof(*rows), cmp_row);
	for (size_t i = 0; i < nrows; i++)
		printf("%ld.%06ld %ld.%06ld %s %s %0*x\n",
		    (long)rows[i].tx.tv_sec, (long)rows[i].tx.tv_usec,
		    (long)rows[i].rx.tv_sec, (long)rows[i].rx.tv_usec,
		    rows[i].src, rows[i].addr, rows[i].wide ? 8 : 4,
		    rows[i].ipid);
	free(rows);
	free(o.ips);
	free(o.uids);
	return rc == 0 && fflush(stdout) == 0 ? 0 : 1;
}
