/*
 * memtrim.c: an idle process gives memory back (see memtrim.h).  The
 * kernel maps 64 KB or more around each page a process touches (fault-
 * around, large page-cache folios), so a library touched once during
 * start-up stays resident nearly in full; telling the kernel the
 * read-only segments are not needed (MADV_DONTNEED) drops them from the
 * process's RSS until they are touched again.
 */
#include "config.h"

#include <stdlib.h>		/* defines __GLIBC__ where it is glibc */

#include "memtrim.h"

#define MEMTRIM_HOOKS	8

static struct {
	void	(*fn)(void *);
	void	*arg;
} hooks[MEMTRIM_HOOKS];

int
mem_trim_hook(void (*fn)(void *), void *arg)
{
	for (int i = 0; i < MEMTRIM_HOOKS; i++)
		if (hooks[i].fn == NULL) {
			hooks[i].fn = fn;
			hooks[i].arg = arg;
			return 0;
		}
	return -1;
}

void
mem_trim_unhook(void (*fn)(void *), void *arg)
{
	for (int i = 0; i < MEMTRIM_HOOKS; i++)
		if (hooks[i].fn == fn && hooks[i].arg == arg)
			hooks[i].fn = NULL;
}

/* Call the hooks. */
static void
call_hooks(void)
{
	for (int i = 0; i < MEMTRIM_HOOKS; i++)
		if (hooks[i].fn != NULL)
			hooks[i].fn(hooks[i].arg);
}

#if defined(__linux__) && defined(__GLIBC__)
#include <link.h>
#include <malloc.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

/* Nonzero if the object INFO describes has text relocations or its
 * segment [START, END) overlaps its RELRO range: pages that were
 * written and must stay. */
static int
written_ro(const struct dl_phdr_info *info, uintptr_t start, uintptr_t end)
{
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t a = info->dlpi_addr + ph->p_vaddr;
		const ElfW(Dyn) *d;

		if (ph->p_type == PT_GNU_RELRO && a < end &&
		    a + ph->p_memsz > start)
			return 1;
		if (ph->p_type != PT_DYNAMIC)
			continue;
		for (d = (const ElfW(Dyn) *)a; d->d_tag != DT_NULL; d++)
			if (d->d_tag == DT_TEXTREL || (d->d_tag == DT_FLAGS &&
			    (d->d_un.d_val & DF_TEXTREL)))
				return 1;
	}
	return 0;
}

/* dl_iterate_phdr callback: drop the object's read-only segments. */
static int
drop_ro_segments(struct dl_phdr_info *info, size_t size, void *arg)
{
	uintptr_t pg = *(const uintptr_t *)arg;

	(void)size;
	if (info->dlpi_addr == (uintptr_t)getauxval(AT_SYSINFO_EHDR))
		return 0;	/* the vDSO */
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t a = info->dlpi_addr + ph->p_vaddr;
		uintptr_t start = (a + pg - 1) & ~(pg - 1);
		uintptr_t end = (a + ph->p_memsz) & ~(pg - 1);

		if (ph->p_type != PT_LOAD || (ph->p_flags & PF_W) ||
		    end <= start || written_ro(info, start, end))
			continue;
		(void)madvise((void *)start, end - start, MADV_DONTNEED);
	}
	return 0;
}

void
mem_trim_idle(void)
{
	uintptr_t pg = (uintptr_t)sysconf(_SC_PAGESIZE);

	call_hooks();
	malloc_trim(0);
	dl_iterate_phdr(drop_ro_segments, &pg);
}
#else
void
mem_trim_idle(void)
{
	call_hooks();
}
#endif
