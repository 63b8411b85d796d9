/*
 * io.h: the core's network, as an ops table.  The core sends probes,
 * hears replies, asks for routes and interface MTUs and uses the datalink
 * only through the struct core_io it is given (core_new_io): io_sock.c
 * makes the real one (raw sockets, datalink sockets, the routing table);
 * the in-process test harness (tests/harness) gives a simulated network
 * and a simulated clock instead.  What the network tells the core comes
 * back through the struct io_up the core attaches.
 *
 * A technique never sees this: it uses task_* (task.h).  New needs of
 * the next techniques are added here as ops, with the socket version in
 * io_sock.c and a simulated one in the harness (or NULL there, when the
 * core can say "not in this network").
 */
#ifndef PROBER_CORE_IO_H
#define PROBER_CORE_IO_H

#include <stddef.h>
#include <stdint.h>

#include "iftab.h"
#include "loop.h"
#include "netio.h"
#include "pkt.h"
#include "stamp.h"

/* What the network layer calls in the core. */
struct io_up {
	void	*arg;
	/* A reply arrived; RX is its receive time (the kernel's).  Every
	 * send time that has come (up->sent) is reported before it. */
	void	(*reply)(void *arg, const struct pkt_reply *r,
		    const struct stamp *rx);
	/* What became of probe TOKEN/TAG (as given to send or dl_send):
	 * netio_tx_cb in netio.h.  Every probe handed on with a token ends
	 * with one STAMPED or NOSTAMP; a queued one may end REFUSED. */
	void	(*sent)(void *arg, void *token, uint32_t tag,
		    enum netio_txev ev, int err, const struct stamp *tx);
	/* A frame seen on a datalink some task asked for (dl_frame_cb in
	 * dl.h: a reply arriving, or a probe leaving when OUTGOING; send
	 * times that have come are reported before a reply).  Returns 1 if
	 * a reply was delivered. */
	int	(*frame)(void *arg, const struct pkt_reply *r,
		    const struct stamp *ts, int outgoing,
		    const uint32_t *fragid);
	/* Reply R comes after the one being delivered (a hint to bring
	 * what matching it reads into the cache; R is valid during the
	 * call only).  NULL: not wanted. */
	void	(*hint)(void *arg, const struct pkt_reply *r);
};

/* One task's use of the datalink (opaque to the core). */
struct io_dl;

/* The datalink asked for is ready (ERR 0) or cannot be had (ERR an
 * errno, WHY a sentence). */
typedef void io_dl_ready(void *arg, int err, const char *why);

/* A frame a tap accepted (dl_tap_cb in dl.h). */
typedef void io_dl_frame(void *arg, const uint8_t *frame, size_t len,
    size_t linkhdr, const struct stamp *ts, int outgoing);

#define IO_DL_VIA	0x1	/* send to a router at layer 2 */
#define IO_DL_TS	0x2	/* receive with datalink timestamps */

struct io_ops {
	/* From now on tell UP (copied) what happens; L is the core's loop.
	 * Called once, by core_new_io.  Returns 0, or -1 with errno. */
	int	(*attach)(void *ctx, struct loop *l, const struct io_up *up);
	/* Release everything (descriptors included) and CTX itself. */
	void	(*free)(void *ctx);

	/* Send the IP packet PKT (LEN bytes); TX gets the clock read
	 * before the send (or when the batch began, see netio_send); what
	 * becomes of it goes to up->sent.  Returns 0 or -1 with errno. */
	int	(*send)(void *ctx, const uint8_t *pkt, size_t len,
		    struct stamp *tx, void *token, uint32_t tag);
	/* ON: queue what is sent until the call with ON 0 (the pump's
	 * pass), which sends it and reports through up->sent. */
	void	(*batch)(void *ctx, int on);
	/* Nonzero while nothing more can be sent (a full send buffer).
	 * Asked between probes: a queue that could not take another probe
	 * is sent first, so the answer holds for the next one. */
	int	(*blocked)(void *ctx);
	/* TOKEN is going away: its queued probes go unreported.  Returns
	 * how many there were (those handed on are still reported). */
	int	(*forget)(void *ctx, const void *token);

	/* The source address towards DST (16-byte buffers).  Returns 0, or
	 * -1 with errno (ENETUNREACH). */
	int	(*route_src)(void *ctx, int af, const uint8_t *dst,
		    uint8_t *src);
	/* The MTU of the interface holding local address SRC.  Returns 0,
	 * or -1 with errno. */
	int	(*ifmtu)(void *ctx, int af, const uint8_t *src,
		    uint16_t *mtu);

	/* The datalink (see dl.h and task_datalink): a new use wanting
	 * WANT (IO_DL_*) for family AF towards DST via router RTR; READY
	 * (ARG, ...) once, later, from the loop.  NULL with WHY if refused
	 * at once. */
	struct io_dl *(*dl_new)(void *ctx, int want, int af,
		    const uint8_t *dst, const uint8_t *rtr, io_dl_ready *ready,
		    void *arg, char *why, size_t whylen);
	void	(*dl_free)(void *ctx, struct io_dl *d);
	/* Send PKT as a frame to D's router; TX and up->sent as for send.
	 * 0, or -1 with errno. */
	int	(*dl_send)(void *ctx, struct io_dl *d, const uint8_t *pkt,
		    size_t len, struct stamp *tx, void *token, uint32_t tag);
	/* Reply R came from a raw socket for D's task: read D's datalink
	 * first; nonzero if R was (or has now been) delivered from there,
	 * and must not be delivered again. */
	int	(*dl_seen)(void *ctx, struct io_dl *d,
		    const struct pkt_reply *r);

	/* Whole frames and interfaces (neighbourdisc, sniff; see
	 * dl_tap_new in dl.h): NULL when this network has none, and the
	 * core refuses them by name.  A tap on interface IFINDEX: FRAME
	 * (ARG, ...) hears of each frame pcap expression EXPR accepts (EXPR
	 * NULL: none); with SEND, dl_send_frame may send whole frames. */
	struct io_dl *(*dl_tap_new)(void *ctx, uint32_t ifindex,
		    const char *expr, int send, io_dl_frame *frame,
		    io_dl_ready *ready, void *arg, char *why, size_t whylen);
	/* Send the whole frame FRAME on tap D; TX and up->sent as for
	 * send.  0, or -1 with errno. */
	int	(*dl_send_frame)(void *ctx, struct io_dl *d,
		    const uint8_t *frame, size_t len, struct stamp *tx,
		    void *token, uint32_t tag);
	/* The interface called NAME, or holding local address ADDR, into
	 * IF.  0, or -1 with errno (ENODEV, EADDRNOTAVAIL). */
	int	(*if_byname)(void *ctx, const char *name,
		    struct iftab_if *ifp);
	int	(*if_byaddr)(void *ctx, int af, const uint8_t *addr,
		    struct iftab_if *ifp);
	/* An address of family AF of interface IFINDEX (iftab_addr).  0, or
	 * -1 with errno. */
	int	(*if_addr)(void *ctx, uint32_t ifindex, int af,
		    const uint8_t *near, uint8_t *addr);
	/* The next hop towards DST (16 bytes) into RTR: 0, with RTR the
	 * router or DST itself when it is on a link; 1 when DST is this
	 * host's; -1 with errno.  NULL: IPv4 TCP probes go raw (tcpdl.c). */
	int	(*next_hop)(void *ctx, int af, const uint8_t *dst,
		    uint8_t *rtr);

	/* Firewall leases for connections made by hand (tbit, sting; see
	 * netio_fw_lease_fn): NULL when this network has none (no -F).
	 * DONE(ARG, ...) once, later, from the loop. */
	void	*(*fw_lease)(void *ctx, const struct netio_fw_rule *r,
		    netio_fw_done *done, void *arg);
	void	(*fw_release)(void *ctx, void *lease);

	/* Counters (NULL: none kept). */
	const struct netio_stats *(*stats)(void *ctx);
};

/* A network the core can use: its ops and their context. */
struct core_io {
	const struct io_ops	*ops;
	void			*ctx;
};

/* The real network over FDS (owned from now on, even on failure; see
 * netio_fds).  Returns 0, or -1 with errno. */
int io_sock_new(struct core_io *io, const struct netio_fds *fds);

#endif
