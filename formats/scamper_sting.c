/*
 * scamper_sting.c: allocation of sting results.
 */
#include <stdlib.h>

#include "object_int.h"
#include "scamper_sting.h"

/* Free what s owns besides its list and cycle. */
static void
sting_release(struct scamper_sting *s)
{
	free(s->data);
	object_free_each(s->pkts, s->pktc, sizeof(*s->pkts),
	    offsetof(struct scamper_sting_pkt, data));
}

OBJECT_LIFECYCLE(sting, sting_release)
