/*
 * dlfilter.h: packet filters for the datalink, compiled from pcap
 * expressions by the prober itself (dlf_expr.c; libpcap is not linked:
 * its chain of libraries cost an idle prober about 0.4 MB), run in the
 * kernel on a datalink socket and, for the users sharing one socket, in
 * the prober.
 *
 * The prober compiles every filter itself, inside its sandbox: a filter
 * the kernel runs is checked by the kernel when it is attached, so the
 * helper never sees one.  The expressions are the ones the prober makes
 * (sniff's, neighbour discovery's, the taps' joined with "or"), never a
 * user's, and the compiler knows what they use of pcap's language, with
 * pcap's meaning (tests/unit/test_dlfilter.c holds it to libpcap's):
 * "and", "or", "not" ("&&", "||", "!"), parentheses; the primitives ip,
 * ip6, icmp, icmp6, arp (Ethernet only), "host ADDR", "ip host ADDR",
 * "ip6 host ADDR"; relations (==, =, !=, <, <=, >, >=) between
 * arithmetic expressions (+ - * / & | << >>, numbers in decimal, 0x
 * hex or 0 octal) over loads PROTO[INDEX] and PROTO[INDEX : 1|2|4] of ether, ip,
 * ip6, arp, icmp (which, as in pcap, refuses IPv4 fragments after the
 * first) and icmp6.  Anything else is refused naming the problem and
 * its place.
 */
#ifndef PROBER_NET_DLFILTER_H
#define PROBER_NET_DLFILTER_H

#include <stddef.h>
#include <stdint.h>

#include "neigh.h"

/* Frames are captured whole (the snapshot length of compiled filters). */
#define DLFILTER_SNAPLEN	262144

struct dlfilter;

/* Compile pcap expression EXPR for frames of a KIND link (Ethernet
 * framing for Ethernet and loopback, raw IP for RAWIP).  Returns the
 * filter, or NULL with the reason in ERR (and NULL for a link kind with
 * no framing). */
struct dlfilter *dlfilter_compile(enum neigh_link kind, const char *expr,
    char *err, size_t errlen);

/* Free F (NULL is ignored). */
void dlfilter_free(struct dlfilter *f);

/* Nonzero if F accepts FRAME (CAPLEN bytes read of a frame of WIRELEN). */
int dlfilter_match(const struct dlfilter *f, const uint8_t *frame,
    size_t caplen, size_t wirelen);

/* The number of instructions of F's program. */
size_t dlfilter_len(const struct dlfilter *f);

/* Run F in the kernel on datalink socket FD, or (F NULL) let nothing
 * through.  Returns 0, or -1 with errno (EOPNOTSUPP where the system
 * has no socket filters). */
int dlfilter_attach(int fd, const struct dlfilter *f);

#endif
