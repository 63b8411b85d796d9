/*
 * trace_int.h: the trace technique's state, shared by m_trace.c (options)
 * and trace_run.c (probing).  Internal to prober/trace.
 */
#ifndef PROBER_TRACE_TRACE_INT_H
#define PROBER_TRACE_TRACE_INT_H

#include <netinet/in.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "method.h"
#include "scamper_addr.h"
#include "scamper_trace.h"
#include "monotime.h"
#include "stamp.h"
#include "task.h"
#include "timer.h"

struct cmd_args;
struct scamper_trace;
struct scamper_trace_hop;
struct task;
struct ptrnames;

enum trace_method {		/* the order of -P's words */
	TRACE_UDP, TRACE_ICMP, TRACE_UDP_PARIS, TRACE_ICMP_PARIS,
	TRACE_TCP, TRACE_TCP_ACK,
};

enum trace_mode {
	MODE_TRACE,		/* hop by hop */
	MODE_LASTDITCH,		/* TTL 255 probes after the gap limit */
	MODE_PMTUD,		/* path MTU discovery after the trace (-M) */
	MODE_BACK,		/* doubletree: backwards from firsthop - 1 */
	MODE_DONE,
};

/* PMTUD progress.  Sizes: LO is the largest known to reach the target
 * (0: none yet), HI the smallest known not to (0: none yet). */
struct trace_pmtud_state {
	uint16_t	 size;		/* being probed */
	uint16_t	 lo, hi;
	uint8_t		 searching;	/* silence seen: searching sizes */
	uint8_t		 ttlsearch;	/* finding the hop that is silent */
	uint8_t		 ttl, ttl_lo, ttl_hi;
	int32_t		 ttl_lo_hop;	/* pmtud hop answering at ttl_lo */
	uint8_t		 reason, data;	/* the trace's own stop reason */
	uint16_t	*sizes;		/* of probes first.., in order */
	uint16_t	 first, nsizes;
};

#define TRACE_PAYLOAD_MAX 1400

/* One probe sent: 7 bytes (no alignment), as a trace may hold tens of
 * them while many thousands of traces are in flight.  Its send time is
 * kept to the nanosecond: TX, 40 bits little-endian, holds its offset
 * from the trace's start in the low 38 (signed: 137 seconds either way)
 * and two TRACE_TX_* flags in the top two; a probe sent further from the
 * start has TRACE_TX_FAR there and its offset in the side structure
 * (trace_probe_tx).  The mode it was sent in and its size are the
 * trace's (trace_probe_mode, trace_probe_size): modes follow one
 * another, and only PMTUD probes vary their size (kept in its state). */
struct trace_probe {
	uint8_t		 tx[5];		/* sent, and TRACE_TX_* above */
	uint8_t		 ttl;
	uint8_t		 attempt;	/* 1-based */
};

#define TRACE_TX_DL		0x1	/* tx is the datalink's timestamp */
#define TRACE_TX_ANSWERED	0x2	/* a reply was measured against tx */

/* P's TRACE_TX_* flags, and adding F to them. */
static inline unsigned
trace_probe_txf(const struct trace_probe *p)
{
	return (unsigned)p->tx[4] >> 6;
}

static inline void
trace_probe_txf_set(struct trace_probe *p, unsigned f)
{
	p->tx[4] = (uint8_t)(p->tx[4] | (f << 6));
}

/* A probe's send time further than TX's 38 bits reach from the start
 * (a trace longer than 137 s, or a clock step): kept aside. */
struct trace_far {
	int64_t		 off;		/* nanoseconds from the start */
	uint16_t	 idx;		/* the probe's number */
};

/* A reply recorded for the main hop list while the trace runs, as
 * trace_rec_next decodes it: what a reply fills of a struct
 * scamper_trace_hop (96 bytes; the probe fields come from the probe
 * record).  Records are kept encoded in one byte stream (trace_hops.c:
 * 11-12 bytes for a typical IPv4 reply, about 7-24 for IPv6: an IPv6
 * address counted from the previous record's, the source's or the
 * destination's): a header
 * of which fields differ from what most replies hold, then varints and
 * the address.  The quoted length and TOS are the probe's size and -t
 * when the reply quotes the probe, else 0 (trace_hops.c:
 * quote_default); the rare next-hop MTU, ICMP extension and other
 * quotes go in a side array (struct trace_hopx).  A TCP reply's flags
 * are in icmp_type (a TCP hop has no ICMP type).  trace_done() turns
 * them into the result's hops. */
struct trace_hoprec {
	uint32_t	 rtt;		/* microseconds (task_rtt_us) */
	uint16_t	 probe;		/* index into probes[] */
	uint16_t	 reply_size, reply_ipid;
	uint8_t		 flags, reply_ttl, reply_tos;
	uint8_t		 icmp_type;	/* or the TCP flags (flags: TCP) */
	uint8_t		 icmp_code, q_ttl;
	uint8_t		 addr[16];	/* 4 bytes used for IPv4 */
};

/* A record's rare fields, kept only when one is set (Q: the quoted
 * length and TOS are these, not the default). */
struct trace_hopx {
	uint8_t		*icmpext;	/* owned */
	uint16_t	 rec;		/* the record's index */
	uint16_t	 nhmtu, icmpext_len;
	uint16_t	 q_ipl;
	uint8_t		 q_tos, q;
};

/* The trace's parameters and what the result records of the run while
 * it goes (struct scamper_trace's fields of the same names, which get
 * them at trace_done: a trace in flight holds no result unless it
 * needs one early, for doubletree, last-ditch or PMTUD hops). */
struct trace_conf {
	struct stamp		 start;		/* the result's start */
	struct scamper_cycle	*cycle;		/* a reference, or NULL */
	uint32_t		 flags;		/* SCAMPER_TRACE_FLAG_* */
	uint32_t		 reclen;	/* not the result's: the main
						 * hop list's bytes
						 * (trace_hops.c) */
	/* the addresses' bytes (4 used for IPv4): the result's get their
	 * type from the family (trace_addr_set) */
	uint8_t			 src[16], dst[16];
	uint16_t		 probe_size, sport, dport;
	uint8_t			 attempts, hoplimit, firsthop, tos;
	uint8_t			 wait;		/* seconds */
	uint8_t			 loops, gaplimit;
	/* not the result's, here in what would be padding: a stop held
	 * until the hop ends (-Q) and the loops found (-l) */
	uint8_t			 held_reason, held_data;
	uint8_t			 loopc;
};

/* What few traces use, allocated by the first that needs it
 * (trace_side): the payload (-p), side records of hops, doubletree's
 * -z addresses, -O ptr's names, the -W spacing timer, PMTUD's search,
 * the TTLs a loop was found at, -U, the probes' modes after the first
 * change (every probe is MODE_TRACE while there is none). */
struct trace_side {
	uint8_t			*payload;	/* -p bytes, or NULL: zeros */
	struct trace_hopx	*xs;		/* side records */
	struct trace_far	*far;		/* send times far from the
						 * start, farc of them */
	/* doubletree (-z, -Z, -O dtree-noback): -z addresses, 16 bytes
	 * each */
	uint8_t			*gss;
	/* -O ptr (trace_ptr.c): the addresses of the main hops, with their
	 * names (NULL without -O ptr) */
	struct ptrnames		*names;
	struct timer		*gap;		/* -W spacing, NULL without -W */
	struct scamper_addr	 rtr;		/* -r */
	struct monotime		 last_mono;	/* when the last probe left */
	struct trace_pmtud_state *pm;		/* NULL until PMTUD starts */
	int			 gssc;
	uint32_t		 userid;	/* -U */
	uint16_t		 xc;
	uint16_t		 farc;
	uint16_t		 mfirst[4];	/* mode changes: the first probe */
	uint8_t			 mmode[4];	/* of each and its mode */
	uint8_t			 nmodes;
	uint8_t			 back_done;	/* doubletree: backwards phase
						 * is over */
	uint8_t			 fwd_reason, fwd_data;	/* and how the
						 * forwards part ended */
	uint8_t			 ttl_looped[32];	/* bit per TTL */
	/* options few traces give (0: not given; trace_wait_probe,
	 * trace_gapaction, trace_paylen and trace_offset read them) */
	uint16_t		 paylen;	/* -p's bytes (payload != NULL) */
	uint16_t		 offset;	/* -o */
	uint8_t			 wait_probe;	/* -W: centiseconds */
	uint8_t			 gapaction;	/* -G */
	uint8_t			 confidence;	/* -c: 95 or 99 */
};

/* Invariants: probes[0..probec) were sent, in order; cur_ttl is the TTL
 * being probed in MODE_TRACE; at most one probe is outstanding (the last)
 * and `wait` runs while it is.  Fields are ordered by size (pointers,
 * timers, then 16- and 8-bit ones): one is allocated per trace, in its
 * task's allocation, and task + state is 232 bytes, a 240-byte chunk
 * (issue 22: each 16 bytes more is a chunk step). */
struct trace_state {
	/* no task pointer nor result pointer: the state lives in its
	 * task's allocation (trace_task) and the result is the task's
	 * (trace_res) */
	/* the main hop list so far and the probe records, in one buffer
	 * of bufcap bytes (trace_hops.c): recc encoded records (c.reclen
	 * bytes, then the last one's probe number) from the front, probec
	 * probes (7 bytes each) from the back */
	uint8_t			*buf;
	struct trace_side	*x;		/* NULL until needed */
	struct timer		 wait;		/* reply timeout */
	struct trace_conf	 c;
	uint32_t		 bufcap;
	uint16_t		 probec;
	uint16_t		 recc;
	uint8_t			 method;	/* enum trace_method */
	uint8_t			 mode;		/* enum trace_mode */
	uint8_t			 af;
	uint8_t			 cur_ttl;
	uint8_t			 attempt;	/* sent at cur_ttl */
	uint8_t			 hop_replied;	/* replies at cur_ttl */
	uint8_t			 gapc;		/* unanswered hops in a row */
	unsigned		 have_src:1;	/* c.src is set (-S) */
	unsigned		 have_rtr:1;	/* x->rtr.addr is set (-r) */
	unsigned		 dlts:1;	/* -O dl: datalink timestamps */
};

/* S's task (the state is in the task's allocation). */
static inline struct task *
trace_task(const struct trace_state *s)
{
	return task_of_state((void *)(uintptr_t)s);
}

/* S's result (trace_result made it), or NULL. */
static inline struct scamper_trace *
trace_res(const struct trace_state *s)
{
	return task_result_obj(trace_task(s));
}

/* S's options that live in its side structure, as the result has
 * them: -W (centiseconds), -G, -p's length (the default payload's without
 * -p), -o. */
static inline uint8_t
trace_wait_probe(const struct trace_state *s)
{
	return s->x != NULL ? s->x->wait_probe : 0;
}

static inline uint8_t
trace_gapaction(const struct trace_state *s)
{
	return s->x != NULL && s->x->gapaction != 0 ? s->x->gapaction :
	    SCAMPER_TRACE_GAPACTION_STOP;
}

static inline uint16_t
trace_paylen(const struct trace_state *s)
{
	if (s->x != NULL && s->x->payload != NULL)
		return s->x->paylen;
	return s->af == AF_INET ? 16 : 12;
}

static inline uint16_t
trace_offset(const struct trace_state *s)
{
	return s->x != NULL ? s->x->offset : 0;
}

/* -c's confidence (95 or 99), 0 without -c. */
static inline uint8_t
trace_confidence(const struct trace_state *s)
{
	return s->x != NULL ? s->x->confidence : 0;
}

/* Whether A (4 or 16 bytes, by S's family) is S's destination: memcmp
 * of a constant length, inline (every reply asks, some twice). */
static inline int
trace_is_dst(const struct trace_state *s, const uint8_t *a)
{
	if (s->af == AF_INET)
		return memcmp(a, s->c.dst, 4) == 0;
	return memcmp(a, s->c.dst, 16) == 0;
}

/* Set A to the address B of family AF (4 or 16 bytes): scamper_addr_set
 * inline, for the hop filled on every reply. */
static inline void
trace_addr_set(struct scamper_addr *a, int af, const uint8_t *b)
{
	memset(a, 0, sizeof(*a));
	a->type = af == AF_INET ? SCAMPER_ADDR_IPV4 : SCAMPER_ADDR_IPV6;
	a->len = af == AF_INET ? 4 : 16;
	memcpy(a->addr, b, a->len);
}

/* The highest TTL a probe was sent at in MODE_TRACE (the result's
 * hop_count). */
uint8_t	trace_hop_count(const struct trace_state *s);

/* Release what STATE holds (its probe records and names, not
 * STATE itself); its timers must be idle. */
void trace_state_clear(void *state);

/* S's result, made on first use (and named the task's); NULL on
 * ENOMEM. */
struct scamper_trace *trace_result(struct trace_state *s);

/* The trace technique's small buffers, from one size-class allocator
 * (trace_hops.c, common/slab.h; the prober is one thread): N bytes, not
 * cleared, or NULL (ENOMEM); and giving back P (NULL: nothing) of the
 * N it was asked with. */
void	*trace_mem_alloc(size_t n);
void	 trace_mem_free(void *p, size_t n);

/* S's side structure, made zeroed on first use; NULL on ENOMEM. */
struct trace_side *trace_side(struct trace_state *s);

/* End the trace with REASON/DATA: PMTUD follows if asked for and the
 * target answered; otherwise timers stop and the task finishes. */
void	trace_finish(struct trace_state *s, uint8_t reason, uint8_t data);

/* Finish for good with REASON/DATA (after PMTUD, or instead of it). */
void	trace_done(struct trace_state *s, uint8_t reason, uint8_t data);

/* PMTUD (trace_pmtud.c): start it (returns -1 if it cannot run, the
 * trace then just finishes), the probe's TTL and size, a reply to a
 * PMTUD probe, and the end of a PMTUD probe's wait. */
int	trace_pmtud_begin(struct trace_state *s, uint8_t reason, uint8_t data);
void	trace_pmtud_probe(const struct trace_state *s, uint8_t *ttl,
	    uint16_t *size);
void	trace_pmtud_reply(struct trace_state *s, const struct trace_probe *p,
	    const struct pkt_reply *r, int hopidx);
void	trace_pmtud_timeout(struct trace_state *s);

/* The current hop is over: gap limit, hop limit, or the next TTL. */
void	trace_hop_done(struct trace_state *s);

/* Append a probe record (TTL, ATTEMPT, SIZE bytes) in the current mode,
 * its send time unset; returns it, or NULL (ENOMEM). */
struct trace_probe *trace_probe_add(struct trace_state *s, uint8_t ttl,
	    uint8_t attempt, uint16_t size);

/* Probe record IDX (IDX < probec); valid until the next probe or record
 * is added.  Inline: a reply reads several. */
static inline struct trace_probe *
trace_probe_at(const struct trace_state *s, uint16_t idx)
{
	return (struct trace_probe *)(void *)(s->buf + s->bufcap -
	    (idx + 1u) * sizeof(struct trace_probe));
}

/* The mode (enum trace_mode) probe IDX was sent in.  Inline: every
 * reply asks. */
static inline uint8_t
trace_probe_mode(const struct trace_state *s, uint16_t idx)
{
	const struct trace_side *x = s->x;

	for (uint8_t i = x != NULL ? x->nmodes : 0; i-- > 0; )
		if (x->mfirst[i] <= idx)
			return x->mmode[i];
	return MODE_TRACE;
}

/* Probe IDX's size when S has a PMTUD state (trace_probe_size). */
uint16_t trace_probe_size_pm(const struct trace_state *s, uint16_t idx);

/* Probe IDX's size: the trace's, but for PMTUD probes. */
static inline uint16_t
trace_probe_size(const struct trace_state *s, uint16_t idx)
{
	if (s->x == NULL || s->x->pm == NULL)
		return s->c.probe_size;
	return trace_probe_size_pm(s, idx);
}

/* The probe's send time, and setting it (a time too far from the start
 * for the probe record goes to the side structure: if that cannot be
 * had, ENOMEM, it is kept as near as the record reaches). */
struct stamp trace_probe_tx(const struct trace_state *s,
	    const struct trace_probe *p);
void	trace_probe_set_tx(struct trace_state *s, struct trace_probe *p,
	    struct stamp tx);

/* Record H (a reply to probe IDX) for the main hop list; H's icmpext
 * moves to the record.  Returns 0 or -1 (ENOMEM). */
int	trace_rec_add(struct trace_state *s, struct scamper_trace_hop *h,
	    uint16_t idx);

/* Decode the main hop list's record at byte *OFF (0: the first, then
 * what the last call left there) into R and move *OFF to the next;
 * returns 0, or -1 past the last record.  Past the first, R must be what
 * the previous call filled (a record may give its probe number as the
 * previous record's + 1). */
int	trace_rec_next(const struct trace_state *s, uint32_t *off,
	    struct trace_hoprec *r);

/* Whether a record of the main hop list holds ADDR (4 or 16 bytes) at a
 * TTL more than one away from TTL: a loop (-l).  Reads only the records'
 * addresses and probe numbers. */
int	trace_rec_looped(const struct trace_state *s, const uint8_t *addr,
	    uint8_t ttl);

/* The TTL of the probe record R answers. */
uint8_t	trace_rec_ttl(const struct trace_state *s,
	    const struct trace_hoprec *r);

/* Move the recorded main hops into T, the result (sorted by TTL); returns 0
 * or -1 on ENOMEM (the trace then ends with an error). */
int	trace_hops_commit(struct trace_state *s, struct scamper_trace *t);

/* Free the recorded hops that were not committed, and the probe
 * records. */
void	trace_hops_free(struct trace_state *s);

/* Whether the current hop wants another probe (-q, -Q, -c rules). */
int	trace_hop_more(const struct trace_state *s);

/* Ask for the next probe, respecting -W. */
void	trace_next(struct trace_state *s);

/* Doubletree (trace_dtree.c): set up from the options (returns -1 with a
 * message), whether ADDR is in the global stop set, start the backwards
 * phase (returns -1 if there is none to do), and a reply or timeout in
 * it. */
int	trace_dtree_setup(struct trace_state *s, const struct cmd_args *a,
	    char *err, size_t len);
int	trace_dtree_in_gss(const struct trace_state *s, const uint8_t *addr);
int	trace_dtree_back(struct trace_state *s, uint8_t reason, uint8_t data);
void	trace_dtree_reply(struct trace_state *s, const struct trace_probe *p,
	    const struct scamper_trace_hop *h);
void	trace_dtree_timeout(struct trace_state *s);
/* The control command "lss-clear NAME" (struct method_cmd): empty the
 * local stop set NAME, which lives as long as the process. */
int	trace_lss_cmd(int argc, char **argv, char *msg, size_t msglen);

/* -O ptr (trace_ptr.c): check a nameserver is known and set the flag
 * (returns -1 with a message); look up ADDR's name unless it is known or
 * asked already; lookups in flight; forget them (their names stay
 * unknown); give the result's hops their names; free the names. */
int	trace_ptr_setup(struct trace_state *s, char *err, size_t len);
void	trace_ptr_add(struct trace_state *s, const uint8_t *addr);
int	trace_ptr_pending(const struct trace_state *s);
void	trace_ptr_cancel(struct trace_state *s);
void	trace_ptr_apply(struct trace_state *s);
void	trace_ptr_free(struct trace_state *s);

/* The datalink asked for by -r / -O dl is ready or cannot be had; a
 * probe was seen leaving on it (trace_reply.c). */
void	trace_dl_ready(struct task *t, int err, const char *why);
int	trace_dl_sent(struct task *t, const struct pkt_reply *r,
	    const struct stamp *ts);

int	trace_start(struct task *t, char *err, size_t errlen);
int	trace_probe(struct task *t);
void	trace_reply(struct task *t, const struct pkt_reply *r,
	    const struct stamp *rx);
void	trace_halt(struct task *t);
/* T's start failed with ERR (an errno): its record says so (core.c). */
void	trace_refused(struct task *t, int err);
/* A probe's better send time, or its refusal (method.h sent). */
int	trace_sent(struct task *t, uint32_t idx, int err,
	    const struct stamp *tx, enum stamp_src src);
#endif
