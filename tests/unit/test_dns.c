/*
 * test_dns.c: the DNS client of trace -O ptr: PTR queries byte for byte,
 * replies (names, compression pointers, CNAMEs, NXDOMAIN, and every kind
 * of malformed or foreign reply), resolv.conf text, and the resolver on a
 * loop against a fake nameserver on 127.0.0.1 (loopback only): answers,
 * a wrong ID, garbage, silence (timeout, one retry), the cache, lookups
 * shared by several callers, cancelling.
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dns.h"
#include "dns_wire.h"
#include "loop.h"
#include "../lib/check_table.h"

static const uint8_t a4[4] = { 192, 0, 2, 2 };

/* The query for 192.0.2.2, ID 0x1234, as 20211212 sends it. */
static const uint8_t q4[] = {
	0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
	1, '2', 1, '2', 1, '0', 3, '1', '9', '2',
	7, 'i', 'n', '-', 'a', 'd', 'd', 'r', 4, 'a', 'r', 'p', 'a', 0,
	0, 12, 0, 1,
};

START_TEST(query_v4)
{
	uint8_t b[DNS_MSG_MAX];
	int n = dns_ptr_query(b, sizeof(b), 0x1234, AF_INET, a4);

	ck_assert_int_eq(n, (int)sizeof(q4));
	ck_assert_mem_eq(b, q4, sizeof(q4));
	ck_assert_int_eq(dns_ptr_query(b, 20, 1, AF_INET, a4), -1);
	ck_assert_int_eq(dns_ptr_query(b, sizeof(b), 1, AF_UNIX, a4), -1);
}
END_TEST

START_TEST(query_v6)
{
	uint8_t a6[16], b[DNS_MSG_MAX];
	const char *want = "\0011\0010\0010\0010\0010\0010\0010\0010\0010\0010"
	    "\0010\0010\0010\0010\0010\0010\0010\0010\0010\0010"
	    "\001f\001f\0010\0010\0018\001b\001d\0010\0011\0010\0010\0012"
	    "\003ip6\004arpa";
	int n;

	inet_pton(AF_INET6, "2001:db8:ff::1", a6);
	n = dns_ptr_query(b, sizeof(b), 7, AF_INET6, a6);
	ck_assert_int_eq(n, 90);		/* as 20211212's */
	ck_assert_mem_eq(b + 12, want, strlen(want) + 1);
}
END_TEST

/* ---- replies ----------------------------------------------------------- */

struct msg {
	uint8_t	b[1024];
	size_t	n;
};

static void
put(struct msg *m, const void *p, size_t n)
{
	memcpy(m->b + m->n, p, n);
	m->n += n;
}

static void
put16(struct msg *m, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	put(m, b, 2);
}

/* A reply to q4 with FLAGS and AN answers to follow. */
static void
reply_hdr(struct msg *m, uint16_t flags, uint16_t an)
{
	m->n = 0;
	put(m, q4, sizeof(q4));
	m->b[2] = (uint8_t)(flags >> 8);
	m->b[3] = (uint8_t)flags;
	m->b[7] = (uint8_t)an;
}

/* An answer record: owner at OWNER (a pointer), TYPE, data D (N bytes). */
static void
rr(struct msg *m, uint16_t owner, uint16_t type, const void *d, size_t n)
{
	put16(m, (uint16_t)(0xc000 | owner));
	put16(m, type);
	put16(m, 1);
	put16(m, 0);
	put16(m, 3600);
	put16(m, (uint16_t)n);
	put(m, d, n);
}

/* M: a reply to q4 with one PTR answer, its data RD (N bytes). */
static void
one_ptr(struct msg *m, const void *rd, size_t n)
{
	reply_hdr(m, 0x8180, 1);
	rr(m, 12, 12, rd, n);
}

static int
parse(const struct msg *m, char *name)
{
	return dns_ptr_parse(m->b, m->n, q4, sizeof(q4), name, DNS_NAME_MAX);
}

START_TEST(reply_name)
{
	static const char rd[] = "\002r1\007example\003net";
	struct msg m;
	char name[DNS_NAME_MAX];

	one_ptr(&m, rd, sizeof(rd));
	ck_assert_int_eq(parse(&m, name), DNS_NAME);
	ck_assert_str_eq(name, "r1.example.net");
	/* the question's name in another case is still ours */
	m.b[23] = 'I';
	ck_assert_int_eq(parse(&m, name), DNS_NAME);
}
END_TEST

START_TEST(reply_compressed)
{
	/* "r1" then a pointer to "in-addr.arpa" in the question (offset
	 * 22), and a two-step chain: "x" -> "r1" ... */
	static const uint8_t rd[] = { 2, 'r', '1', 0xc0, 22 };
	struct msg m;
	char name[DNS_NAME_MAX];
	size_t at;

	one_ptr(&m, rd, sizeof(rd));
	ck_assert_int_eq(parse(&m, name), DNS_NAME);
	ck_assert_str_eq(name, "r1.in-addr.arpa");
	at = m.n - sizeof(rd);
	m.b[m.n - 1] = (uint8_t)at;	/* points at itself: a loop */
	ck_assert_int_eq(parse(&m, name), DNS_BAD);
	m.b[m.n - 1] = (uint8_t)(at + 3);	/* forward */
	ck_assert_int_eq(parse(&m, name), DNS_BAD);
	m.b[m.n - 2] = 0xff;
	m.b[m.n - 1] = 0xff;			/* beyond the message */
	ck_assert_int_eq(parse(&m, name), DNS_BAD);
	m.b[m.n - 2] = 0x40;			/* an extended label type */
	ck_assert_int_eq(parse(&m, name), DNS_BAD);
}
END_TEST

START_TEST(reply_loop_labels)
{
	/* a label, then a pointer back to it: each pass adds a label, so
	 * the 255-byte limit ends it */
	static const uint8_t rd[] = { 1, 'a', 0xc0, 0 };
	struct msg m;
	char name[DNS_NAME_MAX];

	one_ptr(&m, rd, sizeof(rd));
	m.b[m.n - 1] = (uint8_t)(m.n - sizeof(rd));
	ck_assert_int_eq(parse(&m, name), DNS_BAD);
}
END_TEST

START_TEST(reply_cname)
{
	static const uint8_t cn[] = { 1, 'x', 0xc0, 12 };
	static const char rd[] = "\002r1\007example";
	struct msg m;
	char name[DNS_NAME_MAX];
	size_t cname_at;

	reply_hdr(&m, 0x8180, 2);
	rr(&m, 12, 5, cn, sizeof(cn));
	cname_at = m.n - sizeof(cn);
	rr(&m, (uint16_t)cname_at, 12, rd, sizeof(rd));
	ck_assert_int_eq(parse(&m, name), DNS_NAME);
	ck_assert_str_eq(name, "r1.example");
}
END_TEST

START_TEST(reply_noname)
{
	static const char rd[] = "\002r1\007example";
	struct msg m;
	char name[DNS_NAME_MAX];

	reply_hdr(&m, 0x8183, 0);		/* NXDOMAIN */
	ck_assert_int_eq(parse(&m, name), DNS_NONAME);
	reply_hdr(&m, 0x8182, 0);		/* SERVFAIL */
	ck_assert_int_eq(parse(&m, name), DNS_NONAME);
	reply_hdr(&m, 0x8180, 0);		/* no answer */
	ck_assert_int_eq(parse(&m, name), DNS_NONAME);
	reply_hdr(&m, 0x8180, 1);		/* a PTR of another name */
	rr(&m, 22, 12, rd, sizeof(rd));
	ck_assert_int_eq(parse(&m, name), DNS_NONAME);
	reply_hdr(&m, 0x8180, 1);		/* an A record */
	rr(&m, 12, 1, "\xc0\0\2\1", 4);
	ck_assert_int_eq(parse(&m, name), DNS_NONAME);
}
END_TEST

START_TEST(reply_foreign)
{
	static const char rd[] = "\002r1\007example";
	struct msg m;
	char name[DNS_NAME_MAX];

	one_ptr(&m, rd, sizeof(rd));
	m.b[1] ^= 1;					/* another ID */
	ck_assert_int_eq(parse(&m, name), DNS_BAD);
	m.b[1] ^= 1;
	m.b[2] = 0x01;					/* a query */
	ck_assert_int_eq(parse(&m, name), DNS_BAD);
	m.b[2] = 0x81;
	m.b[13] = '3';				/* another question */
	ck_assert_int_eq(parse(&m, name), DNS_BAD);
	m.b[13] = '2';
	m.b[sizeof(q4) - 3] = 1;			/* type A */
	ck_assert_int_eq(parse(&m, name), DNS_BAD);
	m.b[sizeof(q4) - 3] = 12;
	for (size_t n = 0; n < m.n; n++) {		/* every truncation */
		struct msg t = m;
		t.n = n;
		ck_assert_int_eq(parse(&t, name), DNS_BAD);
	}
	ck_assert_int_eq(parse(&m, name), DNS_NAME);
	m.b[m.n - sizeof(rd) - 1]++;		/* rdlength past the name */
	put(&m, "", 1);
	ck_assert_int_eq(parse(&m, name), DNS_BAD);
}
END_TEST

START_TEST(reply_escapes)
{
	static const uint8_t rd[] = { 4, 'a', '"', '.', 0xff, 3, 'n', '\\',
	    't', 0 };
	struct msg m;
	char name[DNS_NAME_MAX];

	one_ptr(&m, rd, sizeof(rd));
	ck_assert_int_eq(parse(&m, name), DNS_NAME);
	ck_assert_str_eq(name, "a\\034\\046\\255.n\\092t");
}
END_TEST

START_TEST(reply_long)
{
	uint8_t rd[300];
	struct msg m;
	char name[DNS_NAME_MAX];
	size_t n = 0;

	/* 4 labels of 63 bytes: 256 bytes with the root: too long */
	for (int i = 0; i < 4; i++) {
		rd[n++] = 63;
		memset(rd + n, 0x01, 63);
		n += 63;
	}
	rd[n++] = 0;
	reply_hdr(&m, 0x8180, 1);
	rr(&m, 12, 12, rd, n);
	ck_assert_int_eq(parse(&m, name), DNS_BAD);
	/* 3 of 63 and one of 61: 255, all escaped, fits */
	reply_hdr(&m, 0x8180, 1);
	rd[3 * 64] = 61;
	rd[3 * 64 + 62] = 0;
	rr(&m, 12, 12, rd, 3 * 64 + 63);
	ck_assert_int_eq(parse(&m, name), DNS_NAME);
	ck_assert_uint_eq(strlen(name), 250 * 4 + 3);
}
END_TEST

START_TEST(resolv)
{
	struct sockaddr_storage ns[DNS_NS_MAX];
	const struct sockaddr_in *s4 = (const void *)&ns[0];
	const struct sockaddr_in6 *s6 = (const void *)&ns[1];
	char buf[64];

	ck_assert_int_eq(dns_resolv_parse("# nothing\nsearch example\n", ns,
	    DNS_NS_MAX), 0);
	ck_assert_int_eq(dns_resolv_parse("", ns, DNS_NS_MAX), 0);
	ck_assert_int_eq(dns_resolv_parse(
	    "; comment\nnameserver\n198.51.100.7\n"
	    "  nameserver   198.51.100.53  # first\n"
	    "nameserver bogus\nnameserver 2001:db8::53\n"
	    "nameserver 192.0.2.1\nnameserver 192.0.2.2\n", ns, DNS_NS_MAX),
	    3);
	ck_assert_int_eq(s4->sin_family, AF_INET);
	ck_assert_int_eq(ntohs(s4->sin_port), 53);
	inet_ntop(AF_INET, &s4->sin_addr, buf, sizeof(buf));
	ck_assert_str_eq(buf, "198.51.100.53");
	ck_assert_int_eq(s6->sin6_family, AF_INET6);
	inet_ntop(AF_INET6, &s6->sin6_addr, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2001:db8::53");
}
END_TEST

/* ---- the resolver against a fake nameserver on 127.0.0.1 -------------- */

enum mode { ANSWER, SILENT, BADID_FIRST, GARBAGE_FIRST };

struct fake {
	struct loop		*l;
	int			 fd;
	enum mode		 mode;
	int			 queries;
	int			 done;
	int			 want;	/* callbacks before stopping */
	char			 got[4][DNS_NAME_MAX];
	int			 gotnull[4];
};

static void
on_query(struct loop_fd *lfd, int fd, int events, void *arg)
{
	static const char rd[] = "\002r1\007example\003net";
	struct fake *f = arg;
	struct sockaddr_storage from;
	socklen_t fl = sizeof(from);
	struct msg m;
	ssize_t n;

	(void)lfd;
	(void)events;
	n = recvfrom(fd, m.b, sizeof(m.b), 0, (struct sockaddr *)&from, &fl);
	if (n <= 0)
		return;
	m.n = (size_t)n;
	f->queries++;
	if (f->mode == SILENT)
		return;
	m.b[2] = 0x81;
	m.b[3] = 0x80;
	m.b[7] = 1;
	rr(&m, 12, 12, rd, sizeof(rd));
	if (f->mode == BADID_FIRST) {
		m.b[0] ^= 0x55;
		sendto(fd, m.b, m.n, 0, (struct sockaddr *)&from, fl);
		m.b[0] ^= 0x55;
	} else if (f->mode == GARBAGE_FIRST) {
		sendto(fd, m.b, m.n - 3, 0, (struct sockaddr *)&from, fl);
		sendto(fd, "\xff", 1, 0, (struct sockaddr *)&from, fl);
	}
	sendto(fd, m.b, m.n, 0, (struct sockaddr *)&from, fl);
}

static void
on_name(void *arg, const char *name)
{
	struct fake *f = arg;

	if (name == NULL)
		f->gotnull[f->done] = 1;
	else
		strcpy(f->got[f->done], name);
	if (++f->done == f->want)
		loop_stop(f->l);
}

/* A fake nameserver on 127.0.0.1 (any port) in F, and a resolver asking
 * it with TIMEOUT_MS. */
static struct dns *
fake_start(struct fake *f, enum mode mode, int timeout_ms)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	socklen_t sl = sizeof(*sin);
	struct dns *d;

	memset(f, 0, sizeof(*f));
	f->mode = mode;
	f->l = loop_new(LOOP_DEFAULT);
	ck_assert_ptr_nonnull(f->l);
	memset(&ss, 0, sizeof(ss));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	f->fd = socket(AF_INET, SOCK_DGRAM, 0);
	ck_assert_int_ge(f->fd, 0);
	ck_assert_int_eq(bind(f->fd, (struct sockaddr *)sin, sl), 0);
	ck_assert_int_eq(getsockname(f->fd, (struct sockaddr *)sin, &sl), 0);
	ck_assert_ptr_nonnull(loop_fd_add(f->l, f->fd, LOOP_READ, on_query,
	    f));
	d = dns_new(f->l, &ss, 1, timeout_ms);
	ck_assert_ptr_nonnull(d);
	return d;
}

static void
on_guard(void *arg)
{
	loop_stop(arg);
}

static void
fake_run(struct fake *f, int want)
{
	struct timer guard;

	f->want = want;
	timer_init(&guard, on_guard, f->l);
	loop_timer_after(f->l, &guard, 5000);	/* never hang */
	loop_run(f->l);
	loop_timer_cancel(f->l, &guard);
}

static void
fake_end(struct fake *f, struct dns *d)
{
	dns_free(d);
	close(f->fd);
	loop_free(f->l);
}

START_TEST(resolver_answer)
{
	struct fake f;
	struct dns *d = fake_start(&f, _i == 0 ? ANSWER : _i == 1 ?
	    BADID_FIRST : GARBAGE_FIRST, 2000);

	ck_assert_ptr_nonnull(dns_ptr(d, AF_INET, a4, on_name, &f));
	ck_assert_ptr_nonnull(dns_ptr(d, AF_INET, a4, on_name, &f));
	fake_run(&f, 2);
	ck_assert_int_eq(f.done, 2);
	ck_assert_int_eq(f.queries, 1);		/* shared by both */
	ck_assert_str_eq(f.got[0], "r1.example.net");
	ck_assert_str_eq(f.got[1], "r1.example.net");
	ck_assert_uint_eq(dns_stats(d)->dropped, _i == 0 ? 0 : _i == 1 ? 1 : 2);
	/* from the cache now: no query, the callback still from the loop */
	f.done = 0;
	ck_assert_ptr_nonnull(dns_ptr(d, AF_INET, a4, on_name, &f));
	ck_assert_int_eq(f.done, 0);
	fake_run(&f, 1);
	ck_assert_str_eq(f.got[0], "r1.example.net");
	ck_assert_int_eq(f.queries, 1);
	ck_assert_uint_eq(dns_stats(d)->cache_hits, 1);
	fake_end(&f, d);
}
END_TEST

START_TEST(resolver_cancel)
{
	struct fake f;
	struct dns *d = fake_start(&f, ANSWER, 2000);
	struct dns_query *q;
	uint8_t other[4] = { 192, 0, 2, 6 };

	q = dns_ptr(d, AF_INET, a4, on_name, &f);
	ck_assert_ptr_nonnull(q);
	dns_cancel(d, q);
	ck_assert_ptr_nonnull(dns_ptr(d, AF_INET, other, on_name, &f));
	fake_run(&f, 1);
	ck_assert_int_eq(f.done, 1);		/* only the second */
	/* dropping a resolver with lookups in flight calls nobody */
	ck_assert_ptr_nonnull(dns_ptr(d, AF_INET6, q4, on_name, &f));
	fake_end(&f, d);
}
END_TEST

/* Lookups past the cap on those in flight end at once with no name (so
 * a free query ID is always found quickly). */
static void
on_count(void *arg, const char *name)
{
	struct fake *f = arg;

	if (name == NULL)
		f->gotnull[0]++;
	if (++f->done == f->want)
		loop_stop(f->l);
}

/* Lookups of N addresses from 198.18.0.0 up to a nameserver that never
 * answers: each ends with no name, after QUERIES queries in all (0: not
 * counted), TIMEOUTS timeouts and OVERFLOW lookups past the cap. */
static const struct silent_case {
	int		n;
	int		queries;
	uint64_t	timeouts;
	uint64_t	overflow;
} silent_cases[] = {
	{ 1, 2, 1, 0 },			/* the query and a retry */
	{ 16385, 0, 16384, 1 },		/* one past the cap */
};

START_TEST(resolver_silent)
{
	const struct silent_case *c = &silent_cases[_i];
	struct fake f;
	struct dns *d = fake_start(&f, SILENT, 50);
	uint8_t a[4] = { 198, 18, 0, 0 };

	for (int i = 0; i < c->n; i++) {
		a[2] = (uint8_t)(i >> 8);
		a[3] = (uint8_t)i;
		ck_assert_ptr_nonnull(dns_ptr(d, AF_INET, a, on_count, &f));
	}
	ck_assert_uint_eq(dns_stats(d)->overflow, c->overflow);
	fake_run(&f, c->n);
	ck_assert_int_eq(f.done, c->n);
	ck_assert_int_eq(f.gotnull[0], c->n);
	if (c->queries != 0)
		ck_assert_int_eq(f.queries, c->queries);
	ck_assert_uint_eq(dns_stats(d)->timeouts, c->timeouts);
	fake_end(&f, d);
}
END_TEST

START_TEST(resolver_nonameserver)
{
	struct loop *l = loop_new(LOOP_DEFAULT);
	struct dns *d = dns_new(l, NULL, 0, 1000);
	struct fake f;

	memset(&f, 0, sizeof(f));
	f.l = l;
	f.want = 1;
	ck_assert_int_eq(dns_nservers(d), 0);
	ck_assert_ptr_nonnull(dns_ptr(d, AF_INET, a4, on_name, &f));
	loop_run(l);
	ck_assert_int_eq(f.gotnull[0], 1);
	dns_free(d);
	loop_free(l);
}
END_TEST

int
main(void)
{
	const TTest *tests[] = {
		query_v4, query_v6, reply_name, reply_compressed,
		reply_loop_labels, reply_cname, reply_noname, reply_foreign,
		reply_escapes, reply_long, resolv
	};
	const TTest *after[] = {
		resolver_cancel, resolver_nonameserver
	};
	TCase *tc = tcase_create("dns");

	tcase_set_timeout(tc, 30);
	check_add(tc, tests, CHECK_N(tests));
	tcase_add_loop_test(tc, resolver_answer, 0, 3);
	tcase_add_loop_test(tc, resolver_silent, 0,
	    (int)CHECK_N(silent_cases));
	check_add(tc, after, CHECK_N(after));
	return unit_run(check_suite("dns", tc));
}
