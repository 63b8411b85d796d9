/*
 * remote.h: "scamper -R name:port": scamper connects out to a controller
 * (sc_remoted), TLS by default, and serves each channel the controller
 * opens as an attached control-socket client (scamper-behaviour.md b).
 *
 * The connection is restored after failures with growing delays (1 s
 * doubling to 60 s, with jitter) and the session resumes: messages not
 * acknowledged are sent again, so measurements in flight continue and
 * every result is delivered once.
 *
 * Everything that touches the file system or the resolver happens in
 * remote_prepare(), before the privilege drop: the -R name is resolved
 * once (every address is tried in turn on reconnects; a changed DNS
 * record needs a restart), and the CA, certificate and key files are
 * read into the TLS context.
 */
#ifndef PROBER_CONTROL_REMOTE_H
#define PROBER_CONTROL_REMOTE_H

#include "loop.h"
#include "opts.h"

struct ctl;
struct remote;

/* Resolve O's -R name, read the TLS files per O's -O tls/notls and
 * cafile=/certfile=/keyfile=, pick the session's magic.  Before the
 * privilege drop.  Returns NULL with the problem logged. */
struct remote *remote_prepare(const struct opts *o);

/* Start connecting, on L, serving channels through CTL's clients.
 * Returns 0 or -1 (logged). */
int remote_start(struct remote *r, struct ctl *ctl, struct loop *l);

/* Close the connection and free R (NULL is fine). */
void remote_free(struct remote *r);

#endif
