/*
 * scamper_host.h: a host (DNS query) result as plain data, as scamper
 * 20211212's host command records it (warts record type 14).
 *
 * A host result holds the queries sent (one per attempt: -R retries add
 * more), each with the resource records of its answer, authority and
 * additional sections.  An RR's data is one of an address (A, AAAA), a
 * name (NS, CNAME, PTR), an SOA or an MX block, or none; which one is
 * stored with it (data_kind), as the warts record does.
 *
 * Ownership: scamper_host_alloc() returns a zeroed host owned by the
 * caller; scamper_host_free() frees it with its queries, their records
 * and strings, and drops its list and cycle references.  Pointers
 * stored in it must come from malloc().
 */
#ifndef SCAMPER_HOST_H
#define SCAMPER_HOST_H

#include <stdint.h>
#include <sys/time.h>

#include "scamper_addr.h"
#include "scamper_list.h"

#define SCAMPER_HOST_FLAG_NORECURSE	0x0001	/* RD clear (-r) */

#define SCAMPER_HOST_STOP_NONE		0
#define SCAMPER_HOST_STOP_DONE		1
#define SCAMPER_HOST_STOP_TIMEOUT	2
#define SCAMPER_HOST_STOP_HALTED	3
#define SCAMPER_HOST_STOP_ERROR		4

#define SCAMPER_HOST_CLASS_IN		1

#define SCAMPER_HOST_TYPE_A		1
#define SCAMPER_HOST_TYPE_NS		2
#define SCAMPER_HOST_TYPE_CNAME		5
#define SCAMPER_HOST_TYPE_SOA		6
#define SCAMPER_HOST_TYPE_PTR		12
#define SCAMPER_HOST_TYPE_MX		15
#define SCAMPER_HOST_TYPE_TXT		16
#define SCAMPER_HOST_TYPE_AAAA		28

/* What an RR's data is (the u16 written before it in warts). */
#define SCAMPER_HOST_RR_DATA_NONE	0
#define SCAMPER_HOST_RR_DATA_ADDR	1
#define SCAMPER_HOST_RR_DATA_STR	2
#define SCAMPER_HOST_RR_DATA_SOA	3
#define SCAMPER_HOST_RR_DATA_MX		4

struct scamper_host_soa {
	char		*mname, *rname;		/* owned, or NULL */
	uint32_t	 serial, refresh, retry, expire, minimum;
};

struct scamper_host_mx {
	uint16_t	 preference;
	char		*exchange;		/* owned, or NULL */
};

struct scamper_host_rr {
	uint16_t	 class, type;
	char		*name;			/* owner name, owned or NULL */
	uint32_t	 ttl;
	uint16_t	 data_kind;		/* SCAMPER_HOST_RR_DATA_* */
	struct scamper_addr addr;		/* DATA_ADDR */
	char		*str;			/* DATA_STR, owned */
	struct scamper_host_soa *soa;		/* DATA_SOA, owned */
	struct scamper_host_mx *mx;		/* DATA_MX, owned */
};

struct scamper_host_query {
	struct timeval	 tx, rx;		/* rx 0 if no answer */
	uint16_t	 id;			/* DNS ID */
	uint16_t	 ancount, nscount, arcount;
	struct scamper_host_rr *an, *ns, *ar;	/* owned arrays */
};

struct scamper_host {
	struct scamper_list  *list;	/* reference owned, or NULL */
	struct scamper_cycle *cycle;	/* reference owned, or NULL */
	uint32_t	 userid;
	struct scamper_addr src, dst;	/* dst: the DNS server */
	struct timeval	 start;
	uint16_t	 flags;		/* SCAMPER_HOST_FLAG_* */
	uint16_t	 wait;		/* ms */
	uint8_t		 stop_reason;	/* SCAMPER_HOST_STOP_* */
	uint8_t		 retries;
	uint16_t	 qtype, qclass;
	char		*qname;		/* owned, or NULL */
	struct scamper_host_query *queries;	/* owned array */
	uint8_t		 qcount;
};

/* A zeroed host, or NULL (ENOMEM).  Free with scamper_host_free(). */
struct scamper_host *scamper_host_alloc(void);
/* Free H and everything it owns; NULL is ignored. */
void scamper_host_free(struct scamper_host *h);
/* Free what RR owns (not RR itself). */
void scamper_host_rr_clear(struct scamper_host_rr *rr);

/* "A", "AAAA", "MX", ... for a query or RR type; NULL if unnamed. */
const char *scamper_host_type_tostr(uint16_t type);
/* "IN" for class 1; NULL otherwise. */
const char *scamper_host_class_tostr(uint16_t class);
/* "done", "timeout", ... ; NULL for an unknown reason. */
const char *scamper_host_stop_tostr(uint8_t reason);

#endif
