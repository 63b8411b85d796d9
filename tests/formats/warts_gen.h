/*
 * warts_gen.h: typical trace results from a fixed seed, for the
 * warts-write benchmark (tests/bench/warts_write.c) and the golden test
 * of the warts writer (test_warts_golden.c).  The same seed always gives
 * the same traces.
 */
#ifndef WARTS_GEN_H
#define WARTS_GEN_H

#include <stdint.h>

#include "scamper_trace.h"

struct warts_gen {
	uint32_t		 seed;	/* set before warts_gen_init */
	int			 v6;	/* 0 IPv4, 1 IPv6, 2 both in turn */
	uint32_t		 rng;
	struct scamper_list	*list;
	struct scamper_cycle	*cycle;
};

/* Start G (its list and cycle); 0, or -1 (ENOMEM, with a message). */
int warts_gen_init(struct warts_gen *g);
/* Trace number I of G, new, or NULL (ENOMEM). */
struct scamper_trace *warts_gen_trace(struct warts_gen *g, int i);
/* Drop G's list and cycle. */
void warts_gen_clear(struct warts_gen *g);

#endif
