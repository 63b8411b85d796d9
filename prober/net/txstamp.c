/*
 * txstamp.c: matching the kernel's transmit timestamps to probes (see
 * txstamp.h).
 *
 * Waiting probes sit in a ring, oldest first, each with A (how many
 * packets the socket accepted before it) and R (how many it refused
 * before it).  Its key is A + C, where C is how many of those R
 * refusals used a key: unknown, between 0 and R.  Each matched
 * timestamp pins C for its probe (the anchor); C only grows at
 * refusals, so for any other probe C lies within the refusals between
 * it and the anchor.  With no refusal since the anchor every range is
 * one key and the match is found by index.  The ring's size is a power
 * of two, so an index is masked, not divided.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "txstamp.h"

#ifdef __linux__
#include <linux/errqueue.h>
#include <linux/net_tstamp.h>
#include <netinet/in.h>
#ifndef SOL_PACKET
#define SOL_PACKET	263
#endif
#ifndef PACKET_TX_TIMESTAMP
#define PACKET_TX_TIMESTAMP 16
#endif
#endif

#define TXS_MIN		256		/* ring slots to start with (a power
					   of two, as TXS_MAX) */
#define TXS_MAX		(1u << 17)	/* waiting probes at most */
#define TXS_RXBATCH	256		/* error-queue messages per read */
#define TXS_FPBYTES	48		/* a fingerprint's bytes at most */

/* What one read of the error queue uses (on the heap: 48 KB). */
struct txs_rxbuf {
	struct mmsghdr	 mm[TXS_RXBATCH];
	_Alignas(struct cmsghdr) uint8_t cb[TXS_RXBATCH][128];
};

struct txs_rec {
	void		*token;
	int64_t		 before;	/* ns: clock read before the send */
	uint32_t	 tag;
	uint32_t	 acc;		/* packets accepted before this one */
	uint32_t	 ref;		/* packets refused before this one */
	uint32_t	 fp;		/* its fingerprint (txs_sent_fp) */
	uint8_t		 done;
};

struct txs {
	int		 fd;
	txs_cb		*cb;
	void		*arg;
	struct txs_rec	*r;		/* ring of CAP, N from HEAD */
	size_t		 cap, head, n;
	size_t		 waiting;	/* records not yet done */
	uint32_t	 acc, ref;	/* counts so far */
	uint32_t	 a_ref, a_c;	/* the anchor: C at R = a_ref */
	uint32_t	 next;		/* A of the copy expected next */
	uint32_t	*fpt;		/* fingerprint -> A of its latest
					   record, 2 x CAP entries (NULL:
					   none, the window only) */
	struct txs_stats st;
	struct txs_rxbuf *rb;		/* for txs_drain, made when first used */
};

struct txs *
txs_new(int fd, txs_cb *cb, void *arg)
{
	struct txs *x = calloc(1, sizeof(*x));

	if (x == NULL)
		return NULL;
	x->fd = fd;
	x->cb = cb;
	x->arg = arg;
	return x;
}

void
txs_free(struct txs *x)
{
	if (x == NULL)
		return;
	free(x->r);
	free(x->fpt);
	free(x->rb);
	free(x);
}

void
txs_trim(struct txs *x)
{
	if (x == NULL || x->waiting > 0)
		return;
	free(x->rb);
	x->rb = NULL;
	if (x->n == 0) {
		free(x->r);
		x->r = NULL;
		free(x->fpt);
		x->fpt = NULL;
		x->cap = x->head = 0;
	}
}

static struct txs_rec *
rec(const struct txs *x, size_t i)
{
	return &x->r[(x->head + i) & (x->cap - 1)];
}

/* The fingerprint table for X's ring, made again at its size and filled
 * from its records (without memory: none, copies are looked for in the
 * window only). */
static void
fpt_remake(struct txs *x)
{
	free(x->fpt);
	if ((x->fpt = calloc(2 * x->cap, sizeof(*x->fpt))) == NULL)
		return;
	for (size_t i = 0; i < x->n; i++)
		x->fpt[rec(x, i)->fp & (2 * x->cap - 1)] = rec(x, i)->acc;
}

/* Drop the head record, reporting it first if it is still waiting. */
static void
pop(struct txs *x)
{
	struct txs_rec *e = rec(x, 0);

	if (!e->done) {
		x->waiting--;
		x->st.missing++;
		if (e->token != NULL)
			x->cb(x->arg, e->token, e->tag, NULL);
	}
	x->head = (x->head + 1) & (x->cap - 1);
	x->n--;
}

/* Room for one more record: grow, or give up on the oldest. */
static int
make_room(struct txs *x)
{
	struct txs_rec *r;
	size_t cap;

	if (x->n < x->cap)
		return 0;
	if (x->cap >= TXS_MAX) {
		pop(x);
		return 0;
	}
	cap = x->cap == 0 ? TXS_MIN : x->cap * 2;
	if ((r = malloc(cap * sizeof(*r))) == NULL)
		return -1;
	for (size_t i = 0; i < x->n; i++)
		r[i] = *rec(x, i);
	free(x->r);
	x->r = r;
	x->cap = cap;
	x->head = 0;
	fpt_remake(x);
	return 0;
}

void
txs_sent(struct txs *x, void *token, uint32_t tag, struct stamp before)
{
	struct txs_rec *e;

	if (make_room(x) == 0) {
		e = rec(x, x->n);
		e->token = token;
		e->tag = tag;
		e->before = before.ns;
		e->acc = x->acc;
		e->ref = x->ref;
		e->done = 0;
		x->n++;
		x->waiting++;
	} else {
		/* no memory: it keeps its before-send time */
		x->st.missing++;
		if (token != NULL)
			x->cb(x->arg, token, tag, NULL);
	}
	x->acc++;
}

void
txs_sent_fp(struct txs *x, void *token, uint32_t tag, struct stamp before,
    uint32_t fp)
{
	size_t n = x->n;

	txs_sent(x, token, tag, before);
	if (x->n > n) {
		rec(x, n)->fp = fp;
		if (x->fpt != NULL)
			x->fpt[fp & (2 * x->cap - 1)] = rec(x, n)->acc;
	}
}

uint32_t
txs_fp(const uint8_t *pkt, size_t len)
{
	uint32_t h = 2166136261u;

	/* FNV-1a, a word at a time: headers differ in many bytes */
	if (len > TXS_FPBYTES)
		len = TXS_FPBYTES;
	for (size_t i = 0; i + 4 <= len; i += 4) {
		uint32_t w;
		memcpy(&w, pkt + i, 4);
		h = (h ^ w) * 16777619u;
	}
	for (size_t i = len & ~(size_t)3; i < len; i++)
		h = (h ^ pkt[i]) * 16777619u;
	return h ^ (h >> 15);
}

/* Whether record I is the waiting probe of fingerprint FP copied at
 * TS. */
static int
fp_fits(const struct txs *x, size_t i, uint32_t fp, int64_t ts)
{
	const struct txs_rec *e = rec(x, i);

	return !e->done && e->fp == fp && ts >= e->before;
}

/* The index of the record copy FP (at TS) is of: the one expected next
 * first, then the latest of its fingerprint in the table, then those
 * after and before the one expected, TXS_SCAN each way; or -1. */
static long
fp_find(const struct txs *x, uint32_t fp, int64_t ts)
{
	uint32_t d;
	size_t at;

	if (x->n == 0)
		return -1;
	/* (before the oldest: it went, so the oldest) */
	d = x->next - rec(x, 0)->acc;
	at = d > UINT32_MAX / 2 ? 0 : d > x->n ? x->n : d;
	if (at < x->n && fp_fits(x, at, fp, ts))
		return (long)at;
	if (x->fpt != NULL) {
		size_t i = (uint32_t)(x->fpt[fp & (2 * x->cap - 1)] -
		    rec(x, 0)->acc);

		if (i < x->n && fp_fits(x, i, fp, ts))
			return (long)i;
	}
	for (size_t i = at; i < x->n && i < at + TXS_SCAN; i++)
		if (fp_fits(x, i, fp, ts))
			return (long)i;
	for (size_t i = at; i > 0 && i + TXS_SCAN > at; i--)
		if (fp_fits(x, i - 1, fp, ts))
			return (long)(i - 1);
	return -1;
}

/* Record E got its time TS: reported, and the finished records at the
 * front let go. */
static void
rec_stamped(struct txs *x, struct txs_rec *e, const struct stamp *ts)
{
	e->done = 1;
	x->waiting--;
	x->st.stamped++;
	if (e->token != NULL)
		x->cb(x->arg, e->token, e->tag, ts);
	while (x->n > 0 && rec(x, 0)->done)
		pop(x);
}

void
txs_copy(struct txs *x, uint32_t fp, struct stamp ts)
{
	struct txs_rec *e;
	long i;

	if ((i = fp_find(x, fp, ts.ns)) < 0) {
		x->st.stray++;
		return;
	}
	e = rec(x, (size_t)i);
	x->next = e->acc + 1;
	rec_stamped(x, e, &ts);
}

void
txs_refused(struct txs *x)
{
	x->ref++;
	x->st.refused++;
}

/* The keys E may have: A + [*LO, *HI]. */
static void
c_range(const struct txs *x, const struct txs_rec *e, uint32_t *lo,
    uint32_t *hi)
{
	int32_t d = (int32_t)(e->ref - x->a_ref);

	if (d >= 0) {
		*lo = x->a_c;
		*hi = x->a_c + (uint32_t)d;
	} else {
		*lo = x->a_c > (uint32_t)-d ? x->a_c - (uint32_t)-d : 0;
		*hi = x->a_c;
	}
}

/* Whether E may be the probe of the timestamp KEY taken at TS; *C gets
 * the refusals before it that used a key if so. */
static int
fits(const struct txs *x, const struct txs_rec *e, uint32_t key,
    int64_t ts, uint32_t *c)
{
	uint32_t lo, hi;

	if (e->done || ts < e->before)
		return 0;
	c_range(x, e, &lo, &hi);
	*c = key - e->acc;
	return *c >= lo && *c <= hi;
}

/* The index of the oldest waiting record KEY (at TS) fits, or -1. */
static long
find(const struct txs *x, uint32_t key, int64_t ts, uint32_t *c)
{
	size_t i;

	if (x->n == 0)
		return -1;
	/* the usual case: no refusal since the anchor nor before the
	 * oldest record (so none between), one key per probe: C is the
	 * anchor's for all, and only record I may hold KEY (unless a
	 * record could not be made: then none does) */
	i = (size_t)(uint32_t)(key - x->a_c - rec(x, 0)->acc);
	if (i < x->n && x->ref == x->a_ref && rec(x, 0)->ref == x->a_ref) {
		const struct txs_rec *e = rec(x, i);

		*c = x->a_c;
		return !e->done && ts >= e->before && key - e->acc == x->a_c ?
		    (long)i : -1;
	}
	for (i = 0; i < x->n; i++)
		if (fits(x, rec(x, i), key, ts, c))
			return (long)i;
	return -1;
}

void
txs_stamp(struct txs *x, uint32_t key, struct stamp ts)
{
	struct txs_rec *e;
	uint32_t c;
	long i;

	if ((i = find(x, key, ts.ns, &c)) < 0) {
		x->st.stray++;
		return;
	}
	e = rec(x, (size_t)i);
	if ((int32_t)(e->ref - x->a_ref) >= 0) {
		x->a_ref = e->ref;
		x->a_c = c;
	}
	rec_stamped(x, e, &ts);
}

void
txs_expire(struct txs *x, struct stamp now)
{
	while (x->n > 0 && (rec(x, 0)->done ||
	    now.ns - rec(x, 0)->before >= TXS_WAIT_NS))
		pop(x);
}

size_t
txs_waiting(const struct txs *x)
{
	return x->waiting;
}

uint32_t
txs_mark(const struct txs *x)
{
	return x->acc;
}

void
txs_waiting_since(const struct txs *x, uint32_t mark, txs_cb *cb, void *arg)
{
	uint32_t since = x->acc - mark, skip;
	size_t i = 0;

	/* the records are in the order sent: those since MARK are the
	 * last ones (older ones may wait too: skip them at once) */
	if (x->n > 0 && (skip = mark - rec(x, 0)->acc) < (uint32_t)x->n &&
	    (int32_t)skip > 0)
		i = skip;
	for (; i < x->n; i++) {
		const struct txs_rec *e = rec(x, i);
		struct stamp before = { e->before };

		if (!e->done && e->token != NULL &&
		    (uint32_t)(e->acc - mark) < since)
			cb(arg, e->token, e->tag, &before);
	}
}

const struct txs_stats *
txs_stats(const struct txs *x)
{
	return &x->st;
}

#if defined(__linux__) && defined(SO_TIMESTAMPING)

int
txs_enable(int fd)
{
	int fl = SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE |
	    SOF_TIMESTAMPING_OPT_ID | SOF_TIMESTAMPING_OPT_TSONLY;

	return setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &fl, sizeof(fl));
}

/* The software timestamp and key of one error-queue message M, if it is
 * a transmit timestamp.  Returns 1 if so. */
static int
parse_errmsg(struct msghdr *m, uint32_t *key, struct stamp *ts)
{
	struct sock_extended_err ee;
	struct cmsghdr *c;
	int have_ts = 0, have_key = 0;

	for (c = CMSG_FIRSTHDR(m); c != NULL; c = CMSG_NXTHDR(m, c)) {
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_TIMESTAMPING &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct timespec))) {
			struct timespec t;
			memcpy(&t, CMSG_DATA(c), sizeof(t));	/* ts[0]: sw */
			*ts = stamp_of_ts(&t);
			have_ts = ts->ns != 0;
		} else if (((c->cmsg_level == IPPROTO_IP &&
		    c->cmsg_type == IP_RECVERR) ||
		    (c->cmsg_level == IPPROTO_IPV6 &&
		    c->cmsg_type == IPV6_RECVERR) ||
		    (c->cmsg_level == SOL_PACKET &&
		    c->cmsg_type == PACKET_TX_TIMESTAMP)) &&
		    c->cmsg_len >= CMSG_LEN(sizeof(ee))) {
			memcpy(&ee, CMSG_DATA(c), sizeof(ee));
			if (ee.ee_errno == ENOMSG &&
			    ee.ee_origin == SO_EE_ORIGIN_TIMESTAMPING &&
			    ee.ee_info == SCM_TSTAMP_SND) {
				*key = ee.ee_data;
				have_key = 1;
			}
		}
	}
	return have_ts && have_key;
}

/* The buffers of the error-queue reads, their control pointers set. */
static struct txs_rxbuf *
rxbuf_new(void)
{
	struct txs_rxbuf *rb = calloc(1, sizeof(*rb));

	for (int i = 0; rb != NULL && i < TXS_RXBATCH; i++)
		rb->mm[i].msg_hdr.msg_control = rb->cb[i];
	return rb;
}

void
txs_drain(struct txs *x, struct stamp now, int all)
{
	struct stamp ts = { 0 };
	uint32_t key = 0;
	int got, want;

	if (x->fd != -1 && x->rb == NULL)
		x->rb = rxbuf_new();
	while (x->fd != -1 && x->rb != NULL) {
		struct mmsghdr *mm = x->rb->mm;

		/* as many as are awaited (all: a full batch), so one read
		 * usually takes a batch's timestamps */
		want = all || x->waiting >= TXS_RXBATCH ? TXS_RXBATCH :
		    x->waiting > 0 ? (int)x->waiting : 1;
		/* the read changed only these of the messages it filled */
		for (int i = 0; i < want; i++) {
			mm[i].msg_hdr.msg_controllen = sizeof(x->rb->cb[i]);
			mm[i].msg_hdr.msg_flags = 0;
		}
		got = recvmmsg(x->fd, mm, (unsigned int)want,
		    MSG_ERRQUEUE | MSG_DONTWAIT, NULL);
		x->st.reads++;
		if (got <= 0)
			break;
		for (int i = 0; i < got; i++)
			if (parse_errmsg(&mm[i].msg_hdr, &key, &ts))
				txs_stamp(x, key, ts);
		/* no more to read, or none awaited: saves a call */
		if (got < want || (x->waiting == 0 && !all))
			break;
	}
	txs_expire(x, now);
}

#else	/* no SO_TIMESTAMPING */

int
txs_enable(int fd)
{
	(void)fd;
	errno = EOPNOTSUPP;
	return -1;
}

void
txs_drain(struct txs *x, struct stamp now, int all)
{
	(void)all;
	txs_expire(x, now);
}

#endif
