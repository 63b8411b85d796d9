/*
 * test_daemon.c: pid files and the debug file.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "log.h"
#include "../lib/check_table.h"

static char dir[] = "/tmp/scamper-test-XXXXXX";

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	(void)!system(cmd);
	strcpy(dir, "/tmp/scamper-test-XXXXXX");
}

static char *
slurp(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

START_TEST(pidfile)
{
	char path[256], buf[64];

	snprintf(path, sizeof(path), "%s/pid", dir);
	ck_assert_int_eq(daemon_pidfile_write(path, 4242), 0);
	ck_assert_str_eq(slurp(path, buf, sizeof(buf)), "4242\n");
	ck_assert_int_eq(daemon_pidfile_write(path, 7), 0);	/* truncates */
	ck_assert_str_eq(slurp(path, buf, sizeof(buf)), "7\n");
	snprintf(path, sizeof(path), "%s/missing/pid", dir);
	ck_assert_int_eq(daemon_pidfile_write(path, 1), -1);
}
END_TEST

START_TEST(pidfile_no_symlink)
{
	char path[256], target[256];

	snprintf(target, sizeof(target), "%s/target", dir);
	snprintf(path, sizeof(path), "%s/link", dir);
	ck_assert_int_eq(symlink(target, path), 0);
	ck_assert_int_eq(daemon_pidfile_write(path, 1), -1);
	ck_assert_int_eq(access(target, F_OK), -1);
}
END_TEST

START_TEST(pidfile_remove)
{
	char path[256], buf[64];
	int fd;

	snprintf(path, sizeof(path), "%s/pid", dir);
	ck_assert_int_ge(fd = daemon_pidfile_open(path, 99), 0);
	daemon_pidfile_remove(path, fd);
	ck_assert_int_eq(access(path, F_OK), -1);	/* removed */
	/* where unlink is impossible (here: the directory is read-only,
	 * as after a chroot), the file is emptied instead */
	ck_assert_int_ge(fd = daemon_pidfile_open(path, 99), 0);
	ck_assert_int_eq(chmod(dir, 0555), 0);
	if (geteuid() != 0) {
		daemon_pidfile_remove(path, fd);
		ck_assert_str_eq(slurp(path, buf, sizeof(buf)), "");
	} else
		close(fd);	/* root ignores the mode: nothing to show */
	ck_assert_int_eq(chmod(dir, 0755), 0);
}
END_TEST

START_TEST(debugfile)
{
	char path[256], buf[512];

	snprintf(path, sizeof(path), "%s/debug", dir);
	log_init("test");
	ck_assert_int_eq(log_open_debugfile(path, 0), 0);
	log_debug("first %d", 1);
	log_close_debugfile();
	ck_assert_ptr_nonnull(strstr(slurp(path, buf, sizeof(buf)), "first 1"));
	/* append keeps, truncate drops */
	ck_assert_int_eq(log_open_debugfile(path, 1), 0);
	log_debug("second");
	log_close_debugfile();
	slurp(path, buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "first 1"));
	ck_assert_ptr_nonnull(strstr(buf, "second"));
	ck_assert_int_eq(log_open_debugfile(path, 0), 0);
	log_debug("third");
	log_close_debugfile();
	slurp(path, buf, sizeof(buf));
	ck_assert_ptr_null(strstr(buf, "first"));
	ck_assert_ptr_nonnull(strstr(buf, "third"));
	snprintf(path, sizeof(path), "%s/no/such/dir", dir);
	ck_assert_int_eq(log_open_debugfile(path, 0), -1);
}
END_TEST

int
main(void)
{
	const TTest *tests[] = {
		pidfile, pidfile_no_symlink, pidfile_remove, debugfile
	};
	TCase *tc = tcase_create("files");

	tcase_add_checked_fixture(tc, setup, teardown);
	check_add(tc, tests, CHECK_N(tests));
	return unit_run(check_suite("daemon", tc));
}
