/*
 * scamper_trace.h: a traceroute result as plain data.
 *
 * Ownership: scamper_trace_alloc() returns a zeroed trace owned by the
 * caller; scamper_trace_free() frees it and everything it points to (hop
 * arrays, strings, ICMP extension bytes, PMTUD/last-ditch/doubletree data)
 * and drops its list and cycle references.  Fields may be filled directly;
 * pointers stored in a trace must come from malloc() and become the
 * trace's.  Hop arrays grow with scamper_trace_hop_add(), whose result is
 * valid until the next add on the same array.
 */
#ifndef SCAMPER_TRACE_H
#define SCAMPER_TRACE_H

#include <stdint.h>
#include <sys/time.h>

#include "scamper_addr.h"
#include "scamper_list.h"

/* stop reasons */
#define SCAMPER_TRACE_STOP_NONE		0
#define SCAMPER_TRACE_STOP_COMPLETED	1
#define SCAMPER_TRACE_STOP_UNREACH	2
#define SCAMPER_TRACE_STOP_ICMP		3
#define SCAMPER_TRACE_STOP_LOOP		4
#define SCAMPER_TRACE_STOP_GAPLIMIT	5
#define SCAMPER_TRACE_STOP_ERROR	6
#define SCAMPER_TRACE_STOP_HOPLIMIT	7
#define SCAMPER_TRACE_STOP_GSS		8
#define SCAMPER_TRACE_STOP_HALTED	9

/* probe methods (warts "trace type") */
#define SCAMPER_TRACE_TYPE_ICMP_ECHO		1
#define SCAMPER_TRACE_TYPE_UDP			2
#define SCAMPER_TRACE_TYPE_TCP			3
#define SCAMPER_TRACE_TYPE_ICMP_ECHO_PARIS	4
#define SCAMPER_TRACE_TYPE_UDP_PARIS		5
#define SCAMPER_TRACE_TYPE_TCP_ACK		6

/* trace flags */
#define SCAMPER_TRACE_FLAG_ALLATTEMPTS	0x001
#define SCAMPER_TRACE_FLAG_PMTUD	0x002
#define SCAMPER_TRACE_FLAG_DL		0x004
#define SCAMPER_TRACE_FLAG_IGNORETTLDST	0x008
#define SCAMPER_TRACE_FLAG_DOUBLETREE	0x010
#define SCAMPER_TRACE_FLAG_ICMPCSUMDP	0x020
#define SCAMPER_TRACE_FLAG_CONSTPAYLOAD	0x040
#define SCAMPER_TRACE_FLAG_RXERR	0x080
#define SCAMPER_TRACE_FLAG_PTR		0x100

/* hop flags */
#define SCAMPER_TRACE_HOP_TS_SOCK_RX	0x01
#define SCAMPER_TRACE_HOP_TS_DL_TX	0x02
#define SCAMPER_TRACE_HOP_TS_DL_RX	0x04
#define SCAMPER_TRACE_HOP_TS_TSC	0x08
#define SCAMPER_TRACE_HOP_REPLY_TTL	0x10
#define SCAMPER_TRACE_HOP_TCP		0x20
#define SCAMPER_TRACE_HOP_UDP		0x40

/* gap actions */
#define SCAMPER_TRACE_GAPACTION_STOP		1
#define SCAMPER_TRACE_GAPACTION_LASTDITCH	2

/* One reply to one probe. */
struct scamper_trace_hop {
	struct scamper_addr addr;	/* who replied (mandatory) */
	char		*name;		/* PTR name or NULL (owned) */
	uint8_t		 probe_ttl;	/* >= 1 */
	uint8_t		 probe_id;	/* attempt number, 1-based */
	uint16_t	 probe_size;
	struct timeval	 tx;		/* probe sent; tv_sec 0 = unknown */
	uint32_t	 rtt;		/* microseconds */
	uint8_t		 flags;		/* SCAMPER_TRACE_HOP_* */
	uint8_t		 reply_ttl;
	uint8_t		 reply_tos;
	uint16_t	 reply_size;
	uint16_t	 reply_ipid;
	uint8_t		 icmp_type, icmp_code;	/* ICMP replies */
	uint8_t		 tcp_flags;		/* TCP replies */
	uint8_t		 icmp_q_ttl, icmp_q_tos; /* quoted header */
	uint16_t	 icmp_q_ipl;
	uint16_t	 icmp_nhmtu;		/* PTB next-hop MTU */
	uint8_t		*icmpext;	/* RFC 4884 objects as in warts
					   (u16 len, u8 class, u8 type, data)*,
					   owned; NULL if none */
	uint16_t	 icmpext_len;
};

struct scamper_trace_hops {
	struct scamper_trace_hop *hops;	/* owned array */
	uint16_t	 hopc;
	uint16_t	 alloc;
};

#define SCAMPER_TRACE_PMTUD_NOTE_PTB		1
#define SCAMPER_TRACE_PMTUD_NOTE_PTB_BAD	2
#define SCAMPER_TRACE_PMTUD_NOTE_SILENCE	3

struct scamper_trace_pmtud_note {
	uint8_t		 type;		/* SCAMPER_TRACE_PMTUD_NOTE_* */
	uint16_t	 nhmtu;
	int32_t		 hop;		/* index into pmtud hops, -1 if none */
};

struct scamper_trace_pmtud {
	uint16_t	 ifmtu, pmtu, outmtu;
	uint8_t		 ver;		/* 0 = absent on disk (means 1) */
	struct scamper_trace_hops hops;
	struct scamper_trace_pmtud_note *notes;	/* owned array */
	uint8_t		 notec;
};

struct scamper_trace_dtree {
	struct scamper_addr lss_stop;	/* unset if none */
	struct scamper_addr gss_stop;
	uint8_t		 firsthop;
	char		*lss;		/* local stop set name or NULL (owned) */
	uint8_t		 flags;		/* 0x01 NOBACK */
};

struct scamper_trace {
	struct scamper_list  *list;	/* reference owned, or NULL */
	struct scamper_cycle *cycle;	/* reference owned, or NULL */
	uint32_t	 userid;
	struct scamper_addr src, dst, rtr;	/* rtr unset unless -r */
	struct timeval	 start;
	uint8_t		 stop_reason, stop_data;
	uint32_t	 flags;		/* SCAMPER_TRACE_FLAG_* */
	uint8_t		 attempts, hoplimit, type, firsthop, tos;
	uint8_t		 wait;		/* seconds */
	uint8_t		 wait_probe;	/* centiseconds */
	uint8_t		 loops, loopaction, gaplimit, gapaction, confidence;
	uint8_t		 squeries;
	uint16_t	 probe_size, sport, dport, offset;
	uint16_t	 hop_count;	/* highest TTL probed */
	uint16_t	 probec;	/* probes sent */
	struct scamper_trace_hops hops;	/* grouped by probe_ttl */
	struct scamper_trace_pmtud *pmtud;	/* owned or NULL */
	struct scamper_trace_hops *lastditch;	/* owned or NULL */
	struct scamper_trace_dtree *dtree;	/* owned or NULL */
};

/* A zeroed trace, or NULL (ENOMEM).  Free with scamper_trace_free(). */
struct scamper_trace *scamper_trace_alloc(void);
/* Free T and everything it owns; NULL is ignored. */
void scamper_trace_free(struct scamper_trace *t);

/* Append a zeroed hop to H; returns it, or NULL (ENOMEM or 65535 hops). */
struct scamper_trace_hop *scamper_trace_hop_add(struct scamper_trace_hops *h);
/* Free the contents of H (not H itself); its array may be kept for a
 * later scamper_trace_hops_alloc (freed or not, it is no longer H's). */
void scamper_trace_hops_clear(struct scamper_trace_hops *h);
/* Give H, empty, an array with room for N hops (contents undefined,
 * hopc 0, alloc >= N), a kept one if there is: returns it, or NULL
 * (ENOMEM). */
struct scamper_trace_hop *scamper_trace_hops_alloc(
    struct scamper_trace_hops *h, uint16_t n);

/* Allocate the optional parts (zeroed); NULL on ENOMEM. */
struct scamper_trace_pmtud *scamper_trace_pmtud_alloc(void);
struct scamper_trace_dtree *scamper_trace_dtree_alloc(void);

/* What a hop's reply was: ICMP at all (neither TCP nor UDP); an ICMP
 * message that quotes the probe (IPv4 unreachable or time exceeded,
 * IPv6 types 1-3); a Packet Too Big / Fragmentation Needed. */
int scamper_trace_hop_is_icmp(const struct scamper_trace_hop *h);
int scamper_trace_hop_is_icmp_q(const struct scamper_trace_hop *h);
int scamper_trace_hop_is_ptb(const struct scamper_trace_hop *h);

/* Names used in text and JSON: "icmp-echo", "COMPLETED", ...; never NULL
 * (unknown values give NULL from these two so callers can print a number). */
const char *scamper_trace_type_tostr(uint8_t type);
const char *scamper_trace_stop_tostr(uint8_t reason);

#endif
