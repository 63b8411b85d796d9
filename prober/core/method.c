/*
 * method.c: finding a technique by name in a table of descriptors.
 */
#include <stddef.h>
#include <string.h>

#include "method.h"

const struct method *
method_find(const struct method *const *table, const char *name)
{
	for (size_t i = 0; table != NULL && table[i] != NULL; i++)
		if (strcmp(table[i]->name, name) == 0)
			return table[i];
	return NULL;
}
