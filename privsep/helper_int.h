/*
 * helper_int.h: the helper's state, shared by helper.c (requests,
 * clients, the loop) and helper_setup.c (signals, the service socket,
 * the privilege drop).  Not for other modules.
 */
#ifndef PRIVSEP_HELPER_INT_H
#define PRIVSEP_HELPER_INT_H

#include <sys/types.h>

#include <stdint.h>

#include "helper.h"
#include "monotime.h"

struct helper_client {
	int		fd;		/* -1: slot free */
	uint32_t	cid;		/* helper-wide id; owns fw rules */
	int		hello;		/* HELLO done: other requests allowed */
	uid_t		uid;
	pid_t		pid;
	struct monotime	deadline;	/* service: HELLO by then */
};

struct helper {
	int			child;
	int			listen_fd;	/* service mode, else -1 */
	gid_t			gid;		/* service mode: admitted group */
	const char		*group;
	int			hello_secs;
	int			sigpipe[2];
	int			raw_ok;		/* can open raw sockets */
	uint32_t		next_cid;
	struct helper_client	clients[HELPER_MAXCLIENTS];
};

/* Set H up per CONF: signals, the service socket, the firewall, then
 * the privilege drop (caps.h) and the sandbox.  Fatal on failure. */
void helper_init(struct helper *h, const struct helper_conf *conf);

#endif
