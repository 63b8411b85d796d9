/*
 * sandbox_null.c: no OS sandbox on this system; privilege is still
 * dropped by priv_drop(), but system calls are not filtered.
 */
#include "log.h"
#include "sandbox.h"

const char sandbox_name[] = "none";

int
sandbox_prober(char *err, size_t len)
{
	(void)err;
	(void)len;
	log_info("no system-call sandbox on this system");
	return 0;
}

int
sandbox_filesrv(char *err, size_t len)
{
	(void)err;
	(void)len;
	return 0;
}

int
sandbox_helper(char *err, size_t len)
{
	(void)err;
	(void)len;
	log_info("no system-call sandbox for the helper on this system");
	return 0;
}
