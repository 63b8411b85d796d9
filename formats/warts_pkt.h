/*
 * warts_pkt.h: the packet records tbit, sting and sniff records end with,
 * one codec for all: a u8 (tbit's direction, sting's flags; sniff's have
 * none), the time, the length and the bytes from the IP header on
 * (warts-format.md 8.5, 8.6, 8.7).  Each record type names where its
 * packet struct keeps those four.
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

/* For a record that ends with packet records (tbit, sting, sniff), while
 * reading: the IDs (warts_rd_ids), then the *PKTC packets its parameters
 * gave into a new array stored (once it exists, so the record's free
 * releases what was read) at *PKTS, the address of the record's array
 * pointer; *PKTC is 0 until then.  Returns 0 or -1 (R->rb failed). */
int warts_rd_ids_pkts(struct wrec_rd *r, void *obj,
    const struct warts_pkt_layout *l, void *pkts, uint32_t *pktc);

/* The same, writing: OBJ's parameters (*PKTC made 0 when PKTS is NULL),
 * then its packets (one without data written with length 0). */
void warts_wr_params_pkts(struct wbuf *wb, const struct warts_rec *rec,
    void *obj, struct wrec_tmp *x, const struct warts_pkt_layout *l,
    const void *pkts, uint32_t *pktc);

#endif
