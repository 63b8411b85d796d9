/*
 * priv_proto.h: THE protocol between scamper and scamper-helper.
 *
 * Transport: AF_UNIX SOCK_SEQPACKET, one message per datagram, at most
 * one descriptor per message (SCM_RIGHTS), and only on replies (FD).
 * Two servers speak it: scamper-helper (every request but OPEN_FILE) and
 * the file server (filesrv.h: OPEN_FILE only).
 * Every message is a fixed-size header followed by a body whose size is
 * fixed by its type; both are encoded field by field, big-endian:
 *
 *   0       1       2               4                               8
 *   +-------+-------+---------------+-------------------------------+
 *   |version| type  |  reserved = 0 |       request id              |
 *   +-------+-------+---------------+-------------------------------+
 *   | body: exactly priv_body_len(type) bytes ...
 *
 * version is PRIV_PROTO_VERSION in every message.  The client picks the
 * request id; the reply to a request carries the same id, so requests
 * are answered asynchronously and matched by id.  The first request on a
 * connection must be HELLO (its version is checked, mismatch is fatal);
 * anything else unknown, unpermitted or of the wrong size ends the
 * connection (service mode) or the helper (child mode).
 *
 * Requests (client -> helper) and their replies:
 *   HELLO      n32 version, n32 flags=0  -> HELLO_OK | ERR
 *   OPEN_RAW   n8 family, n8 proto       -> FD (a raw socket) | ERR
 *   OPEN_DL    n32 ifindex               -> FD (datalink socket) | ERR
 *   OPEN_ROUTE (empty)                   -> FD (route socket) | ERR
 *   FW_ADD     rule (see below)          -> FW_OK | ERR
 *   FW_DEL     n32 rule id               -> OK | ERR
 *   OPEN_FILE  n8 mode, n8 reserved = 0, n16 path length,
 *              PRIV_PATH_MAX bytes: the path, then zeros
 *                                        -> FD (a regular file) | ERR
 * Replies (helper -> client):
 *   HELLO_OK   n32 version, n32 helper pid, n32 flags (PRIV_HELLO_F_*)
 *   OK         (empty)
 *   ERR        n32 errno value (same host, so errno numbers agree)
 *   FD         (empty, one descriptor attached)
 *   FW_OK      n32 rule id, n16 local port, n16 reserved = 0
 *
 * A firewall rule describes one of the client's probes, from the probing
 * host's side: n8 family (4|6), n8 proto (6 tcp|17 udp), 16 bytes local
 * address, 16 bytes remote address (IPv4 in the first 4, rest zero),
 * n16 local port (0: any free one), n16 remote port.  The helper installs
 * a rule dropping the replies to that probe before the kernel's own
 * stack sees them (so the kernel sends no RST), while the datalink
 * socket still sees them.  It does so only for a local address and port
 * it could bind itself, exclusively, and it holds that binding for as
 * long as the rule exists: the port is the client's alone, so the rule
 * can never drop another program's traffic.  FW_OK says which port.
 *
 * Files: after the drop the client has no file system; OPEN_FILE asks
 * the file server, a process forked before the drop that holds one
 * directory, to open a path relative to it, which must not leave it (no
 * "..", absolute path or symbolic link out; the last component is never
 * followed), and must name a regular file.  The file server runs as the
 * user who will own the results, so it opens only what that user may.
 */
#ifndef PRIVSEP_PRIV_PROTO_H
#define PRIVSEP_PRIV_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define PRIV_PROTO_VERSION	3

#define PRIV_HDR_LEN		8
#define PRIV_PATH_MAX		1024	/* longest OPEN_FILE path, bytes */
/* The largest message, header included: OPEN_FILE. */
#define PRIV_MSG_MAX		(PRIV_HDR_LEN + 4 + PRIV_PATH_MAX)

/* The descriptor number a helper started in child mode reads and writes
 * its one client on. */
#define PRIV_CHILD_FD		3

/* The closed set of message types.  Values are wire values. */
enum priv_type {
	PRIV_HELLO = 1,
	PRIV_OPEN_RAW = 2,
	PRIV_OPEN_DL = 3,
	PRIV_OPEN_ROUTE = 4,
	PRIV_FW_ADD = 5,
	PRIV_FW_DEL = 6,
	PRIV_OPEN_FILE = 8,		/* 7 was ALLOW_DIR (version 2) */
	PRIV_HELLO_OK = 64,
	PRIV_OK,
	PRIV_ERR,
	PRIV_FD,
	PRIV_FW_OK,
};

/* Wire values of address families and protocols. */
#define PRIV_AF_INET		4
#define PRIV_AF_INET6		6
#define PRIV_P_ICMP		1
#define PRIV_P_TCP		6
#define PRIV_P_UDP		17
#define PRIV_P_ICMP6		58
#define PRIV_P_RAW		255	/* IPPROTO_RAW: IPv4 with IP_HDRINCL */

/* OPEN_FILE modes */
#define PRIV_FILE_READ		1	/* read only */
#define PRIV_FILE_TRUNC		2	/* write; create or truncate */
#define PRIV_FILE_APPEND	3	/* write; create or append */

/* HELLO_OK flags */
#define PRIV_HELLO_F_FW		0x1	/* a firewall backend is present */

struct priv_fw_rule {
	uint8_t		family;		/* PRIV_AF_* */
	uint8_t		proto;		/* PRIV_P_TCP or PRIV_P_UDP */
	uint8_t		laddr[16];	/* our address (IPv4: first 4 bytes) */
	uint8_t		raddr[16];	/* the probed address */
	uint16_t	lport;		/* our port; FW_ADD: 0 = any free */
	uint16_t	rport;		/* the probed port */
};

/* A decoded message: type and id, and the body of that type in u. */
struct priv_msg {
	uint8_t		type;		/* enum priv_type */
	uint32_t	id;
	union {
		struct { uint32_t version, flags; } hello;
		struct { uint32_t version, pid, flags; } hello_ok;
		struct { uint8_t family, proto; } raw;
		struct { uint32_t ifindex; } dl;
		struct priv_fw_rule fw;
		struct { uint32_t rule_id; } fw_id;	/* FW_DEL */
		struct { uint32_t rule_id; uint16_t lport; } fw_ok;
		struct { uint32_t err; } err;
		struct {
			uint8_t	mode;			/* PRIV_FILE_* */
			char	path[PRIV_PATH_MAX + 1];	/* NUL-ended */
		} file;
	} u;
};

/* Exact body length of TYPE, or -1 if TYPE is not a message type. */
int priv_body_len(int type);

/* Name of TYPE for logs ("OPEN_RAW"), "unknown" if none. */
const char *priv_type_name(int type);

/* Encode M into BUF (CAP bytes).  Returns the length, or -1 with errno
 * set: EINVAL for an unknown type, EMSGSIZE if CAP is too small. */
long priv_msg_encode(const struct priv_msg *m, void *buf, size_t cap);

/* Decode the LEN bytes at BUF into M, checking the version, that the type
 * is known, that the length is exactly right and that reserved bytes and
 * enumerated fields hold allowed values.  Returns 0, or -1 with errno:
 * EPROTO for a version mismatch, ENOMSG for an unknown type, EBADMSG for
 * a wrong size or malformed field.  Pure; never blocks. */
int priv_msg_decode(struct priv_msg *m, const void *buf, size_t len);

#endif
