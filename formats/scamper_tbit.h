/*
 * scamper_tbit.h: a TCP behaviour inference (tbit) result as plain data.
 *
 * Ownership: scamper_tbit_alloc() returns a zeroed tbit owned by the
 * caller; scamper_tbit_free() frees it with its packets (each packet's
 * bytes), the fast-open cookie and the application strings, and drops
 * its list and cycle references.  Pointers stored in it must come from
 * malloc().
 */
#ifndef SCAMPER_TBIT_H
#define SCAMPER_TBIT_H

#include <stdint.h>
#include <sys/time.h>

#include "scamper_addr.h"
#include "scamper_list.h"

#define SCAMPER_TBIT_TYPE_PMTUD		1
#define SCAMPER_TBIT_TYPE_ECN		2
#define SCAMPER_TBIT_TYPE_NULL		3
#define SCAMPER_TBIT_TYPE_SACK_RCVR	4
#define SCAMPER_TBIT_TYPE_ICW		5
#define SCAMPER_TBIT_TYPE_ABC		6
#define SCAMPER_TBIT_TYPE_BLIND_DATA	7
#define SCAMPER_TBIT_TYPE_BLIND_RST	8
#define SCAMPER_TBIT_TYPE_BLIND_SYN	9
#define SCAMPER_TBIT_TYPE_BLIND_FIN	10

#define SCAMPER_TBIT_APP_HTTP		1
#define SCAMPER_TBIT_APP_SMTP		2
#define SCAMPER_TBIT_APP_DNS		3
#define SCAMPER_TBIT_APP_FTP		4
#define SCAMPER_TBIT_APP_BGP		5

#define SCAMPER_TBIT_PKT_DIR_TX		1
#define SCAMPER_TBIT_PKT_DIR_RX		2

#define SCAMPER_TBIT_OPT_TCPTS		0x01
#define SCAMPER_TBIT_OPT_SACK		0x02

struct scamper_tbit_pkt {
	uint8_t		 dir;		/* SCAMPER_TBIT_PKT_DIR_* */
	struct timeval	 tv;
	uint8_t		*data;		/* from the IP header on, owned */
	uint16_t	 len;
};

struct scamper_tbit {
	struct scamper_list  *list;	/* reference owned, or NULL */
	struct scamper_cycle *cycle;	/* reference owned, or NULL */
	uint32_t	 userid;
	struct scamper_addr src, dst;
	uint16_t	 sport, dport;
	struct timeval	 start;
	uint16_t	 result;
	uint8_t		 type;		/* SCAMPER_TBIT_TYPE_* */
	uint8_t		 app_proto;	/* SCAMPER_TBIT_APP_* */
	uint16_t	 client_mss, server_mss;
	uint8_t		 synretx, dataretx;
	uint8_t		 wscale;
	uint8_t		 ttl;		/* 255 unless set */
	uint32_t	 options;	/* SCAMPER_TBIT_OPT_* */
	uint8_t		 fo_cookie[16];	/* TCP fast-open cookie */
	uint8_t		 fo_cookielen;
	struct scamper_tbit_pkt *pkts;	/* owned array */
	uint32_t	 pktc;

	/* test-specific data, by type */
	uint16_t	 pmtud_mtu;
	uint8_t		 pmtud_ptb_retx, pmtud_options;	/* 0x01 blackhole */
	struct scamper_addr pmtud_ptbsrc;
	uint16_t	 null_options, null_results;
	uint32_t	 icw_start_seq;
	int32_t		 blind_off;
	uint8_t		 blind_retx;

	/* application data */
	char		*http_host, *http_file;	/* owned, or NULL */
	uint8_t		 http_type;	/* 0 http, 1 https */
	uint32_t	 bgp_asn;

	/* zero bytes trailing the type-1 / type-2 block as read (20211212
	   writes "00 00" for an empty null block): kept for round trips */
	uint8_t		 pad1, pad2;
};

/* A zeroed tbit with ttl 255, or NULL (ENOMEM).  Free with
 * scamper_tbit_free(). */
struct scamper_tbit *scamper_tbit_alloc(void);
/* Free T and everything it owns; NULL is ignored. */
void scamper_tbit_free(struct scamper_tbit *t);
/* Names used in text and JSON, or NULL if unknown. */
const char *scamper_tbit_type_tostr(uint8_t type);
const char *scamper_tbit_result_tostr(uint16_t result);
const char *scamper_tbit_app_tostr(uint8_t app);

/* One packet's IPv4 and TCP headers, decoded by scamper_tbit_pkt_decode
 * with sequence numbers relative to the ISNs seen so far (see
 * struct scamper_tbit_isn); opt points into the packet. */
struct scamper_tbit_pktinfo {
	uint8_t		 v6;			/* IPv6: no ID or fragment */
	uint8_t		 ip_hlen, ip_ecn, ip_ttl, frag_mf, frag_df;
	uint16_t	 ip_id, frag_off;	/* frag_off in bytes */
	uint8_t		 tcp_hlen, tcp_flags;
	uint16_t	 tcp_win, datalen;
	uint32_t	 seq, ack;		/* relative */
	const uint8_t	*opt;
	uint8_t		 optlen;
};

/* The client's (TX) and server's (RX) initial sequence numbers as the
 * packets are walked in order: each is 0 until its SYN is seen. */
struct scamper_tbit_isn {
	uint32_t	 client, server;
	uint8_t		 have_client, have_server;
};

/* Decode P, an IPv4 or IPv6 TCP packet, updating ISN when P is a SYN.
 * Returns 0, 1 if only the IP header is decoded (an IPv4 fragment other
 * than the first, not TCP, or the TCP header does not fit), or -1 if P
 * is neither IPv4 nor IPv6. */
int scamper_tbit_pkt_decode(const struct scamper_tbit_pkt *p,
    struct scamper_tbit_isn *isn, struct scamper_tbit_pktinfo *i);

/* P's time since START as sc_warts2json prints it: whole seconds (-1
 * and so on when P is earlier) in *SEC, microseconds in *USEC. */
void scamper_tbit_pkt_reltime(const struct scamper_tbit_pkt *p,
    const struct timeval *start, long *sec, long *usec);

/* The ISN a SACK block in a packet of direction DIR is relative to. */
uint32_t scamper_tbit_sack_base(const struct scamper_tbit_isn *isn,
    uint8_t dir);

/* Into BUF (LEN bytes) the TCP flags of a packet as sc_warts2text prints
 * them: SYN[/ACK], FIN or RST, then /ECE and /CWR ("" for none). */
void scamper_tbit_pkt_flagstr(uint8_t tcp_flags, char *buf, size_t len);

/* Append to BUF (LEN bytes, NUL-terminated) " {left:right,...}" for the
 * blocks of a SACK option in I, relative to BASE. */
void scamper_tbit_pkt_sackstr(const struct scamper_tbit_pktinfo *i,
    uint32_t base, char *buf, size_t len);

#endif
