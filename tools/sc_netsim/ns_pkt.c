/*
 * ns_pkt.c: packet parsing and building for sc_netsim.
 */
#include <string.h>

#include "ns_pkt.h"

uint32_t
ns_sum(const void *buf, size_t len, uint32_t sum)
{
	const uint8_t *p = buf;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

uint16_t
ns_cksum(const void *buf, size_t len, uint32_t sum)
{
	sum = ns_sum(buf, len, sum);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint32_t
ns_pseudo_sum(int af, const uint8_t *src, const uint8_t *dst, uint8_t proto,
    size_t len)
{
	int alen = af == 4 ? 4 : 16;
	uint32_t sum = 0;

	sum = ns_sum(src, (size_t)alen, sum);
	sum = ns_sum(dst, (size_t)alen, sum);
	sum += proto;
	sum += (uint32_t)(len >> 16) + (uint32_t)(len & 0xffff);
	return sum;
}

void
ns_build_ip4(uint8_t *out, const uint8_t *src, const uint8_t *dst,
    uint8_t ttl, uint8_t proto, uint16_t id, int df, size_t payload)
{
	out[0] = 0x45;
	out[1] = 0;
	wire_set_be16(out + 2, (uint16_t)(20 + payload));
	wire_set_be16(out + 4, id);
	wire_set_be16(out + 6, df ? 0x4000 : 0);
	out[8] = ttl;
	out[9] = proto;
	out[10] = out[11] = 0;
	memcpy(out + 12, src, 4);
	memcpy(out + 16, dst, 4);
	wire_set_be16(out + 10, ns_cksum(out, 20, 0));
}

void
ns_build_ip6(uint8_t *out, const uint8_t *src, const uint8_t *dst,
    uint8_t hlim, uint8_t nxt, size_t payload)
{
	wire_set_be32(out, 0x60000000u);
	wire_set_be16(out + 4, (uint16_t)payload);
	out[6] = nxt;
	out[7] = hlim;
	memcpy(out + 8, src, 16);
	memcpy(out + 24, dst, 16);
}

/* Minimum upper-layer header the simulator needs to act on. */
static size_t
l4_min(uint8_t proto)
{
	switch (proto) {
	case NS_PROTO_TCP:
		return 20;
	case NS_PROTO_UDP:
	case NS_PROTO_ICMP:
	case NS_PROTO_ICMP6:
		return 8;
	default:
		return 0;
	}
}

static int
parse4(struct ns_pkt *p, const uint8_t *b, size_t len)
{
	size_t hl, tl;
	uint16_t off;

	if (len < 20)
		return -1;
	hl = (size_t)(b[0] & 0x0f) * 4;
	tl = wire_be16(b + 2);
	if (hl < 20 || tl < hl || tl > len || ns_cksum(b, hl, 0) != 0)
		return -1;
	off = wire_be16(b + 6);
	p->af = 4;
	p->len = tl;
	p->ttl = b[8];
	p->proto = b[9];
	p->df = (off & 0x4000) != 0;
	p->frag = (off & 0x3fff) != 0;
	p->later_frag = (off & 0x1fff) != 0;
	p->src = b + 12;
	p->dst = b + 16;
	if (!p->later_frag) {
		p->l4 = b + hl;
		p->l4len = tl - hl;
	}
	return 0;
}

static int
parse6(struct ns_pkt *p, const uint8_t *b, size_t len)
{
	size_t off = 40, tl;
	uint8_t nxt;

	if (len < 40)
		return -1;
	tl = 40 + (size_t)wire_be16(b + 4);
	if (tl > len)
		return -1;
	p->af = 6;
	p->len = tl;
	p->ttl = b[7];
	p->src = b + 8;
	p->dst = b + 24;
	nxt = b[6];
	for (int n = 0; n < 8; n++) {
		if (nxt == 0 || nxt == 43 || nxt == 60) {
			if (off + 8 > tl)
				return -1;
			nxt = b[off];
			off += ((size_t)b[off + 1] + 1) * 8;
			if (off > tl)
				return -1;
			continue;
		}
		if (nxt == 44) {
			uint16_t fo;

			if (off + 8 > tl)
				return -1;
			fo = wire_be16(b + off + 2);
			p->frag = 1;
			p->later_frag = (fo & 0xfff8) != 0;
			nxt = b[off];
			off += 8;
			continue;
		}
		break;
	}
	p->proto = nxt;
	if (!p->later_frag) {
		p->l4 = b + off;
		p->l4len = tl - off;
	}
	return 0;
}

int
ns_pkt_parse(struct ns_pkt *p, const uint8_t *buf, size_t len)
{
	int rc;

	memset(p, 0, sizeof(*p));
	p->ip = buf;
	if (len < 1)
		return -1;
	switch (buf[0] >> 4) {
	case 4:
		rc = parse4(p, buf, len);
		break;
	case 6:
		rc = parse6(p, buf, len);
		break;
	default:
		return -1;
	}
	if (rc == -1)
		return -1;
	if (p->l4 != NULL) {
		if (p->l4len < l4_min(p->proto))
			return -1;
		if (p->proto == NS_PROTO_TCP &&
		    ((size_t)(p->l4[12] >> 4) * 4 < 20 ||
		    (size_t)(p->l4[12] >> 4) * 4 > p->l4len))
			return -1;
		memcpy(p->flow, p->l4, p->l4len < 4 ? p->l4len : 4);
	}
	return 0;
}
