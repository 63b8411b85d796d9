/*
 * priv_start.c: reaching scamper-helper by one of the three ways, and
 * dropping privilege in one function, in one fixed order.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fd.h"
#include "filesrv.h"
#include "log.h"
#include "priv_start.h"
#include "sandbox.h"

#ifndef PRIV_HELPER_PATH
#define PRIV_HELPER_PATH	"/usr/local/sbin/scamper-helper"
#endif
#ifndef PRIV_SOCK_PATH
#define PRIV_SOCK_PATH		"/run/scamper/helper.sock"
#endif
#ifndef PRIV_CHROOT_DIR
#define PRIV_CHROOT_DIR		"/var/empty"
#endif
/* The build tree meson configured, and the helper built in it. */
#ifndef PRIV_BUILD_ROOT
#define PRIV_BUILD_ROOT		""
#endif
#ifndef PRIV_BUILD_HELPER
#define PRIV_BUILD_HELPER	""
#endif

const char *
priv_mode_name(enum priv_mode mode)
{
	switch (mode) {
	case PRIV_MODE_CHILD:
		return "child";
	case PRIV_MODE_SERVICE:
		return "service";
	case PRIV_MODE_CAPS:
		return "capabilities";
	case PRIV_MODE_NONE:
		break;
	}
	return "none";
}

static const char *
env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return (v != NULL && v[0] != '\0') ? v : def;
}

/* Nonzero if the running program lies below build directory ROOT: it
 * was not installed, so its helper is the one built beside it. */
static int
running_from(const char *root)
{
	char exe[PATH_MAX];
	size_t n = strlen(root);
	ssize_t len;

	if (n == 0 || (len = readlink("/proc/self/exe", exe,
	    sizeof(exe) - 1)) <= 0)
		return 0;	/* no /proc: as an installed program */
	exe[len] = '\0';
	return strncmp(exe, root, n) == 0 && exe[n] == '/';
}

const char *
priv_helper_bin(void)
{
	const char *v = getenv("SCAMPER_HELPER_BIN");

	if (v != NULL && v[0] != '\0')
		return v;
	if (running_from(PRIV_BUILD_ROOT))
		return PRIV_BUILD_HELPER;
	return PRIV_HELPER_PATH;
}

/* In the forked child: put SOCK on PRIV_CHILD_FD, stdin on /dev/null,
 * close everything else but stderr and the exec-error pipe, exec.  The
 * helper runs as USER once set up (if root starts it). */
static void
spawn_child(const char *path, const char *user, int sock, int errfd)
{
	char *const argv[] = { (char *)"scamper-helper", (char *)"-u",
	    (char *)user, (char *)"child", NULL };
	char *const envp[] = { (char *)"PATH=/usr/sbin:/usr/bin:/sbin:/bin",
	    NULL };
	int e, null;

	if (sock == PRIV_CHILD_FD)
		fcntl(sock, F_SETFD, 0);
	else if (dup2(sock, PRIV_CHILD_FD) == -1)
		goto fail;
	if ((null = open("/dev/null", O_RDONLY)) != -1 && null != 0) {
		dup2(null, 0);
		close(null);
	}
	if (errfd == PRIV_CHILD_FD)
		goto fail;
	for (int fd = PRIV_CHILD_FD + 1; fd < 1024; fd++)
		if (fd != errfd)
			close(fd);
	execve(path, argv, envp);
fail:
	e = errno;
	(void)!write(errfd, &e, sizeof(e));
	_exit(127);
}

/* Start PATH as a child helper that runs as USER.  Returns our end of
 * the socket, or -1 with errno (from exec if that failed). */
static int
spawn(const char *path, const char *user)
{
	int sv[2], ep[2], e = 0, saved;
	ssize_t n;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		return -1;
	if (pipe2(ep, O_CLOEXEC) == -1)
		goto fail;
	if ((pid = fork()) == -1) {
		close(ep[0]);
		close(ep[1]);
		goto fail;
	}
	if (pid == 0)
		spawn_child(path, user, sv[1], ep[1]);
	close(sv[1]);
	close(ep[1]);
	do
		n = read(ep[0], &e, sizeof(e));
	while (n == -1 && errno == EINTR);
	close(ep[0]);
	if (n == sizeof(e)) {
		close(sv[0]);
		waitpid(pid, NULL, 0);
		errno = e;
		return -1;
	}
	return sv[0];
fail:
	saved = errno;
	close(sv[0]);
	close(sv[1]);
	errno = saved;
	return -1;
}

/* Connect to the helper service at PATH.  Returns the socket or -1. */
static int
connect_service(const char *path)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		return fd_close_fail(fd);
	return fd;
}

/* Wrap SOCK and say HELLO; NULL with the reason in WHY on failure. */
static struct priv_client *
greet(int sock, char *why, size_t len)
{
	struct priv_client *pc;

	if (sock == -1) {
		snprintf(why, len, "%s", strerror(errno));
		return NULL;
	}
	if ((pc = priv_client_new(sock)) == NULL) {
		snprintf(why, len, "%s", strerror(errno));
		return NULL;
	}
	if (priv_hello_sync(pc, why, len) == -1) {
		priv_client_free(pc);
		return NULL;
	}
	return pc;
}

struct priv_client *
priv_start(enum priv_mode *mode, char *err, size_t len)
{
	const char *bin = priv_helper_bin();
	const char *sock = env_or("SCAMPER_HELPER", PRIV_SOCK_PATH);
	const char *user = env_or("SCAMPER_USER", SCAMPER_UNPRIV_USER);
	char why2[256], why3[256];
	struct priv_client *pc;
	int fd;

	*mode = PRIV_MODE_NONE;
	log_debug("helper program %s", bin);
	if (geteuid() == 0) {
		if ((pc = greet(spawn(bin, user), why3, sizeof(why3))) != NULL) {
			*mode = PRIV_MODE_CHILD;
			return pc;
		}
		snprintf(err, len, "running as root, but cannot start the "
		    "helper %s: %s", bin, why3);
		return NULL;
	}
	if ((fd = connect_service(sock)) == -1 && errno == EACCES)
		snprintf(why2, sizeof(why2), "permission denied (is this "
		    "user in group scamper?)");
	else if ((pc = greet(fd, why2, sizeof(why2))) != NULL) {
		*mode = PRIV_MODE_SERVICE;
		return pc;
	}
	if ((pc = greet(spawn(bin, user), why3, sizeof(why3))) != NULL) {
		*mode = PRIV_MODE_CAPS;
		return pc;
	}
	snprintf(err, len, "this needs raw sockets, and none of the three "
	    "ways to get them without setuid works:\n"
	    "  1. run scamper as root: it starts scamper-helper and drops "
	    "to user %s;\n"
	    "  2. the scamper-helper service, for members of group scamper: "
	    "%s: %s;\n"
	    "  3. scamper-helper with file capabilities "
	    "(setcap cap_net_raw,cap_net_admin+ep): %s: %s.",
	    user, sock, why2, bin, why3);
	return NULL;
}

/* ---- dropping privilege ----------------------------------------------- */

/* After the drop: the file server, and the directory it opens files
 * below (empty: none).  One drop per process, so these are the
 * process's, as its sandbox is. */
static struct priv_client *files_pc;
static char files_dir[PATH_MAX];
static char files_denied[96];	/* "permission denied (as user X)" */

/* Whom the file server runs as when we are root: $SCAMPER_FILE_OWNER
 * or the run user USER.  NULL with a message in ERR if we are not root
 * but an owner is named (only root may choose one). */
static const char *
file_owner(const char *user, char *err, size_t len)
{
	const char *o = getenv("SCAMPER_FILE_OWNER");

	if (o == NULL || o[0] == '\0')
		return user;
	if (geteuid() != 0) {
		snprintf(err, len, "SCAMPER_FILE_OWNER applies only when "
		    "scamper is started as root (files are opened as the "
		    "user who runs it)");
		return NULL;
	}
	return o;
}

/* Start the file server for the directory files are opened below after
 * the drop, as the owner of the results.  Returns 0 (also when no
 * directory is to be allowed), or -1 with a message in ERR if
 * $SCAMPER_FILEDIR names one that cannot be used or the server cannot
 * start. */
static int
allow_files(const char *user, const char *chroot_dir, char *err, size_t len)
{
	const char *env = getenv("SCAMPER_FILEDIR");
	struct filesrv_conf fc;
	struct passwd *pw;
	char real[PATH_MAX];
	int sock;

	if (env != NULL && env[0] != '\0') {
		/* named by the user: it must work */
		if (realpath(env, real) == NULL) {
			snprintf(err, len, "SCAMPER_FILEDIR %s: %s", env,
			    strerror(errno));
			return -1;
		}
	} else if (realpath(".", real) == NULL || strcmp(real, "/") == 0) {
		/* no working directory, or "/" (after -D): no files */
		log_debug("no directory for files after the drop");
		return 0;
	}
	memset(&fc, 0, sizeof(fc));
	fc.chroot_dir = chroot_dir;
	if ((fc.owner = file_owner(user, err, len)) == NULL)
		return -1;
	if ((fc.dirfd = open(real, O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1) {
		snprintf(err, len, "directory for files %s: %s", real,
		    strerror(errno));
		return -1;
	}
	sock = filesrv_start(&fc, err, len);
	close(fc.dirfd);
	if (sock == -1 || (files_pc = priv_client_new(sock)) == NULL) {
		if (sock != -1)
			snprintf(err, len, "file server: %s", strerror(errno));
		return -1;
	}
	snprintf(files_dir, sizeof(files_dir), "%s", real);
	/* refusals name whose permissions said no */
	if (geteuid() == 0)
		snprintf(files_denied, sizeof(files_denied), "permission "
		    "denied (as user %s)", fc.owner);
	else if ((pw = getpwuid(geteuid())) != NULL)
		snprintf(files_denied, sizeof(files_denied), "permission "
		    "denied (as user %s)", pw->pw_name);
	else
		snprintf(files_denied, sizeof(files_denied), "permission "
		    "denied (as uid %ld)", (long)geteuid());
	log_debug("files after the drop: below %s, %s", files_dir,
	    files_denied + strlen("permission denied "));
	return 0;
}

struct priv_client *
priv_file_client(void)
{
	return files_pc;
}

const char *
priv_file_dir(void)
{
	return files_dir[0] != '\0' ? files_dir : NULL;
}

int
priv_file_open(const char *path, int mode, priv_cb *cb, void *arg)
{
	size_t n = strlen(files_dir);

	if (files_pc == NULL) {
		errno = ENOTDIR;
		return -1;
	}
	if (path[0] == '/') {
		/* below the directory: made relative to it */
		if (strncmp(path, files_dir, n) != 0 || (path[n] != '/' &&
		    !(n == 1 && files_dir[0] == '/'))) {
			errno = EXDEV;
			return -1;
		}
		path += n;
		while (*path == '/')
			path++;
	}
	return priv_open_file(files_pc, path, mode, cb, arg);
}

const char *
priv_file_strerror(int err)
{
	switch (err) {
	case EXDEV:
		return "outside the allowed directory";
	case ELOOP:
		return "a symbolic link";
	case EISDIR:
		return "a directory, not a regular file";
	case ENODEV:
	case ENXIO:
		return "not a regular file";
	case ENOTDIR:
		return "no directory is allowed for files (set "
		    "SCAMPER_FILEDIR, or start scamper elsewhere than /)";
	case EPIPE:
		return "the file server has gone";
	case EACCES:
	case EPERM:
		return files_denied[0] != '\0' ? files_denied :
		    "permission denied";
	case ENOENT:
		return "no such file";
	case ENAMETOOLONG:
		return "path too long";
	case ENOSYS:
		return "not supported on this system";
	}
	return strerror(err);
}

/* DIR must be a root-owned directory nobody else may write, and empty;
 * the default one is created if it does not exist. */
static int
check_chroot_dir(const char *dir, char *err, size_t len)
{
	struct stat st;
	struct dirent *de;
	DIR *d;

	if (lstat(dir, &st) == -1 && errno == ENOENT &&
	    strcmp(dir, PRIV_CHROOT_DIR) == 0)
		(void)mkdir(dir, 0755);
	if (lstat(dir, &st) == -1) {
		snprintf(err, len, "chroot directory %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode) || st.st_uid != 0 || (st.st_mode & 022)) {
		snprintf(err, len, "chroot directory %s: must be a directory "
		    "owned by root and writable only by root", dir);
		return -1;
	}
	if ((d = opendir(dir)) == NULL) {
		snprintf(err, len, "chroot directory %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..")) {
			snprintf(err, len, "chroot directory %s is not empty",
			    dir);
			closedir(d);
			return -1;
		}
	closedir(d);
	return 0;
}

int
priv_become(const char *user, const char *dir, char *err, size_t len)
{
	struct passwd *pw;
	uid_t uid;
	gid_t gid;

	/* look the user up before the chroot hides /etc/passwd */
	if ((pw = getpwnam(user)) == NULL || pw->pw_uid == 0) {
		snprintf(err, len, "unprivileged user %s: %s", user,
		    pw == NULL ? "no such user" : "has uid 0");
		return -1;
	}
	uid = pw->pw_uid;
	gid = pw->pw_gid;
	if (check_chroot_dir(dir, err, len) == -1)
		return -1;
	if (chroot(dir) == -1 || chdir("/") == -1) {
		snprintf(err, len, "chroot %s: %s", dir, strerror(errno));
		return -1;
	}
	if (setgroups(1, &gid) == -1 || setresgid(gid, gid, gid) == -1 ||
	    setresuid(uid, uid, uid) == -1) {
		snprintf(err, len, "becoming %s: %s", user, strerror(errno));
		return -1;
	}
	if (setuid(0) != -1 || seteuid(0) != -1) {
		snprintf(err, len, "becoming %s: could regain root", user);
		return -1;
	}
	return 0;
}

int
priv_drop(const struct priv_drop_conf *c, char *err, size_t len)
{
	const char *user = c->user != NULL ? c->user :
	    env_or("SCAMPER_USER", SCAMPER_UNPRIV_USER);
	const char *dir = c->chroot_dir != NULL ? c->chroot_dir :
	    env_or("SCAMPER_CHROOT", PRIV_CHROOT_DIR);
	struct rlimit rl = { 0, 0 };

	/* 1. open what needs privilege, through the helper */
	if (c->open != NULL && c->open(c->pc, c->open_arg) == -1) {
		snprintf(err, len, "opening sockets through the helper: %s",
		    strerror(errno));
		return -1;
	}
	/* the file server, for files after the drop */
	if (c->files && allow_files(user, dir, err, len) == -1)
		return -1;
	/* 2-4. as root: check the chroot directory, chroot, change ids */
	if (geteuid() == 0 && priv_become(user, dir, err, len) == -1)
		return -1;
	/* 5. rlimits: the prober never starts another process */
	if (setrlimit(RLIMIT_NPROC, &rl) == -1) {
		snprintf(err, len, "RLIMIT_NPROC: %s", strerror(errno));
		return -1;
	}
	/* 6-7. no capabilities, no_new_privs, system-call filter */
	if (sandbox_prober(err, len) == -1)
		return -1;
	log_debug("privilege dropped: uid %ld, sandbox %s", (long)getuid(),
	    sandbox_name);
	return 0;
}
