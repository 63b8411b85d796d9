/*
 * caps_null.c: no capability sets on this system; the helper keeps
 * running as root (pf and ipfw need it), and only root may start it.
 */
#include <unistd.h>

#include "caps.h"

int
caps_become(const char *user, char *err, size_t len)
{
	(void)user;
	(void)err;
	(void)len;
	return 0;
}

int
caps_from_parent(void)
{
	return getuid() == 0;
}
