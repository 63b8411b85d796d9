/*
 * check_table.h: the set-up every check suite's main() repeats, from a
 * table: a test case of the tests listed, a suite of it, and (from
 * unit_main.h) running it.
 */
#ifndef TESTS_CHECK_TABLE_H
#define TESTS_CHECK_TABLE_H

#include <stddef.h>
#include <check.h>

#include "../unit/unit_main.h"

/* How many tests a table T (an array) holds. */
#define CHECK_N(t)	(sizeof(t) / sizeof((t)[0]))

/* Add the N tests in TESTS to the test case TC, in order. */
static inline void
check_add(TCase *tc, const TTest *const *tests, size_t n)
{
	for (size_t i = 0; i < n; i++)
		tcase_add_test(tc, tests[i]);
}

/* Add the N loop tests in TESTS to TC, in order, each run for every _i
 * from START up to (not including) END. */
static inline void
check_add_loops(TCase *tc, const TTest *const *tests, size_t n, int start,
    int end)
{
	for (size_t i = 0; i < n; i++)
		tcase_add_loop_test(tc, tests[i], start, end);
}

/* A test case NAME of the N tests in TESTS. */
static inline TCase *
check_case(const char *name, const TTest *const *tests, size_t n)
{
	TCase *tc = tcase_create(name);

	check_add(tc, tests, n);
	return tc;
}

/* A suite NAME of the one test case TC. */
static inline Suite *
check_suite(const char *name, TCase *tc)
{
	Suite *s = suite_create(name);

	suite_add_tcase(s, tc);
	return s;
}

/* Define main() to run the suite SUITE of one test case CASE holding the
 * tests named after them, in order; exits as unit_run() does. */
#define CHECK_MAIN(suite, case, ...)					\
int									\
main(void)								\
{									\
	const TTest *check_tests_[] = { __VA_ARGS__ };			\
									\
	return unit_run(check_suite((suite), check_case((case),		\
	    check_tests_, CHECK_N(check_tests_))));			\
}

#endif
