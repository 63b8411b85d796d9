/*
 * test_pktpath.c: the frames the packet-socket send path builds
 * (prober/net/pktpath.c): an Ethernet header (next hop, our address,
 * the IP version's ethertype) or none on a raw-IP link (TUN), before the
 * packet pkt_build made, parsed back whole by the datalink's own parser;
 * and the packets the path leaves to the raw socket before asking the
 * kernel anything (too large, a source or IPv4 identification the raw
 * socket's kernel would fill in, not IP).
 */
#include "config.h"

#include <check.h>
#include <netinet/in.h>
#include <string.h>

#include "dl.h"
#include "pktpath.h"
#include "../lib/check_table.h"

static const uint8_t nh_mac[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const uint8_t our_mac[6] = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee };

/* A UDP probe of family AF from 192.0.2.1 / 2001:db8::1 to 198.51.100.7
 * / 2001:db8:1::7 with TTL 5, built into BUF; returns its length. */
static size_t
probe(int af, uint8_t *buf, size_t cap)
{
	struct pkt_probe p;
	size_t n;

	memset(&p, 0, sizeof(p));
	p.af = af;
	p.proto = IPPROTO_UDP;
	p.ttl = 5;
	p.ipid = 77;
	p.sport = 40000;
	p.dport = 33435;
	if (af == AF_INET) {
		memcpy(p.src, (uint8_t[]){ 192, 0, 2, 1 }, 4);
		memcpy(p.dst, (uint8_t[]){ 198, 51, 100, 7 }, 4);
	} else {
		memcpy(p.src, (uint8_t[]){ 0x20, 1, 0xd, 0xb8, [15] = 1 }, 16);
		memcpy(p.dst, (uint8_t[]){ 0x20, 1, 0xd, 0xb8, 0, 1,
		    [15] = 7 }, 16);
	}
	n = pkt_build(&p, buf, cap);
	ck_assert_uint_gt(n, 0);
	return n;
}

/* Frame the probe of family AF for a KIND link and parse it back as it
 * would be seen leaving. */
static void
frame_roundtrip(int af, enum neigh_link kind)
{
	uint8_t pkt[256], frame[PKTPATH_HDRMAX + 256];
	struct pkt_reply r;
	uint32_t fragid;
	size_t n = probe(af, pkt, sizeof(pkt));
	int hl, frag;

	hl = pktpath_linkhdr(kind, nh_mac, our_mac, af == AF_INET ? 4 : 6,
	    frame);
	ck_assert_int_eq(hl, kind == NEIGH_LINK_ETHER ? 14 : 0);
	if (hl == 14) {
		ck_assert_mem_eq(frame, nh_mac, 6);
		ck_assert_mem_eq(frame + 6, our_mac, 6);
		ck_assert_uint_eq(frame[12], af == AF_INET ? 0x08 : 0x86);
		ck_assert_uint_eq(frame[13], af == AF_INET ? 0x00 : 0xdd);
	}
	memcpy(frame + hl, pkt, n);
	ck_assert_int_eq(dl_parse_frame(frame, (size_t)hl + n, (size_t)hl, 1,
	    &r, &frag, &fragid), 0);
	ck_assert_int_eq(r.q.af, af);
	ck_assert_uint_eq(r.q.proto, IPPROTO_UDP);
	ck_assert_uint_eq(r.q.ttl, 5);
	ck_assert_uint_eq(r.q.dport, 33435);
	ck_assert_mem_eq(r.q.dst, af == AF_INET ? pkt + 16 : pkt + 24,
	    af == AF_INET ? 4 : 16);
	ck_assert_int_eq(frag, 0);
}

/* ether4, ether6, rawip4, rawip6: the four frames */
START_TEST(ether4)
{
	frame_roundtrip(AF_INET, NEIGH_LINK_ETHER);
}
END_TEST

START_TEST(ether6)
{
	frame_roundtrip(AF_INET6, NEIGH_LINK_ETHER);
}
END_TEST

START_TEST(rawip4)
{
	frame_roundtrip(AF_INET, NEIGH_LINK_RAWIP);
}
END_TEST

START_TEST(rawip6)
{
	frame_roundtrip(AF_INET6, NEIGH_LINK_RAWIP);
}
END_TEST

/* unframed: loopback and unknown links are not framed */
START_TEST(unframed)
{
	uint8_t hdr[PKTPATH_HDRMAX];

	ck_assert_int_eq(pktpath_linkhdr(NEIGH_LINK_LOOP, nh_mac, our_mac, 4,
	    hdr), -1);
	ck_assert_int_eq(pktpath_linkhdr(NEIGH_LINK_OTHER, nh_mac, our_mac,
	    6, hdr), -1);
}
END_TEST

/* Ask the path (no opener: none is needed to refuse these) about PKT. */
static enum pktpath_why
why_raw(const uint8_t *pkt, size_t len)
{
	struct pktpath *p = pktpath_new(NULL, NULL, NULL, NULL);
	struct pktpath_hop h;
	enum pktpath_why why = PKTPATH_NWHY;

	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(pktpath_find(p, pkt, len, 1, &h, &why), 0);
	pktpath_free(p);
	return why;
}

/* raw_packets: what the kernel would fill in, or too large, goes raw */
START_TEST(raw_packets)
{
	uint8_t pkt[PKTPATH_MAXLEN + 64];
	size_t n;

	n = probe(AF_INET, pkt, sizeof(pkt));
	pkt[4] = pkt[5] = 0;			/* IPv4 ID 0 */
	ck_assert_int_eq(why_raw(pkt, n), PKTPATH_RAW_PACKET);
	n = probe(AF_INET, pkt, sizeof(pkt));
	memset(pkt + 12, 0, 4);			/* no source */
	ck_assert_int_eq(why_raw(pkt, n), PKTPATH_RAW_PACKET);
	n = probe(AF_INET6, pkt, sizeof(pkt));
	memset(pkt + 8, 0, 16);
	ck_assert_int_eq(why_raw(pkt, n), PKTPATH_RAW_PACKET);
	n = probe(AF_INET, pkt, sizeof(pkt));
	ck_assert_int_eq(why_raw(pkt, PKTPATH_MAXLEN + 1), PKTPATH_RAW_PACKET);
	pkt[0] = 0x55;				/* not IP */
	ck_assert_int_eq(why_raw(pkt, n), PKTPATH_RAW_PACKET);
	ck_assert_str_eq(pktpath_why_name(PKTPATH_RAW_NEIGH), "neighbour");
	ck_assert_str_eq(pktpath_why_name(PKTPATH_NWHY), "?");
}
END_TEST

CHECK_MAIN("pktpath", "pktpath", ether4, ether6, rawip4, rawip6, unframed,
    raw_packets)
