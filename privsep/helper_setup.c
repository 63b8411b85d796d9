/*
 * helper_setup.c: scamper-helper's set-up: signals, the service socket
 * (its own or systemd's), the firewall, then the privilege drop (an
 * unprivileged user with CAP_NET_RAW and CAP_NET_ADMIN only, caps.h)
 * and its system-call filter (sandbox.h), in that order, before any
 * client is read.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caps.h"
#include "fwtab.h"
#include "helper_int.h"
#include "log.h"
#include "sandbox.h"

static int helper_sigfd = -1;

static void
on_signal(int signo)
{
	unsigned char b = (unsigned char)signo;
	int saved = errno;

	(void)!write(helper_sigfd, &b, 1);
	errno = saved;
}

static void
fw_fini_atexit(void)
{
	fwtab_fini();
}

static void
signals_init(struct helper *h)
{
	struct sigaction sa;

	if (pipe2(h->sigpipe, O_CLOEXEC | O_NONBLOCK) == -1)
		fatal("pipe");
	helper_sigfd = h->sigpipe[1];
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	/* A child follows its scamper: ^C or a hangup reach the whole
	 * process group, and scamper's exit is what ends the helper. */
	if (h->child)
		sa.sa_handler = SIG_IGN;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* Nonzero if this process may open raw sockets (root or cap_net_raw). */
static int
can_open_raw(void)
{
	int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);

	if (fd == -1)
		return errno != EPERM && errno != EACCES;
	close(fd);
	return 1;
}

/* The listening socket systemd passed us (LISTEN_FDS=1), or -1. */
static int
systemd_socket(void)
{
	const char *pid = getenv("LISTEN_PID"), *n = getenv("LISTEN_FDS");

	if (pid == NULL || n == NULL || strtol(pid, NULL, 10) != getpid() ||
	    strcmp(n, "1") != 0)
		return -1;
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	return 3;
}

/* Refuse to replace the socket of a helper that is still running. */
static void
check_not_running(const struct sockaddr_un *sun)
{
	struct stat st;
	int fd;

	if (lstat(sun->sun_path, &st) == -1)
		return;
	if (!S_ISSOCK(st.st_mode))
		fatalx("%s exists and is not a socket", sun->sun_path);
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) == -1)
		fatal("socket");
	if (connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) == 0)
		fatalx("%s: another scamper-helper is serving it",
		    sun->sun_path);
	close(fd);
	if (unlink(sun->sun_path) == -1)
		fatal("unlink %s", sun->sun_path);
}

/* Create PATH's directory (mode 0755) if it does not exist yet, as for
 * /run/scamper at boot. */
static void
make_parent(const char *path)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) == NULL || slash == dir)
		return;
	*slash = '\0';
	if (mkdir(dir, 0755) == -1 && errno != EEXIST)
		fatal("mkdir %s", dir);
}

/* Create the listening socket PATH: mode 0660, group GID.  It is left
 * behind at exit (the helper no longer has the right to remove it) and
 * replaced at the next start. */
static int
service_listen(const char *path, gid_t gid)
{
	struct sockaddr_un sun;
	mode_t old;
	int fd;

	if ((fd = systemd_socket()) != -1)
		return fd;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path))
		fatalx("socket path %s is too long", path);
	strcpy(sun.sun_path, path);
	make_parent(path);
	check_not_running(&sun);
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) == -1)
		fatal("socket");
	old = umask(0117);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		fatal("bind %s", path);
	umask(old);
	if (chown(path, geteuid(), gid) == -1 || chmod(path, 0660) == -1)
		fatal("%s: cannot set group and mode", path);
	if (listen(fd, 64) == -1)
		fatal("listen %s", path);
	return fd;
}

/* Service mode: check who started us, find the group, listen. */
static void
service_init(struct helper *h, const struct helper_conf *conf)
{
	struct group *gr;

	if (!h->raw_ok)
		fatalx("no privilege to open raw sockets: run as root "
		    "or with cap_net_raw,cap_net_admin");
	/* a helper with file capabilities may be run by any member of its
	 * group: serving others (maybe another group) is root's choice */
	if (!caps_from_parent())
		fatalx("service mode must be started by root (or by systemd "
		    "with AmbientCapabilities), not by a user through the "
		    "helper's file capabilities");
	if ((gr = getgrnam(conf->group)) == NULL)
		fatalx("group %s does not exist (create it, or name "
		    "another with -g)", conf->group);
	h->gid = gr->gr_gid;
	h->listen_fd = service_listen(conf->sock_path, h->gid);
	if (fcntl(h->listen_fd, F_SETFL, O_NONBLOCK) == -1)
		fatal("fcntl");
}

void
helper_init(struct helper *h, const struct helper_conf *conf)
{
	const char *user = conf->user != NULL ? conf->user :
	    SCAMPER_UNPRIV_USER;
	char err[256];

	memset(h, 0, sizeof(*h));
	h->child = conf->child;
	h->listen_fd = -1;
	h->group = conf->group;
	h->hello_secs = conf->hello_secs > 0 ? conf->hello_secs :
	    HELPER_HELLO_SECS;
	for (size_t i = 0; i < HELPER_MAXCLIENTS; i++)
		h->clients[i].fd = -1;
	signals_init(h);
	h->raw_ok = can_open_raw();
	if (!h->child)
		service_init(h, conf);
	/* rules go with the helper, however it exits: the table belongs to
	 * its netlink socket (fw_nft.c), and a clean exit removes it too */
	atexit(fw_fini_atexit);
	if (h->raw_ok)
		(void)fwtab_init();
	if (caps_become(user, err, sizeof(err)) == -1)
		fatalx("dropping privilege: %s", err);
	if (sandbox_helper(err, sizeof(err)) == -1)
		fatalx("sandbox: %s", err);
}
