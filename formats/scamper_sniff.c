/*
 * scamper_sniff.c: allocation of sniff results.
 */
#include <stdlib.h>

#include "scamper_sniff.h"

struct scamper_sniff *
scamper_sniff_alloc(void)
{
	return calloc(1, sizeof(struct scamper_sniff));
}

void
scamper_sniff_free(struct scamper_sniff *s)
{
	if (s == NULL)
		return;
	scamper_list_free(s->list);
	scamper_cycle_free(s->cycle);
	for (uint32_t i = 0; s->pkts != NULL && i < s->pktc; i++)
		free(s->pkts[i].data);
	free(s->pkts);
	free(s);
}
