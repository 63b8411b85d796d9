/*
 * scamper_list.h: the list and cycle a measurement belongs to.
 *
 * Lists and cycles are shared by many measurements, so they are reference
 * counted: *_alloc returns an object with one reference, *_use adds one and
 * *_free drops one, freeing the object (and, for a cycle, its reference to
 * its list) when the last goes.  Strings are owned by the object and freed
 * with it; set them with the *_set_* functions, which copy.
 */
#ifndef SCAMPER_LIST_H
#define SCAMPER_LIST_H

#include <stdint.h>

struct scamper_list {
	uint32_t	 id;		/* user-chosen list ID (-L) */
	char		*name;		/* -l, never NULL once set */
	char		*descr;		/* NULL if none */
	char		*monitor;	/* -M, NULL if none */
	int		 refcnt;
};

struct scamper_cycle {
	struct scamper_list *list;	/* one reference owned */
	uint32_t	 id;		/* user-chosen cycle ID (-C) */
	uint32_t	 start_time;	/* seconds since the epoch */
	uint32_t	 stop_time;	/* 0 until the cycle stops */
	char		*hostname;	/* NULL if none */
	int		 refcnt;
};

/* New list with one reference, or NULL (ENOMEM).  NAME/DESCR/MONITOR are
 * copied; each may be NULL. */
struct scamper_list *scamper_list_alloc(uint32_t id, const char *name,
    const char *descr, const char *monitor);
/* Add a reference; returns L. */
struct scamper_list *scamper_list_use(struct scamper_list *l);
/* Drop a reference (NULL is ignored). */
void scamper_list_free(struct scamper_list *l);
/* Equal by content (id, name, descr, monitor): 1 or 0. */
int scamper_list_eq(const struct scamper_list *a, const struct scamper_list *b);

/* New cycle on LIST (a reference to LIST is taken), or NULL (ENOMEM).
 * HOSTNAME is copied; may be NULL. */
struct scamper_cycle *scamper_cycle_alloc(struct scamper_list *list,
    uint32_t id, uint32_t start_time, const char *hostname);
/* Add a reference; returns C. */
struct scamper_cycle *scamper_cycle_use(struct scamper_cycle *c);
/* Drop a reference (NULL is ignored). */
void scamper_cycle_free(struct scamper_cycle *c);
/* Equal by content (id, start time, hostname, list; not the stop time). */
int scamper_cycle_eq(const struct scamper_cycle *a,
    const struct scamper_cycle *b);

#endif
