/*
 * fwtab.h: the helper's firewall front end.  It checks each requested
 * rule against the policy (one probe's exact 5-tuple, nothing wider),
 * binds the rule's local address and port itself (exclusively: no
 * SO_REUSEADDR or SO_REUSEPORT) and holds that socket for the rule's
 * life, so a rule only ever drops traffic to a port nobody else has;
 * gives the rule an id, remembers which client owns it, and removes a
 * client's rules when the client goes and every rule when the helper
 * exits.
 */
#ifndef PRIVSEP_FWTAB_H
#define PRIVSEP_FWTAB_H

#include <stdint.h>

#include "priv_proto.h"

#define FWTAB_MAX		1024	/* rules in all, for all clients */
#define FWTAB_PER_CLIENT	256	/* rules one client may hold */
#define FWTAB_MIN_LPORT	1024	/* a probe's own port is unprivileged */

/* Set up the backend (and the descriptor limit for the sockets rules
 * hold).  Returns 0, or -1 (then every add fails with EOPNOTSUPP). */
int fwtab_init(void);

/* Nonzero if fwtab_init() succeeded. */
int fwtab_ready(void);

/* Check R against the policy: unicast, fully specified addresses, a
 * nonzero remote port and a local port of 0 (any) or >= FWTAB_MIN_LPORT.
 * Pure.  Returns 0, or -1 with errno = EINVAL. */
int fwtab_check(const struct priv_fw_rule *r);

/* Check R, bind its local address and port (0: a free one), and install
 * it for CLIENT; its new id (never 0) goes to *ID and the port held to
 * *LPORT.  Returns 0, or -1 with errno (EINVAL: refused by policy;
 * EADDRINUSE: another socket has that port; EADDRNOTAVAIL: not an
 * address of this host; ENOSPC: too many rules; EOPNOTSUPP: no backend;
 * else the backend's error). */
int fwtab_add(uint32_t client, const struct priv_fw_rule *r, uint32_t *id,
    uint16_t *lport);

/* Remove rule ID, which must belong to CLIENT.  Returns 0, or -1 with
 * errno = ENOENT if CLIENT has no such rule. */
int fwtab_del(uint32_t client, uint32_t id);

/* Remove every rule CLIENT installed; returns how many were removed. */
int fwtab_del_client(uint32_t client);

/* Remove every rule and the helper's table.  Safe to call twice. */
void fwtab_fini(void);

#endif
