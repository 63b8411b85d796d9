/*
 * output.h: where results go: a file (or standard output) in one format.
 * Text and JSON are written line by line; warts through the formats/
 * library's writer, which adds list and cycle records as needed.
 */
#ifndef PROBER_CORE_OUTPUT_H
#define PROBER_CORE_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

struct scamper_trace;
struct scamper_ping;
struct scamper_cycle;

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

enum output_fmt output_format(const struct output *o);

/* Write one result.  Returns 0 or -1 (a message is logged).  May block. */
int output_write_trace(struct output *o, const struct scamper_trace *t);
int output_write_ping(struct output *o, const struct scamper_ping *p);

/* Write one result object of TYPE (SCAMPER_FILE_OBJ_NEIGHBOURDISC or
 * _SNIFF): warts only, as 20211212 (no text or JSON form).  Returns 0
 * or -1 (a message is logged). */
int output_write(struct output *o, uint16_t type, const void *obj);

/* Cycle records: warts writes them; JSON writes the cycle objects; text
 * writes nothing. */
int output_cycle_start(struct output *o, const struct scamper_cycle *c);
int output_cycle_stop(struct output *o, const struct scamper_cycle *c);

/* Push buffered results out.  Returns 0 or -1. */
int output_flush(struct output *o);

/* Where a sink output delivers each object: BUF[0..LEN-1] is one
 * complete warts record (header included), one JSON object with its
 * newline, or one text rendering.  Returns 0, or -1 to count a failure. */
typedef int output_sink_fn(void *arg, const void *buf, size_t len);

/* An output that hands each object to FN(ARG) instead of a file, e.g.
 * into a control-socket client's buffer.  In warts, the stream it makes
 * has one list (ID 1) and its cycles numbered from 1: output_cycle_start
 * sends the list record (first time) and a cycle-start record, and
 * results refer to the last cycle started.  Returns NULL (ENOMEM). */
struct output *output_sink(enum output_fmt fmt, output_sink_fn *fn,
    void *arg);

/* Open PATH for FMT, truncating or (APPEND) appending.  As output_open
 * otherwise. */
struct output *output_open_mode(const char *path, enum output_fmt fmt,
    int append);

/* An output writing FMT to FD, a file already opened for writing
 * (truncated or appending), e.g. by scamper-helper after the privilege
 * drop.  FD is owned from now on (closed on failure too).  Returns NULL
 * with errno set. */
struct output *output_fdopen(int fd, enum output_fmt fmt);

/* Swap the files behind A and B ("outfile swap", for log rotation):
 * whoever wrote to A now writes to B's file and the other way round. */
void output_swap(struct output *a, struct output *b);

/* -O outcopy: from now on every result written to O (not its list and
 * cycle records) is also written to COPY, as scamper(1) copies the
 * results of control-socket clients to its default output; a warts COPY
 * defines the result's list and cycle itself.  COPY is not owned and
 * must outlive O; NULL stops copying.  A failure to write the copy is
 * logged and counted against COPY only. */
void output_copy_to(struct output *o, struct output *copy);

#endif
