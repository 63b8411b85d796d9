/*
 * measure.h: run the measurements a command line asks for: sources from
 * -i/-I/-f (or a bare list file), output per -o/-O, list and cycle
 * records per -l/-L/-C/-M, pacing per -p/-w.
 *
 * Files are opened by measure_prepare(), before privilege is dropped
 * (after the drop the prober may be in an empty chroot with no file
 * system access at all); probing starts in measure_run().
 */
#ifndef PROBER_CORE_MEASURE_H
#define PROBER_CORE_MEASURE_H

#include "loop.h"
#include "netio.h"
#include "opts.h"

struct measure;

/* Nonzero if O asks for probing (so raw sockets are needed). */
int measure_needs_sockets(const struct opts *o);

struct method;

/* Open O's output and list files, to measure with the techniques of
 * METHODS (NULL-terminated).  Returns NULL (the problem is logged) if
 * one cannot be opened or -c names no technique.  O and METHODS must
 * outlive the result.  Free with measure_free() or hand to
 * measure_run(). */
struct measure *measure_prepare(const struct opts *o,
    const struct method *const *methods);

/* Run M's measurements on L with the raw sockets FDS; M and FDS are
 * consumed.  Returns the exit status: 0, or 1 if start-up failed, a
 * result could not be written, the helper went away (FDS->on_lost) or
 * any measurement was left undone (halted, never started, input left
 * unread: one warning says what). */
int measure_run(struct measure *m, struct loop *l,
    const struct netio_fds *fds);

/* Free M without running it (closing its files). */
void measure_free(struct measure *m);

#endif
