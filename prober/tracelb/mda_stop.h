/*
 * mda_stop.h: the stopping rule of the Multipath Detection Algorithm
 * (Augustin, Friedman, Teixeira, IMC 2007) and the confidence it gives.
 *
 * A per-flow load balancer with n next hops is modelled as sending each
 * new flow to one of them uniformly at random.  After m flows, the
 * chance that some next hop is still unseen is
 *
 *	miss(n, m) = 1 - P(m draws from n equally likely cells cover all)
 *
 * (computed by a dynamic program over the number of cells seen, which
 * stays exact where the inclusion-exclusion sum cancels badly).  With
 * n - 1 next hops seen, MDA keeps probing until miss(n, m) <= alpha:
 * the smallest such m is the stopping point k(n).  At alpha 0.05 and
 * 0.01 this gives the paper's table (k(2) = 6 and 8, k(25) = 152 and
 * 192, k(99) = 746 and 906).  Pure code: no I/O, no clock.
 */
#ifndef PROBER_TRACELB_MDA_STOP_H
#define PROBER_TRACELB_MDA_STOP_H

#include <stdint.h>

/* The largest n mda_stop_k() answers for; beyond it the answer is
 * UINT16_MAX (never stop). */
#define MDA_STOP_NMAX	256

/* The chance that M uniform draws over N cells leave one unseen (N >= 1;
 * 0 for N == 1). */
double mda_miss(unsigned n, unsigned m);

/* k(N): the flows that must have been seen to be 1 - ALPHA sure that
 * there is no N-th next hop when N - 1 were seen (N >= 2; 0 for N < 2;
 * UINT16_MAX past MDA_STOP_NMAX or if ALPHA is not in (0, 1)).  Results
 * are cached per ALPHA for the process. */
uint16_t mda_stop_k(double alpha, unsigned n);

/* Repeats of one flow that the per-packet check sends at ALPHA: as many
 * as make a second next hop as unlikely to hide as the stopping rule
 * does, k(2) - 1 (at most 255). */
uint8_t mda_ppkt_repeats(double alpha);

/* How sure one can be that a node with S next hops seen after M flows
 * has no other: 1 - mda_miss(S + 1, M), 0 when M is 0. */
double mda_confidence(unsigned s, unsigned m);

#endif
