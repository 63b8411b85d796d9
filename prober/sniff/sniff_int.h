/*
 * sniff_int.h: the sniff technique's state and its expression, shared by
 * m_sniff.c (options, the descriptor), sniff_expr.c (the expression) and
 * sniff_run.c (capturing).  Internal to prober/sniff.
 */
#ifndef PROBER_SNIFF_SNIFF_INT_H
#define PROBER_SNIFF_SNIFF_INT_H

#include <stddef.h>
#include <stdint.h>

#include "scamper_sniff.h"
#include "task.h"
#include "timer.h"

struct sniff_state {
	struct task		*task;
	struct scamper_sniff	*sn;
	int			 af;
	uint8_t			 addr[16];	/* -S: packets arrive with it */
	uint32_t		 ifindex;
	char			 ifname[32];
	char			*expr;		/* the pcap filter, owned */
	uint32_t		 pkts_max;	/* sn->pkts' room */
	int			 done;
	struct timer		 tm;		/* -G */
};

/* Parse the expression ARGV[0..ARGC-1] (the command's operands: the
 * words of "icmp[icmpid] == X", spaces anywhere) into *ICMPID.
 * Returns 0, or -1 with ERR saying what is accepted. */
int sniff_expr_parse(int argc, char *const *argv, uint16_t *icmpid,
    char *err, size_t errlen);

/* The pcap filter for packets of family AF with our address ADDR that
 * are ICMP echo requests or replies with id ICMPID, or ICMP errors
 * quoting one.  Returns it (malloc'd), or NULL (ENOMEM). */
char *sniff_expr_filter(int af, const uint8_t *addr, uint16_t icmpid);

/* Release what STATE holds: its filter (not STATE itself). */
void sniff_state_clear(void *state);

/* The method callbacks of sniff_run.c. */
int sniff_start(struct task *t, char *err, size_t errlen);
int sniff_probe(struct task *t);
void sniff_halt(struct task *t);
void sniff_refused(struct task *t, int err);

#endif
