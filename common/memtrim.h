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

#endif
