/*
 * trace_ptr.c: trace -O ptr: the PTR name of every address in the main
 * hop list (not the PMTUD or last-ditch hops, as 20211212).  A lookup
 * starts when an address first answers (ptrnames.h), so names arrive
 * while probing goes on and never hold it up; a finished trace is
 * written once its last lookup is answered or has timed out (dns.c: 5
 * s, one retry).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "ptrnames.h"
#include "scamper_trace.h"
#include "task.h"
#include "trace_int.h"

/* S's names, or NULL without -O ptr. */
static struct ptrnames *
names(const struct trace_state *s)
{
	return s->x != NULL ? s->x->names : NULL;
}

static void
on_names(void *arg)
{
	struct trace_state *s = arg;

	if (s->mode == MODE_DONE) {
		trace_ptr_apply(s);
		task_finish(trace_task(s));
	}
}

int
trace_ptr_setup(struct trace_state *s, char *err, size_t len)
{
	if (trace_side(s) == NULL) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	if ((s->x->names = ptrnames_new(s->af, on_names, s, err, len)) ==
	    NULL)
		return -1;
	s->c.flags |= SCAMPER_TRACE_FLAG_PTR;
	return 0;
}

void
trace_ptr_add(struct trace_state *s, const uint8_t *addr)
{
	if (names(s) != NULL && s->mode != MODE_DONE)
		ptrnames_add(names(s), addr);
}

int
trace_ptr_pending(const struct trace_state *s)
{
	return names(s) != NULL ? (int)ptrnames_pending(names(s)) : 0;
}

void
trace_ptr_cancel(struct trace_state *s)
{
	if (names(s) != NULL)
		ptrnames_cancel(names(s));
}

void
trace_ptr_apply(struct trace_state *s)
{
	struct scamper_trace_hops *h;
	const char *name;

	if (names(s) == NULL || trace_res(s) == NULL)
		return;
	h = &trace_res(s)->hops;
	for (uint16_t i = 0; i < h->hopc; i++)
		if (h->hops[i].name == NULL &&
		    (name = ptrnames_get(names(s), h->hops[i].addr.addr)) !=
		    NULL && (h->hops[i].name = strdup(name)) == NULL)
			log_warn("trace: PTR name");
}

void
trace_ptr_free(struct trace_state *s)
{
	if (s->x != NULL) {
		ptrnames_free(s->x->names);
		s->x->names = NULL;
	}
}
