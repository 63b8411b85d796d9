/*
 * scamper_ping.h: a ping result as plain data.
 *
 * Ownership: scamper_ping_alloc() returns a zeroed ping owned by the
 * caller; scamper_ping_free() frees it and everything it points to (the
 * reply array and each reply's record-route/timestamp arrays, the probe
 * data, the pre-specified timestamp addresses) and drops its list and
 * cycle references.  Replies are kept in probe order, duplicates after the
 * first reply to a probe; add them with scamper_ping_reply_add().
 */
#ifndef SCAMPER_PING_H
#define SCAMPER_PING_H

#include <stdint.h>
#include <sys/time.h>

#include "scamper_addr.h"
#include "scamper_list.h"

#define SCAMPER_PING_STOP_NONE		0
#define SCAMPER_PING_STOP_COMPLETED	1
#define SCAMPER_PING_STOP_ERROR		2
#define SCAMPER_PING_STOP_HALTED	3

#define SCAMPER_PING_METHOD_ICMP_ECHO		0
#define SCAMPER_PING_METHOD_TCP_ACK		1
#define SCAMPER_PING_METHOD_TCP_ACK_SPORT	2
#define SCAMPER_PING_METHOD_UDP			3
#define SCAMPER_PING_METHOD_UDP_DPORT		4
#define SCAMPER_PING_METHOD_ICMP_TIME		5
#define SCAMPER_PING_METHOD_TCP_SYN		6
#define SCAMPER_PING_METHOD_TCP_SYNACK		7
#define SCAMPER_PING_METHOD_TCP_RST		8

#define SCAMPER_PING_FLAG_V4RR		0x001
#define SCAMPER_PING_FLAG_SPOOF		0x002
#define SCAMPER_PING_FLAG_PAYLOAD	0x004
#define SCAMPER_PING_FLAG_TSONLY	0x008
#define SCAMPER_PING_FLAG_TSANDADDR	0x010
#define SCAMPER_PING_FLAG_ICMPSUM	0x020
#define SCAMPER_PING_FLAG_DL		0x040
#define SCAMPER_PING_FLAG_TBT		0x080
#define SCAMPER_PING_FLAG_NOSRC		0x100

#define SCAMPER_PING_REPLY_FLAG_REPLY_TTL	0x01
#define SCAMPER_PING_REPLY_FLAG_REPLY_IPID	0x02
#define SCAMPER_PING_REPLY_FLAG_PROBE_IPID	0x04

struct scamper_ping_reply {
	struct scamper_addr addr;	/* who replied (mandatory) */
	uint16_t	 probe_id;	/* probe sequence, 0-based */
	uint8_t		 flags;		/* SCAMPER_PING_REPLY_FLAG_* */
	uint8_t		 reply_ttl;
	uint8_t		 reply_proto;	/* 1, 58, 6 or 17 */
	uint16_t	 reply_size;
	uint16_t	 reply_ipid, probe_ipid;
	uint32_t	 reply_ipid32;	/* IPv6 fragment ID */
	struct timeval	 tx;		/* tv_sec 0 = unknown */
	uint32_t	 rtt;		/* microseconds */
	uint8_t		 icmp_type, icmp_code;
	uint8_t		 tcp_flags;
	struct scamper_addr *v4rr;	/* record route, owned, NULL if none */
	uint8_t		 v4rrc;
	uint32_t	*tsv;		/* IPv4 timestamps, owned, NULL if none */
	struct scamper_addr *tsaddr;	/* their addresses, owned, or NULL */
	uint8_t		 tsc, tsaddrc;	/* tsaddrc is 0 or tsc */
	uint8_t		 has_tsreply;	/* ICMP timestamp reply present */
	uint32_t	 tso, tsr, tst;	/* originate, receive, transmit */
};

struct scamper_ping {
	struct scamper_list  *list;	/* reference owned, or NULL */
	struct scamper_cycle *cycle;	/* reference owned, or NULL */
	uint32_t	 userid;
	struct scamper_addr src, dst, rtr;
	struct timeval	 start;
	uint8_t		 stop_reason, stop_data;
	uint8_t		*probe_data;	/* pattern or payload, owned */
	uint16_t	 probe_datalen;
	uint16_t	 probe_count, probe_size;
	uint8_t		 probe_wait;	/* whole seconds of the wait */
	uint32_t	 probe_wait_us;	/* microsecond part */
	uint8_t		 probe_ttl, probe_tos;
	uint8_t		 probe_timeout;	/* seconds */
	uint16_t	 reply_count;	/* -o: stop after this many, 0 = all */
	uint16_t	 ping_sent;
	uint8_t		 probe_method;	/* SCAMPER_PING_METHOD_* */
	uint16_t	 probe_sport, probe_dport;
	uint16_t	 probe_icmpsum;
	uint32_t	 probe_tcpseq, probe_tcpack;
	uint16_t	 reply_pmtu;	/* -M pseudo MTU */
	uint32_t	 flags;		/* SCAMPER_PING_FLAG_* */
	struct scamper_addr *tsps;	/* -T tsprespec addresses, owned */
	uint8_t		 tspsc;
	struct scamper_ping_reply *replies;	/* owned array */
	uint16_t	 replyc;
	uint16_t	 reply_alloc;
};

struct scamper_ping_stats {
	uint32_t	 nreplies;	/* probes with at least one reply */
	uint32_t	 ndups;		/* extra replies */
	uint32_t	 nloss;		/* probes sent without a reply */
	uint32_t	 min, max, avg, stddev;	/* microseconds */
};

/* A zeroed ping, or NULL (ENOMEM).  Free with scamper_ping_free(). */
struct scamper_ping *scamper_ping_alloc(void);
/* Free P and everything it owns; NULL is ignored. */
void scamper_ping_free(struct scamper_ping *p);
/* Append a zeroed reply; returns it (valid until the next add) or NULL. */
struct scamper_ping_reply *scamper_ping_reply_add(struct scamper_ping *p);
/* 1 if the replies to P are ICMP (per the method and address family). */
int scamper_ping_reply_is_icmp(const struct scamper_ping *p,
    const struct scamper_ping_reply *r);
/* 1 for the TCP methods, 1 for UDP methods, else 0. */
int scamper_ping_method_is_tcp(uint8_t method);
int scamper_ping_method_is_udp(uint8_t method);
/* Statistics over the replies; RTTs of duplicates are not counted. */
void scamper_ping_stats(const struct scamper_ping *p,
    struct scamper_ping_stats *st);
/* Method name ("icmp-echo", ...) or NULL if unknown. */
const char *scamper_ping_method_tostr(uint8_t method);

#endif
