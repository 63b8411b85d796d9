/*
 * scamper_tracelb.h: an MDA traceroute (tracelb) result as plain data.
 *
 * A tracelb is a graph: nodes (interfaces found) and links between them.
 * A link runs from one node to another (or to nothing, when probing gave
 * up) and spans hopc hops; for each hop it keeps the probe set sent there,
 * and each probe keeps its replies.
 *
 * Ownership: scamper_tracelb_alloc() returns a zeroed tracelb owned by the
 * caller; scamper_tracelb_free() frees it with its node array, link array,
 * each link's probe sets, probes and replies, node names and ICMP
 * extension bytes, and drops its list and cycle references.  Pointers
 * stored in a tracelb must come from malloc() and become the tracelb's.
 */
#ifndef SCAMPER_TRACELB_H
#define SCAMPER_TRACELB_H

#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>

#include "scamper_addr.h"
#include "scamper_list.h"

/* probe methods */
#define SCAMPER_TRACELB_TYPE_UDP_DPORT		1
#define SCAMPER_TRACELB_TYPE_ICMP_ECHO		2
#define SCAMPER_TRACELB_TYPE_UDP_SPORT		3
#define SCAMPER_TRACELB_TYPE_TCP_SPORT		4
#define SCAMPER_TRACELB_TYPE_TCP_ACK_SPORT	5

#define SCAMPER_TRACELB_FLAG_PTR		0x01

/* Why a tracelb ended: ours, beyond 20211212's record (warts flag 27,
 * JSON "stop_reason"); 0 for a record without one. */
#define SCAMPER_TRACELB_STOP_NONE		0
#define SCAMPER_TRACELB_STOP_COMPLETED		1	/* every branch done */
#define SCAMPER_TRACELB_STOP_PROBES		2	/* -Q spent */
#define SCAMPER_TRACELB_STOP_HALTED		3	/* halt, shutdown, signal */
#define SCAMPER_TRACELB_STOP_TIMELIMIT		4	/* its own time limit */
#define SCAMPER_TRACELB_STOP_ERROR		5	/* stop_data: an errno */

#define SCAMPER_TRACELB_NODE_FLAG_QTTL		0x01

#define SCAMPER_TRACELB_REPLY_FLAG_REPLY_TTL	0x01
#define SCAMPER_TRACELB_REPLY_FLAG_TCP		0x02

struct scamper_tracelb_reply {
	struct scamper_addr from;	/* mandatory */
	struct timeval	 rx;
	uint16_t	 ipid;
	uint8_t		 ttl;		/* valid with REPLY_TTL */
	uint8_t		 flags;		/* SCAMPER_TRACELB_REPLY_FLAG_* */
	uint8_t		 icmp_type, icmp_code;	/* not TCP */
	uint8_t		 icmp_q_ttl, icmp_q_tos; /* not TCP */
	uint8_t		 tcp_flags;	/* TCP */
	uint8_t		*icmpext;	/* as in scamper_trace.h, owned */
	uint16_t	 icmpext_len;
};

struct scamper_tracelb_probe {
	struct timeval	 tx;
	uint16_t	 flowid;
	uint8_t		 ttl;
	uint8_t		 attempt;	/* 0-based */
	struct scamper_tracelb_reply *rxs;	/* owned array */
	uint16_t	 rxc;
};

struct scamper_tracelb_probeset {
	struct scamper_tracelb_probe *probes;	/* owned array */
	uint16_t	 probec;
};

struct scamper_tracelb_link {
	uint16_t	 from;		/* index into the node array */
	int32_t		 to;		/* index, or -1 for no node */
	uint8_t		 hopc;		/* hops spanned = probe sets */
	struct scamper_tracelb_probeset *sets;	/* owned array of hopc */
};

struct scamper_tracelb_node {
	struct scamper_addr addr;	/* unset if unknown */
	char		*name;		/* PTR name or NULL (owned) */
	uint8_t		 flags;		/* SCAMPER_TRACELB_NODE_FLAG_* */
	uint8_t		 q_ttl;		/* with NODE_FLAG_QTTL */
	uint16_t	 linkc;		/* links leaving this node */
	/* ours (warts node flag 7, JSON "confidence"): how sure the search
	 * is that no next hop of this node was missed, in parts per
	 * billion, when has_conf */
	uint8_t		 has_conf;
	uint32_t	 conf;
};

struct scamper_tracelb {
	struct scamper_list  *list;	/* reference owned, or NULL */
	struct scamper_cycle *cycle;	/* reference owned, or NULL */
	uint32_t	 userid;
	struct scamper_addr src, dst, rtr;	/* rtr unset unless set */
	struct timeval	 start;
	uint16_t	 sport, dport, probe_size;
	uint8_t		 type;		/* SCAMPER_TRACELB_TYPE_* */
	uint8_t		 firsthop;
	uint8_t		 wait_timeout;	/* seconds */
	uint8_t		 wait_probe;	/* centiseconds */
	uint8_t		 attempts, confidence, tos, gaplimit;
	uint8_t		 flags;		/* SCAMPER_TRACELB_FLAG_* */
	uint8_t		 stop_reason;	/* SCAMPER_TRACELB_STOP_*, ours */
	uint8_t		 stop_data;
	uint32_t	 probec, probec_max;
	struct scamper_tracelb_node *nodes;	/* owned array */
	uint16_t	 nodec;
	struct scamper_tracelb_link *links;	/* owned array */
	uint16_t	 linkc;
};

/* A zeroed tracelb, or NULL (ENOMEM).  Free with scamper_tracelb_free(). */
struct scamper_tracelb *scamper_tracelb_alloc(void);
/* Free T and everything it owns; NULL is ignored. */
void scamper_tracelb_free(struct scamper_tracelb *t);
/* Method name ("udp-dport", ...) or NULL if unknown. */
const char *scamper_tracelb_type_tostr(uint8_t type);
/* Stop reason name ("COMPLETED", ...) or NULL if unknown. */
const char *scamper_tracelb_stop_tostr(uint8_t reason);
/* 1 if the reply is an ICMP time-exceeded or unreachable message, which
 * quotes the probe. */
int scamper_tracelb_reply_is_icmp_q(const struct scamper_tracelb_reply *r);
/* The distinct reply addresses of probe set S in the order scamper prints
 * them, in a new array *OUT of *N (free() it); *UNANSWERED is 1 if some
 * probe had no reply.  Returns 0, or -1 on ENOMEM. */
int scamper_tracelb_probeset_addrs(const struct scamper_tracelb_probeset *s,
    struct scamper_addr **out, size_t *n, int *unanswered);

#endif
