/*
 * test_progress.c: the progress line's text (progress_format) and
 * source_count on list files; no terminal, no clock.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "progress.h"
#include "source.h"
#include "../lib/check_table.h"

/* A case of progress_format: its arguments (LEN 0: a 200-byte buffer)
 * and the line it must give. */
struct fmt {
	size_t		 len;
	uint64_t	 done, total, replies;
	double		 secs;
	const char	*want;
};

/* Each of the N cases in F formatted and compared. */
static void
check_formats(const struct fmt *f, size_t n)
{
	char b[200];

	for (size_t i = 0; i < n; i++) {
		progress_format(b, f[i].len != 0 ? f[i].len : sizeof(b),
		    f[i].done, f[i].total, f[i].replies, f[i].secs);
		ck_assert_str_eq(b, f[i].want);
	}
}

START_TEST(format_known_total)
{
	static const struct fmt f[] = {
		{ 0, 25, 100, 40, 5.0, "25 of 100 done (25%), 5.0/s, "
		    "40 replies, 15s left" },
		{ 0, 100, 1000, 7, 10.0, "100 of 1000 done (10%), 10.0/s, "
		    "7 replies, 1m30s left" },
		{ 0, 1, 10000, 0, 1.0, "1 of 10000 done (0%), 1.0/s, "
		    "0 replies, 2h46m left" },
	};

	check_formats(f, CHECK_N(f));
}
END_TEST

START_TEST(format_edges)
{
	static const struct fmt f[] = {
		/* nothing done yet: no rate, no estimate */
		{ 0, 0, 10, 0, 0.0, "0 of 10 done (0%), 0.0/s, 0 replies, "
		    "? left" },
		{ 0, 10, 10, 9, 2.0, "10 of 10 done (100%), 5.0/s, "
		    "9 replies, 0s left" },
		/* more done than counted (never shown beyond the total) */
		{ 0, 12, 10, 9, 2.0, "10 of 10 done (100%), 5.0/s, "
		    "9 replies, 0s left" },
		/* total unknown (standard input) */
		{ 0, 3, 0, 2, 2.0, "3 done, 1.5/s, 2 replies" },
		/* a short buffer is cut, not overrun */
		{ 8, 3, 0, 2, 2.0, "3 done," },
	};

	check_formats(f, CHECK_N(f));
}
END_TEST

START_TEST(count_file)
{
	char path[] = "/tmp/test_progress.XXXXXX", buf[256], where[64];
	int fd = mkstemp(path);
	struct source *s;
	FILE *f;
	int n = 0;

	ck_assert_int_ne(fd, -1);
	f = fdopen(fd, "w");
	fputs("# a list\n192.0.2.1\n\n  192.0.2.2  # two\n\t\n192.0.2.3\n",
	    f);
	fclose(f);
	s = source_file("ping", path, 0);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(source_count(s), 3);
	/* rewound: all three still come */
	while (source_next(s, buf, sizeof(buf), where, sizeof(where)) == 1)
		n++;
	ck_assert_int_eq(n, 3);
	source_free(s);
	unlink(path);
}
END_TEST

START_TEST(count_argv)
{
	char *v[] = { "192.0.2.1", "192.0.2.2" };
	struct source *s = source_addrs("ping", v, 2);

	ck_assert_int_eq(source_count(s), 2);
	source_free(s);
}
END_TEST

CHECK_MAIN("progress", "progress", format_known_total, format_edges,
    count_file, count_argv)
