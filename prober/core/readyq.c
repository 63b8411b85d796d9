/*
 * readyq.c: the ring of tasks wanting a pacing token (see readyq.h).
 */
#include <errno.h>
#include <stdlib.h>

#include "core_int.h"
#include "readyq.h"

int
readyq_grow(struct readyq *q)
{
	uint32_t cap = q->cap == 0 ? 64 : q->cap * 2, n = 0;
	struct task **v;

	if (cap < q->cap || (v = calloc(cap, sizeof(*v))) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	for (uint32_t i = 0; i < q->len; i++) {
		struct task *t = q->v[(q->head + i) & (q->cap - 1)];

		if (t != NULL) {
			t->rslot = n;
			v[n++] = t;
		}
	}
	free(q->v);
	q->v = v;
	q->cap = cap;
	q->head = 0;
	q->len = n;
	return 0;
}

struct task *
readyq_pop_slow(struct readyq *q)
{
	while (q->len > 0) {
		struct task *t = q->v[q->head];

		q->v[q->head] = NULL;
		q->head = (q->head + 1) & (q->cap - 1);
		q->len--;
		if (t != NULL) {
			q->n--;
			return t;
		}
	}
	return NULL;
}

void
readyq_del(struct readyq *q, struct task *t)
{
	q->v[t->rslot] = NULL;
	if (--q->n == 0)
		q->head = q->len = 0;	/* nothing but holes */
}

void
readyq_free(struct readyq *q)
{
	free(q->v);
	q->v = NULL;
	q->head = q->len = q->cap = q->n = 0;
}
