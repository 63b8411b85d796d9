/*
 * tbit_int.h: the tbit technique's state, shared by m_tbit.c (options),
 * tbit_run.c (the connection: lease, handshake, sending and recording,
 * timers, finishing), tbit_app.c (the request) and tbit_tests.c (what
 * each -t type does with the connection and what it infers).
 */
#ifndef PROBER_TBIT_TBIT_INT_H
#define PROBER_TBIT_TBIT_INT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>

#include "method.h"
#include "monotime.h"
#include "tcpconn.h"
#include "timer.h"

struct scamper_tbit;
struct task;

/* Times, in milliseconds. */
#define TBIT_SYN_RTO	1000	/* first SYN retransmission; doubles */
#define TBIT_DATA_RTO	2000	/* our data's retransmission; doubles */
#define TBIT_IDLE	5000	/* no new segment for this long: idle */
#define TBIT_DEADLINE	60000	/* a test ends by then whatever happens */
#define TBIT_MAXDATA	(1 << 20)	/* bytes we take of a response */

/* Results (warts-format.md 8.4). */
#define TBIT_R_NOCONN		1
#define TBIT_R_RST		2
#define TBIT_R_ERROR		3
#define TBIT_R_SYSERR		4
#define TBIT_R_ABORTED		5
#define TBIT_R_NOCONN_RST	6
#define TBIT_R_HALTED		7
#define TBIT_R_BADOPT		8
#define TBIT_R_FIN		9
#define TBIT_R_ZEROWIN		10
#define TBIT_R_PMTUD_NOACK	20
#define TBIT_R_PMTUD_NODATA	21
#define TBIT_R_PMTUD_TOOSMALL	22
#define TBIT_R_PMTUD_NODF	23
#define TBIT_R_PMTUD_FAIL	24
#define TBIT_R_PMTUD_SUCCESS	25
#define TBIT_R_PMTUD_CLEARDF	26
#define TBIT_R_ECN_SUCCESS	30
#define TBIT_R_ECN_INCAPABLE	31
#define TBIT_R_ECN_BADSYNACK	32
#define TBIT_R_ECN_NOECE	33
#define TBIT_R_ECN_NOACK	34
#define TBIT_R_ECN_NODATA	35
#define TBIT_R_NULL_SUCCESS	40
#define TBIT_R_NULL_NODATA	41
#define TBIT_R_SACK_INCAPABLE	50
#define TBIT_R_SACK_SUCCESS	51
#define TBIT_R_SACK_SHIFTED	52
#define TBIT_R_SACK_TIMEOUT	53
#define TBIT_R_SACK_NOSACK	54
#define TBIT_R_ICW_SUCCESS	60
#define TBIT_R_ICW_TOOSHORT	61
#define TBIT_R_ABC_SUCCESS	70
#define TBIT_R_ABC_TOOSHORT	71
#define TBIT_R_ABC_BADICW	72
#define TBIT_R_BLIND_ACCEPTED	80
#define TBIT_R_BLIND_CHALLENGE	81
#define TBIT_R_BLIND_IGNORED	82
#define TBIT_R_BLIND_RST	83
#define TBIT_R_BLIND_SYNNEW	84

enum tbit_phase {
	TP_LEASE,	/* waiting for the firewall and the datalink */
	TP_SYN,		/* SYN sent, waiting for the SYN/ACK */
	TP_TEST,	/* connected: the type's logic runs */
	TP_DONE,
};

struct tbit_state;

/* What one -t type does.  Each hook may be NULL. */
struct tbit_ops {
	/* The SYN's extra TCP flags (ECN: ECE|CWR). */
	uint8_t	 synflags;
	/* The result when the request is never acknowledged, and when
	 * the test's deadline passes. */
	uint16_t r_noack, r_deadline;
	/* The handshake is done: start the test (send the request...). */
	void	(*est)(struct tbit_state *s);
	/* A segment of the server (after the handshake). */
	void	(*seg)(struct tbit_state *s, const struct tcpconn_seg *g,
		    const struct pkt_reply *r);
	/* The type's timer (s->tm) fired. */
	void	(*timer)(struct tbit_state *s);
	/* The request has just been acknowledged by G (before seg). */
	void	(*req_acked)(struct tbit_state *s, const struct tcpconn_seg *g);
};

/* sack-rcvr's view: the holes A and B (segments 3 and 5 of the first
 * flight), what we SACKed (R1: segment 4, R2: 6 on), and what the
 * server's retransmissions showed. */
struct tbit_sack {
	uint32_t	a0, a1, b0, b1;
	uint32_t	r1[2], r2[2];
	int		nseg, dupacks, filled, late, shifted;
	uint32_t	first;		/* record of our first duplicate ACK */
};

struct tbit_state {
	struct task		*task;
	struct scamper_tbit	*t;		/* the result */
	const struct tbit_ops	*ops;
	int			 af;
	uint8_t			 src[16], dst[16];
	int			 have_src;	/* -S */
	uint16_t		 want_sport;	/* -s, 0: the helper picks */
	uint8_t			 attempts;	/* -q */
	uint8_t			 ipopts[40];	/* the SYN's IP options */
	size_t			 ipoptlen;
	struct tcpconn		 c;
	enum tbit_phase		 phase;

	/* the request (tbit_app.c) */
	uint8_t			*req;
	size_t			 reqlen;
	int			 syn_data;	/* the SYN carried it (-f) */
	uint32_t		 req_seq;	/* its first byte */
	int			 req_state;	/* 0 unsent, 1 sent, 2 acked */
	uint8_t			 req_tos;	/* its ECN bits */
	uint8_t			 synack_flags;	/* the SYN/ACK's */
	uint8_t			 synretx;	/* SYN retransmissions */

	/* the receiver's view of the response */
	uint32_t		 rcv_bytes;	/* in order so far */
	int			 got_fin;	/* its FIN came in order */
	int			 got_data;	/* any data at all */
	uint32_t		 high;		/* highest seq+len seen */
	uint32_t		 idle_tx;	/* our data sends (retx count) */

	/* -t abc's parameters: the ICW expected (-i, segments), ACKs per
	 * segment (-a), the byte-counting limit L (-L, segments) */
	uint32_t		 abc_icw, abc_acks, abc_limit;

	/* the type's own */
	uint32_t		 n1, n2;	/* counters */
	uint32_t		 mark;		/* a sequence number it watches */
	uint16_t		 marklen;	/* that segment's size */
	int			 step;
	int			 expired;	/* the deadline passed */
	int			 peer_rst;	/* the server reset: no RST back */
	struct tbit_sack	 sack;

	struct timer		 syn_tm;	/* SYN retransmission */
	struct timer		 req_tm;	/* request retransmission */
	int64_t			 req_rto;
	struct timer		 tm;		/* the type's */
	struct timer		 deadline;	/* TBIT_DEADLINE */
	int64_t			 rto;		/* current retransmission wait */
};

/* ---- tbit_run.c --------------------------------------------------------- */

/* Release what STATE holds (its request, not STATE itself);
 * timers must be idle. */
void	tbit_state_clear(void *state);

/* End the test with RESULT (SCAMPER_TBIT_RESULT_*): a reset goes to the
 * server if connected (so it forgets us), timers stop, the task ends. */
void	tbit_finish(struct tbit_state *s, uint16_t result);

/* Send a segment of the connection with FLAGS, SEQ, ACK, DATA/LEN, TOS
 * (ECN bits) and NSACK SACK blocks, and record it.  Returns 0 or -1
 * (the test is then finished with sys-error). */
int	tbit_send(struct tbit_state *s, uint8_t flags, uint32_t seq,
	    uint32_t ack, const uint8_t *data, size_t len, uint8_t tos,
	    const uint32_t (*sack)[2], int nsack);

/* Send a pure ACK of everything received in order. */
int	tbit_ack(struct tbit_state *s);

/* Send the request (its first transmission or a retransmission), ACK
 * set, ECN bits TOS. */
int	tbit_send_req(struct tbit_state *s, uint8_t tos);

/* Send the IP packet BUF/LEN as it is (a Packet Too Big) and record
 * it.  Returns 0 or -1. */
int	tbit_send_raw(struct tbit_state *s, const struct pkt_probe *p);

/* Take the in-order part of segment G (data and FIN) into the
 * receiver's view: returns the number of new bytes (0 for a duplicate
 * or a segment beyond a hole). */
uint32_t tbit_take(struct tbit_state *s, const struct tcpconn_seg *g);

/* Nonzero if G acknowledges every byte of the request. */
int	tbit_req_acked(const struct tbit_state *s, const struct tcpconn_seg *g);

/* Start, restart or stop the type's timer. */
void	tbit_timer(struct tbit_state *s, int64_t ms);
void	tbit_timer_stop(struct tbit_state *s);

int	tbit_start(struct task *t, char *err, size_t errlen);
int	tbit_probe(struct task *t);
void	tbit_reply(struct task *t, const struct pkt_reply *r,
	    const struct stamp *rx);
int	tbit_sent(struct task *t, uint32_t idx, int err,
	    const struct stamp *tx, enum stamp_src src);
void	tbit_halt(struct task *t);
void	tbit_refused(struct task *t, int err);

/* ---- tbit_app.c --------------------------------------------------------- */

/* Build S's request from its result's application fields: an HTTP GET
 * or a BGP OPEN.  Returns 0, or -1 with a message in ERR. */
int	tbit_app_request(struct tbit_state *s, char *err, size_t len);

/* Parse the -u URL into the result (host, file, https) and, if it
 * names a port, *PORT.  Returns 0, or -1 with a message in ERR. */
int	tbit_app_url(struct scamper_tbit *t, const char *url, uint16_t *port,
	    char *err, size_t len);

/* ---- tbit_tests.c ------------------------------------------------------- */

/* The ops of tbit type TYPE (SCAMPER_TBIT_TYPE_*), or NULL. */
const struct tbit_ops *tbit_ops_of(uint8_t type);

/* ---- tbit_window.c ------------------------------------------------------ */

/* The ops of pmtud, sack-rcvr and abc, or NULL for another TYPE. */
const struct tbit_ops *tbit_window_ops(uint8_t type);

#endif
