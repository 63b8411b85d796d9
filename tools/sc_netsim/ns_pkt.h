/*
 * ns_pkt.h: parsing the packets sc_netsim receives and building the ones
 * it sends (IPv4, IPv6, ICMP, ICMPv6, TCP), with their checksums.  Pure
 * functions over caller-supplied buffers: no allocation, no state.
 */
#ifndef NS_PKT_H
#define NS_PKT_H

#include <stddef.h>
#include <stdint.h>

#include "wire.h"

#define NS_PROTO_ICMP	1
#define NS_PROTO_TCP	6
#define NS_PROTO_UDP	17
#define NS_PROTO_ICMP6	58

/* A parsed packet; pointers point into the caller's buffer. */
struct ns_pkt {
	const uint8_t	*ip;		/* the IP header */
	size_t		 len;		/* IP total length (trailing bytes
					   after it are ignored) */
	int		 af;		/* 4 or 6 */
	uint8_t		 ttl;		/* TTL or hop limit */
	uint8_t		 proto;		/* upper-layer protocol */
	uint8_t		 df;		/* IPv4 DF set */
	uint8_t		 frag;		/* a fragment (MF or offset) */
	uint8_t		 later_frag;	/* a fragment other than the first:
					   no upper-layer header */
	const uint8_t	*src, *dst;	/* 4 or 16 bytes */
	const uint8_t	*l4;		/* upper-layer header, or NULL */
	size_t		 l4len;		/* bytes from l4 to the end */
	uint8_t		 flow[4];	/* first 4 bytes of l4 (zero if
					   absent) */
};

/* Parse BUF (LEN bytes) as an IPv4 or IPv6 packet.  Returns 0, or -1 if
 * it is malformed (bad version, lengths, IPv4 header checksum, truncated
 * extension or upper-layer header). */
int ns_pkt_parse(struct ns_pkt *p, const uint8_t *buf, size_t len);

/* Internet checksum of BUF (LEN bytes) added to the partial sum SUM,
 * folded and complemented. */
uint16_t ns_cksum(const void *buf, size_t len, uint32_t sum);

/* Partial sum (not folded) of BUF, for pseudo-headers. */
uint32_t ns_sum(const void *buf, size_t len, uint32_t sum);

/* Partial sum of the pseudo-header for AF, SRC, DST, PROTO, LEN. */
uint32_t ns_pseudo_sum(int af, const uint8_t *src, const uint8_t *dst,
    uint8_t proto, size_t len);

/* Write an IPv4 header (20 bytes) with its checksum. */
void ns_build_ip4(uint8_t *out, const uint8_t *src, const uint8_t *dst,
    uint8_t ttl, uint8_t proto, uint16_t id, int df, size_t payload);

/* Write an IPv6 header (40 bytes). */
void ns_build_ip6(uint8_t *out, const uint8_t *src, const uint8_t *dst,
    uint8_t hlim, uint8_t nxt, size_t payload);

#endif
