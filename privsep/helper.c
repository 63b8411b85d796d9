/*
 * helper.c: the privileged helper's core.  It reads requests, looks each
 * up in a closed table, checks it is permitted now, runs its handler and
 * replies, with at most one descriptor.  It never parses a packet, a
 * measurement command or a file: it opens files below the directory its
 * client handed over, as the client's user, and passes the descriptor.
 *
 * Two modes: "child" serves exactly one client, the scamper that started
 * it, on PRIV_CHILD_FD; any protocol violation is fatal.  "service"
 * listens on a Unix socket, admits root and members of one group, and
 * serves many independent clients; a violation closes only that client,
 * and a client leaving (however it leaves) takes its firewall rules.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caps.h"
#include "dl.h"
#include "helper.h"
#include "ipc.h"
#include "log.h"
#include "peer.h"
#include "fwtab.h"
#include "priv_proto.h"
#include "priv_sock.h"
#include "privfile.h"

struct helper_client {
	int		fd;		/* -1: slot free */
	uint32_t	cid;		/* helper-wide id; owns fw rules */
	int		hello;		/* HELLO done: other requests allowed */
	uid_t		uid;
	pid_t		pid;
	uint32_t	seen;		/* REQ_ONCE types already served */
	int		dirfd;		/* ALLOW_DIR, else -1 */
	struct privfile_cred cred;	/* whose files it may open */
};

struct helper {
	int			child;
	int			listen_fd;	/* service mode, else -1 */
	int			own_sock;	/* we made it: unlink at exit */
	gid_t			gid;		/* service mode: admitted group */
	const char		*group;
	int			sigpipe[2];
	int			raw_ok;		/* can open raw sockets */
	uint32_t		next_cid;
	struct helper_client	clients[HELPER_MAXCLIENTS];
};

/* ---- the request table ---------------------------------------------- */

/* Permitted only as the first request, exactly once. */
#define REQ_FIRST	0x1
/* A successful reply carries a descriptor. */
#define REQ_FD		0x2
/* The request carries a descriptor (the handler owns it). */
#define REQ_TAKES_FD	0x4
/* Permitted at most once per client (types below 32 only: a bit each
 * in helper_client.seen). */
#define REQ_ONCE	0x8

/* A handler fills reply R.  *FD is, on entry, the descriptor the request
 * carried (REQ_TAKES_FD) or -1, and on return the one to send back. */
typedef int req_handler(struct helper *, struct helper_client *,
    const struct priv_msg *, struct priv_msg *, int *);

static req_handler req_hello, req_open_raw, req_open_dl, req_open_route,
    req_fw_add, req_fw_del, req_allow_dir, req_open_file;

/* Every request the helper serves; a type not here is a violation. */
static const struct helper_req {
	enum priv_type	 type;
	int		 flags;
	req_handler	*handler;
} helper_reqs[] = {
	{ PRIV_HELLO,		REQ_FIRST,	req_hello },
	{ PRIV_OPEN_RAW,	REQ_FD,		req_open_raw },
	{ PRIV_OPEN_DL,		REQ_FD,		req_open_dl },
	{ PRIV_OPEN_ROUTE,	REQ_FD,		req_open_route },
	{ PRIV_FW_ADD,		0,		req_fw_add },
	{ PRIV_FW_DEL,		0,		req_fw_del },
	{ PRIV_ALLOW_DIR,	REQ_TAKES_FD | REQ_ONCE, req_allow_dir },
	{ PRIV_OPEN_FILE,	REQ_FD,		req_open_file },
};

static int
req_hello(struct helper *h, struct helper_client *c, const struct priv_msg *m,
    struct priv_msg *r, int *fd)
{
	(void)fd;
	if (m->u.hello.version != PRIV_PROTO_VERSION) {
		errno = EPROTONOSUPPORT;
		return -1;
	}
	if (!h->raw_ok) {
		/* mode 3 without the file capabilities: say so at once */
		errno = EPERM;
		return -1;
	}
	c->hello = 1;
	r->type = PRIV_HELLO_OK;
	r->u.hello_ok.version = PRIV_PROTO_VERSION;
	r->u.hello_ok.pid = (uint32_t)getpid();
	r->u.hello_ok.flags = fwtab_ready() ? PRIV_HELLO_F_FW : 0;
	return 0;
}

static int
req_open_raw(struct helper *h, struct helper_client *c,
    const struct priv_msg *m, struct priv_msg *r, int *fd)
{
	(void)h;
	(void)c;
	if ((*fd = priv_sock_open_raw(m->u.raw.family, m->u.raw.proto)) == -1)
		return -1;
	r->type = PRIV_FD;
	return 0;
}

static int
req_open_dl(struct helper *h, struct helper_client *c,
    const struct priv_msg *m, struct priv_msg *r, int *fd)
{
	(void)h;
	(void)c;
	if ((*fd = dl_open(m->u.dl.ifindex)) == -1)
		return -1;
	r->type = PRIV_FD;
	return 0;
}

static int
req_open_route(struct helper *h, struct helper_client *c,
    const struct priv_msg *m, struct priv_msg *r, int *fd)
{
	(void)h;
	(void)c;
	(void)m;
	if ((*fd = dl_route_open()) == -1)
		return -1;
	r->type = PRIV_FD;
	return 0;
}

static int
req_fw_add(struct helper *h, struct helper_client *c,
    const struct priv_msg *m, struct priv_msg *r, int *fd)
{
	(void)h;
	(void)fd;
	if (fwtab_add(c->cid, &m->u.fw, &r->u.fw_id.rule_id) == -1)
		return -1;
	r->type = PRIV_FW_OK;
	log_debug("client %u: firewall rule %u added", c->cid,
	    r->u.fw_id.rule_id);
	return 0;
}

static int
req_fw_del(struct helper *h, struct helper_client *c,
    const struct priv_msg *m, struct priv_msg *r, int *fd)
{
	(void)h;
	(void)fd;
	if (fwtab_del(c->cid, m->u.fw_id.rule_id) == -1)
		return -1;
	r->type = PRIV_OK;
	return 0;
}

/* The directory below which the client's files are opened: kept for
 * the client's lifetime. */
static int
req_allow_dir(struct helper *h, struct helper_client *c,
    const struct priv_msg *m, struct priv_msg *r, int *fd)
{
	(void)h;
	(void)m;
	if (privfile_dir_check(*fd) == -1) {
		int e = errno;

		close(*fd);
		*fd = -1;
		errno = e;
		return -1;
	}
	c->dirfd = *fd;
	*fd = -1;
	r->type = PRIV_OK;
	return 0;
}

static int
req_open_file(struct helper *h, struct helper_client *c,
    const struct priv_msg *m, struct priv_msg *r, int *fd)
{
	(void)h;
	if (c->dirfd == -1) {
		errno = ENOENT;		/* no directory was allowed */
		return -1;
	}
	if ((*fd = privfile_open(c->dirfd, m->u.file.path, m->u.file.mode,
	    &c->cred)) == -1)
		return -1;
	log_debug("client %u: opened %s for %s", c->cid, m->u.file.path,
	    m->u.file.mode == PRIV_FILE_READ ? "reading" : "writing");
	r->type = PRIV_FD;
	return 0;
}

/* ---- clients -------------------------------------------------------- */

/* Forget client C: its firewall rules go, its socket is closed. */
static void
client_close(struct helper *h, struct helper_client *c)
{
	int n = fwtab_del_client(c->cid);

	log_debug("client %u (uid %ld pid %ld) gone%s", c->cid, (long)c->uid,
	    (long)c->pid, n > 0 ? ", its firewall rules removed" : "");
	close(c->fd);
	c->fd = -1;
	if (c->dirfd != -1)
		close(c->dirfd);
	c->dirfd = -1;
	if (h->child) {
		/* our one client left: the helper's work is done */
		fwtab_fini();
		exit(0);
	}
}

/* A protocol violation by C: fatal in child mode, else C is closed. */
static void LOG_PRINTF(3, 4)
violation(struct helper *h, struct helper_client *c, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (h->child)
		fatalx("protocol violation by scamper (pid %ld): %s",
		    (long)c->pid, why);
	log_warnx("client %u (uid %ld pid %ld): protocol violation: %s; "
	    "closing it", c->cid, (long)c->uid, (long)c->pid, why);
	client_close(h, c);
}

static const struct helper_req *
req_lookup(int type)
{
	for (size_t i = 0; i < sizeof(helper_reqs) / sizeof(helper_reqs[0]);
	    i++)
		if ((int)helper_reqs[i].type == type)
			return &helper_reqs[i];
	return NULL;
}

/* Send reply R (and FD if >= 0) to C; a client that cannot take it is
 * closed.  FD is closed here either way. */
static void
client_reply(struct helper *h, struct helper_client *c,
    const struct priv_msg *r, int fd)
{
	uint8_t buf[PRIV_MSG_MAX];
	long len = priv_msg_encode(r, buf, sizeof(buf));

	if (len == -1)
		fatal("encode %s", priv_type_name(r->type));
	if (ipc_send(c->fd, buf, (size_t)len, fd) == -1) {
		log_warn("client %u: reply", c->cid);
		client_close(h, c);
	}
	if (fd != -1)
		close(fd);
}

/* Decode the LEN bytes at BUF from C (which came with descriptor FD,
 * or -1) into M and check the request is one C may make now.  Returns
 * its table row, or NULL after a violation (FD is the caller's). */
static const struct helper_req *
request_check(struct helper *h, struct helper_client *c, const uint8_t *buf,
    size_t len, struct priv_msg *m, int fd)
{
	const struct helper_req *req;

	if (priv_msg_decode(m, buf, len) == -1) {
		violation(h, c, "bad message (%zu bytes, type %u): %s", len,
		    len > 1 ? buf[1] : 0, strerror(errno));
		return NULL;
	}
	if ((req = req_lookup(m->type)) == NULL) {
		violation(h, c, "%s is not a request", priv_type_name(m->type));
		return NULL;
	}
	if (((req->flags & REQ_FIRST) != 0) == (c->hello != 0)) {
		violation(h, c, "%s not permitted %s HELLO",
		    priv_type_name(m->type), c->hello ? "after" : "before");
		return NULL;
	}
	if ((fd != -1) != ((req->flags & REQ_TAKES_FD) != 0)) {
		violation(h, c, "%s %s a descriptor", priv_type_name(m->type),
		    fd == -1 ? "without" : "with");
		return NULL;
	}
	if ((req->flags & REQ_ONCE) && (c->seen & (1u << m->type))) {
		violation(h, c, "%s a second time", priv_type_name(m->type));
		return NULL;
	}
	return req;
}

/* Handle one waiting message from C. */
static void
client_read(struct helper *h, struct helper_client *c)
{
	uint8_t buf[PRIV_MSG_MAX];
	const struct helper_req *req;
	struct priv_msg m, r;
	size_t len;
	int rc, fd = -1;

	rc = ipc_recv(c->fd, buf, sizeof(buf), &len, &fd);
	if (rc == 0 || (rc == -1 && errno == ECONNRESET)) {
		client_close(h, c);
		return;
	}
	if (rc == -1) {
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			violation(h, c, "receive: %s", strerror(errno));
		return;
	}
	if ((req = request_check(h, c, buf, len, &m, fd)) == NULL) {
		if (fd != -1)
			close(fd);
		return;
	}
	memset(&r, 0, sizeof(r));
	r.id = m.id;
	if (req->flags & REQ_ONCE)
		c->seen |= 1u << m.type;
	if (req->handler(h, c, &m, &r, &fd) == -1) {
		r.type = PRIV_ERR;
		r.u.err.err = (uint32_t)(errno > 0 ? errno : EIO);
		fd = -1;
		log_debug("client %u: %s refused: %s", c->cid,
		    priv_type_name(m.type), strerror((int)r.u.err.err));
	}
	client_reply(h, c, &r, fd);
	if (m.type == PRIV_HELLO && r.type == PRIV_ERR && c->fd != -1) {
		if (h->child)
			fatalx("cannot serve scamper: %s", r.u.err.err == EPERM ?
			    "no privilege to open raw sockets (not root, no "
			    "cap_net_raw)" : "it speaks another protocol");
		violation(h, c, "HELLO refused");
	}
}

static struct helper_client *
client_add(struct helper *h, int fd, uid_t uid, pid_t pid,
    const struct privfile_cred *cred)
{
	for (size_t i = 0; i < HELPER_MAXCLIENTS; i++) {
		struct helper_client *c = &h->clients[i];

		if (c->fd != -1)
			continue;
		memset(c, 0, sizeof(*c));
		c->fd = fd;
		c->cid = ++h->next_cid;
		c->uid = uid;
		c->pid = pid;
		c->dirfd = -1;
		c->cred = *cred;
		return c;
	}
	return NULL;
}

/* Tell a client it is refused (id 0, errno ERR) and close it. */
static void
refuse(int fd, int err)
{
	struct priv_msg r;
	uint8_t buf[PRIV_MSG_MAX];
	long len;

	memset(&r, 0, sizeof(r));
	r.type = PRIV_ERR;
	r.u.err.err = (uint32_t)err;
	if ((len = priv_msg_encode(&r, buf, sizeof(buf))) != -1)
		(void)ipc_send(fd, buf, (size_t)len, -1);
	close(fd);
}

/* Accept one connection on the service socket, checking who it is. */
static void
service_accept(struct helper *h)
{
	struct privfile_cred cred;
	struct helper_client *c;
	uid_t uid;
	pid_t pid;
	int fd, ok;

	fd = accept4(h->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd == -1) {
		if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
			log_warn("accept");
		return;
	}
	if ((ok = peer_allowed(fd, h->gid, &uid, &pid)) != 1) {
		log_warnx("refused uid %ld pid %ld: %s", (long)uid, (long)pid,
		    ok == 0 ? "not root and not in group" :
		    "cannot read its credentials for group");
		log_warnx("  (the group is %s)", h->group);
		refuse(fd, EACCES);
		return;
	}
	/* its files are opened as the user it runs as */
	if (privfile_cred_peer(fd, &cred) == -1) {
		log_warn("refused uid %ld pid %ld: credentials", (long)uid,
		    (long)pid);
		refuse(fd, EACCES);
		return;
	}
	if ((c = client_add(h, fd, uid, pid, &cred)) == NULL) {
		log_warnx("refused uid %ld pid %ld: %d clients already",
		    (long)uid, (long)pid, HELPER_MAXCLIENTS);
		refuse(fd, EBUSY);
		return;
	}
	log_debug("client %u: uid %ld pid %ld connected", c->cid, (long)uid,
	    (long)pid);
}

/* ---- set-up and the loop ------------------------------------------- */

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

/* Create the listening socket PATH: mode 0660, group GID. */
static int
service_listen(struct helper *h, const char *path, gid_t gid)
{
	struct sockaddr_un sun;
	mode_t old;
	int fd;

	if ((fd = systemd_socket()) != -1)
		return fd;
	h->own_sock = 1;
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

static void
helper_init(struct helper *h, const struct helper_conf *conf)
{
	struct group *gr;

	memset(h, 0, sizeof(*h));
	h->child = conf->child;
	h->listen_fd = -1;
	h->group = conf->group;
	for (size_t i = 0; i < HELPER_MAXCLIENTS; i++)
		h->clients[i].fd = -1;
	signals_init(h);
	h->raw_ok = can_open_raw();
	if (!h->child) {
		if (!h->raw_ok)
			fatalx("no privilege to open raw sockets: run as root "
			    "or with cap_net_raw,cap_net_admin");
		if ((gr = getgrnam(conf->group)) == NULL)
			fatalx("group %s does not exist (create it, or name "
			    "another with -g)", conf->group);
		h->gid = gr->gr_gid;
		h->listen_fd = service_listen(h, conf->sock_path, h->gid);
		if (fcntl(h->listen_fd, F_SETFL, O_NONBLOCK) == -1)
			fatal("fcntl");
	}
	/* rules go with the helper, however it exits */
	atexit(fw_fini_atexit);
	if (h->raw_ok)
		(void)fwtab_init();
	/* service mode keeps CAP_SETUID/SETGID to open files as each
	 * client's user; a child's client is the user who started it */
	if (caps_keep_net(!h->child) == -1)
		fatal("dropping capabilities");
}

/* Fill PFD from the helper's descriptors; returns how many. */
static nfds_t
poll_fill(struct helper *h, struct pollfd *pfd, struct helper_client **who)
{
	nfds_t n = 0;

	pfd[n].fd = h->sigpipe[0];
	pfd[n].events = POLLIN;
	who[n++] = NULL;
	if (h->listen_fd != -1) {
		pfd[n].fd = h->listen_fd;
		pfd[n].events = POLLIN;
		who[n++] = NULL;
	}
	for (size_t i = 0; i < HELPER_MAXCLIENTS; i++)
		if (h->clients[i].fd != -1) {
			pfd[n].fd = h->clients[i].fd;
			pfd[n].events = POLLIN;
			who[n++] = &h->clients[i];
		}
	return n;
}

int
helper_run(const struct helper_conf *conf)
{
	struct pollfd pfd[HELPER_MAXCLIENTS + 2];
	struct helper_client *who[HELPER_MAXCLIENTS + 2];
	struct helper h;
	unsigned char signo = 0;

	helper_init(&h, conf);
	if (h.child) {
		struct privfile_cred cred;
		struct helper_client *c = NULL;

		if (privfile_cred_self(&cred) == 0)
			c = client_add(&h, PRIV_CHILD_FD, getuid(), getppid(),
			    &cred);
		if (c == NULL || fcntl(c->fd, F_SETFL, O_NONBLOCK) == -1)
			fatal("fd %d", PRIV_CHILD_FD);
	}
	log_debug("%s mode, pid %ld, firewall %s",
	    h.child ? "child" : "service", (long)getpid(),
	    fwtab_ready() ? "ready" : "unavailable");
	while (signo == 0) {
		nfds_t n = poll_fill(&h, pfd, who);

		if (poll(pfd, n, -1) == -1) {
			if (errno == EINTR)
				continue;
			fatal("poll");
		}
		if (pfd[0].revents != 0 && read(h.sigpipe[0], &signo, 1) != 1)
			signo = 0;
		for (nfds_t i = 1; i < n && signo == 0; i++) {
			if (pfd[i].revents == 0)
				continue;
			if (who[i] == NULL)
				service_accept(&h);
			else if (who[i]->fd != -1)
				client_read(&h, who[i]);
		}
	}
	log_info("signal %u: removing firewall rules and exiting", signo);
	fwtab_fini();
	if (h.own_sock)
		(void)unlink(conf->sock_path);
	return 0;
}
