/*
 * match.h: find the task that owns a reply in O(1).
 *
 * A task registers the flow its probes use: (family, protocol, destination,
 * 16-bit identifier = source port or ICMP id).  A reply is mapped back to
 * that flow (from the quotation of an ICMP error, or from the addresses
 * and ports of a direct reply) and looked up in a hash table.  Which probe
 * of the task it answers (IP ID, sequence, checksum, port offset) is the
 * task's business.  Entries are embedded in their owner: no allocation per
 * registration beyond the slot array.  The table is open addressing over
 * 16-byte slots holding the key's hash beside a pointer to its entry, so
 * a lookup reads one cache line of the table and then only the entry that
 * matches (whose owner the caller goes on to use), never another
 * registration's memory.  The table grows into one twice its size a few
 * old slots per add or delete (lookups read both until the old one is
 * empty), never in one whole rehash: that stalled for 5.5 ms at 100,000
 * flows (tests/bench/match_stall.c).
 */
#ifndef PROBER_NET_MATCH_H
#define PROBER_NET_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "pkt.h"

struct match_key {
	uint8_t		af;
	uint8_t		proto;		/* the probe's protocol */
	uint16_t	id;		/* the probe's sport or ICMP id */
	uint8_t		dst[16];	/* the probe's destination */
};

/* No owner pointer (issue 22: one is held per trace in flight): the
 * owner finds itself from the entry it embeds (container_of), using TAG
 * if its entries live in more than one kind of place. */
struct match_entry {
	struct match_key	 key;
	uint8_t			 linked;
	uint8_t			 tag;	/* the owner's: the table ignores it */
};

struct match_table;

/* An empty table, or NULL on allocation failure.  Free with match_free(). */
struct match_table *match_new(void);

/* Free T; entries still linked are forgotten (they remain their owners'). */
void match_free(struct match_table *t);

/* Link E (key set by the caller).  Returns 0, or -1 with errno
 * EEXIST if another entry has the same key, ENOMEM if growth failed. */
int match_add(struct match_table *t, struct match_entry *e);

/* Unlink E if linked. */
void match_del(struct match_table *t, struct match_entry *e);

/* Link the N entries of E (keys set by the caller): all of
 * them, or none.  Returns 0, or -1 with errno as match_add(). */
int match_add_all(struct match_table *t, struct match_entry *e, size_t n);

/* Unlink those of the N entries of E that are linked. */
void match_del_all(struct match_table *t, struct match_entry *e, size_t n);

/* The entry with key K, or NULL. */
struct match_entry *match_find(const struct match_table *t,
    const struct match_key *k);

/* Bring the slot where key K's lookup starts into the cache (a hint for
 * a reply about to be matched: match_find then misses less). */
void match_prefetch(const struct match_table *t, const struct match_key *k);

/* Number of linked entries. */
size_t match_count(const struct match_table *t);

/* The key under which reply R would have been registered.  Returns 1, or
 * 0 if R cannot answer any probe (e.g. an ICMP error with no usable
 * quote, or an ICMP message of another kind). */
int match_key_of_reply(const struct pkt_reply *r, struct match_key *k);

#endif
