/*
 * warts_io.h: a byte stream from a file descriptor that undoes gzip,
 * bzip2 or xz compression transparently (internal, not installed).
 */
#ifndef WARTS_IO_H
#define WARTS_IO_H

#include <stddef.h>
#include <sys/types.h>

struct wio;

/* Wrap FD (not closed by wio_free).  NULL on ENOMEM. */
struct wio *wio_new(int fd);
/* Read up to N bytes, filling BUF completely unless the stream ends.
 * Returns the count (0 at the end) or -1 with a message in ERR. */
ssize_t wio_read(struct wio *w, void *buf, size_t n, char *err, size_t errlen);
/* "none", "gzip", "bzip2" or "xz" once the first read has happened. */
const char *wio_compression(const struct wio *w);
void wio_free(struct wio *w);

#endif
