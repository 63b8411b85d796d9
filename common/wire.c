/*
 * wire.c: bounded big-endian put/get of message fields (see wire.h).
 */
#include <errno.h>
#include <string.h>

#include "wire.h"

void
wire_w_init(struct wire_w *w, void *buf, size_t cap)
{
	w->buf = buf;
	w->cap = cap;
	w->len = 0;
	w->err = 0;
}

/* Reserve N bytes; NULL (and a sticky EMSGSIZE) if they do not fit. */
static uint8_t *
w_take(struct wire_w *w, size_t n)
{
	uint8_t *p;

	if (w->err != 0 || n > w->cap - w->len) {
		w->err = EMSGSIZE;
		return NULL;
	}
	p = w->buf + w->len;
	w->len += n;
	return p;
}

static void
put_be(struct wire_w *w, uint64_t v, size_t n)
{
	uint8_t *p = w_take(w, n);

	if (p == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
}

void
wire_put_bytes(struct wire_w *w, const void *src, size_t len)
{
	uint8_t *p = w_take(w, len);

	if (p != NULL && len > 0)
		memcpy(p, src, len);
}

void
wire_put_str(struct wire_w *w, const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n > max || n > UINT16_MAX) {
		w->err = EMSGSIZE;
		return;
	}
	wire_put_n16(w, (uint16_t)n);
	wire_put_bytes(w, s, n);
}

long
wire_w_end(const struct wire_w *w)
{
	if (w->err != 0) {
		errno = w->err;
		return -1;
	}
	return (long)w->len;
}

void
wire_r_init(struct wire_r *r, const void *buf, size_t len)
{
	r->buf = buf;
	r->len = len;
	r->off = 0;
	r->err = 0;
}

/* Consume N bytes; NULL (and a sticky EBADMSG) if they are not there. */
static const uint8_t *
r_take(struct wire_r *r, size_t n)
{
	const uint8_t *p;

	if (r->err != 0 || n > r->len - r->off) {
		r->err = EBADMSG;
		return NULL;
	}
	p = r->buf + r->off;
	r->off += n;
	return p;
}

static int
get_be(struct wire_r *r, uint64_t *v, size_t n)
{
	const uint8_t *p = r_take(r, n);

	*v = 0;
	if (p == NULL)
		return -1;
	for (size_t i = 0; i < n; i++)
		*v = (*v << 8) | p[i];
	return 0;
}

/* wire_put_nBITS and wire_get_nBITS (see wire.h): one field of BITS
 * bits through put_be and get_be. */
#define WIRE_FIELD(bits)						\
void									\
wire_put_n##bits(struct wire_w *w, uint##bits##_t v)			\
{									\
	put_be(w, v, (bits) / 8);					\
}									\
									\
int									\
wire_get_n##bits(struct wire_r *r, uint##bits##_t *v)			\
{									\
	uint64_t x;							\
	int rc = get_be(r, &x, (bits) / 8);				\
									\
	*v = (uint##bits##_t)x;						\
	return rc;							\
}

WIRE_FIELD(8)
WIRE_FIELD(16)
WIRE_FIELD(32)
WIRE_FIELD(64)

int
wire_get_bytes(struct wire_r *r, void *dst, size_t len)
{
	const uint8_t *p = r_take(r, len);

	if (p == NULL) {
		memset(dst, 0, len);
		return -1;
	}
	if (len > 0)
		memcpy(dst, p, len);
	return 0;
}

int
wire_get_str(struct wire_r *r, char *s, size_t size)
{
	uint16_t n;

	if (size > 0)
		s[0] = '\0';
	if (wire_get_n16(r, &n) == -1)
		return -1;
	if ((size_t)n >= size) {
		r->err = EBADMSG;
		return -1;
	}
	if (wire_get_bytes(r, s, n) == -1)
		return -1;
	s[n] = '\0';
	if (memchr(s, '\0', n) != NULL) {
		s[0] = '\0';
		r->err = EBADMSG;
		return -1;
	}
	return 0;
}

int
wire_r_end(const struct wire_r *r)
{
	if (r->err != 0 || r->off != r->len) {
		errno = EBADMSG;
		return -1;
	}
	return 0;
}
