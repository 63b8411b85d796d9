/*
 * trace_hops.c: the trace technique's record of replies while it runs.
 * A struct scamper_trace_hop is 96 bytes and the hop array grows by
 * doubling; with many thousands of traces in flight that is most of the
 * prober's memory.  Replies for the main hop list are kept here as
 * encoded records (11-12 bytes for most IPv4 replies; IPv6 7 for a
 * router's address a byte from the previous record's, up to 24 for one
 * like no other: what is as most replies have it is left out, numbers
 * are varints, an IPv6 address is what it adds to a similar one),
 * the rare next-hop MTU, ICMP extension and unusual quotes aside, and
 * become the result's hops (one exact allocation) when the trace is
 * done.  The records and the probe records (7 bytes, random access)
 * share one buffer that grows by an eighth (at least 48 bytes) when
 * full: records from its front, probes from its back.  The buffers come
 * from one size-class allocator (common/slab.h) for every trace: a
 * trace's growth frees a buffer of the size the next trace's growth
 * takes, and that one is reused at once, with no malloc header and no
 * walk of malloc's bins.
 */
#include "config.h"

#include <endian.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "memtrim.h"
#include "scamper_trace.h"
#include "slab.h"
#include "task.h"
#include "trace_int.h"

/* The buffer's first size, its least step and its growth (an eighth):
 * small steps keep the slack of a trace's last step small (about 40
 * bytes on average, was 77 growing by a quarter); it grows to sizes of
 * the slab's classes (multiples of 8, and no header: malloc's chunks
 * cost 8 bytes more than they hold and come in steps of 16). */
#define BUF_FIRST 120
#define BUF_STEP 48
#define BUF_GROW 8
/* After the last record, counted in the buffer's use while there is
 * one (last_len): its probe number (2 bytes, for the next record's
 * REC_NEXT), and for IPv6 what makes its address whole again (for the
 * next record's REC_V6PREV, last_addr6): a byte, how many bytes its
 * address takes in the record (1-17) and LAST_PREV if it is counted
 * from the previous record's, and then the leading bytes it shares with
 * that (none else: the source's and the destination's are at hand).
 * Keeping these 3-19 bytes and not the whole address (18) saves most
 * where REC_V6PREV saves least. */
#define LAST_PROBE 2
#define LAST_PREV 0x80
#define LAST_ALEN 0x1f

/* The 38-bit signed send-time offset of a probe record, and the value
 * that says the offset is kept aside (struct trace_far). */
#define TX_BITS 38
#define TX_LIM (((int64_t)1 << (TX_BITS - 1)) - 1)	/* 137 s */
#define TX_FAR (-((int64_t)1 << (TX_BITS - 1)))

/* P's number in S. */
static uint16_t
probe_idx(const struct trace_state *s, const struct trace_probe *p)
{
	return (uint16_t)((size_t)(s->buf + s->bufcap -
	    (const uint8_t *)p) / sizeof(*p) - 1);
}

/* The record's 38-bit offset, sign-extended. */
static int64_t
tx_get(const struct trace_probe *p)
{
	uint64_t u = 0;

	memcpy(&u, p->tx, sizeof(p->tx));
	u = le64toh(u) & (((uint64_t)1 << TX_BITS) - 1);
	if (u & ((uint64_t)1 << (TX_BITS - 1)))
		return (int64_t)u - ((int64_t)1 << TX_BITS);
	return (int64_t)u;
}

/* Set the record's 38-bit offset to OFF (within reach), its flags
 * kept. */
static void
tx_put(struct trace_probe *p, int64_t off)
{
	uint64_t u = (uint64_t)off & (((uint64_t)1 << TX_BITS) - 1);
	uint32_t lo = htole32((uint32_t)u);

	memcpy(p->tx, &lo, 4);
	p->tx[4] = (uint8_t)((p->tx[4] & 0xc0) | (u >> 32));
}

/* The side entry for probe IDX, or NULL. */
static struct trace_far *
far_of(const struct trace_state *s, uint16_t idx)
{
	for (uint16_t i = 0; s->x != NULL && i < s->x->farc; i++)
		if (s->x->far[i].idx == idx)
			return &s->x->far[i];
	return NULL;
}

struct stamp
trace_probe_tx(const struct trace_state *s, const struct trace_probe *p)
{
	int64_t off = tx_get(p);
	const struct trace_far *f;

	if (off == TX_FAR && (f = far_of(s, probe_idx(s, p))) != NULL)
		off = f->off;
	return (struct stamp){ s->c.start.ns + off };
}

/* Keep OFF for probe P aside; 0, or -1 (ENOMEM). */
static int
far_set(struct trace_state *s, struct trace_probe *p, int64_t off)
{
	uint16_t idx = probe_idx(s, p);
	struct trace_far *f = far_of(s, idx);

	if (f == NULL) {
		if (trace_side(s) == NULL || (f = realloc(s->x->far,
		    (s->x->farc + 1u) * sizeof(*f))) == NULL)
			return -1;
		s->x->far = f;
		f = &s->x->far[s->x->farc++];
		f->idx = idx;
	}
	f->off = off;
	tx_put(p, TX_FAR);
	return 0;
}

void
trace_probe_set_tx(struct trace_state *s, struct trace_probe *p,
    struct stamp tx)
{
	int64_t off = stamp_sub_ns(tx, s->c.start);

	if (off <= TX_LIM && off >= -TX_LIM)
		tx_put(p, off);		/* most: within 137 s */
	else if (far_set(s, p, off) == -1)
		tx_put(p, off > 0 ? TX_LIM : -TX_LIM);
}

/* Bytes kept after a last record of family AF whose address takes ALEN
 * bytes (IPv6) and is counted from the previous record's if PREV. */
static inline size_t
last_size(int af, unsigned alen, int prev)
{
	if (af == AF_INET)
		return LAST_PROBE;
	return LAST_PROBE + 1 + (prev ? 17 - alen : 0);
}

/* Bytes kept after S's last record (see LAST_PROBE), 0 if none. */
static inline size_t
last_len(const struct trace_state *s)
{
	uint8_t k;

	if (s->recc == 0)
		return 0;
	if (s->af == AF_INET)
		return LAST_PROBE;
	k = s->buf[s->c.reclen + LAST_PROBE];
	return last_size(s->af, k & LAST_ALEN, k & LAST_PREV);
}

/* Bytes of S's buffer in use: the records (and what is kept after the
 * last one) and the probes. */
static size_t
buf_used(const struct trace_state *s)
{
	return s->c.reclen + last_len(s) + s->probec *
	    sizeof(struct trace_probe);
}

/* Every trace's buffers (one thread: the prober's), and whether
 * mem_trim_idle was asked to give them back when none is held. */
static struct slab bufs;
static int bufs_hooked;

/* mem_trim_idle's hook: give the blocks back if no trace holds one. */
static void
bufs_trim(void *arg)
{
	(void)arg;
	(void)slab_trim(&bufs);
}

void *
trace_mem_alloc(size_t n)
{
	if (!bufs_hooked) {		/* once: 8 hooks held, none */
		bufs_hooked = 1;
		(void)mem_trim_hook(bufs_trim, NULL);
	}
	return slab_alloc(&bufs, n);
}

void
trace_mem_free(void *p, size_t n)
{
	slab_free(&bufs, p, n);
}

/* A buffer of CAP bytes (a slab size). */
static uint8_t *
buf_alloc(size_t cap)
{
	return trace_mem_alloc(cap);
}

/* Grow the buffer for NEED more bytes between the records and the
 * probes: by an eighth, at least BUF_STEP (the probes move to its new
 * end).  Returns 0, or -1 with errno ENOMEM. */
static int
buf_grow(struct trace_state *s, size_t need)
{
	size_t tail = s->probec * sizeof(struct trace_probe),
	    used = buf_used(s), cap;
	uint8_t *b;

	cap = s->bufcap == 0 ? BUF_FIRST : s->bufcap + (s->bufcap /
	    BUF_GROW > BUF_STEP ? s->bufcap / BUF_GROW : BUF_STEP);
	if (cap < used + need)
		cap = used + need;
	cap = slab_size(cap);
	/* only the used bytes are copied */
	if (cap > UINT32_MAX || (b = buf_alloc(cap)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	if (s->buf != NULL) {
		memcpy(b, s->buf, used - tail);
		memcpy(b + cap - tail, s->buf + s->bufcap - tail, tail);
		slab_free(&bufs, s->buf, s->bufcap);
	}
	s->buf = b;
	s->bufcap = (uint32_t)cap;
	return 0;
}

/* Room for NEED more bytes between the records and the probes (see
 * buf_grow): 0, or -1 with errno ENOMEM. */
static inline int
buf_room(struct trace_state *s, size_t need)
{
	return buf_used(s) + need <= s->bufcap ? 0 : buf_grow(s, need);
}

/* Note that probes from the next one on are sent in mode M (kept in
 * the side structure from the first change on); 0, or -1 (ENOMEM) if
 * the modes changed more often than they can (never: they follow one
 * another, TRACE, LASTDITCH, BACK, PMTUD). */
static int
mode_note(struct trace_state *s, uint8_t m)
{
	struct trace_side *x = s->x;

	if (x == NULL || x->nmodes == 0) {
		if (m == MODE_TRACE)
			return 0;
	} else if (x->mmode[x->nmodes - 1] == m)
		return 0;
	if ((x = trace_side(s)) == NULL)
		return -1;
	if (x->nmodes == sizeof(x->mmode)) {
		errno = ENOMEM;
		return -1;
	}
	x->mfirst[x->nmodes] = s->probec;
	x->mmode[x->nmodes++] = m;
	return 0;
}

uint8_t
trace_hop_count(const struct trace_state *s)
{
	/* probes are sent in MODE_TRACE up to the first mode change */
	uint16_t end = s->x != NULL && s->x->nmodes > 0 ? s->x->mfirst[0] :
	    s->probec;
	uint8_t n = 0;

	for (uint16_t i = 0; i < end; i++)
		if (trace_probe_at(s, i)->ttl > n)
			n = trace_probe_at(s, i)->ttl;
	for (uint16_t i = end; i < s->probec; i++)
		if (trace_probe_at(s, i)->ttl > n &&
		    trace_probe_mode(s, i) == MODE_TRACE)
			n = trace_probe_at(s, i)->ttl;
	return n;
}

uint16_t
trace_probe_size_pm(const struct trace_state *s, uint16_t idx)
{
	const struct trace_pmtud_state *pm = s->x->pm;

	if (idx >= pm->first && idx - pm->first < pm->nsizes &&
	    trace_probe_mode(s, idx) == MODE_PMTUD)
		return pm->sizes[idx - pm->first];
	return s->c.probe_size;
}

/* A PMTUD probe's SIZE, kept aside as the next one's; 0 or -1. */
static int
pmtud_size_add(struct trace_state *s, uint16_t size)
{
	struct trace_pmtud_state *pm = s->x->pm;	/* in MODE_PMTUD */
	uint16_t *n;

	if (pm->nsizes == 0)
		pm->first = s->probec;
	if (pm->nsizes == UINT16_MAX || (n = realloc(pm->sizes,
	    (pm->nsizes + 1u) * sizeof(*n))) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	pm->sizes = n;
	pm->sizes[pm->nsizes++] = size;
	return 0;
}

struct trace_probe *
trace_probe_add(struct trace_state *s, uint8_t ttl, uint8_t attempt,
    uint16_t size)
{
	struct trace_probe *p;

	if (s->probec == UINT16_MAX) {
		errno = ENOMEM;
		return NULL;
	}
	if (buf_room(s, sizeof(*p)) == -1 || mode_note(s, s->mode) == -1 ||
	    (s->mode == MODE_PMTUD && pmtud_size_add(s, size) == -1))
		return NULL;
	p = trace_probe_at(s, s->probec);
	memset(p, 0, sizeof(*p));
	p->ttl = ttl;
	p->attempt = attempt;
	return p;
}

/* The quoted length and TOS a record of H holds unless a side record
 * says otherwise: the probe's size and TOS if H is an ICMP message that
 * quotes the probe (its addr, flags, type and probe size set), else 0. */
static void
quote_default(const struct trace_state *s, const struct scamper_trace_hop *h,
    uint16_t *ipl, uint8_t *tos)
{
	/* scamper_trace_hop_is_icmp_q, for S's family */
	int q = !(h->flags & (SCAMPER_TRACE_HOP_TCP | SCAMPER_TRACE_HOP_UDP)) &&
	    (s->af == AF_INET ? h->icmp_type == 3 || h->icmp_type == 11 :
	    h->icmp_type >= 1 && h->icmp_type <= 3);

	*ipl = q ? h->probe_size : 0;
	*tos = q ? s->c.tos : 0;
}

/* Keep H's next-hop MTU, extension (which moves) and unusual quote for
 * record REC, if it has any; 0 or -1 (ENOMEM). */
static int
rec_extra(struct trace_state *s, struct scamper_trace_hop *h, uint16_t rec)
{
	struct trace_hopx *x;
	uint16_t ipl;
	uint8_t tos, q;

	quote_default(s, h, &ipl, &tos);
	q = h->icmp_q_ipl != ipl || h->icmp_q_tos != tos;
	if (h->icmp_nhmtu == 0 && h->icmpext == NULL && !q)
		return 0;
	/* one more, in a new buffer (the slab's: most traces have none or
	 * one or two) */
	if (trace_side(s) == NULL ||
	    (x = trace_mem_alloc((s->x->xc + 1u) * sizeof(*x))) == NULL)
		return -1;
	if (s->x->xc > 0)
		memcpy(x, s->x->xs, s->x->xc * sizeof(*x));
	trace_mem_free(s->x->xs, s->x->xc * sizeof(*x));
	s->x->xs = x;
	x = &s->x->xs[s->x->xc++];
	x->rec = rec;
	x->nhmtu = h->icmp_nhmtu;
	x->icmpext = h->icmpext;
	x->icmpext_len = h->icmpext_len;
	x->q_ipl = h->icmp_q_ipl;
	x->q_tos = h->icmp_q_tos;
	x->q = q;
	h->icmpext = NULL;
	return 0;
}

/* A record's header: which fields differ from what most replies hold
 * and so follow it.  Then always: the probe's index (unless REC_NEXT:
 * the previous record's + 1, the first record's 0), the RTT and the
 * reply size's difference from a full quote (zigzag), as varints, and
 * the reply TTL; then the fields the header names, in its bits' order;
 * then the address: for IPv4 4 bytes unless REC_DST, for IPv6 a byte
 * (REC_V6PREV: counted from the previous record's address, REC_V6SRC:
 * from the source's, neither: from the destination's; low five bits:
 * how many leading bytes it shares with that one) and the rest.
 * Routers' addresses along a path often share more with one another than
 * with the ends': trace-mem's (2001:2:0:e000::N) take 2 bytes counted
 * from the previous record's, 11 from the destination's. */
#define REC_FLAGS	0x01	/* else REPLY_TTL | TS_SOCK_RX */
#define REC_TYPE	0x02	/* ICMP type and code, else time exceeded */
#define REC_QTTL	0x04	/* the quote's TTL, else 1 */
#define REC_TOS		0x08	/* the reply's TOS, else 0 */
#define REC_IPID	0x10	/* the IP-ID (2 bytes), else 0 */
#define REC_DST		0x20	/* IPv4: the address is the destination's */
#define REC_NEXT	0x40	/* the probe follows the previous record's */
#define REC_V6SRC	0x80	/* in the IPv6 address byte */
#define REC_V6PREV	0x40	/* in the IPv6 address byte */
#define REC_V6N		0x1f	/* in the IPv6 address byte */
#define REC_MAX		40	/* bytes a record can take */
#define PROBE_NONE	0xffff	/* "before the first": + 1 is 0 */

/* The probe number of the main list's last record, or PROBE_NONE. */
static uint16_t
last_probe(const struct trace_state *s)
{
	uint16_t v;

	if (s->recc == 0)
		return PROBE_NONE;
	memcpy(&v, s->buf + s->c.reclen, sizeof(v));
	return v;
}

#define FLAGS_DEF (SCAMPER_TRACE_HOP_REPLY_TTL | SCAMPER_TRACE_HOP_TS_SOCK_RX)

static uint8_t *
put_varint(uint8_t *o, uint32_t v)
{
	while (v >= 0x80) {
		*o++ = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	*o++ = (uint8_t)v;
	return o;
}

static const uint8_t *
get_varint(const uint8_t *i, uint32_t *v)
{
	uint32_t x = 0;
	unsigned sh = 0;

	if (i[0] < 0x80) {		/* most: a byte or two */
		*v = i[0];
		return i + 1;
	}
	if (i[1] < 0x80) {
		*v = (i[0] & 0x7fu) | (uint32_t)i[1] << 7;
		return i + 2;
	}
	do
		x |= (uint32_t)(*i & 0x7f) << sh, sh += 7;
	while (*i++ & 0x80);
	*v = x;
	return i;
}

/* The time exceeded message of family AF; a full quote of a probe of
 * SIZE bytes makes a reply of this many bytes. */
static uint8_t
ttlx_type(int af)
{
	return af == AF_INET ? 11 : 3;
}

static uint32_t
full_reply(int af, uint16_t size)
{
	return (af == AF_INET ? 28u : 48u) + size;
}

static uint32_t
zigzag(int32_t v)
{
	return ((uint32_t)v << 1) ^ (uint32_t)(v >> 31);
}

static int32_t
unzigzag(uint32_t v)
{
	return (int32_t)(v >> 1) ^ -(int32_t)(v & 1);
}

/* Copy N bytes (at most 16) from S to D, which do not overlap, inline:
 * two fixed-size copies that may overlap each other (an address's parts
 * are 0-16 bytes; memcpy of a run-time length is a call). */
static inline void
copy16(uint8_t *d, const uint8_t *s, size_t n)
{
	uint64_t a, b;
	uint32_t x, y;

	if (n >= 8) {
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + n - 8, &b, 8);
	} else if (n >= 4) {
		memcpy(&x, s, 4);
		memcpy(&y, s + n - 4, 4);
		memcpy(d, &x, 4);
		memcpy(d + n - 4, &y, 4);
	} else
		while (n-- > 0)
			*d++ = *s++;
}

/* Leading bytes A and B (8 each) share: the first that differs is the
 * lowest set byte of their exclusive or read little-endian. */
static inline unsigned
shared8(const uint8_t *a, const uint8_t *b)
{
	uint64_t x, y;

	memcpy(&x, a, 8);
	memcpy(&y, b, 8);
	x = le64toh(x ^ y);
	return x == 0 ? 8 : (unsigned)__builtin_ctzll(x) >> 3;
}

/* Leading bytes A and B (16 each) share. */
static unsigned
shared(const uint8_t *a, const uint8_t *b)
{
	unsigned n = shared8(a, b);

	return n < 8 ? n : 8 + shared8(a + 8, b + 8);
}

/* The address of S's last record (IPv6) into A (see LAST_PROBE). */
static void
last_addr6(const struct trace_state *s, uint8_t *a)
{
	const uint8_t *k = s->buf + s->c.reclen + LAST_PROBE;
	const uint8_t *r = s->buf + s->c.reclen - (*k & LAST_ALEN);
	unsigned n = *r & REC_V6N;

	copy16(a, (*r & REC_V6PREV) ? k + 1 : (*r & REC_V6SRC) ? s->c.src :
	    s->c.dst, n);
	copy16(a + n, r + 1, 16 - n);
}

/* Write ADDR (IPv6) into O as the shortest of its forms, counted from
 * the destination's, the source's or PREV (the previous record's, NULL
 * for the first); returns the end. */
static uint8_t *
put_addr6(const struct trace_state *s, uint8_t *o, const uint8_t *addr,
    const uint8_t *prev)
{
	unsigned n = shared(addr, s->c.dst), m = shared(addr, s->c.src);
	uint8_t how = 0;

	if (m > n) {
		n = m;
		how = REC_V6SRC;
	}
	if (prev != NULL && n < 16 && (m = shared(addr, prev)) > n) {
		n = m;
		how = REC_V6PREV;
	}
	*o++ = (uint8_t)(n | how);
	copy16(o, addr + n, 16 - n);
	return o + 16 - n;
}

/* Encode H, a reply to probe IDX, into O (REC_MAX bytes); returns its
 * length, and in *ALEN the bytes its address takes (IPv6). */
static size_t
rec_encode(const struct trace_state *s, const struct scamper_trace_hop *h,
    uint16_t idx, uint8_t *o, size_t *alen)
{
	uint8_t *p = o + 1, hd = 0, prev[16];
	uint8_t type = (h->flags & SCAMPER_TRACE_HOP_TCP) ? h->tcp_flags :
	    h->icmp_type;

	/* the previous record's address, made from what is kept where O
	 * may be */
	if (s->af != AF_INET && s->recc > 0)
		last_addr6(s, prev);
	if (idx == (uint16_t)(last_probe(s) + 1))
		hd |= REC_NEXT;
	else
		p = put_varint(p, idx);
	p = put_varint(p, h->rtt);
	p = put_varint(p, zigzag((int32_t)h->reply_size -
	    (int32_t)full_reply(s->af, trace_probe_size(s, idx))));
	*p++ = h->reply_ttl;
	if (h->flags != FLAGS_DEF) {
		hd |= REC_FLAGS;
		*p++ = h->flags;
	}
	if (type != ttlx_type(s->af) || h->icmp_code != 0) {
		hd |= REC_TYPE;
		*p++ = type;
		*p++ = h->icmp_code;
	}
	if (h->icmp_q_ttl != 1) {
		hd |= REC_QTTL;
		*p++ = h->icmp_q_ttl;
	}
	if (h->reply_tos != 0) {
		hd |= REC_TOS;
		*p++ = h->reply_tos;
	}
	if (h->reply_ipid != 0) {
		hd |= REC_IPID;
		memcpy(p, &h->reply_ipid, 2);
		p += 2;
	}
	if (s->af != AF_INET) {
		uint8_t *a = p;

		p = put_addr6(s, p, h->addr.addr, s->recc > 0 ? prev :
		    NULL);
		*alen = (size_t)(p - a);
	} else if (memcmp(h->addr.addr, s->c.dst, 4) == 0)
		hd |= REC_DST;
	else {
		memcpy(p, h->addr.addr, 4);
		p += 4;
	}
	o[0] = hd;
	return (size_t)(p - o);
}

/* One byte of the record at I, or the next field of HD's if its bit is
 * set, else DEF. */
static const uint8_t *
get_opt(const uint8_t *i, uint8_t hd, uint8_t bit, uint8_t def, uint8_t *v)
{
	*v = (hd & bit) ? *i++ : def;
	return i;
}

/* Decode the address of R at I (R's address the previous record's);
 * returns the end. */
static const uint8_t *
get_addr(const struct trace_state *s, const uint8_t *i, uint8_t hd,
    struct trace_hoprec *r)
{
	unsigned n;

	if (s->af == AF_INET) {
		memcpy(r->addr, (hd & REC_DST) ? s->c.dst : i, 4);
		return (hd & REC_DST) ? i : i + 4;
	}
	n = *i & REC_V6N;
	if (!(*i & REC_V6PREV))	/* else R's first N bytes are already */
		copy16(r->addr, (*i & REC_V6SRC) ? s->c.src : s->c.dst, n);
	i++;
	copy16(r->addr + n, i, 16 - n);
	return i + 16 - n;
}

/* trace_rec_next's decoding, inline for trace_hops_commit's loop. */
static inline int
rec_decode(const struct trace_state *s, uint32_t *off,
    struct trace_hoprec *r)
{
	const uint8_t *i = s->buf + *off;
	uint32_t v;
	uint8_t hd;

	if (*off >= s->c.reclen)
		return -1;
	hd = *i++;
	if (hd & REC_NEXT)	/* R is the previous record (see trace_int.h) */
		r->probe = (uint16_t)((*off == 0 ? PROBE_NONE : r->probe) + 1);
	else {
		i = get_varint(i, &v);
		r->probe = (uint16_t)v;
	}
	i = get_varint(i, &r->rtt);
	i = get_varint(i, &v);
	r->reply_size = (uint16_t)((int32_t)full_reply(s->af,
	    trace_probe_size(s, r->probe)) + unzigzag(v));
	r->reply_ttl = *i++;
	i = get_opt(i, hd, REC_FLAGS, FLAGS_DEF, &r->flags);
	i = get_opt(i, hd, REC_TYPE, ttlx_type(s->af), &r->icmp_type);
	i = get_opt(i, hd, REC_TYPE, 0, &r->icmp_code);
	i = get_opt(i, hd, REC_QTTL, 1, &r->q_ttl);
	i = get_opt(i, hd, REC_TOS, 0, &r->reply_tos);
	r->reply_ipid = 0;
	if (hd & REC_IPID) {
		memcpy(&r->reply_ipid, i, 2);
		i += 2;
	}
	i = get_addr(s, i, hd, r);
	*off = (uint32_t)(i - s->buf);
	return 0;
}

int
trace_rec_next(const struct trace_state *s, uint32_t *off,
    struct trace_hoprec *r)
{
	return rec_decode(s, off, r);
}

/* The varint at I skipped. */
static const uint8_t *
skip_varint(const uint8_t *i)
{
	while (*i++ & 0x80)
		;
	return i;
}

/* The two varints at I (a record's RTT and size) skipped.  Both end
 * in I's first four bytes in most records (an RTT under 2.1 s, a size
 * within 63 of a full quote), found at once; the buffer has at least
 * four bytes from there (the varints, the reply TTL, and after the last
 * record its probe number). */
static const uint8_t *
skip_rtt_size(const uint8_t *i)
{
	uint32_t x, ends;

	memcpy(&x, i, 4);
	ends = ~le32toh(x) & 0x80808080u;	/* bytes that end a varint */
	if ((ends & (ends - 1)) == 0)		/* fewer than two there */
		return skip_varint(skip_varint(i));
	ends &= ends - 1;			/* the second end */
	return i + ((unsigned)__builtin_ctz(ends) >> 3) + 1;
}

/* Bytes of the optional fields a record holds, by its header's low five
 * bits: REC_FLAGS 1, REC_TYPE 2, REC_QTTL 1, REC_TOS 1, REC_IPID 2. */
static const uint8_t opt_len[32] = {
	0, 1, 2, 3, 1, 2, 3, 4, 1, 2, 3, 4, 2, 3, 4, 5,
	2, 3, 4, 5, 3, 4, 5, 6, 3, 4, 5, 6, 4, 5, 6, 7,
};

/* What trace_rec_looped compares a record's address with: ADDR, and
 * what of it the record's implied bytes would match (IPv4: whether it is
 * the destination; IPv6: how many leading bytes it shares with the
 * destination and the source). */
struct loop_key {
	const uint8_t	*addr;
	uint32_t	 a4;
	unsigned	 nd, ns;
	int		 is_dst;
};

/* Whether the address of the record at *I is K's (IPv4); *I moves past
 * it. */
static int
addr4_is(const uint8_t **i, uint8_t hd, const struct loop_key *k)
{
	uint32_t x;

	if (hd & REC_DST)
		return k->is_dst;
	memcpy(&x, *i, 4);
	*i += 4;
	return x == k->a4;
}

/* For IPv6, the leading bytes the address of the record at *I shares
 * with K's, PREV being what the previous record's shares (16: it is
 * K's); *I moves past it.  The record's leading N bytes are those of
 * the address it is counted from: if that shares fewer with K's, the
 * record shares as many as it does; else N and what its own bytes add. */
static unsigned
addr6_shared(const uint8_t **i, const struct loop_key *k, unsigned prev)
{
	const uint8_t *p = *i;
	unsigned n = *p & REC_V6N, have = (*p & REC_V6PREV) ? prev :
	    (*p & REC_V6SRC) ? k->ns : k->nd;

	*i = p + 1 + 16 - n;
	if (n > have)
		return have;
	for (p++; n < 16 && *p == k->addr[n]; p++)
		n++;
	return n;
}

int
trace_rec_looped(const struct trace_state *s, const uint8_t *addr,
    uint8_t ttl)
{
	const uint8_t *i = s->buf, *end = s->buf + s->c.reclen;
	struct loop_key k = { .addr = addr };
	int v4 = s->af == AF_INET;
	uint32_t probe = PROBE_NONE;
	unsigned prev = 0;		/* IPv6: see addr6_shared */

	if (v4) {
		memcpy(&k.a4, addr, 4);
		k.is_dst = memcmp(addr, s->c.dst, 4) == 0;
	} else {
		k.nd = shared(addr, s->c.dst);
		k.ns = shared(addr, s->c.src);
	}
	while (i < end) {
		uint8_t hd = *i++;
		int d, hit;

		if (hd & REC_NEXT)
			probe = (uint16_t)(probe + 1);
		else if (*i < 0x80)	/* the probe number: most in a byte */
			probe = *i++;
		else
			i = get_varint(i, &probe);
		i = skip_rtt_size(i) + 1 + opt_len[hd & 0x1f];	/* TTL */
		if (v4)
			hit = addr4_is(&i, hd, &k);
		else {
			prev = addr6_shared(&i, &k, prev);
			hit = prev == 16;
		}
		if (!hit)
			continue;
		d = (int)trace_probe_at(s, (uint16_t)probe)->ttl - ttl;
		if (d > 1 || d < -1)
			return 1;
	}
	return 0;
}

/* Keep after S's last record (just added: its address ALEN bytes at
 * its end, IPv6) its probe number IDX and what makes ADDR, its address,
 * whole again (see LAST_PROBE). */
static void
last_put(struct trace_state *s, uint16_t idx, const uint8_t *addr,
    size_t alen)
{
	uint8_t *k = s->buf + s->c.reclen;
	int prev;

	memcpy(k, &idx, LAST_PROBE);
	if (s->af == AF_INET)
		return;
	k += LAST_PROBE;
	prev = (s->buf[s->c.reclen - alen] & REC_V6PREV) != 0;
	*k = (uint8_t)(alen | (prev ? LAST_PREV : 0));
	if (prev)
		copy16(k + 1, addr, 17 - alen);
}

/* Append H (its icmpext becomes the record's) answering probe IDX.
 * Returns 0 or -1 (ENOMEM; H's icmpext is then still H's).  Encoded in
 * place when the buffer has room for the longest record and what is
 * kept after it, else aside and the buffer grown by what they take. */
int
trace_rec_add(struct trace_state *s, struct scamper_trace_hop *h,
    uint16_t idx)
{
	uint8_t enc[REC_MAX], *o;
	size_t len, alen = 0, old = last_len(s), add;

	if (s->recc == UINT16_MAX) {
		errno = ENOMEM;
		return -1;
	}
	/* a record counted from the previous one leaves out of its address
	 * (up to 17 bytes with its byte) what is kept after it: both fit
	 * in REC_MAX and the 3 bytes kept besides */
	if (buf_used(s) - old + REC_MAX + LAST_PROBE + 1 <= s->bufcap) {
		/* the side record first: a failure leaves the buffer as
		 * it was (what is kept after the last record is where this
		 * one goes) */
		if (rec_extra(s, h, s->recc) == -1)
			return -1;
		o = s->buf + s->c.reclen;
		len = rec_encode(s, h, idx, o, &alen);
	} else {
		len = rec_encode(s, h, idx, enc, &alen);
		add = len + last_size(s->af, (unsigned)alen,
		    s->af != AF_INET && (enc[len - alen] & REC_V6PREV));
		if (buf_room(s, add > old ? add - old : 0) == -1 ||
		    rec_extra(s, h, s->recc) == -1)
			return -1;
		memcpy(s->buf + s->c.reclen, enc, len);
	}
	s->c.reclen += (uint32_t)len;
	last_put(s, idx, h->addr.addr, alen);
	s->recc++;
	return 0;
}

uint8_t
trace_rec_ttl(const struct trace_state *s, const struct trace_hoprec *r)
{
	return trace_probe_at(s, r->probe)->ttl;
}

/* Expand record R (the I-th) into H (its extension moves to H). */
static void
unpack(struct trace_state *s, const struct trace_hoprec *r, uint16_t i,
    struct scamper_trace_hop *h)
{
	const struct trace_probe *p = trace_probe_at(s, r->probe);

	memset(h, 0, sizeof(*h));
	trace_addr_set(&h->addr, s->af, r->addr);
	h->probe_ttl = p->ttl;
	h->probe_id = p->attempt;
	h->probe_size = trace_probe_size(s, r->probe);
	h->tx = stamp_tv(trace_probe_tx(s, p));
	h->rtt = r->rtt;
	h->flags = r->flags;
	h->reply_ttl = r->reply_ttl;
	h->reply_tos = r->reply_tos;
	h->reply_size = r->reply_size;
	h->reply_ipid = r->reply_ipid;
	if (r->flags & SCAMPER_TRACE_HOP_TCP)
		h->tcp_flags = r->icmp_type;
	else
		h->icmp_type = r->icmp_type;
	h->icmp_code = r->icmp_code;
	h->icmp_q_ttl = r->q_ttl;
	quote_default(s, h, &h->icmp_q_ipl, &h->icmp_q_tos);
	for (uint16_t k = 0; s->x != NULL && k < s->x->xc; k++) {
		struct trace_hopx *x = &s->x->xs[k];
		if (x->rec != i)
			continue;
		if (x->q) {
			h->icmp_q_ipl = x->q_ipl;
			h->icmp_q_tos = x->q_tos;
		}
		h->icmp_nhmtu = x->nhmtu;
		h->icmpext = x->icmpext;
		h->icmpext_len = x->icmpext_len;
		x->icmpext = NULL;
	}
}

/* Free the side records (and the extensions still theirs). */
static void
xs_free(struct trace_state *s)
{
	if (s->x == NULL)
		return;
	for (uint16_t i = 0; i < s->x->xc; i++)
		free(s->x->xs[i].icmpext);
	trace_mem_free(s->x->xs, s->x->xc * sizeof(*s->x->xs));
	s->x->xs = NULL;
	s->x->xc = 0;
}

static int
hop_cmp(const void *a, const void *b)
{
	const struct scamper_trace_hop *x = a, *y = b;

	if (x->probe_ttl != y->probe_ttl)
		return x->probe_ttl - y->probe_ttl;
	if (x->probe_id != y->probe_id)
		return x->probe_id - y->probe_id;
	return timercmp(&x->tx, &y->tx, <) ? -1 : 1;
}

/* Whether H's hops are in hop_cmp's order with no two equal under it
 * (qsort would leave them as they are: most traces' replies arrive in
 * order). */
static int
hops_sorted(const struct scamper_trace_hops *h)
{
	for (uint16_t i = 1; i < h->hopc; i++)
		if (hop_cmp(&h->hops[i - 1], &h->hops[i]) >= 0)
			return 0;
	return 1;
}

int
trace_hops_commit(struct trace_state *s, struct scamper_trace *t)
{
	struct scamper_trace_hops *h = &t->hops;
	struct trace_hoprec r;
	uint32_t off = 0;

	if (s->recc == 0)
		return 0;
	/* every hop is filled: no zeroing (unpack) */
	if (scamper_trace_hops_alloc(h, s->recc) == NULL)
		return -1;
	for (uint16_t i = 0; rec_decode(s, &off, &r) == 0; i++)
		unpack(s, &r, i, &h->hops[i]);	/* icmpext moves */
	h->hopc = s->recc;
	/* replies arrive in any order; files keep them grouped by TTL */
	if (!hops_sorted(h))
		qsort(h->hops, h->hopc, sizeof(*h->hops), hop_cmp);
	/* the records are the result's now; the probes stay for the send
	 * times still to come (names may be looked up after) */
	xs_free(s);
	s->recc = 0;
	s->c.reclen = 0;
	return 0;
}

void
trace_hops_free(struct trace_state *s)
{
	xs_free(s);
	slab_free(&bufs, s->buf, s->bufcap);
	s->buf = NULL;
	s->bufcap = 0;
	s->recc = s->probec = 0;
	s->c.reclen = 0;
}
