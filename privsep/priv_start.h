/*
 * priv_start.h: how an unprivileged scamper gets its helper, and the one
 * function that drops privilege.
 *
 * Three ways, tried in this order:
 *   1. running as root: start scamper-helper as a child (fork+exec with
 *      the socket on PRIV_CHILD_FD), then drop to an unprivileged user;
 *   2. a helper service: connect to $SCAMPER_HELPER, or by default
 *      /run/scamper/helper.sock (needs membership of group scamper);
 *   3. a helper binary with file capabilities: run it as in 1.
 * The helper binary (ways 1 and 3) is priv_helper_bin()'s.
 */
#ifndef PRIVSEP_PRIV_START_H
#define PRIVSEP_PRIV_START_H

#include <stddef.h>

#include "priv_client.h"

enum priv_mode {
	PRIV_MODE_NONE = 0,
	PRIV_MODE_CHILD,	/* 1: root started the helper */
	PRIV_MODE_SERVICE,	/* 2: the helper service's socket */
	PRIV_MODE_CAPS,		/* 3: a helper with file capabilities */
};

/* The helper program ways 1 and 3 start: $SCAMPER_HELPER_BIN if set;
 * else, when the running program lies in the build tree meson made (by
 * /proc/self/exe), the helper built in that tree; else the installed one
 * (an installed scamper starts only the installed helper). */
const char *priv_helper_bin(void);

/* "child", "service", "capabilities" or "none". */
const char *priv_mode_name(enum priv_mode mode);

/* Reach a helper by the first of the three ways that works and say
 * HELLO.  Returns the client (free with priv_client_free) and the way in
 * *MODE, or NULL with a message in ERR naming all three ways and why
 * each failed.  Blocks (start-up only). */
struct priv_client *priv_start(enum priv_mode *mode, char *err, size_t len);

typedef int priv_open_fn(struct priv_client *pc, void *arg);

struct priv_drop_conf {
	/* Step 1: open what needs privilege (may be NULL); -1 aborts. */
	priv_open_fn	*open;
	void		*open_arg;
	struct priv_client *pc;
	int		 files;		/* start the file server (below) */
	const char	*user;		/* NULL: $SCAMPER_USER or the build's */
	const char	*chroot_dir;	/* NULL: $SCAMPER_CHROOT or the build's */
};

/* Drop privilege, in this fixed order: run C->open; start the file
 * server if C->files (see below); if root, check the chroot directory
 * (root-owned, not group/other writable, empty), chroot and chdir there,
 * set groups, gid and uid to the user; set rlimits (no new processes);
 * then enter the sandbox (no capabilities, no_new_privs, a system-call
 * filter).  Returns 0, or -1 with a message in ERR; the process must
 * then exit. */
int priv_drop(const struct priv_drop_conf *c, char *err, size_t len);

/* Root only: chroot to DIR (checked: root-owned, not group/other
 * writable, empty) and become USER (not uid 0) for good.  Returns 0, or
 * -1 with a message in ERR. */
int priv_become(const char *user, const char *dir, char *err, size_t len);

/* ---- files after the drop ------------------------------------------
 *
 * After priv_drop() the prober cannot open files itself; the file server
 * (filesrv.h) opens them below one directory: $SCAMPER_FILEDIR if set,
 * else the working directory at the drop, unless that is "/" (as after
 * -D): the whole file system is never handed over implicitly.  It runs
 * as the user who will own the results: started as root, the run user
 * or $SCAMPER_FILE_OWNER; otherwise the user who started scamper. */

/* The file server's client, for the caller's event loop to watch
 * (priv_client_sock, priv_client_read), or NULL if there is none. */
struct priv_client *priv_file_client(void);

/* The allowed directory (canonical), or NULL if files cannot be opened
 * after the drop (no helper, no directory, or before the drop). */
const char *priv_file_dir(void);

/* Open PATH in MODE (PRIV_FILE_*) through the helper: relative to the
 * allowed directory, or absolute and below it.  CB(ARG, err, fd, 0)
 * follows from priv_client_read().  Returns 0 once asked, or -1 with
 * errno: ENOTDIR (no directory is allowed), EXDEV (an absolute path
 * outside it), or as priv_open_file(). */
int priv_file_open(const char *path, int mode, priv_cb *cb, void *arg);

/* A refusal's reason in words ("outside the allowed directory"). */
const char *priv_file_strerror(int err);

#endif
