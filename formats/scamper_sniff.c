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
	object_free_each(s->pkts, s->pktc, sizeof(*s->pkts),
	    offsetof(struct scamper_sniff_pkt, data));
}

OBJECT_LIFECYCLE(sniff, sniff_release)
