/*
 * helper.c: the privileged helper's core.  It reads requests, looks each
 * up in a closed table, checks it is permitted now, runs its handler and
 * replies, with at most one descriptor.  It never parses a packet, a
 * measurement command or a file, and never opens a file (filesrv.h does
 * that, as the user who owns it).
 *
 * Two modes: "child" serves exactly one client, the scamper that started
 * it, on PRIV_CHILD_FD; any protocol violation is fatal.  "service"
 * listens on a Unix socket, admits root and members of one group, at
 * most HELPER_MAXPERUID connections of one user, each of which must say
 * HELLO in time, and serves many independent clients; a violation
 * closes only that client, and a client leaving (however it leaves)
 * takes its firewall rules.  Set-up and the privilege drop are in
 * helper_setup.c.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <net/if.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dl.h"
#include "fwtab.h"
#include "helper_int.h"
#include "ipc.h"
#include "log.h"
#include "memtrim.h"
#include "peer.h"
#include "priv_proto.h"
#include "priv_sock.h"

/* ---- the request table ---------------------------------------------- */

/* Permitted only as the first request, exactly once. */
#define REQ_FIRST	0x1
/* A successful reply carries a descriptor, and no other reply does
 * (checked after every handler). */
#define REQ_FD		0x2

/* A handler fills reply R.  No request carries a descriptor. */
typedef int req_handler(struct helper *, struct helper_client *,
    const struct priv_msg *, struct priv_msg *);

/* An opener (REQ_FD) returns the descriptor request M asks for, or -1
 * with errno; its reply is PRIV_FD with it. */
typedef int req_opener(const struct priv_msg *);

static req_handler req_hello, req_fw_add, req_fw_del;
static req_opener open_raw, open_dl, open_route;

/* Every request the helper serves; a type not here (OPEN_FILE, a reply)
 * is a violation.  A row has a handler, or (REQ_FD) an opener. */
static const struct helper_req {
	enum priv_type	 type;
	int		 flags;
	req_handler	*handler;
	req_opener	*open;
} helper_reqs[] = {
	{ PRIV_HELLO,		REQ_FIRST,	req_hello,	NULL },
	{ PRIV_OPEN_RAW,	REQ_FD,		NULL,		open_raw },
	{ PRIV_OPEN_DL,		REQ_FD,		NULL,		open_dl },
	{ PRIV_OPEN_ROUTE,	REQ_FD,		NULL,		open_route },
	{ PRIV_FW_ADD,		0,		req_fw_add,	NULL },
	{ PRIV_FW_DEL,		0,		req_fw_del,	NULL },
};

static int
req_hello(struct helper *h, struct helper_client *c, const struct priv_msg *m,
    struct priv_msg *r)
{
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
open_raw(const struct priv_msg *m)
{
	return priv_sock_open_raw(m->u.raw.family, m->u.raw.proto);
}

/* The interface's name is looked up here, once for every backend. */
static int
open_dl(const struct priv_msg *m)
{
	char name[IF_NAMESIZE];

	if (if_indextoname(m->u.dl.ifindex, name) == NULL) {
		errno = ENXIO;
		return -1;
	}
	return dl_open(m->u.dl.ifindex, name);
}

static int
open_route(const struct priv_msg *m)
{
	(void)m;
	return dl_route_open();
}

static int
req_fw_add(struct helper *h, struct helper_client *c,
    const struct priv_msg *m, struct priv_msg *r)
{
	(void)h;
	if (fwtab_add(c->cid, &m->u.fw, &r->u.fw_ok.rule_id,
	    &r->u.fw_ok.lport) == -1)
		return -1;
	r->type = PRIV_FW_OK;
	log_debug("client %u: firewall rule %u added (local port %u held)",
	    c->cid, r->u.fw_ok.rule_id, r->u.fw_ok.lport);
	return 0;
}

static int
req_fw_del(struct helper *h, struct helper_client *c,
    const struct priv_msg *m, struct priv_msg *r)
{
	(void)h;
	if (fwtab_del(c->cid, m->u.fw_id.rule_id) == -1)
		return -1;
	r->type = PRIV_OK;
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
		/* a client that exited with a request in flight (the
		 * removal of its last firewall rule) is not news */
		if (errno == EPIPE || errno == ECONNRESET)
			log_debug("client %u: gone before its reply", c->cid);
		else
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
	if (fd != -1) {
		violation(h, c, "%s with a descriptor", priv_type_name(m->type));
		return NULL;
	}
	return req;
}

/* Serve request M (its table row REQ) from C into reply R, with the
 * descriptor to send back in *FD (-1 on entry).  Returns 0 or -1 with
 * errno. */
static int
req_run(const struct helper_req *req, struct helper *h,
    struct helper_client *c, const struct priv_msg *m, struct priv_msg *r,
    int *fd)
{
	if (req->open == NULL)
		return req->handler(h, c, m, r);
	if ((*fd = req->open(m)) == -1)
		return -1;
	r->type = PRIV_FD;
	return 0;
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
	if (req_run(req, h, c, &m, &r, &fd) == -1) {
		r.type = PRIV_ERR;
		r.u.err.err = (uint32_t)(errno > 0 ? errno : EIO);
		if (fd != -1)
			close(fd);
		fd = -1;
		log_debug("client %u: %s refused: %s", c->cid,
		    priv_type_name(m.type), strerror((int)r.u.err.err));
	} else if ((fd != -1) != ((req->flags & REQ_FD) != 0))
		fatalx("internal: %s answered %s a descriptor",
		    priv_type_name(m.type), fd == -1 ? "without" : "with");
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
client_add(struct helper *h, int fd, uid_t uid, pid_t pid)
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
		c->deadline = monotime_add_ms(monotime_now(),
		    (int64_t)h->hello_secs * 1000);
		return c;
	}
	return NULL;
}

/* How many connections UID has now. */
static int
uid_count(const struct helper *h, uid_t uid)
{
	int n = 0;

	for (size_t i = 0; i < HELPER_MAXCLIENTS; i++)
		if (h->clients[i].fd != -1 && h->clients[i].uid == uid)
			n++;
	return n;
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

/* Accept one connection on the service socket, checking who it is and
 * how many connections that user has already. */
static void
service_accept(struct helper *h)
{
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
	if (uid_count(h, uid) >= HELPER_MAXPERUID) {
		log_warnx("refused uid %ld pid %ld: it has %d connections "
		    "already", (long)uid, (long)pid, HELPER_MAXPERUID);
		refuse(fd, EUSERS);
		return;
	}
	if ((c = client_add(h, fd, uid, pid)) == NULL) {
		log_warnx("refused uid %ld pid %ld: %d clients already",
		    (long)uid, (long)pid, HELPER_MAXCLIENTS);
		refuse(fd, EBUSY);
		return;
	}
	log_debug("client %u: uid %ld pid %ld connected", c->cid, (long)uid,
	    (long)pid);
}

/* Service mode: close the clients that did not say HELLO in time, and
 * return the milliseconds until the next deadline (-1: none). */
static int
hello_deadlines(struct helper *h)
{
	struct monotime now = monotime_now();
	int64_t next = -1;

	if (h->child)
		return -1;
	for (size_t i = 0; i < HELPER_MAXCLIENTS; i++) {
		struct helper_client *c = &h->clients[i];
		int64_t left;

		if (c->fd == -1 || c->hello)
			continue;
		if ((left = monotime_sub_ns(c->deadline, now) / 1000000) <= 0) {
			log_warnx("client %u (uid %ld pid %ld): no HELLO "
			    "within %d s; closing it", c->cid, (long)c->uid,
			    (long)c->pid, h->hello_secs);
			refuse(c->fd, ETIMEDOUT);
			c->fd = -1;
			continue;
		}
		if (next == -1 || left < next)
			next = left;
	}
	return next > INT32_MAX ? INT32_MAX : (int)next;
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

/* Milliseconds without a request after which the helper gives memory
 * back (mem_trim_idle): what start-up and the last requests touched. */
#define HELPER_TRIM_MS 5000

/* The poll timeout: the next HELLO deadline, or the trim if it is due
 * sooner (TRIM: memory to give back). */
static int
poll_timeout(struct helper *h, int trim)
{
	int timeout = hello_deadlines(h);

	if (trim && (timeout == -1 || timeout > HELPER_TRIM_MS))
		timeout = HELPER_TRIM_MS;
	return timeout;
}

int
helper_run(const struct helper_conf *conf)
{
	struct pollfd pfd[HELPER_MAXCLIENTS + 2];
	struct helper_client *who[HELPER_MAXCLIENTS + 2];
	struct helper h;
	unsigned char signo = 0;
	int trim = 1, ready;
	uid_t uid = getuid();
	pid_t ppid = getppid();

	helper_init(&h, conf);
	if (h.child) {
		struct helper_client *c = client_add(&h, PRIV_CHILD_FD, uid,
		    ppid);

		if (c == NULL || fcntl(c->fd, F_SETFL, O_NONBLOCK) == -1)
			fatal("fd %d", PRIV_CHILD_FD);
	}
	log_debug("%s mode, pid %ld, uid %ld, firewall %s",
	    h.child ? "child" : "service", (long)getpid(), (long)getuid(),
	    fwtab_ready() ? "ready" : "unavailable");
	while (signo == 0) {
		int timeout = poll_timeout(&h, trim);
		nfds_t n = poll_fill(&h, pfd, who);

		if ((ready = poll(pfd, n, timeout)) == -1) {
			if (errno == EINTR)
				continue;
			fatal("poll");
		}
		if (ready == 0 && trim) {
			/* idle: not before the next request comes */
			mem_trim_idle();
			trim = 0;
			continue;
		}
		trim = 1;
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
	return 0;
}
