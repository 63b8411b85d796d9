/*
 * test_host.c: libscamperfile's host (DNS) records beyond the corpus:
 * every kind of RR data built in memory survives write -> read (and a
 * second write gives the same bytes); an RR of a kind 20211212 does not
 * write, and a record without a server, are refused with the offset.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scamper_file.h"
#include "scamper_host.h"
#include "../lib/check_table.h"

static void
rr_set(struct scamper_host_rr *rr, uint16_t type, const char *name)
{
	rr->class = SCAMPER_HOST_CLASS_IN;
	rr->type = type;
	rr->name = strdup(name);
	rr->ttl = 300;
}

/* A host with one answered query holding every kind of RR data. */
static struct scamper_host *
build(void)
{
	struct scamper_host *h = scamper_host_alloc();
	struct scamper_host_query *q;

	ck_assert(h != NULL);
	h->list = scamper_list_alloc(3, "l", "d", "mon");
	h->cycle = scamper_cycle_alloc(h->list, 4, 1000, "vm");
	scamper_addr_pton(&h->src, "192.0.2.1");
	scamper_addr_pton(&h->dst, "192.0.2.53");
	h->start.tv_sec = 1000;
	h->start.tv_usec = 5;
	h->userid = 9;
	h->flags = SCAMPER_HOST_FLAG_NORECURSE;
	h->wait = 2000;
	h->stop_reason = SCAMPER_HOST_STOP_DONE;
	h->retries = 1;
	h->qtype = SCAMPER_HOST_TYPE_MX;
	h->qclass = SCAMPER_HOST_CLASS_IN;
	h->qname = strdup("example.test");
	h->qcount = 2;
	h->queries = calloc(2, sizeof(*h->queries));
	q = &h->queries[1];
	q->tx.tv_sec = 1001;
	q->rx.tv_sec = 1001;
	q->rx.tv_usec = 250;
	q->id = 77;
	q->ancount = 2;
	q->an = calloc(2, sizeof(*q->an));
	rr_set(&q->an[0], SCAMPER_HOST_TYPE_MX, "example.test");
	q->an[0].data_kind = SCAMPER_HOST_RR_DATA_MX;
	q->an[0].mx = calloc(1, sizeof(*q->an[0].mx));
	q->an[0].mx->preference = 10;
	q->an[0].mx->exchange = strdup("mx.example.test");
	rr_set(&q->an[1], SCAMPER_HOST_TYPE_CNAME, "alias.example.test");
	q->an[1].data_kind = SCAMPER_HOST_RR_DATA_STR;
	q->an[1].str = strdup("example.test");
	q->nscount = 1;
	q->ns = calloc(1, sizeof(*q->ns));
	rr_set(&q->ns[0], SCAMPER_HOST_TYPE_SOA, "test");
	q->ns[0].data_kind = SCAMPER_HOST_RR_DATA_SOA;
	q->ns[0].soa = calloc(1, sizeof(*q->ns[0].soa));
	q->ns[0].soa->mname = strdup("ns.test");
	q->ns[0].soa->rname = strdup("admin.test");
	q->ns[0].soa->serial = 7;
	q->ns[0].soa->minimum = 300;
	q->arcount = 2;
	q->ar = calloc(2, sizeof(*q->ar));
	rr_set(&q->ar[0], SCAMPER_HOST_TYPE_AAAA, "mx.example.test");
	q->ar[0].data_kind = SCAMPER_HOST_RR_DATA_ADDR;
	scamper_addr_pton(&q->ar[0].addr, "2001:db8::25");
	rr_set(&q->ar[1], SCAMPER_HOST_TYPE_A, "ns.test");
	q->ar[1].data_kind = SCAMPER_HOST_RR_DATA_ADDR;
	scamper_addr_pton(&q->ar[1].addr, "192.0.2.53");	/* the server */
	h->queries[0].tx.tv_sec = 1000;
	h->queries[0].id = 76;
	return h;
}

/* Write H alone to a buffer; its length in *LEN. */
static uint8_t *
bytes_of(const struct scamper_host *h, size_t *len)
{
	FILE *tmp = tmpfile();
	struct scamper_file *w = scamper_file_fdopen_write(dup(fileno(tmp)));
	uint8_t *b = malloc(65536);

	ck_assert(w != NULL && b != NULL);
	ck_assert(scamper_file_write_host(w, h) == 0);
	ck_assert(scamper_file_close(w) == 0);
	rewind(tmp);
	*len = fread(b, 1, 65536, tmp);
	fclose(tmp);
	return b;
}

/* Read the host record out of B (after its list and cycle). */
static struct scamper_host *
read_host(const uint8_t *b, size_t len, char *err, size_t errlen)
{
	FILE *tmp = tmpfile();
	struct scamper_file *r;
	void *obj, *found = NULL;
	uint16_t type;
	int rc;

	ck_assert(fwrite(b, 1, len, tmp) == len);
	rewind(tmp);
	r = scamper_file_fdopen_read(dup(fileno(tmp)));
	fclose(tmp);
	while ((rc = scamper_file_read(r, &type, &obj)) == 1) {
		if (type == SCAMPER_FILE_OBJ_HOST && found == NULL)
			found = obj;
		else
			scamper_file_obj_free(type, obj);
	}
	snprintf(err, errlen, "%s", scamper_file_error(r));
	scamper_file_close(r);
	if (rc != 0) {
		scamper_host_free(found);
		return NULL;
	}
	return found;
}

START_TEST(host_round_trip)
{
	struct scamper_host *h = build(), *g;
	struct scamper_host_query *q;
	size_t len, len2;
	uint8_t *b = bytes_of(h, &len), *b2;
	char err[256];

	g = read_host(b, len, err, sizeof(err));
	ck_assert_msg(g != NULL, "%s", err);
	ck_assert_int_eq(g->userid, 9);
	ck_assert_int_eq(g->flags, SCAMPER_HOST_FLAG_NORECURSE);
	ck_assert_int_eq(g->wait, 2000);
	ck_assert_int_eq(g->retries, 1);
	ck_assert_int_eq(g->qtype, SCAMPER_HOST_TYPE_MX);
	ck_assert_str_eq(g->qname, "example.test");
	ck_assert_int_eq(g->qcount, 2);
	ck_assert_int_eq(g->list->id, 3);
	ck_assert_int_eq(g->cycle->id, 4);
	ck_assert_int_eq(g->queries[0].id, 76);
	ck_assert(g->queries[0].an == NULL && g->queries[0].ancount == 0);
	q = &g->queries[1];
	ck_assert_int_eq(q->id, 77);
	ck_assert_int_eq(q->rx.tv_usec, 250);
	ck_assert(q->ancount == 2 && q->nscount == 1 && q->arcount == 2);
	ck_assert_int_eq(q->an[0].data_kind, SCAMPER_HOST_RR_DATA_MX);
	ck_assert_int_eq(q->an[0].mx->preference, 10);
	ck_assert_str_eq(q->an[0].mx->exchange, "mx.example.test");
	ck_assert_str_eq(q->an[1].str, "example.test");
	ck_assert_str_eq(q->an[1].name, "alias.example.test");
	ck_assert_str_eq(q->ns[0].soa->rname, "admin.test");
	ck_assert_int_eq(q->ns[0].soa->serial, 7);
	ck_assert_int_eq(q->ns[0].soa->refresh, 0);
	ck_assert_int_eq(q->ns[0].soa->minimum, 300);
	ck_assert_int_eq(q->ar[0].addr.type, SCAMPER_ADDR_IPV6);
	ck_assert(scamper_addr_cmp(&q->ar[1].addr, &h->dst) == 0);
	b2 = bytes_of(g, &len2);
	ck_assert_int_eq(len, len2);
	ck_assert(memcmp(b, b2, len) == 0);
	scamper_host_free(g);
	scamper_host_free(h);
	free(b);
	free(b2);
}
END_TEST

/* The offset of the first host record in B (after list and cycle). */
static size_t
host_off(const uint8_t *b, size_t len)
{
	size_t off = 0;

	while (off + 8 <= len && !(b[off + 2] == 0 && b[off + 3] == 14))
		off += 8 + ((size_t)b[off + 6] << 8 | b[off + 7]);
	ck_assert(off + 8 <= len);
	return off;
}

START_TEST(host_refusals)
{
	struct scamper_host *h = build();
	size_t len, off, i;
	uint8_t *b;
	char err[256];

	/* RR data of a kind no writer makes: the u16 after "mx.example.test"
	   is the MX answer's kind (4): make it 9 */
	b = bytes_of(h, &len);
	for (i = host_off(b, len); i + 4 < len; i++)
		if (b[i] == 0 && b[i + 1] == 4 && b[i + 2] == 0x03)
			break;
	ck_assert(i + 4 < len);
	b[i + 1] = 9;
	ck_assert(read_host(b, len, err, sizeof(err)) == NULL);
	ck_assert_msg(strstr(err, "offset ") != NULL &&
	    strstr(err, "unknown kind 9") != NULL, "%s", err);
	free(b);

	/* no server address */
	memset(&h->dst, 0, sizeof(h->dst));
	for (uint8_t k = 0; k < h->qcount; k++)
		for (uint16_t j = 0; j < h->queries[k].arcount; j++)
			if (h->queries[k].ar[j].data_kind ==
			    SCAMPER_HOST_RR_DATA_ADDR)
				scamper_addr_pton(&h->queries[k].ar[j].addr,
				    "192.0.2.99");
	b = bytes_of(h, &len);
	off = host_off(b, len);
	ck_assert(read_host(b, len, err, sizeof(err)) == NULL);
	ck_assert_msg(strstr(err, "without a server") != NULL, "%s (record "
	    "at %zu)", err, off);
	free(b);
	scamper_host_free(h);
}
END_TEST

CHECK_MAIN("warts-host", "host", host_round_trip, host_refusals)
