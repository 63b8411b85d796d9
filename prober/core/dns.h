/*
 * dns.h: a small asynchronous DNS client for the PTR names of addresses
 * (trace -O ptr).  Two halves:
 *
 *  - the wire codec (dns_wire.c): pure functions that build a PTR query,
 *    parse a reply (with compression pointers, every bound checked) and
 *    read resolv.conf text; unit tested and fuzzed;
 *  - the resolver (dns.c): UDP to the nameservers of /etc/resolv.conf on
 *    the prober's event loop, random query IDs, replies matched by ID,
 *    source and question, a timeout (5 s) and one retry (to the next
 *    nameserver, if there is one), and a small cache so an address is
 *    asked once for a while.
 *
 * The nameservers are read by dns_setup() before privilege is dropped
 * (afterwards no file can be opened); the sockets, one per address family,
 * are made when a query needs them (the sandbox permits UDP sockets) and
 * closed when no query is in flight.
 */
#ifndef PROBER_CORE_DNS_H
#define PROBER_CORE_DNS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct loop;

/* ---- the wire codec (dns_wire.c) ------------------------------------- */

#define DNS_NAME_MAX	1024	/* a presentation name, with NUL */
#define DNS_MSG_MAX	512	/* a query's room (replies: UDP, 512) */
#define DNS_NS_MAX	3	/* nameservers used, as the C library's */

/* The PTR query for ADDR (AF_INET: 4 bytes, AF_INET6: 16) with ID and
 * recursion desired, into BUF of LEN bytes.  Returns its length, or -1
 * (EINVAL: bad family; ENOSPC: BUF too small). */
int	dns_ptr_query(uint8_t *buf, size_t len, uint16_t id, int af,
	    const uint8_t *addr);

/* Results of dns_ptr_parse. */
#define DNS_BAD		(-1)	/* not a good reply to this query */
#define DNS_NONAME	0	/* an answer: no name (NXDOMAIN, ...) */
#define DNS_NAME	1	/* an answer with a name */

/* Parse REPLY (LEN bytes) as the answer to QUERY (QLEN bytes, as built by
 * dns_ptr_query): same ID, a response, the same question.  On DNS_NAME
 * NAME (NAMELEN bytes, at least DNS_NAME_MAX) gets the first PTR of the
 * question's name (after CNAMEs), in presentation form without the final
 * dot; bytes other than letters, digits, '-' and '_' in a label are
 * written \DDD.  Never reads outside REPLY; a pointer loop or a name
 * over 255 bytes is DNS_BAD. */
int	dns_ptr_parse(const uint8_t *reply, size_t len, const uint8_t *query,
	    size_t qlen, char *name, size_t namelen);

/* The nameservers (port 53) named by resolv.conf text TEXT: at most MAX
 * into NS.  Returns how many (0: none). */
int	dns_resolv_parse(const char *text, struct sockaddr_storage *ns,
	    int max);

/* ---- the resolver (dns.c) -------------------------------------------- */

struct dns;
struct dns_query;

/* A lookup is over: NAME is the PTR name, or NULL if there is none or no
 * answer came (valid during the call only). */
typedef void dns_ptr_cb(void *arg, const char *name);

struct dns_stats {
	uint64_t	 queries;	/* datagrams sent, retries included */
	uint64_t	 answers;	/* lookups answered (name or none) */
	uint64_t	 timeouts;	/* lookups given up after the retry */
	uint64_t	 cache_hits;
	uint64_t	 dropped;	/* replies not matching or malformed */
	uint64_t	 overflow;	/* not asked: too many in flight */
};

/* A resolver on L asking the NNS nameservers NS (copied; NNS may be 0:
 * every lookup then ends with no name), each try waiting TIMEOUT_MS.
 * Returns NULL with errno set.  Free with dns_free(). */
struct dns *dns_new(struct loop *l, const struct sockaddr_storage *ns,
	    int nns, int timeout_ms);

/* Free D: lookups in flight are dropped without their callbacks. */
void	dns_free(struct dns *d);

/* The number of nameservers D asks. */
int	dns_nservers(const struct dns *d);

/* Look up the PTR name of ADDR (AF_INET or AF_INET6).  CB(ARG) is called
 * once, from the loop, never from within this call, unless the query is
 * cancelled first.  Returns the query (owned by D until the callback or
 * dns_cancel), or NULL with errno set (ENOMEM, EAFNOSUPPORT). */
struct dns_query *dns_ptr(struct dns *d, int af, const uint8_t *addr,
	    dns_ptr_cb *cb, void *arg);

/* Forget Q: its callback will not be called. */
void	dns_cancel(struct dns *d, struct dns_query *q);

/* Counters so far. */
const struct dns_stats *dns_stats(const struct dns *d);

/* ---- the process's resolver ------------------------------------------ */

/* Read /etc/resolv.conf (before the privilege drop) and make the
 * process's resolver on L.  A missing file or one without nameservers is
 * not an error here: lookups that need one are refused later. */
void	dns_setup(struct loop *l);

/* The resolver dns_setup() made, or NULL if it was not called. */
struct dns *dns_default(void);

#endif
