/*
 * scamper_neighbourdisc.c: allocation of neighbour discovery results.
 */
#include <stdlib.h>

#include "object_int.h"
#include "scamper_neighbourdisc.h"

/* Free what n owns besides its list and cycle. */
static void
neighbourdisc_release(struct scamper_neighbourdisc *n)
{
	free(n->ifname);
	for (uint16_t i = 0; n->probes != NULL && i < n->probec; i++)
		free(n->probes[i].rxs);
	free(n->probes);
}

OBJECT_LIFECYCLE(neighbourdisc, neighbourdisc_release)
