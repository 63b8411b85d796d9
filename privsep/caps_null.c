/*
 * caps_null.c: no capability sets on this system; the helper keeps
 * running as root (pf and ipfw need it).
 */
#include "caps.h"

int
caps_keep_net(int setid)
{
	(void)setid;
	return 0;
}
