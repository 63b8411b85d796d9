/*
 * warts_buf.c: bounded readers and growing writers for warts bodies, the
 * per-record address table, the list and cycle ID tables, and the
 * table-driven flags+params codec.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "scamper_list.h"
#include "warts_int.h"
#include "wire.h"

/* ---- address tables -------------------------------------------------- */

void
waddrtab_clear(struct waddrtab *t)
{
	free(t->a);
	memset(t, 0, sizeof(*t));
}

int
waddrtab_add(struct waddrtab *t, const struct scamper_addr *a)
{
	if (mem_grow32(&t->a, &t->alloc, (size_t)t->n + 1, sizeof(*t->a),
	    16) != 0)
		return -1;
	t->a[t->n++] = *a;
	return 0;
}

/* ---- list and cycle tables ----------------------------------------- */

void *
idtab_get(const struct idtab *t, uint32_t id)
{
	if (id < t->base || id >= t->n)
		return NULL;
	return t->v[id - t->base];
}

int
idtab_append(struct idtab *t, void *v)
{
	uint32_t used = t->n - t->base;

	if (mem_grow32(&t->v, &t->alloc, (size_t)used + 1, sizeof(*t->v),
	    16) != 0)
		return -1;
	t->v[used] = v;
	t->n++;
	return 0;
}

/* Then drop a long retired prefix. */
void
idtab_retire(struct idtab *t, uint32_t id)
{
	uint32_t k = 0, used = t->n - t->base;

	if (id < t->base || id >= t->n)
		return;
	t->v[id - t->base] = NULL;
	while (k < used && t->v[k] == NULL)
		k++;
	if (k >= 64 && k * 2 >= used) {
		memmove(t->v, t->v + k, (used - k) * sizeof(*t->v));
		t->base += k;
	}
}

static void
idtab_clear(struct idtab *t, void (*fr)(void *))
{
	for (uint32_t i = 0; i < t->n - t->base; i++)
		if (t->v[i] != NULL)
			fr(t->v[i]);
	free(t->v);
}

static void
list_free_cb(void *v)
{
	scamper_list_free(v);
}

static void
cycle_free_cb(void *v)
{
	scamper_cycle_free(v);
}

void
idtab_clear_lists(struct idtab *lists, struct idtab *cycles)
{
	idtab_clear(lists, list_free_cb);
	idtab_clear(cycles, cycle_free_cb);
}

int
err_set(char *err, size_t len, int *flag, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	*flag = 1;
	return -1;
}

/* ---- reading --------------------------------------------------------- */

int
rb_need_addr(struct rbuf *rb, const struct scamper_addr *a, const char *what)
{
	if (scamper_addr_isset(a))
		return 0;
	return rb_fail(rb, "%s without an address", what);
}

int
rb_vfail_at(struct rbuf *rb, uint64_t off, const char *fmt, va_list ap)
{
	int n;

	if (rb->err == NULL || rb->errlen == 0)
		return -1;
	n = snprintf(rb->err, rb->errlen, "offset %llu: ",
	    (unsigned long long)off);
	if (n > 0 && (size_t)n < rb->errlen)
		vsnprintf(rb->err + n, rb->errlen - (size_t)n, fmt, ap);
	return -1;
}

int
rb_fail(struct rbuf *rb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rb_vfail_at(rb, rb->base + rb->off, fmt, ap);
	va_end(ap);
	return -1;
}

static int
rb_need(struct rbuf *rb, size_t n, const char *what)
{
	if (rb->len - rb->off < n)
		return rb_fail(rb, "truncated %s", what);
	return 0;
}

int
rb_u8(struct rbuf *rb, uint8_t *v)
{
	if (rb_need(rb, 1, "u8") != 0)
		return -1;
	*v = rb->buf[rb->off++];
	return 0;
}

int
rb_u16(struct rbuf *rb, uint16_t *v)
{
	if (rb_need(rb, 2, "u16") != 0)
		return -1;
	*v = wire_be16(rb->buf + rb->off);
	rb->off += 2;
	return 0;
}

int
rb_u32(struct rbuf *rb, uint32_t *v)
{
	const uint8_t *p;

	if (rb_need(rb, 4, "u32") != 0)
		return -1;
	p = rb->buf + rb->off;
	*v = wire_be32(p);
	rb->off += 4;
	return 0;
}

int
rb_tv(struct rbuf *rb, struct timeval *tv)
{
	uint32_t s, u;

	if (rb_u32(rb, &s) != 0 || rb_u32(rb, &u) != 0)
		return -1;
	tv->tv_sec = (time_t)s;
	tv->tv_usec = (suseconds_t)u;
	return 0;
}

int
rb_bytes(struct rbuf *rb, void *dst, size_t n)
{
	if (rb_need(rb, n, "bytes") != 0)
		return -1;
	if (n == 0)	/* the buffer may be NULL: no pointer arithmetic */
		return 0;
	memcpy(dst, rb->buf + rb->off, n);
	rb->off += n;
	return 0;
}

int
rb_str(struct rbuf *rb, char **s)
{
	const uint8_t *nul = rb->off >= rb->len ? NULL :
	    memchr(rb->buf + rb->off, 0, rb->len - rb->off);
	size_t n;

	if (nul == NULL)
		return rb_fail(rb, "string without NUL");
	n = (size_t)(nul - (rb->buf + rb->off)) + 1;
	if ((*s = malloc(n)) == NULL)
		return rb_fail(rb, "out of memory");
	memcpy(*s, rb->buf + rb->off, n);
	rb->off += n;
	return 0;
}

static int
rb_addrdef(struct rbuf *rb, uint8_t len, struct scamper_addr *a)
{
	uint8_t type, b[16];

	if (rb_u8(rb, &type) != 0)
		return -1;
	if (scamper_addr_typelen(type) != len)
		return rb_fail(rb, "address type %u with length %u", type, len);
	if (rb_bytes(rb, b, len) != 0)
		return -1;
	scamper_addr_set(a, type, b);
	return 0;
}

int
rb_addr(struct rbuf *rb, struct scamper_addr *a)
{
	uint8_t len;
	uint32_t id;

	if (rb_u8(rb, &len) != 0)
		return -1;
	if (len != 0) {
		if (rb_addrdef(rb, len, a) != 0)
			return -1;
		if (waddrtab_add(&rb->tab, a) != 0)
			return rb_fail(rb, "out of memory");
		return 0;
	}
	if (rb_u32(rb, &id) != 0)
		return -1;
	if (id >= rb->tab.n)
		return rb_fail(rb, "reference to undefined address %u", id);
	*a = rb->tab.a[id];
	return 0;
}

int
rb_saddr(struct rbuf *rb, struct scamper_addr *a)
{
	uint8_t len;

	if (rb_u8(rb, &len) != 0)
		return -1;
	if (len == 0)
		return rb_fail(rb, "empty static address");
	return rb_addrdef(rb, len, a);
}

int
rb_gid(struct rbuf *rb, struct scamper_addr *a)
{
	uint32_t id;

	if (rb_u32(rb, &id) != 0)
		return -1;
	if (id == 0)
		return 0;
	if (rb->gids == NULL || id > rb->gids->n)
		return rb_fail(rb, "reference to undefined global address %u",
		    id);
	*a = rb->gids->a[id - 1];
	return 0;
}

int
rb_icmpext(struct rbuf *rb, uint8_t **p, uint16_t *len)
{
	uint16_t total, dl;
	size_t off;

	if (rb_u16(rb, &total) != 0)
		return -1;
	if (total == 0)
		return rb_fail(rb, "empty ICMP extension list");
	if (rb->len - rb->off < total)
		return rb_fail(rb, "truncated ICMP extensions");
	for (off = 0; off < total; off += 4 + (size_t)dl) {
		if (total - off < 4)
			return rb_fail(rb, "partial ICMP extension object");
		dl = wire_be16(rb->buf + rb->off + off);
		if (total - off - 4 < dl)
			return rb_fail(rb, "ICMP extension overruns its list");
	}
	if ((*p = malloc(total)) == NULL)
		return rb_fail(rb, "out of memory");
	*len = total;
	return rb_bytes(rb, *p, total);
}

int
rb_addrs(struct rbuf *rb, struct scamper_addr **out, uint8_t *count)
{
	uint8_t n;

	if (rb_u8(rb, &n) != 0)
		return -1;
	if ((*out = calloc(n > 0 ? n : 1, sizeof(**out))) == NULL)
		return rb_fail(rb, "out of memory");
	*count = n;
	return rb_addrn(rb, *out, n);
}

int
rb_addrn(struct rbuf *rb, struct scamper_addr *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (rb_addr(rb, &a[i]) != 0)
			return -1;
	return 0;
}

void *
rb_calloc(struct rbuf *rb, size_t n, size_t size, size_t minbytes)
{
	void *p;

	if (minbytes > 0 && n > (rb->len - rb->off) / minbytes) {
		rb_fail(rb, "count %zu does not fit in the record", n);
		return NULL;
	}
	if ((p = calloc(n > 0 ? n : 1, size)) == NULL)
		rb_fail(rb, "out of memory");
	return p;
}

void
rb_reset_tab(struct rbuf *rb)
{
	rb->tab.n = 0;
}

static int
rb_field(struct rbuf *rb, struct wfield *f)
{
	switch (f->kind) {
	case WF_U8:	return rb_u8(rb, f->p);
	case WF_U16:	return rb_u16(rb, f->p);
	case WF_U32:	return rb_u32(rb, f->p);
	case WF_TV:	return rb_tv(rb, f->p);
	case WF_ADDR:	return rb_addr(rb, f->p);
	case WF_SADDR:	return rb_saddr(rb, f->p);
	case WF_STR:	return rb_str(rb, f->p);
	case WF_GID:	return rb_gid(rb, f->p);
	case WF_CB:	return f->rd_cb(rb, f);
	case WF_ICMPEXT: return rb_icmpext(rb, f->p, f->lenp);
	case WF_ADDRS:	return rb_addrs(rb, f->p, f->ctx);
	case WF_TC: {
		uint16_t tc;

		if (rb_u16(rb, &tc) != 0)
			return -1;
		*(uint8_t *)f->p = (uint8_t)(tc >> 8);
		*(uint8_t *)f->ctx = (uint8_t)tc;
		return 0;
	}
	case WF_BYTES: {
		uint8_t **pp = f->p;
		size_t n = *f->lenp;

		if (rb_need(rb, n, "data") != 0)
			return -1;
		if ((*pp = malloc(n > 0 ? n : 1)) == NULL)
			return rb_fail(rb, "out of memory");
		return rb_bytes(rb, *pp, n);
	}
	}
	return -1;
}

int
warts_params_read(struct rbuf *rb, struct wfield *f, int nf)
{
	uint8_t fb[32];
	size_t nfb = 0, end;
	uint16_t plen;
	int stop = 0;

	for (int i = 0; i < nf; i++)
		f[i].set = 0;
	do {
		if (rb_u8(rb, &fb[nfb]) != 0)
			return -1;
		if (++nfb == sizeof(fb) && (fb[nfb - 1] & 0x80))
			return rb_fail(rb, "too many flag bytes");
	} while (fb[nfb - 1] & 0x80);
	if (fb[0] == 0)
		return 0;
	if (rb_u16(rb, &plen) != 0)
		return -1;
	end = rb->off + plen;
	if (end > rb->len)
		return rb_fail(rb, "params length %u beyond the record", plen);
	for (size_t b = 0; b < nfb && !stop; b++) {
		for (int j = 0; j < 7; j++) {
			int flag = (int)(b * 7) + j;	/* index, 0-based */
			const uint8_t *save = rb->buf;
			size_t savelen = rb->len;

			if ((fb[b] & (1 << j)) == 0)
				continue;
			if (flag >= nf || f[flag].kind == WF_NONE) {
				stop = 1;	/* unknown from here: skip */
				break;
			}
			rb->len = end;	/* fields may not run past the block */
			if (rb_field(rb, &f[flag]) != 0) {
				rb->len = savelen;
				return -1;
			}
			rb->buf = save;
			rb->len = savelen;
			f[flag].set = 1;
		}
	}
	rb->off = end;
	return 0;
}

/* ---- writing --------------------------------------------------------- */

uint8_t *
wb_grow_room(struct wbuf *wb, size_t n)
{
	if (wb->oom)
		return NULL;
	if (wb->alloc - wb->len < n && (wb->len + n < n ||
	    mem_grow(&wb->buf, &wb->alloc, wb->len + n, 1, 1024) != 0)) {
		wb->oom = 1;
		return NULL;
	}
	return wb->buf + wb->len;
}

static uint8_t *
wb_grow(struct wbuf *wb, size_t n)
{
	uint8_t *p = wb_grow_room(wb, n);

	if (p != NULL)
		wb->len += n;
	return p;
}

void
wb_u8(struct wbuf *wb, uint8_t v)
{
	uint8_t *p = wb_grow(wb, 1);

	if (p != NULL)
		p[0] = v;
}

void
wb_put16(struct wbuf *wb, size_t off, uint16_t v)
{
	if (wb->oom || off + 2 > wb->len)
		return;
	wire_set_be16(wb->buf + off, v);
}

void
wb_u16(struct wbuf *wb, uint16_t v)
{
	uint8_t *p = wb_grow(wb, 2);

	if (p != NULL)
		wire_set_be16(p, v);
}

void
wb_u32(struct wbuf *wb, uint32_t v)
{
	uint8_t *p = wb_grow(wb, 4);

	if (p != NULL)
		wire_set_be32(p, v);
}

void
wb_tv(struct wbuf *wb, const struct timeval *tv)
{
	wb_u32(wb, (uint32_t)tv->tv_sec);
	wb_u32(wb, (uint32_t)tv->tv_usec);
}

void
wb_bytes(struct wbuf *wb, const void *src, size_t n)
{
	uint8_t *p = wb_grow(wb, n);

	if (p != NULL && n > 0)
		memcpy(p, src, n);
}

void
wb_str(struct wbuf *wb, const char *s)
{
	wb_bytes(wb, s, strlen(s) + 1);
}

void
wb_saddr(struct wbuf *wb, const struct scamper_addr *a)
{
	wb_u8(wb, a->len);
	wb_u8(wb, a->type);
	wb_bytes(wb, a->addr, a->len);
}

/* A's hash slot: only its LEN bytes count, as in scamper_addr_cmp. */
static uint32_t
addr_slot(const struct scamper_addr *a)
{
	uint32_t w[4], x = 0;

	if (a->len == 4) {
		memcpy(&x, a->addr, 4);
	} else if (a->len == 16) {
		memcpy(w, a->addr, 16);
		x = w[0] ^ w[1] ^ w[2] ^ w[3];
	} else {
		for (uint8_t i = 0; i < a->len && i < 16; i++)
			x = x * 31 + a->addr[i];
	}
	x = (x ^ a->type) * 0x9e3779b1u;
	return x >> 24;		/* WB_HASH is 256 */
}

static int
addr_eq(const struct scamper_addr *a, const struct scamper_addr *b)
{
	uint64_t x[2], y[2];
	uint32_t u, v;

	if (a->type != b->type || a->len != b->len)
		return 0;
	if (a->len == 4) {
		memcpy(&u, a->addr, 4);
		memcpy(&v, b->addr, 4);
		return u == v;
	}
	if (a->len == 16) {
		memcpy(x, a->addr, 16);
		memcpy(y, b->addr, 16);
		return ((x[0] ^ y[0]) | (x[1] ^ y[1])) == 0;
	}
	return memcmp(a->addr, b->addr, a->len <= 16 ? a->len : 16) == 0;
}

void
wb_tab_reset(struct wbuf *wb)
{
	wb->tab.n = 0;
	if ((++wb->gen & 0xffff) == 0) {
		memset(wb->hash, 0, sizeof(wb->hash));
		wb->gen = 1;
	}
}

/* A's index in the record's address table, or -1 after adding it (with
 * wb->oom set if that failed). */
static int64_t
tab_find_add(struct wbuf *wb, const struct scamper_addr *a)
{
	struct waddrtab *t = &wb->tab;
	uint32_t gen, s = addr_slot(a);

	if (wb->gen == 0)
		wb_tab_reset(wb);
	gen = wb->gen << 16;
	/* at most WB_HASHED of the WB_HASH slots are this record's */
	while ((wb->hash[s] & 0xffff0000u) == gen) {
		uint32_t i = wb->hash[s] & 0xffff;

		if (addr_eq(&t->a[i], a))
			return i;
		s = (s + 1) & (WB_HASH - 1);
	}
	for (uint32_t i = WB_HASHED; i < t->n; i++)
		if (addr_eq(&t->a[i], a))
			return i;
	if (t->n < t->alloc)
		t->a[t->n++] = *a;
	else if (waddrtab_add(t, a) != 0) {
		wb->oom = 1;
		return -1;
	}
	if (t->n <= WB_HASHED)
		wb->hash[s] = gen | (t->n - 1);
	return -1;
}

uint8_t *
wp_addr(struct wbuf *wb, uint8_t *p, const struct scamper_addr *a)
{
	int64_t i = tab_find_add(wb, a);

	if (i >= 0) {
		*p = 0;
		return wp_u32(p + 1, (uint32_t)i);
	}
	p[0] = a->len;
	p[1] = a->type;
	memcpy(p + 2, a->addr, a->len <= 16 ? a->len : 16);
	return p + 2 + (a->len <= 16 ? a->len : 16);
}

void
wb_addr(struct wbuf *wb, const struct scamper_addr *a)
{
	uint8_t *p = wb_reserve(wb, WP_ADDR_MAX);

	if (p != NULL)
		wb_commit(wb, wp_addr(wb, p, a));
}

static void
wb_field(struct wbuf *wb, const struct wfield *f)
{
	switch (f->kind) {
	case WF_U8:	wb_u8(wb, *(const uint8_t *)f->p); break;
	case WF_U16:	wb_u16(wb, *(const uint16_t *)f->p); break;
	case WF_U32:
	case WF_GID:	wb_u32(wb, *(const uint32_t *)f->p); break;
	case WF_TV:	wb_tv(wb, f->p); break;
	case WF_ADDR:	wb_addr(wb, f->p); break;
	case WF_SADDR:	wb_saddr(wb, f->p); break;
	case WF_STR:	wb_str(wb, *(char *const *)f->p); break;
	case WF_BYTES:	wb_bytes(wb, *(uint8_t *const *)f->p, *f->lenp); break;
	case WF_CB:	f->wr(wb, f); break;
	case WF_ICMPEXT:
		wb_icmpext(wb, *(uint8_t *const *)f->p, *f->lenp);
		break;
	case WF_ADDRS:
		wb_addrs(wb, *(struct scamper_addr *const *)f->p,
		    *(const uint8_t *)f->ctx);
		break;
	case WF_TC:
		wb_u16(wb, (uint16_t)(*(const uint8_t *)f->p << 8 |
		    *(const uint8_t *)f->ctx));
		break;
	}
}

void
wb_icmpext(struct wbuf *wb, const uint8_t *p, uint16_t len)
{
	wb_u16(wb, len);
	wb_bytes(wb, p, len);
}

void
wb_addrs(struct wbuf *wb, const struct scamper_addr *a, uint8_t n)
{
	wb_u8(wb, n);
	wb_addrn(wb, a, n);
}

void
wb_addrn(struct wbuf *wb, const struct scamper_addr *a, size_t n)
{
	for (size_t i = 0; a != NULL && i < n; i++)
		wb_addr(wb, &a[i]);
}

int
wfields_copy(struct wfield *f, const struct wfield *fl, size_t size)
{
	memcpy(f, fl, size);
	return (int)(size / sizeof(*fl));
}

void
wfield_cb(struct wfield *f, void *ctx, wf_rd rd, wf_wr wr)
{
	f->ctx = ctx;
	f->rd_cb = rd;
	f->wr = wr;
}

/* Field F is written: asked for, known, and not an unset address (which
 * has no encoding; writing it would corrupt the record). */
static int
wf_on(const struct wfield *f)
{
	if (!f->set || f->kind == WF_NONE)
		return 0;
	if (f->kind == WF_ADDR || f->kind == WF_SADDR)
		return scamper_addr_isset(f->p);
	return 1;
}

/* The general case: fields of unknown size (WF_CB), or more than 32. */
static void
params_write_slow(struct wbuf *wb, const struct wfield *f, int nf)
{
	int max = 0;
	size_t lenoff, nfb;

	for (int i = 0; i < nf; i++)
		if (wf_on(&f[i]))
			max = i + 1;
	if (max == 0) {
		wb_u8(wb, 0);
		return;
	}
	nfb = (size_t)(max + 6) / 7;
	for (size_t b = 0; b < nfb; b++) {
		uint8_t v = b + 1 < nfb ? 0x80 : 0;

		for (int j = 0; j < 7; j++) {
			int i = (int)(b * 7) + j;

			if (i < nf && wf_on(&f[i]))
				v |= (uint8_t)(1 << j);
		}
		wb_u8(wb, v);
	}
	lenoff = wb->len;
	wb_u16(wb, 0);
	for (int i = 0; i < max; i++)
		if (wf_on(&f[i]))
			wb_field(wb, &f[i]);
	if (wb->len - lenoff - 2 > UINT16_MAX)
		wb->toolong = 1;
	wb_put16(wb, lenoff, (uint16_t)(wb->len - lenoff - 2));
}

/* The bytes field F (written) takes at most; 0 if not known (WF_CB). */
static size_t
wf_max(const struct wfield *f)
{
	switch (f->kind) {
	case WF_U8:	return 1;
	case WF_U16:
	case WF_TC:	return 2;
	case WF_U32:
	case WF_GID:	return 4;
	case WF_TV:	return 8;
	case WF_ADDR:
	case WF_SADDR:	return WP_ADDR_MAX;
	case WF_STR:	return strlen(*(char *const *)f->p) + 1;
	case WF_BYTES:	return *f->lenp;
	case WF_ICMPEXT: return 2 + (size_t)*f->lenp;
	case WF_ADDRS:
		return 1 + (size_t)*(const uint8_t *)f->ctx * WP_ADDR_MAX;
	}
	return 0;
}

/* Field F (its room reserved) at P, as wb_field() writes it. */
static uint8_t *
wp_field(struct wbuf *wb, uint8_t *p, const struct wfield *f)
{
	switch (f->kind) {
	case WF_U8:	return wp_u8(p, *(const uint8_t *)f->p);
	case WF_U16:	return wp_u16(p, *(const uint16_t *)f->p);
	case WF_U32:
	case WF_GID:	return wp_u32(p, *(const uint32_t *)f->p);
	case WF_TV: {
		const struct timeval *tv = f->p;

		p = wp_u32(p, (uint32_t)tv->tv_sec);
		return wp_u32(p, (uint32_t)tv->tv_usec);
	}
	case WF_ADDR:	return wp_addr(wb, p, f->p);
	case WF_TC:
		return wp_u16(p, (uint16_t)(*(const uint8_t *)f->p << 8 |
		    *(const uint8_t *)f->ctx));
	}
	/* the rest, rare, through the growing writers (room is there) */
	wb_commit(wb, p);
	wb_field(wb, f);
	return wb->buf + wb->len;
}

/* The fields of F written, as bits (bit i: F[i]), and the room they
 * need at most in *ROOM; -1 if the general case must write them. */
static int64_t
params_bits(const struct wfield *f, int nf, size_t *room)
{
	uint32_t bits = 0;
	size_t n;

	if (nf > 32)
		return -1;
	for (int i = 0; i < nf; i++) {
		if (!wf_on(&f[i]))
			continue;
		if ((n = wf_max(&f[i])) == 0)
			return -1;
		bits |= 1u << i;
		*room += n;
	}
	return bits;
}

void
warts_params_write(struct wbuf *wb, const struct wfield *f, int nf)
{
	size_t room = 5 + 2, len;
	int64_t bits = params_bits(f, nf, &room);
	uint8_t *p, *lenp;

	if (bits <= 0) {
		if (bits < 0)
			params_write_slow(wb, f, nf);
		else
			wb_u8(wb, 0);
		return;
	}
	if ((p = wb_reserve(wb, room)) == NULL)
		return;
	lenp = wp_flags(p, (uint32_t)bits);
	p = lenp + 2;
	for (int i = 0; i < nf; i++)
		if (bits & (int64_t)1 << i)
			p = wp_field(wb, p, &f[i]);
	if ((len = (size_t)(p - lenp) - 2) > UINT16_MAX)
		wb->toolong = 1;
	wire_set_be16(lenp, (uint16_t)len);
	wb_commit(wb, p);
}
