/*
 * scamper_sniff.h: a sniff (packet capture) result as plain data.
 *
 * Ownership: scamper_sniff_alloc() returns a zeroed sniff owned by the
 * caller; scamper_sniff_free() frees it with its packets (each packet's
 * bytes) and drops its list and cycle references.  Pointers stored in it
 * must come from malloc().
 */
#ifndef SCAMPER_SNIFF_H
#define SCAMPER_SNIFF_H

#include <stdint.h>
#include <sys/time.h>

#include "scamper_addr.h"
#include "scamper_list.h"

#define SCAMPER_SNIFF_STOP_NONE		0
#define SCAMPER_SNIFF_STOP_ERROR	1
#define SCAMPER_SNIFF_STOP_LIMIT_TIME	2
#define SCAMPER_SNIFF_STOP_LIMIT_PKTC	3
#define SCAMPER_SNIFF_STOP_HALTED	4

struct scamper_sniff_pkt {
	struct timeval	 tv;
	uint8_t		*data;		/* from the IP header on, owned */
	uint16_t	 len;
};

struct scamper_sniff {
	struct scamper_list  *list;	/* reference owned, or NULL */
	struct scamper_cycle *cycle;	/* reference owned, or NULL */
	uint32_t	 userid;
	struct scamper_addr src;	/* address packets arrive on */
	struct timeval	 start, finish;
	uint8_t		 stop_reason;	/* SCAMPER_SNIFF_STOP_* */
	uint32_t	 limit_pktc;
	uint16_t	 limit_time;	/* seconds */
	uint16_t	 icmpid;
	struct scamper_sniff_pkt *pkts;	/* owned array */
	uint32_t	 pktc;
};

/* A zeroed sniff, or NULL (ENOMEM).  Free with scamper_sniff_free(). */
struct scamper_sniff *scamper_sniff_alloc(void);
/* Free S and everything it owns; NULL is ignored. */
void scamper_sniff_free(struct scamper_sniff *s);

#endif
