/*
 * scamper_neighbourdisc.c: allocation of neighbour discovery results.
 */
#include <stdlib.h>

#include "scamper_neighbourdisc.h"

struct scamper_neighbourdisc *
scamper_neighbourdisc_alloc(void)
{
	return calloc(1, sizeof(struct scamper_neighbourdisc));
}

void
scamper_neighbourdisc_free(struct scamper_neighbourdisc *n)
{
	if (n == NULL)
		return;
	scamper_list_free(n->list);
	scamper_cycle_free(n->cycle);
	free(n->ifname);
	for (uint16_t i = 0; n->probes != NULL && i < n->probec; i++)
		free(n->probes[i].rxs);
	free(n->probes);
	free(n);
}
