/*
 * test_priv_helper.c: the helper's request table, driven over a real
 * socket.  In child mode every malformed, oversize, unknown or
 * unpermitted request is fatal; in service mode it closes only that
 * client, a user gets at most HELPER_MAXPERUID connections and a client
 * that never says HELLO is closed.  The helper runs in a forked process;
 * as root it first gets a network namespace of its own, so its firewall
 * table is thrown away with it and nothing touches the host's ruleset.
 * The file server (filesrv.h), started as root, opens files as the
 * unprivileged owner: a root-only file or directory is refused.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "filesrv.h"
#include "helper.h"
#include "ipc.h"
#include "log.h"
#include "priv_client.h"
#include "priv_fwlease.h"
#include "priv_proto.h"
#include "../lib/check_table.h"

/* Run a child-mode helper on a socketpair; returns our end. */
static int
start_child(pid_t *pid)
{
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	*pid = fork();
	ck_assert_int_ne(*pid, -1);
	if (*pid == 0) {
		struct helper_conf conf = { .child = 1 };

		if (geteuid() == 0 && unshare(CLONE_NEWNET) == -1)
			_exit(99);
		close(sv[0]);
		if (dup2(sv[1], PRIV_CHILD_FD) == -1)
			_exit(98);
		if (sv[1] != PRIV_CHILD_FD)
			close(sv[1]);
		log_init("test-helper");
		_exit(helper_run(&conf));
	}
	close(sv[1]);
	return sv[0];
}

/* Wait for PID and return its exit status (-1 if killed). */
static int
reap(pid_t pid)
{
	int status;

	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void
send_msg(int fd, const struct priv_msg *m)
{
	uint8_t buf[PRIV_MSG_MAX];
	long len = priv_msg_encode(m, buf, sizeof(buf));

	ck_assert_int_gt(len, 0);
	ck_assert_int_eq(ipc_send(fd, buf, (size_t)len, -1), 0);
}

/* Receive one reply; returns 1, or 0 at EOF.  *FD gets any descriptor. */
static int
recv_msg(int fd, struct priv_msg *m, int *rfd)
{
	uint8_t buf[PRIV_MSG_MAX];
	size_t len;
	int rc = ipc_recv(fd, buf, sizeof(buf), &len, rfd);

	if (rc <= 0)
		return 0;
	ck_assert_int_eq(priv_msg_decode(m, buf, len), 0);
	return 1;
}

static struct priv_msg
hello(void)
{
	struct priv_msg m;

	memset(&m, 0, sizeof(m));
	m.type = PRIV_HELLO;
	m.id = 1;
	m.u.hello.version = PRIV_PROTO_VERSION;
	return m;
}

/* Send raw bytes B, then expect the child helper to die with status 1. */
static void
expect_fatal_bytes(const void *b, size_t n, int fd_too, int after_hello)
{
	struct priv_msg r;
	pid_t pid;
	int s = start_child(&pid), rfd;

	if (after_hello) {
		struct priv_msg h = hello();

		send_msg(s, &h);
		ck_assert_int_eq(recv_msg(s, &r, &rfd), 1);
		if (r.type != PRIV_HELLO_OK) {
			/* not root: HELLO is refused, that is fatal too */
			ck_assert_int_eq(r.type, PRIV_ERR);
			ck_assert_int_eq(reap(pid), 1);
			close(s);
			return;
		}
	}
	ck_assert_int_eq(ipc_send(s, b, n, fd_too ? 0 : -1), 0);
	ck_assert_int_eq(recv_msg(s, &r, &rfd), 0);	/* EOF, no reply */
	ck_assert_int_eq(reap(pid), 1);
	close(s);
}

static size_t
encode(const struct priv_msg *m, uint8_t *buf)
{
	long len = priv_msg_encode(m, buf, PRIV_MSG_MAX);

	ck_assert_int_gt(len, 0);
	return (size_t)len;
}

/* Whole messages that end the helper: each sent with a descriptor or
 * not, before or after a HELLO. */
static const struct fatal_msg {
	struct priv_msg	msg;
	int		fd_too, after_hello;
} fatal_msgs[] = {
	/* a request before HELLO */
	{ { .type = PRIV_OPEN_RAW, .id = 5, .u.raw = {
	    .family = PRIV_AF_INET, .proto = PRIV_P_ICMP } }, 0, 0 },
	/* a reply where a request belongs */
	{ { .type = PRIV_OK, .id = 3 }, 0, 1 },
	/* a descriptor from the client */
	{ { .type = PRIV_HELLO, .id = 1,
	    .u.hello.version = PRIV_PROTO_VERSION }, 1, 0 },
	/* HELLO twice */
	{ { .type = PRIV_HELLO, .id = 1,
	    .u.hello.version = PRIV_PROTO_VERSION }, 0, 1 },
	/* files are the file server's, never the helper's */
	{ { .type = PRIV_OPEN_FILE, .id = 2, .u.file = {
	    .mode = PRIV_FILE_READ, .path = "x" } }, 0, 1 },
};

START_TEST(child_fatal_message)
{
	const struct fatal_msg *f = &fatal_msgs[_i];
	uint8_t buf[PRIV_MSG_MAX];

	expect_fatal_bytes(buf, encode(&f->msg, buf), f->fd_too,
	    f->after_hello);
}
END_TEST

START_TEST(child_unknown_type)
{
	struct priv_msg m = hello();
	uint8_t buf[PRIV_MSG_MAX];
	size_t n = encode(&m, buf);

	buf[1] = 99;
	expect_fatal_bytes(buf, n, 0, 0);
	buf[1] = 99;
	expect_fatal_bytes(buf, n, 0, 1);
}
END_TEST

START_TEST(child_wrong_size)
{
	struct priv_msg m = hello();
	uint8_t buf[PRIV_MSG_MAX];
	size_t n = encode(&m, buf);

	expect_fatal_bytes(buf, n - 1, 0, 0);
	buf[n] = 0;
	expect_fatal_bytes(buf, n + 1, 0, 0);
}
END_TEST

START_TEST(child_oversize)
{
	uint8_t big[PRIV_MSG_MAX * 4];

	memset(big, 0, sizeof(big));
	big[0] = PRIV_PROTO_VERSION;
	big[1] = PRIV_HELLO;
	expect_fatal_bytes(big, sizeof(big), 0, 0);
}
END_TEST

START_TEST(child_bad_version)
{
	struct priv_msg m = hello();
	uint8_t buf[PRIV_MSG_MAX];
	size_t n = encode(&m, buf);

	buf[0] = PRIV_PROTO_VERSION + 1;	/* the header's version */
	expect_fatal_bytes(buf, n, 0, 0);
	m.u.hello.version = PRIV_PROTO_VERSION + 1;	/* HELLO's */
	n = encode(&m, buf);
	{
		struct priv_msg r;
		pid_t pid;
		int s = start_child(&pid), rfd;

		ck_assert_int_eq(ipc_send(s, buf, n, -1), 0);
		ck_assert_int_eq(recv_msg(s, &r, &rfd), 1);
		ck_assert_int_eq(r.type, PRIV_ERR);
		ck_assert_int_eq(reap(pid), 1);
		close(s);
	}
}
END_TEST

/* Send OPEN_FILE PATH in MODE and return the reply's errno (0 for FD). */
static int
open_file(int s, const char *path, int mode)
{
	struct priv_msg m, r;
	int fd;

	memset(&m, 0, sizeof(m));
	m.type = PRIV_OPEN_FILE;
	m.id = 9;
	m.u.file.mode = (uint8_t)mode;
	snprintf(m.u.file.path, sizeof(m.u.file.path), "%s", path);
	send_msg(s, &m);
	ck_assert_int_eq(recv_msg(s, &r, &fd), 1);
	ck_assert_uint_eq(r.id, 9);
	if (r.type == PRIV_FD) {
		ck_assert_int_ge(fd, 0);
		close(fd);
		return 0;
	}
	ck_assert_int_eq(r.type, PRIV_ERR);
	ck_assert_int_eq(fd, -1);
	return (int)r.u.err.err;
}

/* As root: the file server runs as "nobody": files below its directory
 * only, and only those nobody may open; a root-only file is neither
 * truncated nor appended to, nothing is planted in a root-only
 * directory; a request of another type ends it. */
START_TEST(filesrv_as_owner)
{
	char dir[] = "/tmp/test-priv-files.XXXXXX";
	char empty[] = "/tmp/test-priv-empty.XXXXXX", p[96], err[256];
	struct filesrv_conf fc;
	struct priv_msg m;
	struct stat st;
	int s, fd, wfd;

	if (geteuid() != 0 || getpwnam("nobody") == NULL) {
		fprintf(stderr, "filesrv_as_owner: needs root and user "
		    "nobody, skipped\n");
		return;
	}
	log_init("test-filesrv");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_ptr_nonnull(mkdtemp(empty));
	ck_assert_int_eq(chmod(dir, 0755), 0);
	snprintf(p, sizeof(p), "%s/w", dir);	/* nobody's */
	ck_assert_int_eq(mkdir(p, 0755), 0);
	ck_assert_int_eq(chown(p, getpwnam("nobody")->pw_uid, (gid_t)-1), 0);
	snprintf(p, sizeof(p), "%s/root", dir);	/* root's, 0700 */
	ck_assert_int_eq(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/secret", dir);	/* root's, 0600 */
	wfd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ck_assert_int_ge(wfd, 0);
	ck_assert_int_eq(write(wfd, "keep\n", 5), 5);
	close(wfd);
	snprintf(p, sizeof(p), "%s/link", dir);
	ck_assert_int_eq(symlink("/etc/passwd", p), 0);
	memset(&fc, 0, sizeof(fc));
	fc.dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	fc.owner = "nobody";
	fc.chroot_dir = empty;
	ck_assert_int_ge(fc.dirfd, 0);
	s = filesrv_start(&fc, err, sizeof(err));
	ck_assert_msg(s >= 0, "filesrv_start: %s", err);
	close(fc.dirfd);
	ck_assert_int_eq(open_file(s, "w/x", PRIV_FILE_TRUNC), 0);
	snprintf(p, sizeof(p), "%s/w/x", dir);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_uint_eq(st.st_uid, getpwnam("nobody")->pw_uid);
	ck_assert_int_eq(open_file(s, "w/x", PRIV_FILE_APPEND), 0);
	ck_assert_int_eq(open_file(s, "w/../w/x", PRIV_FILE_READ), 0);
	ck_assert_int_eq(open_file(s, "secret", PRIV_FILE_TRUNC), EACCES);
	ck_assert_int_eq(open_file(s, "secret", PRIV_FILE_APPEND), EACCES);
	ck_assert_int_eq(open_file(s, "secret", PRIV_FILE_READ), EACCES);
	ck_assert_int_eq(open_file(s, "root/planted", PRIV_FILE_TRUNC),
	    EACCES);
	ck_assert_int_eq(open_file(s, "x", PRIV_FILE_TRUNC), EACCES);
	ck_assert_int_eq(open_file(s, "../x", PRIV_FILE_TRUNC), EXDEV);
	ck_assert_int_eq(open_file(s, "/etc/passwd", PRIV_FILE_READ), EXDEV);
	ck_assert_int_eq(open_file(s, "link", PRIV_FILE_READ), ELOOP);
	ck_assert_int_eq(open_file(s, "w", PRIV_FILE_READ), EISDIR);
	ck_assert_int_eq(open_file(s, "nope", PRIV_FILE_READ), ENOENT);
	snprintf(p, sizeof(p), "%s/secret", dir);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_int_eq(st.st_size, 5);		/* not truncated */
	snprintf(p, sizeof(p), "%s/root/planted", dir);
	ck_assert_int_ne(access(p, F_OK), 0);		/* not planted */
	/* not a file request: it ends */
	m = hello();
	send_msg(s, &m);
	ck_assert_int_eq(recv_msg(s, &m, &fd), 0);
	close(s);
	snprintf(p, sizeof(p), "rm -rf '%s' '%s'", dir, empty);
	ck_assert_int_eq(system(p), 0);
}
END_TEST

/* As root: the requests that are well-formed but refused by policy get
 * an ERR and the helper carries on; a clean close ends it with 0. */
START_TEST(child_refusals_are_not_fatal)
{
	struct priv_msg m = hello(), r;
	pid_t pid;
	int s, fd;

	if (geteuid() != 0) {
		fprintf(stderr, "child_refusals_are_not_fatal: needs root, "
		    "skipped\n");
		return;
	}
	s = start_child(&pid);
	send_msg(s, &m);
	ck_assert_int_eq(recv_msg(s, &r, &fd), 1);
	ck_assert_int_eq(r.type, PRIV_HELLO_OK);

	memset(&m, 0, sizeof(m));
	m.type = PRIV_OPEN_RAW;
	m.id = 2;
	m.u.raw.family = PRIV_AF_INET;
	m.u.raw.proto = PRIV_P_ICMP6;		/* not a v4 kind */
	send_msg(s, &m);
	ck_assert_int_eq(recv_msg(s, &r, &fd), 1);
	ck_assert_int_eq(r.type, PRIV_ERR);
	ck_assert_uint_eq(r.id, 2);
	ck_assert_uint_eq(r.u.err.err, EINVAL);
	ck_assert_int_eq(fd, -1);

	m.u.raw.proto = PRIV_P_ICMP;		/* fine */
	m.id = 3;
	send_msg(s, &m);
	ck_assert_int_eq(recv_msg(s, &r, &fd), 1);
	ck_assert_int_eq(r.type, PRIV_FD);
	ck_assert_int_ge(fd, 0);
	close(fd);

	memset(&m, 0, sizeof(m));
	m.type = PRIV_FW_ADD;
	m.id = 4;
	m.u.fw.family = PRIV_AF_INET;
	m.u.fw.proto = PRIV_P_TCP;
	memcpy(m.u.fw.laddr, "\xc0\x00\x02\x01", 4);
	memcpy(m.u.fw.raddr, "\xc6\x33\x64\x02", 4);
	m.u.fw.lport = 22;			/* below 1024: refused */
	m.u.fw.rport = 80;
	send_msg(s, &m);
	ck_assert_int_eq(recv_msg(s, &r, &fd), 1);
	ck_assert_int_eq(r.type, PRIV_ERR);
	ck_assert_uint_eq(r.u.err.err, EINVAL);
	m.u.fw.lport = 0;			/* any port: fine */
	send_msg(s, &m);
	ck_assert_int_eq(recv_msg(s, &r, &fd), 1);
	if (r.type == PRIV_FW_OK) {
		/* (a bare namespace lets any address be bound) */
		ck_assert_uint_ge(r.u.fw_ok.lport, 1024);
		memset(&m, 0, sizeof(m));
		m.type = PRIV_FW_DEL;
		m.id = 5;
		m.u.fw_id.rule_id = r.u.fw_ok.rule_id;
		send_msg(s, &m);
		ck_assert_int_eq(recv_msg(s, &r, &fd), 1);
		ck_assert_int_eq(r.type, PRIV_OK);
	} else
		ck_assert_int_eq(r.type, PRIV_ERR);	/* no firewall */

	memset(&m, 0, sizeof(m));
	m.type = PRIV_FW_DEL;
	m.id = 5;
	m.u.fw_id.rule_id = 77;			/* not ours */
	send_msg(s, &m);
	ck_assert_int_eq(recv_msg(s, &r, &fd), 1);
	ck_assert_int_eq(r.type, PRIV_ERR);
	ck_assert_uint_eq(r.u.err.err, ENOENT);

	memset(&m, 0, sizeof(m));
	m.type = PRIV_OPEN_DL;
	m.id = 6;
	m.u.dl.ifindex = 100000;		/* no such interface */
	send_msg(s, &m);
	ck_assert_int_eq(recv_msg(s, &r, &fd), 1);
	ck_assert_int_eq(r.type, PRIV_ERR);
	ck_assert_uint_eq(r.u.err.err, ENXIO);

	close(s);
	ck_assert_int_eq(reap(pid), 0);
}
END_TEST

/* ---- the client side: a bad reply is fatal --------------------------- */

static void
ignore_cb(void *arg, int err, int fd, uint32_t value)
{
	(void)arg;
	(void)err;
	(void)fd;
	(void)value;
}

/* Send REPLY to a client with one OPEN_RAW pending and read it. */
static void
client_gets(const struct priv_msg *reply, int with_fd)
{
	int sv[2];
	struct priv_client *pc;
	uint8_t buf[PRIV_MSG_MAX];

	log_init("test-client");
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	pc = priv_client_new(sv[0]);
	ck_assert_ptr_nonnull(pc);
	ck_assert_int_eq(priv_open_raw(pc, PRIV_AF_INET, PRIV_P_ICMP,
	    ignore_cb, NULL), 0);
	ck_assert_int_eq(ipc_send(sv[1], buf, encode(reply, buf),
	    with_fd ? 0 : -1), 0);
	priv_client_read(pc);
}

/* Replies to the pending OPEN_RAW (ID 1) that end the client, each with
 * or without a descriptor. */
static const struct bad_reply {
	struct priv_msg	msg;
	int		with_fd;
} bad_replies[] = {
	/* the wrong type: OPEN_RAW wants FD or ERR */
	{ { .type = PRIV_FW_OK, .id = 1,
	    .u.fw_ok = { .rule_id = 1, .lport = 40001 } }, 0 },
	{ { .type = PRIV_FD, .id = 77 }, 1 },	/* an unknown ID */
	{ { .type = PRIV_FD, .id = 1 }, 0 },	/* FD without the descriptor */
};

START_TEST(client_bad_reply)
{
	client_gets(&bad_replies[_i].msg, bad_replies[_i].with_fd);
}
END_TEST

/* ---- firewall leases: a rule lives while its measurement does ------ */

struct lease_seen {
	int	calls, err;
	uint16_t lport;
};

static void
lease_cb(void *arg, int err, uint16_t lport)
{
	struct lease_seen *ls = arg;

	ls->calls++;
	ls->err = err;
	ls->lport = lport;
}

/* The fake helper's side: read the next request from S (type TYPE). */
static struct priv_msg
fake_read(int s, int type)
{
	struct priv_msg m;
	int fd;

	ck_assert_int_eq(recv_msg(s, &m, &fd), 1);
	ck_assert_int_eq(m.type, type);
	return m;
}

/* ... and answer REQ: FW_OK ID, or ERR with ERR. */
static void
fake_answer(int s, const struct priv_msg *req, uint32_t id, int err)
{
	struct priv_msg r;

	memset(&r, 0, sizeof(r));
	r.id = req->id;
	if (err != 0) {
		r.type = PRIV_ERR;
		r.u.err.err = (uint32_t)err;
	} else {
		r.type = PRIV_FW_OK;
		r.u.fw_ok.rule_id = id;
		r.u.fw_ok.lport = 40001;
	}
	send_msg(s, &r);
}

/* Nothing more from the client on S. */
static void
fake_quiet(int s)
{
	uint8_t b[PRIV_MSG_MAX];

	ck_assert_int_eq(recv(s, b, sizeof(b), MSG_DONTWAIT), -1);
	ck_assert_int_eq(errno, EAGAIN);
}

START_TEST(fwlease_lifetimes)
{
	struct priv_fw_rule rule;
	struct lease_seen ls;
	struct priv_fwlease *l;
	struct priv_client *pc;
	struct priv_msg m;
	int sv[2];

	log_init("test-fwlease");
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	pc = priv_client_new(sv[0]);
	memset(&rule, 0, sizeof(rule));
	rule.family = PRIV_AF_INET;
	rule.proto = PRIV_P_TCP;
	memcpy(rule.laddr, "\xc0\x00\x02\x01", 4);
	memcpy(rule.raddr, "\xc0\x00\x02\x02", 4);
	rule.rport = 80;

	/* granted, used, released: the rule is deleted */
	memset(&ls, 0, sizeof(ls));
	ck_assert_ptr_nonnull(l = priv_fwlease_new(pc, &rule, lease_cb, &ls));
	m = fake_read(sv[1], PRIV_FW_ADD);
	fake_answer(sv[1], &m, 5, 0);
	ck_assert_int_eq(priv_client_read(pc), 0);
	ck_assert_int_eq(ls.calls, 1);
	ck_assert_int_eq(ls.err, 0);
	ck_assert_uint_eq(ls.lport, 40001);
	priv_fwlease_release(l);
	m = fake_read(sv[1], PRIV_FW_DEL);
	ck_assert_uint_eq(m.u.fw_id.rule_id, 5);

	/* released before the answer: no callback, deleted once granted */
	memset(&ls, 0, sizeof(ls));
	ck_assert_ptr_nonnull(l = priv_fwlease_new(pc, &rule, lease_cb, &ls));
	priv_fwlease_release(l);
	m = fake_read(sv[1], PRIV_FW_ADD);
	fake_answer(sv[1], &m, 6, 0);
	ck_assert_int_eq(priv_client_read(pc), 0);
	ck_assert_int_eq(ls.calls, 0);
	m = fake_read(sv[1], PRIV_FW_DEL);
	ck_assert_uint_eq(m.u.fw_id.rule_id, 6);

	/* released before a refusal: nothing to delete */
	ck_assert_ptr_nonnull(l = priv_fwlease_new(pc, &rule, lease_cb, &ls));
	priv_fwlease_release(l);
	m = fake_read(sv[1], PRIV_FW_ADD);
	fake_answer(sv[1], &m, 0, EADDRINUSE);
	ck_assert_int_eq(priv_client_read(pc), 0);
	ck_assert_int_eq(ls.calls, 0);
	fake_quiet(sv[1]);

	/* refused: the owner hears why; releasing deletes nothing */
	ck_assert_ptr_nonnull(l = priv_fwlease_new(pc, &rule, lease_cb, &ls));
	m = fake_read(sv[1], PRIV_FW_ADD);
	fake_answer(sv[1], &m, 0, EADDRINUSE);
	ck_assert_int_eq(priv_client_read(pc), 0);
	ck_assert_int_eq(ls.calls, 1);
	ck_assert_int_eq(ls.err, EADDRINUSE);
	priv_fwlease_release(l);
	fake_quiet(sv[1]);

	/* the helper goes while a lease waits: EPIPE */
	memset(&ls, 0, sizeof(ls));
	ck_assert_ptr_nonnull(l = priv_fwlease_new(pc, &rule, lease_cb, &ls));
	close(sv[1]);
	ck_assert_int_eq(priv_client_read(pc), -1);
	ck_assert_int_eq(ls.calls, 1);
	ck_assert_int_eq(ls.err, EPIPE);
	priv_fwlease_release(l);
	priv_client_free(pc);
}
END_TEST

/* ---- service mode: a violation closes only its client ----------------- */

/* Connect to the service at PATH.  The socket file appears at bind(),
 * a moment before listen(): a refusal then is retried (for up to 10 s,
 * however busy the machine). */
static int
connect_to(const char *path)
{
	struct sockaddr_un sun;
	int fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	/* the socket's path exists from bind(); it takes connections only
	 * after listen(), which a loaded machine may run a while later */
	for (int i = 0; i < 1000; i++) {
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
			return fd;
		ck_assert_msg(errno == ECONNREFUSED || errno == ENOENT,
		    "connect %s: %s", path, strerror(errno));
		usleep(10000);
	}
	ck_abort_msg("connect %s: still refused after 10 s", path);
	return -1;
}

/* Start a service helper (as root, in a network namespace of its own)
 * on a socket in a new temporary directory DIR; HELLO within SECS. */
static pid_t
start_service(char *dir, char *path, size_t len, int secs)
{
	struct group *gr = getgrgid(getegid());
	pid_t pid;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, len, "%s/helper.sock", dir);
	if ((pid = fork()) == 0) {
		struct helper_conf conf = { .sock_path = path,
		    .group = gr->gr_name, .hello_secs = secs };

		if (unshare(CLONE_NEWNET) == -1)
			_exit(99);
		log_init("test-service");
		_exit(helper_run(&conf));
	}
	for (int i = 0; i < 500 && access(path, F_OK) != 0; i++)
		usleep(10000);
	ck_assert_int_eq(access(path, F_OK), 0);
	return pid;
}

static void
stop_service(pid_t pid, const char *dir, const char *path)
{
	kill(pid, SIGTERM);
	ck_assert_int_eq(reap(pid), 0);
	unlink(path);		/* left by the unprivileged helper */
	rmdir(dir);
}

START_TEST(service_isolates_clients)
{
	char dir[] = "/tmp/test-priv-helper.XXXXXX", path[128];
	struct priv_msg m = hello(), r;
	pid_t pid;
	int a, b, fd;

	if (geteuid() != 0) {
		fprintf(stderr, "service_isolates_clients: needs root, "
		    "skipped\n");
		return;
	}
	pid = start_service(dir, path, sizeof(path), 0);
	a = connect_to(path);
	b = connect_to(path);
	send_msg(a, &m);
	ck_assert_int_eq(recv_msg(a, &r, &fd), 1);
	ck_assert_int_eq(r.type, PRIV_HELLO_OK);
	/* a misbehaves: a second HELLO */
	send_msg(a, &m);
	ck_assert_int_eq(recv_msg(a, &r, &fd), 0);
	/* b is unaffected */
	send_msg(b, &m);
	ck_assert_int_eq(recv_msg(b, &r, &fd), 1);
	ck_assert_int_eq(r.type, PRIV_HELLO_OK);
	close(a);
	close(b);
	stop_service(pid, dir, path);
}
END_TEST

/* One user gets HELPER_MAXPERUID connections, the next is refused with
 * EUSERS; a client that never says HELLO is closed with ETIMEDOUT. */
START_TEST(service_limits)
{
	char dir[] = "/tmp/test-priv-helper.XXXXXX", path[128];
	struct priv_msg m = hello(), r;
	int c[HELPER_MAXPERUID + 1], fd;
	pid_t pid;

	if (geteuid() != 0) {
		fprintf(stderr, "service_limits: needs root, skipped\n");
		return;
	}
	pid = start_service(dir, path, sizeof(path), 1);
	for (int i = 0; i <= HELPER_MAXPERUID; i++)
		c[i] = connect_to(path);
	/* the last one: refused at once, with the reason */
	ck_assert_int_eq(recv_msg(c[HELPER_MAXPERUID], &r, &fd), 1);
	ck_assert_int_eq(r.type, PRIV_ERR);
	ck_assert_uint_eq(r.id, 0);
	ck_assert_uint_eq(r.u.err.err, EUSERS);
	/* one says HELLO and stays; the others never do and are closed */
	send_msg(c[0], &m);
	ck_assert_int_eq(recv_msg(c[0], &r, &fd), 1);
	ck_assert_int_eq(r.type, PRIV_HELLO_OK);
	for (int i = 1; i < HELPER_MAXPERUID; i++) {
		ck_assert_int_eq(recv_msg(c[i], &r, &fd), 1);
		ck_assert_int_eq(r.type, PRIV_ERR);
		ck_assert_uint_eq(r.u.err.err, ETIMEDOUT);
		ck_assert_int_eq(recv_msg(c[i], &r, &fd), 0);
		close(c[i]);
	}
	/* their places are free again */
	close(c[HELPER_MAXPERUID]);
	c[1] = connect_to(path);
	send_msg(c[1], &m);
	ck_assert_int_eq(recv_msg(c[1], &r, &fd), 1);
	ck_assert_int_eq(r.type, PRIV_HELLO_OK);
	close(c[0]);
	close(c[1]);
	stop_service(pid, dir, path);
}
END_TEST

int
main(void)
{
	const TTest *tests[] = {
		child_unknown_type, child_wrong_size, child_oversize,
		child_bad_version, child_refusals_are_not_fatal,
		filesrv_as_owner, service_isolates_clients, service_limits
	};
	Suite *s = suite_create("priv_helper");
	TCase *tc = tcase_create("helper");
	TCase *cl = tcase_create("client");

	tcase_set_timeout(tc, 30);
	check_add(tc, tests, CHECK_N(tests));
	tcase_add_loop_test(tc, child_fatal_message, 0,
	    (int)CHECK_N(fatal_msgs));
	suite_add_tcase(s, tc);
	tcase_add_loop_exit_test(cl, client_bad_reply, 1, 0,
	    (int)CHECK_N(bad_replies));
	tcase_add_test(cl, fwlease_lifetimes);
	suite_add_tcase(s, cl);
	return unit_run(s);
}
