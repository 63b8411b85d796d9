/*
 * dns.h: a small asynchronous DNS client for the PTR names of addresses
 * (trace -O ptr).  The resolver (dns.c) speaks through the wire codec of
 * dns_wire.h: UDP to the nameservers of /etc/resolv.conf on the
 * prober's event loop, random query IDs, replies matched by ID,
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

#include <stdint.h>
#include <sys/socket.h>

struct loop;

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
