/*
 * readyq.c: the ring of tasks wanting a pacing token (see readyq.h).
 */
#include <errno.h>
#include <stdlib.h>

#include "core_int.h"
#include "readyq.h"

/* Move Q's slots in use to the front of a ring twice as large (at least
 * 64), holes left out, telling each task its new slot. */
static int
grow(struct readyq *q)
{
	uint32_t cap = q->cap == 0 ? 64 : q->cap * 2, n = 0;
	struct task **v;

	if (cap < q->cap || (v = calloc(cap, sizeof(*v))) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	for (uint32_t i = 0; i < q->len; i++) {
		struct task *t = q->v[(q->head + i) % q->cap];

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

int
readyq_push(struct readyq *q, struct task *t)
{
	if (q->len == q->cap && grow(q) == -1)
		return -1;
	t->rslot = (q->head + q->len) % q->cap;
	q->v[t->rslot] = t;
	q->len++;
	q->n++;
	return 0;
}

struct task *
readyq_pop(struct readyq *q)
{
	while (q->len > 0) {
		struct task *t = q->v[q->head];

		q->v[q->head] = NULL;
		q->head = (q->head + 1) % q->cap;
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
