/*
 * wartsdump_host.c: sc_wartsdump's host (DNS) records, in the layout of
 * CAIDA's sc_wartsdump 20211212.
 */
#include <stdio.h>

#include "scamper_host.h"
#include "wartsdump.h"

/* B - A as a normalised timeval printed "%ld.%06ld": a negative
 * difference keeps positive microseconds (-2.5 s prints -3.500000), as
 * 20211212 prints the RTT of a query without an answer (rx 0). */
static void
tvdiff(const struct timeval *a, const struct timeval *b)
{
	long sec = (long)b->tv_sec - (long)a->tv_sec;
	long usec = (long)b->tv_usec - (long)a->tv_usec;

	if (usec < 0) {
		sec--;
		usec += 1000000;
	}
	printf("%ld.%06ld", sec, usec);
}

/* V's name by TOSTR, or its number, in hex if HEX (20211212 prints
 * unnamed types and stop reasons in hex, classes in decimal). */
static void
print_name(uint16_t v, const char *(*tostr)(uint16_t), int hex)
{
	const char *s;

	if ((s = tostr(v)) != NULL)
		printf("%s", s);
	else if (hex)
		printf("%04x", v);
	else
		printf("%u", v);
}

static void
rr_line(const char *sect, const struct scamper_host_rr *rr)
{
	printf("  %s: %s %u ", sect, rr->name != NULL ? rr->name : "",
	    rr->ttl);
	print_name(rr->class, scamper_host_class_tostr, 0);
	printf(" ");
	print_name(rr->type, scamper_host_type_tostr, 1);
	switch (rr->data_kind) {
	case SCAMPER_HOST_RR_DATA_ADDR:
		printf(" %s", wd_addr(&rr->addr));
		break;
	case SCAMPER_HOST_RR_DATA_STR:
		printf(" %s", rr->str);
		break;
	case SCAMPER_HOST_RR_DATA_MX:
		printf(" %u %s", rr->mx->preference, rr->mx->exchange != NULL ?
		    rr->mx->exchange : "");
		break;
	}
	printf("\n");
}

static void
rrs(const char *sect, const struct scamper_host_rr *r, uint16_t n)
{
	for (uint16_t i = 0; r != NULL && i < n; i++)
		rr_line(sect, &r[i]);
}

void
wd_host(const struct scamper_host *h)
{
	const char *stop = scamper_host_stop_tostr(h->stop_reason);

	printf("host from %s to %s\n", wd_addr(&h->src), wd_addr(&h->dst));
	wd_list_cycle(h->list, h->cycle);
	wd_user_start(h->userid, &h->start);
	if (h->flags != 0)	/* other bits have no name */
		printf(" flags: %s\n", (h->flags & SCAMPER_HOST_FLAG_NORECURSE) ?
		    "norecurse" : "");
	printf(" wait: %ums, retries: %u\n", h->wait, h->retries);
	if (stop != NULL)
		printf(" stop: %s\n", stop);
	else
		printf(" stop: %04x\n", h->stop_reason);
	printf(" qname: %s, qclass: ", h->qname != NULL ? h->qname : "");
	print_name(h->qclass, scamper_host_class_tostr, 0);
	printf(", qtype: ");
	print_name(h->qtype, scamper_host_type_tostr, 1);
	printf("\n qcount: %u\n", h->qcount);
	for (uint8_t i = 0; h->queries != NULL && i < h->qcount; i++) {
		const struct scamper_host_query *q = &h->queries[i];

		printf(" query: %u, id: %u, tx: ", i, q->id);
		tvdiff(&h->start, &q->tx);
		printf(", rtt: ");
		tvdiff(&q->tx, &q->rx);
		printf(", an: %u, ns: %u, ar: %u\n", q->ancount, q->nscount,
		    q->arcount);
		rrs("an", q->an, q->ancount);
		rrs("ns", q->ns, q->nscount);
		rrs("ar", q->ar, q->arcount);
	}
	printf("\n");
}
