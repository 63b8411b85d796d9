/*
 * text_tracelb.c: MDA traceroute as text, as scamper 20211212 prints it
 * (scamper-behaviour.md c.3): a header line, then per node with one link
 * "node -> (hop addrs) -> ... -> next node", per node with several links
 * one "node -> next node" line each.
 */
#include <stdlib.h>

#include "render_int.h"
#include "scamper_tracelb.h"
#include "sbuf.h"

static void
node_addr(struct sbuf *sb, const struct scamper_tracelb *t, int32_t i)
{
	if (i >= 0 && i < t->nodec && scamper_addr_isset(&t->nodes[i].addr))
		sb_addr(sb, &t->nodes[i].addr);
	else
		sb_cat(sb, "*");
}

/* "(a, b, *)" for the addresses seen at one hop, "*" for none. */
static int
hop_summary(struct sbuf *sb, const struct scamper_tracelb_probeset *s)
{
	struct scamper_addr *v;
	size_t n;
	int star;

	if (scamper_tracelb_probeset_addrs(s, &v, &n, &star) != 0)
		return -1;
	if (n == 0) {
		sb_cat(sb, "*");
	} else {
		sb_cat(sb, "(");
		for (size_t i = 0; i < n; i++) {
			if (i > 0)
				sb_cat(sb, ", ");
			sb_addr(sb, &v[i]);
		}
		sb_cat(sb, star ? ", *)" : ")");
	}
	free(v);
	return 0;
}

static int
one_link(struct sbuf *sb, const struct scamper_tracelb *t,
    const struct scamper_tracelb_link *l)
{
	for (uint8_t j = 0; l->sets != NULL && j + 1 < l->hopc; j++) {
		if (hop_summary(sb, &l->sets[j]) != 0)
			return -1;
		sb_cat(sb, " -> ");
	}
	if (l->to >= 0 || l->sets == NULL || l->hopc == 0)
		node_addr(sb, t, l->to);
	else if (hop_summary(sb, &l->sets[l->hopc - 1]) != 0)
		return -1;
	return 0;
}

int
text_tracelb(const void *obj, char **out)
{
	const struct scamper_tracelb *t = obj;
	struct sbuf sb = { 0 };

	text_from_to(&sb, "tracelb", &t->src, &t->dst);
	sb_printf(&sb, ", %u nodes, %u links, %u probes, %u%%\n", t->nodec,
	    t->linkc, t->probec, t->confidence);
	for (uint16_t i = 0; t->nodes != NULL && i < t->nodec; i++) {
		uint16_t n = 0;

		for (uint16_t j = 0; t->links != NULL && j < t->linkc; j++)
			if (t->links[j].from == i)
				n++;
		for (uint16_t j = 0; n > 0 && j < t->linkc; j++) {
			const struct scamper_tracelb_link *l = &t->links[j];

			if (l->from != i)
				continue;
			node_addr(&sb, t, i);
			sb_cat(&sb, " -> ");
			if (n > 1)
				node_addr(&sb, t, l->to);
			else if (one_link(&sb, t, l) != 0)
				sb.oom = 1;
			sb_cat(&sb, "\n");
		}
	}
	return sb_finish(&sb, out);
}
