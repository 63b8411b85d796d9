/*
 * remote_proto.c: framing, control messages and reliable-delivery state
 * of the remote-control protocol (see remote_proto.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "remote_proto.h"
#include "wire.h"
#include "log.h"

int
rp_seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

void
rp_hdr_put(uint8_t *out, uint32_t seq, uint32_t chan, uint16_t len)
{
	wire_set_be32(out, seq);
	wire_set_be32(out + 4, chan);
	out[8] = (uint8_t)(len >> 8);
	out[9] = (uint8_t)len;
}

long
rp_frame(const uint8_t *buf, size_t len, struct rp_hdr *h)
{
	if (len < RP_HDRLEN)
		return 0;
	h->seq = wire_be32(buf);
	h->chan = wire_be32(buf + 4);
	h->len = wire_be16(buf + 8);
	if (h->len == 0)
		return -1;
	if (len < (size_t)RP_HDRLEN + h->len)
		return 0;
	return (long)RP_HDRLEN + h->len;
}

int
rp_ctl_reliable(enum rp_type type)
{
	return type == RP_CHANNEL_NEW || type == RP_CHANNEL_FIN;
}

int
rp_name_ok(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > 254)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '-'))
			return 0;
	}
	return 1;
}

/* A length-prefixed NUL-terminated string at P (LEFT bytes remain).
 * Returns the bytes used, or -1. */
static long
get_name(const uint8_t *p, size_t left, char *out, char *err, size_t elen,
    const char *what)
{
	size_t n;

	if (left < 1)
		return errf(err, elen, "%s: missing length", what);
	n = p[0];
	out[0] = '\0';
	if (n == 0)
		return 1;
	if (left < 1 + n)
		return errf(err, elen, "%s: %zu bytes announced, %zu present",
		    what, n, left - 1);
	if (p[n] != '\0')
		return errf(err, elen, "%s: not NUL-terminated", what);
	if (n == 1)	/* "" is sent with length 0, so it has one encoding */
		return errf(err, elen, "%s: length 1 holds only the NUL (an "
		    "empty string is sent with length 0)", what);
	for (size_t i = 1; i < n; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return errf(err, elen, "%s: unprintable byte 0x%02x",
			    what, p[i]);
	memcpy(out, p + 1, n);
	return (long)(1 + n);
}

static int
get_magic(const uint8_t *p, size_t left, struct rp_ctl *c, char *err,
    size_t elen)
{
	if (left < 1 || p[0] != RP_MAGICLEN)
		return errf(err, elen, "magic: length %d, expected %d",
		    left < 1 ? -1 : p[0], RP_MAGICLEN);
	if (left < 1 + RP_MAGICLEN)
		return errf(err, elen, "magic: truncated");
	memcpy(c->magic, p + 1, RP_MAGICLEN);
	return 0;
}

static const char *const type_names[] = { "MASTER_NEW", "MASTER_ID",
    "CHANNEL_NEW", "CHANNEL_FIN", "KEEPALIVE", "ACK", "MASTER_RES",
    "MASTER_REJ", "MASTER_OK" };

/* The exact payload length of fixed-size types, 0 for variable ones. */
static size_t
fixed_len(enum rp_type t)
{
	switch (t) {
	case RP_CHANNEL_NEW: case RP_CHANNEL_FIN: case RP_ACK:
	case RP_MASTER_OK:
		return 5;
	case RP_KEEPALIVE: case RP_MASTER_REJ:
		return 1;
	case RP_MASTER_RES:
		return 2 + RP_MAGICLEN + 12;
	default:
		return 0;
	}
}

int
rp_ctl_decode(const uint8_t *p, size_t len, struct rp_ctl *c, char *err,
    size_t errlen)
{
	size_t want;
	long n;

	memset(c, 0, sizeof(*c));
	if (len < 1)
		return errf(err, errlen, "empty control message");
	if (p[0] > RP_MASTER_OK)
		return errf(err, errlen, "unknown control message type %u",
		    p[0]);
	c->type = (enum rp_type)p[0];
	if ((want = fixed_len(c->type)) != 0 && len != want)
		return errf(err, errlen, "%s: %zu bytes, expected %zu",
		    type_names[c->type], len, want);
	switch (c->type) {
	case RP_MASTER_NEW:
		if (get_magic(p + 1, len - 1, c, err, errlen) == -1)
			return -1;
		if ((n = get_name(p + 2 + RP_MAGICLEN, len - 2 - RP_MAGICLEN,
		    c->name, err, errlen, "MASTER_NEW monitor name")) == -1)
			return -1;
		if (2 + RP_MAGICLEN + (size_t)n != len)
			return errf(err, errlen, "MASTER_NEW: %zu trailing "
			    "bytes", len - 2 - RP_MAGICLEN - (size_t)n);
		break;
	case RP_MASTER_ID:
		if ((n = get_name(p + 1, len - 1, c->name, err, errlen,
		    "MASTER_ID")) == -1)
			return -1;
		if (n < 2)
			return errf(err, errlen, "MASTER_ID: empty id");
		if (1 + (size_t)n != len)
			return errf(err, errlen, "MASTER_ID: %zu trailing bytes",
			    len - 1 - (size_t)n);
		break;
	case RP_MASTER_RES:
		if (get_magic(p + 1, len - 1, c, err, errlen) == -1)
			return -1;
		c->rcv_nxt = wire_be32(p + 2 + RP_MAGICLEN);
		c->snd_una = wire_be32(p + 6 + RP_MAGICLEN);
		c->snd_nxt = wire_be32(p + 10 + RP_MAGICLEN);
		break;
	case RP_CHANNEL_NEW: case RP_CHANNEL_FIN: case RP_ACK:
	case RP_MASTER_OK:
		c->num = wire_be32(p + 1);
		if (c->type != RP_ACK && c->type != RP_MASTER_OK &&
		    c->num == 0)
			return errf(err, errlen, "%s: channel 0",
			    type_names[c->type]);
		break;
	case RP_KEEPALIVE: case RP_MASTER_REJ:
		break;
	}
	return 0;
}

size_t
rp_ctl_encode(const struct rp_ctl *c, uint32_t seq, uint8_t *out)
{
	uint8_t *p = out + RP_HDRLEN;
	size_t n;

	*p++ = (uint8_t)c->type;
	switch (c->type) {
	case RP_MASTER_NEW: case RP_MASTER_ID:
		if (c->type == RP_MASTER_NEW) {
			*p++ = RP_MAGICLEN;
			memcpy(p, c->magic, RP_MAGICLEN);
			p += RP_MAGICLEN;
		}
		n = strnlen(c->name, RP_NAMEMAX - 1);
		*p++ = (uint8_t)(n == 0 ? 0 : n + 1);
		if (n > 0) {
			memcpy(p, c->name, n);
			p[n] = '\0';
			p += n + 1;
		}
		break;
	case RP_MASTER_RES:
		*p++ = RP_MAGICLEN;
		memcpy(p, c->magic, RP_MAGICLEN);
		p += RP_MAGICLEN;
		wire_set_be32(p, c->rcv_nxt);
		wire_set_be32(p + 4, c->snd_una);
		wire_set_be32(p + 8, c->snd_nxt);
		p += 12;
		break;
	case RP_CHANNEL_NEW: case RP_CHANNEL_FIN: case RP_ACK:
	case RP_MASTER_OK:
		wire_set_be32(p, c->num);
		p += 4;
		break;
	case RP_KEEPALIVE: case RP_MASTER_REJ:
		break;
	}
	n = (size_t)(p - out) - RP_HDRLEN;
	rp_hdr_put(out, seq, 0, (uint16_t)n);
	return RP_HDRLEN + n;
}

/* ---- reliable delivery ------------------------------------------------ */

void
rp_link_init(struct rp_link *k)
{
	memset(k, 0, sizeof(*k));
	TAILQ_INIT(&k->held);
}

void
rp_link_reset(struct rp_link *k)
{
	struct rp_msg *m;

	while ((m = TAILQ_FIRST(&k->held)) != NULL) {
		TAILQ_REMOVE(&k->held, m, e);
		free(m);
	}
	rp_link_init(k);
}

struct rp_msg *
rp_link_send(struct rp_link *k, uint32_t chan, const void *p, size_t len)
{
	struct rp_msg *m;

	if (len == 0 || len > RP_MAXPAYLOAD) {
		errno = EINVAL;
		return NULL;
	}
	if ((m = malloc(sizeof(*m) + RP_HDRLEN + len)) == NULL)
		return NULL;
	m->seq = k->snd_nxt++;
	m->chan = chan;
	m->len = RP_HDRLEN + len;
	rp_hdr_put(m->buf, m->seq, chan, (uint16_t)len);
	memcpy(m->buf + RP_HDRLEN, p, len);
	TAILQ_INSERT_TAIL(&k->held, m, e);
	k->held_bytes += m->len;
	k->nheld++;
	return m;
}

struct rp_msg *
rp_link_send_ctl(struct rp_link *k, const struct rp_ctl *c)
{
	uint8_t buf[RP_HDRLEN + 300];
	size_t n = rp_ctl_encode(c, 0, buf);

	return rp_link_send(k, 0, buf + RP_HDRLEN, n - RP_HDRLEN);
}

static void
held_free(struct rp_link *k, struct rp_msg *m)
{
	TAILQ_REMOVE(&k->held, m, e);
	k->held_bytes -= m->len;
	k->nheld--;
	free(m);
}

int
rp_link_ack(struct rp_link *k, uint32_t seq)
{
	struct rp_msg *m = TAILQ_FIRST(&k->held);

	if (m == NULL || m->seq != seq)
		return -1;
	held_free(k, m);
	return 0;
}

int
rp_link_recv(struct rp_link *k, uint32_t seq)
{
	if (seq != k->rcv_nxt)
		return -1;
	k->rcv_nxt++;
	return 0;
}

uint32_t
rp_link_una(const struct rp_link *k)
{
	const struct rp_msg *m = TAILQ_FIRST(&k->held);

	return m != NULL ? m->seq : k->snd_nxt;
}

/* Nonzero if SEQ is snd_nxt or the sequence of a held message. */
static int
joinable(const struct rp_link *k, uint32_t seq)
{
	uint32_t una = rp_link_una(k);

	return (uint32_t)(seq - una) <= (uint32_t)(k->snd_nxt - una);
}

int
rp_link_peer_has(struct rp_link *k, uint32_t seq)
{
	struct rp_msg *m;

	if (!joinable(k, seq))
		return -1;
	while ((m = TAILQ_FIRST(&k->held)) != NULL && rp_seq_lt(m->seq, seq))
		held_free(k, m);
	return 0;
}

int
rp_link_resume_ok(const struct rp_link *k, uint32_t rcv_nxt,
    uint32_t snd_una, uint32_t snd_nxt, char *err, size_t errlen)
{
	if (!joinable(k, rcv_nxt))
		return errf(err, errlen, "scamper expects sequence %u, but we "
		    "hold %u to %u", rcv_nxt, rp_link_una(k), k->snd_nxt);
	if ((uint32_t)(k->rcv_nxt - snd_una) > (uint32_t)(snd_nxt - snd_una))
		return errf(err, errlen, "we expect sequence %u, but scamper "
		    "holds %u to %u", k->rcv_nxt, snd_una, snd_nxt);
	return 0;
}
