/*
 * priv_fwlease.h: a firewall rule as a measurement's resource.  tbit and
 * sting craft TCP by hand, so the replies to their probes must not reach
 * the kernel's own stack (which would answer with a reset); the helper
 * drops them with a rule it installs only for a local port it binds and
 * holds for the rule's life (priv_proto.h).  A technique takes a lease
 * when its measurement starts and releases it when the measurement ends,
 * however it ends (done, halted, timed out, its client gone): the rule
 * exists only while the technique that needs it runs.  A release while
 * the helper has not answered yet removes the rule as soon as it has.
 * (The helper also removes a client's rules when the client goes.)
 */
#ifndef PRIVSEP_PRIV_FWLEASE_H
#define PRIVSEP_PRIV_FWLEASE_H

#include <stdint.h>

#include "priv_client.h"

struct priv_fwlease;

/* The rule is in place (ERR 0; LPORT is the local port the helper holds
 * for it: probe from that port) or was refused (ERR: EADDRINUSE,
 * EADDRNOTAVAIL, EINVAL, ENOSPC, EOPNOTSUPP: no firewall, EPIPE: no
 * helper). */
typedef void priv_fwlease_cb(void *arg, int err, uint16_t lport);

/* Ask PC's helper for rule R (R->lport 0: any free port).  CB(ARG, ...)
 * follows once, from priv_client_read(), unless the lease is released
 * first.  Returns the lease, or NULL with errno (as priv_fw_add, or
 * ENOMEM). */
struct priv_fwlease *priv_fwlease_new(struct priv_client *pc,
    const struct priv_fw_rule *r, priv_fwlease_cb *cb, void *arg);

/* End lease L (NULL: nothing): its rule is removed now, or when the
 * helper's answer comes; its callback is never called after this. */
void priv_fwlease_release(struct priv_fwlease *l);

#endif
