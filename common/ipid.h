/*
 * ipid.h: is a series of IP-ID samples drawn from one counter?
 * Pure code (no state, no I/O), shared by the dealias methods, the
 * alias-resolution drivers (tools/aliasdrv) and their tests.
 *
 * A series is the samples in the order their probes were sent, each
 * tagged with the address (probe definition) that gave it.  It is "in
 * sequence" when every step from one sample to the next is an increase
 * of 1 to FUDGE (modulo 2^bits); FUDGE 0 (-O inseq) drops the bound but
 * keeps every step below half the space and the whole series inside one
 * turn of the counter.
 *
 * Byte-swapped counters (a little-endian counter written into the
 * header) count in their swapped value.  Such a series is accepted only
 * when every address shows it by its own samples: they are in sequence
 * swapped and not as they are.  One lucky interleaving of two unrelated
 * counters never is.  With -O nobs they are never accepted.
 */
#ifndef COMMON_IPID_H
#define COMMON_IPID_H

#include <stddef.h>
#include <stdint.h>

struct ipid_sample {
	uint32_t	 id;		/* the IP-ID (16 bits) or IPv6
					   fragment identification (32) */
	uint32_t	 who;		/* the address (definition) */
};

struct ipid_rules {
	uint32_t	 fudge;		/* largest step; 0: unbounded */
	int		 bits;		/* 16 or 32 */
	int		 nobs;		/* never accept byte-swapped */
};

enum ipid_verdict {
	IPID_NO,		/* not one counter */
	IPID_YES,		/* one counter, as the values are */
	IPID_YES_SWAPPED,	/* one counter, counting byte-swapped */
};

/* V with its bytes swapped: the two low bytes (BITS 16) or all four. */
uint32_t ipid_swap(uint32_t v, int bits);

/* Nonzero if the N values at V are in sequence under R (R->nobs is not
 * looked at).  Fewer than two values are not a sequence. */
int ipid_inseq(const uint32_t *v, size_t n, const struct ipid_rules *r);

/* Nonzero if the samples of address WHO in S (N samples) show a
 * byte-swapped counter: at least two, in sequence swapped and not as
 * they are; a step may span the other addresses' samples between, so
 * its bound is FUDGE times the places it spans. */
int ipid_shows_swapped(const struct ipid_sample *s, size_t n, uint32_t who,
    const struct ipid_rules *r);

/* The verdict on series S (N samples, at least two) under R. */
enum ipid_verdict ipid_series(const struct ipid_sample *s, size_t n,
    const struct ipid_rules *r);

/* Nonzero if S (N samples) can be one counter neither as the values are
 * nor byte-swapped (unless R->nobs), even without the evidence
 * ipid_series asks for swapped counters: a series that fails this
 * cannot become in sequence however the later samples fall. */
int ipid_surely_not(const struct ipid_sample *s, size_t n,
    const struct ipid_rules *r);

/* Nonzero if every sample of S (N of them) is zero. */
int ipid_all_zero(const struct ipid_sample *s, size_t n);

#endif
