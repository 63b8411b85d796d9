/*
 * measure.h: run the measurements a command line asks for: sources from
 * -i/-I/-f (or a bare list file), output per -o/-O, list and cycle
 * records per -l/-L/-C/-M, pacing per -p/-w.
 */
#ifndef PROBER_CORE_MEASURE_H
#define PROBER_CORE_MEASURE_H

#include "loop.h"
#include "netio.h"
#include "opts.h"

/* Nonzero if O asks for probing (so raw sockets are needed). */
int measure_needs_sockets(const struct opts *o);

/* Run O's measurements on L with the raw sockets FDS (owned from here
 * on).  Returns the process exit status: 0, or 1 if start-up failed or
 * a result could not be written (each problem is logged). */
int measure_run(const struct opts *o, struct loop *l,
    const struct netio_fds *fds);

#endif
