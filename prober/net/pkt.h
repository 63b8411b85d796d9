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
	const uint8_t	*tcpopts;	/* TCP options, padded to 4 bytes */
	size_t		 tcpoptlen;	/* at most 40 */
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
	const uint8_t	*ipopts;	/* IPv4 options quoted, or NULL */
	size_t		 ipoptlen;
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

	/* Where the reply lies in the buffer it was parsed from (valid as
	 * long as that buffer is): the whole IP packet (pkt_parse only, else
	 * NULL), its IPv4 options (NULL if none), and its upper-layer header
	 * and data. */
	const uint8_t	*pkt;
	size_t		 pktlen;
	const uint8_t	*ipopts;
	size_t		 ipoptlen;
	const uint8_t	*l4;
	size_t		 l4len;
	int		 has_icmp_ts;	/* ICMP timestamp reply (type 14): */
	uint32_t	 icmp_tso, icmp_tsr, icmp_tst;	/* its three values */
};

/* IPv4 options (RFC 791): record route and timestamp. */
#define PKT_RR_MAX		9	/* addresses in a 40-byte RR option */
#define PKT_TS_MAX		9	/* timestamps in a 40-byte TS option */
#define PKT_TS_TSONLY		0	/* TS option flags: timestamps only */
#define PKT_TS_TSANDADDR	1	/* address and timestamp pairs */
#define PKT_TS_PRESPEC		3	/* pairs for prespecified addresses */
#define PKT_TS_PRESPEC_MAX	4

/* Timestamp option contents as received. */
struct pkt_ts {
	int		 flag;		/* PKT_TS_* */
	int		 n;		/* entries filled in */
	uint32_t	 ts[PKT_TS_MAX];
	uint8_t		 addr[PKT_TS_MAX][4];	/* flags 1 and 3 */
};

/* Write an empty record-route option for PKT_RR_MAX addresses, padded
 * to 40 bytes, into BUF.  Returns its length (40), or 0 if CAP is too
 * small. */
size_t pkt_ipopt_rr(uint8_t *buf, size_t cap);

/* Write an IPv4 timestamp option with FLAG into BUF: PKT_TS_TSONLY (9
 * slots, 40 bytes), PKT_TS_TSANDADDR (4 pairs, 36 bytes) or
 * PKT_TS_PRESPEC (the N addresses at ADDRS, 4 bytes each, N 1 to 4).
 * Returns its length (a multiple of 4), or 0 if the arguments are bad or
 * CAP is too small. */
size_t pkt_ipopt_ts(uint8_t *buf, size_t cap, int flag, const uint8_t *addrs,
    int n);

/* Find a record-route option in the IPv4 options OPTS/LEN and copy the
 * addresses recorded so far (at most MAX, 4 bytes each) to ADDRS.
 * Returns their number, or -1 if there is no (well-formed) RR option. */
int pkt_ipopt_get_rr(const uint8_t *opts, size_t len, uint8_t *addrs,
    int max);

/* Find a timestamp option in OPTS/LEN and copy what was recorded to TS.
 * Returns 1, or 0 if there is no (well-formed) timestamp option. */
int pkt_ipopt_get_ts(const uint8_t *opts, size_t len, struct pkt_ts *ts);

/* One's-complement sum of LEN bytes at P added to SUM (not folded). */
uint32_t pkt_sum(const void *p, size_t len, uint32_t sum);

/* Fold SUM and return its complement: the Internet checksum. */
uint16_t pkt_cksum_fin(uint32_t sum);

/* Build the probe P into BUF (an IP packet with its header).  Returns the
 * length, or 0 if the fields are inconsistent or CAP is too small. */
size_t pkt_build(const struct pkt_probe *p, uint8_t *buf, size_t cap);

/* Offset of the L4 header in a packet pkt_build made from P. */
size_t pkt_l4off(const struct pkt_probe *p);

/* Fill PP to tell the sender of reply R that the path to us has MTU
 * MTU: an ICMP fragmentation needed (IPv4: the reply's header and 8
 * bytes) or an ICMPv6 packet too big (IPv6: as much of the reply as fits
 * in the minimum MTU), from R's destination, quoting R rebuilt into
 * QUOTE (CAP bytes; 1232 hold the most an IPv6 one quotes).  PP->payload
 * points into QUOTE.  Returns 0, or -1 if R cannot be quoted. */
int pkt_ptb(const struct pkt_reply *r, uint16_t mtu, struct pkt_probe *pp,
    uint8_t *quote, size_t cap);

/* Parse a whole IPv4 or IPv6 packet (version from the first nibble).
 * Returns 0, or -1 if it is malformed or truncated (R is then undefined). */
int pkt_parse(const uint8_t *buf, size_t len, struct pkt_reply *r);

/* The ports, checksum, TCP sequence or ICMP type, id and sequence of Q
 * (whose proto is set) from the first LEN bytes of its L4 header at L
 * (L may be NULL when LEN is 0); Q's l4len becomes LEN. */
void pkt_quote_l4(struct pkt_quote *q, const uint8_t *l, size_t len);

/* Parse an ICMPv6 message as a raw ICMPv6 socket delivers it (no IPv6
 * header).  The caller zeroes R and fills r->src, r->dst and r->ttl from
 * the socket first.  Returns 0 or -1. */
int pkt_parse_icmp6(const uint8_t *buf, size_t len, struct pkt_reply *r);

/* Parse an upper-layer header PROTO at BUF, as raw sockets without an IP
 * header deliver it (IPv6 TCP, UDP).  The caller zeroes R and fills af,
 * src, dst and ttl.  Returns 0 or -1. */
int pkt_parse_l4(uint8_t proto, const uint8_t *buf, size_t len,
    struct pkt_reply *r);

/* R's RFC 4884 extension objects as warts keeps them, into BUF (at
 * least R->extlen bytes): each object's length field counts its payload
 * only (RFC 4884 counts the 4-byte object header too) and the extension
 * header is dropped; a malformed object ends the copy.  Returns the
 * bytes written (0: no extension, or nothing well formed). */
size_t pkt_ext_warts(const struct pkt_reply *r, uint8_t *buf);

#endif
