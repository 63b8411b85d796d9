/*
 * mdasim.h: a tiny simulated network for driving the MDA engine in unit
 * tests: routers with next hops chosen per flow (by a seeded hash) or
 * per packet, silent routers, a destination that ends paths, random
 * loss (everywhere, or at one router); and its truth: every link some
 * flow can see (between answering routers, across silent ones).
 */
#ifndef TESTS_TRACELB_MDASIM_H
#define TESTS_TRACELB_MDASIM_H

#include <stddef.h>
#include <stdint.h>

#include "mda.h"

#define MSIM_MAXN	128
#define MSIM_MAXSUCC	16

struct msim_node {
	int		 silent;	/* never answers */
	int		 end;		/* the destination: paths end here */
	int		 perpkt;	/* picks a next hop per packet */
	int		 alike;		/* hashes as every other ALIKE node
					   does, choosing by hash range as
					   Linux does: consecutive ones
					   correlate */
	unsigned	 loss_pct;	/* its answers lost, percent (a rate
					   limit, or answers late under load) */
	int		 nsucc;
	int		 succ[MSIM_MAXSUCC];
};

struct msim {
	struct msim_node n[MSIM_MAXN];	/* node 0 is the prober */
	int		 nn;
	uint32_t	 seed;		/* of the per-flow hash */
	uint64_t	 rng;		/* per-packet choices and loss */
	unsigned	 loss_pct;	/* answers lost, percent */
};

/* A network with only the prober (node 0), seeded with SEED. */
void msim_init(struct msim *s, uint32_t seed);

/* Add a node; returns its number. */
int msim_add(struct msim *s, int silent, int end);

/* Make B a next hop of A. */
void msim_link(struct msim *s, int a, int b);

/* Node I's address (16 bytes, 10.0.x.y). */
void msim_addr(int i, uint8_t *addr);

/* What probe (FLOW, TTL) gets: returns the answering node (and *KIND,
 * an enum mda_reply_kind), or -1 for no answer. */
int msim_probe(struct msim *s, unsigned flow, unsigned ttl, int *kind);

/* A link FROM -> TO spanning HOPC TTLs, by node number. */
struct msim_link {
	int		 from, to, hopc;
};

/* Every link some flow can see, into L (at most MAX); returns the
 * number. */
size_t msim_truth(const struct msim *s, struct msim_link *l, size_t max);

struct msim_score {
	size_t		 found, truth, right, wrong;
	uint32_t	 probes;
	int		 done;		/* the engine said MDA_DONE */
};

/* Run engine M over S until it is done, WINDOW probes in flight at most
 * (answered oldest first), and score its links against the truth. */
void msim_run(struct msim *s, struct mda *m, unsigned window,
    struct msim_score *sc);

#endif
