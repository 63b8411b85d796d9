/*
 * slab.c: small buffers by size class (see slab.h): the ways that are
 * not inline, carving a new buffer from the current block, starting a
 * block, and giving the blocks back.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "slab.h"

/* Each block starts with the link to the one taken before it, padded
 * to keep the buffers after it aligned. */
#define BLOCK_HEAD	SLAB_ALIGN

void
slab_init(struct slab *s, size_t block)
{
	memset(s, 0, sizeof(*s));
	if (block != 0 && block < SLAB_MAX + BLOCK_HEAD)
		block = SLAB_MAX + BLOCK_HEAD;
	s->block = block;
}

/* Put the bytes left of the current block (a multiple of SLAB_ALIGN, at
 * most SLAB_MAX since no buffer fitted) on their class's free list. */
static void
keep_rest(struct slab *s)
{
	size_t rest = (size_t)(s->end - s->cur);

	if (rest == 0)
		return;
	SLAB_UNPOISON(s->cur, rest);
	memcpy(s->cur, &s->free[rest / SLAB_ALIGN - 1], sizeof(void *));
	SLAB_POISON(s->cur, rest);
	s->free[rest / SLAB_ALIGN - 1] = s->cur;
	s->cur = s->end;
}

/* Start a new block; 0, or -1 with errno ENOMEM. */
static int
new_block(struct slab *s)
{
	size_t size = s->block != 0 ? s->block : SLAB_BLOCK;
	unsigned char *b = malloc(size);

	if (b == NULL) {
		errno = ENOMEM;
		return -1;
	}
	keep_rest(s);
	memcpy(b, &s->blocks, sizeof(void *));
	s->blocks = b;
	s->nblocks++;
	s->cur = b + BLOCK_HEAD;
	s->end = b + BLOCK_HEAD + (size - BLOCK_HEAD) / SLAB_ALIGN *
	    SLAB_ALIGN;
	SLAB_POISON(s->cur, (size_t)(s->end - s->cur));
	return 0;
}

void *
slab_alloc_slow(struct slab *s, size_t n)
{
	size_t size = slab_size(n);
	void *p;

	if (size / SLAB_ALIGN - 1 >= SLAB_CLASSES) {
		if ((p = malloc(size)) == NULL)
			errno = ENOMEM;
		return p;
	}
	/* the class's list is empty: carve */
	if ((size_t)(s->end - s->cur) < size && new_block(s) == -1)
		return NULL;
	p = s->cur;
	SLAB_UNPOISON(p, size);
	s->cur += size;
	s->inuse++;
	return p;
}

int
slab_trim(struct slab *s)
{
	size_t block = s->block;
	void *b = s->blocks, *next;

	if (s->inuse != 0)
		return 0;
	while (b != NULL) {
		memcpy(&next, b, sizeof(next));
		SLAB_UNPOISON(b, block != 0 ? block : SLAB_BLOCK);
		free(b);
		b = next;
	}
	slab_init(s, block);
	return 1;
}
