/*
 * output.c: result streams (see output.h).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "output.h"

struct output {
	FILE		*f;
	enum output_fmt	 fmt;
	int		 own;
};

struct output *
output_open(const char *path, enum output_fmt fmt)
{
	struct output *o = calloc(1, sizeof(*o));

	if (o == NULL)
		return NULL;
	o->fmt = fmt;
	if (path == NULL) {
		o->f = stdout;
	} else {
		if ((o->f = fopen(path, fmt == OUTPUT_WARTS ? "wbe" : "we")) ==
		    NULL) {
			free(o);
			return NULL;
		}
		o->own = 1;
	}
	return o;
}

int
output_close(struct output *o)
{
	int rc = 0;

	if (o == NULL)
		return 0;
	if (fflush(o->f) != 0 || ferror(o->f))
		rc = -1;
	if (o->own && fclose(o->f) != 0)
		rc = -1;
	free(o);
	return rc;
}

FILE *
output_stream(struct output *o)
{
	return o->f;
}

enum output_fmt
output_format(const struct output *o)
{
	return o->fmt;
}
