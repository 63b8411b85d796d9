/*
 * sc_ttlexp: the addresses that sent ICMP time-exceeded (TTL expired in
 * transit) messages in the traceroute and tracelb records of warts
 * files, one a line, each once, in the order first seen.
 *
 * usage: sc_ttlexp [-O nodst] [-O noreserved] [file ...]
 *
 * With no file, or "-", standard input is read.  -O nodst leaves out a
 * message whose source is the destination probed; -O noreserved leaves
 * out sources in the special-purpose ranges (reserved()).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scamper_addr.h"
#include "scamper_file.h"
#include "scamper_trace.h"
#include "scamper_tracelb.h"

#define OPT_NODST	1
#define OPT_NORESERVED	2

/* The addresses printed so far, in an open-addressing hash set. */
struct seen {
	struct scamper_addr	*a;
	size_t			 n, cap;
};

static struct {
	int	 flags;		/* OPT_* */
} o;

/* A prefix of special-purpose addresses: its first bytes and length. */
struct pfx {
	uint8_t		 b[16];
	uint8_t		 bits;
};

/* IPv4: RFC 6890's registry, with multicast and the class E block. */
static const struct pfx rsv4[] = {
	{ { 0 }, 8 }, { { 10 }, 8 }, { { 100, 64 }, 10 }, { { 127 }, 8 },
	{ { 169, 254 }, 16 }, { { 172, 16 }, 12 }, { { 192, 0, 0 }, 24 },
	{ { 192, 0, 2 }, 24 }, { { 192, 88, 99 }, 24 },
	{ { 192, 168 }, 16 }, { { 198, 18 }, 15 }, { { 198, 51, 100 }, 24 },
	{ { 203, 0, 113 }, 24 }, { { 224 }, 4 }, { { 240 }, 4 },
};

/* IPv6: what lies outside global unicast (2000::/3) and, inside it,
 * Teredo, benchmarking, AMT, ORCHID (v1 and v2), documentation and
 * 6to4. */
static const struct pfx rsv6[] = {
	{ { 0x20, 0x01, 0, 0 }, 32 }, { { 0x20, 0x01, 0, 2, 0, 0 }, 48 },
	{ { 0x20, 0x01, 0, 3 }, 32 }, { { 0x20, 0x01, 0, 0x10 }, 28 },
	{ { 0x20, 0x01, 0, 0x20 }, 28 }, { { 0x20, 0x01, 0x0d, 0xb8 }, 32 },
	{ { 0x20, 0x02 }, 16 },
};
static const uint8_t global6[16] = { 0x20 };

/* Nonzero if the first BITS bits of A and B are the same. */
static int
pfx_match(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned whole = bits / 8, rest = bits % 8;

	if (memcmp(a, b, whole) != 0)
		return 0;
	return rest == 0 ||
	    ((a[whole] ^ b[whole]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

/* Nonzero if A is in a special-purpose range. */
static int
reserved(const struct scamper_addr *a)
{
	const struct pfx *p = a->type == SCAMPER_ADDR_IPV4 ? rsv4 : rsv6;
	size_t n = a->type == SCAMPER_ADDR_IPV4 ?
	    sizeof(rsv4) / sizeof(rsv4[0]) : sizeof(rsv6) / sizeof(rsv6[0]);

	if (a->type != SCAMPER_ADDR_IPV4 && (a->type != SCAMPER_ADDR_IPV6 ||
	    !pfx_match(a->addr, global6, 3)))
		return 1;
	for (size_t i = 0; i < n; i++)
		if (pfx_match(a->addr, p[i].b, p[i].bits))
			return 1;
	return 0;
}

/* Nonzero if ICMP type TYPE of an address of ATYPE is time exceeded. */
static int
timxceed(int atype, uint8_t type)
{
	return (atype == SCAMPER_ADDR_IPV4 && type == 11) ||
	    (atype == SCAMPER_ADDR_IPV6 && type == 3);
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: sc_ttlexp [-O options] [file ...]\n"
	    "   -O nodst: leave out sources that are the destination probed\n"
	    "   -O noreserved: leave out sources in reserved ranges\n");
}

static size_t
addr_hash(const struct scamper_addr *a)
{
	size_t h = 2166136261u;

	for (int i = 0; i < a->len; i++)
		h = (h ^ a->addr[i]) * 16777619u;
	return h;
}

/* Nonzero if A was not in S before (it is now).  -1 out of memory. */
static int
seen_add(struct seen *s, const struct scamper_addr *a)
{
	size_t i;

	if (s->n * 2 >= s->cap) {
		struct seen g = { NULL, 0, s->cap == 0 ? 64 : s->cap * 2 };

		if ((g.a = calloc(g.cap, sizeof(*g.a))) == NULL)
			return -1;
		for (i = 0; i < s->cap; i++)
			if (s->a[i].len != 0)
				seen_add(&g, &s->a[i]);
		free(s->a);
		*s = g;
	}
	for (i = addr_hash(a) & (s->cap - 1); s->a[i].len != 0;
	    i = (i + 1) & (s->cap - 1))
		if (scamper_addr_cmp(&s->a[i], a) == 0)
			return 0;
	s->a[i] = *a;
	s->n++;
	return 1;
}

/* Print FROM, a source of time-exceeded towards DST, if it is wanted. */
static int
found(struct seen *s, const struct scamper_addr *from,
    const struct scamper_addr *dst)
{
	char buf[64];
	int r;

	if ((o.flags & OPT_NODST) && scamper_addr_cmp(from, dst) == 0)
		return 0;
	if ((o.flags & OPT_NORESERVED) && reserved(from))
		return 0;
	if ((r = seen_add(s, from)) == -1)
		return -1;
	if (r == 1)
		printf("%s\n", scamper_addr_tostr(from, buf, sizeof(buf)));
	return 0;
}

static int
one_trace(struct seen *s, const struct scamper_trace *t)
{
	for (uint16_t i = 0; i < t->hops.hopc; i++) {
		const struct scamper_trace_hop *h = &t->hops.hops[i];

		if (!(h->flags & (SCAMPER_TRACE_HOP_TCP |
		    SCAMPER_TRACE_HOP_UDP)) &&
		    timxceed(h->addr.type, h->icmp_type) &&
		    found(s, &h->addr, &t->dst) == -1)
			return -1;
	}
	return 0;
}

/* The replies to the probes of PS, towards DST. */
static int
one_probeset(struct seen *s, const struct scamper_tracelb_probeset *ps,
    const struct scamper_addr *dst)
{
	for (uint16_t p = 0; p < ps->probec; p++) {
		const struct scamper_tracelb_probe *pr = &ps->probes[p];

		for (uint16_t r = 0; r < pr->rxc; r++) {
			const struct scamper_tracelb_reply *x = &pr->rxs[r];

			if (!(x->flags & SCAMPER_TRACELB_REPLY_FLAG_TCP) &&
			    timxceed(x->from.type, x->icmp_type) &&
			    found(s, &x->from, dst) == -1)
				return -1;
		}
	}
	return 0;
}

static int
one_tracelb(struct seen *s, const struct scamper_tracelb *t)
{
	for (uint16_t l = 0; l < t->linkc; l++)
		for (uint8_t k = 0; k < t->links[l].hopc; k++)
			if (one_probeset(s, &t->links[l].sets[k],
			    &t->dst) == -1)
				return -1;
	return 0;
}

/* Every record of the file PATH ("-": standard input).  Returns 0, or
 * -1 (reported). */
static int
one_file(struct seen *s, const char *path)
{
	struct scamper_file *f;
	uint16_t type;
	void *obj;
	int r, rc = 0;

	f = strcmp(path, "-") == 0 ? scamper_file_fdopen_read(STDIN_FILENO) :
	    scamper_file_open_read(path);
	if (f == NULL) {
		fprintf(stderr, "sc_ttlexp: could not open %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	while (rc == 0 && (r = scamper_file_read(f, &type, &obj)) == 1) {
		if (type == SCAMPER_FILE_OBJ_TRACE)
			rc = one_trace(s, obj);
		else if (type == SCAMPER_FILE_OBJ_TRACELB)
			rc = one_tracelb(s, obj);
		scamper_file_obj_free(type, obj);
	}
	if (rc == 0 && r != 0)
		rc = -1, fprintf(stderr, "sc_ttlexp: %s: %s\n", path,
		    scamper_file_error(f));
	else if (rc != 0)
		fprintf(stderr, "sc_ttlexp: out of memory\n");
	scamper_file_close(f);
	return rc;
}

/* Option -O VAL into o.  Returns 0, or -1 (reported). */
static int
opt_o(const char *val)
{
	if (strcmp(val, "nodst") == 0)
		o.flags |= OPT_NODST;
	else if (strcmp(val, "noreserved") == 0)
		o.flags |= OPT_NORESERVED;
	else {
		fprintf(stderr, "sc_ttlexp: -O %s: unknown option (nodst or "
		    "noreserved)\n", val);
		return -1;
	}
	return 0;
}

/* The options of ARGV into o.  Returns 0, 1 for -?, or -1
 * (reported). */
static int
parse(int argc, char **argv)
{
	int ch;

	while ((ch = getopt(argc, argv, "O:?")) != -1) {
		if (ch == 'O' && opt_o(optarg) == 0)
			continue;
		if (ch == '?' && optopt == 0)
			return 1;
		usage(stderr);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct seen s = { 0 };
	char *stdin_only[] = { "-" };
	char **files = argv;
	int nfiles, rc = 0;

	if ((rc = parse(argc, argv)) != 0) {
		if (rc == 1)
			usage(stdout);
		return rc == 1 ? 0 : 255;
	}
	files += optind;
	nfiles = argc - optind;
	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	/* a broken file is reported and the others are still read */
	for (int i = 0; i < nfiles; i++)
		if (one_file(&s, files[i]) == -1)
			rc = -1;
	free(s.a);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "sc_ttlexp: cannot write output\n");
		rc = -1;
	}
	return rc == 0 ? 0 : 255;
}
