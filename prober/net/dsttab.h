/*
 * dsttab.h: the packet path's destination table.
 *
 * An open-addressed hash (linear probing) of 32-byte entries, one lookup
 * a probe.  No call ever works on the whole table: expired entries are
 * removed 16 slots per new destination by a sweeping cursor (moving later entries
 * back, so no tombstones), and a table that must grow is moved into one
 * twice its size a few slots a call, lookups reading the old one until
 * it is empty.  A whole rehash at once stalled the prober for 13-18 ms
 * at 65,536-131,072 slots, most of it faulting in the new table's pages
 * (tests/bench/RESULTS.md, "the stall pairs"): a second of -p 250000
 * missed its rate by that.
 */
#ifndef DSTTAB_H
#define DSTTAB_H

#include <stddef.h>
#include <stdint.h>

#define DST_EMPTY	0	/* dst_ent.state of a free slot */

/* One destination: what the table needs (UNTIL, V6, ADDR, STATE
 * nonzero in use), and the user's fields. */
struct dst_ent {
	int64_t		 until;		/* loop time it is believed until */
	unsigned int	 v6 : 1;	/* AF_INET6, else AF_INET */
	unsigned int	 state : 2;	/* DST_EMPTY, or the user's */
	unsigned int	 why : 3;	/* the user's */
	unsigned int	 slot : 3;	/* the user's */
	uint8_t		 mac[6];	/* the user's */
	uint8_t		 addr[16];
};

struct dsttab {
	struct dst_ent	*t;		/* the table */
	size_t		 n, used;	/* its slots, those in use */
	size_t		 sweep;		/* the next slot swept */
	struct dst_ent	*old;		/* while growing: the table before */
	size_t		 nold, mig;	/* its slots, the next moved */
	uint64_t	 swept, grown;	/* counters: entries expired, grows */
};

/* Make D an empty table.  Returns 0, or -1 (ENOMEM). */
int	dsttab_init(struct dsttab *d);

/* Free D's memory. */
void	dsttab_free(struct dsttab *d);

/* The entry for (AF, A) at loop time NOW: *FRESH is 0 if it is live,
 * 1 if it is new or had expired (then zeroed but for its address, with
 * STATE to be set nonzero by the caller before the next call).  The
 * pointer is good until the next call.  NULL: no memory to grow. */
struct dst_ent *dsttab_get(struct dsttab *d, int af, const uint8_t *a,
	    int64_t now, int *fresh);

#endif /* DSTTAB_H */
