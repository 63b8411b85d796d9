/*
 * dsttab.c: the packet path's destination table (see dsttab.h).
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "dsttab.h"

#define DST_MIN		1024	/* first size of the table */
#define DST_HUGE	(2u << 20)	/* a huge page (x86-64, arm64 4K) */
#define SWEEP_K		16	/* slots swept per new entry */
#define MIG_K		16	/* old slots moved per call while growing */

_Static_assert(sizeof(struct dst_ent) == 32, "dst_ent is half a cache line");

static uint32_t
dst_hash(int af, const uint8_t *a)
{
	uint32_t w[4] = { 0 }, h;

	memcpy(w, a, af == AF_INET ? 4 : 16);
	h = (w[0] ^ (uint32_t)af) * 0x9e3779b1u;
	h = (h ^ w[1] ^ (w[2] * 0x85ebca6bu) ^ (w[3] * 0xc2b2ae35u));
	return h ^ (h >> 15) ^ (h >> 7);
}

static inline int
ent_af(const struct dst_ent *e)
{
	return e->v6 ? AF_INET6 : AF_INET;
}

/* Nonzero if entry E holds AF address A (a word compare for IPv4: this
 * runs for every probe). */
static inline int
ent_is(const struct dst_ent *e, int af, const uint8_t *a)
{
	uint32_t x, y;

	if (af == AF_INET6)
		return e->v6 && memcmp(e->addr, a, 16) == 0;
	memcpy(&x, e->addr, 4);
	memcpy(&y, a, 4);
	return !e->v6 && x == y;
}

/* Where AF address A's entry is in table (T, N), or would go. */
static struct dst_ent *
slot_of(struct dst_ent *t, size_t n, int af, const uint8_t *a)
{
	size_t i = dst_hash(af, a) & (n - 1);

	while (t[i].state != DST_EMPTY && !ent_is(&t[i], af, a))
		i = (i + 1) & (n - 1);
	return &t[i];
}

/* N zeroed slots, line-aligned, or NULL (ENOMEM).  From a huge page up
 * (65,536 slots) the kernel's fresh pages, aligned to a huge page and
 * asked to be made of them: a lookup lands anywhere in the table, and
 * on 4 KB pages each also missed the TLB (RESULTS.md h22lo).  They are
 * not touched here, so their faults (costly in a VM) come a lookup at a
 * time, not all at once. */
static struct dst_ent *
tab_alloc(size_t n)
{
	size_t sz = n * sizeof(struct dst_ent);
	uint8_t *m, *t;
	size_t lead;

	if (sz < DST_HUGE) {
		if ((t = aligned_alloc(64, sz)) != NULL)
			memset(t, 0, sz);
		return (struct dst_ent *)(void *)t;
	}
	m = mmap(NULL, sz + DST_HUGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	lead = (DST_HUGE - (uintptr_t)m % DST_HUGE) % DST_HUGE;
	t = m + lead;
	if (lead > 0)
		(void)munmap(m, lead);
	(void)munmap(t + sz, DST_HUGE - lead);
#ifdef MADV_HUGEPAGE
	(void)madvise(t, sz, MADV_HUGEPAGE);
#endif
	return (struct dst_ent *)(void *)t;
}

static void
tab_free(struct dst_ent *t, size_t n)
{
	size_t sz = n * sizeof(struct dst_ent);

	if (t == NULL)
		return;
	if (sz < DST_HUGE)
		free(t);
	else
		(void)munmap(t, sz);
}

int
dsttab_init(struct dsttab *d)
{
	memset(d, 0, sizeof(*d));
	if ((d->t = tab_alloc(DST_MIN)) == NULL)
		return -1;
	d->n = DST_MIN;
	return 0;
}

void
dsttab_free(struct dsttab *d)
{
	tab_free(d->t, d->n);
	tab_free(d->old, d->nold);
	memset(d, 0, sizeof(*d));
}

/* Empty slot I of table (T, N), moving back the entries after it that
 * may go there, so that every entry stays reachable from its home. */
static void
slot_clear(struct dst_ent *t, size_t n, size_t i)
{
	size_t m = n - 1, j = i, home;

	for (;;) {
		j = (j + 1) & m;
		if (t[j].state == DST_EMPTY)
			break;
		home = dst_hash(ent_af(&t[j]), t[j].addr) & m;
		if (((j - home) & m) >= ((j - i) & m)) {
			t[i] = t[j];
			i = j;
		}
	}
	memset(&t[i], 0, sizeof(t[i]));
}

/* Look at the next SWEEP_K slots and remove those expired by NOW. */
static void
sweep(struct dsttab *d, int64_t now)
{
	for (int k = 0; k < SWEEP_K; k++) {
		struct dst_ent *e = &d->t[d->sweep];

		if (e->state != DST_EMPTY && e->until <= now) {
			slot_clear(d->t, d->n, d->sweep);
			d->used--;
			d->swept++;	/* the slot may hold a moved entry */
		} else
			d->sweep = (d->sweep + 1) & (d->n - 1);
	}
}

/* Move up to K of the old table's slots into the table (the live
 * entries not there yet); free the old one once all are moved. */
static void
migrate(struct dsttab *d, int64_t now, size_t k)
{
	for (; k > 0 && d->mig < d->nold; k--, d->mig++) {
		const struct dst_ent *o = &d->old[d->mig];
		struct dst_ent *s;

		if (o->state == DST_EMPTY || o->until <= now)
			continue;
		s = slot_of(d->t, d->n, ent_af(o), o->addr);
		if (s->state == DST_EMPTY) {
			*s = *o;
			d->used++;
		}
	}
	if (d->mig == d->nold) {
		tab_free(d->old, d->nold);
		d->old = NULL;
		d->nold = d->mig = 0;
	}
}

/* Start moving into a table twice the size.  Returns 0 or -1. */
static int
grow(struct dsttab *d, int64_t now)
{
	size_t n = d->n * 2;
	struct dst_ent *t;

	if (n < d->n || (t = tab_alloc(n)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	if (d->old != NULL)		/* not seen: moving outpaces filling */
		migrate(d, now, d->nold);
	d->old = d->t;
	d->nold = d->n;
	d->mig = 0;
	d->t = t;
	d->n = n;
	d->used = 0;
	d->sweep = 0;
	d->grown++;
	return 0;
}

struct dst_ent *
dsttab_get(struct dsttab *d, int af, const uint8_t *a, int64_t now,
    int *fresh)
{
	struct dst_ent *s, *o;

	if (d->old != NULL)
		migrate(d, now, MIG_K);
	s = slot_of(d->t, d->n, af, a);
	if (s->state != DST_EMPTY) {
		if (s->until > now) {
			*fresh = 0;
			return s;
		}
	} else {
		if (d->old != NULL) {
			o = slot_of(d->old, d->nold, af, a);
			if (o->state != DST_EMPTY && o->until > now) {
				*s = *o;
				d->used++;
				*fresh = 0;
				return s;
			}
		}
		sweep(d, now);		/* may move entries: look again */
		if ((d->used + 1) * 2 > d->n && grow(d, now) == -1)
			return NULL;
		s = slot_of(d->t, d->n, af, a);
		d->used++;
	}
	memset(s, 0, sizeof(*s));
	s->v6 = af == AF_INET6;
	memcpy(s->addr, a, af == AF_INET ? 4 : 16);
	*fresh = 1;
	return s;
}
