/*
 * lb_ptr.c: tracelb -O ptr: the PTR name of every node found.  A lookup
 * starts when a node first answers (ptrnames.h), so names arrive while
 * probing goes on; a finished trace is written once its last lookup is
 * answered or has timed out, a halted one at once with the names in.
 * 20211212 writes the names in warts (node flag 6, header flag 0x01)
 * and JSON ("name"), not in text; so do we.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "lb_int.h"
#include "log.h"
#include "mda.h"
#include "ptrnames.h"
#include "scamper_tracelb.h"
#include "task.h"

static void
on_names(void *arg)
{
	struct lb_state *s = arg;

	if (s->done) {
		lb_ptr_apply(s);
		task_finish(s->task);
	}
}

int
lb_ptr_setup(struct lb_state *s, char *err, size_t len)
{
	if ((s->names = ptrnames_new(s->af, on_names, s, err, len)) == NULL)
		return -1;
	s->t->flags |= SCAMPER_TRACELB_FLAG_PTR;
	return 0;
}

void
lb_ptr_node(struct lb_state *s, const uint8_t *addr)
{
	if (!s->done)
		ptrnames_add(s->names, addr);
}

void
lb_ptr_apply(struct lb_state *s)
{
	struct scamper_tracelb *t = s->t;
	const char *name;

	if (s->names == NULL)
		return;
	for (uint16_t i = 0; i < t->nodec; i++)
		if (t->nodes[i].name == NULL &&
		    (name = ptrnames_get(s->names, t->nodes[i].addr.addr)) !=
		    NULL && (t->nodes[i].name = strdup(name)) == NULL)
			log_warn("tracelb: PTR name");
}
