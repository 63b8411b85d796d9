/*
 * netio.h: the prober's packet I/O on descriptors it was handed (by the
 * privileged helper, or by a test).  Sends whole IP packets built by
 * pkt_build; receives ICMP, ICMPv6 and TCP replies with kernel receive
 * timestamps, parses them and hands each to a callback.  Never blocks:
 * every descriptor is non-blocking and watched by the event loop.
 */
#ifndef PROBER_NET_NETIO_H
#define PROBER_NET_NETIO_H

#include <stdint.h>
#include <sys/time.h>

#include "loop.h"
#include "pkt.h"

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
	void	(*on_lost)(void *ctx, netio_lost_fn *cb, void *arg);
};

struct netio_stats {
	uint64_t	sent;
	uint64_t	send_errors;
	uint64_t	send_waits;	/* a send buffer was full: waited */
	uint64_t	received;
	uint64_t	malformed;
};

typedef void netio_reply_cb(void *arg, const struct pkt_reply *r,
    const struct timeval *rx);

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

/* Send the IP packet PKT (LEN bytes); TX gets the time it was handed to
 * the kernel.  Returns 0, or -1 with errno set (EAFNOSUPPORT if no socket
 * for that family was given).  While batching (netio_batch) the packet
 * is queued, TX gets the time it was queued, and at the next netio_flush
 * the tx callback is called with TOKEN and TAG: the time it was really
 * sent, or the errno the kernel refused it with. */
int netio_send(struct netio *n, const uint8_t *pkt, size_t len,
    struct timeval *tx, void *token, uint32_t tag);

/* A queued probe (TOKEN, TAG as given to netio_send; ARG is netio_new's)
 * went out at TX (ERR 0), or was refused with errno ERR (TX NULL). */
typedef void netio_tx_cb(void *arg, void *token, uint32_t tag, int err,
    const struct timeval *tx);

/* Say who hears how queued probes went; without one nothing is queued. */
void netio_set_txcb(struct netio *n, netio_tx_cb *cb);

/* ON: queue probes from now on (sendmmsg(2) sends them together at the
 * flush); off: flush and send each at once again. */
void netio_batch(struct netio *n, int on);

/* Send what is queued, in order.  If a socket's send buffer is full,
 * the rest wait (netio watches it) and go out as it drains. */
void netio_flush(struct netio *n);

/* TOKEN is going away: its queued probes still go out, unreported. */
void netio_forget(struct netio *n, const void *token);

/* Nonzero while queued probes wait for a full send buffer: send no more
 * (netio_send would refuse with EAGAIN). */
int netio_blocked(const struct netio *n);

/* A probe of LEN bytes went out another way (the datalink): replies to
 * it come in here, so receive buffers must hold them whole. */
void netio_note_tx(struct netio *n, size_t len);

/* Counters since netio_new. */
const struct netio_stats *netio_stats(const struct netio *n);

#endif
