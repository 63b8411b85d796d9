/*
 * wartsdump_lb.c: sc_wartsdump's tracelb (MDA traceroute) and dealias
 * records, in the layout of CAIDA's sc_wartsdump 20211212.
 */
#include <stdio.h>

#include "wartsdump.h"

/* ---- tracelb --------------------------------------------------------- */

static void
tracelb_reply(const struct scamper_tracelb_probe *p,
    const struct scamper_tracelb_reply *r)
{
	printf("   reply from: %s, rtt: ", wd_addr(&r->from));
	wd_rtt(&p->tx, &r->rx);
	printf(", ttl: %u", r->ttl);
	if (r->from.type == SCAMPER_ADDR_IPV4)
		printf(", ipid: 0x%04x", r->ipid);
	printf("\n");
	if (r->flags & SCAMPER_TRACELB_REPLY_FLAG_TCP) {
		printf("     tcp flags 0x%02x ", r->tcp_flags);
		wd_tcp_flags(r->tcp_flags);
		printf("\n");
		return;
	}
	printf("     icmp: %u/%u, q-tos: 0x%02x", r->icmp_type, r->icmp_code,
	    r->icmp_q_tos);
	if (scamper_tracelb_reply_is_icmp_q(r))
		printf(", q-ttl: %u", r->icmp_q_ttl);
	printf("\n");
}

static void
tracelb_link(const struct scamper_tracelb *t,
    const struct scamper_tracelb_link *l)
{
	printf(" link %s -> ", wd_addr(&t->nodes[l->from].addr));
	if (l->to >= 0 && l->to < t->nodec)
		printf("%s", wd_addr(&t->nodes[l->to].addr));
	else
		printf("*");
	printf(" hopc %u\n", l->hopc);
	for (uint8_t h = 0; h < l->hopc; h++) {
		const struct scamper_tracelb_probeset *s = &l->sets[h];

		for (uint16_t i = 0; i < s->probec; i++) {
			const struct scamper_tracelb_probe *p = &s->probes[i];

			printf("  probe flowid: %u, ttl: %u, attempt: %u, tx: ",
			    p->flowid, p->ttl, p->attempt);
			wd_tv(&p->tx);
			printf("\n");
			for (uint16_t j = 0; j < p->rxc; j++)
				tracelb_reply(p, &p->rxs[j]);
		}
	}
}

static void
tracelb_type(const struct scamper_tracelb *t)
{
	const char *m = scamper_tracelb_type_tostr(t->type);

	printf(" type: ");
	if (t->type == SCAMPER_TRACELB_TYPE_ICMP_ECHO)
		printf("icmp-echo id: %u", t->sport);
	else if (m != NULL)
		printf("%s %u:%u", m, t->sport, t->dport);
	else
		printf("%u", t->type);
	printf(", tos: 0x%02x\n", t->tos);
}

void
wd_tracelb(const struct scamper_tracelb *t)
{
	printf("tracelb from %s to %s\n", wd_addr(&t->src), wd_addr(&t->dst));
	wd_list_cycle(t->list, t->cycle);
	printf(" user-id: %u\n", t->userid);
	if (scamper_addr_isset(&t->rtr))
		printf(" rtr: %s\n", wd_addr(&t->rtr));
	printf(" start: %s %06lu\n", wd_when(t->start.tv_sec),
	    (unsigned long)t->start.tv_usec);
	tracelb_type(t);
	printf(" firsthop: %u, attempts: %u, confidence: %u\n", t->firsthop,
	    t->attempts, t->confidence);
	printf(" probe-size: %u, wait-probe: %ums, wait-timeout %us\n",
	    t->probe_size, t->wait_probe * 10, t->wait_timeout);
	printf(" nodec: %u, linkc: %u, probec: %u, probec_max: %u\n",
	    t->nodec, t->linkc, t->probec, t->probec_max);
	if (t->flags & SCAMPER_TRACELB_FLAG_PTR)
		printf(" flags: ptr\n");	/* (-O ptr; no other flag is
					   defined) */
	for (uint16_t i = 0; i < t->nodec; i++) {
		const struct scamper_tracelb_node *n = &t->nodes[i];

		printf("node %u %s", i, scamper_addr_isset(&n->addr) ?
		    wd_addr(&n->addr) : "*");
		if (n->flags & SCAMPER_TRACELB_NODE_FLAG_QTTL)
			printf(", q-ttl %u", n->q_ttl);
		if (n->name != NULL)
			printf(", name %s", n->name);
		printf("\n");
		for (uint16_t j = 0; j < t->linkc; j++)
			if (t->links[j].from == i)
				tracelb_link(t, &t->links[j]);
	}
	printf("\n");
}

/* ---- dealias --------------------------------------------------------- */

static void
dealias_method(const struct scamper_dealias *d)
{
	const char *m = scamper_dealias_method_tostr(d->method);
	const struct scamper_dealias_prefixscan *ps = &d->u.prefixscan;

	printf(" method: %s", m != NULL ? m : "?");
	switch (d->method) {
	case SCAMPER_DEALIAS_METHOD_MERCATOR:
		printf(", attempts: %u, timeout: %us\n",
		    d->u.mercator.attempts, d->u.mercator.wait_timeout);
		break;
	case SCAMPER_DEALIAS_METHOD_ALLY:
		printf(", attempts: %u, fudge: %u, wait-probe: %ums, "
		    "wait-timeout: %us", d->u.ally.attempts, d->u.ally.fudge,
		    d->u.ally.wait_probe, d->u.ally.wait_timeout);
		printf("%s\n", (d->u.ally.flags & 1) ? ", nobs" : "");
		break;
	case SCAMPER_DEALIAS_METHOD_RADARGUN:
		printf(", wait-probe: %ums, wait-round: %ums\n",
		    d->u.radargun.wait_probe, d->u.radargun.wait_round);
		printf("  wait-timeout: %us, attempts: %u, probedefc: %u",
		    d->u.radargun.wait_timeout, d->u.radargun.attempts,
		    d->defc);
		printf("\n%s", (d->u.radargun.flags & 1) ?
		    "  flags: shuffle\n" : "");
		break;
	case SCAMPER_DEALIAS_METHOD_PREFIXSCAN:
		printf(", %s:%s/%u", wd_addr(&ps->a), wd_addr(&ps->b),
		    ps->prefix);
		if (scamper_addr_isset(&ps->ab))
			printf(", alias: %s/%u", wd_addr(&ps->ab),
			    ps->ab.type == SCAMPER_ADDR_IPV4 ? 32 : 128);
		printf("\n  attempts: %u, replyc: %u, fudge: %u, "
		    "wait-probe: %ums, wait-timeout: %us", ps->attempts,
		    ps->replyc, ps->fudge, ps->wait_probe, ps->wait_timeout);
		printf("%s\n", (ps->flags & 1) ? ", nobs" : "");
		if (ps->xsc > 0) {
			printf("  exclude:");
			for (uint16_t i = 0; i < ps->xsc; i++)
				printf(" %s", wd_addr(&ps->xs[i]));
			printf("\n");
		}
		break;
	case SCAMPER_DEALIAS_METHOD_BUMP:
		printf(", attempts: %u, wait-probe: %ums, bump-limit: %u\n",
		    d->u.bump.attempts, d->u.bump.wait_probe,
		    d->u.bump.bump_limit);
		break;
	default:
		printf("\n");
	}
}

static void
dump_dealias_def(const struct scamper_dealias_probedef *p)
{
	const char *m = scamper_dealias_probedef_method_tostr(p->method);

	printf(" probedef %u: dst: %s, ttl: %u, tos: 0x%02x\n", p->id,
	    wd_addr(&p->dst), p->ttl, p->tos);
	printf("  src: %s", wd_addr(&p->src));
	if (p->size != 0)
		printf(", size: %u", p->size);
	if (p->mtu != 0)
		printf(", mtu: %u", p->mtu);
	printf("\n  %s", m != NULL ? m : "?");
	if (scamper_dealias_probedef_is_icmp(p->method))
		printf(" csum: %04x, id: %04x", p->icmp_csum, p->icmp_id);
	else if (scamper_dealias_probedef_is_udp(p->method))
		printf(" %u:%u", p->sport, p->dport);
	else if (scamper_dealias_probedef_is_tcp(p->method)) {
		printf(" %u:%u  ", p->sport, p->dport);
		wd_tcp_flags(p->tcp_flags);
	}
	printf("\n");
}

static void
dealias_reply(const struct scamper_dealias_probe *p, uint16_t i)
{
	const struct scamper_dealias_reply *r = &p->replies[i];

	printf("  reply: %u, src: %s, ttl: %u, rtt: ", i, wd_addr(&r->src),
	    r->ttl);
	wd_rtt(&p->tx, &r->rx);
	/* IPv6 has an IP-ID only in a fragment header (ipid32) */
	if (r->flags & SCAMPER_DEALIAS_REPLY_FLAG_IPID32)
		printf(", ipid32: %08x\n", r->ipid32);
	else if (r->src.type == SCAMPER_ADDR_IPV4)
		printf(", ipid: %04x\n", r->ipid);
	else
		printf("\n");
	if (scamper_dealias_reply_is_icmp(r)) {
		int v4 = r->src.type == SCAMPER_ADDR_IPV4;

		printf("  icmp-type: %u, icmp-code: %u", r->icmp_type,
		    r->icmp_code);
		if (v4 ? (r->icmp_type == 3 || r->icmp_type == 11) :
		    (r->icmp_type >= 1 && r->icmp_type <= 3))
			printf(", icmp-q-ttl: %u", r->icmp_q_ttl);
		printf("\n");
	} else if (r->proto == 6) {
		printf("   tcp flags: ");
		wd_tcp_flags(r->tcp_flags);
		printf("\n");
	}
}

void
wd_dealias(const struct scamper_dealias *d)
{
	const char *res = scamper_dealias_result_tostr(d->result);

	printf("dealias");
	if (d->method == SCAMPER_DEALIAS_METHOD_MERCATOR && d->defc > 0)
		printf(" from %s to %s", wd_addr(&d->defs[0].src),
		    wd_addr(&d->defs[0].dst));
	printf("\n");
	wd_list_cycle(d->list, d->cycle);
	wd_user_start(d->userid, &d->start);
	dealias_method(d);
	for (uint32_t i = 0; i < d->defc; i++)
		dump_dealias_def(&d->defs[i]);
	printf(" probes: %u, result: ", d->probec);
	if (res != NULL)
		printf("%s", res);
	else
		printf("%u", d->result);
	if (d->method == SCAMPER_DEALIAS_METHOD_PREFIXSCAN &&
	    (d->u.prefixscan.flags & 2))
		printf(", csa");
	printf("\n");
	for (uint32_t i = 0; i < d->probec; i++) {
		const struct scamper_dealias_probe *p = &d->probes[i];

		printf(" probe: %u, def: %u, seq: %u, tx: ", i, p->def,
		    p->seq);
		wd_tv(&p->tx);
		/* the probe's IP-ID: IPv4 probes only */
		if (p->def >= d->defc ||
		    d->defs[p->def].dst.type == SCAMPER_ADDR_IPV4)
			printf(", ipid: %04x", p->ipid);
		printf("\n");
		for (uint16_t j = 0; j < p->replyc; j++)
			dealias_reply(p, j);
	}
	printf("\n");
}
