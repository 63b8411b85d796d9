/*
 * sc_wartsfilter: copy the measurements of a warts file that match every
 * given condition (type, destination address or prefix, list, cycle,
 * start time) to another warts file.
 *
 * usage: sc_wartsfilter [-a address[/len]]... [-c cycle-id] [-e until]
 *                       [-i infile] [-l list-id] [-o outfile]
 *                       [-O check-hops] [-s from] [-t type]...
 *
 * As CAIDA's: -a and -t may repeat (any of them matches), -a matches a
 * trace's, ping's, tracelb's or tbit's destination or any destination of
 * a dealias's probe definitions (-O check-hops: also a trace's hop, a
 * tracelb's node or a reply on a tracelb's link); only measurements are written, each with the list
 * and cycle definitions it refers to; cycle start and stop records are
 * not copied.  Ours adds -l, -c, -s and -e, takes -t sting, sniff, host
 * and neighbourdisc too, and refuses a run that selects nothing; unlike
 * 20211212, -a 0.0.0.0/0 and ::/0 match every address (20211212's match
 * none) and a dealias bump's probe definitions are matched too (20211212
 * matches no bump).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "mem.h"
#include "scamper_addr.h"
#include "scamper_dealias.h"
#include "scamper_file.h"
#include "scamper_list.h"
#include "scamper_ping.h"
#include "scamper_tbit.h"
#include "scamper_trace.h"
#include "scamper_tracelb.h"
#include "wartsobj.h"

struct prefix {
	struct scamper_addr a;
	unsigned int	 len;	/* bits */
};

struct filter {
	struct prefix	*pfx;
	size_t		 npfx, apfx;
	uint32_t	 types;		/* bit per SCAMPER_FILE_OBJ_* */
	int		 check_hops;
	int		 have_list, have_cycle;
	uint32_t	 list_id, cycle_id;
	long long	 from, until;	/* -1: not given */
};

static const struct {
	const char	*name;
	uint16_t	 type;
} type_names[] = {
	{ "trace", SCAMPER_FILE_OBJ_TRACE },
	{ "ping", SCAMPER_FILE_OBJ_PING },
	{ "tracelb", SCAMPER_FILE_OBJ_TRACELB },
	{ "dealias", SCAMPER_FILE_OBJ_DEALIAS },
	{ "neighbourdisc", SCAMPER_FILE_OBJ_NEIGHBOURDISC },
	{ "tbit", SCAMPER_FILE_OBJ_TBIT },
	{ "sting", SCAMPER_FILE_OBJ_STING },
	{ "sniff", SCAMPER_FILE_OBJ_SNIFF },
	{ "host", SCAMPER_FILE_OBJ_HOST },
};

static int
usage(void)
{
	fprintf(stderr, "usage: sc_wartsfilter [-a address[/len]] "
	    "[-c cycle-id] [-e until] [-i infile]\n"
	    "                      [-l list-id] [-o outfile] "
	    "[-O check-hops] [-s from] [-t type]\n");
	return 1;
}

static int
bad(const char *opt, const char *val, const char *why)
{
	fprintf(stderr, "sc_wartsfilter: -%s %s: %s\n", opt, val, why);
	return -1;
}

/* STR as a number in [0, MAX] into *V; -1 if it is not one. */
static int
number(const char *str, unsigned long long max, unsigned long long *v)
{
	char *end;

	if (*str < '0' || *str > '9')
		return -1;
	errno = 0;
	*v = strtoull(str, &end, 10);
	return errno != 0 || *end != '\0' || *v > max ? -1 : 0;
}

static int
add_prefix(struct filter *f, const char *arg)
{
	char buf[64], *slash;
	unsigned long long len;
	struct prefix *p;

	if (strlen(arg) >= sizeof(buf))
		return bad("a", arg, "too long for an address");
	strcpy(buf, arg);
	if ((slash = strchr(buf, '/')) != NULL)
		*slash++ = '\0';
	if (mem_grow(&f->pfx, &f->apfx, f->npfx + 1, sizeof(*f->pfx), 8))
		return bad("a", arg, "out of memory");
	p = &f->pfx[f->npfx];
	if (scamper_addr_pton(&p->a, buf) != 0 ||
	    (p->a.type != SCAMPER_ADDR_IPV4 && p->a.type != SCAMPER_ADDR_IPV6))
		return bad("a", arg, "not an IPv4 or IPv6 address");
	p->len = p->a.len * 8;
	if (slash != NULL) {
		if (number(slash, p->len, &len) != 0)
			return bad("a", arg, p->a.type == SCAMPER_ADDR_IPV4 ?
			    "prefix length not in 0-32" :
			    "prefix length not in 0-128");
		p->len = (unsigned int)len;
	}
	f->npfx++;
	return 0;
}

static int
add_type(struct filter *f, const char *arg)
{
	for (size_t i = 0; i < sizeof(type_names) / sizeof(type_names[0]);
	    i++)
		if (strcmp(arg, type_names[i].name) == 0) {
			f->types |= 1u << type_names[i].type;
			return 0;
		}
	return bad("t", arg, "not a record type (trace, ping, tracelb, "
	    "dealias, tbit, sting, sniff, host, neighbourdisc)");
}

/* A inside P? */
static int
in_prefix(const struct prefix *p, const struct scamper_addr *a)
{
	unsigned int full = p->len / 8, rest = p->len % 8;

	if (a->type != p->a.type)
		return 0;
	if (memcmp(a->addr, p->a.addr, full) != 0)
		return 0;
	return rest == 0 || ((a->addr[full] ^ p->a.addr[full]) &
	    (0xff << (8 - rest))) == 0;
}

static int
addr_match(const struct filter *f, const struct scamper_addr *a)
{
	for (size_t i = 0; i < f->npfx; i++)
		if (in_prefix(&f->pfx[i], a))
			return 1;
	return 0;
}

/* A node of LB, or a reply on one of its links, matches -a? */
static int
tracelb_hops_match(const struct filter *f, const struct scamper_tracelb *lb)
{
	for (size_t i = 0; i < lb->nodec; i++)
		if (scamper_addr_isset(&lb->nodes[i].addr) &&
		    addr_match(f, &lb->nodes[i].addr))
			return 1;
	for (size_t i = 0; i < lb->linkc; i++) {
		const struct scamper_tracelb_link *k = &lb->links[i];

		for (size_t j = 0; j < k->hopc; j++)
			for (size_t p = 0; p < k->sets[j].probec; p++) {
				const struct scamper_tracelb_probe *pr =
				    &k->sets[j].probes[p];

				for (size_t r = 0; r < pr->rxc; r++)
					if (addr_match(f, &pr->rxs[r].from))
						return 1;
			}
	}
	return 0;
}

/* Does any address of interest of OBJ (TYPE) match -a? */
static int
obj_addr_match(const struct filter *f, uint16_t type, const void *obj)
{
	const struct scamper_trace *t = obj;
	const struct scamper_tracelb *lb = obj;
	const struct scamper_dealias *d = obj;

	switch (type) {
	case SCAMPER_FILE_OBJ_TRACE:
		if (addr_match(f, &t->dst))
			return 1;
		for (size_t i = 0; f->check_hops && i < t->hops.hopc; i++)
			if (addr_match(f, &t->hops.hops[i].addr))
				return 1;
		return 0;
	case SCAMPER_FILE_OBJ_PING:
		return addr_match(f, &((const struct scamper_ping *)obj)->dst);
	case SCAMPER_FILE_OBJ_TBIT:
		return addr_match(f, &((const struct scamper_tbit *)obj)->dst);
	case SCAMPER_FILE_OBJ_TRACELB:
		if (addr_match(f, &lb->dst))
			return 1;
		return f->check_hops && tracelb_hops_match(f, lb);
	case SCAMPER_FILE_OBJ_DEALIAS:
		for (uint32_t i = 0; i < d->defc; i++)
			if (addr_match(f, &d->defs[i].dst))
				return 1;
		return 0;
	default:
		return 0;	/* no address we filter on */
	}
}

static int
selected(const struct filter *f, uint16_t type, const void *obj)
{
	const struct scamper_list *l;
	const struct scamper_cycle *c;
	struct timeval tv;

	if (!wartsobj_is_measurement(type))
		return 0;
	if (f->types != 0 && (f->types & (1u << type)) == 0)
		return 0;
	if (f->npfx > 0 && !obj_addr_match(f, type, obj))
		return 0;
	wartsobj_list_cycle(type, obj, &l, &c);
	if (f->have_list && (l == NULL || l->id != f->list_id))
		return 0;
	if (f->have_cycle && (c == NULL || c->id != f->cycle_id))
		return 0;
	tv = wartsobj_start(type, obj);
	if (f->from >= 0 && tv.tv_sec < f->from)
		return 0;
	if (f->until >= 0 && tv.tv_sec >= f->until)
		return 0;
	return 1;
}

static int
parse_args(int argc, char **argv, struct filter *f, const char **in,
    const char **out)
{
	unsigned long long v;
	int ch;

	while ((ch = getopt(argc, argv, "?a:c:e:i:l:o:O:s:t:")) != -1) {
		switch (ch) {
		case 'a':
			if (add_prefix(f, optarg) != 0)
				return -1;
			break;
		case 't':
			if (add_type(f, optarg) != 0)
				return -1;
			break;
		case 'c':
		case 'l':
			if (number(optarg, UINT32_MAX, &v) != 0)
				return bad(ch == 'c' ? "c" : "l", optarg,
				    "not a number in 0-4294967295");
			if (ch == 'c') {
				f->have_cycle = 1;
				f->cycle_id = (uint32_t)v;
			} else {
				f->have_list = 1;
				f->list_id = (uint32_t)v;
			}
			break;
		case 's':
		case 'e':
			if (number(optarg, LLONG_MAX, &v) != 0)
				return bad(ch == 's' ? "s" : "e", optarg,
				    "not a time in seconds since the epoch");
			*(ch == 's' ? &f->from : &f->until) = (long long)v;
			break;
		case 'i':
			*in = optarg;
			break;
		case 'o':
			*out = optarg;
			break;
		case 'O':
			if (strcmp(optarg, "check-hops") != 0)
				return bad("O", optarg, "unknown option (the "
				    "one known: check-hops)");
			f->check_hops = 1;
			break;
		default:
			usage();
			return -1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "sc_wartsfilter: %s: the input is given "
		    "with -i\n", argv[optind]);
		return -1;
	}
	if (f->npfx == 0 && f->types == 0 && !f->have_list &&
	    !f->have_cycle && f->from < 0 && f->until < 0) {
		fprintf(stderr, "sc_wartsfilter: nothing to select by: give "
		    "-a, -t, -l, -c, -s or -e\n");
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct filter f = { .from = -1, .until = -1 };
	const char *inpath = "-", *outpath = "-";
	struct scamper_file *in, *out;
	uint16_t type;
	void *obj;
	int r, rc = 0;

	if (parse_args(argc, argv, &f, &inpath, &outpath) != 0)
		return 1;
	if (strcmp(outpath, "-") == 0 && isatty(STDOUT_FILENO)) {
		fprintf(stderr, "sc_wartsfilter: not writing binary to a "
		    "terminal; use -o\n");
		return 1;
	}
	if ((in = scamper_file_open_read(inpath)) == NULL) {
		fprintf(stderr, "sc_wartsfilter: %s: %s\n", inpath,
		    strerror(errno));
		return 1;
	}
	if ((out = scamper_file_open_write(outpath)) == NULL) {
		fprintf(stderr, "sc_wartsfilter: %s: %s\n", outpath,
		    strerror(errno));
		scamper_file_close(in);
		return 1;
	}
	while ((r = scamper_file_read(in, &type, &obj)) == 1) {
		if (selected(&f, type, obj) &&
		    scamper_file_write_obj(out, type, obj) != 0) {
			fprintf(stderr, "sc_wartsfilter: %s: %s\n", outpath,
			    scamper_file_error(out));
			rc = 1;
		}
		scamper_file_obj_free(type, obj);
		if (rc != 0)
			break;
	}
	if (r < 0) {
		fprintf(stderr, "sc_wartsfilter: %s: %s\n", inpath,
		    scamper_file_error(in));
		rc = 1;
	}
	scamper_file_close(in);
	if (scamper_file_close(out) != 0) {
		fprintf(stderr, "sc_wartsfilter: %s: write failed\n", outpath);
		rc = 1;
	}
	free(f.pfx);
	return rc;
}
