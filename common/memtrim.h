/*
 * memtrim.h: an idle process gives memory back to the system.
 */
#ifndef COMMON_MEMTRIM_H
#define COMMON_MEMTRIM_H

/* Give back what an idle process need not keep resident: free heap at
 * the top and in holes (malloc_trim), and the resident pages of the
 * read-only segments (code, constants) of the program and its
 * libraries, which stay in the page cache and come back on the next
 * touch.  Pages that were written (RELRO, text relocations) stay.
 * Nothing is lost; a no-op where the C library or the system has no
 * way to do it. */
void	mem_trim_idle(void);

/* Have FN(ARG) called first by each mem_trim_idle, to give back what
 * its owner holds only while busy.  Returns 0, or -1 when 8 are held. */
int	mem_trim_hook(void (*fn)(void *), void *arg);

/* Call FN(ARG) no more (a no-op if it was never hooked). */
void	mem_trim_unhook(void (*fn)(void *), void *arg);

#endif
