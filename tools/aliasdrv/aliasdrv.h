/*
 * aliasdrv.h: what the alias-resolution drivers (sc_ally, sc_radargun)
 * share: address sets read from a file, dealias records from scamper's
 * control socket decoded into libscamperfile objects, IP-ID samples
 * taken from a dealias result and judged with the prober's own rules
 * (ipid.h: byte-swapped counters only when each address shows
 * one by its own samples), alias pairs joined into sets, and the dealias
 * objects of warts files walked for the drivers' dump modes.
 */
#ifndef TOOLS_ALIASDRV_H
#define TOOLS_ALIASDRV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ipid.h"
#include "scamper_dealias.h"

/* One address: its text and its bytes. */
struct adrv_addr {
	char		 str[48];
	int		 af;		/* AF_INET or AF_INET6 */
	uint8_t		 bin[16];
};

/* The addresses of a file, one set per line (blank lines and '#'
 * comments skipped): ADDRS[SETS[i] .. SETS[i+1]-1] is set i. */
struct adrv_sets {
	struct adrv_addr *addrs;
	size_t		 naddrs;
	size_t		*sets;		/* NSETS + 1 offsets */
	size_t		 nsets;
};

/* Read PATH into S.  AF (AF_INET, AF_INET6 or 0: either) is the family
 * every address must have.  Returns 0, or -1 with "PATH:LINE: why" in
 * ERR. */
int adrv_read_sets(const char *path, int af, struct adrv_sets *s,
    char *err, size_t errlen);
void adrv_sets_free(struct adrv_sets *s);

/* The dealias record body B (LEN bytes, after the warts header) that
 * follows the list and cycle records HDR (HDRLEN bytes) decoded, or NULL
 * if it cannot be.  Free with scamper_dealias_free. */
struct scamper_dealias *adrv_decode(const uint8_t *hdr, size_t hdrlen,
    const uint8_t *b, size_t len);

/* Every IP-ID sample of D in the order the probes were sent: a probe
 * answered once, by a reply that carries an IP-ID (IPv4: not the probe's
 * own echoed; IPv6: a fragment identification), WHO its definition's
 * index.  Returns how many were put in *OUT (malloc'd; free it), or -1. */
long adrv_samples(const struct scamper_dealias *d,
    struct ipid_sample **out);

/* The samples of S (N) whose WHO is A or B, in order, into OUT (room for
 * N).  Returns how many. */
size_t adrv_pick2(const struct ipid_sample *s, size_t n, uint32_t a,
    uint32_t b, struct ipid_sample *out);

/* Nonzero if the samples of definition WHO in S (N) come from a counter
 * under R: at least MIN of them, not all zero, in sequence as they are
 * or (unless R->nobs) shown byte-swapped by themselves. */
int adrv_counter(const struct ipid_sample *s, size_t n, uint32_t who,
    size_t min, const struct ipid_rules *r);

/* Union-find over N items, for transitive closure. */
struct adrv_uf {
	size_t		*up;
	size_t		 n;
};
int adrv_uf_init(struct adrv_uf *u, size_t n);
size_t adrv_uf_find(struct adrv_uf *u, size_t i);
void adrv_uf_join(struct adrv_uf *u, size_t a, size_t b);
void adrv_uf_free(struct adrv_uf *u);

/* Alias pairs by address text, printed as pairs ("A B" a line) or, with
 * TC, as sets (the transitive closure, one set a line). */
struct adrv_pairs {
	char		(*a)[48], (*b)[48];
	size_t		 n, cap;
};
int adrv_pairs_add(struct adrv_pairs *p, const char *a, const char *b);
int adrv_pairs_print(struct adrv_pairs *p, int tc, FILE *f);
void adrv_pairs_free(struct adrv_pairs *p);

/* Call CB(ARG, D) for every dealias object of the warts files FILES
 * (NFILES; "-" or none: standard input).  Returns 0, or -1 (reported
 * with PROG's name). */
typedef void adrv_each_cb(void *arg, const struct scamper_dealias *d);
int adrv_each_dealias(const char *prog, char **files, int nfiles,
    adrv_each_cb *cb, void *arg);

/* The address text of A (scamper_addr) into BUF (48 bytes). */
const char *adrv_addr_str(const struct scamper_addr *a, char *buf);

#endif
