/*
 * mda_int.h: the MDA engine's state, shared by mda.c (records and
 * decisions), mda_ctl.c (finding more flows through a vertex) and
 * mda_links.c (links from the flows).  Internal to prober/tracelb.
 */
#ifndef PROBER_TRACELB_MDA_INT_H
#define PROBER_TRACELB_MDA_INT_H

#include <stdint.h>

#include "mda.h"

/* A flow's hop at one TTL (struct mda_flow.slot): */
#define SLOT_UNPROBED	0	/* not sent yet */
#define SLOT_PENDING	1	/* in flight (over its attempts) */
#define SLOT_ORPHAN	2	/* silent, with no vertex known before */
#define SLOT_V		3	/* SLOT_V + v: the flow was at vertex v */

/* One flow: its hops at TTLs t0 .. t0 + n - 1 (hops are added at the
 * end, and one before t0 by a backfill).  A flow first sent beyond a
 * hop where every flow meets one vertex is taken to have passed it
 * (ASSUMED, at TTL AT) for the statistics, never for a link: a link
 * needs the backfill, the flow sent at AT too. */
struct mda_flow {
	uint16_t	*slot;
	uint16_t	 assumed;
	uint8_t		 at;
	uint8_t		 t0, n, cap;
};

/* A flow seen at a vertex, at TTL ttl; USED once it went further. */
struct mda_vflow {
	uint16_t	 flow;
	uint8_t		 ttl;
	uint8_t		 used;
};

/* A next hop of a vertex and how many of its flows went there. */
struct mda_succ {
	uint16_t	 v;
	uint16_t	 n;
	uint16_t	 seen;		/* of them seen at both ends */
	uint8_t		 backfill;	/* a backfill was asked for */
};

#define VTX_TERMINAL	0x01	/* no next hops to look for */
#define VTX_STUCK	0x02	/* no way to more flows: stop looking */
#define VTX_PERPKT	0x04	/* the per-packet check saw two next hops */
#define VTX_PPDONE	0x08	/* the per-packet check was started */
#define VTX_LOSSY	0x10	/* gave up: too many of its probes lost
				   (with VTX_STUCK) */

/* A vertex gives up once more of the probes sent for it went
 * unanswered than MDA_LOSS_X times what MDA wants answered (its need,
 * at least MDA_LOSS_MIN) plus one hop's -q attempts.  Silent routers
 * cost less than that: one lost probe per silent next hop's flow, or,
 * for node control's new flows, about one per flow gained where half
 * a TTL's answers are silent; answers lost or later than the wait
 * (under load) cost more, and the cap bounds each vertex's probing
 * however many are lost. */
#define MDA_LOSS_MIN	24

/* A vertex: a node (depth 0), or the DEPTH-th silence after the node or
 * silence PARENT.  Invariants: flows[0 .. spare) went one TTL further
 * (or are in flight there); NRES of its flows have an answer or silence
 * one TTL further and NPEND are in flight there. */
struct mda_vtx {
	struct mda_vflow *flows;
	struct mda_succ	*succ;
	uint16_t	 nflows, flowcap, spare;
	uint16_t	 nsucc, succcap;
	uint16_t	 nres, npend;
	uint16_t	 node;		/* MDA_NONE for a silence or the root */
	uint16_t	 parent;	/* a silence's vertex before it */
	uint16_t	 silent;	/* the silence after it, or MDA_NONE */
	uint16_t	 nobs;		/* flows seen at it at ttl */
	uint16_t	 lost;		/* its probes that went unanswered
					   (each attempt; node control's
					   count for the vertex it was for) */
	uint8_t		 ttl;		/* the lowest TTL a flow met it at */
	uint8_t		 depth;
	uint8_t		 flags;
	uint8_t		 ctl;		/* node-control probes in flight */
	uint16_t	 ctl_p;		/* the flows they should bring, in
					   255ths */
	uint8_t		 pp_left;	/* per-packet repeats still to send */
	uint8_t		 rt_on;		/* a silence of its flow RT_FLOW at
					   RT_TTL is being tried again */
	uint8_t		 rt_ttl;
	uint16_t	 rt_flow;
	uint8_t		 pp_ttl;
	uint16_t	 pp_flow, pp_node;
};

/* A link across silences (FROM, TO, HOPC) that one flow suggests: its
 * silent hops are probed again before the link is believed, as a lost
 * answer or a rate limit looks just like a silent router. */
#define GAP_CHECKING	0	/* re-probes in flight or to send */
#define GAP_YES		1	/* every re-probe went unanswered */
#define GAP_NO		2	/* one was answered: the flow tells nothing */

struct mda_gap {
	uint16_t	 from, to;	/* nodes */
	uint16_t	 flow;		/* the flow being checked */
	uint8_t		 hopc;
	uint8_t		 t1;		/* the first silent TTL */
	uint8_t		 state;
	uint8_t		 tosend;	/* re-probes not sent yet */
	uint8_t		 inflight;	/* sent, not settled */
};

struct mda_node {
	uint8_t		 addr[16];
	uint16_t	 v;		/* its vertex */
	uint8_t		 terminal;
};

struct mda {
	struct mda_conf	 c;
	struct mda_probe *probes;
	uint32_t	 probec, probecap;
	uint32_t	 pending;	/* probes in flight */
	struct mda_flow	*flows;
	uint32_t	 flowc, flowcap;
	struct mda_vtx	*vtx;		/* vtx[0] is the root */
	uint16_t	 vtxc, vtxcap;
	struct mda_node	*nodes;
	uint16_t	 nodec, nodecap;
	uint16_t	*nodehash;	/* open addressing: node + 1, 0 empty */
	uint32_t	 hashcap;
	uint32_t	*retry;		/* probes to send again, FIFO */
	uint32_t	 retryc, retrycap, retryhead;
	uint16_t	*back;		/* flows to backfill, FIFO */
	uint32_t	 backc, backcap, backhead;
	struct mda_gap	*gaps;
	uint16_t	 gapc, gapcap;
	uint16_t	 obs_at[256];	/* hops resolved per TTL */
	uint16_t	 fly_at[256];	/* probes in flight per TTL */
	uint16_t	 obs_v[256];	/* the first vertex seen there, + 1 */
	uint8_t		 obs_mixed[256];	/* and another one since */
	uint8_t		 budget_hit;
	struct mda_stats st;
};

#define ROOT	0

/* The flow's hop at TTL (SLOT_UNPROBED outside its range). */
uint16_t mda_slot(const struct mda *m, uint32_t f, unsigned ttl);

/* Flows needed at the next hop before vertex V may stop (0 if none). */
uint32_t mda_need(const struct mda *m, const struct mda_vtx *v);

/* The vertex every flow seen at TTL T met, if every vertex below T
 * has stopped (so no other is to come at T), else MDA_NONE. */
uint16_t mda_hop_single(const struct mda *m, unsigned t);

/* Node-control probes in flight for one vertex at most. */
#define MDA_CTL_MAX	16

/* Start probing a new flow at TTL for INTENT (with chance P8/255 of
 * bringing it a flow) (its hop before is
 * unknown, or the root's at the first hop).  Returns the probe number
 * or -1 (ENOMEM, or no flow identifier left: ENOSPC). */
int64_t mda_send_fresh(struct mda *m, uint8_t ttl, uint16_t intent,
    uint8_t p8);

/* Probe vertex V's next spare flow one TTL further, for INTENT (as
 * mda_send_fresh).
 * Returns the probe number or -1 (ENOMEM, ENOENT: no spare flow). */
int64_t mda_send_spare(struct mda *m, uint16_t v, uint16_t intent,
    uint8_t p8);

/* Nonzero if vertex V has a flow it has not probed further yet. */
int mda_has_spare(const struct mda *m, uint16_t v);

/* The state of the link across silences FROM -> TO spanning HOPC TTLs
 * (GAP_*), or -1 if no flow suggested it. */
int mda_gap_state(const struct mda *m, uint16_t from, uint16_t to,
    uint8_t hopc);

/* Node control (mda_ctl.c): send one probe that may bring vertex W a
 * new flow.  Returns the probe number, -1 on ENOMEM, or -2 if nothing
 * promising is left (W is then stuck). */
int64_t mda_ctl_send(struct mda *m, uint16_t w);

#endif
