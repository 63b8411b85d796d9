/*
 * scamper_tbit.c: allocation and names for tbit results.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "object_int.h"
#include "scamper_tbit.h"
#include "wire.h"

struct scamper_tbit *
scamper_tbit_alloc(void)
{
	struct scamper_tbit *t = calloc(1, sizeof(struct scamper_tbit));

	if (t != NULL)
		t->ttl = 255;
	return t;
}

/* Free what t owns besides its list and cycle. */
static void
tbit_release(struct scamper_tbit *t)
{
	object_free_each(t->pkts, t->pktc, sizeof(*t->pkts),
	    offsetof(struct scamper_tbit_pkt, data));
	free(t->http_host);
	free(t->http_file);
}

OBJECT_FREE(tbit, tbit_release)

const char *
scamper_tbit_type_tostr(uint8_t type)
{
	static const char *m[] = { NULL, "pmtud", "ecn", "null", "sack-rcvr",
	    "icw", "abc", "blind-data", "blind-rst", "blind-syn",
	    "blind-fin" };

	return type < sizeof(m) / sizeof(m[0]) ? m[type] : NULL;
}

const char *
scamper_tbit_result_tostr(uint16_t r)
{
	static const struct { uint16_t v; const char *s; } m[] = {
		{ 0, "none" }, { 1, "tcp-noconn" }, { 2, "tcp-rst" },
		{ 3, "tcp-error" }, { 4, "sys-error" }, { 5, "aborted" },
		{ 6, "tcp-noconn-rst" }, { 7, "halted" }, { 8, "tcp-badopt" },
		{ 9, "tcp-fin" }, { 10, "tcp-zerowin" },
		{ 20, "pmtud-noack" }, { 21, "pmtud-nodata" },
		{ 22, "pmtud-toosmall" }, { 23, "pmtud-nodf" },
		{ 24, "pmtud-fail" }, { 25, "pmtud-success" },
		{ 26, "pmtud-cleardf" },
		{ 30, "ecn-success" }, { 31, "ecn-incapable" },
		{ 32, "ecn-badsynack" }, { 33, "ecn-noece" },
		{ 34, "ecn-noack" }, { 35, "ecn-nodata" },
		{ 40, "null-success" }, { 41, "null-nodata" },
		{ 50, "sack-incapable" }, { 51, "sack-rcvr-success" },
		{ 52, "sack-rcvr-shifted" }, { 53, "sack-rcvr-timeout" },
		{ 54, "sack-rcvr-nosack" },
		{ 60, "icw-success" }, { 61, "icw-tooshort" },
		{ 70, "abc-success" }, { 71, "abc-tooshort" },
		{ 72, "abc-badicw" },
		{ 80, "blind-accepted" }, { 81, "blind-challenge" },
		{ 82, "blind-ignored" }, { 83, "blind-rst" },
		{ 84, "blind-synnew" },
	};

	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (m[i].v == r)
			return m[i].s;
	return NULL;
}

const char *
scamper_tbit_app_tostr(uint8_t app)
{
	static const char *m[] = { NULL, "http", "smtp", "dns", "ftp",
	    "bgp" };

	return app < sizeof(m) / sizeof(m[0]) ? m[app] : NULL;
}

/* The IPv4 header of P into I; 0 if a TCP header follows it, else -1. */
static int
ip4(const struct scamper_tbit_pkt *p, struct scamper_tbit_pktinfo *i)
{
	const uint8_t *d = p->data;
	uint16_t off = wire_be16(d + 6);

	memset(i, 0, sizeof(*i));
	i->ip_hlen = (uint8_t)((d[0] & 0x0f) * 4);
	i->ip_ecn = d[1] & 3;
	i->ip_ttl = d[8];
	i->ip_id = wire_be16(d + 4);
	i->frag_off = (uint16_t)((off & 0x1fff) * 8);
	i->frag_mf = (off & 0x2000) != 0;
	i->frag_df = (off & 0x4000) != 0;
	if (d[9] != 6 || i->frag_off != 0 || p->len < i->ip_hlen + 20)
		return -1;
	return 0;
}

int
scamper_tbit_pkt_decode(const struct scamper_tbit_pkt *p,
    struct scamper_tbit_isn *isn, struct scamper_tbit_pktinfo *i)
{
	const uint8_t *d = p->data, *t;
	uint32_t seq, ack;
	int tx = p->dir == SCAMPER_TBIT_PKT_DIR_TX;

	if (d != NULL && p->len >= 40 && (d[0] >> 4) == 6) {
		memset(i, 0, sizeof(*i));
		i->v6 = 1;
		i->ip_hlen = 40;
		i->ip_ecn = (d[1] >> 4) & 3;
		i->ip_ttl = d[7];
		if (d[6] != 6 || p->len < 60)
			return 1;
	} else if (d == NULL || p->len < 20 || (d[0] >> 4) != 4 ||
	    (d[0] & 0x0f) < 5 || p->len < (d[0] & 0x0f) * 4)
		return -1;
	else if (ip4(p, i) != 0)
		return 1;
	t = d + i->ip_hlen;
	i->tcp_hlen = (uint8_t)((t[12] >> 4) * 4);
	if (i->tcp_hlen < 20 || p->len < i->ip_hlen + i->tcp_hlen)
		return 1;
	i->tcp_flags = t[13];
	i->tcp_win = wire_be16(t + 14);
	i->datalen = (uint16_t)(p->len - i->ip_hlen - i->tcp_hlen);
	i->opt = t + 20;
	i->optlen = (uint8_t)(i->tcp_hlen - 20);
	seq = wire_be32(t + 4);
	ack = wire_be32(t + 8);
	if (i->tcp_flags & 0x02) {
		if (tx) {
			isn->client = seq;
			isn->have_client = 1;
		} else {
			isn->server = seq;
			isn->have_server = 1;
		}
	}
	i->seq = seq - (tx ? isn->client : isn->server);
	i->ack = ack - (tx ? isn->server : isn->client);
	return 0;
}

uint32_t
scamper_tbit_sack_base(const struct scamper_tbit_isn *isn, uint8_t dir)
{
	return dir == SCAMPER_TBIT_PKT_DIR_TX ? isn->server : isn->client;
}

void
scamper_tbit_pkt_flagstr(uint8_t f, char *buf, size_t len)
{
	const char *a = (f & 0x02) ? ((f & 0x10) ? "SYN/ACK" : "SYN") :
	    (f & 0x01) ? "FIN" : (f & 0x04) ? "RST" : "";

	snprintf(buf, len, "%s%s%s%s%s", a, (f & 0x40) && *a ? "/" : "",
	    (f & 0x40) ? "ECE" : "", (f & 0x80) && (*a || (f & 0x40)) ?
	    "/" : "", (f & 0x80) ? "CWR" : "");
}

void
scamper_tbit_pkt_sackstr(const struct scamper_tbit_pktinfo *i,
    uint32_t base, char *buf, size_t len)
{
	const uint8_t *o = i->opt;
	unsigned n = i->optlen, k = 0;
	size_t at = strlen(buf);

	while (k < n && o[k] != 0) {
		unsigned l = o[k] == 1 ? 1 : (k + 1 < n ? o[k + 1] : 0);

		if (l < 1 || k + l > n || (o[k] != 1 && l < 2))
			return;
		for (unsigned b = k + 2; o[k] == 5 && b + 8 <= k + l; b += 8) {
			int w = snprintf(buf + at, len - at, "%s%u:%u%s",
			    b == k + 2 ? " {" : ",", wire_be32(o + b) - base,
			    wire_be32(o + b + 4) - base, b + 16 > k + l ? "}" : "");

			if (w < 0 || (size_t)w >= len - at)
				return;
			at += (size_t)w;
		}
		k += l;
	}
}

void
scamper_tbit_pkt_reltime(const struct scamper_tbit_pkt *p,
    const struct timeval *start, long *sec, long *usec)
{
	*sec = (long)(p->tv.tv_sec - start->tv_sec);
	*usec = (long)(p->tv.tv_usec - start->tv_usec);
	if (*usec < 0) {
		*sec -= 1;
		*usec += 1000000;
	}
}
