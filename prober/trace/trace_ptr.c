/*
 * trace_ptr.c: trace -O ptr: the PTR name of every address in the main
 * hop list (not the PMTUD or last-ditch hops, as 20211212).  A lookup
 * starts when an address first answers (ptrnames.h), so names arrive
 * while probing goes on and never hold it up; a finished trace is
 * written once its last lookup is answered or has timed out (dns.c: 5
 * s, one retry).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "ptrnames.h"
#include "scamper_trace.h"
#include "task.h"
#include "trace_int.h"

static void
on_names(void *arg)
{
	struct trace_state *s = arg;

	if (s->mode == MODE_DONE) {
		trace_ptr_apply(s);
		task_finish(s->task);
	}
}

int
trace_ptr_setup(struct trace_state *s, char *err, size_t len)
{
	if ((s->names = ptrnames_new(s->af, on_names, s, err, len)) == NULL)
		return -1;
	s->t->flags |= SCAMPER_TRACE_FLAG_PTR;
	return 0;
}

void
trace_ptr_add(struct trace_state *s, const uint8_t *addr)
{
	if (s->names != NULL && s->mode != MODE_DONE)
		ptrnames_add(s->names, addr);
}

int
trace_ptr_pending(const struct trace_state *s)
{
	return s->names != NULL ? (int)ptrnames_pending(s->names) : 0;
}

void
trace_ptr_cancel(struct trace_state *s)
{
	if (s->names != NULL)
		ptrnames_cancel(s->names);
}

void
trace_ptr_apply(struct trace_state *s)
{
	struct scamper_trace_hops *h = &s->t->hops;
	const char *name;

	if (s->names == NULL)
		return;
	for (uint16_t i = 0; i < h->hopc; i++)
		if (h->hops[i].name == NULL &&
		    (name = ptrnames_get(s->names, h->hops[i].addr.addr)) !=
		    NULL && (h->hops[i].name = strdup(name)) == NULL)
			log_warn("trace: PTR name");
}

void
trace_ptr_free(struct trace_state *s)
{
	ptrnames_free(s->names);
	s->names = NULL;
}
