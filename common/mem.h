/*
 * mem.h: the one way arrays and buffers grow.
 *
 * A growing array is a pointer, a capacity and a count kept by the
 * caller; mem_grow makes room by doubling, so appending N elements one
 * at a time costs O(N) copies in all.  Nothing here logs or exits.
 */
#ifndef COMMON_MEM_H
#define COMMON_MEM_H

#include <stddef.h>
#include <stdint.h>

/* Make *CAP (elements of SIZE bytes at *(void **)PP) at least NEED: the
 * capacity doubles, starting from MIN (or from *CAP when not zero),
 * until it holds NEED.  Returns 0, or -1 (ENOMEM, also on overflow) with
 * *PP and *CAP left as they were.  NEED <= *CAP costs nothing. */
int mem_grow(void *pp, size_t *cap, size_t need, size_t size, size_t min);

/* As mem_grow for a capacity kept in 32 bits (NEED above UINT32_MAX
 * fails with ENOMEM). */
int mem_grow32(void *pp, uint32_t *cap, size_t need, size_t size,
    size_t min);

#endif
