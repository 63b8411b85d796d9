/*
 * mem.h: the one way arrays and buffers grow.
 *
 * A growing array is a pointer, a capacity and a count kept by the
 * caller; mem_grow makes room by doubling, so appending N elements one
 * at a time costs O(N) copies in all.  Nothing here logs or exits.
 * Header-only, so that libscamperfile (which links nothing of common/)
 * uses the same code as the rest.
 */
#ifndef COMMON_MEM_H
#define COMMON_MEM_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Make *CAP (elements of SIZE bytes at *(void **)PP) at least NEED: the
 * capacity doubles, starting from MIN (or from *CAP when not zero),
 * until it holds NEED.  Returns 0, or -1 (ENOMEM, also on overflow) with
 * *PP and *CAP left as they were.  NEED <= *CAP costs nothing. */
static inline int
mem_grow(void *pp, size_t *cap, size_t need, size_t size, size_t min)
{
	size_t n = *cap != 0 ? *cap : (min != 0 ? min : 1);
	void *p;

	if (need <= *cap)
		return 0;
	while (n < need)
		n = n > SIZE_MAX / 2 ? need : n * 2;
	if (size != 0 && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return -1;
	}
	memcpy(&p, pp, sizeof(p));
	if ((p = realloc(p, n * size)) == NULL)
		return -1;
	memcpy(pp, &p, sizeof(p));
	*cap = n;
	return 0;
}

/* As mem_grow for a capacity kept in 32 bits (NEED above UINT32_MAX
 * fails with ENOMEM). */
static inline int
mem_grow32(void *pp, uint32_t *cap, size_t need, size_t size, size_t min)
{
	size_t c = *cap;

	if (need > UINT32_MAX) {
		errno = ENOMEM;
		return -1;
	}
	if (mem_grow(pp, &c, need, size, min) != 0)
		return -1;
	*cap = c > UINT32_MAX ? UINT32_MAX : (uint32_t)c;
	return 0;
}

/* Append a zeroed element of SIZE bytes to the array at *(void **)PP
 * that holds *N elements of room for *CAP, both counted in 16 bits (room
 * grows as mem_grow's, from MIN): the new element, or NULL (ENOMEM, or
 * the array already holds UINT16_MAX) with the array as it was. */
static inline void *
mem_append16(void *pp, uint16_t *n, uint16_t *cap, size_t size, size_t min)
{
	size_t c = *cap;
	unsigned char *p;

	if (*n == UINT16_MAX) {
		errno = ENOMEM;
		return NULL;
	}
	if (mem_grow(pp, &c, (size_t)*n + 1, size, min) != 0)
		return NULL;
	*cap = c > UINT16_MAX ? UINT16_MAX : (uint16_t)c;
	memcpy(&p, pp, sizeof(p));
	p += (size_t)(*n)++ * size;
	memset(p, 0, size);
	return p;
}

#endif
