/*
 * trace_ptr.c: trace -O ptr: the PTR name of every address in the main
 * hop list (not the PMTUD or last-ditch hops, as 20211212).  A lookup
 * starts when an address first answers, so names arrive while probing
 * goes on and never hold it up; a finished trace is written once its
 * last lookup is answered or has timed out (dns.c: 5 s, one retry).
 */
#include "config.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "log.h"
#include "scamper_trace.h"
#include "task.h"
#include "trace_int.h"

/* One address of the trace and its name. */
struct trace_name {
	struct trace_state	*s;
	struct dns_query	*q;	/* in flight, or NULL */
	char			*name;	/* owned; NULL: none */
	uint8_t			 addr[16];
};

int
trace_ptr_setup(struct trace_state *s, char *err, size_t len)
{
	struct dns *d = dns_default();

	if (d == NULL || dns_nservers(d) == 0)
		return cmd_err(err, len, "-O ptr: no nameserver in "
		    "/etc/resolv.conf");
	s->t->flags |= SCAMPER_TRACE_FLAG_PTR;
	return 0;
}

static void
on_name(void *arg, const char *name)
{
	struct trace_name *n = arg;
	struct trace_state *s = n->s;

	n->q = NULL;
	if (name != NULL && (n->name = strdup(name)) == NULL)
		log_warn("trace: PTR name");
	if (--s->names_pending == 0 && s->mode == MODE_DONE) {
		trace_ptr_apply(s);
		task_finish(s->task);
	}
}

void
trace_ptr_add(struct trace_state *s, const uint8_t *addr)
{
	struct trace_name *n, **v;

	if (!(s->t->flags & SCAMPER_TRACE_FLAG_PTR) || s->mode == MODE_DONE)
		return;
	for (uint16_t i = 0; i < s->namec; i++)
		if (memcmp(s->names[i]->addr, addr, 16) == 0)
			return;
	if (s->namec == UINT16_MAX || (v = realloc(s->names,
	    (s->namec + 1u) * sizeof(*v))) == NULL)
		return;		/* the hop goes without its name */
	s->names = v;
	if ((n = calloc(1, sizeof(*n))) == NULL)
		return;
	n->s = s;
	memcpy(n->addr, addr, 16);
	s->names[s->namec++] = n;
	if ((n->q = dns_ptr(dns_default(), s->af, addr, on_name, n)) == NULL)
		log_warn("trace: PTR lookup");
	else
		s->names_pending++;
}

int
trace_ptr_pending(const struct trace_state *s)
{
	return s->names_pending;
}

void
trace_ptr_cancel(struct trace_state *s)
{
	for (uint16_t i = 0; i < s->namec; i++)
		if (s->names[i]->q != NULL) {
			dns_cancel(dns_default(), s->names[i]->q);
			s->names[i]->q = NULL;
		}
	s->names_pending = 0;
}

/* The name of ADDR, or NULL. */
static const char *
name_of(const struct trace_state *s, const struct scamper_addr *a)
{
	for (uint16_t i = 0; i < s->namec; i++)
		if (memcmp(s->names[i]->addr, a->addr, s->af == AF_INET ? 4 :
		    16) == 0)
			return s->names[i]->name;
	return NULL;
}

void
trace_ptr_apply(struct trace_state *s)
{
	struct scamper_trace_hops *h = &s->t->hops;
	const char *name;

	for (uint16_t i = 0; i < h->hopc; i++)
		if (h->hops[i].name == NULL &&
		    (name = name_of(s, &h->hops[i].addr)) != NULL &&
		    (h->hops[i].name = strdup(name)) == NULL)
			log_warn("trace: PTR name");
}

void
trace_ptr_free(struct trace_state *s)
{
	trace_ptr_cancel(s);
	for (uint16_t i = 0; i < s->namec; i++) {
		free(s->names[i]->name);
		free(s->names[i]);
	}
	free(s->names);
	s->names = NULL;
	s->namec = 0;
}
