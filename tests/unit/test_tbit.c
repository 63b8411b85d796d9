/*
 * test_tbit.c: tbit's and sting's state machines without root or a
 * network: the techniques run against a fake core (the task_* calls of
 * task.h defined here: packets sent are captured, timers are a list
 * fired in time order, the firewall and the datalink answer at once),
 * and the test plays the server: SYN retransmissions and giving up, the
 * request lost and retransmitted, a reset mid-test, ECN's answers, a
 * blind reset challenged, sting's holes.  (When the in-process harness
 * lands, these move onto it.)
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "method.h"
#include "pkt.h"
#include "scamper_sting.h"
#include "scamper_tbit.h"
#include "sting_int.h"
#include "task.h"
#include "tbit_int.h"
#include "tcpconn.h"
#include "unit_main.h"

extern const struct method method_tbit, method_sting;

/* ---- the fake core ------------------------------------------------------- */

struct task {
	void		*state;
	int		 finished;
	task_fw_ready	*fw;
	task_dl_ready	*dl;
};

#define MAXPKT	256
#define MAXTM	16

static struct task T;
static int64_t now_ms;
static uint8_t sent[MAXPKT][1600];
static size_t sentlen[MAXPKT];
static int nsent, wants;
static struct timer *tms[MAXTM];
static int64_t tm_at[MAXTM];
static int fw_on = 1;

void *task_state(const struct task *t) { return t->state; }
uint32_t task_id(const struct task *t) { (void)t; return 1; }
int task_flow(struct task *t, int af, uint8_t p, uint16_t id,
    const uint8_t *d) { (void)t; (void)af; (void)p; (void)id; (void)d;
    return 0; }
void task_want_probe(struct task *t) { (void)t; wants = 1; }
struct scamper_cycle *task_cycle(const struct task *t) { (void)t;
    return NULL; }
uint16_t task_default_sport(const struct task *t) { (void)t; return 1; }
uint32_t task_pid(const struct task *t) { (void)t; return 1234; }
uint32_t task_random(const struct task *t) { (void)t; return 1000000; }
int task_fw_enabled(const struct task *t) { (void)t; return fw_on; }
void task_fw_release(struct task *t) { (void)t; }
int task_reply_from_dl(const struct task *t) { (void)t; return 1; }

struct timeval
task_walltime(const struct task *t)
{
	struct timeval tv;

	(void)t;
	tv.tv_sec = 1000000 + now_ms / 1000;
	tv.tv_usec = (now_ms % 1000) * 1000;
	return tv;
}

struct monotime
task_now(const struct task *t)
{
	(void)t;
	return (struct monotime){ now_ms * 1000000 };
}

int
task_ifmtu(const struct task *t, int af, const uint8_t *src, uint16_t *mtu)
{
	(void)t; (void)af; (void)src;
	*mtu = 1500;
	return 0;
}

int
task_route_src(const struct task *t, int af, const uint8_t *dst,
    uint8_t *src)
{
	(void)t; (void)dst;
	memset(src, 0, 16);
	inet_pton(af, af == AF_INET ? "192.0.2.1" : "2001:db8::1", src);
	return 0;
}

uint32_t
task_rtt_us(struct task *t, struct stamp tx, struct stamp rx)
{
	(void)t;
	return (uint32_t)(uint64_t)stamp_ns_to_us(stamp_sub_ns(rx, tx));
}

int
task_send(struct task *t, const struct pkt_probe *p, struct stamp *tx,
    uint32_t tag)
{
	(void)t; (void)tag;
	ck_assert_int_lt(nsent, MAXPKT);
	sentlen[nsent] = pkt_build(p, sent[nsent], sizeof(sent[nsent]));
	ck_assert_uint_gt(sentlen[nsent], 0);
	nsent++;
	{
		struct timeval tv = task_walltime(t);
		*tx = stamp_of_tv(&tv);
	}
	return 0;
}

void
task_timer(struct task *t, struct timer *tm, int64_t ms)
{
	int i, free_slot = -1;

	(void)t;
	for (i = 0; i < MAXTM; i++) {
		if (tms[i] == tm)
			break;
		if (tms[i] == NULL && free_slot == -1)
			free_slot = i;
	}
	if (i == MAXTM)
		i = free_slot;
	ck_assert_int_ge(i, 0);
	tms[i] = tm;
	tm_at[i] = now_ms + ms;
}

void
task_timer_cancel(struct task *t, struct timer *tm)
{
	(void)t;
	for (int i = 0; i < MAXTM; i++)
		if (tms[i] == tm)
			tms[i] = NULL;
}

int
task_datalink(struct task *t, int want, int af, const uint8_t *dst,
    const uint8_t *rtr, task_dl_ready *ready, task_dl_sent *s, char *err,
    size_t errlen)
{
	(void)want; (void)af; (void)dst; (void)rtr; (void)s; (void)err;
	(void)errlen;
	t->dl = ready;
	return 0;
}

int
task_fw_lease(struct task *t, int af, const uint8_t *src, const uint8_t *dst,
    uint16_t sport, uint16_t dport, task_fw_ready *ready)
{
	(void)af; (void)src; (void)dst; (void)sport; (void)dport;
	t->fw = ready;
	return 0;
}

void
task_finish(struct task *t)
{
	t->finished = 1;
	for (int i = 0; i < MAXTM; i++)
		tms[i] = NULL;
}

/* Fire the earliest timer; returns 0 if none is set. */
static int
fire(void)
{
	int best = -1;
	struct timer *tm;

	for (int i = 0; i < MAXTM; i++)
		if (tms[i] != NULL && (best == -1 || tm_at[i] < tm_at[best]))
			best = i;
	if (best == -1)
		return 0;
	tm = tms[best];
	tms[best] = NULL;
	if (tm_at[best] > now_ms)
		now_ms = tm_at[best];
	tm->cb(tm->arg);
	return 1;
}

/* ---- driving a technique ------------------------------------------------ */

static const struct method *M;

/* Start method M with command LINE up to its first probe. */
static void
start(const struct method *m, const char *line)
{
	char buf[512], *argv[CMD_MAXARGS], err[256];
	struct cmd_args a;
	int argc;

	memset(&T, 0, sizeof(T));
	memset(tms, 0, sizeof(tms));
	nsent = wants = 0;
	now_ms = 0;
	M = m;
	snprintf(buf, sizeof(buf), "%s", line);
	argc = cmd_split(buf, argv, CMD_MAXARGS, err, sizeof(err));
	ck_assert_int_gt(argc, 0);
	ck_assert_int_eq(cmd_getopts(m->opts, m->nopts, argc, argv, &a, err,
	    sizeof(err)), 0);
	T.state = m->alloc(&T, &a, err, sizeof(err));
	ck_assert_msg(T.state != NULL, "%s: %s", line, err);
	ck_assert_int_eq(m->start(&T, err, sizeof(err)), 0);
	T.fw(&T, 0, 40000);
	T.dl(&T, 0, NULL);
	ck_assert_int_eq(wants, 1);
	ck_assert_int_eq(m->probe(&T), 1);
}

/* The TCP segment of sent packet I. */
static struct tcpconn_seg
out(int i)
{
	struct pkt_reply r;
	struct tcpconn_seg g;

	ck_assert_int_lt(i, nsent);
	ck_assert_int_eq(pkt_parse(sent[i], sentlen[i], &r), 0);
	ck_assert_int_eq(tcpconn_parse(&r, &g), 0);
	return g;
}

/* The server sends FLAGS SEQ ACK with LEN bytes of data (ECN bits TOS). */
static void
server(uint8_t flags, uint32_t seq, uint32_t ack, size_t len, uint8_t tos)
{
	static uint8_t data[1460], buf[2000];
	struct pkt_probe p;
	struct pkt_reply r;
	struct timeval tv;
	struct stamp rx;
	uint8_t opts[4] = { 2, 4, 0x05, 0xb4 };	/* MSS 1460 */

	memset(&p, 0, sizeof(p));
	p.af = AF_INET;
	inet_pton(AF_INET, "192.0.2.2", p.src);
	inet_pton(AF_INET, "192.0.2.1", p.dst);
	p.proto = IPPROTO_TCP;
	p.ttl = 64;
	p.tos = tos;
	p.df = 1;
	p.sport = 80;
	p.dport = 40000;
	p.tcp_flags = flags;
	p.tcp_seq = seq;
	p.tcp_ack = ack;
	p.tcp_win = 65535;
	if (flags & TCP_SYN) {
		p.tcpopts = opts;
		p.tcpoptlen = 4;
	}
	memset(data, 'x', sizeof(data));
	p.payload = data;
	p.paylen = len;
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(pkt_parse(buf, pkt_build(&p, buf, sizeof(buf)), &r),
	    0);
	tv = task_walltime(&T);
	rx = stamp_of_tv(&tv);
	M->reply(&T, &r, &rx);
}

static struct scamper_tbit *
the_tbit(void)
{
	return ((struct tbit_state *)T.state)->t;
}

static void
done(void)
{
	M->free_state(T.state);
}

#define ISS	1000000u	/* task_random's */
#define IRS	5000u

/* ---- tbit ----------------------------------------------------------------- */

START_TEST(syn_retransmitted_then_noconn)
{
	start(&method_tbit, "tbit -t null -q 3 192.0.2.2");
	ck_assert_int_eq(nsent, 1);
	ck_assert_uint_eq(out(0).flags, TCP_SYN);
	while (!T.finished && fire())
		;
	ck_assert_int_eq(nsent, 3);		/* the SYN and 2 more */
	ck_assert_uint_eq(out(2).flags, TCP_SYN);
	ck_assert_uint_eq(the_tbit()->result, 1);	/* tcp-noconn */
	ck_assert_uint_eq(the_tbit()->synretx, 2);
	ck_assert_int_eq(now_ms, 7000);		/* 1 s, 2 s, 4 s */
	done();
}
END_TEST

START_TEST(request_lost_then_data)
{
	start(&method_tbit, "tbit -t null -u http://s/ 192.0.2.2");
	server(TCP_SYN | TCP_ACK, IRS, ISS + 1, 0, 0);
	ck_assert_int_eq(nsent, 2);		/* the request */
	ck_assert_uint_gt(out(1).datalen, 0);
	fire();					/* lost: sent again */
	ck_assert_int_eq(nsent, 3);
	ck_assert_uint_eq(out(2).seq, ISS + 1);
	ck_assert_uint_eq(the_tbit()->dataretx, 1);
	server(TCP_ACK, IRS + 1, ISS + 1 + out(1).datalen, 100, 0);
	ck_assert_uint_eq(out(nsent - 1).ack, IRS + 101);	/* ACKed */
	server(TCP_ACK | TCP_FIN, IRS + 101, ISS + 1 + out(1).datalen, 0, 0);
	ck_assert_int_eq(T.finished, 1);
	ck_assert_uint_eq(the_tbit()->result, 40);	/* null-success */
	ck_assert_uint_eq(out(nsent - 1).flags, TCP_RST);
	done();
}
END_TEST

START_TEST(reset_mid_test)
{
	start(&method_tbit, "tbit -t null 192.0.2.2");
	server(TCP_SYN | TCP_ACK, IRS, ISS + 1, 0, 0);
	server(TCP_RST, IRS + 1, 0, 0, 0);
	ck_assert_int_eq(T.finished, 1);
	ck_assert_uint_eq(the_tbit()->result, 2);	/* tcp-rst */
	ck_assert_uint_ne(out(nsent - 1).flags, TCP_RST); /* none back */
	done();
}
END_TEST

START_TEST(ecn_answers)
{
	static const struct { uint8_t synack, ack; uint16_t want; } c[] = {
		{ TCP_ECE, TCP_ECE, 30 },		/* success */
		{ TCP_ECE, 0, 33 },			/* noece */
		{ 0, 0, 31 },				/* incapable */
		{ TCP_ECE | TCP_CWR, 0, 32 },		/* badsynack */
	};

	start(&method_tbit, "tbit -t ecn 192.0.2.2");
	ck_assert_uint_eq(out(0).flags, TCP_SYN | TCP_ECE | TCP_CWR);
	server(TCP_SYN | TCP_ACK | c[_i].synack, IRS, ISS + 1, 0, 0);
	if (c[_i].want == 30 || c[_i].want == 33) {
		ck_assert_uint_eq(out(1).ecn, 3);	/* the request: CE */
		server(TCP_ACK | c[_i].ack, IRS + 1, ISS + 1 + out(1).datalen,
		    0, 0);
	}
	ck_assert_int_eq(T.finished, 1);
	ck_assert_uint_eq(the_tbit()->result, c[_i].want);
	done();
}
END_TEST

START_TEST(blind_rst_challenged)
{
	start(&method_tbit, "tbit -t blind-rst 192.0.2.2");
	server(TCP_SYN | TCP_ACK, IRS, ISS + 1, 0, 0);
	ck_assert_int_eq(nsent, 3);	/* the handshake's ACK, the RST */
	ck_assert_uint_eq(out(1).flags, TCP_ACK);
	ck_assert_uint_eq(out(2).flags, TCP_RST);
	ck_assert_uint_eq(out(2).seq, ISS + 1 + 10);
	fire();				/* no answer: the RST again */
	ck_assert_uint_eq(out(3).flags, TCP_RST);
	server(TCP_ACK, IRS + 1, ISS + 1, 0, 0);	/* challenge ACK */
	ck_assert_uint_eq(the_tbit()->result, 81);
	done();
}
END_TEST

START_TEST(refused_without_firewall)
{
	char buf[] = "tbit 192.0.2.2", *argv[8], err[256];
	struct cmd_args a;
	int argc = cmd_split(buf, argv, 8, err, sizeof(err));

	fw_on = 0;
	ck_assert_int_eq(cmd_getopts(method_tbit.opts, method_tbit.nopts,
	    argc, argv, &a, err, sizeof(err)), 0);
	ck_assert_ptr_null(method_tbit.alloc(&T, &a, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "needs the firewall"));
	fw_on = 1;
}
END_TEST

/* ---- sting ---------------------------------------------------------------- */

START_TEST(sting_holes)
{
	struct scamper_sting *s;
	int data[8], nd = 0;

	start(&method_sting, "sting -c 4 -m 10 -i 100 -H 3 192.0.2.2");
	server(TCP_SYN | TCP_ACK, IRS, ISS + 1, 0, 0);
	/* data seeding: samples at ISS+4.. (after the 3-byte hole) */
	while (!T.finished && nd < 4) {
		for (int i = 0; i < nsent; i++) {
			struct tcpconn_seg g = out(i);

			if (g.datalen == 1 && (nd == 0 || i > data[nd - 1]))
				data[nd++] = i;
		}
		if (nd < 4)
			fire();
	}
	ck_assert_int_eq(nd, 4);
	ck_assert_uint_eq(out(data[0]).seq, ISS + 1 + 3);
	/* samples 0, 2, 3 arrive: a duplicate ACK each; sample 1 is lost */
	for (int k = 0; k < 3; k++)
		server(TCP_ACK, IRS + 1, ISS + 1, 0, 0);
	fire();					/* the pause; the hole */
	ck_assert_uint_eq(out(nsent - 1).seq, ISS + 1);
	ck_assert_uint_eq(out(nsent - 1).datalen, 3);
	server(TCP_ACK, IRS + 1, ISS + 1 + 3 + 1, 0, 0);	/* lacks #1 */
	ck_assert_uint_eq(out(nsent - 1).seq, ISS + 1 + 4);
	server(TCP_ACK, IRS + 1, ISS + 1 + 3 + 4, 0, 0);	/* all */
	ck_assert_int_eq(T.finished, 1);
	s = ((struct sting_state *)T.state)->s;
	ck_assert_uint_eq(s->dataackc, 3);
	ck_assert_uint_eq(s->holec, 1);
	ck_assert_uint_eq(s->result, SCAMPER_STING_RESULT_COMPLETED);
	done();
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("tbit");
	TCase *tc = tcase_create("tbit");

	tcase_add_test(tc, syn_retransmitted_then_noconn);
	tcase_add_test(tc, request_lost_then_data);
	tcase_add_test(tc, reset_mid_test);
	tcase_add_loop_test(tc, ecn_answers, 0, 4);
	tcase_add_test(tc, blind_rst_challenged);
	tcase_add_test(tc, refused_without_firewall);
	tcase_add_test(tc, sting_holes);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
