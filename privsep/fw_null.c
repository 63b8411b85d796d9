/*
 * fw_null.c: the firewall backend for systems without one: every rule
 * request is refused with EOPNOTSUPP.
 */
#include <errno.h>
#include <stdio.h>

#include "fw.h"

static int
fw_null_init(char *err, size_t len)
{
	snprintf(err, len, "no firewall backend was built");
	return -1;
}

static int
fw_null_add(const struct priv_fw_rule *r, uint64_t *handle)
{
	(void)r;
	*handle = 0;
	errno = EOPNOTSUPP;
	return -1;
}

static int
fw_null_del(uint64_t handle)
{
	(void)handle;
	errno = EOPNOTSUPP;
	return -1;
}

static void
fw_null_fini(void)
{
}

const struct fw_backend fw_backend = {
	"none", fw_null_init, fw_null_add, fw_null_del, fw_null_fini,
};
