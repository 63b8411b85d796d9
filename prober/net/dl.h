/*
 * dl.h: the prober's datalink: packet sockets on one interface each,
 * asked of scamper-helper when a measurement first needs them (through
 * netio_fds.dl_open) and shared by every measurement after.
 *
 * Two uses:
 *  - sending at layer 2 to a chosen router on the local network (trace
 *    -r): the pool finds the router's interface, resolves its hardware
 *    address from the kernel's neighbour table (provoking resolution if
 *    the table has none) and frames each probe to it;
 *  - datalink timestamps (-O dl): frames leaving and arriving on the
 *    interface towards a destination are read with the kernel's
 *    timestamps and handed to a callback, parsed.
 *
 * Each interface has a socket to send on (which never receives) and,
 * while someone wants timestamps, one to receive on; Linux shows a
 * packet socket the frames other sockets send, so probes sent on the
 * first are seen leaving on the second.  Of a fragmented packet only
 * the first fragment is handed on, as scamper records it (its size, and
 * for IPv6 its fragment identification); the rest are not.
 */
#ifndef PROBER_NET_DL_H
#define PROBER_NET_DL_H

#include <stddef.h>
#include <stdint.h>

#include "loop.h"
#include "neigh.h"
#include "netio.h"
#include "pkt.h"
#include "stamp.h"

#define DL_WANT_VIA	0x1	/* send to a router at layer 2 */
#define DL_WANT_TS	0x2	/* receive with datalink timestamps */
#define DL_WANT_TAP	0x4	/* whole frames by filter (dl_tap_new) */

/* A frame read from a receiving socket: an IP packet arriving (R as
 * parsed) or leaving (OUTGOING; R->q describes the packet as an ICMP
 * error would quote it, so match_key_of_reply gives its flow).  TS is
 * the kernel's timestamp; FRAGID the IPv6 fragment identification if the
 * packet is a first fragment, else NULL.  Returns 1 if the frame was
 * used (a reply delivered), else 0. */
typedef int dl_frame_cb(void *arg, const struct pkt_reply *r,
    const struct stamp *ts, int outgoing, const uint32_t *fragid);

/* A user's datalink is ready (ERR 0) or cannot be had (ERR an errno,
 * WHY a sentence). */
typedef void dl_ready_cb(void *arg, int err, const char *why);

/* A frame a tap's filter accepted: FRAME (LEN bytes, of which the first
 * LINKHDR are the link header), TS the kernel's timestamp, OUTGOING if
 * this host sent it. */
typedef void dl_tap_cb(void *arg, const uint8_t *frame, size_t len,
    size_t linkhdr, const struct stamp *ts, int outgoing);

/* The interface a user is on. */
struct dl_link {
	uint32_t	 ifindex;
	char		 name[32];
	enum neigh_link	 kind;
	size_t		 linkhdr;	/* bytes of link header */
	uint8_t		 mac[NEIGH_MACLEN];	/* zeros if none */
};

struct dl_pool;
struct dl_user;

/* A pool on L asking OPEN(CTX, ...) for sockets (OPEN NULL: every
 * request fails with EPERM), reporting frames to CB(ARG, ...).  Returns
 * NULL on ENOMEM. */
struct dl_pool *dl_pool_new(struct loop *l, netio_dl_open_fn *open,
    void *ctx, dl_frame_cb *cb, void *arg);

/* Close every socket and free P.  Users must have been freed. */
void dl_pool_free(struct dl_pool *p);

/* Report what becomes of probes sent with dl_user_send to CB(ARG, ...),
 * as netio does for its own (netio.h): the kernel's transmit timestamp
 * of each (STAMPED), or none (NOSTAMP). */
void dl_pool_set_txcb(struct dl_pool *p, netio_tx_cb *cb, void *arg);

/* Match every transmit timestamp that has come on the sending sockets
 * (at most once per loop iteration when none is new). */
void dl_pool_tx_drain(struct dl_pool *p);

/* A user wanting WANT (DL_WANT_*) for probes of family AF to DST, sent
 * to router RTR with DL_WANT_VIA (which must be on a directly connected
 * Ethernet; timestamps are then taken on its interface too).  READY(ARG,
 * ...) is called once from the loop, never from this call.  Returns NULL
 * with the reason in WHY if the request is refused at once. */
struct dl_user *dl_user_new(struct dl_pool *p, int want, int af,
    const uint8_t *dst, const uint8_t *rtr, dl_ready_cb *ready, void *arg,
    char *why, size_t whylen);

/* A tap on interface IFINDEX: frames arriving and leaving that pcap
 * expression EXPR accepts go to CB(ARG, ...) (EXPR NULL: none), and with
 * SEND whole frames may be sent (dl_user_send_frame).  Every user of an
 * interface shares its two sockets: the kernel filters for all of them
 * at once, and each tap's own filter picks its frames.  READY(ARG, ...)
 * is called once from the loop.  Returns NULL with the reason in WHY
 * (an unknown interface, a link type not framed, EXPR refused by
 * the filter compiler: its message). */
struct dl_user *dl_tap_new(struct dl_pool *p, uint32_t ifindex,
    const char *expr, int send, dl_tap_cb *cb, dl_ready_cb *ready,
    void *arg, char *why, size_t whylen);

/* Send the whole frame FRAME (LEN bytes, link header included) on tap
 * U's interface.  TX gets the clock read before it was handed to the
 * kernel; its own timestamp is reported later to the pool's tx callback
 * with TOKEN and TAG (if TOKEN is not NULL), as for dl_user_send.
 * Returns 0, or -1 with errno (ENOTCONN before READY said 0). */
int dl_user_send_frame(struct dl_user *u, const uint8_t *frame, size_t len,
    struct stamp *tx, void *token, uint32_t tag);

/* The interface U sends or receives on.  Returns 0, or -1 (ENXIO). */
int dl_user_link(const struct dl_user *u, struct dl_link *l);

/* Forget U (its READY is never called after this). */
void dl_user_free(struct dl_user *u);

/* Nonzero once U's READY said 0 and U receives timestamps. */
int dl_user_rx(const struct dl_user *u);

/* Send the IP packet PKT of LEN bytes to U's router.  TX gets the clock
 * read before it was handed to the kernel; its own timestamp is reported
 * later to the pool's tx callback with TOKEN and TAG (if TOKEN is not
 * NULL).  Returns 0, or -1 with errno. */
int dl_user_send(struct dl_user *u, const uint8_t *pkt, size_t len,
    struct stamp *tx, void *token, uint32_t tag);

/* Read every frame waiting on U's receiving socket now. */
void dl_user_drain(struct dl_user *u);

/* Nonzero if reply R (from a raw socket) was delivered from the datalink
 * (the frame callback returned 1 for it) and its raw copy has not come
 * before: each delivery excuses one raw copy. */
int dl_pool_seen(struct dl_pool *p, const struct pkt_reply *r);

/* Parse FRAME (LEN bytes, with a link header of LINKHDR bytes whose last
 * two are the ethertype, or none if LINKHDR is 0) into R.  OUTGOING
 * rewrites R as a quotation of the packet (see dl_frame_cb).  *FRAG
 * gets 1 and *FRAGID the identification if it is an IPv6 first
 * fragment, else 0.  Returns 0, or -1 if it is not an IPv4/IPv6 packet
 * or is a fragment other than the first. */
int dl_parse_frame(const uint8_t *frame, size_t len, size_t linkhdr,
    int outgoing, struct pkt_reply *r, int *frag, uint32_t *fragid);

#endif
