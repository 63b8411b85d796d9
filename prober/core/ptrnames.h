/*
 * ptrnames.h: the PTR names of a measurement's addresses (trace and
 * tracelb -O ptr): each address is asked once, when it is first added,
 * through the process's resolver (dns.h), so names arrive while probing
 * goes on; the owner is told when the last lookup in flight is over,
 * and reads the names when it writes its result.
 */
#ifndef PROBER_CORE_PTRNAMES_H
#define PROBER_CORE_PTRNAMES_H

#include <stddef.h>
#include <stdint.h>

struct ptrnames;

/* Called when the last lookup in flight is over (answered or timed
 * out), from the loop. */
typedef void ptrnames_done_cb(void *arg);

/* An empty set for addresses of family AF; DONE(ARG) as above.  NULL
 * with the reason in ERR (the option's words: -O ptr is refused when the
 * process's resolver has no nameserver; or out of memory). */
struct ptrnames *ptrnames_new(int af, ptrnames_done_cb *done, void *arg,
    char *err, size_t errlen);

/* Look up ADDR's name (16 bytes; IPv4 in the first 4) unless it was
 * added already.  A failure (ENOMEM) leaves the address without a name. */
void	ptrnames_add(struct ptrnames *p, const uint8_t *addr);

/* Lookups in flight. */
unsigned ptrnames_pending(const struct ptrnames *p);

/* Forget the lookups in flight: their names stay unknown, DONE is not
 * called for them. */
void	ptrnames_cancel(struct ptrnames *p);

/* The name of ADDR (as ptrnames_add), or NULL if none is known. */
const char *ptrnames_get(const struct ptrnames *p, const uint8_t *addr);

/* Free P (NULL is fine), cancelling its lookups. */
void	ptrnames_free(struct ptrnames *p);

#endif
