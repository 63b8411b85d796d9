/*
 * pkt.h: build probe packets and parse replies.  Pure code: no sockets, no
 * clock, no allocation; every parser bounds-checks against the length it
 * is given and fails cleanly on anything malformed.
 *
 * Addresses are kept as 16 bytes in network order (IPv4 uses the first 4).
 */
#ifndef PROBER_NET_PKT_H
#define PROBER_NET_PKT_H

#include <stddef.h>
#include <stdint.h>

#define PKT_MAXLEN	65535
#define PKT_MAXMPLS	16

/* What to send.  Fields not used by the protocol are ignored. */
struct pkt_probe {
	int		 af;		/* AF_INET or AF_INET6 */
	uint8_t		 src[16];
	uint8_t		 dst[16];
	uint8_t		 proto;		/* IPPROTO_ICMP/ICMPV6/UDP/TCP */
	uint8_t		 ttl;		/* TTL or hop limit */
	uint8_t		 tos;		/* TOS or traffic class */
	uint16_t	 ipid;		/* IPv4 */
	int		 df;		/* IPv4: set don't-fragment */
	uint32_t	 flowlabel;	/* IPv6, low 20 bits */
	uint16_t	 fragoff;	/* IPv6: nonzero adds a fragment header
					   with this offset in 8-byte units */
	uint32_t	 fragid;	/* IPv6 fragment identification */
	const uint8_t	*ipopts;	/* IPv4 options, padded to 4 bytes */
	size_t		 ipoptlen;
	uint16_t	 sport, dport;	/* UDP, TCP */
	uint8_t		 icmp_type, icmp_code;
	uint16_t	 icmp_id, icmp_seq;
	uint32_t	 tcp_seq, tcp_ack;
	uint8_t		 tcp_flags;
	uint16_t	 tcp_win;
	const uint8_t	*payload;	/* copied after the L4 header */
	size_t		 paylen;
	size_t		 size;		/* total IP length; 0 = just what the
					   fields need; larger pads with zero */
	int		 fix_cksum;	/* UDP/ICMP: choose payload bytes 0-1 so
					   the L4 checksum equals cksum */
	uint16_t	 cksum;
};

/* The original packet quoted inside an ICMP error. */
struct pkt_quote {
	int		 af;
	uint8_t		 src[16], dst[16];
	uint8_t		 proto;
	uint8_t		 ttl;		/* what was left when it expired */
	uint8_t		 tos;
	uint16_t	 ipid;
	uint16_t	 len;		/* its IP total / payload+40 length */
	uint32_t	 flowlabel;
	uint16_t	 sport, dport;
	uint8_t		 icmp_type;
	uint16_t	 icmp_id, icmp_seq;
	uint16_t	 l4cksum;	/* UDP or ICMP checksum */
	uint32_t	 tcp_seq;
	size_t		 l4len;		/* bytes of L4 header+data quoted */
};

struct pkt_mpls {
	uint32_t	 label;
	uint8_t		 exp, s, ttl;
};

/* What arrived. */
struct pkt_reply {
	int		 af;
	uint8_t		 src[16], dst[16];
	uint8_t		 proto;
	uint8_t		 ttl;		/* TTL or hop limit on arrival */
	uint8_t		 tos;
	uint16_t	 ipid;
	uint16_t	 size;		/* IP total length */
	uint32_t	 flowlabel;
	uint8_t		 icmp_type, icmp_code;
	uint16_t	 icmp_id, icmp_seq;	/* echo / timestamp replies */
	uint16_t	 nhmtu;		/* frag-needed next-hop MTU, PTB MTU */
	int		 has_quote;
	struct pkt_quote q;
	const uint8_t	*ext;		/* RFC 4884 extension structure */
	size_t		 extlen;
	struct pkt_mpls	 mpls[PKT_MAXMPLS];
	int		 nmpls;
	uint16_t	 sport, dport;	/* TCP or UDP */
	uint32_t	 tcp_seq, tcp_ack;
	uint8_t		 tcp_flags;
	uint16_t	 tcp_win;
};

/* One's-complement sum of LEN bytes at P added to SUM (not folded). */
uint32_t pkt_sum(const void *p, size_t len, uint32_t sum);

/* Fold SUM and return its complement: the Internet checksum. */
uint16_t pkt_cksum_fin(uint32_t sum);

/* Build the probe P into BUF (an IP packet with its header).  Returns the
 * length, or 0 if the fields are inconsistent or CAP is too small. */
size_t pkt_build(const struct pkt_probe *p, uint8_t *buf, size_t cap);

/* Offset of the L4 header in a packet pkt_build made from P. */
size_t pkt_l4off(const struct pkt_probe *p);

/* Parse a whole IPv4 or IPv6 packet (version from the first nibble).
 * Returns 0, or -1 if it is malformed or truncated (R is then undefined). */
int pkt_parse(const uint8_t *buf, size_t len, struct pkt_reply *r);

/* Parse an ICMPv6 message as a raw ICMPv6 socket delivers it (no IPv6
 * header).  The caller zeroes R and fills r->src, r->dst and r->ttl from
 * the socket first.  Returns 0 or -1. */
int pkt_parse_icmp6(const uint8_t *buf, size_t len, struct pkt_reply *r);

/* Parse an upper-layer header PROTO at BUF, as raw sockets without an IP
 * header deliver it (IPv6 TCP, UDP).  The caller zeroes R and fills af,
 * src, dst and ttl.  Returns 0 or -1. */
int pkt_parse_l4(uint8_t proto, const uint8_t *buf, size_t len,
    struct pkt_reply *r);

#endif
