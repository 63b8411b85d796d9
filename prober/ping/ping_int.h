/*
 * ping_int.h: the ping technique's state, shared by m_ping.c (options),
 * ping_run.c (probing, timers, finishing) and ping_reply.c (matching and
 * recording replies).  Internal to prober/ping.
 */
#ifndef PROBER_PING_PING_INT_H
#define PROBER_PING_PING_INT_H

#include <stdint.h>

#include "method.h"
#include "monotime.h"
#include "stamp.h"
#include "timer.h"

struct scamper_ping;
struct task;

/* The largest probe data (-B payload) a probe carries. */
#define PING_MAXDATA	65000
/* Probe payloads up to this size are built on the stack. */
#define PING_STACKPAY	1536

enum ping_phase {
	PHASE_PROBING,		/* probes left to send */
	PHASE_WAITING,		/* all sent: waiting -W for replies */
	PHASE_DONE,
};

struct ping_probe {
	struct stamp	 tx;		/* sent (nanoseconds) */
	uint16_t	 ipid;		/* IPv4 */
	uint16_t	 sport;		/* tcp-ack-sport */
	uint8_t		 txf;		/* PING_TX_* */
};

#define PING_TX_KERNEL		0x1	/* tx is the kernel's timestamp */
#define PING_TX_DL		0x2	/* tx is the datalink's timestamp */
#define PING_TX_ANSWERED	0x4	/* a reply was measured against tx */

/* The tag of the Packet Too Big -M sends: not a probe. */
#define PING_TAG_PTB		UINT32_MAX

#define GOT_REPLY	0x1	/* the probe has a reply */
#define GOT_FRAG	0x2	/* ... and a fragmented one (-O tbt) */

/* Invariants: probes[0..sent) were sent, in order; at most one timer
 * (next or wait) runs, per phase. */
struct ping_state {
	struct task		*task;
	struct scamper_ping	*p;		/* the result */
	int			 af;
	uint8_t			 src[16];	/* on the wire (-S with spoof) */
	uint8_t			 dst[16];
	uint8_t			 realsrc[16];	/* ours, embedded with spoof */
	int			 have_src;	/* -S given */
	int			 user_sport;	/* -F given */
	int			 dlts;		/* -O dl: datalink timestamps */
	int			 tbt;		/* -O tbt: -o counts fragmented */
	uint8_t			 proto;		/* of the probes */

	/* what the payload is made of, in order: [2 bytes -C fix]
	 * [12 bytes ICMP timestamps] [our address, spoof] [data] */
	uint8_t			*data;		/* -B payload or -p pattern */
	size_t			 datalen;
	uint8_t			 ipopts[40];	/* -R or -T */
	size_t			 ipoptlen;
	size_t			 fixlen;	/* the bytes before the data */
	int			 cksum_id;	/* IPv6 UDP: checksum = index+1 */

	uint16_t		 ipid_base;
	uint16_t		 seq_base;	/* ICMP: first sequence (-d) */
	uint32_t		 tcp_datalen;	/* TCP payload bytes */

	enum ping_phase		 phase;
	struct ping_probe	*probes;	/* probe_count of them */
	uint16_t		 sent;
	uint16_t		 replied;	/* probes with at least one reply */
	uint16_t		 fragged;	/* ... with a fragmented one (tbt) */
	uint8_t			*got;		/* per probe: GOT_* */
	int			 ptb_sent;	/* -M: a PTB went out */
	struct timer		 next;		/* the next probe is due */
	struct timer		 wait;		/* -W after the last probe */
};

/* Release what STATE holds (its records, not STATE itself);
 * its timers must be idle. */
void	ping_state_clear(void *state);

/* End the ping with REASON/DATA: timers stop, the task finishes. */
void	ping_finish(struct ping_state *s, uint8_t reason, uint8_t data);

/* Nonzero for the TCP and the UDP methods. */
int	ping_is_tcp(const struct ping_state *s);
int	ping_is_udp(const struct ping_state *s);

/* Build and send an ICMP Packet Too Big / Fragmentation Needed for the
 * reply R (which is larger than the pseudo MTU) to its sender. */
void	ping_send_ptb(struct ping_state *s, const struct pkt_reply *r);

/* The datalink -O dl asked for is ready or cannot be had; a probe was
 * seen leaving on it (ping_reply.c). */
void	ping_dl_ready(struct task *t, int err, const char *why);
int	ping_dl_sent(struct task *t, const struct pkt_reply *r,
	    const struct stamp *ts);

int	ping_start(struct task *t, char *err, size_t errlen);
int	ping_probe(struct task *t);
void	ping_reply(struct task *t, const struct pkt_reply *r,
	    const struct stamp *rx);
void	ping_halt(struct task *t);
void	ping_refused(struct task *t, int err);
/* A probe's better send time, or its refusal (method.h sent). */
int	ping_sent(struct task *t, uint32_t idx, int err,
	    const struct stamp *tx, enum stamp_src src);
#endif
