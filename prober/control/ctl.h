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
#ifndef PROBER_CONTROL_CTL_H
#define PROBER_CONTROL_CTL_H

#include <sys/types.h>

#include "loop.h"
#include "netio.h"
#include "opts.h"

struct ctl;
struct ctl_client;
struct remote;

/* The byte stream of a client that is not a socket of ours (a remote
 * channel, remote.c): the control socket reads and writes through these
 * as through a non-blocking descriptor, and says with watch() which
 * events it waits for; the owner then calls ctl_client_io().  close() is
 * the last call: the client is gone. */
struct ctl_vio {
	ssize_t	(*read)(void *arg, void *buf, size_t len);
	ssize_t	(*write)(void *arg, const void *buf, size_t len);
	void	(*watch)(void *arg, int events);
	void	(*close)(void *arg);
};

struct method;

/* Make O's listening sockets (-P, -U; the unix socket mode 0600, a stale
 * one replaced) and open -o if given; commands may name the techniques
 * of METHODS (NULL-terminated).  Returns NULL, with the problem logged,
 * on failure.  O and METHODS must outlive the result. */
struct ctl *ctl_prepare(const struct opts *o,
    const struct method *const *methods);

/* Serve the control socket on L, probing with the raw sockets FDS, until
 * a "shutdown" command or a signal ends it.  NOFILES: files cannot be
 * opened any more (sandboxed), so "outfile open" and "source add" are
 * refused with that reason.  CTL and FDS are consumed.  Returns the exit
 * status: 1 if start-up failed or scamper-helper went away (FDS->on_lost:
 * what was in flight is written with stop reason error), else 0. */
int ctl_run(struct ctl *ctl, struct loop *l, const struct netio_fds *fds,
    int nofiles);

/* ctl_run's two halves, for tests that drive a control socket without
 * running the loop: ctl_start makes the core and watches the listeners
 * (0, or -1 logged: ctl_finish it anyway); ctl_finish frees every client,
 * the core and CTL. */
int ctl_start(struct ctl *ctl, struct loop *l, const struct netio_fds *fds,
    int nofiles);
void ctl_finish(struct ctl *ctl);

/* Let R (owned from here on) start with the loop in ctl_run(): scamper -R. */
void ctl_set_remote(struct ctl *ctl, struct remote *r);

/* A new client named NAME speaking through VIO/ARG, attached from the
 * start (no "attach", no "OK": a remote channel).  The end of its stream
 * counts as "done".  Returns NULL (logged) on failure. */
struct ctl_client *ctl_client_virtual(struct ctl *ctl, const char *name,
    const struct ctl_vio *vio, void *arg);

/* As ctl_client_virtual, but an interactive client, as one that just
 * connected to the control socket (for tests: no limits apply). */
struct ctl_client *ctl_client_stream(struct ctl *ctl, const char *name,
    const struct ctl_vio *vio, void *arg);

/* EVENTS (LOOP_READ, LOOP_WRITE) are ready on a virtual client's stream.
 * The client may be closed (vio->close called) before this returns. */
void ctl_client_io(struct ctl_client *cl, int events);

/* Free CTL without running it. */
void ctl_free(struct ctl *ctl);

#endif
