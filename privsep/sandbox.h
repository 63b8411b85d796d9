/*
 * sandbox.h: the prober's OS sandbox, one backend per OS chosen by meson
 * (sandbox_seccomp.c on Linux, sandbox_pledge.c on OpenBSD,
 * sandbox_null.c elsewhere).
 */
#ifndef PRIVSEP_SANDBOX_H
#define PRIVSEP_SANDBOX_H

#include <stddef.h>

/* The backend's name ("seccomp", "pledge", "none"). */
extern const char sandbox_name[];

/* Enter the prober's sandbox for good: drop every capability, set
 * no_new_privs and allow only the system calls the event loop, sockets
 * and output need.  A forbidden call later is logged with its number and
 * ends the process.  Returns 0, or -1 with a message in ERR. */
int sandbox_prober(char *err, size_t len);

#endif
