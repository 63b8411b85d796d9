/*
 * mem.c: growing arrays (see mem.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

int
mem_grow(void *pp, size_t *cap, size_t need, size_t size, size_t min)
{
	size_t n = *cap != 0 ? *cap : (min != 0 ? min : 1);
	void *p;

	if (need <= *cap)
		return 0;
	while (n < need) {
		if (n > SIZE_MAX / 2) {
			n = need;
			break;
		}
		n *= 2;
	}
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

int
mem_grow32(void *pp, uint32_t *cap, size_t need, size_t size,
    size_t min)
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
