/*
 * ctl.h: scamper's control socket (-P [ip:]port, -U path): interactive
 * commands (get, set, source, outfile, observe, shutdown, exit) and
 * attach mode, where a client sends measurement commands and receives
 * each result as a DATA payload (scamper-behaviour.md section a).
 *
 * The listening sockets are made by ctl_prepare(), before privilege is
 * dropped (the -U path is outside the chroot; a -P port may be below
 * 1024); everything after runs unprivileged on the event loop.
 */
#ifndef CONTROL_CTL_H
#define CONTROL_CTL_H

#include "loop.h"
#include "netio.h"
#include "opts.h"

struct ctl;

/* Make O's listening sockets (-P, -U; the unix socket mode 0600, a stale
 * one replaced) and open -o if given.  Returns NULL, with the problem
 * logged, on failure.  O must outlive the result. */
struct ctl *ctl_prepare(const struct opts *o);

/* Serve the control socket on L, probing with the raw sockets FDS, until
 * a "shutdown" command or a signal ends it.  NOFILES: files cannot be
 * opened any more (sandboxed), so "outfile open" and "source add" are
 * refused with that reason.  CTL and FDS are consumed.  Returns the exit
 * status. */
int ctl_run(struct ctl *ctl, struct loop *l, const struct netio_fds *fds,
    int nofiles);

/* Free CTL without running it. */
void ctl_free(struct ctl *ctl);

#endif
