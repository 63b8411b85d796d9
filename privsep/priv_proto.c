/*
 * priv_proto.c: encoders and decoders of the helper protocol, each pair
 * next to the other (the layout is drawn in priv_proto.h).
 */
#include <errno.h>
#include <string.h>

#include "priv_proto.h"
#include "wire.h"

/* One row per message type: its wire name and exact body length. */
static const struct {
	enum priv_type	 type;
	const char	*name;
	int		 body;
} priv_types[] = {
	{ PRIV_HELLO,		"HELLO",	8 },
	{ PRIV_OPEN_RAW,	"OPEN_RAW",	2 },
	{ PRIV_OPEN_DL,		"OPEN_DL",	4 },
	{ PRIV_OPEN_ROUTE,	"OPEN_ROUTE",	0 },
	{ PRIV_FW_ADD,		"FW_ADD",	38 },
	{ PRIV_FW_DEL,		"FW_DEL",	4 },
	{ PRIV_OPEN_FILE,	"OPEN_FILE",	4 + PRIV_PATH_MAX },
	{ PRIV_HELLO_OK,	"HELLO_OK",	12 },
	{ PRIV_OK,		"OK",		0 },
	{ PRIV_ERR,		"ERR",		4 },
	{ PRIV_FD,		"FD",		0 },
	{ PRIV_FW_OK,		"FW_OK",	8 },
};

#define NTYPES (sizeof(priv_types) / sizeof(priv_types[0]))

int
priv_body_len(int type)
{
	for (size_t i = 0; i < NTYPES; i++)
		if ((int)priv_types[i].type == type)
			return priv_types[i].body;
	return -1;
}

const char *
priv_type_name(int type)
{
	for (size_t i = 0; i < NTYPES; i++)
		if ((int)priv_types[i].type == type)
			return priv_types[i].name;
	return "unknown";
}

/* ---- HELLO / HELLO_OK ------------------------------------------------ */

static void
put_hello(struct wire_w *w, const struct priv_msg *m)
{
	wire_put_n32(w, m->u.hello.version);
	wire_put_n32(w, m->u.hello.flags);
}

static int
get_hello(struct wire_r *r, struct priv_msg *m)
{
	wire_get_n32(r, &m->u.hello.version);
	wire_get_n32(r, &m->u.hello.flags);
	return m->u.hello.flags == 0 ? 0 : -1;
}

static void
put_hello_ok(struct wire_w *w, const struct priv_msg *m)
{
	wire_put_n32(w, m->u.hello_ok.version);
	wire_put_n32(w, m->u.hello_ok.pid);
	wire_put_n32(w, m->u.hello_ok.flags);
}

static int
get_hello_ok(struct wire_r *r, struct priv_msg *m)
{
	wire_get_n32(r, &m->u.hello_ok.version);
	wire_get_n32(r, &m->u.hello_ok.pid);
	wire_get_n32(r, &m->u.hello_ok.flags);
	return (m->u.hello_ok.flags & ~(uint32_t)PRIV_HELLO_F_FW) == 0 ? 0 : -1;
}

/* ---- OPEN_RAW -------------------------------------------------------- */

static void
put_raw(struct wire_w *w, const struct priv_msg *m)
{
	wire_put_n8(w, m->u.raw.family);
	wire_put_n8(w, m->u.raw.proto);
}

static int
family_ok(uint8_t f)
{
	return f == PRIV_AF_INET || f == PRIV_AF_INET6;
}

static int
get_raw(struct wire_r *r, struct priv_msg *m)
{
	uint8_t p;

	wire_get_n8(r, &m->u.raw.family);
	wire_get_n8(r, &m->u.raw.proto);
	p = m->u.raw.proto;
	if (!family_ok(m->u.raw.family))
		return -1;
	return (p == PRIV_P_ICMP || p == PRIV_P_ICMP6 || p == PRIV_P_UDP ||
	    p == PRIV_P_TCP || p == PRIV_P_RAW) ? 0 : -1;
}

/* ---- OPEN_DL --------------------------------------------------------- */

static void
put_dl(struct wire_w *w, const struct priv_msg *m)
{
	wire_put_n32(w, m->u.dl.ifindex);
}

static int
get_dl(struct wire_r *r, struct priv_msg *m)
{
	wire_get_n32(r, &m->u.dl.ifindex);
	return (m->u.dl.ifindex == 0 || m->u.dl.ifindex > INT32_MAX) ? -1 : 0;
}

/* ---- FW_ADD ---------------------------------------------------------- */

static void
put_fw(struct wire_w *w, const struct priv_msg *m)
{
	const struct priv_fw_rule *f = &m->u.fw;

	wire_put_n8(w, f->family);
	wire_put_n8(w, f->proto);
	wire_put_bytes(w, f->laddr, sizeof(f->laddr));
	wire_put_bytes(w, f->raddr, sizeof(f->raddr));
	wire_put_n16(w, f->lport);
	wire_put_n16(w, f->rport);
}

/* Nonzero if the 12 bytes after an IPv4 address are all zero. */
static int
v4_padding_zero(const uint8_t *a)
{
	for (size_t i = 4; i < 16; i++)
		if (a[i] != 0)
			return 0;
	return 1;
}

static int
get_fw(struct wire_r *r, struct priv_msg *m)
{
	struct priv_fw_rule *f = &m->u.fw;

	wire_get_n8(r, &f->family);
	wire_get_n8(r, &f->proto);
	wire_get_bytes(r, f->laddr, sizeof(f->laddr));
	wire_get_bytes(r, f->raddr, sizeof(f->raddr));
	wire_get_n16(r, &f->lport);
	wire_get_n16(r, &f->rport);
	if (!family_ok(f->family) ||
	    (f->proto != PRIV_P_TCP && f->proto != PRIV_P_UDP))
		return -1;
	if (f->family == PRIV_AF_INET &&
	    (!v4_padding_zero(f->laddr) || !v4_padding_zero(f->raddr)))
		return -1;
	return 0;
}

/* ---- OPEN_FILE ------------------------------------------------------- */

static void
put_file(struct wire_w *w, const struct priv_msg *m)
{
	static const uint8_t zeros[PRIV_PATH_MAX];
	size_t n = strnlen(m->u.file.path, sizeof(m->u.file.path));

	if (n == 0 || n > PRIV_PATH_MAX) {
		w->err = EMSGSIZE;
		return;
	}
	wire_put_n8(w, m->u.file.mode);
	wire_put_n8(w, 0);
	wire_put_n16(w, (uint16_t)n);
	wire_put_bytes(w, m->u.file.path, n);
	wire_put_bytes(w, zeros, PRIV_PATH_MAX - n);
}

/* The path field: LEN bytes without NUL, then only zeros. */
static int
get_file(struct wire_r *r, struct priv_msg *m)
{
	uint8_t field[PRIV_PATH_MAX], reserved;
	uint16_t len;
	uint8_t mode;

	wire_get_n8(r, &mode);
	wire_get_n8(r, &reserved);
	wire_get_n16(r, &len);
	if (wire_get_bytes(r, field, sizeof(field)) == -1)
		return -1;
	m->u.file.mode = mode;
	if (reserved != 0 || len == 0 || len > PRIV_PATH_MAX ||
	    (mode != PRIV_FILE_READ && mode != PRIV_FILE_TRUNC &&
	    mode != PRIV_FILE_APPEND) || memchr(field, '\0', len) != NULL)
		return -1;
	for (size_t i = len; i < sizeof(field); i++)
		if (field[i] != 0)
			return -1;
	memcpy(m->u.file.path, field, len);
	m->u.file.path[len] = '\0';
	return 0;
}

/* ---- FW_OK ----------------------------------------------------------- */

static void
put_fw_ok(struct wire_w *w, const struct priv_msg *m)
{
	wire_put_n32(w, m->u.fw_ok.rule_id);
	wire_put_n16(w, m->u.fw_ok.lport);
	wire_put_n16(w, 0);
}

static int
get_fw_ok(struct wire_r *r, struct priv_msg *m)
{
	uint16_t reserved;

	wire_get_n32(r, &m->u.fw_ok.rule_id);
	wire_get_n16(r, &m->u.fw_ok.lport);
	wire_get_n16(r, &reserved);
	return (m->u.fw_ok.rule_id == 0 || m->u.fw_ok.lport == 0 ||
	    reserved != 0) ? -1 : 0;
}

/* ---- n32 bodies: FW_DEL, ERR ----------------------------------------- */

static void
put_n32(struct wire_w *w, const struct priv_msg *m)
{
	wire_put_n32(w, m->type == PRIV_ERR ? m->u.err.err :
	    m->u.fw_id.rule_id);
}

static int
get_n32(struct wire_r *r, struct priv_msg *m)
{
	uint32_t v;

	wire_get_n32(r, &v);
	if (m->type == PRIV_ERR) {
		m->u.err.err = v;
		return (v == 0 || v > INT32_MAX) ? -1 : 0;
	}
	m->u.fw_id.rule_id = v;
	return v == 0 ? -1 : 0;
}

/* ---- empty bodies: OPEN_ROUTE, OK, FD --------------------------------- */

static void
put_empty(struct wire_w *w, const struct priv_msg *m)
{
	(void)w;
	(void)m;
}

static int
get_empty(struct wire_r *r, struct priv_msg *m)
{
	(void)r;
	(void)m;
	return 0;
}

/* ---- dispatch -------------------------------------------------------- */

static const struct {
	enum priv_type	 type;
	void		(*put)(struct wire_w *, const struct priv_msg *);
	int		(*get)(struct wire_r *, struct priv_msg *);
} priv_codecs[] = {
	{ PRIV_HELLO,		put_hello,	get_hello },
	{ PRIV_OPEN_RAW,	put_raw,	get_raw },
	{ PRIV_OPEN_DL,		put_dl,		get_dl },
	{ PRIV_OPEN_ROUTE,	put_empty,	get_empty },
	{ PRIV_FW_ADD,		put_fw,		get_fw },
	{ PRIV_FW_DEL,		put_n32,	get_n32 },
	{ PRIV_OPEN_FILE,	put_file,	get_file },
	{ PRIV_HELLO_OK,	put_hello_ok,	get_hello_ok },
	{ PRIV_OK,		put_empty,	get_empty },
	{ PRIV_ERR,		put_n32,	get_n32 },
	{ PRIV_FD,		put_empty,	get_empty },
	{ PRIV_FW_OK,		put_fw_ok,	get_fw_ok },
};

static int
codec_index(int type)
{
	for (size_t i = 0; i < sizeof(priv_codecs) / sizeof(priv_codecs[0]);
	    i++)
		if ((int)priv_codecs[i].type == type)
			return (int)i;
	return -1;
}

long
priv_msg_encode(const struct priv_msg *m, void *buf, size_t cap)
{
	struct wire_w w;
	int i = codec_index(m->type);

	if (i == -1) {
		errno = EINVAL;
		return -1;
	}
	wire_w_init(&w, buf, cap);
	wire_put_n8(&w, PRIV_PROTO_VERSION);
	wire_put_n8(&w, m->type);
	wire_put_n16(&w, 0);
	wire_put_n32(&w, m->id);
	priv_codecs[i].put(&w, m);
	return wire_w_end(&w);
}

int
priv_msg_decode(struct priv_msg *m, const void *buf, size_t len)
{
	struct wire_r r;
	uint8_t version;
	uint16_t reserved;
	int i, body;

	memset(m, 0, sizeof(*m));
	wire_r_init(&r, buf, len);
	wire_get_n8(&r, &version);
	wire_get_n8(&r, &m->type);
	wire_get_n16(&r, &reserved);
	if (wire_get_n32(&r, &m->id) == -1 || reserved != 0) {
		errno = EBADMSG;
		return -1;
	}
	if (version != PRIV_PROTO_VERSION) {
		errno = EPROTO;
		return -1;
	}
	if ((i = codec_index(m->type)) == -1) {
		errno = ENOMSG;
		return -1;
	}
	body = priv_body_len(m->type);
	if (len != (size_t)PRIV_HDR_LEN + (size_t)body ||
	    priv_codecs[i].get(&r, m) == -1 || wire_r_end(&r) == -1) {
		errno = EBADMSG;
		return -1;
	}
	return 0;
}
