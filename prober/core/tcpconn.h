/*
 * tcpconn.h: a TCP connection crafted by hand, as tbit and sting drive
 * one (the host's own stack is kept out of it by a firewall lease).
 * Pure code: no sockets, no clock, no allocation.  It knows the two
 * endpoints, the sequence numbers, the options offered in the SYN and
 * those the server answered with; it fills pkt_probe segments and
 * decodes the TCP segments that arrive.  What to send when is the
 * technique's business.
 */
#ifndef PROBER_CORE_TCPCONN_H
#define PROBER_CORE_TCPCONN_H

#include <stddef.h>
#include <stdint.h>

#include "pkt.h"

#define TCP_FIN		0x01
#define TCP_SYN		0x02
#define TCP_RST		0x04
#define TCP_PSH		0x08
#define TCP_ACK		0x10
#define TCP_URG		0x20
#define TCP_ECE		0x40
#define TCP_CWR		0x80

/* Sequence-space comparisons (RFC 793 arithmetic modulo 2^32). */
#define SEQ_LT(a, b)	((int32_t)((uint32_t)(a) - (uint32_t)(b)) < 0)
#define SEQ_LEQ(a, b)	((int32_t)((uint32_t)(a) - (uint32_t)(b)) <= 0)
#define SEQ_GT(a, b)	((int32_t)((uint32_t)(a) - (uint32_t)(b)) > 0)
#define SEQ_GEQ(a, b)	((int32_t)((uint32_t)(a) - (uint32_t)(b)) >= 0)

/* What the SYN offers (TCPCONN_O_*). */
#define TCPCONN_O_SACK		0x01	/* SACK permitted */
#define TCPCONN_O_TS		0x02	/* timestamps */
#define TCPCONN_O_WSCALE	0x04	/* window scale (wscale) */
#define TCPCONN_O_FO		0x08	/* fast open, IANA kind 34 */
#define TCPCONN_O_FOEXP		0x10	/* fast open, experimental 254 */

#define TCPCONN_MAXSACK	4

/* A TCP segment as it arrived. */
struct tcpconn_seg {
	uint32_t	 seq, ack;
	uint8_t		 flags;
	uint16_t	 win;
	const uint8_t	*data;		/* payload, in the reply's buffer */
	uint16_t	 datalen;
	uint8_t		 ecn;		/* the IP header's ECN bits */
	/* options found */
	uint16_t	 mss;		/* 0: none */
	int		 sackok;
	int		 wscale;	/* -1: none */
	int		 has_ts;
	uint32_t	 tsval, tsecr;
	int		 nsack;
	uint32_t	 sack[TCPCONN_MAXSACK][2];	/* left, right */
	int		 has_fo;	/* a fast-open option, either kind */
	uint8_t		 fo_cookie[16];
	uint8_t		 fo_len;
};

struct tcpconn {
	int		 af;
	uint8_t		 src[16], dst[16];
	uint16_t	 sport, dport;
	uint8_t		 ttl;
	uint16_t	 ipid;		/* next IPv4 ID */

	/* the SYN's offer */
	uint16_t	 mss;
	uint8_t		 offer;		/* TCPCONN_O_* */
	uint8_t		 wscale;
	uint8_t		 fo_cookie[16];	/* the cookie to send (-f) */
	uint8_t		 fo_len;
	uint32_t	 tsval;		/* our timestamp clock, in ms */

	/* sequence numbers */
	uint32_t	 iss;		/* our initial sequence */
	uint32_t	 snd_nxt;	/* next byte we send */
	uint32_t	 irs;		/* the server's initial sequence */
	uint32_t	 rcv_nxt;	/* next byte expected in order */
	int		 established;	/* the SYN/ACK was seen */
	uint16_t	 win;		/* the window we advertise */

	/* the server's answer */
	uint16_t	 peer_mss;
	int		 peer_sackok;
	int		 peer_ts;	/* timestamps agreed */
	uint32_t	 ts_recent;	/* its last tsval */
	int		 peer_wscale;	/* -1: none */
	int		 peer_fo;	/* a fast-open option came back */
	uint8_t		 peer_cookie[16];
	uint8_t		 peer_cookie_len;
};

/* Set C up from AF, SRC, DST and ports with ISS; the rest zero, the
 * window 65535. */
void tcpconn_init(struct tcpconn *c, int af, const uint8_t *src,
    const uint8_t *dst, uint16_t sport, uint16_t dport, uint32_t iss);

/* Write the SYN's options (C->mss, C->offer, ...) into BUF (40 bytes)
 * and return their length, a multiple of 4. */
size_t tcpconn_syn_opts(const struct tcpconn *c, uint8_t *buf);

/* Write the options of a later segment (timestamps if agreed, and the
 * N SACK blocks of SACK, if any, as fit) into BUF (40 bytes); returns
 * their length. */
size_t tcpconn_opts(const struct tcpconn *c, const uint32_t (*sack)[2],
    int n, uint8_t *buf);

/* Fill P with a segment of C: FLAGS, SEQ, ACK, options OPTS/OPTLEN and
 * PAYLOAD/LEN, the IPv4 ID taken from C (which advances).  TOS holds
 * the ECN bits to set. */
void tcpconn_seg(struct tcpconn *c, struct pkt_probe *p, uint8_t flags,
    uint32_t seq, uint32_t ack, const uint8_t *opts, size_t optlen,
    const uint8_t *payload, size_t len, uint8_t tos);

/* Decode the TCP segment of reply R into S.  Returns 0, or -1 if R is
 * not a whole TCP segment (bad data offset, options overrunning). */
int tcpconn_parse(const struct pkt_reply *r, struct tcpconn_seg *s);

/* Take the server's SYN/ACK S into C: its ISN, options.  Sets
 * established; rcv_nxt = ISN + 1, snd_nxt = iss + 1 (plus data the SYN
 * carried and S acknowledged). */
void tcpconn_synack(struct tcpconn *c, const struct tcpconn_seg *s);

/* Nonzero if segment S belongs to C's connection from the server's
 * side: its ports match (the core matched addresses and our port). */
int tcpconn_mine(const struct tcpconn *c, const struct pkt_reply *r);

#endif
