/*
 * scamper_dealias.c: allocation and names for alias-resolution results.
 */
#include <stdlib.h>

#include "object_int.h"
#include "scamper_dealias.h"

/* Free what d owns besides its list and cycle. */
static void
dealias_release(struct scamper_dealias *d)
{
	if (d->method == SCAMPER_DEALIAS_METHOD_PREFIXSCAN)
		free(d->u.prefixscan.xs);
	free(d->defs);
	for (uint32_t i = 0; d->probes != NULL && i < d->probec; i++)
		object_free_each(d->probes[i].replies, d->probes[i].replyc,
		    sizeof(struct scamper_dealias_reply),
		    offsetof(struct scamper_dealias_reply, icmpext));
	free(d->probes);
}

OBJECT_LIFECYCLE(dealias, dealias_release)

const char *
scamper_dealias_method_tostr(uint8_t method)
{
	static const char *m[] = { NULL, "mercator", "ally", "radargun",
	    "prefixscan", "bump" };

	return method < sizeof(m) / sizeof(m[0]) ? m[method] : NULL;
}

const char *
scamper_dealias_result_tostr(uint8_t result)
{
	static const char *r[] = { "none", "aliases", "not-aliases",
	    "halted", "ipid-echo" };

	return result < sizeof(r) / sizeof(r[0]) ? r[result] : NULL;
}

const char *
scamper_dealias_probedef_method_tostr(uint8_t method)
{
	static const char *m[] = { NULL, "icmp-echo", "tcp-ack", "udp",
	    "tcp-ack-sport", "udp-dport", "tcp-syn-sport" };

	return method < sizeof(m) / sizeof(m[0]) ? m[method] : NULL;
}

int
scamper_dealias_probedef_is_tcp(uint8_t m)
{
	return m == SCAMPER_DEALIAS_PROBEDEF_METHOD_TCP_ACK ||
	    m == SCAMPER_DEALIAS_PROBEDEF_METHOD_TCP_ACK_SPORT ||
	    m == SCAMPER_DEALIAS_PROBEDEF_METHOD_TCP_SYN_SPORT;
}

int
scamper_dealias_probedef_is_udp(uint8_t m)
{
	return m == SCAMPER_DEALIAS_PROBEDEF_METHOD_UDP ||
	    m == SCAMPER_DEALIAS_PROBEDEF_METHOD_UDP_DPORT;
}

int
scamper_dealias_probedef_is_icmp(uint8_t m)
{
	return m == SCAMPER_DEALIAS_PROBEDEF_METHOD_ICMP_ECHO;
}

int
scamper_dealias_reply_is_icmp(const struct scamper_dealias_reply *r)
{
	return (r->src.type == SCAMPER_ADDR_IPV4 && r->proto == 1) ||
	    (r->src.type == SCAMPER_ADDR_IPV6 && r->proto == 58);
}
