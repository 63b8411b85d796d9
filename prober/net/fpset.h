/*
 * fpset.h: a bounded set of reply fingerprints (dl_fingerprint), for
 * the datalink pool to know which replies it delivered, so that their
 * raw-socket copies are not delivered again.  The raw copy of a reply
 * can come thousands of frames after the datalink's (on a loaded
 * machine the datalink's socket also carries every probe leaving and
 * every fragment), so the set holds FPSET_BUCKETS x FPSET_WAYS entries,
 * each bucket forgetting its oldest first, and an entry is taken once
 * its copy came.  Fingerprint 0 means "none" and is never held.
 */
#ifndef PROBER_NET_FPSET_H
#define PROBER_NET_FPSET_H

#include <stdint.h>

#define FPSET_BUCKETS	8192
#define FPSET_WAYS	8

struct fpset {
	uint64_t	fp[FPSET_BUCKETS][FPSET_WAYS];
	uint8_t		next[FPSET_BUCKETS];	/* each bucket's oldest way */
};

/* Hold FP in S (0: nothing), forgetting its bucket's oldest if full. */
void fpset_add(struct fpset *s, uint64_t fp);

/* 1 if S holds FP, which it then forgets (one copy per add); else 0. */
int fpset_take(struct fpset *s, uint64_t fp);

#endif
