/*
 * test_cmd.c: the command tokeniser and option checker.
 */
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "../lib/check_table.h"

static const char *const methods[] = { "udp", "icmp", "udp-paris",
    "icmp-paris", "tcp", "tcp-ack", NULL };

static const struct cmd_optspec spec[] = {
	{ 'P', CMD_WORD, 0, 0, methods, 0 },
	{ 'q', CMD_UINT, 1, 20, NULL, 0 },
	{ 'Q', CMD_FLAG, 0, 0, NULL, 0 },
	{ 'M', CMD_FLAG, 0, 0, NULL, 0 },
	{ 'S', CMD_ADDR, 0, 0, NULL, 0 },
	{ 'p', CMD_HEX, 0, 1000, NULL, 0 },
	{ 'z', CMD_ADDR, 0, 0, NULL, 1 },
	{ 'Z', CMD_STR, 0, 0, NULL, 0 },
};
#define NSPEC (sizeof(spec) / sizeof(spec[0]))

static int
parse(const char *line, struct cmd_args *a, char *err, size_t elen)
{
	static char buf[1024];
	static char *argv[CMD_MAXARGS];
	int argc;

	snprintf(buf, sizeof(buf), "%s", line);
	if ((argc = cmd_split(buf, argv, CMD_MAXARGS, err, elen)) == -1)
		return -2;
	return cmd_getopts(spec, NSPEC, argc, argv, a, err, elen);
}

START_TEST(split_quotes)
{
	char line[] = "dealias -p '-P udp -i 192.0.2.1' -p \"-P icmp\"  x'y z'w";
	char *argv[16], err[128];

	ck_assert_int_eq(cmd_split(line, argv, 16, err, sizeof(err)), 6);
	ck_assert_str_eq(argv[0], "dealias");
	ck_assert_str_eq(argv[2], "-P udp -i 192.0.2.1");
	ck_assert_str_eq(argv[4], "-P icmp");
	ck_assert_str_eq(argv[5], "xy zw");

	char bad[] = "trace -p 'abc";
	ck_assert_int_eq(cmd_split(bad, argv, 16, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "unbalanced"));

	char many[] = "a b c d e";
	ck_assert_int_eq(cmd_split(many, argv, 4, err, sizeof(err)), -1);
	char empty[] = "   \t ";
	ck_assert_int_eq(cmd_split(empty, argv, 4, err, sizeof(err)), 0);
	char nested[] = "x \"it's\"";
	ck_assert_int_eq(cmd_split(nested, argv, 4, err, sizeof(err)), 2);
	ck_assert_str_eq(argv[1], "it's");
}
END_TEST

START_TEST(good)
{
	struct cmd_args a;
	char err[256];

	ck_assert_int_eq(parse("trace -P ICMP-Paris -q3 -QM -S 2001:db8::1 "
	    "-z 192.0.2.9 -z 192.0.2.10 -p 00ff 192.0.2.1", &a, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(cmd_opt(&a, 'P')->u, 3);
	ck_assert_uint_eq(cmd_opt(&a, 'q')->u, 3);
	ck_assert_ptr_nonnull(cmd_opt(&a, 'Q'));
	ck_assert_ptr_nonnull(cmd_opt(&a, 'M'));
	ck_assert_int_eq(cmd_opt(&a, 'S')->af, AF_INET6);
	ck_assert_str_eq(cmd_opt(&a, 'z')->s, "192.0.2.10");
	ck_assert_uint_eq(cmd_opt(&a, 'p')->u, 2);
	ck_assert_int_eq(a.noperands, 1);
	ck_assert_str_eq(a.operands[0], "192.0.2.1");

	uint8_t b[4];
	ck_assert_uint_eq(cmd_hex("00ffA5", b, sizeof(b)), 3);
	ck_assert_int_eq(b[1], 0xff);
	ck_assert_int_eq(b[2], 0xa5);

	ck_assert_int_eq(parse("trace -- -x", &a, err, sizeof(err)), 0);
	ck_assert_int_eq(a.noperands, 1);
	ck_assert_int_eq(parse("trace", &a, err, sizeof(err)), 0);
	ck_assert_int_eq(a.noperands, 0);
}
END_TEST

static const struct {
	const char *line;
	const char *msg;
} bad[] = {
	{ "trace -q 0 192.0.2.1", "-q: invalid value '0' (expected 1 to 20)" },
	{ "trace -q 21 192.0.2.1", "-q: invalid value '21'" },
	{ "trace -q x 192.0.2.1", "-q: invalid value 'x'" },
	{ "trace -q", "-q: requires a value" },
	{ "trace -P bogus 192.0.2.1", "-P: unknown value 'bogus' (expected "
	    "udp, icmp, udp-paris, icmp-paris, tcp, tcp-ack)" },
	{ "trace -S nope 192.0.2.1", "-S: 'nope' is not an IPv4 or IPv6" },
	{ "trace -p abc 192.0.2.1", "-p: hex value must be" },
	{ "trace -p 0g 192.0.2.1", "-p: '0g' is not hex" },
	{ "trace -x 192.0.2.1", "-x: unknown option" },
	{ "trace -q 2 -q 3 192.0.2.1", "-q: given more than once" },
	{ "trace -Z '' 192.0.2.1", "-Z: empty value" },
};

START_TEST(errors)
{
	struct cmd_args a;
	char err[256];

	ck_assert_int_eq(parse(bad[_i].line, &a, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, bad[_i].msg) != NULL, "'%s': '%s' lacks "
	    "'%s'", bad[_i].line, err, bad[_i].msg);
}
END_TEST

START_TEST(targets)
{
	struct cmd_args a;
	uint8_t dst[16], src[16];
	char err[256];

	ck_assert_int_eq(parse("trace -S 2001:db8::1 2001:db8::2", &a, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(cmd_target(&a, dst, err, sizeof(err)), AF_INET6);
	ck_assert_int_eq(dst[15], 2);
	ck_assert_int_eq(cmd_opt_addr(&a, 'S', AF_INET6, src, err,
	    sizeof(err)), 1);
	ck_assert_int_eq(src[15], 1);
	ck_assert_int_eq(cmd_opt_addr(&a, 'z', AF_INET6, src, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(cmd_opt_addr(&a, 'S', AF_INET, src, err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "-S: 2001:db8::1 is not of the target's "
	    "address family");

	ck_assert_int_eq(parse("trace 192.0.2.1 192.0.2.2", &a, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(cmd_target(&a, dst, err, sizeof(err)), 0);
	ck_assert_str_eq(err, "expected one target address, got 2");
	ck_assert_int_eq(parse("trace nowhere", &a, err, sizeof(err)), 0);
	ck_assert_int_eq(cmd_target(&a, dst, err, sizeof(err)), 0);
	ck_assert_str_eq(err, "'nowhere' is not an IPv4 or IPv6 address");
}
END_TEST

int
main(void)
{
	const TTest *tests[] = { split_quotes, good, targets };
	TCase *tc = check_case("cmd", tests, CHECK_N(tests));

	tcase_add_loop_test(tc, errors, 0, (int)CHECK_N(bad));
	return unit_run(check_suite("cmd", tc));
}
