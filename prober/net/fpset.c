/*
 * fpset.c: a bounded set of reply fingerprints (see fpset.h).
 */
#include "config.h"

#include "fpset.h"

static unsigned
bucket(uint64_t fp)
{
	return (unsigned)((fp ^ (fp >> 29) ^ (fp >> 47)) % FPSET_BUCKETS);
}

void
fpset_add(struct fpset *s, uint64_t fp)
{
	unsigned b = bucket(fp);

	if (fp == 0)
		return;
	s->fp[b][s->next[b]] = fp;
	s->next[b] = (uint8_t)((s->next[b] + 1) % FPSET_WAYS);
}

int
fpset_take(struct fpset *s, uint64_t fp)
{
	unsigned b = bucket(fp);

	if (fp == 0)
		return 0;
	for (unsigned i = 0; i < FPSET_WAYS; i++)
		if (s->fp[b][i] == fp) {
			s->fp[b][i] = 0;
			return 1;
		}
	return 0;
}
