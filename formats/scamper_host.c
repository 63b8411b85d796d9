/*
 * scamper_host.c: allocation and names of host (DNS) results.
 */
#include <stdlib.h>

#include "object_int.h"
#include "scamper_host.h"

void
scamper_host_rr_clear(struct scamper_host_rr *rr)
{
	free(rr->name);
	free(rr->str);
	if (rr->soa != NULL) {
		free(rr->soa->mname);
		free(rr->soa->rname);
		free(rr->soa);
	}
	if (rr->mx != NULL) {
		free(rr->mx->exchange);
		free(rr->mx);
	}
}

static void
rrs_free(struct scamper_host_rr *rrs, uint16_t n)
{
	for (uint16_t i = 0; rrs != NULL && i < n; i++)
		scamper_host_rr_clear(&rrs[i]);
	free(rrs);
}

/* Free what h owns besides its list and cycle. */
static void
host_release(struct scamper_host *h)
{
	for (uint8_t i = 0; h->queries != NULL && i < h->qcount; i++) {
		struct scamper_host_query *q = &h->queries[i];

		rrs_free(q->an, q->ancount);
		rrs_free(q->ns, q->nscount);
		rrs_free(q->ar, q->arcount);
	}
	free(h->queries);
	free(h->qname);
}

OBJECT_LIFECYCLE(host, host_release)

const char *
scamper_host_type_tostr(uint16_t type)
{
	switch (type) {
	case SCAMPER_HOST_TYPE_A:	return "A";
	case SCAMPER_HOST_TYPE_NS:	return "NS";
	case SCAMPER_HOST_TYPE_CNAME:	return "CNAME";
	case SCAMPER_HOST_TYPE_SOA:	return "SOA";
	case SCAMPER_HOST_TYPE_PTR:	return "PTR";
	case SCAMPER_HOST_TYPE_MX:	return "MX";
	case SCAMPER_HOST_TYPE_TXT:	return "TXT";
	case SCAMPER_HOST_TYPE_AAAA:	return "AAAA";
	case 43:			return "DS";
	case 44:			return "SSHFP";
	case 46:			return "RRSIG";
	case 47:			return "NSEC";
	case 48:			return "DNSKEY";
	}
	return NULL;
}

const char *
scamper_host_class_tostr(uint16_t class)
{
	return class == SCAMPER_HOST_CLASS_IN ? "IN" : NULL;
}

const char *
scamper_host_stop_tostr(uint8_t reason)
{
	static const char *const r[] = { "none", "done", "timeout", "halted",
	    "error" };

	return reason < sizeof(r) / sizeof(r[0]) ? r[reason] : NULL;
}
