/*
 * nd_int.h: the neighbourdisc technique's state, shared by
 * m_neighbourdisc.c (options, the descriptor) and nd_run.c (probing,
 * replies, finishing).  Internal to prober/neighbourdisc.
 */
#ifndef PROBER_NEIGHBOURDISC_ND_INT_H
#define PROBER_NEIGHBOURDISC_ND_INT_H

#include <stdint.h>

#include "pkt_nd.h"
#include "scamper_neighbourdisc.h"
#include "task.h"
#include "timer.h"

struct nd_state {
	struct task			*task;
	struct scamper_neighbourdisc	*nd;
	int				 af;
	uint8_t				 dst[16];	/* the target */
	uint8_t				 src[16];	/* our address */
	uint8_t				 mac[PKT_ND_MACLEN];	/* ours */
	uint32_t			 ifindex;
	uint16_t			 probes_max;	/* nd->probes' room */
	uint32_t			 replies;	/* over all probes */
	int				 done;
	struct timer			 tm;		/* the wait after a probe */
};


/* The method callbacks of nd_run.c. */
int nd_start(struct task *t, char *err, size_t errlen);
int nd_probe(struct task *t);
void nd_halt(struct task *t);
void nd_refused(struct task *t, int err);
/* The kernel's transmit time of probe IDX (err 0), recorded as its
 * send time. */
int nd_sent(struct task *t, uint32_t idx, int err, const struct stamp *tx,
    enum stamp_src src);

#endif
