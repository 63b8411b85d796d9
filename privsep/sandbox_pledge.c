/*
 * sandbox_pledge.c: the prober's sandbox on OpenBSD.  Built only there.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "sandbox.h"

const char sandbox_name[] = "pledge";

/* pledge(PROMISES), or -1 with the reason in ERR. */
static int
promise(const char *promises, char *err, size_t len)
{
	if (pledge(promises, NULL) == -1) {
		snprintf(err, len, "pledge: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int
sandbox_prober(char *err, size_t len)
{
	/*
	 * stdio: the event loop, timers and writing results;
	 * inet:  control and remote sockets, sending on the helper's;
	 * unix:  the control socket and the helper's socket;
	 * recvfd: descriptors the helper sends later;
	 * dns:   the -n resolver.
	 */
	return promise("stdio inet unix recvfd dns", err, len);
}

int
sandbox_filesrv(char *err, size_t len)
{
	/* its socket, descriptors sent back, files read and written */
	return promise("stdio rpath wpath cpath sendfd", err, len);
}

int
sandbox_helper(char *err, size_t len)
{
	/* pledge has no promise for opening raw sockets on demand, which
	 * is the helper's job: it runs unfiltered here (see README) */
	(void)err;
	(void)len;
	log_info("no system-call sandbox for the helper on OpenBSD");
	return 0;
}
