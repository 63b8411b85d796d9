/*
 * privfile.h: the helper opens files for a client: below the one
 * directory the client handed over, never through a symbolic link or out
 * of that directory, regular files only, with the file-system
 * credentials of the user the client runs for (privfile_linux.c with
 * openat2 and setfsuid; privfile_null.c refuses).
 */
#ifndef PRIVSEP_PRIVFILE_H
#define PRIVSEP_PRIVFILE_H

#include <sys/types.h>

#define PRIVFILE_MAXGROUPS	256

/* Whose file-system credentials a client's files are opened with. */
struct privfile_cred {
	uid_t	uid;
	gid_t	gid;
	int	ngroups;		/* -1: keep the helper's own */
	gid_t	groups[PRIVFILE_MAXGROUPS];
};

/* The credentials of this process: its real uid and gid and its groups
 * (child mode: the user who started scamper).  Returns 0 or -1. */
int privfile_cred_self(struct privfile_cred *c);

/* The credentials of the peer of Unix socket SOCK, from the kernel
 * (service mode).  If its groups cannot all be had, it gets none but its
 * primary group (never more than it has).  Returns 0, or -1 with errno. */
int privfile_cred_peer(int sock, struct privfile_cred *c);

/* Check that DIRFD is a directory the helper can keep (the client's
 * ALLOW_DIR).  Returns 0, or -1 with errno ENOTDIR. */
int privfile_dir_check(int dirfd);

/* Open PATH below DIRFD in MODE (PRIV_FILE_*) as CRED.  Returns the
 * descriptor (close-on-exec, blocking), or -1 with errno: EXDEV if PATH
 * is absolute or leaves the directory, ELOOP if its last component is a
 * symbolic link, EISDIR for a directory, ENODEV for anything else that
 * is not a regular file, EPERM if the helper cannot take CRED, or what
 * the open itself said (ENOENT, EACCES, ...).  The helper's own
 * credentials are back in force when this returns. */
int privfile_open(int dirfd, const char *path, int mode,
    const struct privfile_cred *cred);

#endif
