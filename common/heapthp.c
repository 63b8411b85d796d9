/*
 * heapthp.c: a busy process's heap on transparent huge pages (see
 * heapthp.h).  glibc grows its main heap with brk(2); each extension is
 * a new mapping without the huge page advice, and on a system whose THP
 * setting is "madvise" (Debian's default) nothing is on huge pages
 * unless advised.  A prober starting 100,000 pings in a second touches
 * 150 MB of fresh heap, and a page fault per 4 KB was a quarter of its
 * CPU then.  So, past HEAP_THP_MIN bytes: the heap grows HEAP_THP_PAD
 * ahead (M_TOP_PAD), and whenever the break moved, the whole heap is
 * advised again (one madvise per extension, every 32 MB), before the new
 * part is touched by more than the allocation that grew it.  An idle
 * process (mem_trim_idle) goes back to glibc's default pad.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>		/* defines __GLIBC__ where it is glibc */
#include <string.h>
#include <unistd.h>

#include "heapthp.h"
#include "memtrim.h"

#if defined(__GLIBC__)
#include <malloc.h>
#include <sys/mman.h>
#endif

#if defined(__GLIBC__) && defined(MADV_HUGEPAGE) && defined(M_TOP_PAD)

#define GLIBC_TOP_PAD	(128u << 10)	/* glibc's default M_TOP_PAD */

static uintptr_t	heap_start;	/* the break when first seen */
static uintptr_t	heap_next;	/* a break past this is news */
static int		heap_off;	/* SCAMPER_HEAP_THP=0, or unusable */
static int		heap_busy;	/* the pad is HEAP_THP_PAD */
static int		heap_hooked;

/* Idle: the usual pad again, and the next growth past HEAP_THP_MIN
 * advises the whole heap anew (a trimmed heap regrows unadvised). */
static void
heap_idle(void *arg)
{
	(void)arg;
	if (heap_busy)
		(void)mallopt(M_TOP_PAD, GLIBC_TOP_PAD);
	heap_busy = 0;
	heap_next = heap_start + HEAP_THP_MIN;
}

static int
heap_first(void)
{
	const char *e = getenv("SCAMPER_HEAP_THP");
	void *b = sbrk(0);

	if ((e != NULL && strcmp(e, "0") == 0) || b == (void *)-1) {
		heap_off = 1;
		return -1;
	}
	heap_start = (uintptr_t)b;
	heap_next = heap_start + HEAP_THP_MIN;
	return 0;
}

static void
heap_grew(uintptr_t brk)
{
	uintptr_t pg = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t a = heap_start & ~(pg - 1);

	if (!heap_busy) {
		if (!heap_hooked)
			heap_hooked = mem_trim_hook(heap_idle, NULL) == 0;
		heap_busy = mallopt(M_TOP_PAD, (int)HEAP_THP_PAD) == 1;
	}
	/* EINVAL where THP is compiled out: then nothing more is tried */
	if (madvise((void *)a, brk - a, MADV_HUGEPAGE) == -1)
		heap_off = 1;
	heap_next = brk;
}

void
heap_thp_note(void)
{
	uintptr_t b;

	if (heap_off || (heap_start == 0 && heap_first() == -1))
		return;
	b = (uintptr_t)sbrk(0);
	if (b > heap_next)
		heap_grew(b);
}
#else
void
heap_thp_note(void)
{
}
#endif
