/*
 * heapthp.h: a busy process's heap on transparent huge pages.
 */
#ifndef COMMON_HEAPTHP_H
#define COMMON_HEAPTHP_H

/* Note that the heap may have grown: once the C library's heap passes
 * HEAP_THP_MIN bytes, ask for it to be grown ahead in large steps and
 * backed by huge pages (MADV_HUGEPAGE) where the system allows, so that
 * the next megabytes cost one page fault per 2 MB rather than one per
 * 4 KB; mem_trim_idle undoes the steps.  Cheap when nothing grew (a
 * compare); a no-op without glibc's brk heap (sanitizers, valgrind, other
 * C libraries) or with SCAMPER_HEAP_THP=0 in the environment. */
void	heap_thp_note(void);

#define HEAP_THP_MIN	(8u << 20)	/* the heap size that turns it on */
#define HEAP_THP_PAD	(32u << 20)	/* grown ahead by, while busy */

#endif
