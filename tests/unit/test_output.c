/*
 * test_output.c: output_flush_aged holds a file's results until they
 * have waited the linger (counted from the call that first found them),
 * tells when they will have, and writes everything at once when due, on
 * output_flush or at output_close.
 */
#include <check.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"
#include "scamper_file.h"
#include "scamper_list.h"
#include "../lib/check_table.h"

#define LINGER	1000000000LL

/* Bytes in FD's file now. */
static off_t
file_size(int fd)
{
	struct stat st;

	ck_assert_int_eq(fstat(fd, &st), 0);
	return st.st_size;
}

/* A warts output on a fresh memory file (*FD: a second descriptor of
 * it, to look at) with one cycle record written. */
static struct output *
dirty_output(int *fd, struct scamper_cycle **cyc)
{
	int mfd = memfd_create("test_output", 0);
	struct scamper_list *l;
	struct output *o;

	ck_assert_int_ge(mfd, 0);
	*fd = dup(mfd);
	ck_assert_int_ge(*fd, 0);
	ck_assert_ptr_nonnull(o = output_fdopen(mfd, OUTPUT_WARTS, "memfd"));
	ck_assert_ptr_nonnull(l = scamper_list_alloc(1, "l", NULL, NULL));
	ck_assert_ptr_nonnull(*cyc = scamper_cycle_alloc(l, 1, 1000, NULL));
	scamper_list_free(l);
	ck_assert_int_eq(output_cycle_start(o, *cyc), 0);
	return o;
}

START_TEST(held_until_due)
{
	struct scamper_cycle *cyc;
	struct monotime due, t0 = { 5000000000LL };
	int fd;
	struct output *o = dirty_output(&fd, &cyc);

	ck_assert_int_eq(file_size(fd), 0);
	ck_assert_int_eq(output_flush_aged(o, t0, LINGER, &due), 0);
	ck_assert_int_eq(due.ns, t0.ns + LINGER);
	ck_assert_int_eq(file_size(fd), 0);
	/* more results later: still counted from the first call */
	ck_assert_int_eq(output_cycle_stop(o, cyc), 0);
	ck_assert_int_eq(output_flush_aged(o, monotime_add_ns(t0, LINGER - 1),
	    LINGER, &due), 0);
	ck_assert_int_eq(due.ns, t0.ns + LINGER);
	ck_assert_int_eq(file_size(fd), 0);
	ck_assert_int_eq(output_flush_aged(o, monotime_add_ns(t0, LINGER),
	    LINGER, &due), 0);
	ck_assert_int_eq(due.ns, MONOTIME_MAX.ns);
	ck_assert_int_gt(file_size(fd), 0);
	/* nothing waits now */
	ck_assert_int_eq(output_flush_aged(o, monotime_add_ns(t0, 3 * LINGER),
	    LINGER, &due), 0);
	ck_assert_int_eq(due.ns, MONOTIME_MAX.ns);
	ck_assert_int_eq(output_close(o), 0);
	scamper_cycle_free(cyc);
	close(fd);
}
END_TEST

START_TEST(linger_zero_and_close)
{
	struct scamper_cycle *cyc;
	struct monotime due, t0 = { 1 };
	off_t first;
	int fd;
	struct output *o = dirty_output(&fd, &cyc);

	/* a linger of 0 writes at once */
	ck_assert_int_eq(output_flush_aged(o, t0, 0, &due), 0);
	ck_assert_int_eq(due.ns, MONOTIME_MAX.ns);
	ck_assert_int_gt(first = file_size(fd), 0);
	/* held results reach the file when it closes */
	ck_assert_int_eq(output_cycle_stop(o, cyc), 0);
	ck_assert_int_eq(output_flush_aged(o, t0, LINGER, &due), 0);
	ck_assert_int_eq(file_size(fd), first);
	ck_assert_int_eq(output_close(o), 0);
	ck_assert_int_gt(file_size(fd), first);
	scamper_cycle_free(cyc);
	close(fd);
}
END_TEST

int
main(void)
{
	const TTest *tests[] = { held_until_due, linger_zero_and_close };
	TCase *tc = tcase_create("output");

	check_add(tc, tests, CHECK_N(tests));
	tcase_set_timeout(tc, 60);
	return unit_run(check_suite("output", tc));
}
