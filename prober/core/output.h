/*
 * output.h: where results go: a file (or standard output) or a callback,
 * in one format.  The encoding is libscamperfile's (scamper_sink.h): this
 * layer knows no result type; it opens files, names them in messages,
 * copies results (-O outcopy) and remembers failure.
 */
#ifndef PROBER_CORE_OUTPUT_H
#define PROBER_CORE_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

#include "monotime.h"
#include "scamper_sink.h"

struct scamper_cycle;

enum output_fmt {
	OUTPUT_TEXT = SCAMPER_SINK_TEXT,
	OUTPUT_JSON = SCAMPER_SINK_JSON,
	OUTPUT_WARTS = SCAMPER_SINK_WARTS,
};

struct output;

/* Open PATH (NULL for standard output) for FMT, truncating.  Returns NULL
 * with errno set on failure.  Close with output_close(). */
struct output *output_open(const char *path, enum output_fmt fmt);

/* Open -o (standard output if none) in the format -O chose (text unless
 * warts or json), truncating.  As output_open otherwise. */
struct opts;
struct output *output_open_opts(const struct opts *o);

/* Open PATH for FMT, truncating or (APPEND) appending.  As output_open
 * otherwise. */
struct output *output_open_mode(const char *path, enum output_fmt fmt,
    int append);

/* An output writing FMT to FD, a file already opened for writing
 * (truncated or appending), e.g. by scamper-helper after the privilege
 * drop; NAME (copied) names it in messages.  FD is owned from now on
 * (closed on failure too).  Returns NULL with errno set. */
struct output *output_fdopen(int fd, enum output_fmt fmt, const char *name);

/* Where a callback output delivers each record: BUF[0..LEN-1] is one
 * complete warts record (header included), one JSON object with its
 * newline, or one text rendering.  Returns 0, or -1 to count a failure. */
typedef scamper_sink_fn output_sink_fn;

/* An output that hands each record to FN(ARG) instead of a file, e.g.
 * into a control-socket client's buffer.  Returns NULL (ENOMEM). */
struct output *output_sink(enum output_fmt fmt, output_sink_fn *fn,
    void *arg);

/* Flush and close O (standard output is flushed, not closed).  Returns 0,
 * or -1 if a write failed at any point. */
int output_close(struct output *o);

enum output_fmt output_format(const struct output *o);

/* Bytes of results every output of this process has written (or handed
 * to its callback) so far. */
uint64_t output_bytes_all(void);

/* Write one object of TYPE (SCAMPER_FILE_OBJ_*): a result, which also
 * goes to the copy (output_copy_to), or a list or cycle record, which
 * does not.  In warts, a result's list and cycle are written before it
 * the first time.  Returns 0 or -1.  The first write error of a file is
 * logged, and from then on the output refuses every write quietly (see
 * output_failed).  May block. */
int output_write(struct output *o, uint16_t type, const void *obj);

/* Cycle records: warts writes them (and the list first); JSON writes the
 * cycle objects; text writes nothing. */
int output_cycle_start(struct output *o, const struct scamper_cycle *c);
int output_cycle_stop(struct output *o, const struct scamper_cycle *c);

/* Push buffered results out.  Returns 0 or -1. */
int output_flush(struct output *o);

/* Push O's buffered results out if they have waited LINGER_NS since a
 * call at NOW first found them (0: at once); else *DUE gets when they
 * will have (MONOTIME_MAX: nothing waits).  Returns 0 or -1 as
 * output_flush.  (The encoder writes past 64 KiB by itself.) */
int output_flush_aged(struct output *o, struct monotime now,
    int64_t linger_ns, struct monotime *due);

/* The errno of the write to O's file that failed, or 0.  A failed file
 * ends with its last whole record and takes nothing more. */
int output_failed(const struct output *o);

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
