/*
 * scamper_neighbourdisc.h: a neighbour discovery (ARP / IPv6 neighbour
 * solicitation) result as plain data.
 *
 * Ownership: scamper_neighbourdisc_alloc() returns a zeroed object owned
 * by the caller; scamper_neighbourdisc_free() frees it with its interface
 * name, probes and their replies, and drops its list and cycle
 * references.  Pointers stored in it must come from malloc().
 */
#ifndef SCAMPER_NEIGHBOURDISC_H
#define SCAMPER_NEIGHBOURDISC_H

#include <stdint.h>
#include <sys/time.h>

#include "scamper_addr.h"
#include "scamper_list.h"

#define SCAMPER_NEIGHBOURDISC_METHOD_ARP	1
#define SCAMPER_NEIGHBOURDISC_METHOD_NSOL	2

#define SCAMPER_NEIGHBOURDISC_FLAG_ALLATTEMPTS	0x01
#define SCAMPER_NEIGHBOURDISC_FLAG_FIRSTRESPONSE 0x02

struct scamper_neighbourdisc_reply {
	struct timeval	 rx;
	struct scamper_addr mac;
};

struct scamper_neighbourdisc_probe {
	struct timeval	 tx;
	struct scamper_neighbourdisc_reply *rxs;	/* owned array */
	uint16_t	 rxc;
};

struct scamper_neighbourdisc {
	struct scamper_list  *list;	/* reference owned, or NULL */
	struct scamper_cycle *cycle;	/* reference owned, or NULL */
	uint32_t	 userid;
	char		*ifname;	/* owned, or NULL */
	struct timeval	 start;
	uint8_t		 method;	/* SCAMPER_NEIGHBOURDISC_METHOD_* */
	uint8_t		 flags;		/* SCAMPER_NEIGHBOURDISC_FLAG_* */
	uint16_t	 wait;		/* ms between probes */
	uint16_t	 attempts;
	uint16_t	 replyc;	/* replies wanted (-o) */
	struct scamper_addr src_ip, src_mac, dst_ip, dst_mac;	/* unset
					   if unknown; dst_mac = the answer */
	struct scamper_neighbourdisc_probe *probes;	/* owned array */
	uint16_t	 probec;
	uint8_t		 pad_bug;	/* written with 20211212's probe
					   length bug (warts-format.md 11.4):
					   kept so it is rewritten as is */
};

/* A zeroed object, or NULL (ENOMEM); free with the function below. */
struct scamper_neighbourdisc *scamper_neighbourdisc_alloc(void);
/* Free N and everything it owns; NULL is ignored. */
void scamper_neighbourdisc_free(struct scamper_neighbourdisc *n);

#endif
