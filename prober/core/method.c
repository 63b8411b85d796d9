/*
 * method.c: finding a technique by name in a table of descriptors, and
 * telling a command not built yet from an unknown one.
 */
#include <stddef.h>
#include <stdio.h>
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

/* Commands of scamper 20211212 that may not be in a table (not built
 * here yet). */
static const char *const known[] = {
	"trace", "ping", "tracelb", "dealias", "neighbourdisc", "sniff",
	"tbit", "sting", "host",
};

int
method_unbuilt(const struct method *const *table, const char *name)
{
	if (method_find(table, name) != NULL)
		return 0;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(known[i], name) == 0)
			return 1;
	return 0;
}

const struct method *
method_lookup(const struct method *const *table, const char *name,
    char *err, size_t len)
{
	const struct method *m = method_find(table, name);

	if (m == NULL && method_unbuilt(table, name))
		snprintf(err, len, "not implemented yet");
	else if (m == NULL)
		snprintf(err, len, "unknown command '%s'", name);
	return m;
}
