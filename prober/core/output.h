/*
 * output.h: where results go: a stream and a format.  Techniques write
 * their result objects with the formats/ writers for the output's format.
 */
#ifndef PROBER_CORE_OUTPUT_H
#define PROBER_CORE_OUTPUT_H

#include <stdio.h>

enum output_fmt {
	OUTPUT_TEXT,
	OUTPUT_JSON,
	OUTPUT_WARTS,
};

struct output;

/* Open PATH (NULL for standard output) for FMT, truncating.  Returns NULL
 * with errno set on failure.  Close with output_close(). */
struct output *output_open(const char *path, enum output_fmt fmt);

/* Flush and close O (standard output is flushed, not closed).  Returns 0,
 * or -1 with errno if a write failed at any point. */
int output_close(struct output *o);

/* The stream and the format. */
FILE *output_stream(struct output *o);
enum output_fmt output_format(const struct output *o);

#endif
