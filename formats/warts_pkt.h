/*
 * warts_pkt.h: the packet records tbit and sting records end with, one
 * codec for both: a u8 (tbit's direction, sting's flags), the time, the
 * length and the bytes from the IP header on (warts-format.md 8.5, 8.7).
 * Each record type names where its packet struct keeps those four.
 */
#ifndef WARTS_PKT_H
#define WARTS_PKT_H

#include <stddef.h>
#include <stdint.h>

#include "warts_int.h"

/* Where a packet struct keeps the four fields, and its size. */
struct warts_pkt_layout {
	size_t	size, u8, tv, data, len;
};

/* The layout of packet struct TYPE whose u8 field is named U8. */
#define WARTS_PKT_LAYOUT(type, u8f) { sizeof(type), offsetof(type, u8f), \
	offsetof(type, tv), offsetof(type, data), offsetof(type, len) }

/* The layout of packet struct TYPE, which has no u8: its records start
 * at the time. */
#define WARTS_PKT_NONE	((size_t)-1)
#define WARTS_PKT_LAYOUT_NOU8(type) { sizeof(type), WARTS_PKT_NONE, \
	offsetof(type, tv), offsetof(type, data), offsetof(type, len) }

/* Read N packet records of layout L into a new array, stored (once it
 * exists, so the record's free releases what was read) at *PKTS (the
 * address of the record's array pointer) with *PKTC = N.  Returns 0 or
 * -1 (RB failed). */
int warts_pkts_read(struct rbuf *rb, uint32_t n,
    const struct warts_pkt_layout *l, void *pkts, uint32_t *pktc);

/* Write the N packet records of layout L at PKTS (a packet without data
 * is written with length 0). */
void warts_pkts_write(struct wbuf *wb, const void *pkts, uint32_t n,
    const struct warts_pkt_layout *l);

#endif
