/*
 * rxring.h: replies read through a packet socket's receive ring (Linux
 * PACKET_RX_RING, TPACKET_V3), for -O pktrecv.
 *
 * The kernel fills blocks of frames and hands each block over whole
 * (when full, or when its retire timeout passes); the reader walks the
 * frames of every block it owns and gives the block back.  Each frame
 * carries the kernel's receive timestamp in its header, flagged
 * TP_STATUS_TS_SOFTWARE when it is the stamp the stack took on arrival
 * (without the flag the kernel read its coarse clock instead: such a
 * frame is reported as having no stamp).
 *
 * A ring may also take the outgoing copies of the probes (-O pktsend
 * with -O pktrecv): the kernel hands every packet sent on the interface
 * to the ring's socket at the device's tap (dev_queue_xmit_nit, just
 * before the driver), stamped then; rxring_filter_copies keeps of them
 * the first RXRING_COPY bytes of IPv4 UDP, ICMP and TCP and of IPv6
 * UDP, ICMPv6, TCP or an extension header, and the reader hands them
 * to a callback of their own (their time is the probe's send time).
 *
 * The filters: rxring_filter_replies lets through only what the raw
 * ICMP, ICMPv6 and TCP sockets would have taken of a link's frames for
 * this host (not PACKET_OTHERHOST): IPv4 ICMP or TCP that is not a
 * later fragment; IPv6 whose upper layer is ICMPv6 or TCP, after up to
 * RXRING_EXT6 - 1 extension headers (hop-by-hop, routing, destination
 * options, a first fragment).  rxring_filter_not_ifs, put on those raw
 * sockets, keeps from them whatever arrived on an interface whose ring
 * reads it, so nothing is delivered twice.  Both are classic BPF, built
 * here by hand.
 */
#ifndef PROBER_NET_RXRING_H
#define PROBER_NET_RXRING_H

#include <stddef.h>
#include <stdint.h>

#include "stamp.h"

#define RXRING_BLOCK	(1u << 16)	/* bytes per block: 4 MB a ring, as
					   the raw sockets' receive buffers */
#define RXRING_BLOCK_SMALL (1u << 14)	/* bytes per block below -p 25000
					   (OPTS_RXSMALL_PPS): 1 MB a ring,
					   as long a hold at a trickle */
#define RXRING_BLOCK_TINY (1u << 13)	/* bytes per block below -p 12500
					   (OPTS_RXTINY_PPS): 512 KB a ring,
					   as long a hold at a trickle */
#define RXRING_BLOCKS	64		/* blocks in a ring */
#define RXRING_FRAME	2048		/* bytes a frame may take */
#define RXRING_TMO_MS	4		/* a block is handed over after: a
					   block handed over takes its whole
					   size, so BLOCKS x TMO_MS is the
					   least time the ring holds */
#define RXRING_MAXIF	8		/* interfaces a raw filter names */
#define RXRING_EXT6	4		/* IPv6 headers the replies filter
					   looks through: the fixed one's
					   next, then 3 extension headers */
#define RXRING_PROGMAX	128		/* instructions of a filter at most */
#define RXRING_COPY	64		/* bytes of an outgoing packet's copy
					   (after its link header) */

/* One classic BPF instruction (struct sock_filter's layout). */
struct rxring_insn {
	uint16_t	code;
	uint8_t		jt, jf;
	uint32_t	k;
};

/* A frame's IP packet NET (LEN bytes) on interface IFINDEX, received at
 * TS (the kernel's), or with TS NULL: no kernel timestamp. */
typedef void rxring_cb(void *arg, const uint8_t *net, size_t len,
    uint32_t ifindex, const struct stamp *ts);

/* The end of a block's frames, called before the block goes back to
 * the kernel: whatever was kept of its frames must be done with. */
typedef void rxring_end_cb(void *arg);

struct rxring;

/* Build into PROG (RXRING_PROGMAX) the filter of replies for frames
 * with a link header of HLEN bytes (14 Ethernet, 0 raw IP).  Returns
 * the number of instructions. */
int rxring_filter_replies(int hlen, struct rxring_insn *prog);

/* Build into PROG the filter of outgoing copies for frames with a link
 * header of HLEN bytes (see above; it does not look at the direction).
 * Returns the number of instructions. */
int rxring_filter_copies(int hlen, struct rxring_insn *prog);

/* Build into PROG (RXRING_PROGMAX) the filter of replies and, for
 * outgoing frames, of copies.  Returns the number of instructions. */
int rxring_filter_both(int hlen, struct rxring_insn *prog);

/* Build into PROG the filter that drops packets that arrived on any of
 * the N (at most RXRING_MAXIF) interfaces IFS and accepts the rest.
 * Returns the number of instructions. */
int rxring_filter_not_ifs(const uint32_t *ifs, int n,
    struct rxring_insn *prog);

/* Attach PROG (LEN instructions) to socket FD.  Returns 0, or -1 with
 * errno. */
int rxring_attach(int fd, const struct rxring_insn *prog, int len);

/* Give socket FD (AF_PACKET, SOCK_RAW, bound to one interface) a
 * receive ring of RXRING_BLOCKS blocks of BSIZE bytes (RXRING_BLOCK,
 * RXRING_BLOCK_SMALL or RXRING_BLOCK_TINY), ingress only unless OUT, with receive
 * timestamps, and map it.  Returns the ring, or NULL with errno. */
struct rxring *rxring_new(int fd, uint32_t bsize, int out);

/* Hand R's outgoing frames to OUT (with rxring_read's ARG) from now on;
 * NULL: skip them (the default). */
void rxring_set_out(struct rxring *r, rxring_cb *out);

/* A ring of NBLOCKS blocks of BSIZE bytes over MEM, which the caller
 * owns (for tests).  Returns NULL on ENOMEM or EINVAL. */
struct rxring *rxring_over(void *mem, uint32_t nblocks, uint32_t bsize);

/* Unmap and free R (NULL: nothing). */
void rxring_free(struct rxring *r);

/* The frames socket FD's ring took and dropped (full) since the last
 * call, into *GOT and *DROPPED.  Returns 0, or -1 with errno. */
int rxring_counts(int fd, uint32_t *got, uint32_t *dropped);

/* Hand every frame of up to MAXBLOCKS blocks the kernel has given us,
 * in order, to CB(ARG, ...), call END(ARG) (if not NULL) after each
 * block that had frames, and give the blocks back.  Returns the number
 * of frames handed on. */
int rxring_read(struct rxring *r, int maxblocks, rxring_cb *cb,
    rxring_end_cb *end, void *arg);

#endif
