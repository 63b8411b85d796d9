/*
 * test_opts.c: the command-line parser: good values, every kind of bad
 * value, combinations, and the "not implemented yet" gate.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opts.h"
#include "../lib/check_table.h"

#define MAXARGS 64

/* Split LINE on spaces into ARGV (argv[0] = "scamper"); LINE is copied. */
static int
split(const char *line, char *store, size_t len, char **argv)
{
	int argc = 0;
	char *p;

	strncpy(store, line, len - 1);
	store[len - 1] = '\0';
	argv[argc++] = (char *)"scamper";
	for (p = strtok(store, " "); p != NULL && argc < MAXARGS;
	    p = strtok(NULL, " "))
		argv[argc++] = p;
	argv[argc] = NULL;
	return argc;
}

/* The stage at which a command line is refused. */
enum stage { OK, PARSE, CHECK, UNBUILT };

static enum stage
run(const char *line, struct opts *o, char *err, size_t elen)
{
	static char store[512];
	static char *argv[MAXARGS + 1];
	int argc = split(line, store, sizeof(store), argv);

	err[0] = '\0';
	if (opts_parse(argc, argv, o, err, elen) == -1)
		return PARSE;
	if (o->help || o->version)
		return OK;
	if (opts_check(o, err, elen) == -1)
		return CHECK;
	if (opts_check_implemented(o, err, elen) == -1)
		return UNBUILT;
	return OK;
}

static const struct {
	const char *line;
	enum stage stage;
	const char *msg;	/* a substring of the error, or NULL */
} cases[] = {
	{ "-v", OK, NULL },
	{ "-?", OK, NULL },
	{ "-Dv", OK, NULL },
	/* bad values name the option */
	{ "-p abc -i 192.0.2.1", PARSE, "-p: invalid value 'abc'" },
	{ "-p 0 -i 192.0.2.1", PARSE, "-p: invalid value '0'" },
	{ "-p -5 -i 192.0.2.1", PARSE, "-p: invalid value '-5'" },
	{ "-p 10x -i 192.0.2.1", PARSE, "-p: invalid value '10x'" },
	{ "-p 99999999999999999999 -i 192.0.2.1", PARSE, "-p: invalid" },
	{ "-w -1 -i 192.0.2.1", PARSE, "-w: invalid value '-1'" },
	{ "-w 65536 -i 192.0.2.1", PARSE, "-w: invalid value '65536'" },
	{ "-L x -i 192.0.2.1", PARSE, "-L: invalid value 'x'" },
	{ "-C 4294967296 -i 192.0.2.1", PARSE, "-C: invalid" },
	{ "-c foo -i 192.0.2.1", PARSE, "-c: unknown command 'foo'" },
	{ "-O bogus -i 192.0.2.1", PARSE, "-O: unknown option 'bogus'" },
	{ "-O epoll -O select -i 192.0.2.1", PARSE, "conflicts with -O epoll" },
	{ "-P 0", PARSE, "-P: invalid port '0'" },
	{ "-P 70000", PARSE, "-P: invalid port '70000'" },
	{ "-P notanip:31337", PARSE, "-P: 'notanip' is not an IPv4 or IPv6" },
	{ "-P :31337", PARSE, "-P: invalid address" },
	{ "-R example", PARSE, "-R: expected name:port" },
	{ "-R host:abc", PARSE, "-R: invalid port 'abc'" },
	{ "-O cafile= -R h:1", PARSE, "-O cafile=: a file name is needed" },
	{ "-O certfile= -R h:1", PARSE, "-O certfile=: a file name is" },
	{ "-Okeyfile= -R h:1", PARSE, "-O keyfile=: a file name is" },
	{ "-O cafile=a -O cafile=b -R h:1", PARSE,
	    "-O cafile=b: conflicts with -O cafile=a" },
	{ "-O cafile -R h:1", PARSE, "-O: unknown option 'cafile'" },
	{ "-O capath=x -R h:1", PARSE, "-O: unknown option 'capath=x'" },
	{ "-F ipfw:9-3 -i 192.0.2.1", PARSE, "-F: invalid ipfw rule range" },
	{ "-F nope -i 192.0.2.1", PARSE, "-F: unknown firewall" },
	{ "-n 300.1.1.1 -i 192.0.2.1", PARSE, "-n: '300.1.1.1' is not" },
	{ "-Z", PARSE, "-Z: unknown option" },
	{ "-p", PARSE, "-p: requires an argument" },
	{ "-i", PARSE, "-i: no addresses given" },
	{ "-I", PARSE, "-I: no commands given" },
	{ "-f", PARSE, "-f: no list file given" },
	{ "-i -I x", PARSE, "-I: cannot be combined with -i" },
	{ "-P 31337 -U /tmp/s", PARSE, "-U: cannot be combined with -P" },
	{ "-P 31337 extra", PARSE, "-P: unexpected argument 'extra'" },
	/* combinations and availability */
	{ "", CHECK, "no input" },
	{ "-d /tmp/x", CHECK, "no input" },
	{ "-D -i 192.0.2.1", CHECK, "-D: needs -P, -U or -R" },
	{ "-O tls -P 31337", CHECK, "-O tls: only applies with -R" },
	{ "-O tls -O notls -R h:1", CHECK, "-O tls: conflicts" },
	{ "-O warts -O json -i 192.0.2.1", CHECK, "choose one of text" },
	{ "-O cmdfile -i 192.0.2.1", CHECK, "-O cmdfile: only applies" },
	{ "-O cafile=ca.pem -P 31337", CHECK, "-O cafile=: only applies with "
	    "-R" },
	{ "-O keyfile=k -i 192.0.2.1", CHECK, "-O keyfile=: only applies" },
	{ "-O cafile=ca.pem -O notls -R h:1", CHECK,
	    "-O cafile=: TLS is off (-O notls)" },
	{ "-O certfile=c -O keyfile=k -O notls-remote -R h:1", CHECK,
	    "TLS is off (-O notls-remote)" },
	{ "-O certfile=c.pem -R h:1", CHECK, "-O certfile=: a client "
	    "certificate needs both" },
	{ "-O keyfile=k.pem -R h:1", CHECK, "-O keyfile=: a client" },
#if !HAVE_KQUEUE
	{ "-O kqueue -i 192.0.2.1", CHECK, "-O kqueue: not available" },
#endif
	/* well-formed and built */
	{ "-i 192.0.2.1", OK, NULL },
	{ "-p 100 -w 10 -c trace -i 192.0.2.1", OK, NULL },
	{ "-p100 -w10 -i 192.0.2.1", OK, NULL },
	{ "-O epoll -d /tmp/x -O json -I x", OK, NULL },
	{ "-O warts -o x.warts -l l -L 1 -C 2 -M m list.txt", OK, NULL },
	{ "-O cmdfile -f list.txt", OK, NULL },
	/* well-formed, but not built yet */
	{ "-d /tmp/x -O warts -P 31337", OK, NULL },
	{ "-O poll -O json -R host.example:3", OK, NULL },
	{ "-O outcopy -R host.example:3", OK, NULL },
	{ "-O cafile=ca.pem -O tls -R host.example:3", OK, NULL },
	{ "-O cafile=a -O cafile=a -R host.example:3", OK, NULL },
	{ "-O certfile=c -O keyfile=k -R 192.0.2.1:3", OK, NULL },
	{ "-U /tmp/sock", OK, NULL },
	/* -F: the kind must be this build's helper's */
	{ "-F nft:x -i 192.0.2.1", PARSE, "-F: unknown firewall 'nft:x'" },
	{ "-F pf:10 -i 192.0.2.1", PARSE, "-F: invalid pf firewall" },
#if SCAMPER_FW_NFT
	{ "-F nft -f list.txt", OK, NULL },
	{ "-F ipfw:100-200 -f list.txt", CHECK, "-F ipfw:100-200: this "
	    "system's firewall is nft: give -F nft" },
	{ "-F pf:scamper:10 -f list.txt", CHECK, "-F pf:scamper:10: this "
	    "system's firewall is nft" },
#endif
	{ "-n 192.0.2.53 -i 192.0.2.1", UNBUILT, "-n: not implemented yet" },
	{ "-O outcopy -i 192.0.2.1", OK, NULL },
	{ "-O planetlab -i 192.0.2.1", CHECK, "-O planetlab: not supported: PlanetLab's safe raw sockets" },
	{ "-O tsps -f x", OK, NULL },
	{ "-O rawtcp -i 192.0.2.1", OK, NULL },
	{ "-O rawsend -i 192.0.2.1", OK, NULL },
	{ "-O pktsend -i 192.0.2.1", OK, NULL },
	{ "-O rawsend -O pktsend -i 192.0.2.1", CHECK,
	    "-O rawsend: conflicts with -O pktsend" },
	{ "-O pktring -O pktrecv -i 192.0.2.1", OK, NULL },
	{ "-O rawsend -O pktring -i 192.0.2.1", CHECK,
	    "-O rawsend: conflicts with -O pktring" },
	{ "-O pktring -O pktmmsg -i 192.0.2.1", CHECK,
	    "-O pktring: conflicts with -O pktmmsg" },
	{ "-O pktrecv -i 192.0.2.1", CHECK, "-O pktrecv: needs -O pktsend" },
	{ "-O noinitndc -i 192.0.2.1", OK, NULL },
};

START_TEST(table)
{
	struct opts o;
	char err[256];
	enum stage got = run(cases[_i].line, &o, err, sizeof(err));

	ck_assert_msg(got == cases[_i].stage, "'%s': stage %d, expected %d "
	    "(%s)", cases[_i].line, got, cases[_i].stage, err);
	if (cases[_i].msg != NULL)
		ck_assert_msg(strstr(err, cases[_i].msg) != NULL,
		    "'%s': error '%s' lacks '%s'", cases[_i].line, err,
		    cases[_i].msg);
	opts_free(&o);
}
END_TEST

START_TEST(values)
{
	struct opts o;
	char err[256];

	ck_assert_int_eq(run("-c ping -p 10000 -w 7 -M vp.example -l mylist "
	    "-L 3 -C 9 -o out.warts -O warts -O epoll -e /tmp/pid "
	    "-i 192.0.2.1 2001:db8::1", &o, err, sizeof(err)), OK);
	ck_assert_str_eq(o.command, "ping");
	ck_assert_uint_eq(o.pps, 10000);
	ck_assert_uint_eq(o.window, 7);
	ck_assert_str_eq(o.monitorname, "vp.example");
	ck_assert_str_eq(o.listname, "mylist");
	ck_assert_uint_eq(o.listid, 3);
	ck_assert_uint_eq(o.cycleid, 9);
	ck_assert_str_eq(o.outfile, "out.warts");
	ck_assert_str_eq(o.pidfile, "/tmp/pid");
	ck_assert(o.oflags & OPT_O_WARTS);
	ck_assert_int_eq(o.loop, LOOP_EPOLL);
	ck_assert_int_eq(o.input, INPUT_ADDRS);
	ck_assert_int_eq(o.nargs, 2);
	ck_assert_str_eq(o.args[1], "2001:db8::1");
	opts_free(&o);

	/* options after operands, "--", and the defaults */
	ck_assert_int_eq(run("-i 192.0.2.1 -p 5 -- -x", &o, err, sizeof(err)),
	    OK);
	ck_assert_uint_eq(o.pps, 5);
	ck_assert_int_eq(o.nargs, 2);
	ck_assert_str_eq(o.args[1], "-x");
	ck_assert_str_eq(o.command, "trace");
	ck_assert_uint_eq(o.window, 0);
	opts_free(&o);

	ck_assert_int_eq(run("-P [2001:db8::1]:31337", &o, err, sizeof(err)),
	    OK);
	ck_assert_str_eq(o.ctl_addr, "2001:db8::1");
	ck_assert_uint_eq(o.ctl_port, 31337);
	opts_free(&o);
	ck_assert_int_eq(run("-P 31337", &o, err, sizeof(err)), OK);
	ck_assert_str_eq(o.ctl_addr, "");
	opts_free(&o);
	ck_assert_int_eq(run("-R vp.example:8000", &o, err, sizeof(err)),
	    OK);
	ck_assert_uint_eq(o.remote_port, 8000);
	ck_assert_ptr_null(o.cafile);
	ck_assert_ptr_null(o.certfile);
	opts_free(&o);

	/* the TLS files of -R: any order, "-Oword" or "-O word" */
	ck_assert_int_eq(run("-Ocafile=/etc/ca.pem -R [2001:db8::1]:31337 "
	    "-O certfile=/k/c.pem -M vp -Okeyfile=/k/c.key", &o, err,
	    sizeof(err)), OK);
	ck_assert_str_eq(o.cafile, "/etc/ca.pem");
	ck_assert_str_eq(o.certfile, "/k/c.pem");
	ck_assert_str_eq(o.keyfile, "/k/c.key");
	ck_assert_str_eq(o.monitorname, "vp");
	ck_assert_uint_eq(o.remote_port, 31337);
	ck_assert_uint_eq(o.oflags, 0);
	opts_free(&o);
}
END_TEST

/* -O pktsend's ring from -p OPTS_RING_PPS up; pktring and pktmmsg fix it */
START_TEST(send_path)
{
	static const struct {
		const char *line;
		enum opts_send want;
	} c[] = {
		{ "-i 192.0.2.1", OPTS_SEND_RAW },
		{ "-O rawsend -p 250000 -i 192.0.2.1", OPTS_SEND_RAW },
		{ "-O pktsend -i 192.0.2.1", OPTS_SEND_MMSG },
		{ "-O pktsend -p 99999 -i 192.0.2.1", OPTS_SEND_MMSG },
		{ "-O pktsend -p 100000 -i 192.0.2.1", OPTS_SEND_RING },
		{ "-O pktring -p 10 -i 192.0.2.1", OPTS_SEND_RING },
		{ "-O pktsend -O pktring -i 192.0.2.1", OPTS_SEND_RING },
		{ "-O pktmmsg -p 250000 -i 192.0.2.1", OPTS_SEND_MMSG },
		{ "-O pktsend -O pktmmsg -p 250000 -i 192.0.2.1",
		    OPTS_SEND_MMSG },
	};
	struct opts o;
	char err[256];

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		ck_assert_int_eq(run(c[i].line, &o, err, sizeof(err)), OK);
		ck_assert_msg(opts_send_path(&o) == c[i].want, "'%s': %d, "
		    "expected %d", c[i].line, opts_send_path(&o), c[i].want);
		opts_free(&o);
	}
}
END_TEST

START_TEST(usage_text)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	const char *opts = "?vDcpwMlLCoFdenOiIfPRU";

	ck_assert_ptr_nonnull(f);
	opts_usage(f);
	fclose(f);
	ck_assert(strncmp(buf, "usage: scamper", 14) == 0);
	for (const char *c = opts; *c != '\0'; c++) {
		char want[8];
		snprintf(want, sizeof(want), "\n  -%c  ", *c);
		ck_assert_msg(strstr(buf, want) != NULL, "usage lacks -%c", *c);
	}
	free(buf);
}
END_TEST

int
main(void)
{
	const TTest *tests[] = { values, send_path, usage_text };
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, table, 0, (int)CHECK_N(cases));
	check_add(tc, tests, CHECK_N(tests));
	return unit_run(check_suite("opts", tc));
}
