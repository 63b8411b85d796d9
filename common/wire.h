/*
 * wire.h: a bounded, field-by-field codec for IPC messages.
 *
 * Values go on the wire in network byte order, one field at a time; no
 * struct is ever copied whole.  Both cursors are sticky: after the first
 * error every later call fails too, so a caller may encode or decode a
 * whole message and check once at the end (wire_w_end / wire_r_end).
 * Nothing here allocates or blocks.  The byte helpers (wire_be16, ...)
 * are inline, so code that links nothing of common/ (libscamperfile)
 * uses them too.
 */
#ifndef COMMON_WIRE_H
#define COMMON_WIRE_H

#include <stddef.h>
#include <stdint.h>

/* Network-order (big-endian) integers at P, which need not be aligned:
 * the one set of byte helpers for packets, records and messages. */
static inline uint16_t
wire_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
wire_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static inline void
wire_set_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
wire_set_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* A writer over a caller-owned buffer.  Invariant: len <= cap; err is 0
 * or EMSGSIZE once a put did not fit. */
struct wire_w {
	uint8_t	*buf;
	size_t	 cap;
	size_t	 len;
	int	 err;
};

/* A reader over caller-owned bytes.  Invariant: off <= len; err is 0 or
 * EBADMSG once a get ran past the end or saw a malformed field. */
struct wire_r {
	const uint8_t	*buf;
	size_t		 len;
	size_t		 off;
	int		 err;
};

/* Start writing into BUF of CAP bytes. */
void wire_w_init(struct wire_w *w, void *buf, size_t cap);

void wire_put_n8(struct wire_w *w, uint8_t v);
void wire_put_n16(struct wire_w *w, uint16_t v);
void wire_put_n32(struct wire_w *w, uint32_t v);
void wire_put_n64(struct wire_w *w, uint64_t v);

/* Put LEN bytes from P as they are (no length prefix). */
void wire_put_bytes(struct wire_w *w, const void *p, size_t len);

/* Put S as an n16 length and its bytes (no NUL).  S longer than MAX is an
 * error (EMSGSIZE), so a reader with the same MAX accepts it. */
void wire_put_str(struct wire_w *w, const char *s, size_t max);

/* Finish: returns the encoded length, or -1 with errno = EMSGSIZE if any
 * put did not fit. */
long wire_w_end(const struct wire_w *w);

/* Start reading the LEN bytes at BUF. */
void wire_r_init(struct wire_r *r, const void *buf, size_t len);

/* Each get stores a value and returns 0, or returns -1 (and stores 0)
 * when the data is short or the reader already failed. */
int wire_get_n8(struct wire_r *r, uint8_t *v);
int wire_get_n16(struct wire_r *r, uint16_t *v);
int wire_get_n32(struct wire_r *r, uint32_t *v);
int wire_get_n64(struct wire_r *r, uint64_t *v);

/* Copy exactly LEN bytes into P. */
int wire_get_bytes(struct wire_r *r, void *p, size_t len);

/* Read an n16-length string into S (size SIZE, NUL-terminated).  A length
 * of SIZE or more, or an embedded NUL, is EBADMSG. */
int wire_get_str(struct wire_r *r, char *s, size_t size);

/* Finish: 0 if every get succeeded and every byte was consumed, else -1
 * with errno = EBADMSG (short, malformed or trailing data). */
int wire_r_end(const struct wire_r *r);

#endif
