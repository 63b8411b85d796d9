/*
 * readyq.h: the tasks wanting a pacing token, first come first served:
 * a ring of task pointers (a task leaving early leaves a hole), so a task
 * needs no links for it (issue 22: one task is held per trace in flight).
 * Internal to prober/core.
 */
#ifndef PROBER_CORE_READYQ_H
#define PROBER_CORE_READYQ_H

#include <stdint.h>

struct task;

struct readyq {
	struct task	**v;	/* cap slots, NULL: a hole */
	uint32_t	  head;	/* the first slot in use */
	uint32_t	  len;	/* slots in use from head, holes too */
	uint32_t	  cap;
	uint32_t	  n;	/* tasks in the queue */
};

/* Move Q's slots in use to the front of a ring twice as large (at least
 * 64: always a power of 2, so a slot is masked), holes left out, telling
 * each task its new slot.  Returns 0, or -1 with errno ENOMEM. */
int readyq_grow(struct readyq *q);

/* readyq_pop through holes. */
struct task *readyq_pop_slow(struct readyq *q);

/* Put T at the tail of Q, its slot in *SLOT (T's rslot, which
 * readyq_grow also sets).  Returns 0, or -1 with errno ENOMEM. */
static inline int
readyq_push(struct readyq *q, struct task *t, uint32_t *slot)
{
	if (q->len == q->cap && readyq_grow(q) == -1)
		return -1;
	*slot = (q->head + q->len) & (q->cap - 1);
	q->v[*slot] = t;
	q->len++;
	q->n++;
	return 0;
}

/* The task at Q's head, taken out, or NULL if Q is empty. */
static inline struct task *
readyq_pop(struct readyq *q)
{
	struct task *t;

	if (q->len == 0 || (t = q->v[q->head]) == NULL)
		return readyq_pop_slow(q);
	q->v[q->head] = NULL;
	q->head = (q->head + 1) & (q->cap - 1);
	q->len--;
	q->n--;
	return t;
}

/* Take T (in Q) out, leaving a hole. */
void readyq_del(struct readyq *q, struct task *t);

/* Nonzero if Q has no task. */
static inline int
readyq_empty(const struct readyq *q)
{
	return q->n == 0;
}

/* Free Q's ring (its tasks are not touched). */
void readyq_free(struct readyq *q);

#endif
