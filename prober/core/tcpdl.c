/*
 * tcpdl.c: IPv4 TCP probes on the datalink, as scamper sends them
 * unless -O rawtcp: framed to the next hop towards the destination (its
 * hardware address from the neighbour cache, or asked), so the host's
 * firewall and TCP stack do not see or change them.  Where that cannot
 * be (no route, a local destination, an interface that is not an
 * Ethernet, no datalink socket, no answer from the next hop) the task's
 * TCP probes go on the raw socket, as with -O rawtcp.
 *
 * The first probe of a task asks for the datalink; until it is ready
 * the task's probes wait in order (task_send gives the clock read when
 * each was queued), and go out when it is, or on the raw socket if it
 * cannot be: method->sent hears of each as of a batched probe (the
 * clock read before it went, STAMP_BEFORE), then of its kernel
 * timestamp.
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "core_int.h"
#include "log.h"

struct tcpdl_pkt {
	struct tcpdl_pkt	*next;
	uint32_t		 tag;
	size_t			 len;
	uint8_t			 buf[];
};

enum { TD_NONE, TD_WAIT, TD_READY, TD_RAW };

/* Queued probe TAG went out after the clock read TX (RC 0; its kernel
 * timestamp follows as for any probe), or was refused (RC -1, errno). */
static void
tell_sent(struct task *t, uint32_t tag, int rc, const struct stamp *tx)
{
	int err = errno;

	if (rc != 0)
		t->txwait--;
	if (t->finished)
		return;
	if (task_m(t)->sent != NULL)
		(void)task_m(t)->sent(t, tag, rc == 0 ? 0 : err, rc == 0 ? tx : NULL,
		    STAMP_BEFORE);
	else if (rc != 0)
		task_m(t)->halt(t);
}

/* The datalink of task ARG answered: send what waits, on it or raw. */
static void
on_ready(void *arg, int err, const char *why)
{
	struct task *t = arg;
	struct tcpdl_pkt *q;
	struct stamp tx;
	int rc;

	if (err != 0) {
		log_debug("%s: TCP probes on the raw socket: %s", task_m(t)->name,
		    why);
		t->tcpdl_state = TD_RAW;
	} else
		t->tcpdl_state = TD_READY;
	while ((q = t->x->tcpdl_q) != NULL && !t->finished) {
		t->x->tcpdl_q = q->next;
		if (t->tcpdl_state == TD_READY)
			rc = CORE_IO(task_core(t), dl_send, t->x->tcpdl, q->buf, q->len,
			    &tx, t, q->tag);
		else
			rc = CORE_IO(task_core(t), send, q->buf, q->len, &tx, t,
			    q->tag);
		tell_sent(t, q->tag, rc, &tx);
		free(q);
	}
}

/* Ask for the datalink towards DST (the packet's destination). */
static void
want(struct task *t, const uint8_t *dst)
{
	const struct io_ops *ops = task_core(t)->io.ops;
	uint8_t rtr[16];
	char why[256];

	t->tcpdl_state = TD_RAW;
	/* a network without them (the harness): on the raw socket */
	if (ops->next_hop == NULL || ops->dl_new == NULL)
		return;
	if (CORE_IO(task_core(t), next_hop, AF_INET, dst, rtr) != 0 ||
	    task_ext(t) == NULL)
		return;
	if ((t->x->tcpdl = CORE_IO(task_core(t), dl_new, IO_DL_VIA, AF_INET, dst, rtr,
	    on_ready, t, why, sizeof(why))) == NULL) {
		log_debug("%s: TCP probes on the raw socket: %s", task_m(t)->name,
		    why);
		return;
	}
	t->tcpdl_state = TD_WAIT;
}

int
tcpdl_send(struct task *t, const uint8_t *buf, size_t len,
    struct stamp *tx, uint32_t tag)
{
	struct tcpdl_pkt *q, **tail;

	if (task_core(t)->conf.rawtcp || len < 20 || (buf[0] >> 4) != 4 ||
	    buf[9] != IPPROTO_TCP)
		return 0;
	if (t->tcpdl_state == TD_NONE)
		want(t, buf + 16);
	switch (t->tcpdl_state) {
	case TD_READY:
		return CORE_IO(task_core(t), dl_send, t->x->tcpdl, buf, len, tx, t,
		    tag) == 0 ? 1 : -1;
	case TD_WAIT:
		if ((q = malloc(sizeof(*q) + len)) == NULL)
			return -1;
		q->next = NULL;
		q->tag = tag;
		q->len = len;
		memcpy(q->buf, buf, len);
		for (tail = &t->x->tcpdl_q; *tail != NULL;
		    tail = &(*tail)->next)
			;
		*tail = q;
		*tx = stamp_now();	/* provisional: told again when sent */
		return 1;
	}
	return 0;
}

void
tcpdl_free(struct task *t)
{
	struct tcpdl_pkt *q;

	if (t->x == NULL)
		return;
	if (t->x->tcpdl != NULL)
		CORE_IO(task_core(t), dl_free, t->x->tcpdl);
	t->x->tcpdl = NULL;
	while ((q = t->x->tcpdl_q) != NULL) {
		t->x->tcpdl_q = q->next;
		t->txwait--;	/* never sent: nothing will be reported */
		free(q);
	}
}
