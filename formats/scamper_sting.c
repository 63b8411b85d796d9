/*
 * scamper_sting.c: allocation of sting results.
 */
#include <stdlib.h>

#include "scamper_sting.h"

struct scamper_sting *
scamper_sting_alloc(void)
{
	return calloc(1, sizeof(struct scamper_sting));
}

void
scamper_sting_free(struct scamper_sting *s)
{
	if (s == NULL)
		return;
	scamper_list_free(s->list);
	scamper_cycle_free(s->cycle);
	free(s->data);
	for (uint32_t i = 0; s->pkts != NULL && i < s->pktc; i++)
		free(s->pkts[i].data);
	free(s->pkts);
	free(s);
}
