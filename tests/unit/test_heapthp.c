/*
 * test_heapthp.c: a heap grown past HEAP_THP_MIN is advised for huge
 * pages (its mapping's VmFlags carry "hg"), and not with
 * SCAMPER_HEAP_THP=0.  Where malloc does not grow the heap with brk
 * (sanitizers, valgrind) or the kernel has no THP, it says so and checks
 * only that nothing breaks.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "heapthp.h"
#include "memtrim.h"
#include "../lib/check_table.h"

/* 1: the last [heap] mapping (where the heap grows) is advised, 0: it
 * is not, -1: no [heap].  (The heap below the break first noted is not
 * advised: it is the part grown before the process was busy.) */
static int
heap_advised(void)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	int in = 0, r = -1;

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		unsigned long lo, hi;

		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2)	/* a mapping */
			in = strstr(line, "[heap]") != NULL;
		else if (in && strncmp(line, "VmFlags:", 8) == 0)
			r = strstr(line, " hg") != NULL;
	}
	fclose(f);
	return r;
}

/* Grow the heap by about 24 MB in 1 KB blocks, noting each; 0 if brk
 * did not move (malloc is not glibc's brk heap here). */
static int
grow(void ***blocks, size_t *n)
{
	uintptr_t b0 = (uintptr_t)sbrk(0);

	*n = 24 * 1024;
	*blocks = calloc(*n, sizeof(**blocks));
	ck_assert_ptr_nonnull(*blocks);
	for (size_t i = 0; i < *n; i++) {
		ck_assert_ptr_nonnull((*blocks)[i] = malloc(1000));
		memset((*blocks)[i], 1, 1000);
		heap_thp_note();
	}
	return (uintptr_t)sbrk(0) > b0 + HEAP_THP_MIN;
}

static void
release(void **blocks, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(blocks[i]);
	free(blocks);
}

static int
have_thp(void)
{
	return access("/sys/kernel/mm/transparent_hugepage/enabled", R_OK) ==
	    0;
}

START_TEST(advised)
{
	void **b;
	size_t n;

	if (!grow(&b, &n) || !have_thp()) {
		printf("# skipped the check: no brk heap or no THP here\n");
		release(b, n);
		return;
	}
	ck_assert_int_eq(heap_advised(), 1);
	release(b, n);
	mem_trim_idle();	/* back to the usual pad; must not break */
	heap_thp_note();
}
END_TEST

START_TEST(turned_off)
{
	void **b;
	size_t n;

	ck_assert_int_eq(setenv("SCAMPER_HEAP_THP", "0", 1), 0);
	if (!grow(&b, &n)) {
		printf("# skipped the check: no brk heap here\n");
		release(b, n);
		return;
	}
	ck_assert_int_eq(heap_advised(), 0);
	release(b, n);
}
END_TEST

int
main(void)
{
	const TTest *tests[] = { advised, turned_off };
	TCase *tc = tcase_create("heapthp");

	check_add(tc, tests, CHECK_N(tests));
	tcase_set_timeout(tc, 60);
	return unit_run(check_suite("heapthp", tc));
}
