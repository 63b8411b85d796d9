/*
 * txring.h: a packet socket's transmit ring (Linux PACKET_TX_RING,
 * TPACKET_V2): frames are written into memory shared with the kernel and
 * one send(2) hands the kernel every frame written since the last.
 *
 * Each frame is ours (available) until marked "send request"; the
 * send(2) takes such frames in ring order, marking each "sending" (or
 * available again once the driver has released it, at once on veth and
 * TUN), or "wrong format" when it refuses one (and then stops).  What
 * the kernel took is found by walking the frames written, oldest first,
 * after the send(2) (txring_reap): its return value does not say.
 *
 * The kernel's transmit timestamps still come on the socket's error
 * queue, one per frame, keyed by SOF_TIMESTAMPING_OPT_ID as for
 * sendmmsg (txstamp.h): on Linux 6.18 the frame header's tp_sec and
 * tp_nsec are not filled in for sent frames (PACKET_TIMESTAMP set or
 * not), so the ring gives no time of its own.
 */
#ifndef PROBER_NET_TXRING_H
#define PROBER_NET_TXRING_H

#include <stddef.h>
#include <stdint.h>

#define TXRING_FRAMES	256	/* frames in a ring (a power of two) */
#define TXRING_FSIZE	2048	/* bytes per frame, header included */

struct txring;

/* Give socket FD (AF_PACKET, SOCK_RAW) a transmit ring and map it.
 * Returns the ring, or NULL with errno (the socket is then unchanged
 * but for what a failed setsockopt leaves: none on Linux). */
struct txring *txring_new(int fd);

/* A ring of NFRAMES (a power of two) frames of FSIZE bytes over MEM,
 * which the caller owns and keeps (for tests: nothing is mapped).
 * Returns NULL on ENOMEM or EINVAL. */
struct txring *txring_over(void *mem, uint32_t nframes, uint32_t fsize);

/* Unmap and free R (NULL: nothing). */
void txring_free(struct txring *r);

/* Write a frame of link header HDR (HLEN bytes) and packet PKT (LEN
 * bytes) into the next frame and mark it for the next send.  Returns 0,
 * or -1 with errno EAGAIN (the next frame is still the kernel's) or
 * EMSGSIZE (larger than a frame holds). */
int txring_put(struct txring *r, const uint8_t *hdr, size_t hlen,
    const uint8_t *pkt, size_t len);

/* Frames written and not yet taken by the kernel. */
uint32_t txring_pending(const struct txring *r);

/* Nonzero if the next frame is free to be written. */
int txring_room(const struct txring *r);

/* Ask the kernel to send the frames written on FD, as packets of
 * ethertype PROTO (host order) on interface IFINDEX, without blocking.
 * Returns what send(2) did: >= 0, or -1 with errno. */
int txring_kick(struct txring *r, int fd, uint16_t proto, uint32_t ifindex);

/* Walk the frames written, oldest first: returns how many in a row the
 * kernel took (they are no longer pending); *REFUSED is set to 1 if the
 * frame after them was refused (it is made free again and is no longer
 * pending either), else 0. */
uint32_t txring_reap(struct txring *r, int *refused);

/* Give up the oldest pending frame (it will not be sent): after a
 * send(2) that failed without marking it. */
void txring_drop(struct txring *r);

#endif
