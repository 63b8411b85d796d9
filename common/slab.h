/*
 * slab.h: small buffers by size class, for one thread.
 *
 * Sizes are rounded up to 8 bytes (the size of the free lists' links); each class of SLAB_MAX or fewer
 * bytes has a free list, last freed first out (a buffer freed is
 * reused while it is still in the cache), and new buffers are carved
 * one after another from blocks of a few tens of kilobytes taken from
 * malloc: no header per buffer, no search, no coalescing.  The caller
 * keeps each buffer's size and gives it back on slab_free.  Larger
 * sizes go to malloc and free.  Memory stays with the slab until
 * slab_trim finds no buffer in use (blocks are not given back one by
 * one).  Not thread-safe: one slab per thread.
 */
#ifndef COMMON_SLAB_H
#define COMMON_SLAB_H

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Under AddressSanitizer free buffers and blocks' uncarved rest are
 * poisoned: a read or write there is reported as in malloc's. */
#if defined(__SANITIZE_ADDRESS__)
#define SLAB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SLAB_ASAN 1
#endif
#endif
#ifdef SLAB_ASAN
#include <sanitizer/asan_interface.h>
#define SLAB_POISON(p, n)	ASAN_POISON_MEMORY_REGION((p), (n))
#define SLAB_UNPOISON(p, n)	ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define SLAB_POISON(p, n)	((void)(p), (void)(n))
#define SLAB_UNPOISON(p, n)	((void)(p), (void)(n))
#endif

#define SLAB_ALIGN	8		/* sizes' step and buffers' alignment */
#define SLAB_MAX	1024		/* larger sizes go to malloc */
#define SLAB_CLASSES	(SLAB_MAX / SLAB_ALIGN)
#define SLAB_BLOCK	65536		/* default bytes a block */

struct slab {
	void		*free[SLAB_CLASSES];	/* class i: (i + 1) * 8 */
	unsigned char	*cur, *end;		/* the block being carved */
	void		*blocks;		/* through each one's start */
	size_t		 block;			/* bytes a block */
	size_t		 inuse;			/* buffers not freed */
	size_t		 nblocks;
};

/* Set up S, empty, to carve blocks of BLOCK bytes (0: SLAB_BLOCK; at
 * least SLAB_MAX + SLAB_ALIGN).  A zeroed struct slab is the same as
 * one set up with 0. */
void	slab_init(struct slab *s, size_t block);

/* The bytes a buffer asked for with N bytes has: N rounded up to
 * SLAB_ALIGN (N of 0 counts as 1). */
static inline size_t
slab_size(size_t n)
{
	return n == 0 ? SLAB_ALIGN : (n + SLAB_ALIGN - 1) &
	    ~(size_t)(SLAB_ALIGN - 1);
}

/* slab_alloc's way when the class's free list is empty or N is above
 * SLAB_MAX. */
void	*slab_alloc_slow(struct slab *s, size_t n);

/* A buffer of slab_size(N) bytes, aligned to SLAB_ALIGN and not
 * cleared; NULL with errno ENOMEM.  Inline: most take the head of
 * their class's free list. */
static inline void *
slab_alloc(struct slab *s, size_t n)
{
	size_t c = slab_size(n) / SLAB_ALIGN - 1;
	void *p;

	if (c >= SLAB_CLASSES || (p = s->free[c]) == NULL)
		return slab_alloc_slow(s, n);
	SLAB_UNPOISON(p, (c + 1) * SLAB_ALIGN);
	memcpy(&s->free[c], p, sizeof(p));	/* its link */
	s->inuse++;
	return p;
}

/* Give back P (NULL: nothing), which slab_alloc(S, N) returned (N, or
 * any size of the same slab_size). */
static inline void
slab_free(struct slab *s, void *p, size_t n)
{
	size_t c = slab_size(n) / SLAB_ALIGN - 1;

	if (p == NULL)
		return;
	if (c >= SLAB_CLASSES) {
		free(p);
		return;
	}
	memcpy(p, &s->free[c], sizeof(p));
	SLAB_POISON(p, (c + 1) * SLAB_ALIGN);
	s->free[c] = p;
	s->inuse--;
}

/* Give the blocks back to malloc if no buffer is in use; returns 1 if
 * it did (or held none), 0 if buffers are still in use. */
int	 slab_trim(struct slab *s);

#endif
