/*
 * sting_int.h: the sting technique's state, shared by m_sting.c
 * (options) and sting_run.c (the connection and the two phases).
 */
#ifndef PROBER_STING_STING_INT_H
#define PROBER_STING_STING_INT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>

#include "method.h"
#include "tcpconn.h"
#include "timer.h"

struct scamper_sting;
struct task;

#define STING_SYN_RETX	3	/* SYN retransmissions */
#define STING_DATA_RETX	5	/* retransmissions of one hole filler */
#define STING_RTO	1000	/* ms: SYN and filler retransmission */

enum sting_phase {
	SP_LEASE,	/* waiting for the firewall and the datalink */
	SP_SYN,		/* SYN sent */
	SP_DATA,	/* data seeding: one byte per sample past the hole */
	SP_INTER,	/* the pause between the phases */
	SP_HOLE,	/* hole filling */
	SP_DONE,
};

struct sting_state {
	struct task		*task;
	struct scamper_sting	*s;		/* the result */
	int			 af;
	uint8_t			 src[16], dst[16];
	uint16_t		 want_sport;	/* -s, 0: the helper picks */
	struct tcpconn		 c;
	enum sting_phase	 phase;
	uint32_t		 base;		/* sequence of the first hole byte */
	uint16_t		 sent;		/* samples sent so far */
	uint32_t		*txidx;		/* each sample's packet index */
	uint32_t		 filled;	/* bytes the server has in order */
	uint8_t			 retx;		/* the current filler's */
	uint32_t		 synidx;	/* the SYN's packet index */
	struct stamp		 syn_tx;	/* its send time */
	struct stamp		 last_tx;	/* send_rec's last one */
	struct timer		 tm;
};

/* Release what STATE holds (its send records, not STATE itself). */
void	sting_state_clear(void *state);
int	sting_start(struct task *t, char *err, size_t errlen);
int	sting_probe(struct task *t);
void	sting_reply(struct task *t, const struct pkt_reply *r,
	    const struct stamp *rx);
int	sting_sent(struct task *t, uint32_t idx, int err,
	    const struct stamp *tx, enum stamp_src src);
void	sting_halt(struct task *t);
void	sting_refused(struct task *t, int err);
#endif
