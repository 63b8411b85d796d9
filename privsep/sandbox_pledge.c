/*
 * sandbox_pledge.c: the prober's sandbox on OpenBSD.  Built only there.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sandbox.h"

const char sandbox_name[] = "pledge";

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
	if (pledge("stdio inet unix recvfd dns", NULL) == -1) {
		snprintf(err, len, "pledge: %s", strerror(errno));
		return -1;
	}
	return 0;
}
