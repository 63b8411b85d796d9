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
	for (uint32_t i = 0; s->pkts != NULL && i < s->pktc; i++)
		free(s->pkts[i].data);
	free(s->pkts);
}

OBJECT_LIFECYCLE(sting, sting_release)
