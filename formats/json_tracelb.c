/*
 * json_tracelb.c: MDA traceroute as JSON, as sc_warts2json 20211212
 * prints it (version "0.1").
 *
 * Only nodes with links are printed.  A node with several links shows
 * each (joined by ",") as its "to" node with the probes of the link's
 * first hop.  A node with one link shows its hops joined by "],[": a
 * hop before the last lists one {"addr", "probes"} per reply address
 * (scamper's print order, see scamper_tracelb_probeset_addrs), each with
 * the probes that drew a reply from it, then {"addr":"*"} if a probe went
 * unanswered; the last hop is the "to" node with all its probes, or
 * {"addr":"*"} when the link ends in no node.  A probe shows only the
 * replies from the group's address.
 */
#include <stdio.h>
#include <stdlib.h>

#include "render_int.h"
#include "scamper_tracelb.h"
#include "sbuf.h"

static void
reply(struct sbuf *sb, const struct scamper_tracelb_probe *p,
    const struct scamper_tracelb_reply *r)
{
	int64_t rtt = ((int64_t)r->rx.tv_sec - p->tx.tv_sec) * 1000000 +
	    ((int64_t)r->rx.tv_usec - p->tx.tv_usec);

	sb_printf(sb, "{\"rx\":{\"sec\":%lu, \"usec\":%lu}, \"ttl\":%u, "
	    "\"rtt\":", (unsigned long)r->rx.tv_sec,
	    (unsigned long)r->rx.tv_usec, r->ttl);
	sb_rtt(sb, (uint32_t)rtt);
	if (r->from.type == SCAMPER_ADDR_IPV4)
		sb_printf(sb, ", \"ipid\":%u", r->ipid);
	if (r->flags & SCAMPER_TRACELB_REPLY_FLAG_TCP) {
		sb_printf(sb, ", \"tcp_flags\":%u", r->tcp_flags);
	} else {
		sb_printf(sb, ", \"icmp_type\":%u, \"icmp_code\":%u, "
		    "\"icmp_q_tos\":%u", r->icmp_type, r->icmp_code,
		    r->icmp_q_tos);
		if (scamper_tracelb_reply_is_icmp_q(r))
			sb_printf(sb, ", \"icmp_q_ttl\":%u", r->icmp_q_ttl);
		if (r->icmpext != NULL)
			json_icmpext(sb, r->icmpext, r->icmpext_len);
	}
	sb_cat(sb, "}");
}

/* Probe P with its replies from A; ALL: print it even with none. */
static int
probe(struct sbuf *sb, const struct scamper_tracelb_probe *p,
    const struct scamper_addr *a, int all, int first)
{
	uint16_t n = 0, k = 0;

	for (uint16_t i = 0; p->rxs != NULL && i < p->rxc; i++)
		if (scamper_addr_cmp(&p->rxs[i].from, a) == 0)
			n++;
	if (n == 0 && !all)
		return 0;
	sb_printf(sb, "%s{\"tx\":{\"sec\":%lu, \"usec\":%lu}, \"replyc\":%u, "
	    "\"ttl\":%u, \"attempt\":%u, \"flowid\":%u", first ? "" : ",",
	    (unsigned long)p->tx.tv_sec, (unsigned long)p->tx.tv_usec, n,
	    p->ttl, p->attempt, p->flowid);
	if (n > 0) {
		sb_cat(sb, ", \"replies\":[");
		for (uint16_t i = 0; i < p->rxc; i++) {
			if (scamper_addr_cmp(&p->rxs[i].from, a) != 0)
				continue;
			if (k++ > 0)
				sb_cat(sb, ",");
			reply(sb, p, &p->rxs[i]);
		}
		sb_cat(sb, "]");
	}
	sb_cat(sb, "}");
	return 1;
}

static void
group(struct sbuf *sb, const struct scamper_tracelb_probeset *s,
    const struct scamper_addr *a, int all, int multi)
{
	int first = 1;

	sb_cat(sb, "{\"addr\":\"");
	sb_addr(sb, a);
	/* a node with several links prints "[ " here (observed) */
	sb_cat(sb, multi ? "\", \"probes\":[ " : "\", \"probes\":[");
	for (uint16_t i = 0; s->probes != NULL && i < s->probec; i++)
		if (probe(sb, &s->probes[i], a, all, first))
			first = 0;
	sb_cat(sb, "]}");
}

static int
link_hops(struct sbuf *sb, const struct scamper_tracelb *t,
    const struct scamper_tracelb_link *l, int multi)
{
	/* a node with several links: each link is its "to" node with the
	 * probes of the first hop it spans, whatever its length (observed;
	 * a link to no node there crashes 20211212's sc_warts2json, and
	 * our prober never writes one) */
	if (multi) {
		if (l->to >= 0 && l->to < t->nodec && l->sets != NULL)
			group(sb, &l->sets[0], &t->nodes[l->to].addr, 1, 1);
		else
			sb_cat(sb, "{\"addr\":\"*\"}");
		return 0;
	}
	for (uint8_t j = 0; l->sets != NULL && j < l->hopc; j++) {
		const struct scamper_tracelb_probeset *s = &l->sets[j];
		struct scamper_addr *v;
		size_t n;
		int star;

		if (j > 0)
			sb_cat(sb, "],[");
		if (j + 1 == l->hopc) {
			if (l->to >= 0 && l->to < t->nodec)
				group(sb, s, &t->nodes[l->to].addr, 1, multi);
			else
				sb_cat(sb, "{\"addr\":\"*\"}");
			continue;
		}
		if (scamper_tracelb_probeset_addrs(s, &v, &n, &star) != 0)
			return -1;
		for (size_t i = 0; i < n; i++) {
			if (i > 0)
				sb_cat(sb, ", ");
			group(sb, s, &v[i], 0, multi);
		}
		if (star)
			sb_cat(sb, n > 0 ? ", {\"addr\":\"*\"}" : "{\"addr\":\"*\"}");
		free(v);
	}
	return 0;
}

/* KEY: PPB parts per billion as a percent, no trailing zeros
 * (999999999 -> 99.9999999). */
static void
json_ppb_percent(struct sbuf *sb, const char *key, uint32_t ppb)
{
	char frac[8];
	int n;

	if (ppb > 1000000000)
		ppb = 1000000000;
	snprintf(frac, sizeof(frac), "%07u", ppb % 10000000);
	for (n = 7; n > 0 && frac[n - 1] == '0'; n--)
		frac[n - 1] = '\0';
	sb_printf(sb, ", \"%s\":%u%s%s", key, ppb / 10000000, n > 0 ? "." : "",
	    frac);
}

static uint16_t
node_linkc(const struct scamper_tracelb *t, uint16_t i)
{
	uint16_t n = 0;

	for (uint16_t j = 0; t->links != NULL && j < t->linkc; j++)
		if (t->links[j].from == i)
			n++;
	return n;
}

static int
node(struct sbuf *sb, const struct scamper_tracelb *t, uint16_t i)
{
	const struct scamper_tracelb_node *n = &t->nodes[i];
	uint16_t linkc = node_linkc(t, i);
	int first = 1;

	sb_cat(sb, "{\"addr\":\"");
	if (scamper_addr_isset(&n->addr))
		sb_addr(sb, &n->addr);
	else
		sb_cat(sb, "*");
	sb_cat(sb, "\"");
	if (n->name != NULL)
		sb_json_member(sb, ", \"name\":", n->name);
	if (n->flags & SCAMPER_TRACELB_NODE_FLAG_QTTL)
		sb_printf(sb, ", \"q_ttl\":%u", n->q_ttl);
	sb_printf(sb, ", \"linkc\":%u", linkc);
	if (n->has_conf)	/* ours: percent, parts per billion exact */
		json_ppb_percent(sb, "confidence", n->conf);
	sb_cat(sb, ", \"links\":[[");
	for (uint16_t j = 0; j < t->linkc; j++) {
		if (t->links[j].from != i)
			continue;
		if (!first)
			sb_cat(sb, ",");
		first = 0;
		if (link_hops(sb, t, &t->links[j], linkc > 1) != 0)
			return -1;
	}
	sb_cat(sb, "]]}");
	return 0;
}

int
json_tracelb(const void *obj, char **out)
{
	const struct scamper_tracelb *t = obj;
	struct sbuf sb = { 0 };
	const char *m = scamper_tracelb_type_tostr(t->type);
	int first = 1;

	sb_printf(&sb, "{\"type\":\"tracelb\", \"version\":\"0.1\", "
	    "\"userid\":%u, \"method\":\"%s\"", t->userid,
	    m != NULL ? m : "(null)");
	json_addr(&sb, "src", &t->src);
	json_addr(&sb, "dst", &t->dst);
	json_addr(&sb, "rtr", &t->rtr);
	if (t->type != SCAMPER_TRACELB_TYPE_ICMP_ECHO && m != NULL)
		sb_printf(&sb, ", \"sport\":%u, \"dport\":%u", t->sport,
		    t->dport);
	sb_cat(&sb, ", ");
	json_ftime(&sb, &t->start);
	sb_printf(&sb, ", \"probe_size\":%u, \"firsthop\":%u, \"attempts\":%u, "
	    "\"confidence\":%u, \"tos\":%u, \"gaplimit\":%u, "
	    "\"wait_timeout\":%u, \"wait_probe\":%u, \"probec\":%u, "
	    "\"probec_max\":%u, \"nodec\":%u, \"linkc\":%u", t->probe_size,
	    t->firsthop, t->attempts, t->confidence, t->tos, t->gaplimit,
	    t->wait_timeout, t->wait_probe * 10, t->probec, t->probec_max,
	    t->nodec, t->linkc);
	if (t->stop_reason != 0) {	/* ours */
		const char *r = scamper_tracelb_stop_tostr(t->stop_reason);
		if (r != NULL)
			sb_printf(&sb, ", \"stop_reason\":\"%s\"", r);
		else
			sb_printf(&sb, ", \"stop_reason\":%u", t->stop_reason);
		if (t->stop_data != 0)
			sb_printf(&sb, ", \"stop_data\":%u", t->stop_data);
	}
	for (uint16_t i = 0; t->linkc > 0 && t->nodes != NULL &&
	    i < t->nodec; i++) {
		if (node_linkc(t, i) == 0)
			continue;
		sb_cat(&sb, first ? ", \"nodes\":[" : ",");
		first = 0;
		if (node(&sb, t, i) != 0)
			sb.oom = 1;
	}
	if (!first)
		sb_cat(&sb, "]");
	sb_cat(&sb, "}");
	return sb_finish(&sb, out);
}
