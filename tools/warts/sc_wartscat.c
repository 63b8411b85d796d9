/*
 * sc_wartscat: concatenate warts files, or (-s) merge them in order of
 * measurement start time.
 *
 * usage: sc_wartscat [-?s] [-o outfile] [file ...]
 *
 * -o appends to outfile (created if missing), carrying on its list and
 * cycle numbering, as CAIDA's sc_wartscat does.
 * Records are decoded and written again, so list and cycle IDs are
 * renumbered for the output file and a list already written is not
 * repeated.  Concatenation streams in constant memory; -s reads all the
 * inputs, sorts the objects by time (measurement start, cycle start or
 * stop, in whole seconds; lists and undecoded records sort first; ties
 * keep their input order) and writes them, as CAIDA's sc_wartscat -s
 * does.  Unlike CAIDA's 20211212, no record is dropped: it loses
 * neighbourdisc, tbit, sting, sniff and host records.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "mem.h"
#include "scamper_file.h"
#include "wartsobj.h"

struct input {
	const char	*path;
	struct scamper_file *f;
};

/* One object held for sorting. */
struct item {
	struct timeval	 when;
	size_t		 seq;		/* input order, to keep the sort stable */
	uint16_t	 type;
	void		*obj;
};

static int
usage(void)
{
	fprintf(stderr, "usage: sc_wartscat [-?s] [-o outfile] <infile 1, 2, "
	    ".. N>\n");
	return 2;
}

static int
item_cmp(const void *va, const void *vb)
{
	const struct item *a = va, *b = vb;

	/* whole seconds only, as CAIDA's tool: a cycle stop stamped with the
	   second a measurement started in stays after it */
	if (a->when.tv_sec != b->when.tv_sec)
		return a->when.tv_sec < b->when.tv_sec ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int
emit(struct scamper_file *out, uint16_t type, void *obj)
{
	int rc = scamper_file_write_obj(out, type, obj);

	if (rc != 0)
		fprintf(stderr, "sc_wartscat: write: %s\n",
		    scamper_file_error(out));
	scamper_file_obj_free(type, obj);
	return rc;
}

/* Copy IN to OUT object by object (constant memory); 0 or -1. */
static int
concat(struct scamper_file *out, struct input *in)
{
	uint16_t type;
	void *obj;
	int rc;

	while ((rc = scamper_file_read(in->f, &type, &obj)) == 1)
		if (emit(out, type, obj) != 0)
			return -1;
	if (rc < 0)
		fprintf(stderr, "sc_wartscat: %s: %s\n", in->path,
		    scamper_file_error(in->f));
	return rc;
}

/* Read everything, sort by time (stable), write: memory grows with the
 * input, as a full sort must. */
static int
merge(struct scamper_file *out, struct input *in, int n)
{
	struct item *items = NULL, *it;
	size_t count = 0, alloc = 0;
	int rc = 0, r;

	for (int i = 0; i < n; i++) {
		uint16_t type;
		void *obj;

		if (in[i].f == NULL)
			continue;
		while ((r = scamper_file_read(in[i].f, &type, &obj)) == 1) {
			if (mem_grow(&items, &alloc, count + 1, sizeof(*items),
			    1024) != 0) {
				fprintf(stderr, "sc_wartscat: out of memory\n");
				scamper_file_obj_free(type, obj);
				rc = -1;
				goto out;
			}
			it = &items[count];
			it->when = wartsobj_start(type, obj);
			it->seq = count++;
			it->type = type;
			it->obj = obj;
		}
		if (r < 0) {
			fprintf(stderr, "sc_wartscat: %s: %s\n", in[i].path,
			    scamper_file_error(in[i].f));
			rc = -1;
		}
	}
	qsort(items, count, sizeof(*items), item_cmp);
out:
	for (size_t k = 0; k < count; k++)
		if (emit(out, items[k].type, items[k].obj) != 0)
			rc = -1;
	free(items);
	return rc;
}

int
main(int argc, char **argv)
{
	const char *outpath = "-";
	struct scamper_file *out;
	struct input *in;
	int ch, sort = 0, n, rc = 0, i;
	char err[512];


	while ((ch = getopt(argc, argv, "?so:")) != -1) {
		switch (ch) {
		case 's':
			sort = 1;
			break;
		case 'o':
			outpath = optarg;
			break;
		default:
			return usage();
		}
	}
	n = argc - optind;
	if (n < 1)
		return usage();
	if (strcmp(outpath, "-") == 0 && isatty(STDOUT_FILENO)) {
		fprintf(stderr, "sc_wartscat: not writing binary to a terminal; "
		    "use -o\n");
		return 1;
	}
	/* -o appends to the file, as CAIDA's does */
	if (strcmp(outpath, "-") == 0)
		out = scamper_file_open_write(outpath);
	else
		out = scamper_file_open_append(outpath, err, sizeof(err));
	if (out == NULL) {
		fprintf(stderr, "sc_wartscat: %s: %s\n", outpath,
		    strcmp(outpath, "-") == 0 ? strerror(errno) : err);
		return 1;
	}
	if ((in = calloc((size_t)n, sizeof(*in))) == NULL)
		return 1;
	for (i = 0; i < n; i++) {
		in[i].path = argv[optind + i];
		if ((in[i].f = scamper_file_open_read(in[i].path)) == NULL) {
			fprintf(stderr, "sc_wartscat: %s: %s\n", in[i].path,
			    strerror(errno));
			rc = 1;
		}
	}
	if (sort) {
		if (merge(out, in, n) != 0)
			rc = 1;
	} else {
		for (i = 0; i < n; i++)
			if (in[i].f != NULL && concat(out, &in[i]) != 0)
				rc = 1;
	}
	for (i = 0; i < n; i++)
		scamper_file_close(in[i].f);
	free(in);
	if (scamper_file_close(out) != 0) {
		fprintf(stderr, "sc_wartscat: %s: write failed\n", outpath);
		rc = 1;
	}
	return rc;
}
