/*
 * dealias_int.h: the dealias technique's state, shared by m_dealias.c
 * (options and probe definitions), dealias_probe.c (sending probes,
 * matching and recording replies, the flows, IPv6 fragmentation) and one
 * file per method (dealias_mercator.c, _ally.c, _radargun.c,
 * _prefixscan.c, _bump.c).  Internal to prober/dealias.
 *
 * The result (struct scamper_dealias) is built as the task runs: its
 * probe definitions, and every probe sent with the replies it drew, in
 * the order they were sent.  Probe k of a task carries IPv4 IP-ID
 * 0xffff - 257k (as scamper 20211212), ICMP sequence k, TCP
 * acknowledgment (tcp-ack) or sequence (tcp-syn-sport) number base + k,
 * and an IPv6 UDP probe the UDP checksum k + 1: a reply or a quotation
 * names its probe by any of them.
 *
 * IPv6 definitions with -M are first "primed": each is probed (at most
 * three rounds, -W apart) until a reply comes fragmented, a Packet Too
 * Big having told the target to; only then does the method start, with
 * its first probe numbered pbase.  The priming probes are in the result
 * too.
 */
#ifndef PROBER_DEALIAS_INT_H
#define PROBER_DEALIAS_INT_H

#include <stdint.h>
#include <sys/time.h>

#include "ipid.h"
#include "method.h"
#include "timer.h"

struct scamper_dealias;
struct scamper_dealias_reply;
struct dealias_state;
struct task;

/* The default waits and counts of each method (scamper-behaviour d.4). */
#define DEALIAS_WAIT_TIMEOUT	5	/* s */
#define DEALIAS_TTL		255
#define DEALIAS_DPORT		33435
#define DEALIAS_FUDGE		200
#define DEALIAS_MAXDEFS		65535
#define DEALIAS_MAXPROBES	1000000	/* per task, a bound on memory */

/* What one method does; the generic code calls these. */
struct dealias_ops {
	/* Probing may begin (flows registered, datalink ready).  Returns 0,
	 * or -1 after finishing the task itself. */
	int	(*begin)(struct dealias_state *s);
	/* A pacing token: send at most one probe (dealias_send).  Returns
	 * 1 if one was sent. */
	int	(*probe)(struct dealias_state *s);
	/* Probe PROBE got the reply REP (recorded already). */
	void	(*reply)(struct dealias_state *s, uint32_t probe,
		    const struct scamper_dealias_reply *rep);
	/* The wait timer (dealias_wait) ran out; NULL: the measurement
	 * ends without a verdict (SCAMPER_DEALIAS_RESULT_NONE). */
	void	(*timeout)(struct dealias_state *s);
	/* Most probes definition DEF may be sent (for the flows of the
	 * probe methods that vary the port); NULL: one. */
	uint32_t (*maxseq)(const struct dealias_state *s, uint32_t def);
	void	(*free)(void *ms);
};

/* Run-time facts of one probe definition beside the result's. */
struct dealias_def {
	uint8_t		 proto;		/* IPPROTO_* of its probes */
	uint8_t		 user_sport;	/* its port is the user's (-F, -s) */
	uint8_t		 primed;	/* IPv6 -M: its replies now come
					   fragmented (or the PTB went) */
	uint8_t		 ptb;		/* IPv6 -M: PTBs sent to it */
	uint32_t	 nsent;		/* probes sent to it */
	uint32_t	 last;		/* its latest probe, if nsent */
};

enum dealias_phase {
	DEALIAS_RUNNING,
	DEALIAS_DONE,
};

struct dealias_state {
	struct task		*task;
	struct scamper_dealias	*d;		/* the result */
	const struct dealias_ops *ops;
	void			*ms;		/* the method's own state */
	enum dealias_phase	 phase;
	int			 af;
	uint8_t			 src[16];
	struct dealias_def	*defs;		/* d->defc of them */
	uint32_t		 defcap;
	uint32_t		 probecap;	/* d->probes allocated */
	uint32_t		*seen;		/* replies per probe */
	uint32_t		 tcp_base;	/* tcp-ack ack, tcp-syn seq */
	int			 user_sport;	/* some -F or -s given */
	uint16_t		 base_id;	/* the other definitions' source
						   port or ICMP id */
	int			 dl;		/* IPv6 -M: datalink needed */
	int			 priming;	/* IPv6 -M: making the targets
						   fragment before the method */
	uint32_t		 prime_round, prime_pos;
	uint32_t		 pbase;		/* the method's first probe */
	uint32_t		 wait_probe;	/* ms, between priming probes */
	struct ipid_rules	 rules;		/* fudge, nobs, bits */
	struct timer		 t_probe;	/* the next probe is due */
	struct timer		 t_wait;	/* ops->timeout */
	char			 err[128];	/* why the task failed */
};

/* ---- dealias_probe.c ---------------------------------------------- */

/* Send a probe of definition DEF (records it; the reply comes to
 * ops->reply).  Returns the probe's number, or -1 after finishing the
 * task with an error. */
int	dealias_send(struct dealias_state *s, uint32_t def);

/* Ask for a pacing token MS milliseconds from now (0: at once). */
void	dealias_next(struct dealias_state *s, int64_t ms);

/* Call ops->timeout MS milliseconds from now (replacing a wait that
 * was pending); dealias_wait_cancel stops it. */
void	dealias_wait(struct dealias_state *s, int64_t ms);
void	dealias_wait_cancel(struct dealias_state *s);

/* End the task with RESULT (SCAMPER_DEALIAS_RESULT_*). */
void	dealias_finish(struct dealias_state *s, uint8_t result);

/* Set up the run-time side of the D->defc definitions the options
 * made; USER_SPORT[i] (or NULL) says definition i has the user's port.
 * Returns 0, or -1 (ENOMEM). */
int	dealias_defs_init(struct dealias_state *s, const int *user_sport);

/* Add a probe definition copying TEMPLATE (an index) with destination
 * DST; registers the flows again.  Returns its index, or -1 after
 * finishing the task. */
int	dealias_def_add(struct dealias_state *s, uint32_t tmpl,
	    const uint8_t *dst);

/* Register the flows of every definition (all or none; a busy id moves
 * the task to the next free one unless the user chose the ports).
 * Returns 0, or -1 with a message in ERR. */
int	dealias_flows(struct dealias_state *s, char *err, size_t errlen);

/* The sample probe P gives the IP-ID inference: 1 with *OUT set (who =
 * its definition) if it drew exactly one reply, of the kind its probe
 * draws (dealias_reply_usable), with an IP-ID that is not the probe's
 * own echoed; else 0. */
int	dealias_sample(const struct dealias_state *s, uint32_t p,
	    struct ipid_sample *out);

/* The one reply of probe P if it has exactly one, else NULL. */
const struct scamper_dealias_reply *dealias_only_reply(
	    const struct dealias_state *s, uint32_t p);

/* Nonzero if REP carries a usable IP-ID for the inference: IPv4 (and
 * not the probe's own IP-ID echoed), or IPv6 with a fragment
 * identification. */
int	dealias_reply_has_ipid(const struct dealias_state *s, uint32_t p,
	    const struct scamper_dealias_reply *rep);

/* The IP-ID of REP (16 or 32 bits). */
uint32_t dealias_reply_ipid(const struct scamper_dealias_reply *rep);

/* Nonzero if REP is of the kind probe P draws from the address it
 * went to: an echo reply or a TCP segment from that address, or a port
 * unreachable (from any address: the target's router may answer from
 * another of its interfaces, which is mercator's premise). */
int	dealias_reply_usable(const struct dealias_state *s, uint32_t p,
	    const struct scamper_dealias_reply *rep);

int	dealias_start(struct task *t, char *err, size_t errlen);
int	dealias_probe(struct task *t);
void	dealias_reply(struct task *t, const struct pkt_reply *r,
	    const struct stamp *rx);
int	dealias_sent(struct task *t, uint32_t tag, int err,
	    const struct stamp *tx, enum stamp_src src);
void	dealias_halt(struct task *t);
void	dealias_refused(struct task *t, int err);
/* Release what STATE holds (its definitions and the method's own
 * state; not STATE itself). */
void	dealias_state_clear(void *state);

/* ---- the methods (one file each) ---------------------------------- */

extern const struct dealias_ops dealias_mercator_ops;
extern const struct dealias_ops dealias_ally_ops;
extern const struct dealias_ops dealias_radargun_ops;
extern const struct dealias_ops dealias_prefixscan_ops;
extern const struct dealias_ops dealias_bump_ops;

/* Build each method's own state from the parsed options (m_dealias.c
 * has checked them).  Return 0, or -1 with a message in ERR. */
struct cmd_args;
int	dealias_prefixscan_init(struct dealias_state *s,
	    const struct cmd_args *a, char *err, size_t errlen);

#endif
