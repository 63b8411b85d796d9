/*
 * scamper_sink.h: write measurement objects as warts, JSON or text, into
 * a descriptor or through a callback that the caller owns.
 *
 * A sink takes any object scamper_file_read() returns (measurements,
 * lists, cycle starts, definitions and stops, undecoded records) and
 * writes what its format makes of it: warts writes every object, with
 * the lists and cycles a measurement refers to written before it once;
 * JSON writes measurements sc_warts2json prints and cycle starts and
 * stops, one object per line; text writes the measurements that have a
 * text form.  Objects a format has nothing for are accepted and write
 * nothing.  Objects are never modified and stay the caller's.
 *
 * A descriptor sink buffers whole records and writes them out when 64 KiB
 * are waiting, on scamper_sink_flush() and at the end.  When a write
 * fails (a full disk, say) the sink takes back any part of a record that
 * reached the descriptor (a regular file is truncated to the end of the
 * last whole record), drops what is still buffered, and refuses every
 * later write: the output stays a sequence of whole records.  The
 * descriptor is never closed by the sink.
 *
 * A callback sink hands each record to the callback as soon as it is
 * made: one whole warts record (header included), one JSON object with
 * its newline, or one text rendering.
 */
#ifndef SCAMPER_SINK_H
#define SCAMPER_SINK_H

#include <stddef.h>
#include <stdint.h>

#define SCAMPER_SINK_TEXT	0
#define SCAMPER_SINK_JSON	1
#define SCAMPER_SINK_WARTS	2

struct scamper_sink;

/* Receives LEN bytes at BUF; returns 0, or -1 to fail that record. */
typedef int scamper_sink_fn(void *arg, const void *buf, size_t len);

/* A sink writing FORMAT (SCAMPER_SINK_*) to FD, which stays the caller's.
 * NULL with errno set (EINVAL: unknown format; ENOMEM). */
struct scamper_sink *scamper_sink_fd(int fd, int format);
/* A sink handing each record to FN(ARG, ...).  NULL as above. */
struct scamper_sink *scamper_sink_cb(int format, scamper_sink_fn *fn,
    void *arg);

/* Write one object of TYPE (SCAMPER_FILE_OBJ_*).  Returns 0, or -1 with
 * a message from scamper_sink_error(): the object could not be encoded,
 * the callback refused it, or a write to the descriptor failed now or
 * before.  May block writing to the descriptor. */
int scamper_sink_write(struct scamper_sink *s, uint16_t type,
    const void *obj);

/* Write out what a descriptor sink has buffered.  Returns 0, or -1 if a
 * write failed now or before. */
int scamper_sink_flush(struct scamper_sink *s);

/* Bytes S has delivered so far: written to its descriptor, or taken by
 * its callback (records buffered and not yet written are not counted). */
uint64_t scamper_sink_bytes(const struct scamper_sink *s);

/* The errno of the write to the descriptor that failed, or 0.  Once it
 * is set it stays so and every write is refused. */
int scamper_sink_failed(const struct scamper_sink *s);

/* The last error, "" if none.  Valid until the next call on S. */
const char *scamper_sink_error(const struct scamper_sink *s);

/* The sink's format (SCAMPER_SINK_*). */
int scamper_sink_format(const struct scamper_sink *s);

/* Flush and free S (its descriptor stays open).  Returns 0, or -1 if
 * any write failed or any record could not be written or delivered
 * during the sink's life.  NULL is ignored. */
int scamper_sink_close(struct scamper_sink *s);

#endif
