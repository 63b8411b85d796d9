/*
 * trace_dtree.c: doubletree (Donnet et al., SIGMETRICS 2005) for trace:
 * forwards from -f until the target or an address of the global stop set
 * (-z, stop reason GSS), then backwards from -f - 1 towards the prober
 * until an address already in the named local stop set (-Z), adding the
 * addresses seen to that set, and lowering the trace's firsthop to each
 * TTL passed; -O dtree-noback skips the backwards part.  Without -Z the
 * backwards part probes one hop and stops there (lss-stop), as 20211212.
 *
 * Local stop sets live as long as the process, shared by every trace
 * that names them (that is their purpose).  They are kept here, not in
 * the core, because only doubletree uses them.
 */
#include "config.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "scamper_trace.h"
#include "task.h"
#include "trace_int.h"

/* A named set of addresses: open addressing on 17-byte keys (family
 * byte + 16 address bytes). */
struct lss {
	char		*name;
	uint8_t		*keys;		/* cap * 17 bytes; family 0 = empty */
	size_t		 n, cap;
	struct lss	*next;
};

static struct lss *lss_all;	/* every named set of this process */

static struct lss *
lss_get(const char *name)
{
	struct lss *l;

	for (l = lss_all; l != NULL; l = l->next)
		if (strcmp(l->name, name) == 0)
			return l;
	if ((l = calloc(1, sizeof(*l))) == NULL ||
	    (l->name = strdup(name)) == NULL) {
		free(l);
		return NULL;
	}
	l->next = lss_all;
	lss_all = l;
	return l;
}

/* Empty the set called NAME.  Returns 0, or -1 if no set has that name. */
static int
lss_clear(const char *name)
{
	struct lss *l;

	for (l = lss_all; l != NULL; l = l->next)
		if (strcmp(l->name, name) == 0) {
			free(l->keys);
			l->keys = NULL;
			l->n = l->cap = 0;
			return 0;
		}
	return -1;
}

int
trace_lss_cmd(int argc, char **argv, char *msg, size_t msglen)
{
	if (argc < 2) {
		snprintf(msg, msglen, "usage: lss-clear [lss-name]");
		return -1;
	}
	if (lss_clear(argv[1]) == -1) {
		snprintf(msg, msglen, "lss-clear %s failed", argv[1]);
		return -1;
	}
	snprintf(msg, msglen, "lss-clear %s", argv[1]);
	return 0;
}

static size_t
key_hash(const uint8_t *k)
{
	uint64_t h = 1469598103934665603ULL;

	for (int i = 0; i < 17; i++)
		h = (h ^ k[i]) * 1099511628211ULL;
	return (size_t)h;
}

static uint8_t *
lss_slot(const struct lss *l, const uint8_t *k)
{
	size_t i = key_hash(k) & (l->cap - 1);

	for (;; i = (i + 1) & (l->cap - 1)) {
		uint8_t *s = l->keys + i * 17;
		if (s[0] == 0 || memcmp(s, k, 17) == 0)
			return s;
	}
}

static int
lss_has(const struct lss *l, const uint8_t *k)
{
	return l->cap > 0 && lss_slot(l, k)[0] != 0;
}

static int
lss_add(struct lss *l, const uint8_t *k)
{
	if ((l->n + 1) * 2 > l->cap) {
		struct lss bigger = *l;
		bigger.cap = l->cap == 0 ? 64 : l->cap * 2;
		if ((bigger.keys = calloc(bigger.cap, 17)) == NULL)
			return -1;
		for (size_t i = 0; i < l->cap; i++)
			if (l->keys[i * 17] != 0)
				memcpy(lss_slot(&bigger, l->keys + i * 17),
				    l->keys + i * 17, 17);
		free(l->keys);
		l->keys = bigger.keys;
		l->cap = bigger.cap;
	}
	uint8_t *s = lss_slot(l, k);
	if (s[0] == 0) {
		memcpy(s, k, 17);
		l->n++;
	}
	return 0;
}

static void
mkkey(int af, const uint8_t *addr, uint8_t *k)
{
	memset(k, 0, 17);
	k[0] = (uint8_t)af;
	memcpy(k + 1, addr, af == AF_INET ? 4 : 16);
}

int
trace_dtree_setup(struct trace_state *s, const struct cmd_args *a, char *err,
    size_t len)
{
	struct scamper_trace *t;
	const struct cmd_optval *z = cmd_opt(a, 'Z');
	int noback = cmd_has_word(a, 'O', 1);

	if (cmd_opt(a, 'z') == NULL && z == NULL && !noback)
		return 0;
	/* a doubletree trace holds its result from the start */
	if ((t = trace_result(s)) == NULL ||
	    (t->dtree = scamper_trace_dtree_alloc()) == NULL ||
	    (z != NULL && (t->dtree->lss = strdup(z->s)) == NULL)) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	s->c.flags |= SCAMPER_TRACE_FLAG_DOUBLETREE;
	t->dtree->firsthop = s->c.firsthop;
	if (noback)
		t->dtree->flags |= 0x01;
	for (int i = 0; i < a->nv; i++) {
		const struct cmd_optval *v = &a->v[i];
		uint8_t *g;

		if (v->opt != 'z')
			continue;
		if (v->af != s->af) {
			snprintf(err, len, "-z: %s is not of the target's "
			    "address family", v->s);
			return -1;
		}
		if (trace_side(s) == NULL || (g = realloc(s->x->gss,
		    (size_t)(s->x->gssc + 1) * 16)) == NULL) {
			snprintf(err, len, "out of memory");
			return -1;
		}
		s->x->gss = g;
		memcpy(s->x->gss + s->x->gssc++ * 16, v->addr, 16);
	}
	return 0;
}

int
trace_dtree_in_gss(const struct trace_state *s, const uint8_t *addr)
{
	size_t alen = s->af == AF_INET ? 4 : 16;

	for (int i = 0; s->x != NULL && i < s->x->gssc; i++)
		if (memcmp(s->x->gss + i * 16, addr, alen) == 0)
			return 1;
	return 0;
}

int
trace_dtree_back(struct trace_state *s, uint8_t reason, uint8_t data)
{
	const struct scamper_trace *t = trace_res(s);
	const struct scamper_trace_dtree *d = t != NULL ? t->dtree : NULL;

	if (d == NULL || (s->x != NULL && s->x->back_done) ||
	    (d->flags & 0x01) || d->firsthop <= 1 || trace_side(s) == NULL)
		return -1;
	s->x->back_done = 1;
	s->x->fwd_reason = reason;
	s->x->fwd_data = data;
	s->mode = MODE_BACK;
	s->cur_ttl = (uint8_t)(d->firsthop - 1);
	s->attempt = 0;
	trace_next(s);
	return 0;
}

/* The backwards phase is over: finish as the forwards part ended. */
static void
back_end(struct trace_state *s)
{
	s->mode = MODE_TRACE;	/* so PMTUD may still follow */
	/* s->x was made by trace_dtree_back */
	trace_finish(s, s->x->fwd_reason, s->x->fwd_data);
}

/* Done with TTL cur_ttl (answered, or every attempt timed out) without
 * stopping there: it is the trace's first hop now, so readers show it;
 * then go one TTL lower, or end after TTL 1.  (20211212 lowers firsthop
 * only above TTL 1, so its readers hide hop 1: see README.) */
static void
back_next(struct trace_state *s)
{
	s->c.firsthop = s->cur_ttl;
	if (s->cur_ttl <= 1) {
		back_end(s);
		return;
	}
	s->cur_ttl--;
	s->attempt = 0;
	trace_next(s);
}

void
trace_dtree_reply(struct trace_state *s, const struct trace_probe *p,
    const struct scamper_trace_hop *h)
{
	struct scamper_trace_dtree *d = trace_res(s)->dtree;
	struct lss *l = d->lss != NULL ? lss_get(d->lss) : NULL;
	uint8_t k[17];

	if (p->ttl != s->cur_ttl ||
	    p != trace_probe_at(s, (uint16_t)(s->probec - 1)))
		return;		/* recorded; the wait goes on */
	task_timer_cancel(trace_task(s), &s->wait);
	mkkey(s->af, h->addr.addr, k);
	/* above TTL 1, an address already known stops the backwards part;
	 * without a local stop set (-z only) every address is known, so
	 * one hop back is probed (as 20211212 does) */
	if (s->cur_ttl > 1 && (l == NULL || lss_has(l, k))) {
		d->lss_stop = h->addr;
		back_end(s);
		return;
	}
	if (l != NULL)
		(void)lss_add(l, k);
	back_next(s);
}

void
trace_dtree_timeout(struct trace_state *s)
{
	if (s->attempt < s->c.attempts)
		trace_next(s);
	else
		back_next(s);
}
