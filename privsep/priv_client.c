/*
 * priv_client.c: requests to scamper-helper, matched to replies by id.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"
#include "log.h"
#include "priv_client.h"

struct priv_pending {
	uint32_t	 id;		/* 0: slot free */
	uint8_t		 type;		/* the request's type */
	priv_cb		*cb;		/* every type but FW_ADD */
	priv_fw_cb	*fwcb;		/* FW_ADD */
	void		*arg;
};

struct priv_client {
	int			sock;
	uint32_t		next_id;
	pid_t			helper_pid;
	uint32_t		helper_flags;
	struct priv_pending	pending[PRIV_CLIENT_MAXPENDING];
};

struct priv_client *
priv_client_new(int sock)
{
	struct priv_client *pc = calloc(1, sizeof(*pc));

	if (pc == NULL) {
		close(sock);
		return NULL;
	}
	pc->sock = sock;
	pc->next_id = 1;
	return pc;
}

void
priv_client_free(struct priv_client *pc)
{
	if (pc == NULL)
		return;
	close(pc->sock);
	free(pc);
}

int
priv_client_sock(const struct priv_client *pc)
{
	return pc->sock;
}

pid_t
priv_client_helper_pid(const struct priv_client *pc)
{
	return pc->helper_pid;
}

int
priv_client_has_fw(const struct priv_client *pc)
{
	return (pc->helper_flags & PRIV_HELLO_F_FW) != 0;
}

/* Send M (its id assigned here) and remember CB (or for FW_ADD, FWCB)
 * for the reply. */
static int
send_any(struct priv_client *pc, struct priv_msg *m, priv_cb *cb,
    priv_fw_cb *fwcb, void *arg)
{
	uint8_t buf[PRIV_MSG_MAX];
	struct priv_pending *p = NULL;
	long len;

	for (size_t i = 0; i < PRIV_CLIENT_MAXPENDING && p == NULL; i++)
		if (pc->pending[i].id == 0)
			p = &pc->pending[i];
	if (p == NULL) {
		errno = EAGAIN;
		return -1;
	}
	if (pc->next_id == 0)
		pc->next_id = 1;
	m->id = pc->next_id++;
	if ((len = priv_msg_encode(m, buf, sizeof(buf))) == -1)
		fatal("encode %s", priv_type_name(m->type));
	if (ipc_send(pc->sock, buf, (size_t)len, -1) == -1)
		return -1;
	p->id = m->id;
	p->type = m->type;
	p->cb = cb;
	p->fwcb = fwcb;
	p->arg = arg;
	return 0;
}

static int
send_req(struct priv_client *pc, struct priv_msg *m, priv_cb *cb, void *arg)
{
	return send_any(pc, m, cb, NULL, arg);
}

/* The reply type that answers a successful request of type REQ. */
static int
ok_reply(int req)
{
	switch (req) {
	case PRIV_HELLO:
		return PRIV_HELLO_OK;
	case PRIV_OPEN_RAW:
	case PRIV_OPEN_DL:
	case PRIV_OPEN_ROUTE:
	case PRIV_OPEN_FILE:
		return PRIV_FD;
	case PRIV_FW_ADD:
		return PRIV_FW_OK;
	case PRIV_FW_DEL:
		return PRIV_OK;
	}
	fatalx("priv_client: no reply type for %d", req);
}

/* Run P's callback: ERR, or success with FD (or for FW_ADD the rule
 * id and port in M). */
static void
callback(const struct priv_pending *p, int err, int fd,
    const struct priv_msg *m)
{
	if (p->type != PRIV_FW_ADD)
		p->cb(p->arg, err, fd, 0);
	else if (err != 0)
		p->fwcb(p->arg, err, 0, 0);
	else
		p->fwcb(p->arg, 0, m->u.fw_ok.rule_id, m->u.fw_ok.lport);
}

/* The helper is gone: fail every pending request with EPIPE. */
static void
fail_all(struct priv_client *pc)
{
	for (size_t i = 0; i < PRIV_CLIENT_MAXPENDING; i++) {
		struct priv_pending p = pc->pending[i];

		if (p.id == 0)
			continue;
		pc->pending[i].id = 0;
		callback(&p, EPIPE, -1, NULL);
	}
}

/* Check reply M (with descriptor FD) against pending request P and run
 * its callback. */
static void
complete(struct priv_client *pc, struct priv_pending *p,
    const struct priv_msg *m, int fd)
{
	struct priv_pending done = *p;

	if (m->type != PRIV_ERR && m->type != ok_reply(done.type))
		fatalx("helper answered %s with %s", priv_type_name(done.type),
		    priv_type_name(m->type));
	if ((fd != -1) != (m->type == PRIV_FD))
		fatalx("helper sent %s %s a descriptor",
		    priv_type_name(m->type), fd == -1 ? "without" : "with");
	if (m->type == PRIV_HELLO_OK) {
		if (m->u.hello_ok.version != PRIV_PROTO_VERSION)
			fatalx("helper speaks protocol %u, we speak %u",
			    m->u.hello_ok.version, PRIV_PROTO_VERSION);
		pc->helper_pid = (pid_t)m->u.hello_ok.pid;
		pc->helper_flags = m->u.hello_ok.flags;
	}
	p->id = 0;
	callback(&done, m->type == PRIV_ERR ? (int)m->u.err.err : 0, fd, m);
}

int
priv_client_read(struct priv_client *pc)
{
	uint8_t buf[PRIV_MSG_MAX];
	struct priv_msg m;
	size_t len;
	int rc, fd;

	rc = ipc_recv(pc->sock, buf, sizeof(buf), &len, &fd);
	/* a helper that closed with our request unread leaves ECONNRESET
	 * pending ahead of what it sent last (a refusal): read on once */
	if (rc == -1 && errno == ECONNRESET)
		rc = ipc_recv(pc->sock, buf, sizeof(buf), &len, &fd);
	if (rc == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == EINTR))
		return 0;
	if (rc == 0 || (rc == -1 && errno == ECONNRESET)) {
		fail_all(pc);
		errno = EPIPE;
		return -1;
	}
	if (rc == -1)
		fatal("reading from scamper-helper");
	if (priv_msg_decode(&m, buf, len) == -1) {
		if (fd != -1)
			close(fd);
		fatal("bad message from scamper-helper (%zu bytes)", len);
	}
	if (m.type == PRIV_ERR && m.id == 0 && fd == -1) {
		/* refused as a whole, e.g. at accept: fail everything */
		for (size_t i = 0; i < PRIV_CLIENT_MAXPENDING; i++)
			if (pc->pending[i].id != 0)
				complete(pc, &pc->pending[i], &m, -1);
		return 0;
	}
	for (size_t i = 0; i < PRIV_CLIENT_MAXPENDING; i++)
		if (pc->pending[i].id != 0 && pc->pending[i].id == m.id) {
			complete(pc, &pc->pending[i], &m, fd);
			return 0;
		}
	fatalx("scamper-helper sent %s for request %u, which is not pending",
	    priv_type_name(m.type), m.id);
}

int
priv_open_raw(struct priv_client *pc, uint8_t family, uint8_t proto,
    priv_cb *cb, void *arg)
{
	struct priv_msg m;

	memset(&m, 0, sizeof(m));
	m.type = PRIV_OPEN_RAW;
	m.u.raw.family = family;
	m.u.raw.proto = proto;
	return send_req(pc, &m, cb, arg);
}

int
priv_open_dl(struct priv_client *pc, uint32_t ifindex, priv_cb *cb,
    void *arg)
{
	struct priv_msg m;

	memset(&m, 0, sizeof(m));
	m.type = PRIV_OPEN_DL;
	m.u.dl.ifindex = ifindex;
	return send_req(pc, &m, cb, arg);
}

int
priv_open_route(struct priv_client *pc, priv_cb *cb, void *arg)
{
	struct priv_msg m;

	memset(&m, 0, sizeof(m));
	m.type = PRIV_OPEN_ROUTE;
	return send_req(pc, &m, cb, arg);
}

int
priv_fw_add(struct priv_client *pc, const struct priv_fw_rule *r,
    priv_fw_cb *cb, void *arg)
{
	struct priv_msg m;

	memset(&m, 0, sizeof(m));
	m.type = PRIV_FW_ADD;
	m.u.fw = *r;
	return send_any(pc, &m, NULL, cb, arg);
}

int
priv_fw_del(struct priv_client *pc, uint32_t id, priv_cb *cb, void *arg)
{
	struct priv_msg m;

	memset(&m, 0, sizeof(m));
	m.type = PRIV_FW_DEL;
	m.u.fw_id.rule_id = id;
	return send_req(pc, &m, cb, arg);
}

int
priv_open_file(struct priv_client *pc, const char *path, int mode,
    priv_cb *cb, void *arg)
{
	struct priv_msg m;
	size_t n = strlen(path);

	if (n == 0 || n > PRIV_PATH_MAX) {
		errno = n == 0 ? ENOENT : ENAMETOOLONG;
		return -1;
	}
	memset(&m, 0, sizeof(m));
	m.type = PRIV_OPEN_FILE;
	m.u.file.mode = (uint8_t)mode;
	memcpy(m.u.file.path, path, n + 1);
	return send_req(pc, &m, cb, arg);
}

/* ---- synchronous forms, for start-up --------------------------------- */

struct sync_result {
	int		done;
	int		err;
	int		fd;
	uint32_t	value;
	uint16_t	lport;
};

static void
sync_cb(void *arg, int err, int fd, uint32_t value)
{
	struct sync_result *res = arg;

	res->done = 1;
	res->err = err;
	res->fd = fd;
	res->value = value;
}

static void
sync_fw_cb(void *arg, int err, uint32_t rule_id, uint16_t lport)
{
	struct sync_result *res = arg;

	res->done = 1;
	res->err = err;
	res->value = rule_id;
	res->lport = lport;
}

/* Wait (blocking) until RES is done; other replies are dispatched. */
static int
sync_wait(struct priv_client *pc, struct sync_result *res)
{
	struct pollfd pfd;

	while (!res->done) {
		pfd.fd = pc->sock;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, -1) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (priv_client_read(pc) == -1)
			return -1;
	}
	if (res->err != 0) {
		errno = res->err;
		return -1;
	}
	return 0;
}

/* After a failed send: if the helper refused us before closing (ERR
 * with id 0, already queued), return that error, else E. */
static int
refusal(struct priv_client *pc, int e)
{
	uint8_t buf[PRIV_MSG_MAX];
	struct priv_msg m;
	size_t n;

	int rc = -1;

	if (e != EPIPE && e != ECONNRESET)
		return e;
	/* the peer is gone, so these reads return at once; the first may
	 * report ECONNRESET ahead of the queued refusal */
	for (int i = 0; i < 2 && rc == -1; i++)
		if ((rc = ipc_recv(pc->sock, buf, sizeof(buf), &n, NULL)) ==
		    -1 && errno != ECONNRESET)
			return e;
	if (rc == 1 && priv_msg_decode(&m, buf, n) == 0 &&
	    m.type == PRIV_ERR && m.id == 0)
		return (int)m.u.err.err;
	return e;
}

int
priv_hello_sync(struct priv_client *pc, char *err, size_t len)
{
	struct sync_result res = { 0, 0, -1, 0, 0 };
	struct priv_msg m;

	memset(&m, 0, sizeof(m));
	m.type = PRIV_HELLO;
	m.u.hello.version = PRIV_PROTO_VERSION;
	if (send_req(pc, &m, sync_cb, &res) == -1 ||
	    sync_wait(pc, &res) == -1) {
		int e = res.done ? errno : refusal(pc, errno);

		snprintf(err, len, "%s", e == EACCES ?
		    "the helper refused us: not root and not in its group" :
		    e == EPERM ? "the helper has no privilege (not root, no "
		    "cap_net_raw file capability)" :
		    e == EPROTONOSUPPORT ? "the helper speaks another "
		    "protocol version" : e == EPIPE ? "the helper went away" :
		    strerror(e));
		errno = e;
		return -1;
	}
	return 0;
}

int
priv_open_raw_sync(struct priv_client *pc, uint8_t family, uint8_t proto)
{
	struct sync_result res = { 0, 0, -1, 0, 0 };

	if (priv_open_raw(pc, family, proto, sync_cb, &res) == -1 ||
	    sync_wait(pc, &res) == -1)
		return -1;
	return res.fd;
}

int
priv_open_dl_sync(struct priv_client *pc, uint32_t ifindex)
{
	struct sync_result res = { 0, 0, -1, 0, 0 };

	if (priv_open_dl(pc, ifindex, sync_cb, &res) == -1 ||
	    sync_wait(pc, &res) == -1)
		return -1;
	return res.fd;
}

int
priv_open_file_sync(struct priv_client *pc, const char *path, int mode)
{
	struct sync_result res = { 0, 0, -1, 0, 0 };

	if (priv_open_file(pc, path, mode, sync_cb, &res) == -1 ||
	    sync_wait(pc, &res) == -1)
		return -1;
	return res.fd;
}

long
priv_fw_add_sync(struct priv_client *pc, const struct priv_fw_rule *r,
    uint16_t *lport)
{
	struct sync_result res = { 0, 0, -1, 0, 0 };

	if (priv_fw_add(pc, r, sync_fw_cb, &res) == -1 ||
	    sync_wait(pc, &res) == -1)
		return -1;
	*lport = res.lport;
	return (long)res.value;
}
