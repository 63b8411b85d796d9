/*
 * pkt_nd.c: ARP and IPv6 neighbour discovery frames (see pkt_nd.h).
 */
#include "config.h"

#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "pkt.h"
#include "pkt_nd.h"

#define ETH_HLEN	14
#define ETHERTYPE_ARP	0x0806
#define ETHERTYPE_IP6	0x86dd
#define ARP_LEN		28
#define NS_LEN		32	/* NS with a source link-layer option */
#define ND_HOPLIMIT	255
#define ICMP6_NS	135
#define ICMP6_NA	136
#define ND_OPT_SLLA	1
#define ND_OPT_TLLA	2

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void
eth_hdr(uint8_t *f, const uint8_t *dst, const uint8_t *src, uint16_t type)
{
	memcpy(f, dst, PKT_ND_MACLEN);
	memcpy(f + 6, src, PKT_ND_MACLEN);
	put16(f + 12, type);
}

static size_t
arp_request(const uint8_t *srcmac, const uint8_t *srcip,
    const uint8_t *target, uint8_t *f)
{
	static const uint8_t bcast[PKT_ND_MACLEN] = { 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff };
	uint8_t *a = f + ETH_HLEN;

	eth_hdr(f, bcast, srcmac, ETHERTYPE_ARP);
	put16(a, 1);			/* Ethernet */
	put16(a + 2, 0x0800);		/* IPv4 */
	a[4] = PKT_ND_MACLEN;
	a[5] = 4;
	put16(a + 6, 1);		/* request */
	memcpy(a + 8, srcmac, PKT_ND_MACLEN);
	memcpy(a + 14, srcip, 4);
	memset(a + 18, 0, PKT_ND_MACLEN);
	memcpy(a + 24, target, 4);
	return ETH_HLEN + ARP_LEN;
}

/* The ICMPv6 checksum of the message M (LEN bytes) from SRC to DST. */
static uint16_t
icmp6_cksum(const uint8_t *src, const uint8_t *dst, const uint8_t *m,
    size_t len)
{
	uint8_t ph[8] = { 0 };
	uint32_t sum;

	ph[2] = (uint8_t)(len >> 8);
	ph[3] = (uint8_t)len;
	ph[7] = IPPROTO_ICMPV6;
	sum = pkt_sum(src, 16, 0);
	sum = pkt_sum(dst, 16, sum);
	sum = pkt_sum(ph, sizeof(ph), sum);
	return pkt_cksum_fin(pkt_sum(m, len, sum));
}

static size_t
ns_request(const uint8_t *srcmac, const uint8_t *srcip,
    const uint8_t *target, uint8_t *f)
{
	uint8_t mac[PKT_ND_MACLEN] = { 0x33, 0x33, 0xff, target[13],
	    target[14], target[15] };
	uint8_t grp[16] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
	    0xff, target[13], target[14], target[15] };
	uint8_t *ip = f + ETH_HLEN, *m = ip + 40;

	eth_hdr(f, mac, srcmac, ETHERTYPE_IP6);
	memset(ip, 0, 40);
	ip[0] = 0x60;
	put16(ip + 4, NS_LEN);
	ip[6] = IPPROTO_ICMPV6;
	ip[7] = ND_HOPLIMIT;
	memcpy(ip + 8, srcip, 16);
	memcpy(ip + 24, grp, 16);
	memset(m, 0, NS_LEN);
	m[0] = ICMP6_NS;
	memcpy(m + 8, target, 16);
	m[24] = ND_OPT_SLLA;
	m[25] = 1;			/* in units of 8 bytes */
	memcpy(m + 26, srcmac, PKT_ND_MACLEN);
	put16(m + 2, icmp6_cksum(srcip, grp, m, NS_LEN));
	return ETH_HLEN + 40 + NS_LEN;
}

size_t
pkt_nd_request(int af, const uint8_t *srcmac, const uint8_t *srcip,
    const uint8_t *target, uint8_t *buf, size_t cap)
{
	if (af == AF_INET && cap >= ETH_HLEN + ARP_LEN)
		return arp_request(srcmac, srcip, target, buf);
	if (af == AF_INET6 && cap >= ETH_HLEN + 40 + NS_LEN)
		return ns_request(srcmac, srcip, target, buf);
	return 0;
}

static int
arp_reply(const uint8_t *a, size_t len, const uint8_t *target, uint8_t *mac)
{
	if (len < ARP_LEN || get16(a) != 1 || get16(a + 2) != 0x0800 ||
	    a[4] != PKT_ND_MACLEN || a[5] != 4 || get16(a + 6) != 2 ||
	    memcmp(a + 14, target, 4) != 0)
		return 0;
	memcpy(mac, a + 8, PKT_ND_MACLEN);
	return 1;
}

/* The target link-layer address option among the NA options O (LEN
 * bytes), or NULL. */
static const uint8_t *
na_tlla(const uint8_t *o, size_t len)
{
	while (len >= 8 && o[1] != 0 && (size_t)o[1] * 8 <= len) {
		if (o[0] == ND_OPT_TLLA)
			return o + 2;
		len -= (size_t)o[1] * 8;
		o += (size_t)o[1] * 8;
	}
	return NULL;
}

static int
na_reply(const uint8_t *eth, const uint8_t *ip, size_t len,
    const uint8_t *target, uint8_t *mac)
{
	const uint8_t *m = ip + 40, *tlla;
	size_t plen;

	if (len < 40 + 24 || (ip[0] >> 4) != 6 || ip[6] != IPPROTO_ICMPV6 ||
	    ip[7] != ND_HOPLIMIT)
		return 0;
	plen = get16(ip + 4);
	if (plen < 24 || 40 + plen > len || m[0] != ICMP6_NA || m[1] != 0 ||
	    memcmp(m + 8, target, 16) != 0 ||
	    icmp6_cksum(ip + 8, ip + 24, m, plen) != 0)
		return 0;
	tlla = na_tlla(m + 24, plen - 24);
	memcpy(mac, tlla != NULL ? tlla : eth + 6, PKT_ND_MACLEN);
	return 1;
}

int
pkt_nd_reply(int af, const uint8_t *frame, size_t len, size_t linkhdr,
    const uint8_t *target, uint8_t *mac)
{
	uint16_t type;

	if (linkhdr != ETH_HLEN || len < ETH_HLEN)
		return 0;
	type = get16(frame + 12);
	if (af == AF_INET && type == ETHERTYPE_ARP)
		return arp_reply(frame + ETH_HLEN, len - ETH_HLEN, target, mac);
	if (af == AF_INET6 && type == ETHERTYPE_IP6)
		return na_reply(frame, frame + ETH_HLEN, len - ETH_HLEN, target,
		    mac);
	return 0;
}

static uint32_t
word(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

int
pkt_nd_filter(int af, const uint8_t *t, char *buf, size_t len)
{
	int n;

	if (af == AF_INET)
		n = snprintf(buf, len, "arp and arp[6:2] == 2 and "
		    "arp[14:4] == 0x%08x", word(t));
	else
		n = snprintf(buf, len, "icmp6 and ip6[7] == 255 and "
		    "icmp6[0] == 136 and icmp6[8:4] == 0x%08x and "
		    "icmp6[12:4] == 0x%08x and icmp6[16:4] == 0x%08x and "
		    "icmp6[20:4] == 0x%08x", word(t), word(t + 4), word(t + 8),
		    word(t + 12));
	return n < 0 || (size_t)n >= len ? -1 : 0;
}
