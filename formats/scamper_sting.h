/*
 * scamper_sting.h: a sting (TCP-based one-way loss) result as plain data.
 *
 * Ownership: scamper_sting_alloc() returns a zeroed sting owned by the
 * caller; scamper_sting_free() frees it with its request data and its
 * packets (each packet's bytes), and drops its list and cycle
 * references.  Pointers stored in it must come from malloc().
 */
#ifndef SCAMPER_STING_H
#define SCAMPER_STING_H

#include <stdint.h>
#include <sys/time.h>

#include "scamper_addr.h"
#include "scamper_list.h"

#define SCAMPER_STING_DISTRIBUTION_EXPONENTIAL	1
#define SCAMPER_STING_DISTRIBUTION_PERIODIC	2
#define SCAMPER_STING_DISTRIBUTION_UNIFORM	3

#define SCAMPER_STING_RESULT_NONE		0
#define SCAMPER_STING_RESULT_COMPLETED		1

#define SCAMPER_STING_PKT_FLAG_TX	0x01
#define SCAMPER_STING_PKT_FLAG_RX	0x02
#define SCAMPER_STING_PKT_FLAG_DATA	0x04
#define SCAMPER_STING_PKT_FLAG_HOLE	0x08

struct scamper_sting_pkt {
	uint8_t		 flags;		/* SCAMPER_STING_PKT_FLAG_* */
	struct timeval	 tv;
	uint8_t		*data;		/* from the IP header on, owned */
	uint16_t	 len;
};

struct scamper_sting {
	struct scamper_list  *list;	/* reference owned, or NULL */
	struct scamper_cycle *cycle;	/* reference owned, or NULL */
	uint32_t	 userid;
	struct scamper_addr src, dst;
	uint16_t	 sport, dport;
	uint16_t	 count;		/* samples */
	uint16_t	 mean;		/* mean inter-probe time, ms */
	uint16_t	 inter;		/* inter-phase delay, ms */
	uint8_t		 dist;		/* SCAMPER_STING_DISTRIBUTION_* */
	uint8_t		 synretx, dataretx, seqskip;
	uint8_t		*data;		/* request bytes, owned (opaque:
					   20211212 writes garbage here) */
	uint16_t	 datalen;
	struct timeval	 start;
	struct timeval	 hsrtt;		/* handshake RTT */
	uint16_t	 dataackc, holec;
	uint8_t		 result;	/* SCAMPER_STING_RESULT_* */
	struct scamper_sting_pkt *pkts;	/* owned array */
	uint32_t	 pktc;
};

/* A zeroed sting, or NULL (ENOMEM).  Free with scamper_sting_free(). */
struct scamper_sting *scamper_sting_alloc(void);
/* Free S and everything it owns; NULL is ignored. */
void scamper_sting_free(struct scamper_sting *s);

#endif
