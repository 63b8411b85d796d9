/*
 * pkt_nd.h: neighbour discovery on Ethernet: an ARP request (IPv4) or a
 * Neighbour Solicitation (IPv6, RFC 4861) framed for the wire, and the
 * reply that answers it (ARP reply, Neighbour Advertisement) recognised
 * by its target.  Pure code, like pkt.h: no I/O, unit tested, fuzzed by
 * the frames the tests feed it.
 *
 * Addresses are 4 (IPv4) or 16 (IPv6) bytes in network order; hardware
 * addresses are Ethernet's 6.
 */
#ifndef PROBER_NET_PKT_ND_H
#define PROBER_NET_PKT_ND_H

#include <stddef.h>
#include <stdint.h>

#define PKT_ND_MACLEN	6
#define PKT_ND_MAXLEN	86	/* the longest frame built (an NS) */

/* Build into BUF (CAP bytes) the Ethernet frame asking for the hardware
 * address of TARGET (family AF) from SRCMAC/SRCIP: ARP "who-has TARGET
 * tell SRCIP" to the broadcast address, or an NS from SRCIP to TARGET's
 * solicited-node multicast group (hop limit 255, SRCMAC in a source
 * link-layer address option).  Returns the frame's length, or 0 if CAP
 * is too small or AF is neither family. */
size_t pkt_nd_request(int af, const uint8_t *srcmac, const uint8_t *srcip,
    const uint8_t *target, uint8_t *buf, size_t cap);

/* Whether FRAME (LEN bytes, LINKHDR of them an Ethernet header) answers
 * for TARGET (family AF): an ARP reply whose sender is TARGET, or an NA
 * whose target is TARGET (IPv6 header followed by ICMPv6, hop limit 255,
 * checksum right).  Returns 1 with MAC set (the ARP sender's hardware
 * address; the NA's target link-layer address option, or the frame's
 * source if it has none), else 0. */
int pkt_nd_reply(int af, const uint8_t *frame, size_t len, size_t linkhdr,
    const uint8_t *target, uint8_t *mac);

/* The pcap expression that selects the replies pkt_nd_reply looks for
 * (for a kernel filter): written into BUF (LEN bytes).  Returns 0, or -1
 * if it does not fit. */
int pkt_nd_filter(int af, const uint8_t *target, char *buf, size_t len);

#endif
