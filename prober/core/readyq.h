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

/* Put T at the tail of Q (its slot in T's rslot).  Returns 0, or -1
 * with errno ENOMEM. */
int readyq_push(struct readyq *q, struct task *t);

/* The task at Q's head, taken out, or NULL if Q is empty. */
struct task *readyq_pop(struct readyq *q);

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
