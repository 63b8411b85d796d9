/*
 * filesrv.c: the file server (filesrv.h): fork, become the owner of the
 * results, shed everything else, serve OPEN_FILE.
 */
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "filesrv.h"
#include "ipc.h"
#include "log.h"
#include "priv_proto.h"
#include "priv_start.h"
#include "privfile.h"
#include "sandbox.h"

_Noreturn void
filesrv_serve(int sock, int dirfd)
{
	uint8_t buf[PRIV_MSG_MAX];
	struct priv_msg m, r;
	size_t len;
	int rc, fd;

	for (;;) {
		rc = ipc_recv(sock, buf, sizeof(buf), &len, NULL);
		if (rc == 0 || (rc == -1 && errno == ECONNRESET))
			_exit(0);
		if (rc == -1 && errno == EINTR)
			continue;
		if (rc == -1 || priv_msg_decode(&m, buf, len) == -1 ||
		    m.type != PRIV_OPEN_FILE) {
			log_warnx("file server: not a file request (%zu "
			    "bytes); exiting", rc == 1 ? len : 0);
			_exit(1);
		}
		memset(&r, 0, sizeof(r));
		r.id = m.id;
		if ((fd = privfile_open(dirfd, m.u.file.path,
		    m.u.file.mode)) == -1) {
			r.type = PRIV_ERR;
			r.u.err.err = (uint32_t)(errno > 0 ? errno : EIO);
		} else
			r.type = PRIV_FD;
		if ((len = (size_t)priv_msg_encode(&r, buf, sizeof(buf))) ==
		    (size_t)-1 || ipc_send(sock, buf, len, fd) == -1)
			_exit(errno == EPIPE ? 0 : 1);
		if (fd != -1)
			close(fd);
	}
}

/* In the child: keep only stderr, SOCK and DIRFD (0 and 1 become
 * /dev/null: standard output may be where results go). */
static void
child_fds(int sock, int dirfd)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (null != -1) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
	}
	for (int fd = STDERR_FILENO + 1; fd < 1024; fd++)
		if (fd != sock && fd != dirfd)
			close(fd);
}

/* The child's whole life. */
_Noreturn static void
child(const struct filesrv_conf *c, int sock)
{
	struct rlimit rl = { 0, 0 };
	char err[512];

	child_fds(sock, c->dirfd);
	if (geteuid() == 0 && priv_become(c->owner, c->chroot_dir, err,
	    sizeof(err)) == -1) {
		log_warnx("file server: %s", err);
		_exit(1);
	}
	err[0] = '\0';
	if (setrlimit(RLIMIT_NPROC, &rl) == -1 ||
	    sandbox_filesrv(err, sizeof(err)) == -1) {
		log_warnx("file server: %s", err[0] ? err : strerror(errno));
		_exit(1);
	}
	/* ready: one byte, before any request */
	if (ipc_send(sock, "", 1, -1) == -1)
		_exit(1);
	filesrv_serve(sock, c->dirfd);
}

int
filesrv_start(const struct filesrv_conf *c, char *err, size_t len)
{
	uint8_t b;
	size_t n;
	int sv[2], rc;
	pid_t pid;

	err[0] = '\0';
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1) {
		snprintf(err, len, "file server: socketpair: %s",
		    strerror(errno));
		return -1;
	}
	if ((pid = fork()) == -1) {
		snprintf(err, len, "file server: fork: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		close(sv[0]);
		child(c, sv[1]);
	}
	close(sv[1]);
	/* its one-byte ready message, or the end: it said why on stderr */
	do
		rc = ipc_recv(sv[0], &b, 1, &n, NULL);
	while (rc == -1 && errno == EINTR);
	if (rc != 1) {
		snprintf(err, len, "the file server could not start");
		close(sv[0]);
		waitpid(pid, NULL, 0);
		return -1;
	}
	log_debug("file server: pid %ld", (long)pid);
	return sv[0];
}
