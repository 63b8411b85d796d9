/*
 * text_sting.c: sting as text, as scamper 20211212 prints it
 * (scamper-behaviour.md c.4).
 */
#include "render_int.h"
#include "scamper_sting.h"
#include "sbuf.h"

int
text_sting(const void *obj, char **out)
{
	const struct scamper_sting *s = obj;
	struct sbuf sb = { 0 };

	sb_cat(&sb, "sting from ");
	sb_addr(&sb, &s->src);
	sb_printf(&sb, ":%u to ", s->sport);
	sb_addr(&sb, &s->dst);
	sb_printf(&sb, ":%u, %u probes, %ums mean\n data-ack count %u, "
	    "holec %u\n", s->dport, s->count, s->mean, s->dataackc, s->holec);
	for (uint32_t i = 0, k = 0; s->pkts != NULL && i < s->pktc; i++) {
		const struct scamper_sting_pkt *p = &s->pkts[i];

		/* numbered by position among the data-phase packets, from
		 * 1 (as 20211212's sc_warts2text prints them) */
		if (!(p->flags & SCAMPER_STING_PKT_FLAG_DATA))
			continue;
		k++;
		if (p->flags & SCAMPER_STING_PKT_FLAG_HOLE)
			sb_printf(&sb, "  probe %u hole\n", k);
	}
	return sb_finish(&sb, out);
}
