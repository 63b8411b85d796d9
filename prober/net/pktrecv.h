/*
 * pktrecv.h: replies read through receive rings (-O pktrecv): one
 * AF_PACKET socket per interface the packet send path uses, asked of
 * scamper-helper through netio_fds.dl_open, filtered in the kernel to
 * ICMP, ICMPv6 and TCP for this host (rxring.h), read through a
 * TPACKET_V3 ring with the kernel's receive stamps.  While an interface
 * has its ring, the raw ICMP, ICMPv6 and TCP sockets are given a filter
 * that drops what arrived on it, so no reply is delivered twice;
 * replies on other interfaces (loopback, say) still come on the raw
 * sockets.  While every interface that is up, not loopback and has an
 * address of the family has a ring (and none was refused), the raw ICMP
 * and ICMPv6 sockets block time exceeded as well (ICMP_FILTER,
 * ICMP6_FILTER): the kernel then clones most of a trace's replies for
 * them no more.  With a callback for them, a ring also takes the outgoing
 * copies of the probes (rxring.h: their send times), handed to it
 * apart from the replies; the host's own outgoing packets (its
 * kernel's RST to a SYN-ACK, say) come there too, never as replies.
 */
#ifndef PROBER_NET_PKTRECV_H
#define PROBER_NET_PKTRECV_H

#include <stdint.h>

#include "loop.h"
#include "netio.h"
#include "rxring.h"

#define PKTRECV_NRAW	4	/* raw sockets kept from ring interfaces:
				   ICMP, ICMPv6, TCP, TCPv6 */

struct pktrecv;

/* Rings of blocks of BSIZE bytes (rxring_new) asked of OPEN(CTX, ...),
 * each frame handed to CB(ARG, ...) (an outgoing copy to OUT(ARG, ...);
 * OUT NULL: none taken) and END(ARG) called (if not NULL) after each
 * block's frames, before the block goes back; RAW: the raw sockets (-1
 * where none) to filter.  Returns NULL on ENOMEM. */
struct pktrecv *pktrecv_new(struct loop *l, netio_dl_open_fn *open,
    void *ctx, uint32_t bsize, const int raw[PKTRECV_NRAW], rxring_cb *cb,
    rxring_cb *out, rxring_end_cb *end, void *arg);

/* Close every ring and free P (sockets still being opened are closed
 * when they come).  The raw sockets keep their filters. */
void pktrecv_free(struct pktrecv *p);

/* Read interface IFINDEX (link header HLEN bytes) through a ring from
 * now on (once asked, later calls do nothing). */
void pktrecv_add(struct pktrecv *p, uint32_t ifindex, int hlen);

/* Interfaces read through a ring now. */
int pktrecv_count(const struct pktrecv *p);

#endif
