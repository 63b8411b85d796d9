/*
 * scamper_sniff.c: allocation of sniff results.
 */
#include <stdlib.h>

#include "object_int.h"
#include "scamper_sniff.h"

/* Free what s owns besides its list and cycle. */
static void
sniff_release(struct scamper_sniff *s)
{
	for (uint32_t i = 0; s->pkts != NULL && i < s->pktc; i++)
		free(s->pkts[i].data);
	free(s->pkts);
}

OBJECT_LIFECYCLE(sniff, sniff_release)
