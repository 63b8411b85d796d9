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
	object_free_each(n->probes, n->probec, sizeof(*n->probes),
	    offsetof(struct scamper_neighbourdisc_probe, rxs));
}

OBJECT_LIFECYCLE(neighbourdisc, neighbourdisc_release)
