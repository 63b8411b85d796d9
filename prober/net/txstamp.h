/*
 * txstamp.h: the kernel's transmit timestamps for the probes sent on one
 * socket.
 *
 * On Linux a socket asked for SO_TIMESTAMPING with TX_SOFTWARE, OPT_ID
 * and OPT_TSONLY gets, on its error queue, one message per packet the
 * driver handed on: the software timestamp and a key that the socket
 * counts up, one per packet accepted from us (the "OPT_ID counter").
 * Raw IPv4 and IPv6 sockets with the IP header included and packet
 * sockets all do this.  The key is what ties a timestamp to its probe.
 *
 * The owner says, in the order the kernel saw them, which probes were
 * accepted (txs_sent, with the clock read before they were handed over)
 * and which refused (txs_refused).  A refused packet may or may not have
 * used a key: a firewall's drop does, a routing failure does not; so
 * after a refusal the keys of later probes are known only within a
 * range, which the next timestamp settles.  A timestamp is matched to
 * the oldest waiting probe whose range holds its key and that was not
 * sent after it; matched probes are reported through the callback.  A
 * probe whose timestamp has not come after TXS_WAIT_NS keeps the clock
 * reading taken before it was sent (the callback hears so).
 *
 * Or the times come from copies of the probes as they left (a receive
 * ring's outgoing frames, rxring.h), with no key: each probe is given
 * with a fingerprint of its first bytes (txs_sent_fp, txs_fp), and a
 * copy (txs_copy) is matched to the waiting probe of its fingerprint,
 * looked for first where the last match leaves off, then as the latest
 * probe of its fingerprint (a direct-mapped table: found again after
 * many copies were lost), then TXS_SCAN records on either side of the
 * first (the device may reorder); a copy matching none (the host's
 * other traffic) is a stray.  Such a
 * matcher has no socket (txs_new with -1).
 */
#ifndef PROBER_NET_TXSTAMP_H
#define PROBER_NET_TXSTAMP_H

#include <stddef.h>
#include <stdint.h>

#include "stamp.h"

#define TXS_WAIT_NS	1000000000LL	/* how long a timestamp may take */
#define TXS_SCAN	64		/* records a copy is looked for in,
					   each way from the one expected */

/* Probe TOKEN/TAG was sent at TS (the kernel's timestamp), or, with TS
 * NULL, no timestamp came: the time read before it was sent stands.
 * Called exactly once for each probe given with a token. */
typedef void txs_cb(void *arg, void *token, uint32_t tag,
    const struct stamp *ts);

struct txs_stats {
	uint64_t	 stamped;	/* probes given the kernel's time */
	uint64_t	 missing;	/* no timestamp came in time */
	uint64_t	 stray;		/* timestamps that matched no probe */
	uint64_t	 refused;	/* refusals seen (keys uncertain) */
	uint64_t	 reads;		/* error-queue reads (recvmmsg calls) */
};

struct txs;

/* Ask the kernel for transmit timestamps on FD.  Returns 0, or -1 with
 * errno (the socket then simply gives none). */
int txs_enable(int fd);

/* A matcher for the timestamps of socket FD (-1: no socket; timestamps
 * are then fed with txs_stamp, for tests), reporting to CB(ARG, ...).
 * Returns NULL on ENOMEM. */
struct txs *txs_new(int fd, txs_cb *cb, void *arg);

/* Free X; waiting probes are dropped unreported. */
void txs_free(struct txs *x);

/* Give back X's buffers while nothing waits (made again when used). */
void txs_trim(struct txs *x);

/* The kernel accepted probe TOKEN/TAG, handed over after the clock read
 * BEFORE.  TOKEN NULL: a packet to account for but not report. */
void txs_sent(struct txs *x, void *token, uint32_t tag, struct stamp before);

/* The kernel accepted probe TOKEN/TAG of fingerprint FP (txs_fp), handed
 * over after the clock read BEFORE: its time comes with txs_copy. */
void txs_sent_fp(struct txs *x, void *token, uint32_t tag,
    struct stamp before, uint32_t fp);

/* The fingerprint of the IP packet PKT (LEN bytes): its first bytes. */
uint32_t txs_fp(const uint8_t *pkt, size_t len);

/* A copy of a probe of fingerprint FP left at TS: matched to its probe,
 * or counted a stray. */
void txs_copy(struct txs *x, uint32_t fp, struct stamp ts);

/* The kernel refused a packet (it may have used a key). */
void txs_refused(struct txs *x);

/* Match the timestamp TS with key KEY (what reading the error queue
 * does for each message). */
void txs_stamp(struct txs *x, uint32_t key, struct stamp ts);

/* Read the timestamps waiting on the socket's error queue (until none is
 * awaited, or with ALL until the queue is empty), then give up on probes
 * sent before NOW - TXS_WAIT_NS. */
void txs_drain(struct txs *x, struct stamp now, int all);

/* Give up on probes sent before NOW - TXS_WAIT_NS. */
void txs_expire(struct txs *x, struct stamp now);

/* Probes still waiting for a timestamp. */
size_t txs_waiting(const struct txs *x);

/* A mark: the probes given to txs_sent after it are "since" it. */
uint32_t txs_mark(const struct txs *x);

/* Call CB(ARG, token, tag, &before) for each probe given since MARK
 * (with a token) that still waits for its timestamp: BEFORE is the
 * clock read before it was sent. */
void txs_waiting_since(const struct txs *x, uint32_t mark, txs_cb *cb,
    void *arg);

/* Counters since txs_new. */
const struct txs_stats *txs_stats(const struct txs *x);

#endif
