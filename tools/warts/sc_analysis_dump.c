/*
 * sc_analysis_dump: one tab-separated line per traceroute in warts files,
 * in the line format of CAIDA's analysis tools (as Debian's
 * sc_analysis_dump 20211212 prints it), for scripts that parse it.
 *
 * Clean room: the data lines follow the observed output of Debian's tool;
 * the comment header is our own text (see the man page).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scamper_file.h"
#include "scamper_trace.h"
#include "wartsread.h"

#define O_NOCOMMENT	0x0001
#define O_NOSRC		0x0002
#define O_NODST		0x0004
#define O_NOLIST	0x0008
#define O_NOCYCLE	0x0010
#define O_NOTIME	0x0020
#define O_NOREPLY	0x0040
#define O_NOHALT	0x0080
#define O_NOPATH	0x0100
#define O_NOHOPDATA	0x0200
#define O_USERID	0x0400
#define O_DSTEND	0x0800
#define O_QTTL		0x1000
#define O_RTTL		0x2000
#define O_MPLS		0x4000
#define O_OLD		0x8000

static unsigned opts;

static const char *header[] = {
	"# sc_analysis_dump: traceroutes, one per line, fields separated by",
	"# tabs.  Fields in order (the -s -d -l -c -t -r -H -p options",
	"# leave groups out, -U adds one):",
	"#   T  (this line is a traceroute)",
	"#   source address, destination address",
	"#   list ID and cycle ID chosen by the user (0 if none)",
	"#   [user ID, with -U]",
	"#   start time, seconds since 1970",
	"#   destination replied: R (yes) or N (no); then the RTT (ms) of its",
	"#     first reply, the TTL of the probe it answered and the TTL of",
	"#     the reply, all 0 when N",
	"#   why probing stopped: S (ordinary end), U (ICMP unreachable), L",
	"#     (loop), G (gap limit) or ? (other); then a number qualifying",
	"#     it (the ICMP code, ...)",
	"#   path complete: C when every hop before the destination answered,",
	"#     else I",
	"#   then one field per hop from the first: each reply there as",
	"#     address,RTT in ms,attempt number (with -Q ,Q|quoted TTL and",
	"#     with -T ,T|reply TTL), several replies joined by ';', or q when",
	"#     nothing answered; the destination's first reply is not a hop",
	"#     (with -e it is added as a last field); with -M each MPLS",
	"#     label stack entry the reply carried adds ,M|TTL|label|exp|S",
	NULL,
};

/* -o: the older line format (space-separated; other options but -e, -i,
 * -Q and -T do not apply) */
static const char *header_old[] = {
	"# sc_analysis_dump -o: traceroutes in the older line format, one per",
	"# line, fields separated by spaces:",
	"#   I (the destination replied) or N (it did not)",
	"#   source address, destination address, start time (seconds)",
	"#   RTT (ms) of the destination's first reply, empty when N",
	"#   the highest TTL probed",
	"#   then one field per hop from the first: q when nothing answered,",
	"#     else one empty item per reply, joined by commas (this format,",
	"#     as CAIDA's 20211212 prints it, carries no addresses)",
	"#   with -e, a tab and the destination's first reply as in the",
	"#     default format",
	NULL,
};

static void
usage(void)
{
	fprintf(stderr,
	    "usage: sc_analysis_dump [-oCsdlctrHpiUeMQT] [-S skip] [-D count]\n"
	    "                        [file ...]\n");
}

static void
field(const char *s)
{
	fputc('\t', stdout);
	fputs(s, stdout);
}

static void
rtt(char *buf, size_t len, uint32_t us)
{
	snprintf(buf, len, "%u.%03u", us / 1000, us % 1000);
}

/* An ICMP reply that quotes the probe (time exceeded, unreachable). */
static int
quotes(const struct scamper_trace_hop *h)
{
	if (h->flags & (SCAMPER_TRACE_HOP_TCP | SCAMPER_TRACE_HOP_UDP))
		return 0;
	if (h->addr.type == SCAMPER_ADDR_IPV4)
		return h->icmp_type == 3 || h->icmp_type == 11;
	return h->icmp_type >= 1 && h->icmp_type <= 3;
}

/* -M: ",M|ttl|label|exp|s" for an MPLS label stack entry E. */
static void
mpls_item(size_t i, uint32_t e)
{
	(void)i;
	printf(",M|%u|%u|%u|%u", e & 0xff, e >> 12, (e >> 9) & 7,
	    (e >> 8) & 1);
}

static void
hop_item(const struct scamper_trace_hop *h)
{
	char a[SCAMPER_ADDR_STRLEN], r[16];

	scamper_addr_tostr(&h->addr, a, sizeof(a));
	fputs(a, stdout);
	if (!(opts & O_NOHOPDATA)) {
		rtt(r, sizeof(r), h->rtt);
		printf(",%s,%u", r, h->probe_id);
	}
	if ((opts & O_QTTL) && quotes(h))
		printf(",Q|%u", h->icmp_q_ttl);
	if (opts & O_RTTL)
		printf(",T|%u", h->reply_ttl);
	if (opts & O_MPLS)
		wr_mpls_each(h->icmpext, h->icmpext_len, mpls_item);
}

/* The first reply from the destination, or NULL.  A trace that stopped
 * on an error is taken not to have reached it (observed). */
static const struct scamper_trace_hop *
dst_reply(const struct scamper_trace *t)
{
	if (t->stop_reason == SCAMPER_TRACE_STOP_ERROR)
		return NULL;
	for (uint16_t i = 0; i < t->hops.hopc; i++)
		if (scamper_addr_cmp(&t->hops.hops[i].addr, &t->dst) == 0)
			return &t->hops.hops[i];
	return NULL;
}

/* Every reply is a hop but the destination's first (observed). */
static int
is_hop(const struct scamper_trace *t, const struct scamper_trace_hop *d,
    const struct scamper_trace_hop *h)
{
	(void)t;
	return h != d;
}

static void
halt(const struct scamper_trace *t)
{
	char buf[16];
	char c = '?';
	unsigned data = 0;

	switch (t->stop_reason) {
	case SCAMPER_TRACE_STOP_NONE:
	case SCAMPER_TRACE_STOP_COMPLETED:
		c = 'S';
		break;
	case SCAMPER_TRACE_STOP_UNREACH:
		c = 'U';
		data = t->stop_data;
		break;
	case SCAMPER_TRACE_STOP_LOOP:
		c = 'L';
		data = t->stop_data;
		break;
	case SCAMPER_TRACE_STOP_GAPLIMIT:
		c = 'G';
		data = t->stop_data;
		break;
	}
	snprintf(buf, sizeof(buf), "%c\t%u", c, data);
	field(buf);
}

static void
dump_trace(const struct scamper_trace *t)
{
	const struct scamper_trace_hop *d = dst_reply(t);
	char buf[SCAMPER_ADDR_STRLEN + 64];
	unsigned last = 0;
	int complete = d != NULL;

	/* the last TTL with a reply that is a hop */
	for (uint16_t i = 0; i < t->hops.hopc; i++)
		if (is_hop(t, d, &t->hops.hops[i]) &&
		    t->hops.hops[i].probe_ttl > last)
			last = t->hops.hops[i].probe_ttl;
	fputs("T", stdout);
	if (!(opts & O_NOSRC))
		field(scamper_addr_tostr(&t->src, buf, sizeof(buf)));
	if (!(opts & O_NODST))
		field(scamper_addr_tostr(&t->dst, buf, sizeof(buf)));
	if (!(opts & O_NOLIST))
		printf("\t%u", t->list != NULL ? t->list->id : 0);
	if (!(opts & O_NOCYCLE))
		printf("\t%u", t->cycle != NULL ? t->cycle->id : 0);
	if (opts & O_USERID)
		printf("\t%u", t->userid);
	if (!(opts & O_NOTIME))
		printf("\t%lu", (unsigned long)t->start.tv_sec);
	if (!(opts & O_NOREPLY)) {
		if (d != NULL) {
			rtt(buf, sizeof(buf), d->rtt);
			printf("\tR\t%s\t%u\t%u", buf, d->probe_ttl,
			    d->reply_ttl);
		} else
			fputs("\tN\t0\t0\t0", stdout);
	}
	if (!(opts & O_NOHALT))
		halt(t);
	if (opts & O_NOPATH) {
		fputc('\n', stdout);
		return;
	}
	for (unsigned ttl = 1; ttl <= last; ttl++) {
		int n = 0;

		for (uint16_t i = 0; i < t->hops.hopc; i++)
			n += t->hops.hops[i].probe_ttl == ttl &&
			    is_hop(t, d, &t->hops.hops[i]);
		if (n == 0)
			complete = 0;
	}
	field(complete ? "C" : "I");
	for (unsigned ttl = 1; ttl <= last; ttl++) {
		int n = 0;

		for (uint16_t i = 0; i < t->hops.hopc; i++) {
			const struct scamper_trace_hop *h = &t->hops.hops[i];

			if (h->probe_ttl != ttl || !is_hop(t, d, h))
				continue;
			fputc(n++ == 0 ? '\t' : ';', stdout);
			hop_item(h);
		}
		if (n == 0)
			field("q");
	}
	if ((opts & O_DSTEND) && d != NULL) {
		fputc('\t', stdout);
		hop_item(d);
	}
	fputc('\n', stdout);
}

/* -o: the older format (see header_old). */
static void
dump_old(const struct scamper_trace *t)
{
	const struct scamper_trace_hop *d = dst_reply(t);
	char a[SCAMPER_ADDR_STRLEN], b[SCAMPER_ADDR_STRLEN], r[16] = "";
	unsigned last = 0;

	for (uint16_t i = 0; i < t->hops.hopc; i++)
		if (is_hop(t, d, &t->hops.hops[i]) &&
		    t->hops.hops[i].probe_ttl > last)
			last = t->hops.hops[i].probe_ttl;
	if (d != NULL)
		rtt(r, sizeof(r), d->rtt);
	printf("%c %s %s %lu %s %u", d != NULL ? 'I' : 'N',
	    scamper_addr_tostr(&t->src, a, sizeof(a)),
	    scamper_addr_tostr(&t->dst, b, sizeof(b)),
	    (unsigned long)t->start.tv_sec, r, t->hop_count);
	for (unsigned ttl = 1; ttl <= last; ttl++) {
		int n = 0;

		fputc(' ', stdout);
		for (uint16_t i = 0; i < t->hops.hopc; i++)
			if (t->hops.hops[i].probe_ttl == ttl &&
			    is_hop(t, d, &t->hops.hops[i]) && n++ > 0)
				fputc(',', stdout);
		if (n == 0)
			fputc('q', stdout);
	}
	if ((opts & O_DSTEND) && d != NULL) {
		fputc('\t', stdout);
		hop_item(d);
	}
	fputc('\n', stdout);
}

static int
dump_file(const char *path, long *skip, long *count)
{
	struct scamper_file *f = scamper_file_open_read(path);
	uint16_t type;
	void *obj;
	int rc;

	if (f == NULL) {
		fprintf(stderr, "sc_analysis_dump: %s: cannot open\n", path);
		return -1;
	}
	while (*count != 0 && (rc = scamper_file_read(f, &type, &obj)) == 1) {
		/* -S and -D count traces, over all the files */
		if (type == SCAMPER_FILE_OBJ_TRACE) {
			if (*skip > 0)
				(*skip)--;
			else {
				if (*count > 0)
					(*count)--;
				if (opts & O_OLD)
					dump_old(obj);
				else
					dump_trace(obj);
			}
		}
		scamper_file_obj_free(type, obj);
	}
	if (*count != 0 && rc < 0)
		fprintf(stderr, "sc_analysis_dump: %s: %s\n",
		    strcmp(path, "-") == 0 ? "stdin" : path,
		    scamper_file_error(f));
	scamper_file_close(f);
	return *count != 0 && rc < 0 ? -1 : 0;
}

int
main(int argc, char **argv)
{
	static const struct { char c; unsigned o; } flags[] = {
		{ 'C', O_NOCOMMENT }, { 's', O_NOSRC }, { 'd', O_NODST },
		{ 'l', O_NOLIST }, { 'c', O_NOCYCLE }, { 't', O_NOTIME },
		{ 'r', O_NOREPLY }, { 'H', O_NOHALT }, { 'p', O_NOPATH },
		{ 'i', O_NOHOPDATA }, { 'U', O_USERID }, { 'e', O_DSTEND },
		{ 'Q', O_QTTL }, { 'T', O_RTTL }, { 'M', O_MPLS },
		{ 'o', O_OLD },
	};
	long skip = 0, count = -1;
	int ch, rc = 0;

	while ((ch = getopt(argc, argv, "oCsdlctrHpiUeMQTS:D:")) != -1) {
		size_t i;

		if (ch == 'S' || ch == 'D') {
			char *end;
			long v = strtol(optarg, &end, 10);

			if (*end != '\0' || v < 0) {
				fprintf(stderr, "sc_analysis_dump: -%c %s: not a "
				    "count\n", ch, optarg);
				return 1;
			}
			*(ch == 'S' ? &skip : &count) = v;
			continue;
		}
		for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
			if (flags[i].c == ch)
				break;
		if (i == sizeof(flags) / sizeof(flags[0])) {
			usage();
			return 1;
		}
		opts |= flags[i].o;
	}
	if (!(opts & O_NOCOMMENT))
		for (const char **h = (opts & O_OLD) ? header_old : header;
		    *h != NULL; h++)
			puts(*h);
	if (optind == argc)
		rc = dump_file("-", &skip, &count);
	for (int i = optind; i < argc; i++)
		if (dump_file(argv[i], &skip, &count) != 0)
			rc = 1;
	return rc == 0 ? 0 : 1;
}
