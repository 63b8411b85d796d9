/*
 * scamper_list.c: reference-counted lists and cycles.
 */
#include <stdlib.h>
#include <string.h>

#include "scamper_list.h"

static int
dupstr(char **dst, const char *src)
{
	*dst = NULL;
	if (src == NULL)
		return 0;
	return (*dst = strdup(src)) == NULL ? -1 : 0;
}

static int
streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

struct scamper_list *
scamper_list_alloc(uint32_t id, const char *name, const char *descr,
    const char *monitor)
{
	struct scamper_list *l;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	l->id = id;
	l->refcnt = 1;
	if (dupstr(&l->name, name) != 0 || dupstr(&l->descr, descr) != 0 ||
	    dupstr(&l->monitor, monitor) != 0) {
		scamper_list_free(l);
		return NULL;
	}
	return l;
}

struct scamper_list *
scamper_list_use(struct scamper_list *l)
{
	l->refcnt++;
	return l;
}

void
scamper_list_free(struct scamper_list *l)
{
	if (l == NULL || --l->refcnt > 0)
		return;
	free(l->name);
	free(l->descr);
	free(l->monitor);
	free(l);
}

int
scamper_list_eq(const struct scamper_list *a, const struct scamper_list *b)
{
	if (a == b)
		return 1;
	if (a == NULL || b == NULL)
		return 0;
	return a->id == b->id && streq(a->name, b->name) &&
	    streq(a->descr, b->descr) && streq(a->monitor, b->monitor);
}

struct scamper_cycle *
scamper_cycle_alloc(struct scamper_list *list, uint32_t id,
    uint32_t start_time, const char *hostname)
{
	struct scamper_cycle *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->refcnt = 1;
	c->id = id;
	c->start_time = start_time;
	if (dupstr(&c->hostname, hostname) != 0) {
		free(c);
		return NULL;
	}
	c->list = list != NULL ? scamper_list_use(list) : NULL;
	return c;
}

struct scamper_cycle *
scamper_cycle_use(struct scamper_cycle *c)
{
	c->refcnt++;
	return c;
}

void
scamper_cycle_free(struct scamper_cycle *c)
{
	if (c == NULL || --c->refcnt > 0)
		return;
	scamper_list_free(c->list);
	free(c->hostname);
	free(c);
}

int
scamper_cycle_eq(const struct scamper_cycle *a, const struct scamper_cycle *b)
{
	if (a == b)
		return 1;
	if (a == NULL || b == NULL)
		return 0;
	return a->id == b->id && a->start_time == b->start_time &&
	    streq(a->hostname, b->hostname) && scamper_list_eq(a->list, b->list);
}
