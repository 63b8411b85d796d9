/*
 * test_priv_proto.c: unit tests of the wire codec, the IPC framing, the
 * helper protocol's encoders/decoders and the firewall rule policy.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"
#include "fwtab.h"
#include "priv_proto.h"
#include "wire.h"
#include "../lib/check_table.h"

/* ---- wire ------------------------------------------------------------ */

START_TEST(wire_roundtrip)
{
	uint8_t buf[64], b8, bytes[3];
	uint16_t b16;
	uint32_t b32;
	uint64_t b64;
	char s[8];
	struct wire_w w;
	struct wire_r r;
	long len;

	wire_w_init(&w, buf, sizeof(buf));
	wire_put_n8(&w, 0xab);
	wire_put_n16(&w, 0x1234);
	wire_put_n32(&w, 0xdeadbeef);
	wire_put_n64(&w, 0x0102030405060708ULL);
	wire_put_bytes(&w, "xyz", 3);
	wire_put_str(&w, "hello", 7);
	len = wire_w_end(&w);
	ck_assert_int_eq(len, 1 + 2 + 4 + 8 + 3 + 2 + 5);
	ck_assert_int_eq(buf[1], 0x12);		/* big-endian */
	ck_assert_int_eq(buf[2], 0x34);

	wire_r_init(&r, buf, (size_t)len);
	ck_assert_int_eq(wire_get_n8(&r, &b8), 0);
	ck_assert_int_eq(wire_get_n16(&r, &b16), 0);
	ck_assert_int_eq(wire_get_n32(&r, &b32), 0);
	ck_assert_int_eq(wire_get_n64(&r, &b64), 0);
	ck_assert_int_eq(wire_get_bytes(&r, bytes, 3), 0);
	ck_assert_int_eq(wire_get_str(&r, s, sizeof(s)), 0);
	ck_assert_int_eq(wire_r_end(&r), 0);
	ck_assert_uint_eq(b8, 0xab);
	ck_assert_uint_eq(b16, 0x1234);
	ck_assert_uint_eq(b32, 0xdeadbeef);
	ck_assert(b64 == 0x0102030405060708ULL);
	ck_assert_mem_eq(bytes, "xyz", 3);
	ck_assert_str_eq(s, "hello");
}
END_TEST

START_TEST(wire_overflow)
{
	uint8_t buf[5];
	struct wire_w w;

	wire_w_init(&w, buf, sizeof(buf));
	wire_put_n32(&w, 1);
	wire_put_n16(&w, 2);		/* does not fit */
	wire_put_n8(&w, 3);		/* would fit, but the error sticks */
	errno = 0;
	ck_assert_int_eq(wire_w_end(&w), -1);
	ck_assert_int_eq(errno, EMSGSIZE);

	wire_w_init(&w, buf, sizeof(buf));
	wire_put_str(&w, "toolong", 3);
	ck_assert_int_eq(wire_w_end(&w), -1);
}
END_TEST

START_TEST(wire_short_and_trailing)
{
	const uint8_t in[3] = { 1, 2, 3 };
	struct wire_r r;
	uint32_t v;
	uint16_t v16;

	wire_r_init(&r, in, sizeof(in));
	ck_assert_int_eq(wire_get_n32(&r, &v), -1);
	ck_assert_uint_eq(v, 0);
	errno = 0;
	ck_assert_int_eq(wire_r_end(&r), -1);
	ck_assert_int_eq(errno, EBADMSG);

	wire_r_init(&r, in, sizeof(in));
	ck_assert_int_eq(wire_get_n16(&r, &v16), 0);
	errno = 0;
	ck_assert_int_eq(wire_r_end(&r), -1);	/* one byte left over */
	ck_assert_int_eq(errno, EBADMSG);
}
END_TEST

START_TEST(wire_bad_strings)
{
	const uint8_t toolong[] = { 0, 9, 'a', 'b', 'c', 'd', 'e', 'f', 'g',
	    'h', 'i' };
	const uint8_t nul[] = { 0, 3, 'a', 0, 'b' };
	const uint8_t short_[] = { 0, 5, 'a' };
	struct wire_r r;
	char s[8];

	wire_r_init(&r, toolong, sizeof(toolong));
	ck_assert_int_eq(wire_get_str(&r, s, sizeof(s)), -1);
	wire_r_init(&r, nul, sizeof(nul));
	ck_assert_int_eq(wire_get_str(&r, s, sizeof(s)), -1);
	ck_assert_str_eq(s, "");
	wire_r_init(&r, short_, sizeof(short_));
	ck_assert_int_eq(wire_get_str(&r, s, sizeof(s)), -1);
	ck_assert_int_eq(wire_r_end(&r), -1);
}
END_TEST

/* ---- the protocol ---------------------------------------------------- */

/* One valid example of every message type. */
static const struct priv_msg examples[] = {
	{ .type = PRIV_HELLO, .u.hello.version = PRIV_PROTO_VERSION },
	{ .type = PRIV_OPEN_RAW, .u.raw = { .family = PRIV_AF_INET6,
	    .proto = PRIV_P_ICMP6 } },
	{ .type = PRIV_OPEN_DL, .u.dl.ifindex = 7 },
	{ .type = PRIV_OPEN_ROUTE },
	{ .type = PRIV_FW_ADD, .u.fw = { .family = PRIV_AF_INET,
	    .proto = PRIV_P_TCP, .laddr = { 192, 0, 2, 1 },
	    .raddr = { 198, 51, 100, 2 }, .lport = 40001, .rport = 80 } },
	{ .type = PRIV_FW_DEL, .u.fw_id.rule_id = 42 },
	{ .type = PRIV_HELLO_OK, .u.hello_ok = {
	    .version = PRIV_PROTO_VERSION, .pid = 4242,
	    .flags = PRIV_HELLO_F_FW } },
	{ .type = PRIV_OK },
	{ .type = PRIV_ERR, .u.err.err = EPERM },
	{ .type = PRIV_FD },
	{ .type = PRIV_FW_OK, .u.fw_ok = { .rule_id = 9, .lport = 40001 } },
	{ .type = PRIV_OPEN_FILE, .u.file = { .mode = PRIV_FILE_APPEND,
	    .path = "out/x.warts" } },		/* 11 bytes */
};
#define NEXAMPLES ((int)(sizeof(examples) / sizeof(examples[0])))

/* Example I, with its own ID (all else zero, padding too). */
static struct priv_msg
example(int i)
{
	struct priv_msg m;

	memcpy(&m, &examples[i], sizeof(m));
	m.id = 1000 + (uint32_t)i;
	return m;
}

START_TEST(proto_roundtrip)
{
	struct priv_msg m = example(_i), d;
	uint8_t buf[PRIV_MSG_MAX];
	long len = priv_msg_encode(&m, buf, sizeof(buf));

	ck_assert_int_eq(len, PRIV_HDR_LEN + priv_body_len(m.type));
	ck_assert_int_eq(priv_msg_decode(&d, buf, (size_t)len), 0);
	ck_assert_int_eq(d.type, m.type);
	ck_assert_uint_eq(d.id, m.id);
	ck_assert_mem_eq(&d.u, &m.u, sizeof(m.u));
	ck_assert_str_ne(priv_type_name(m.type), "unknown");
}
END_TEST

START_TEST(proto_wrong_sizes)
{
	struct priv_msg m = example(_i), d;
	uint8_t buf[PRIV_MSG_MAX + 1];
	long len = priv_msg_encode(&m, buf, sizeof(buf));

	/* every truncation, and one byte too many */
	for (long n = 0; n < len; n++) {
		errno = 0;
		ck_assert_int_eq(priv_msg_decode(&d, buf, (size_t)n), -1);
		ck_assert_int_eq(errno, EBADMSG);
	}
	buf[len] = 0;
	errno = 0;
	ck_assert_int_eq(priv_msg_decode(&d, buf, (size_t)len + 1), -1);
	ck_assert_int_eq(errno, EBADMSG);
	/* a buffer too small to encode into */
	errno = 0;
	ck_assert_int_eq(priv_msg_encode(&m, buf, (size_t)len - 1), -1);
	ck_assert_int_eq(errno, EMSGSIZE);
}
END_TEST

START_TEST(proto_bad_header)
{
	struct priv_msg m = example(0), d;
	uint8_t buf[PRIV_MSG_MAX];
	long len = priv_msg_encode(&m, buf, sizeof(buf));

	buf[0] = PRIV_PROTO_VERSION + 1;
	errno = 0;
	ck_assert_int_eq(priv_msg_decode(&d, buf, (size_t)len), -1);
	ck_assert_int_eq(errno, EPROTO);
	buf[0] = PRIV_PROTO_VERSION;
	buf[3] = 1;				/* reserved */
	errno = 0;
	ck_assert_int_eq(priv_msg_decode(&d, buf, (size_t)len), -1);
	ck_assert_int_eq(errno, EBADMSG);
	buf[3] = 0;
	for (int t = 0; t < 256; t++) {
		if (priv_body_len(t) != -1)
			continue;
		buf[1] = (uint8_t)t;
		errno = 0;
		ck_assert_int_eq(priv_msg_decode(&d, buf, (size_t)len), -1);
		ck_assert_int_eq(errno, ENOMSG);
	}
	m.type = 99;
	errno = 0;
	ck_assert_int_eq(priv_msg_encode(&m, buf, sizeof(buf)), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

/* Encode M, set byte OFF of the body to V, and expect EBADMSG. */
static void
expect_bad_field(struct priv_msg m, size_t off, uint8_t v)
{
	uint8_t buf[PRIV_MSG_MAX];
	struct priv_msg d;
	long len = priv_msg_encode(&m, buf, sizeof(buf));

	ck_assert_int_gt(len, (long)(PRIV_HDR_LEN + off));
	buf[PRIV_HDR_LEN + off] = v;
	errno = 0;
	ck_assert_int_eq(priv_msg_decode(&d, buf, (size_t)len), -1);
	ck_assert_int_eq(errno, EBADMSG);
}

START_TEST(proto_bad_fields)
{
	struct priv_msg zero;

	expect_bad_field(example(0), 7, 1);	/* HELLO flags */
	expect_bad_field(example(1), 0, 5);	/* OPEN_RAW family */
	expect_bad_field(example(1), 1, 2);	/* OPEN_RAW proto */
	expect_bad_field(example(2), 3, 0);	/* OPEN_DL ifindex 0 */
	expect_bad_field(example(2), 0, 0x80);	/* OPEN_DL ifindex huge */
	expect_bad_field(example(4), 0, 0);	/* FW_ADD family */
	expect_bad_field(example(4), 1, 1);	/* FW_ADD proto ICMP */
	expect_bad_field(example(4), 2 + 5, 1);	/* v4 padding, laddr */
	expect_bad_field(example(4), 18 + 15, 1); /* v4 padding, raddr */
	expect_bad_field(example(5), 3, 0);	/* FW_DEL id 0 */
	expect_bad_field(example(10), 3, 0);	/* FW_OK id 0 */
	expect_bad_field(example(10), 7, 1);	/* FW_OK reserved */
	expect_bad_field(example(8), 3, 0);	/* ERR 0 */
	expect_bad_field(example(6), 11, 2);	/* HELLO_OK flags */
	expect_bad_field(example(11), 0, 0);	/* OPEN_FILE mode 0 */
	expect_bad_field(example(11), 0, 4);	/* OPEN_FILE mode 4 */
	expect_bad_field(example(11), 1, 1);	/* reserved */
	expect_bad_field(example(11), 3, 0);	/* path length 0 */
	expect_bad_field(example(11), 2, 4);	/* length 1035 > 1024 */
	expect_bad_field(example(11), 4 + 3, 0); /* a NUL in the path */
	expect_bad_field(example(11), 4 + 500, 'x'); /* padding not zero */
	memset(&zero, 0, sizeof(zero));
	(void)zero;
}
END_TEST

START_TEST(proto_open_file_paths)
{
	struct priv_msg m = example(11), d;
	uint8_t buf[PRIV_MSG_MAX];
	long len;

	/* the longest path fits exactly; one more byte does not */
	memset(m.u.file.path, 'a', PRIV_PATH_MAX);
	m.u.file.path[PRIV_PATH_MAX] = '\0';
	len = priv_msg_encode(&m, buf, sizeof(buf));
	ck_assert_int_eq(len, PRIV_MSG_MAX);
	ck_assert_int_eq(priv_msg_decode(&d, buf, (size_t)len), 0);
	ck_assert_uint_eq(strlen(d.u.file.path), PRIV_PATH_MAX);
	/* an empty path is not encoded */
	m.u.file.path[0] = '\0';
	errno = 0;
	ck_assert_int_eq(priv_msg_encode(&m, buf, sizeof(buf)), -1);
	ck_assert_int_eq(errno, EMSGSIZE);
}
END_TEST

/* ---- IPC ------------------------------------------------------------- */

static void
pair(int sv[2])
{
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
}

START_TEST(ipc_fd_passing)
{
	int sv[2], fd, p[2];
	uint8_t buf[16];
	size_t len;

	pair(sv);
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(ipc_send(sv[0], "abc", 3, p[1]), 0);
	ck_assert_int_eq(ipc_recv(sv[1], buf, sizeof(buf), &len, &fd), 1);
	ck_assert_uint_eq(len, 3);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "z", 1), 1);	/* the same pipe */
	ck_assert_int_eq(read(p[0], buf, 1), 1);
	ck_assert_int_eq(buf[0], 'z');
	ck_assert_int_ne(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
	close(fd);

	/* no descriptor wanted: refused, and it is closed */
	ck_assert_int_eq(ipc_send(sv[0], "abc", 3, p[1]), 0);
	errno = 0;
	ck_assert_int_eq(ipc_recv(sv[1], buf, sizeof(buf), &len, NULL), -1);
	ck_assert_int_eq(errno, EBADMSG);

	/* a message with no descriptor */
	ck_assert_int_eq(ipc_send(sv[0], "de", 2, -1), 0);
	ck_assert_int_eq(ipc_recv(sv[1], buf, sizeof(buf), &len, &fd), 1);
	ck_assert_int_eq(fd, -1);
	ck_assert_uint_eq(len, 2);

	/* too long for the receiver */
	ck_assert_int_eq(ipc_send(sv[0], "0123456789", 10, -1), 0);
	errno = 0;
	ck_assert_int_eq(ipc_recv(sv[1], buf, 4, &len, &fd), -1);
	ck_assert_int_eq(errno, EMSGSIZE);

	close(sv[0]);
	ck_assert_int_eq(ipc_recv(sv[1], buf, sizeof(buf), &len, &fd), 0);
	close(sv[1]);
	close(p[0]);
	close(p[1]);
}
END_TEST

START_TEST(ipc_two_fds_refused)
{
	int sv[2], p[2], fd;
	struct msghdr msg;
	struct iovec iov;
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(2 * sizeof(int))];
	} cm;
	struct cmsghdr *c;
	uint8_t buf[8];
	size_t len;

	pair(sv);
	ck_assert_int_eq(pipe(p), 0);
	memset(&msg, 0, sizeof(msg));
	memset(&cm, 0, sizeof(cm));
	iov.iov_base = (void *)"x";
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cm.b;
	msg.msg_controllen = sizeof(cm.b);
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(2 * sizeof(int));
	memcpy(CMSG_DATA(c), p, 2 * sizeof(int));
	ck_assert_int_eq(sendmsg(sv[0], &msg, 0), 1);
	errno = 0;
	ck_assert_int_eq(ipc_recv(sv[1], buf, sizeof(buf), &len, &fd), -1);
	ck_assert_int_eq(errno, EBADMSG);
	close(sv[0]);
	close(sv[1]);
	close(p[0]);
	close(p[1]);
}
END_TEST

/* ---- firewall policy -------------------------------------------------- */

static struct priv_fw_rule
good_rule(void)
{
	struct priv_msg m = example(4);

	return m.u.fw;
}

START_TEST(fw_policy)
{
	struct priv_fw_rule r = good_rule();

	ck_assert_int_eq(fwtab_check(&r), 0);
	r.lport = 0;				/* any free port */
	ck_assert_int_eq(fwtab_check(&r), 0);
	r.lport = 22;				/* a service's port */
	ck_assert_int_eq(fwtab_check(&r), -1);
	ck_assert_int_eq(errno, EINVAL);
	r = good_rule();
	r.rport = 0;
	ck_assert_int_eq(fwtab_check(&r), -1);
	r = good_rule();
	memset(r.raddr, 0, 4);			/* wildcard */
	ck_assert_int_eq(fwtab_check(&r), -1);
	r = good_rule();
	r.laddr[0] = 224;			/* multicast */
	ck_assert_int_eq(fwtab_check(&r), -1);
	r = good_rule();
	memset(r.raddr, 255, 4);		/* broadcast */
	ck_assert_int_eq(fwtab_check(&r), -1);
	r = good_rule();
	r.proto = PRIV_P_ICMP;
	ck_assert_int_eq(fwtab_check(&r), -1);
	r = good_rule();
	r.family = PRIV_AF_INET6;
	memset(r.laddr, 0, 16);
	memcpy(r.laddr, "\x20\x01\x0d\xb8", 4);
	r.laddr[15] = 1;
	memcpy(r.raddr, r.laddr, 16);
	r.raddr[15] = 2;
	ck_assert_int_eq(fwtab_check(&r), 0);
	r.raddr[0] = 0xff;			/* v6 multicast */
	ck_assert_int_eq(fwtab_check(&r), -1);
	/* without a backend, a valid rule is refused with EOPNOTSUPP */
	{
		uint32_t id;
		uint16_t lport;
		struct priv_fw_rule g = good_rule();

		ck_assert_int_eq(fwtab_add(1, &g, &id, &lport), -1);
		ck_assert_int_eq(errno, EOPNOTSUPP);
		ck_assert_uint_eq(id, 0);
		ck_assert_int_eq(fwtab_del(1, 5), -1);
		ck_assert_int_eq(errno, ENOENT);
	}
}
END_TEST

int
main(void)
{
	const TTest *tests[] = {
		wire_roundtrip, wire_overflow, wire_short_and_trailing,
		wire_bad_strings
	};
	const TTest *after[] = {
		proto_bad_header, proto_bad_fields, proto_open_file_paths,
		ipc_fd_passing, ipc_two_fds_refused, fw_policy
	};
	TCase *tc = tcase_create("core");

	check_add(tc, tests, CHECK_N(tests));
	tcase_add_loop_test(tc, proto_roundtrip, 0, NEXAMPLES);
	tcase_add_loop_test(tc, proto_wrong_sizes, 0, NEXAMPLES);
	check_add(tc, after, CHECK_N(after));
	return unit_run(check_suite("priv_proto", tc));
}
