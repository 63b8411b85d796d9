/*
 * mda.h: the Multipath Detection Algorithm as a pure state machine over
 * probe and reply records: it decides which (flow, TTL) to probe next,
 * learns from replies and losses, and derives the nodes and links the
 * flows saw.  No sockets, no clock, no packets: the tracelb technique
 * (lb_run.c) turns its decisions into packets, and the unit tests drive
 * it directly.
 *
 * Model.  A flow is one flow identifier (a port or checksum value,
 * chosen by the caller from the flow's index).  Probing flow f at TTL t
 * gives f's hop at t: a node (an address that answered), a silence (no
 * answer after every attempt), or nothing yet.  A vertex is what MDA
 * enumerates next hops of: a node, or the silence after a vertex (so a
 * silent router hangs off the vertex before it, up to the gap limit).
 * The root is the prober itself, before the first hop.
 *
 * For each vertex with n - 1 next hops seen, MDA probes flows known to
 * pass the vertex one TTL further until k(n) of them have answered
 * (mda_stop.h).  After MDA-Lite (Vermeulen et al., IMC 2018), a vertex
 * whose next hops turn out to be exactly those of a sibling (a vertex
 * at its TTL) that met that rule stops there: the branches of one
 * diamond, and the interfaces one router answers from per branch, lead
 * to the same next hops.  When a vertex has no such flow left it gets more ("node
 * control"): the cheapest of a new flow at the vertex's TTL or a spare
 * flow of a vertex before it, judged by how often each lands on it.  A
 * vertex with two next hops is checked for per-packet balancing by
 * sending one flow again.
 *
 * A link is reported only where one flow was seen at both ends (with
 * nothing but silences between them, so links cross silent routers and
 * every alias of a rejoining router gets its own), never downstream of
 * a per-packet balancer on that flow: every link reported exists if
 * balancers are per flow.
 */
#ifndef PROBER_TRACELB_MDA_H
#define PROBER_TRACELB_MDA_H

#include <stddef.h>
#include <stdint.h>

#define MDA_NONE	0xffff

enum mda_reply_kind {
	MDA_R_HOP,		/* a router on the way (time exceeded) */
	MDA_R_END,		/* the end of the path (the destination's
				   answer, or an unreachable) */
};

enum mda_next_rc {
	MDA_SEND,		/* a probe to send: *ID */
	MDA_WAIT,		/* nothing to send until a reply or loss */
	MDA_DONE,		/* finished: nothing in flight, nothing to do */
};

enum mda_probe_state {
	MDA_P_PENDING,		/* in flight */
	MDA_P_ANSWERED,
	MDA_P_LOST,		/* its wait ran out */
};

enum mda_probe_kind {
	MDA_K_HOP,		/* finds the flow's hop at this TTL */
	MDA_K_REPEAT,		/* the per-packet check: a flow sent again */
	MDA_K_CONFIRM,		/* a silent hop sent again before a link
				   across it is believed */
};

struct mda_conf {
	double		 alpha;		/* 1 - confidence, in (0, 1) */
	uint32_t	 maxprobes;	/* -Q */
	uint32_t	 maxflows;	/* flow identifiers available */
	uint8_t		 firsthop;	/* -f, 1..255 */
	uint8_t		 attempts;	/* -q, 1.. */
	uint8_t		 gaplimit;	/* -g, 1.. */
	uint8_t		 ppkt;		/* repeats of the per-packet check, 0
					   for none */
};

struct mda_probe {
	uint16_t	 flow;		/* flow index, from 0 */
	uint8_t		 ttl;
	uint8_t		 attempt;	/* 0-based */
	uint16_t	 node;		/* the first answer's node, or MDA_NONE */
	uint16_t	 intent;	/* vertex it looks for flows of (the
					   vertex checked by a repeat, the
					   link by a confirmation), or
					   MDA_NONE */
	uint8_t		 state;		/* enum mda_probe_state */
	uint8_t		 kind;		/* enum mda_probe_kind */
	uint8_t		 p8;		/* node control: the chance it brings
					   INTENT a flow, in 255ths */
};

/* A link: probes of one or more flows saw FROM at some TTL and TO
 * (MDA_NONE: silence up to the gap limit) HOPC TTLs later.  SETS[h]
 * lists the probes sent HOPC - h - 1 TTLs before TO's, ascending. */
struct mda_set {
	uint32_t	*ids;
	uint32_t	 n, cap;
};

struct mda_link {
	uint16_t	 from, to;
	uint8_t		 hopc;
	struct mda_set	*sets;		/* hopc of them */
};

struct mda;

/* A new engine, or NULL (ENOMEM or a bad configuration: EINVAL). */
struct mda *mda_new(const struct mda_conf *c);

/* Free M (NULL is fine). */
void mda_free(struct mda *m);

/* Decide the next step.  MDA_SEND records a new probe, in flight, as
 * number *ID (its fields by mda_probe()).  Returns an enum mda_next_rc,
 * or -1 on ENOMEM. */
int mda_next(struct mda *m, uint32_t *id);

/* Probe ID was answered by ADDR (16 bytes; IPv4 in the first 4, the
 * rest zero) with KIND.  Returns the node ADDR is, or -1 (ENOMEM, or ID
 * unknown: EINVAL).  A second answer to a probe changes nothing but is
 * still given its node. */
int mda_reply(struct mda *m, uint32_t id, const uint8_t *addr, int kind);

/* Probe ID's wait ran out unanswered: it is retried, or its hop is a
 * silence.  Returns 0, or -1 (ENOMEM). */
int mda_lost(struct mda *m, uint32_t id);

/* Change the flow identifiers available to N (from now on; flows
 * already used stay). */
void mda_set_maxflows(struct mda *m, uint32_t n);

/* Probes recorded, and probe ID (NULL if out of range). */
uint32_t mda_probec(const struct mda *m);
const struct mda_probe *mda_probe(const struct mda *m, uint32_t id);

/* What the probes were for. */
struct mda_stats {
	uint32_t	 first;		/* new flows at the first hop */
	uint32_t	 single;	/* new flows past a hop with one vertex */
	uint32_t	 fresh;		/* new flows for node control */
	uint32_t	 spare;		/* a vertex's flows one hop further */
	uint32_t	 ctl;		/* node control with another's flow */
	uint32_t	 backfill, retry, confirm, repeat;
	uint32_t	 stuck;		/* vertices given up (no flows) */
	uint32_t	 lossy;		/* vertices given up (too many of
					   their probes lost: MDA_LOSS_MIN) */
};

/* The counts so far. */
const struct mda_stats *mda_stats(const struct mda *m);

/* Nonzero once the probe budget stopped the search. */
int mda_budget_hit(const struct mda *m);

/* Flows used so far (flow indexes 0 .. mda_flowc() - 1). */
uint32_t mda_flowc(const struct mda *m);

/* Nodes in the order they were found, and node I's address. */
uint16_t mda_nodec(const struct mda *m);
const uint8_t *mda_node_addr(const struct mda *m, uint16_t i);

/* Nonzero if node I ends a path (MDA_R_END). */
int mda_node_terminal(const struct mda *m, uint16_t i);

/* Nonzero if node I's search for next hops was given up because too
 * many of its probes went unanswered (its confidence says how far it
 * got). */
int mda_node_lossy(const struct mda *m, uint16_t i);

/* Nonzero if node I balances per packet (the check saw one flow take
 * two next hops). */
int mda_node_perpkt(const struct mda *m, uint16_t i);

/* How sure the search is that node I has no next hop it missed (0 to
 * 1): MDA's figure for its next hops and flows, or, for a node stopped
 * by the siblings' rule, its sibling's if higher; -1 for a node whose
 * next hops are not looked for. */
double mda_node_confidence(const struct mda *m, uint16_t i);

/* The links the flows saw, into *LINKS (*N of them), in no particular
 * order.  Returns 0, or -1 (ENOMEM).  Free with mda_links_free(). */
int mda_links(const struct mda *m, struct mda_link **links, size_t *n);
void mda_links_free(struct mda_link *links, size_t n);

/* Sort the N elements of SIZE bytes at BASE by CMP(a, b, ARG), in
 * place, without the C library's qsort (see mda_sort.c). */
void mda_sort(void *base, size_t n, size_t size,
    int (*cmp)(const void *, const void *, void *), void *arg);

#endif
