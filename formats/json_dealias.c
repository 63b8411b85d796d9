/*
 * json_dealias.c: alias resolution as JSON, as sc_warts2json 20211212
 * prints it (version "0.2").
 */
#include <stdio.h>

#include "render_int.h"
#include "scamper_dealias.h"
#include "sbuf.h"

static void
tv(struct sbuf *sb, const char *key, const struct timeval *t)
{
	sb_printf(sb, "\"%s\":{\"sec\":%lu, \"usec\":%lu}", key,
	    (unsigned long)t->tv_sec, (unsigned long)t->tv_usec);
}

/* Method flags by name; the names are shared by all methods. */
static void
flags(struct sbuf *sb, uint8_t fl)
{
	static const char *names[] = { "nobs", "csa" };
	int first = 1;

	if (fl == 0)
		return;
	sb_cat(sb, ", \"flags\":[");
	for (unsigned i = 0; i < 8; i++) {
		if ((fl & (1U << i)) == 0)
			continue;
		sb_cat(sb, first ? "" : ",");
		if (i < sizeof(names) / sizeof(names[0]))
			sb_printf(sb, "\"%s\"", names[i]);
		else
			sb_printf(sb, "\"%u\"", 1U << i);
		first = 0;
	}
	sb_cat(sb, "]");
}

/* How many leading bits A and B have in common (A's length if equal). */
static unsigned
common_bits(const struct scamper_addr *a, const struct scamper_addr *b)
{
	unsigned n = 0;

	for (unsigned i = 0; i < a->len && i < b->len; i++) {
		uint8_t x = a->addr[i] ^ b->addr[i];
		if (x == 0) {
			n += 8;
			continue;
		}
		while (!(x & 0x80)) {
			n++;
			x = (uint8_t)(x << 1);
		}
		return n;
	}
	return n;
}

static void
dealias_params(struct sbuf *sb, const struct scamper_dealias *d)
{
	const struct scamper_dealias_prefixscan *ps = &d->u.prefixscan;

	switch (d->method) {
	case SCAMPER_DEALIAS_METHOD_MERCATOR:
		sb_printf(sb, ", \"attempts\":%u, \"wait_timeout\":%u",
		    d->u.mercator.attempts, d->u.mercator.wait_timeout);
		break;
	case SCAMPER_DEALIAS_METHOD_ALLY:
		sb_printf(sb, ", \"wait_probe\":%u, \"wait_timeout\":%u, "
		    "\"attempts\":%u, \"fudge\":%u", d->u.ally.wait_probe,
		    d->u.ally.wait_timeout, d->u.ally.attempts,
		    d->u.ally.fudge);
		flags(sb, d->u.ally.flags);
		break;
	case SCAMPER_DEALIAS_METHOD_RADARGUN:
		sb_printf(sb, ", \"attempts\":%u, \"wait_probe\":%u, "
		    "\"wait_round\":%u, \"wait_timeout\":%u",
		    d->u.radargun.attempts, d->u.radargun.wait_probe,
		    d->u.radargun.wait_round, d->u.radargun.wait_timeout);
		flags(sb, d->u.radargun.flags);
		break;
	case SCAMPER_DEALIAS_METHOD_PREFIXSCAN:
		sb_cat(sb, ", \"a\":\"");
		sb_addr(sb, &ps->a);
		sb_cat(sb, "\", \"b\":\"");
		sb_addr(sb, &ps->b);
		sb_printf(sb, "/%u\"", ps->prefix);
		if (scamper_addr_isset(&ps->ab)) {
			sb_cat(sb, ", \"ab\":\"");
			sb_addr(sb, &ps->ab);
			/* as 20211212: the bits ab shares with b */
			sb_printf(sb, "/%u\"", common_bits(&ps->ab, &ps->b));
		}
		for (uint16_t i = 0; ps->xs != NULL && i < ps->xsc; i++) {
			sb_cat(sb, i == 0 ? ", \"xs\":[\"" : ", \"");
			sb_addr(sb, &ps->xs[i]);
			sb_cat(sb, i + 1 == ps->xsc ? "\"]" : "\"");
		}
		sb_printf(sb, ", \"attempts\":%u, \"replyc\":%u, \"fudge\":%u, "
		    "\"wait_probe\":%u, \"wait_timeout\":%u", ps->attempts,
		    ps->replyc, ps->fudge, ps->wait_probe, ps->wait_timeout);
		flags(sb, ps->flags);
		break;
	case SCAMPER_DEALIAS_METHOD_BUMP:
		sb_printf(sb, ", \"wait_probe\":%u, \"bump_limit\":%u, "
		    "\"attempts\":%u", d->u.bump.wait_probe,
		    d->u.bump.bump_limit, d->u.bump.attempts);
		break;
	}
}

static void
probedef(struct sbuf *sb, const struct scamper_dealias_probedef *d)
{
	const char *m = scamper_dealias_probedef_method_tostr(d->method);

	sb_printf(sb, "{\"id\":%u, \"src\":\"", d->id);
	sb_addr(sb, &d->src);
	sb_cat(sb, "\", \"dst\":\"");
	sb_addr(sb, &d->dst);
	sb_printf(sb, "\", \"ttl\":%u, \"size\":%u, \"method\":\"%s\"", d->ttl,
	    d->size, m != NULL ? m : "(null)");
	if (scamper_dealias_probedef_is_icmp(d->method))
		sb_printf(sb, ", \"icmp_id\":%u, \"icmp_csum\":%u", d->icmp_id,
		    d->icmp_csum);
	else if (scamper_dealias_probedef_is_udp(d->method))
		sb_printf(sb, ", \"udp_sport\":%u, \"udp_dport\":%u", d->sport,
		    d->dport);
	else if (scamper_dealias_probedef_is_tcp(d->method))
		sb_printf(sb, ", \"tcp_sport\":%u, \"tcp_dport\":%u, "
		    "\"tcp_flags\":%u", d->sport, d->dport, d->tcp_flags);
	if (d->mtu != 0)
		sb_printf(sb, ", \"mtu\":%u", d->mtu);
	sb_cat(sb, "}");
}

static void
reply(struct sbuf *sb, const struct scamper_dealias_reply *r)
{
	sb_cat(sb, "{\"src\":\"");
	sb_addr(sb, &r->src);
	sb_cat(sb, "\", ");
	tv(sb, "rx", &r->rx);
	sb_printf(sb, ", \"ttl\":%u", r->ttl);
	if (r->src.type == SCAMPER_ADDR_IPV4)
		sb_printf(sb, ", \"ipid\": %u", r->ipid);
	else if (r->flags & SCAMPER_DEALIAS_REPLY_FLAG_IPID32)
		sb_printf(sb, ", \"ipid\": %u", r->ipid32);
	sb_printf(sb, ", \"proto\":%u", r->proto);
	if (scamper_dealias_reply_is_icmp(r)) {
		sb_printf(sb, ", \"icmp_type\":%u, \"icmp_code\":%u",
		    r->icmp_type, r->icmp_code);
		if ((r->src.type == SCAMPER_ADDR_IPV4 &&
		    (r->icmp_type == 3 || r->icmp_type == 11)) ||
		    (r->src.type == SCAMPER_ADDR_IPV6 &&
		    (r->icmp_type == 1 || r->icmp_type == 3)))
			sb_printf(sb, ", \"icmp_q_ttl\":%u", r->icmp_q_ttl);
	} else if (r->proto == 6) {
		sb_printf(sb, ", \"tcp_flags\":%u", r->tcp_flags);
	}
	sb_cat(sb, "}");
}

static void
probe(struct sbuf *sb, const struct scamper_dealias *d,
    const struct scamper_dealias_probe *p)
{
	sb_printf(sb, "{\"probedef_id\":%u, \"seq\":%u, ", p->def, p->seq);
	tv(sb, "tx", &p->tx);
	if (p->def < d->defc && d->defs[p->def].dst.type == SCAMPER_ADDR_IPV4)
		sb_printf(sb, ", \"ipid\":%u", p->ipid);
	sb_cat(sb, ", \"replies\":[");
	for (uint16_t j = 0; p->replies != NULL && j < p->replyc; j++) {
		if (j > 0)
			sb_cat(sb, ", ");
		reply(sb, &p->replies[j]);
	}
	sb_cat(sb, "]}");
}

int
json_dealias(const void *obj, char **out)
{
	const struct scamper_dealias *d = obj;
	struct sbuf sb = { 0 };
	const char *m = scamper_dealias_method_tostr(d->method);
	const char *r = scamper_dealias_result_tostr(d->result);

	sb_printf(&sb, "{\"type\":\"dealias\",\"version\":\"0.2\",\"method\":"
	    "\"%s\", \"userid\":%u, \"result\":\"", m != NULL ? m : "(null)",
	    d->userid);
	if (r != NULL)
		sb_printf(&sb, "%s\", ", r);
	else
		sb_printf(&sb, "%u\", ", d->result);
	tv(&sb, "start", &d->start);
	dealias_params(&sb, d);
	sb_cat(&sb, ", \"probedefs\":[");
	for (uint32_t i = 0; d->defs != NULL && i < d->defc; i++) {
		if (i > 0)
			sb_cat(&sb, ", ");
		probedef(&sb, &d->defs[i]);
	}
	sb_cat(&sb, "], \"probes\":[");
	for (uint32_t i = 0; d->probes != NULL && i < d->probec; i++) {
		if (i > 0)
			sb_cat(&sb, ", ");
		probe(&sb, d, &d->probes[i]);
	}
	sb_cat(&sb, "]}");
	return sb_finish(&sb, out);
}
