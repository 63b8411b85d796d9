/*
 * warts_int.h: internals shared by the warts codec files (not installed).
 *
 * rbuf: a bounded reader over one record body.  Every get either succeeds
 * or records "offset N: what" in the file's error buffer and returns -1;
 * nothing reads past the end.  wbuf: a growing output buffer; allocation
 * failure is remembered and reported once at the end (wb->oom).
 *
 * Flags+params blocks are described by an array of struct wfield, index i
 * holding flag i+1.  The same array drives the decoder (which sets ->set
 * for each field present) and the encoder (which writes the fields whose
 * ->set the caller computed), so a record's encoder and decoder cannot
 * drift apart.
 */
#ifndef WARTS_INT_H
#define WARTS_INT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>

#include "scamper_addr.h"
#include "wire.h"

struct scamper_file;

#define WARTS_MAGIC	0x1205
#define WARTS_HDRLEN	8	/* u16 magic, u16 type, u32 body length */

struct waddrtab {
	struct scamper_addr *a;
	uint32_t	 n, alloc;
};

struct rbuf {
	const uint8_t	*buf;
	size_t		 len, off;
	uint64_t	 base;		/* file offset of buf[0] */
	char		*err;		/* error message buffer */
	size_t		 errlen;
	struct waddrtab	 tab;		/* per-record address table */
	const struct waddrtab *gids;	/* deprecated global addresses */
};

/* The writer finds a record's first WB_HASHED addresses through an open
 * hash of WB_HASH slots, each gen << 16 | index into tab: a slot of
 * another generation (record) is empty, so starting a record costs no
 * clearing (wb_tab_reset). */
#define WB_HASH		256
#define WB_HASHED	128

struct wbuf {
	uint8_t		*buf;
	size_t		 len, alloc;
	int		 oom;		/* an allocation failed */
	int		 toolong;	/* a params block overflowed 16 bits */
	struct waddrtab	 tab;		/* per-record address table */
	uint32_t	 gen;		/* this record's generation, 1-65535 */
	uint32_t	 hash[WB_HASH];	/* see WB_HASH */
};

/* WF_GID, a deprecated global address ID, is never written; its field
 * points at the address the field that replaced it (always a later
 * flag) points at, so that one, when there, overwrites it. */
enum wkind {
	WF_NONE = 0, WF_U8, WF_U16, WF_U32, WF_TV, WF_ADDR, WF_SADDR, WF_STR,
	WF_BYTES, WF_GID, WF_CB, WF_ICMPEXT, WF_TC, WF_ADDRS
};

struct wfield;
typedef int (*wf_rd)(struct rbuf *, struct wfield *);
typedef void (*wf_wr)(struct wbuf *, const struct wfield *);

struct wfield {
	uint8_t		 kind;		/* enum wkind */
	uint8_t		 set;		/* present (read) / to write (write) */
	void		*p;		/* the value */
	uint16_t	*lenp;		/* WF_BYTES: its length */
	void		*ctx;		/* WF_CB: extra state */
	wf_rd		 rd_cb;		/* WF_CB */
	wf_wr		 wr;		/* WF_CB */
};

#define WFIELD(k, ptr, cond) \
	{ .kind = (k), .p = (ptr), .set = (uint8_t)((cond) ? 1 : 0) }
/* An ICMP type and code as one u16 (type << 8 | code): the uint8_t at
 * TP and the one at CP. */
#define WFIELD_TC(tp, cp, cond) \
	{ .kind = WF_TC, .p = (tp), .ctx = (cp), \
	    .set = (uint8_t)((cond) ? 1 : 0) }
/* ICMP extensions (u16 total, then objects): the bytes at *PTR (uint8_t
 * **, allocated when read) and their count at *LENPTR (uint16_t *). */
#define WFIELD_ICMPEXT(ptr, lenptr, cond) \
	{ .kind = WF_ICMPEXT, .p = (ptr), .lenp = (lenptr), \
	    .set = (uint8_t)((cond) ? 1 : 0) }
/* An address list (u8 count, then addresses): the array at *PTR (struct
 * scamper_addr **, allocated when read), its count at CPTR (uint8_t *). */
#define WFIELD_ADDRS(ptr, cptr, cond) \
	{ .kind = WF_ADDRS, .p = (ptr), .ctx = (cptr), \
	    .set = (uint8_t)((cond) ? 1 : 0) }

/* Write FMT's message into ERR (LEN bytes) and set *FLAG to 1; -1, for
 * the error returns of scamper_file.c and scamper_sink.c. */
int err_set(char *err, size_t len, int *flag, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* rbuf */
int rb_fail(struct rbuf *rb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The same, naming file offset OFF: "offset OFF: FMT's message"; -1. */
int rb_vfail_at(struct rbuf *rb, uint64_t off, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int rb_u8(struct rbuf *rb, uint8_t *v);
int rb_u16(struct rbuf *rb, uint16_t *v);
int rb_u32(struct rbuf *rb, uint32_t *v);
int rb_tv(struct rbuf *rb, struct timeval *tv);
int rb_bytes(struct rbuf *rb, void *dst, size_t n);
int rb_str(struct rbuf *rb, char **s);
int rb_addr(struct rbuf *rb, struct scamper_addr *a);
int rb_saddr(struct rbuf *rb, struct scamper_addr *a);
int rb_gid(struct rbuf *rb, struct scamper_addr *a);
/* An ICMP extension list (u16 total, then objects): a new malloc'd copy
 * of the objects in *P, their length in *LEN. */
int rb_icmpext(struct rbuf *rb, uint8_t **p, uint16_t *len);
/* N addresses into A[0] to A[N - 1]. */
int rb_addrn(struct rbuf *rb, struct scamper_addr *a, size_t n);
/* An address list (u8 count, then addresses): a new array at *OUT (one
 * element at least), the count at *COUNT. */
int rb_addrs(struct rbuf *rb, struct scamper_addr **out, uint8_t *count);
/* A zeroed array of N elements of SIZE (at least one element), after
 * checking that N records of at least MINBYTES each fit in what is left
 * of the record; NULL with an error otherwise. */
void *rb_calloc(struct rbuf *rb, size_t n, size_t size, size_t minbytes);
/* Read a flags+params block into F[0..NF-1]; 0 or -1. */
int warts_params_read(struct rbuf *rb, struct wfield *f, int nf);
void rb_reset_tab(struct rbuf *rb);

/* wbuf */
void wb_u8(struct wbuf *wb, uint8_t v);
void wb_u16(struct wbuf *wb, uint16_t v);
void wb_u32(struct wbuf *wb, uint32_t v);
void wb_tv(struct wbuf *wb, const struct timeval *tv);
void wb_bytes(struct wbuf *wb, const void *p, size_t n);
void wb_str(struct wbuf *wb, const char *s);
void wb_addr(struct wbuf *wb, const struct scamper_addr *a);
void wb_saddr(struct wbuf *wb, const struct scamper_addr *a);
/* Patch a u16 at OFF. */
void wb_put16(struct wbuf *wb, size_t off, uint16_t v);
/* Empty the address table for a new record. */
void wb_tab_reset(struct wbuf *wb);
/* Room for N more bytes at the end of WB: where they start (wb->len is
 * not moved: wb_commit does), or NULL with wb->oom set.  wb_grow_room
 * is its slow path (the buffer grown). */
uint8_t *wb_grow_room(struct wbuf *wb, size_t n);
static inline uint8_t *
wb_reserve(struct wbuf *wb, size_t n)
{
	if (!wb->oom && wb->alloc - wb->len >= n)
		return wb->buf + wb->len;
	return wb_grow_room(wb, n);
}
/* The bytes written at a wb_reserve()d pointer end at P. */
static inline void
wb_commit(struct wbuf *wb, uint8_t *p)
{
	wb->len = (size_t)(p - wb->buf);
}
/* Writers into reserved room: store V at P, return the byte after it. */
static inline uint8_t *
wp_u8(uint8_t *p, uint8_t v)
{
	*p = v;
	return p + 1;
}
static inline uint8_t *
wp_u16(uint8_t *p, uint16_t v)
{
	wire_set_be16(p, v);
	return p + 2;
}
static inline uint8_t *
wp_u32(uint8_t *p, uint32_t v)
{
	wire_set_be32(p, v);
	return p + 4;
}
/* Address A at P as wb_addr() writes it (at most WP_ADDR_MAX bytes). */
#define WP_ADDR_MAX	18
uint8_t *wp_addr(struct wbuf *wb, uint8_t *p, const struct scamper_addr *a);
/* The flag bytes of a params block with the fields in BITS (bit i: flag
 * i + 1) at P; the byte after them. */
static inline uint8_t *
wp_flags(uint8_t *p, uint32_t bits)
{
	do {
		uint8_t v = (uint8_t)(bits & 0x7f);

		bits >>= 7;
		*p++ = (uint8_t)(v | (bits != 0 ? 0x80 : 0));
	} while (bits != 0);
	return p;
}
void warts_params_write(struct wbuf *wb, const struct wfield *f, int nf);
void wb_icmpext(struct wbuf *wb, const uint8_t *p, uint16_t len);
void wb_addrs(struct wbuf *wb, const struct scamper_addr *a, uint8_t n);
/* The N addresses at A (none if A is NULL). */
void wb_addrn(struct wbuf *wb, const struct scamper_addr *a, size_t n);
/* Define NAME_rd(struct rbuf *, T *) and NAME_wr(struct wbuf *, const T
 * *), static: one flags+params block of the NF fields the file's
 * NAME_fields(struct wfield *, T *) makes of a T (a copy, writing); 0 or
 * -1 reading. */
#define WARTS_BLOCK(name, T, NF) \
static int __attribute__((unused)) \
name##_rd(struct rbuf *rb, T *o) \
{ \
	struct wfield f[NF]; \
	name##_fields(f, o); \
	return warts_params_read(rb, f, NF); \
} \
static void __attribute__((unused)) \
name##_wr(struct wbuf *wb, const T *o) \
{ \
	T c = *o; \
	struct wfield f[NF]; \
	name##_fields(f, &c); \
	warts_params_write(wb, f, NF); \
}
/* While reading: 0 if address A is there, or -1 with "WHAT without an
 * address". */
int rb_need_addr(struct rbuf *rb, const struct scamper_addr *a,
    const char *what);
/* Copy the fields at FL (SIZE bytes of them) to F; how many there are. */
int wfields_copy(struct wfield *f, const struct wfield *fl, size_t size);
/* Point F (a WF_CB field) at CTX with its reader and writer. */
void wfield_cb(struct wfield *f, void *ctx, wf_rd rd, wf_wr wr);

void waddrtab_clear(struct waddrtab *t);
int waddrtab_add(struct waddrtab *t, const struct scamper_addr *a);

/*
 * Lists or cycles by writer-assigned ID.  IDs are handed out in order and
 * a stopped cycle's ID is retired, so the table is a window [base, n):
 * v[id - base] holds an object with a reference, or NULL once retired.
 * When the retired prefix grows large it is dropped, so a file of any
 * number of cycles is read and written in constant memory.
 */
struct idtab {
	void		**v;
	uint32_t	 base, n, alloc;
};

/* The object with ID, or NULL (unknown or retired). */
void *idtab_get(const struct idtab *t, uint32_t id);
/* Store V as the next ID (n); 0 or -1 (ENOMEM). */
int idtab_append(struct idtab *t, void *v);
/* Retire ID (its slot becomes NULL; the caller handles the reference). */
void idtab_retire(struct idtab *t, uint32_t id);
/* Drop the reference to every list in LISTS and cycle in CYCLES left,
 * and free both tables. */
void idtab_clear_lists(struct idtab *lists, struct idtab *cycles);

/*
 * The warts writer (warts_write.c): appends whole records to OUT and,
 * after each, calls END(ARG, START) with the offset of the record's first
 * byte in OUT, returning what END returns (a sink delivers or flushes
 * there).  On failure ERR names the problem and no part of the failed
 * record stays in OUT.
 */
struct warts_writer {
	struct wbuf	*out;
	struct idtab	 lists, cycles;
	int		(*end)(void *arg, size_t start);
	void		*arg;
	char		 err[128];
};

/* 0, or -1 (ENOMEM). */
int warts_writer_init(struct warts_writer *w, struct wbuf *out,
    int (*end)(void *, size_t), void *arg);
/* Drop the writer's lists and cycles (OUT is the caller's). */
void warts_writer_clear(struct warts_writer *w);
/* Write one object as scamper_file_write_obj() describes; 0 or -1. */
int warts_write_obj(struct warts_writer *w, uint16_t type, const void *obj);
/* The warts writer of a SCAMPER_SINK_WARTS sink (scamper_sink.c), for
 * scamper_file_fdopen_append to hand it the lists and cycles it read. */
struct scamper_sink;
struct warts_writer *sink_warts_writer(struct scamper_sink *s);

/* While reading: the list (CYCLE 0) or cycle (CYCLE 1) with writer-
 * assigned ID at *OUT, with a reference for the caller; ID 0 gives NULL.
 * 0, or -1 with an error in RB if the ID is unknown. */
int warts_rd_ref(struct scamper_file *f, struct rbuf *rb, int cycle,
    uint32_t id, void **out);

/*
 * Measurement records (warts_rec.c).  Each type's codec file describes
 * its record with a struct warts_rec: its parameters as fields (the
 * first two always the list and cycle IDs, WFIELD_IDS), what is read
 * after them, and how the record is written.  One reader and one writer
 * do the rest for every type: allocation, the parameter block, freeing
 * on failure, the IDs.
 */
#define WREC_MAXNF	32

/* Values a record's parameters hold outside its object. */
struct wrec_tmp {
	uint32_t	 listid, cycleid;
	uint32_t	 flags;		/* trace, ping: all the flags */
	uint8_t		 flags8;	/* trace, ping: the low 8 */
	uint16_t	 pktc16;	/* tbit: the old u16 packet count */
	char		*skip;		/* a string read, dropped */
};

/* The list and cycle IDs (flags 1 and 2), written when not 0 or, if
 * ALWAYS, whatever they are. */
#define WFIELD_IDS(x, always) \
	WFIELD(WF_U32, &(x)->listid, (always) || (x)->listid != 0), \
	WFIELD(WF_U32, &(x)->cycleid, (always) || (x)->cycleid != 0)

/* The IDs, then object O's deprecated global source and destination
 * address IDs (read only) and its start time: flags 1 to 5 of trace,
 * ping and tracelb. */
#define WFIELD_IDS_GIDS_START(x, always, o) \
	WFIELD_IDS(x, always), \
	WFIELD(WF_GID, &(o)->src, 0), \
	WFIELD(WF_GID, &(o)->dst, 0), \
	WFIELD(WF_TV, &(o)->start, 1)
/* The same, then O's stop reason and data: flags 1 to 7 of trace and
 * ping. */
#define WFIELD_IDS_GIDS_STOP(x, always, o) \
	WFIELD_IDS_GIDS_START(x, always, o), \
	WFIELD(WF_U8, &(o)->stop_reason, 1), \
	WFIELD(WF_U8, &(o)->stop_data, 1)

/* The IDs, then object O's user ID: flags 1 to 3 of the records after
 * dealias (neighbourdisc, tbit, sting, sniff, host). */
#define WFIELD_IDS_USERID(x, o) \
	WFIELD_IDS(x, 0), \
	WFIELD(WF_U32, &(o)->userid, (o)->userid != 0)
/* The same, then O's source and destination: flags 1 to 5 of tbit, sting
 * and host. */
#define WFIELD_IDS_SRC_DST(x, o) \
	WFIELD_IDS_USERID(x, o), \
	WFIELD(WF_ADDR, &(o)->src, scamper_addr_isset(&(o)->src)), \
	WFIELD(WF_ADDR, &(o)->dst, scamper_addr_isset(&(o)->dst))

struct warts_rec;

/* A record being read: its parameters are in F (->set tells which were
 * there), their values outside the object in X. */
struct wrec_rd {
	struct scamper_file	*file;
	struct rbuf		*rb;
	const struct warts_rec	*rec;
	struct wfield		 f[WREC_MAXNF];
	struct wrec_tmp		 x;
};

struct warts_rec {
	uint16_t	 type;		/* SCAMPER_FILE_OBJ_* */
	int		 nf;		/* parameter fields */
	size_t		 list_off, cycle_off; /* list, cycle */
	void		*(*alloc)(void);
	void		 (*free)(void *);
	/* OBJ's parameters as fields into F, values kept outside it in X */
	void		 (*fields)(struct wfield *f, void *obj,
			    struct wrec_tmp *x);
	/* After the parameters: the checks and the rest of the record;
	 * 0, -1 (failed, error in R->rb), or 1 (leave the record raw) */
	int		 (*rd)(struct wrec_rd *r, void *obj);
	/* The record body: OBJ's parameters (warts_rec_params, with the
	 * IDs in X) and what follows them; 0 or -1 (cannot be written) */
	int		 (*wr)(struct wbuf *wb, const void *obj,
			    struct wrec_tmp *x);
};

/* Define warts_NAME_rec for struct scamper_NAME, record type TYPE with NF
 * parameters, from the file's static functions, typed for the record:
 * void NAME_fields(struct wfield *, struct scamper_NAME *,
 * struct wrec_tmp *); int NAME_rd(struct wrec_rd *, struct scamper_NAME
 * *); int NAME_wr(struct wbuf *, const struct scamper_NAME *, struct
 * wrec_tmp *). */
#define WARTS_REC(name, TYPE, NF) \
static void * \
name##_new(void) \
{ \
	return scamper_##name##_alloc(); \
} \
static void \
name##_del(void *o) \
{ \
	scamper_##name##_free(o); \
} \
static void \
name##_fields_v(struct wfield *f, void *o, struct wrec_tmp *x) \
{ \
	name##_fields(f, o, x); \
} \
static int \
name##_rd_v(struct wrec_rd *r, void *o) \
{ \
	return name##_rd(r, o); \
} \
static int \
name##_wr_v(struct wbuf *wb, const void *o, struct wrec_tmp *x) \
{ \
	return name##_wr(wb, o, x); \
} \
const struct warts_rec warts_##name##_rec = { (TYPE), (NF), \
	offsetof(struct scamper_##name, list), \
	offsetof(struct scamper_##name, cycle), name##_new, name##_del, \
	name##_fields_v, name##_rd_v, name##_wr_v }

/* Trace hop H as warts (PSIZE: the trace's probe size): the fast
 * writer, and the table-driven one (hop_fields) it must match byte for
 * byte (tests/formats/test_warts_golden.c compares them). */
struct scamper_trace_hop;
void warts_trace_hop_wr(struct wbuf *wb, const struct scamper_trace_hop *h,
    uint16_t psize);
void warts_trace_hop_wr_ref(struct wbuf *wb,
    const struct scamper_trace_hop *h, uint16_t psize);
/* Trace T's parameters (its list and cycle IDs in X) as warts: the fast
 * writer of what warts_rec_params() writes for it (with X's flags and
 * flags8 T's), which test_warts_golden.c compares it with. */
struct scamper_trace;
void warts_trace_params_wr(struct wbuf *wb, const struct scamper_trace *t,
    const struct wrec_tmp *x);

extern const struct warts_rec warts_trace_rec;
extern const struct warts_rec warts_ping_rec;
extern const struct warts_rec warts_tracelb_rec;
extern const struct warts_rec warts_dealias_rec;
extern const struct warts_rec warts_neighbourdisc_rec;
extern const struct warts_rec warts_tbit_rec;
extern const struct warts_rec warts_sting_rec;
extern const struct warts_rec warts_sniff_rec;
extern const struct warts_rec warts_host_rec;

/* The description of measurement record TYPE, or NULL. */
const struct warts_rec *warts_rec_find(uint16_t type);
/* Read a record of REC's type from RB into a new object at *OUT: 0, -1
 * (error in RB), or 1 (the codec leaves the record raw). */
int warts_rec_read(struct scamper_file *file, struct rbuf *rb,
    const struct warts_rec *rec, void **out);
/* While reading: resolve the IDs in R->x into OBJ's list and cycle. */
int warts_rd_ids(struct wrec_rd *r, void *obj);
/* Write OBJ's parameters (REC's fields, IDs in X). */
void warts_rec_params(struct wbuf *wb, const struct warts_rec *rec,
    void *obj, struct wrec_tmp *x);

#endif
