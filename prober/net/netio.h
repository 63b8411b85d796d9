/*
 * netio.h: the prober's packet I/O on descriptors it was handed (by the
 * privileged helper, or by a test).  Sends whole IP packets built by
 * pkt_build; receives ICMP, ICMPv6 and TCP replies with kernel receive
 * timestamps, parses them and hands each to a callback.  Never blocks:
 * every descriptor is non-blocking and watched by the event loop.
 *
 * Times: a reply carries the kernel's receive timestamp (SO_TIMESTAMPNS).
 * A probe's send time is the kernel's transmit timestamp where the
 * system gives one (txstamp.h); until it comes, and for good if it never
 * does, it is the clock read just before the probe was handed to the
 * kernel.  Every transmit timestamp that has come is matched to its
 * probe before any reply is handed on, so a reply is never measured
 * against a send time that was about to be corrected.
 */
#ifndef PROBER_NET_NETIO_H
#define PROBER_NET_NETIO_H

#include <stdint.h>

#include "loop.h"
#include "pkt.h"
#include "stamp.h"

/* A datalink socket asked for is ready: ERR 0 and FD (now the callee's),
 * or ERR an errno and FD -1.  VALUE is unused (the helper client's
 * priv_cb has this shape). */
typedef void netio_dl_done(void *arg, int err, int fd, uint32_t value);

/* Ask for a datalink socket on interface IFINDEX (Linux: AF_PACKET,
 * SOCK_RAW, every protocol, bound to it), e.g. of scamper-helper with
 * priv_open_dl.  DONE(ARG, ...) is called later from the event loop,
 * never from this call.  Returns 0, or -1 with errno. */
typedef int netio_dl_open_fn(void *ctx, uint32_t ifindex,
    netio_dl_done *done, void *arg);

/* The helper behind the descriptors is gone (see netio_fds.on_lost). */
typedef void netio_lost_fn(void *arg);

/* A firewall rule a measurement asks for (tbit, sting): drop the TCP
 * segments DST:DPORT sends to SRC:SPORT before the kernel's own stack
 * answers them with a reset.  SPORT 0: the firewall picks a free port. */
struct netio_fw_rule {
	int		af;		/* AF_INET or AF_INET6 */
	uint8_t		src[16], dst[16];
	uint16_t	sport, dport;
};

/* The rule asked for is in place (ERR 0, SPORT the local port held for
 * it) or was refused (ERR an errno). */
typedef void netio_fw_done(void *arg, int err, uint16_t sport);

/* Ask for rule R; DONE(ARG, ...) follows from the event loop, never from
 * this call, unless the lease is released first.  Returns the lease, or
 * NULL with errno. */
typedef void *netio_fw_lease_fn(void *ctx, const struct netio_fw_rule *r,
    netio_fw_done *done, void *arg);

/* End LEASE: its rule goes now or as soon as the firewall has answered;
 * its DONE is never called after this. */
typedef void netio_fw_release_fn(void *ctx, void *lease);

/* Descriptors netio uses; -1 where absent.  netio owns and closes them.
 * Datalink sockets are asked for when a measurement needs one, through
 * dl_open (NULL: none can be had).  on_lost(dl_ctx, CB, ARG), set by
 * whoever got them from scamper-helper, has CB(ARG) called once from the
 * event loop if the helper goes away (NULL: no helper). */
struct netio_fds {
	int	send4;	/* AF_INET, SOCK_RAW, IPPROTO_RAW (header included) */
	int	icmp4;	/* AF_INET, SOCK_RAW, IPPROTO_ICMP */
	int	tcp4;	/* AF_INET, SOCK_RAW, IPPROTO_TCP */
	int	send6;	/* AF_INET6, SOCK_RAW, IPPROTO_RAW (header included) */
	int	icmp6;	/* AF_INET6, SOCK_RAW, IPPROTO_ICMPV6 */
	int	tcp6;	/* AF_INET6, SOCK_RAW, IPPROTO_TCP */
	netio_dl_open_fn *dl_open;
	void	*dl_ctx;
	/* NETIO_PKT_RING or NETIO_PKT_MMSG: send probes on packet sockets
	 * (one per interface, asked for through dl_open; pktpath.h), the
	 * raw sockets taking what that path cannot, through a transmit ring
	 * (txring.h; sendmmsg where none can be set up) or by sendmmsg;
	 * NETIO_PKT_NONE: on the raw sockets (-O rawsend). */
	int	send_packet;
	/* NETIO_RX_TINY, _SMALL or _LARGE (with send_packet): read ICMP,
	 * ICMPv6 and TCP replies through a receive ring of 512 KB, 1 MB or
	 * 4 MB on each
	 * interface the packet path sends on (pktrecv.h), the raw sockets
	 * taking the rest (-O pktrecv); NETIO_RX_NONE: not. */
	int	recv_packet;
	void	(*on_lost)(void *ctx, netio_lost_fn *cb, void *arg);
	/* The firewall (-F; NULL: none, tbit and sting are refused).  It
	 * is not netio's: it passes through to the core with the rest. */
	netio_fw_lease_fn   *fw_lease;
	netio_fw_release_fn *fw_release;
	void	*fw_ctx;
};

/* How replies come (netio_fds.recv_packet): the tiny rings below -p
 * OPTS_RXTINY_PPS, the small ones below OPTS_RXSMALL_PPS, where the
 * large ones' 3 MB more were a third of the prober's memory at -p 10000
 * (tests/bench/RESULTS.md). */
enum { NETIO_RX_NONE, NETIO_RX_TINY, NETIO_RX_SMALL, NETIO_RX_LARGE };

/* How probes leave (netio_fds.send_packet). */
enum { NETIO_PKT_NONE, NETIO_PKT_RING, NETIO_PKT_MMSG };

struct netio_stats {
	uint64_t	sent;
	uint64_t	send_errors;
	uint64_t	send_waits;	/* a send buffer was full: waited */
	uint64_t	batches;	/* send calls: sendmmsg, or sendto */
	uint64_t	tx_reads;	/* error-queue reads for send times */
	uint64_t	received;
	uint64_t	malformed;
	uint64_t	tx_kernel;	/* send times from the kernel */
	uint64_t	tx_before;	/* ... from the clock before the send */
	uint64_t	tx_stray;	/* transmit timestamps matching nothing */
	uint64_t	tx_copies;	/* of tx_kernel: from receive rings'
					   copies of the probes */
	uint64_t	tx_nocopy;	/* of tx_before: no copy came */
	uint64_t	tx_copy_stray;	/* copies of no packet socket, or
					   without a kernel time */
	uint64_t	rx_nostamp;	/* replies without a kernel timestamp */
	uint64_t	sent_packet;	/* of sent: on packet sockets */
	uint64_t	sent_ring;	/* ... of those, through a TX ring */
	uint64_t	ring_none;	/* packet sockets left without a ring */
	uint64_t	rx_ring;	/* of received: through a receive ring */
	uint64_t	packet_raw;	/* probes the packet path left to the
					   raw sockets (send_packet only) */
	uint64_t	packet_raw_why[8];	/* ... by pktpath_why */
};

/* A reply R, received at RX (the kernel's timestamp). */
typedef void netio_reply_cb(void *arg, const struct pkt_reply *r,
    const struct stamp *rx);

struct netio;

/* Set all of FDS to -1 (and no datalink opener). */
void netio_fds_init(struct netio_fds *fds);

/* Take over FDS (made non-blocking, close-on-exec, timestamping on) and
 * watch the receiving ones in L; CB(ARG, ...) gets every parsed reply.
 * Returns NULL with errno set on failure (FDS are then still the
 * caller's). */
struct netio *netio_new(struct loop *l, const struct netio_fds *fds,
    netio_reply_cb *cb, void *arg);

/* Stop watching and close every descriptor; free N. */
void netio_free(struct netio *n);

/* Give back the send queues and timestamp buffers N is not using (an
 * idle prober: mem_trim_idle calls it); made again when next used. */
void netio_trim(struct netio *n);

/* Send the IP packet PKT (LEN bytes); TX gets the clock read before it
 * was handed to the kernel.  Returns 0, or -1 with errno set
 * (EAFNOSUPPORT if no socket for that family was given).  While batching
 * (netio_batch) the packet is queued, TX gets the clock read when the
 * batch began, and the tx callback hears of it at the next netio_flush.  With a tx
 * callback the kernel's transmit timestamp of the probe (TOKEN, TAG) is
 * reported through it when it comes. */
int netio_send(struct netio *n, const uint8_t *pkt, size_t len,
    struct stamp *tx, void *token, uint32_t tag);

/* What became of a probe sent with a token. */
enum netio_txev {
	NETIO_TX_SENT,		/* a queued probe was handed to the kernel
				   after the clock read TX; its timestamp
				   may follow (not told if its STAMPED came
				   with the flush) */
	NETIO_TX_STAMPED,	/* TX is the kernel's transmit timestamp */
	NETIO_TX_NOSTAMP,	/* no timestamp came: the clock read before
				   the send stands (TX: it, or NULL) */
	NETIO_TX_REFUSED,	/* a queued probe was refused: errno ERR */
};

/* Probe TOKEN/TAG (as given to netio_send; ARG is netio_new's): EV,
 * with TX (NULL for NETIO_TX_REFUSED) or ERR.  Every probe handed to
 * the kernel with a token ends with exactly one STAMPED or NOSTAMP; a
 * queued one may instead end REFUSED.  A probe's STAMPED never comes
 * from inside the netio_send that sent it (its NOSTAMP may, on a
 * socket the kernel gives no timestamps for). */
typedef void netio_tx_cb(void *arg, void *token, uint32_t tag,
    enum netio_txev ev, int err, const struct stamp *tx);

/* Say who hears how probes went; without one nothing is queued. */
void netio_set_txcb(struct netio *n, netio_tx_cb *cb);

/* Reply R will be delivered (netio_reply_cb) after the one being
 * delivered now: a hint to bring what matching it reads into the cache.
 * R is valid during the call only. */
typedef void netio_hint_cb(void *arg, const struct pkt_reply *r);

/* Say who hears of replies about to come (the reply callback's ARG);
 * NULL: nobody. */
void netio_set_hintcb(struct netio *n, netio_hint_cb *cb);

/* Match every transmit timestamp that has come to its probe (at most
 * once per loop iteration when none is new): call before handing on a
 * reply that arrived some other way (the datalink). */
void netio_tx_drain(struct netio *n);

/* ON: queue probes from now on (sendmmsg(2) sends them together at the
 * flush); off: flush and send each at once again. */
void netio_batch(struct netio *n, int on);

/* Send what is queued, in order.  If a socket's send buffer is full,
 * the rest wait (netio watches it) and go out as it drains. */
void netio_flush(struct netio *n);

/* TOKEN is going away: its queued probes still go out, unreported.
 * Returns how many there were.  (Probes already handed to the kernel
 * are still reported, once each: STAMPED or NOSTAMP.) */
int netio_forget(struct netio *n, const void *token);

/* Nonzero while queued probes wait for a full send buffer: send no more
 * (netio_send would refuse with EAGAIN). */
int netio_blocked(const struct netio *n);

/* Send each queue that could not take another probe (a full batch, its
 * arena or its ring), between probes, then netio_blocked: so the next
 * netio_send is refused with EAGAIN only if this said blocked (a send
 * that flushed a full queue itself, found the buffer full and refused,
 * ended the technique that asked). */
int netio_make_room(struct netio *n);


/* A probe of LEN bytes went out another way (the datalink): replies to
 * it come in here, so receive buffers must hold them whole. */
void netio_note_tx(struct netio *n, size_t len);

/* Counters since netio_new. */
const struct netio_stats *netio_stats(const struct netio *n);

#endif
