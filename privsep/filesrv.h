/*
 * filesrv.h: the file server.  After the privilege drop the prober has
 * no file system, so the files the control socket names (outfile open,
 * source add ... file) are opened by a small process forked from scamper
 * just before the drop.  It holds one directory and nothing else, runs
 * as the user who will own the results (started as root: the run user
 * or $SCAMPER_FILE_OWNER, never root; otherwise the user who started
 * scamper, unchanged), without any privilege, under its own sandbox, and
 * answers OPEN_FILE (priv_proto.h) with a descriptor.  A file it opens
 * is therefore one that user could open, truncate or append to.
 */
#ifndef PRIVSEP_FILESRV_H
#define PRIVSEP_FILESRV_H

#include <stddef.h>

/* Who the file server runs as. */
struct filesrv_conf {
	int		 dirfd;		/* the directory files are below */
	const char	*owner;		/* root only: become this user */
	const char	*chroot_dir;	/* root only: and chroot here */
};

/* Fork the file server per C (C->dirfd is shared, the caller keeps its
 * copy).  In the child every other descriptor is closed, the identity
 * is switched if we are root, the sandbox entered, and requests served
 * until the other end closes.  Returns our end of its socket (a
 * SOCK_SEQPACKET socket for priv_client_new), or -1 with a message in
 * ERR. */
int filesrv_start(const struct filesrv_conf *c, char *err, size_t len);

/* Serve OPEN_FILE requests on SOCK for files below DIRFD until SOCK
 * closes (exit 0) or a request is not one (exit 1).  Never returns.
 * The sandbox is the caller's to enter first. */
_Noreturn void filesrv_serve(int sock, int dirfd);

#endif
