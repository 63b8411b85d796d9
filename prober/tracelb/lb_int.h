/*
 * lb_int.h: the tracelb technique's state, shared by m_tracelb.c
 * (options), lb_run.c (probing, timers, ending), lb_pkt.c (packets and
 * the probes replies answer) and lb_result.c (the result).  Internal to
 * prober/tracelb.
 */
#ifndef PROBER_TRACELB_LB_INT_H
#define PROBER_TRACELB_LB_INT_H

#include <stdint.h>

#include "method.h"
#include "monotime.h"
#include "stamp.h"
#include "timer.h"

struct mda;
struct ptrnames;
struct scamper_tracelb;
struct task;

enum lb_method {		/* the order of -P's words */
	LB_UDP_DPORT, LB_ICMP_ECHO, LB_UDP_SPORT, LB_TCP_SPORT,
	LB_TCP_ACK_SPORT,
};

/* Why a tracelb ended (the result's stop reason, an extension of
 * 20211212's record). */
enum lb_stop {
	LB_STOP_NONE, LB_STOP_COMPLETED, LB_STOP_BUDGET, LB_STOP_HALTED,
	LB_STOP_TIMELIMIT, LB_STOP_ERROR,
};

/* A reply, compact: the result's struct scamper_tracelb_reply is made
 * from it when the trace ends. */
struct lb_rx {
	struct stamp	 rx;		/* when it was received */
	uint8_t		*ext;		/* ICMP extensions, warts style, owned */
	uint32_t	 probe;
	uint16_t	 node;		/* the engine's node of its source */
	uint16_t	 ipid;
	uint16_t	 extlen;
	uint8_t		 ttl, flags, icmp_type, icmp_code, q_ttl, q_tos;
	uint8_t		 tcp_flags;
};

/* A node's quoted TTL, from its first reply (0 flags: none). */
struct lb_nodeinfo {
	uint8_t		 q_ttl;
	uint8_t		 has_qttl;
};

#define LB_PAYLOAD_MAX	16

struct lb_state {
	struct task		*task;
	struct scamper_tracelb	*t;		/* the result's header */
	struct mda		*mda;
	enum lb_method		 method;
	uint8_t			 af;
	uint8_t			 done;
	uint8_t			 idle;		/* nothing to send until an event */
	uint8_t			 asked;		/* a probe token or -W gap is due */
	uint8_t			 stop, stop_data;	/* enum lb_stop, errno */
	uint8_t			 paylen;	/* UDP/ICMP payload bytes */
	double			 alpha;		/* 1 - confidence */
	uint32_t		 nonce;		/* marks this task's probes */
	uint32_t		 time_limit;	/* seconds, 0: none */
	uint32_t		 flows_reg;	/* flow ids registered (ranges) */
	uint32_t		 flows_max;	/* flow ids the method has */

	struct stamp		*tx;		/* per probe, its send time */
	uint32_t		 txcap;
	struct lb_rx		*rx;
	uint32_t		 rxc, rxcap;
	struct lb_nodeinfo	*ni;
	uint16_t		 nic;
	struct ptrnames		*names;		/* -O ptr, or NULL */

	/* probes in flight, oldest first: their waits end in this order */
	uint32_t		*fifo;
	uint32_t		 fifo_head, fifo_n, fifo_cap;
	struct monotime		*fifo_sent;	/* parallel to fifo */

	struct monotime		 last_mono;	/* when the last probe left */
	struct monotime		 start_mono;
	struct timer		 wait;		/* the oldest probe's wait */
	struct timer		 gap;		/* -W */
	struct timer		 limit;		/* the time limit */
};

/* Release what STATE holds (its engine and records, not STATE itself); timers must be idle. */
void	lb_state_clear(void *state);

/* The flow identifier probe flows of index F carry (the varied port, or
 * the ICMP checksum). */
uint16_t lb_flowid(const struct lb_state *s, uint32_t f);

/* The IP protocol of S's probes. */
uint8_t	lb_proto(const struct lb_state *s);

/* Build probe ID (flow, TTL from the engine) into P; PAY holds its
 * payload (LB_PAYLOAD_MAX bytes). */
void	lb_build(const struct lb_state *s, uint32_t id, struct pkt_probe *p,
	    uint8_t *pay);

/* The probe reply R answers, or -1 (not ours, or inconsistent). */
int64_t	lb_match(const struct lb_state *s, const struct pkt_reply *r);

/* Whether R ends the path (the destination's answer or an
 * unreachable: MDA_R_END) or is a router's (MDA_R_HOP); -1 for a kind
 * of answer that says nothing about the path. */
int	lb_reply_kind(const struct lb_state *s, const struct pkt_reply *r);

/* Record reply R to probe ID from engine node NODE at RX.  Returns 0 or
 * -1 (ENOMEM). */
int	lb_rx_add(struct lb_state *s, uint32_t id, int node,
	    const struct pkt_reply *r, const struct stamp *rx);

/* Fill S->t's nodes and links from the engine and the records.  Returns
 * 0 or -1 (ENOMEM). */
int	lb_result(struct lb_state *s);

/* End the trace with STOP (enum lb_stop) and DATA: timers stop, the
 * result is made, the task finishes (with -O ptr, once the last name
 * lookup is over). */
void	lb_finish(struct lb_state *s, int stop, int data);

/* -O ptr (lb_ptr.c): check a nameserver is known, set the result's flag
 * (returns -1 with a message); look up the name of a node's ADDR when it
 * is first seen; give the result's nodes their names. */
int	lb_ptr_setup(struct lb_state *s, char *err, size_t len);
void	lb_ptr_node(struct lb_state *s, const uint8_t *addr);
void	lb_ptr_apply(struct lb_state *s);

int	lb_start(struct task *t, char *err, size_t errlen);
int	lb_probe(struct task *t);
void	lb_reply(struct task *t, const struct pkt_reply *r,
	    const struct stamp *rx);
int	lb_sent(struct task *t, uint32_t id, int err, const struct stamp *tx,
	    enum stamp_src src);
void	lb_halt(struct task *t);
void	lb_refused(struct task *t, int err);

#endif
