/*
 * test_ctl_proto.c: the control socket's pure pieces: line splitting
 * with its limits, "keyword value" parameters, numbers, and the
 * uuencoding of DATA payloads (lengths from scamper-behaviour.md a.4).
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "ctl_proto.h"
#include "../lib/check_table.h"

static void
feed(struct ctl_linebuf *lb, const char *s, size_t n)
{
	size_t room;
	char *p = ctl_lb_space(lb, &room);

	ck_assert_uint_ge(room, n);
	memcpy(p, s, n);
	ctl_lb_commit(lb, n);
}

START_TEST(lines_basic)
{
	static struct ctl_linebuf lb;
	char *line;

	ctl_lb_init(&lb);
	feed(&lb, "get pid\r\nget ver", 16);
	ck_assert_int_eq(ctl_lb_next(&lb, &line), CTL_LB_LINE);
	ck_assert_str_eq(line, "get pid");
	ck_assert_int_eq(ctl_lb_next(&lb, &line), CTL_LB_NONE);
	ck_assert_uint_eq(ctl_lb_pending(&lb), 7);
	feed(&lb, "sion\n\n", 6);
	ck_assert_int_eq(ctl_lb_next(&lb, &line), CTL_LB_LINE);
	ck_assert_str_eq(line, "get version");
	ck_assert_int_eq(ctl_lb_next(&lb, &line), CTL_LB_LINE);
	ck_assert_str_eq(line, "");
	ck_assert_int_eq(ctl_lb_next(&lb, &line), CTL_LB_NONE);
}
END_TEST

START_TEST(lines_badchar)
{
	static struct ctl_linebuf lb;
	char *line;

	ctl_lb_init(&lb);
	feed(&lb, "get\tpid\nge\0t\nok\n", 16);
	ck_assert_int_eq(ctl_lb_next(&lb, &line), CTL_LB_BADCHAR);
	ck_assert_int_eq(ctl_lb_next(&lb, &line), CTL_LB_BADCHAR);
	ck_assert_int_eq(ctl_lb_next(&lb, &line), CTL_LB_LINE);
	ck_assert_str_eq(line, "ok");
	feed(&lb, "\xff\n", 2);
	ck_assert_int_eq(ctl_lb_next(&lb, &line), CTL_LB_BADCHAR);
}
END_TEST

START_TEST(lines_toolong)
{
	static struct ctl_linebuf lb;
	static char big[3 * CTL_LINEMAX];
	size_t room, off = 0, total = sizeof(big);
	char *line, *p;
	int toolong = 0, rc;

	memset(big, 'a', sizeof(big));
	ctl_lb_init(&lb);
	/* exactly the limit is fine */
	memset(big, 'b', CTL_LINEMAX);
	feed(&lb, big, CTL_LINEMAX);
	feed(&lb, "\r\n", 2);
	ck_assert_int_eq(ctl_lb_next(&lb, &line), CTL_LB_LINE);
	ck_assert_uint_eq(strlen(line), CTL_LINEMAX);
	/* three times the limit: reported once, skipped to its end */
	memset(big, 'a', sizeof(big));
	while (off < total) {
		p = ctl_lb_space(&lb, &room);
		if (room > total - off)
			room = total - off;
		memcpy(p, big + off, room);
		ctl_lb_commit(&lb, room);
		off += room;
		while ((rc = ctl_lb_next(&lb, &line)) != CTL_LB_NONE) {
			ck_assert_int_eq(rc, CTL_LB_TOOLONG);
			toolong++;
		}
	}
	feed(&lb, "a\nget pid\n", 10);
	ck_assert_int_eq(ctl_lb_next(&lb, &line), CTL_LB_LINE);
	ck_assert_str_eq(line, "get pid");
	ck_assert_int_eq(toolong, 1);
	/* one over the limit without a break */
	memset(big, 'c', CTL_LINEMAX + 1);
	feed(&lb, big, CTL_LINEMAX + 1);
	feed(&lb, "\n", 1);
	ck_assert_int_eq(ctl_lb_next(&lb, &line), CTL_LB_TOOLONG);
	ck_assert_int_eq(ctl_lb_next(&lb, &line), CTL_LB_NONE);
}
END_TEST

START_TEST(params)
{
	static const char *const keys[] = { "name", "file", "mode" };
	char a0[] = "name", a1[] = "x", a2[] = "MODE", a3[] = "append",
	    a4[] = "name", a5[] = "y", a6[] = "foo";
	char *argv[] = { a0, a1, a2, a3, a4, a5, a6 };
	const char *v[3];

	ck_assert_int_eq(ctl_params(argv, 4, keys, 3, v), -1);
	ck_assert_str_eq(v[0], "x");
	ck_assert_ptr_null(v[1]);
	ck_assert_str_eq(v[2], "append");
	ck_assert_int_eq(ctl_params(argv, 6, keys, 3, v), 4);	/* twice */
	ck_assert_int_eq(ctl_params(argv, 3, keys, 3, v), 2);	/* no value */
	ck_assert_int_eq(ctl_params(argv + 6, 1, keys, 3, v), 0); /* unknown */
	ck_assert_int_eq(ctl_params(argv, 0, keys, 3, v), -1);
}
END_TEST

START_TEST(uints)
{
	uint32_t v = 7;

	ck_assert_int_eq(ctl_uint("10000", 1, 10000, &v), 0);
	ck_assert_uint_eq(v, 10000);
	ck_assert_int_eq(ctl_uint("0", 1, 10000, &v), -2);
	ck_assert_int_eq(ctl_uint("10001", 1, 10000, &v), -2);
	ck_assert_int_eq(ctl_uint("4294967295", 1, UINT32_MAX, &v), 0);
	ck_assert_uint_eq(v, UINT32_MAX);
	ck_assert_int_eq(ctl_uint("4294967296", 1, UINT32_MAX, &v), -2);
	ck_assert_int_eq(ctl_uint("99999999999999999999999", 1, 5, &v), -2);
	ck_assert_int_eq(ctl_uint("", 0, 5, &v), -1);
	ck_assert_int_eq(ctl_uint("-1", 0, 5, &v), -1);
	ck_assert_int_eq(ctl_uint("1x", 0, 5, &v), -1);
}
END_TEST

START_TEST(uu_lengths)
{
	/* list 33 -> 48, cycle start 30 -> 44, stop 17 -> 28, ping 94 ->
	 * 136 (scamper-behaviour.md a.4) */
	ck_assert_uint_eq(ctl_uuenc_len(33), 48);
	ck_assert_uint_eq(ctl_uuenc_len(30), 44);
	ck_assert_uint_eq(ctl_uuenc_len(17), 28);
	ck_assert_uint_eq(ctl_uuenc_len(94), 136);
	ck_assert_uint_eq(ctl_uuenc_len(0), 2);
	ck_assert_uint_eq(ctl_uuenc_len(45), 64);
}
END_TEST

START_TEST(uu_observed)
{
	/* the cycle-stop record and its text as 20211212 sent it */
	static const uint8_t rec[17] = { 0x12, 0x05, 0x00, 0x04, 0, 0, 0, 9,
	    0, 0, 0, 1, 0x6b, 0x03, 0x16, 0x26, 0 };
	static const char want[] = "1$@4`!`````D````!:P,6)@``\n`\n";
	char out[64];
	uint8_t back[64];
	size_t n = ctl_uuencode(rec, sizeof(rec), out);

	ck_assert_uint_eq(n, strlen(want));
	ck_assert_int_eq(memcmp(out, want, n), 0);
	ck_assert_int_eq(ctl_uudecode(out, n, back, sizeof(back)), 17);
	ck_assert_int_eq(memcmp(back, rec, 17), 0);
}
END_TEST

START_TEST(uu_roundtrip)
{
	static uint8_t in[1000], back[1000];
	static char enc[2000];

	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 37 + (i >> 3));
	for (size_t n = 0; n < sizeof(in); n += 7) {
		size_t e = ctl_uuencode(in, n, enc);
		ck_assert_uint_eq(e, ctl_uuenc_len(n));
		for (size_t i = 0; i < e; i++)
			ck_assert(enc[i] != ' ');
		ck_assert_int_eq(ctl_uudecode(enc, e, back, sizeof(back)),
		    (long)n);
		ck_assert_int_eq(memcmp(in, back, n), 0);
		/* truncated or too small a buffer: refused */
		if (n > 0) {
			ck_assert_int_eq(ctl_uudecode(enc, e - 2, back,
			    sizeof(back)), -1);
			ck_assert_int_eq(ctl_uudecode(enc, e, back, n - 1),
			    -1);
		}
	}
	ck_assert_int_eq(ctl_uudecode("M\n`\n", 4, back, sizeof(back)), -1);
	ck_assert_int_eq(ctl_uudecode("\x01\n", 2, back, sizeof(back)), -1);
}
END_TEST

CHECK_MAIN("ctl_proto", "core", lines_basic, lines_badchar, lines_toolong,
    params, uints, uu_lengths, uu_observed, uu_roundtrip)
