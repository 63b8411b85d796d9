/*
 * object_int.h: what every measurement result type's allocation file
 * shares (not installed).
 *
 * Each result (trace, ping, ...) is a struct scamper_NAME that holds a
 * reference to its list and cycle.  OBJECT_LIFECYCLE(NAME, RELEASE)
 * defines scamper_NAME_alloc(), a zeroed result, and scamper_NAME_free(),
 * which ignores NULL, drops the list and cycle, has RELEASE free what
 * else the result owns, and frees it.  OBJECT_FREE(NAME, RELEASE) is the
 * free alone, for a type whose alloc sets defaults.
 */
#ifndef OBJECT_INT_H
#define OBJECT_INT_H

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "scamper_list.h"

#define OBJECT_FREE(name, release) \
void \
scamper_##name##_free(struct scamper_##name *o) \
{ \
	if (o == NULL) \
		return; \
	scamper_list_free(o->list); \
	scamper_cycle_free(o->cycle); \
	release(o); \
	free(o); \
}

#define OBJECT_LIFECYCLE(name, release) \
struct scamper_##name * \
scamper_##name##_alloc(void) \
{ \
	return calloc(1, sizeof(struct scamper_##name)); \
} \
OBJECT_FREE(name, release)

/* Free the pointer at byte OFF of each of the N elements of SIZE bytes
 * at A (NULL: none), then A: an owned array whose elements own one
 * allocation each. */
static inline void
object_free_each(void *a, size_t n, size_t size, size_t off)
{
	unsigned char *e = a;
	void *p;

	for (size_t i = 0; e != NULL && i < n; i++) {
		memcpy(&p, e + i * size + off, sizeof(p));
		free(p);
	}
	free(a);
}

#endif
