/*
 * scamper_dealias.h: an alias-resolution (dealias) result as plain data.
 *
 * A dealias holds the method's parameters, the probe definitions (what
 * to send: addresses, method, ports or ICMP ID), and every probe sent
 * with the replies it drew.
 *
 * Ownership: scamper_dealias_alloc() returns a zeroed dealias owned by
 * the caller; scamper_dealias_free() frees it with its probe definitions,
 * probes, replies, ICMP extension bytes and the prefixscan exclusion list,
 * and drops its list and cycle references.  Pointers stored in a dealias
 * must come from malloc() and become the dealias's.
 */
#ifndef SCAMPER_DEALIAS_H
#define SCAMPER_DEALIAS_H

#include <stdint.h>
#include <sys/time.h>

#include "scamper_addr.h"
#include "scamper_list.h"

#define SCAMPER_DEALIAS_METHOD_MERCATOR		1
#define SCAMPER_DEALIAS_METHOD_ALLY		2
#define SCAMPER_DEALIAS_METHOD_RADARGUN		3
#define SCAMPER_DEALIAS_METHOD_PREFIXSCAN	4
#define SCAMPER_DEALIAS_METHOD_BUMP		5

#define SCAMPER_DEALIAS_RESULT_NONE		0
#define SCAMPER_DEALIAS_RESULT_ALIASES		1
#define SCAMPER_DEALIAS_RESULT_NOTALIASES	2
#define SCAMPER_DEALIAS_RESULT_HALTED		3
#define SCAMPER_DEALIAS_RESULT_IPIDECHO		4

#define SCAMPER_DEALIAS_PROBEDEF_METHOD_ICMP_ECHO	1
#define SCAMPER_DEALIAS_PROBEDEF_METHOD_TCP_ACK		2
#define SCAMPER_DEALIAS_PROBEDEF_METHOD_UDP		3
#define SCAMPER_DEALIAS_PROBEDEF_METHOD_TCP_ACK_SPORT	4
#define SCAMPER_DEALIAS_PROBEDEF_METHOD_UDP_DPORT	5
#define SCAMPER_DEALIAS_PROBEDEF_METHOD_TCP_SYN_SPORT	6

#define SCAMPER_DEALIAS_REPLY_FLAG_IPID32	0x01

struct scamper_dealias_probedef {
	uint32_t	 id;		/* its index */
	struct scamper_addr src, dst;
	uint8_t		 method;	/* SCAMPER_DEALIAS_PROBEDEF_METHOD_* */
	uint8_t		 ttl, tos;
	uint16_t	 sport, dport;	/* UDP and TCP methods */
	uint8_t		 tcp_flags;	/* TCP methods */
	uint16_t	 icmp_id, icmp_csum;	/* ICMP method */
	uint16_t	 size, mtu;
};

struct scamper_dealias_reply {
	struct scamper_addr src;	/* mandatory */
	struct timeval	 rx;
	uint8_t		 flags;		/* SCAMPER_DEALIAS_REPLY_FLAG_* */
	uint8_t		 proto;		/* IP protocol: 1, 58, 6, 17 */
	uint8_t		 ttl;
	uint8_t		 icmp_type, icmp_code, icmp_q_ttl;	/* ICMP */
	uint8_t		 tcp_flags;	/* TCP */
	uint16_t	 ipid;		/* IPv4 */
	uint32_t	 ipid32;	/* IPv6 fragment ID */
	uint8_t		*icmpext;	/* as in scamper_trace.h, owned */
	uint16_t	 icmpext_len;
};

struct scamper_dealias_probe {
	uint32_t	 def;		/* probe definition index */
	uint32_t	 seq;		/* per definition */
	struct timeval	 tx;
	uint16_t	 ipid;		/* set in an IPv4 probe */
	struct scamper_dealias_reply *replies;	/* owned array */
	uint16_t	 replyc;
};

struct scamper_dealias_mercator {
	uint8_t		 attempts, wait_timeout;
};

struct scamper_dealias_ally {
	uint16_t	 wait_probe;	/* ms */
	uint8_t		 wait_timeout, attempts;
	uint16_t	 fudge;
	uint8_t		 flags;		/* 0x01 NOBS */
};

struct scamper_dealias_radargun {
	uint16_t	 attempts, wait_probe;	/* rounds, ms */
	uint32_t	 wait_round;	/* ms */
	uint8_t		 wait_timeout, flags;	/* flags 0x01 SHUFFLE */
};

struct scamper_dealias_prefixscan {
	struct scamper_addr a, b, ab;	/* ab unset if none */
	struct scamper_addr *xs;	/* excluded addresses, owned */
	uint16_t	 xsc;
	uint8_t		 xs_le;		/* count stored little-endian (the
					   20211212 writer's bug): kept so
					   such a record is rewritten as is */
	uint8_t		 prefix, attempts, wait_timeout, flags, replyc;
	uint16_t	 fudge, wait_probe;
};

struct scamper_dealias_bump {
	uint16_t	 wait_probe, bump_limit;
	uint8_t		 attempts;
};

struct scamper_dealias {
	struct scamper_list  *list;	/* reference owned, or NULL */
	struct scamper_cycle *cycle;	/* reference owned, or NULL */
	uint32_t	 userid;
	struct timeval	 start;
	uint8_t		 method;	/* SCAMPER_DEALIAS_METHOD_* */
	uint8_t		 result;	/* SCAMPER_DEALIAS_RESULT_* */
	union {				/* by method */
		struct scamper_dealias_mercator mercator;
		struct scamper_dealias_ally ally;
		struct scamper_dealias_radargun radargun;
		struct scamper_dealias_prefixscan prefixscan;
		struct scamper_dealias_bump bump;
	} u;
	struct scamper_dealias_probedef *defs;	/* owned array */
	uint32_t	 defc;
	struct scamper_dealias_probe *probes;	/* owned array */
	uint32_t	 probec;
};

/* A zeroed dealias, or NULL (ENOMEM).  Free with scamper_dealias_free(). */
struct scamper_dealias *scamper_dealias_alloc(void);
/* Free D and everything it owns; NULL is ignored. */
void scamper_dealias_free(struct scamper_dealias *d);
/* Names: "ally", "not-aliases", "icmp-echo", ...; NULL if unknown. */
const char *scamper_dealias_method_tostr(uint8_t method);
const char *scamper_dealias_result_tostr(uint8_t result);
const char *scamper_dealias_probedef_method_tostr(uint8_t method);
/* 1 if probe definition method M is TCP / UDP / ICMP. */
int scamper_dealias_probedef_is_tcp(uint8_t m);
int scamper_dealias_probedef_is_udp(uint8_t m);
int scamper_dealias_probedef_is_icmp(uint8_t m);
/* 1 if R is an ICMP (or ICMPv6) reply. */
int scamper_dealias_reply_is_icmp(const struct scamper_dealias_reply *r);

#endif
