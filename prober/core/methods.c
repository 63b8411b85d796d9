/*
 * methods.c: the table of measurement techniques scamper knows.  Adding a
 * technique is one line here plus its own files.
 */
#include <string.h>

#include "method.h"

extern const struct method method_trace;
extern const struct method method_ping;

static const struct method *const methods[] = {
	&method_trace,
	&method_ping,
};

const struct method *
method_find(const char *name)
{
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (strcmp(methods[i]->name, name) == 0)
			return methods[i];
	return NULL;
}
