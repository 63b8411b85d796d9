/*
 * test_slab.c: the size-class allocator (common/slab.h): sizes round
 * to classes, a freed buffer is the next of its class handed out,
 * buffers never overlap and keep what was written across other
 * allocations, frees come in any order, a block's rest is not lost,
 * large sizes go to malloc, trimming gives the blocks back only when
 * none is in use, a block that cannot be had is ENOMEM, and under
 * AddressSanitizer what is not handed out is poisoned.
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slab.h"
#include "sanitized.h"
#include "../lib/check_table.h"

START_TEST(classes)
{
	ck_assert_uint_eq(slab_size(0), SLAB_ALIGN);
	ck_assert_uint_eq(slab_size(1), 8);
	ck_assert_uint_eq(slab_size(8), 8);
	ck_assert_uint_eq(slab_size(9), 16);
	ck_assert_uint_eq(slab_size(120), 120);
	ck_assert_uint_eq(slab_size(121), 128);
	ck_assert_uint_eq(slab_size(SLAB_MAX), SLAB_MAX);
	ck_assert_uint_eq(slab_size(SLAB_MAX + 1), SLAB_MAX + 8);
}
END_TEST

/* The last freed of a class is the next handed out of it; another
 * class does not take it. */
START_TEST(reuse)
{
	struct slab s;
	void *a, *b, *c;

	slab_init(&s, 0);
	a = slab_alloc(&s, 120);
	b = slab_alloc(&s, 117);		/* the same class */
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_ne(a, b);
	ck_assert_uint_eq((uintptr_t)a % SLAB_ALIGN, 0);
	slab_free(&s, a, 120);
	slab_free(&s, b, 120);
	c = slab_alloc(&s, 168);		/* another class: new */
	ck_assert_ptr_ne(c, a);
	ck_assert_ptr_ne(c, b);
	ck_assert_ptr_eq(slab_alloc(&s, 113), b);	/* last in, first out */
	ck_assert_ptr_eq(slab_alloc(&s, 120), a);
	ck_assert_uint_eq(s.inuse, 3);
	slab_free(&s, a, 120);
	slab_free(&s, b, 120);
	slab_free(&s, c, 168);
	ck_assert_int_eq(slab_trim(&s), 1);
}
END_TEST

/* A buffer growing as the trace's does (by an eighth, at least 48
 * bytes, copied and the old one freed) through the classes and past
 * SLAB_MAX keeps its bytes, while another grows beside it. */
START_TEST(growth)
{
	struct slab s;
	unsigned char *b[2] = { NULL, NULL };
	size_t cap[2] = { 0, 0 };

	slab_init(&s, 0);
	for (int step = 0; step < 40; step++)
		for (int k = 0; k < 2; k++) {
			size_t n = cap[k] == 0 ? 120 : slab_size(cap[k] +
			    (cap[k] / 8 > 48 ? cap[k] / 8 : 48));
			unsigned char *p = slab_alloc(&s, n);

			ck_assert_ptr_nonnull(p);
			for (size_t i = 0; i < cap[k]; i++)
				ck_assert_uint_eq(b[k][i],
				    (unsigned char)(i * 7 + k));
			if (cap[k] > 0)
				memcpy(p, b[k], cap[k]);
			for (size_t i = cap[k]; i < n; i++)
				p[i] = (unsigned char)(i * 7 + k);
			slab_free(&s, b[k], cap[k]);
			b[k] = p;
			cap[k] = n;
		}
	ck_assert_uint_gt(cap[0], SLAB_MAX * 4);
	slab_free(&s, b[0], cap[0]);
	slab_free(&s, b[1], cap[1]);
	ck_assert_uint_eq(s.inuse, 0);
	ck_assert_int_eq(slab_trim(&s), 1);
}
END_TEST

/* Many buffers of every class, each filled with its own byte, freed in
 * a shuffled order while others are taken: none is overwritten, and
 * trimming waits for the last. */
START_TEST(any_order)
{
	enum { N = UNIT_SANITIZED ? 2000 : 20000 };
	struct slab s;
	unsigned char **p = calloc(N, sizeof(*p));
	size_t *n = calloc(N, sizeof(*n));
	unsigned seed = 7;

	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(n);
	slab_init(&s, 4096);
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < N; i++) {
			if (p[i] != NULL)
				continue;
			n[i] = 1 + rand_r(&seed) % (SLAB_MAX + 64);
			ck_assert_ptr_nonnull(p[i] = slab_alloc(&s, n[i]));
			memset(p[i], i & 0xff, slab_size(n[i]));
		}
		for (int i = 0; i < N; i++) {
			int j = (int)(rand_r(&seed) % N);

			if (p[j] == NULL)
				continue;
			for (size_t k = 0; k < slab_size(n[j]); k++)
				ck_assert_uint_eq(p[j][k], j & 0xff);
			slab_free(&s, p[j], n[j]);
			p[j] = NULL;
		}
		ck_assert_int_eq(slab_trim(&s), 0);
	}
	for (int i = 0; i < N; i++)
		slab_free(&s, p[i], n[i]);
	ck_assert_uint_eq(s.inuse, 0);
	ck_assert_int_eq(slab_trim(&s), 1);
	ck_assert_ptr_null(s.blocks);
	free(p);
	free(n);
}
END_TEST

/* What is left of a block when a buffer does not fit goes to its
 * class's list: the next buffer of that class is it. */
START_TEST(block_rest)
{
	struct slab s;
	unsigned char *a, *b, *c;

	slab_init(&s, 1);		/* the least: SLAB_MAX + 8 */
	ck_assert_uint_eq(s.block, SLAB_MAX + 8);
	a = slab_alloc(&s, SLAB_MAX - 64);
	b = slab_alloc(&s, 128);	/* 64 left: a new block */
	ck_assert_uint_eq(s.nblocks, 2);
	c = slab_alloc(&s, 64);		/* the first block's rest */
	ck_assert_ptr_eq(c, a + SLAB_MAX - 64);
	ck_assert_uint_eq(s.nblocks, 2);
	slab_free(&s, a, SLAB_MAX - 64);
	slab_free(&s, c, 64);
	ck_assert_int_eq(slab_trim(&s), 0);
	slab_free(&s, b, 128);
	ck_assert_int_eq(slab_trim(&s), 1);
	ck_assert_uint_eq(s.nblocks, 0);
	ck_assert_uint_eq(s.block, SLAB_MAX + 8);	/* kept */
}
END_TEST

/* A block or a large buffer that cannot be had: NULL and ENOMEM; a
 * freed buffer is still handed out. */
START_TEST(out_of_memory)
{
	struct slab s;
	void *a;

	if (UNIT_SANITIZED) {	/* its malloc reports, not returns NULL */
		printf("# skipped: sanitized malloc\n");
		return;
	}
	slab_init(&s, 0);
	ck_assert_ptr_nonnull(a = slab_alloc(&s, 200));
	s.block = (size_t)1 << 60;	/* the next block cannot be had */
	s.cur = s.end;			/* and this one is used up */
	errno = 0;
	ck_assert_ptr_null(slab_alloc(&s, 100));
	ck_assert_int_eq(errno, ENOMEM);
	errno = 0;
	ck_assert_ptr_null(slab_alloc(&s, (size_t)1 << 60));
	ck_assert_int_eq(errno, ENOMEM);
	ck_assert_uint_eq(s.inuse, 1);
	slab_free(&s, a, 200);
	ck_assert_ptr_eq(slab_alloc(&s, 200), a);
	slab_free(&s, a, 200);
	ck_assert_int_eq(slab_trim(&s), 1);
}
END_TEST

/* Under AddressSanitizer a free buffer and a block's uncarved rest are
 * poisoned, a buffer handed out is not. */
START_TEST(poisoned)
{
#ifdef SLAB_ASAN
	struct slab s;
	unsigned char *a;

	slab_init(&s, 0);
	a = slab_alloc(&s, 100);
	ck_assert_int_eq(__asan_address_is_poisoned(a + 103), 0);
	ck_assert_int_ne(__asan_address_is_poisoned(a + 104), 0);
	slab_free(&s, a, 100);
	ck_assert_int_ne(__asan_address_is_poisoned(a), 0);
	ck_assert_ptr_eq(slab_alloc(&s, 100), a);
	ck_assert_int_eq(__asan_address_is_poisoned(a + 103), 0);
	slab_free(&s, a, 100);
	ck_assert_int_eq(slab_trim(&s), 1);
#else
	printf("# skipped: not sanitized\n");
#endif
}
END_TEST

int
main(void)
{
	const TTest *tests[] = { classes, reuse, growth, any_order,
	    block_rest, out_of_memory, poisoned };
	TCase *tc = tcase_create("slab");

	check_add(tc, tests, CHECK_N(tests));
	tcase_set_timeout(tc, 60);
	return unit_run(check_suite("slab", tc));
}
