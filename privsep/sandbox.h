/*
 * sandbox.h: the OS sandboxes of the prober, the file server and
 * scamper-helper, one backend per OS chosen by meson (sandbox_seccomp.c
 * on Linux, sandbox_pledge.c on OpenBSD, sandbox_null.c elsewhere).
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

/* Enter the file server's sandbox (filesrv.h): no capabilities,
 * no_new_privs, and only its socket, openat2 and fstat.  Returns 0, or
 * -1 with a message in ERR. */
int sandbox_filesrv(char *err, size_t len);

/* Enter scamper-helper's sandbox once it is set up: no_new_privs and
 * only what serving requests needs (no file, no process).  Capabilities
 * are the caller's business (caps.h).  Returns 0, or -1 with a message
 * in ERR. */
int sandbox_helper(char *err, size_t len);

#endif
