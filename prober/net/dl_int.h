/*
 * dl_int.h: the socket-level half of the datalink (dl.c), used by the
 * pool (dl_pool.c).  Internal to prober/net.
 */
#ifndef PROBER_NET_DL_INT_H
#define PROBER_NET_DL_INT_H

#include <stddef.h>
#include <stdint.h>

#include "dl.h"
#include "dlfilter.h"
#include "neigh.h"

/* A frame read (FRAME, LEN bytes, link header included), with the
 * kernel's timestamp TS; OUTGOING if this host sent it. */
typedef void dl_raw_cb(void *arg, const uint8_t *frame, size_t len,
    const struct stamp *ts, int outgoing);

/* Bytes of link header on a KIND link (0 for raw IP). */
size_t dl_linkhdr(enum neigh_link kind);

/* Make FD non-blocking and close-on-exec; for receiving (RX) turn on
 * receive timestamps (nanoseconds) and a larger buffer.  Returns 0 or -1
 * with errno. */
int dl_sock_prep(int fd, int rx);

/* Let FD receive the frames F accepts, or nothing (F NULL: a socket
 * used only to send); with DRAIN drop what is queued.  Returns 0 or -1
 * with errno. */
int dl_sock_filter(int fd, const struct dlfilter *f, int drain);

/* Read one frame from FD (a KIND link): hand it whole to RAW(RAWARG,
 * ...) if RAW is not NULL, then, if CB is not NULL, parse it and hand
 * it to CB(ARG, ...).  *USED gets CB's answer (0 if not called), FP the
 * frame's fingerprint if it arrived.  Returns 1 if a frame was read
 * (used or not), 0 when FD is drained. */
int dl_sock_read(int fd, enum neigh_link kind, dl_frame_cb *cb, void *arg,
    dl_raw_cb *raw, void *rawarg, int *used, uint64_t *fp);

/* Send the IP packet PKT (LEN bytes) on FD from SRC to DST (hardware
 * addresses) on a KIND link.  TX gets the clock read just before it was
 * handed to the kernel.  Returns 0 or -1 with errno. */
int dl_sock_send(int fd, enum neigh_link kind, const uint8_t *dst,
    const uint8_t *src, const uint8_t *pkt, size_t len, struct stamp *tx);

/* Send the whole frame FRAME (LEN bytes) on FD.  TX gets the clock read
 * just before it was handed to the kernel.  Returns 0 or -1 with errno. */
int dl_sock_send_frame(int fd, const uint8_t *frame, size_t len,
    struct stamp *tx);

/* A fingerprint of a reply: its family, protocol, source and the first
 * bytes of its upper layer (what both a raw socket and the datalink
 * see).  0 if R has no upper layer. */
uint64_t dl_fingerprint(const struct pkt_reply *r);

#endif
