/*
 * wartsread.c: the read-and-print loop of the warts tools (wartsread.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scamper_file.h"
#include "wartsread.h"

/* Every object of PATH through PRINT; 0 or -1. */
static int
read_file(const char *prog, const char *path, wr_print_fn *print)
{
	struct scamper_file *f = scamper_file_open_read(path);
	uint16_t type;
	void *obj;
	int rc, prc = 0;

	if (f == NULL) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		return -1;
	}
	while ((rc = scamper_file_read(f, &type, &obj)) == 1) {
		prc = print(path, type, obj);
		scamper_file_obj_free(type, obj);
		if (prc != 0)
			break;
	}
	if (rc < 0 && scamper_file_error(f)[0] != '\0')
		fprintf(stderr, "%s: %s: %s\n", prog, path,
		    scamper_file_error(f));
	scamper_file_close(f);
	return rc < 0 || prc < 0 ? -1 : 0;
}

int
wr_main(const char *prog, const char *usage, int argc, char **argv,
    wr_print_fn *print)
{
	int rc = 0;

	if (usage != NULL && argc > 1 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0)) {
		fprintf(stderr, "%s\n", usage);
		return 0;
	}
	if (argc < 2)
		rc = read_file(prog, "-", print);
	for (int i = 1; i < argc; i++)
		if (read_file(prog, argv[i], print) != 0)
			rc = -1;
	if (fflush(stdout) != 0)
		rc = -1;
	return rc == 0 ? 0 : 1;
}

int
wr_put(const char *prog, int rc, char *s, int nl)
{
	if (rc != 0) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return -1;
	}
	if (s != NULL) {
		fputs(s, stdout);
		if (nl)
			fputc('\n', stdout);
		free(s);
	}
	return 0;
}

static const char *render_prog;
static wr_render_fn *render_fn;
static int render_nl;

static int
render_print(const char *path, uint16_t type, void *obj)
{
	char *s = NULL;
	int rc = render_fn(type, obj, &s);

	(void)path;
	return wr_put(render_prog, rc, s, render_nl);
}

int
wr_render_main(const char *prog, const char *usage, int argc,
    char **argv, wr_render_fn *render, int nl)
{
	render_prog = prog;
	render_fn = render;
	render_nl = nl;
	return wr_main(prog, usage, argc, argv, render_print);
}

void
wr_mpls_each(const uint8_t *x, uint16_t len, wr_mpls_fn *fn)
{
	size_t off = 0;

	while (x != NULL && off + 4 <= len) {
		size_t dl = (size_t)x[off] << 8 | x[off + 1];
		const uint8_t *d = x + off + 4;

		if (off + 4 + dl > len)
			break;
		for (size_t i = 0; x[off + 2] == 1 && x[off + 3] == 1 &&
		    i + 4 <= dl; i += 4)
			fn(i, (uint32_t)d[i] << 24 | (uint32_t)d[i + 1] << 16 |
			    (uint32_t)d[i + 2] << 8 | d[i + 3]);
		off += 4 + dl;
	}
}
