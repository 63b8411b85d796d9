/*
 * methods.c: the table of measurement techniques scamper knows.  Adding a
 * technique is one line here plus its own files (and its name leaves the
 * list of commands not built yet).
 */
#include <stdio.h>
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

/* Commands of scamper 20211212 that are not built here yet. */
static const char *const unbuilt[] = {
	"tracelb", "dealias", "neighbourdisc", "sniff", "tbit", "sting",
	"host",
};

int
method_unbuilt(const char *name)
{
	for (size_t i = 0; i < sizeof(unbuilt) / sizeof(unbuilt[0]); i++)
		if (strcmp(unbuilt[i], name) == 0)
			return 1;
	return 0;
}

const struct method *
method_lookup(const char *name, char *err, size_t len)
{
	const struct method *m = method_find(name);

	if (m == NULL && method_unbuilt(name))
		snprintf(err, len, "not implemented yet");
	else if (m == NULL)
		snprintf(err, len, "unknown command '%s'", name);
	return m;
}
