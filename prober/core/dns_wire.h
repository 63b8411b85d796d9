/*
 * dns_wire.h: the DNS wire codec of the PTR lookups (dns.h): pure
 * functions that build a PTR query, parse a reply (compression pointers
 * followed, every bound checked) and read resolv.conf text.  No I/O;
 * unit tested and fuzzed.
 */
#ifndef PROBER_CORE_DNS_WIRE_H
#define PROBER_CORE_DNS_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

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

#endif
