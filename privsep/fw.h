/*
 * fw.h: the firewall backend vtable.  Exactly one backend is linked into
 * the helper, chosen by meson: fw_nft.c (Linux), fw_pf.c (OpenBSD,
 * macOS), fw_ipfw.c (FreeBSD), fw_null.c (none).  Backends put rules only
 * into a table or anchor of the helper's own and never touch the rest of
 * the ruleset.  Rules are already validated by fwtab.c.
 */
#ifndef PRIVSEP_FW_H
#define PRIVSEP_FW_H

#include <stddef.h>
#include <stdint.h>

#include "priv_proto.h"

struct fw_backend {
	const char	*name;

	/* Create this helper's own table (nftables: owned by the
	 * helper's netlink socket, gone when it dies; pf, ipfw: first
	 * remove what earlier, crashed helpers left behind).  Returns 0,
	 * or -1 with a message in ERR. */
	int		(*init)(char *err, size_t len);

	/* Install a rule dropping the replies to R's probe before the
	 * kernel's stack sees them; its backend handle goes to *HANDLE.
	 * Returns 0 or -1 with errno.  May block briefly (one netlink or
	 * ioctl round trip). */
	int		(*add)(const struct priv_fw_rule *r, uint64_t *handle);

	/* Remove the rule with HANDLE.  Returns 0 or -1 with errno. */
	int		(*del)(uint64_t handle);

	/* Remove this helper's table and everything in it. */
	void		(*fini)(void);
};

extern const struct fw_backend fw_backend;

#endif
