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
#ifndef CONTROL_REMOTE_H
#define CONTROL_REMOTE_H

#include <stddef.h>

#include "loop.h"
#include "opts.h"

struct ctl;
struct remote;

/* TLS files for -R, from "-O cafile=PATH", "-O certfile=PATH" and
 * "-O keyfile=PATH". */
struct remote_conf {
	const char	*cafile;	/* NULL: the system's CA file */
	const char	*certfile;	/* client certificate (with keyfile) */
	const char	*keyfile;
};

/* Take the "-O word=PATH" options above out of ARGV (*ARGC shrinks; the
 * strings stay in ARGV's storage), so opts_parse() sees the rest.
 * Returns 0, or -1 with a message in ERR (e.g. an empty path). */
int remote_opts_extract(int *argc, char **argv, struct remote_conf *rc,
    char *err, size_t len);

/* Resolve O's -R name, read the TLS files per O's -O tls/notls and RC,
 * pick the session's magic.  Before the privilege drop.  Returns NULL
 * with the problem logged. */
struct remote *remote_prepare(const struct opts *o,
    const struct remote_conf *rc);

/* Start connecting, on L, serving channels through CTL's clients.
 * Returns 0 or -1 (logged). */
int remote_start(struct remote *r, struct ctl *ctl, struct loop *l);

/* Close the connection and free R (NULL is fine). */
void remote_free(struct remote *r);

#endif
