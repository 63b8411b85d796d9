/*
 * fuzz_tbit.c: tbit's and sting's state machines (and tcpconn's segment
 * parser under them) fed what a hostile server may send.  The technique
 * runs on a fake core (the task_* calls of task.h are defined here, as
 * in tests/unit/test_tbit.c: packets sent are kept, timers are a list
 * fired in time order, the firewall and the datalink answer at once).
 *
 * Input: byte 0 picks the command (a tbit type or sting, IPv4 or IPv6),
 * byte 1 bit 0 refuses the firewall lease; then operations, each one
 * byte OP and its operands:
 *   OP & 3 == 0  fire the earliest timer
 *   OP & 3 == 1  a TCP segment from the server, built well formed:
 *                flags, tos, seq (IRS + u32), ack (the last sent
 *                segment's seq + u32; OP & 4: the u32 as is), window
 *                u16, options (length byte, at most 40, NOP padded),
 *                payload (u16 length, at most 1460, its bytes from the
 *                input or 'x');
 *                OP & 8: from another address
 *   OP & 3 == 2  raw bytes (u16 length) parsed as an IP packet
 *   OP & 3 == 3  the kernel's word on a sent probe: tag byte, OP & 4:
 *                refused (EPERM), else a kernel timestamp
 * The result is rendered as JSON and text at the end (the text on
 * standard error if FUZZ_TBIT_SHOW is set: to check the seeds).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "log.h"
#include "method.h"
#include "pkt.h"
#include "scamper_json.h"
#include "scamper_text.h"
#include "task.h"
#include "tcpconn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern const struct method method_tbit, method_sting;

/* ---- the fake core ------------------------------------------------------- */

struct task {
	void		*state;
	int		 finished;
	task_fw_ready	*fw;
	task_dl_ready	*dl;
};

#define MAXPKT	64	/* packets kept: the last replaces older ones */
#define MAXTM	16
#define PKTMAX	1600

static struct task T;
static int64_t now_ms;
static uint8_t sent[PKTMAX];	/* the last packet sent */
static size_t sentlen;
static unsigned nsent;
static int wants;
static struct timer *tms[MAXTM];
static int64_t tm_at[MAXTM];

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
int task_fw_enabled(const struct task *t) { (void)t; return 1; }
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
	int64_t ns = stamp_sub_ns(rx, tx);

	(void)t;
	return ns < 0 ? 0 : (uint32_t)(uint64_t)stamp_ns_to_us(ns);
}

int
task_send(struct task *t, const struct pkt_probe *p, struct stamp *tx,
    uint32_t tag)
{
	struct timeval tv = task_walltime(t);

	(void)tag;
	if ((sentlen = pkt_build(p, sent, sizeof(sent))) == 0)
		abort();	/* the technique built a packet pkt_build refuses */
	nsent++;
	*tx = stamp_of_tv(&tv);
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
	if (i < 0)
		abort();	/* more timers than a technique keeps */
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

/* Fire the earliest timer. */
static void
fire(void)
{
	int best = -1;
	struct timer *tm;

	for (int i = 0; i < MAXTM; i++)
		if (tms[i] != NULL && (best == -1 || tm_at[i] < tm_at[best]))
			best = i;
	if (best == -1)
		return;
	tm = tms[best];
	tms[best] = NULL;
	if (tm_at[best] > now_ms)
		now_ms = tm_at[best];
	tm->cb(tm->arg);
}

/* ---- the input ----------------------------------------------------------- */

static const char *const cmds[] = {
	"tbit -t null 192.0.2.2",
	"tbit -t null -u http://s/ 192.0.2.2",
	"tbit -t ecn 192.0.2.2",
	"tbit -t pmtud -m 1280 192.0.2.2",
	"tbit -t sack-rcvr 192.0.2.2",
	"tbit -t icw 192.0.2.2",
	"tbit -t abc 192.0.2.2",
	"tbit -t blind-data 192.0.2.2",
	"tbit -t blind-rst 192.0.2.2",
	"tbit -t blind-syn 192.0.2.2",
	"tbit -t blind-fin 192.0.2.2",
	"tbit -t null -p bgp -b 65000 192.0.2.2",
	"tbit -t null -O tcpts -O sack 2001:db8::2",
	"tbit -t null -O fo 192.0.2.2",
	"tbit -t pmtud 2001:db8::2",
	"tbit -t ecn 2001:db8::2",
	"sting -c 4 -m 10 -i 100 -H 3 192.0.2.2",
	"sting 2001:db8::2",
};
#define NCMDS	(sizeof(cmds) / sizeof(cmds[0]))

struct in {
	const uint8_t	*p;
	size_t		 n;
};

static uint8_t
in_u8(struct in *in)
{
	uint8_t v = 0;

	if (in->n > 0) {
		v = *in->p++;
		in->n--;
	}
	return v;
}

static uint32_t
in_be(struct in *in, int bytes)
{
	uint32_t v = 0;

	while (bytes-- > 0)
		v = v << 8 | in_u8(in);
	return v;
}

/* Up to N bytes of the input into BUF, the rest FILL. */
static void
in_bytes(struct in *in, uint8_t *buf, size_t n, uint8_t fill)
{
	size_t k = n < in->n ? n : in->n;

	memcpy(buf, in->p, k);
	memset(buf + k, fill, n - k);
	in->p += k;
	in->n -= k;
}

/* A segment from the server (or, FOREIGN, another host) of the
 * connection the last sent packet belongs to. */
static size_t
segment(struct in *in, uint8_t op, uint8_t *buf, size_t cap)
{
	static uint8_t opts[40], pay[1460];
	struct pkt_reply last;
	struct tcpconn_seg g;
	struct pkt_probe p;
	uint32_t seq, ack;

	memset(&p, 0, sizeof(p));
	memset(&last, 0, sizeof(last));
	memset(&g, 0, sizeof(g));
	if (sentlen == 0 || pkt_parse(sent, sentlen, &last) != 0 ||
	    last.proto != IPPROTO_TCP || tcpconn_parse(&last, &g) != 0)
		return 0;
	p.af = last.af;
	memcpy(p.src, last.dst, sizeof(p.src));
	memcpy(p.dst, last.src, sizeof(p.dst));
	if (op & 8)
		p.src[p.af == AF_INET ? 3 : 15] ^= 1;
	p.proto = IPPROTO_TCP;
	p.ttl = 64;
	p.df = 1;
	p.sport = last.dport;
	p.dport = last.sport;
	p.tcp_flags = in_u8(in);
	p.tos = in_u8(in);
	seq = in_be(in, 4);
	ack = in_be(in, 4);
	p.tcp_seq = 5000 + seq;
	p.tcp_ack = (op & 4) ? ack : g.seq + ack;
	p.tcp_win = (uint16_t)in_be(in, 2);
	p.tcpoptlen = in_u8(in) % 41;
	in_bytes(in, opts, p.tcpoptlen, 1);
	while (p.tcpoptlen % 4 != 0)	/* NOP padding, as pkt_build wants */
		opts[p.tcpoptlen++] = 1;
	p.tcpopts = p.tcpoptlen > 0 ? opts : NULL;
	p.paylen = in_be(in, 2) % (sizeof(pay) + 1);
	in_bytes(in, pay, p.paylen, 'x');
	p.payload = pay;
	return pkt_build(&p, buf, cap);
}

static void
run(const struct method *m, struct in *in)
{
	static uint8_t buf[PKTMAX];
	struct pkt_reply r;
	struct timeval tv;
	struct stamp st;
	size_t len;
	int ops = 0, probes;
	uint8_t op;

	while (!T.finished && in->n > 0 && ops++ < 256) {
		op = in_u8(in);
		len = 0;
		switch (op & 3) {
		case 0:
			fire();
			break;
		case 1:
			len = segment(in, op, buf, sizeof(buf));
			break;
		case 2:
			len = in_be(in, 2) % (sizeof(buf) + 1);
			in_bytes(in, buf, len, 0);
			break;
		case 3:
			if (m->sent == NULL || nsent == 0)
				break;
			tv = task_walltime(&T);
			st = stamp_of_tv(&tv);
			(void)m->sent(&T, in_u8(in), (op & 4) ? EPERM : 0,
			    (op & 4) ? NULL : &st, STAMP_KERNEL);
			break;
		}
		if (len > 0 && !T.finished) {
			memset(&r, 0, sizeof(r));
			tv = task_walltime(&T);
			st = stamp_of_tv(&tv);
			if (pkt_parse(buf, len, &r) == 0)
				m->reply(&T, &r, &st);
		}
		for (probes = 0; wants && !T.finished && probes < 64;
		    probes++) {
			wants = 0;
			(void)m->probe(&T);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char line[128], *argv[CMD_MAXARGS], err[256], *s;
	static struct cmd_args a;
	const struct method *m;
	struct in in = { data, size };
	const void *obj;
	uint16_t type;
	uint8_t flags;
	const char *cmd;
	static int once;
	int argc;

	if (!once) {
		once = 1;
		log_stderr_off();	/* refusals are logged: not wanted */
	}
	cmd = cmds[in_u8(&in) % NCMDS];
	flags = in_u8(&in);
	m = strncmp(cmd, "sting", 5) == 0 ? &method_sting : &method_tbit;
	memset(&T, 0, sizeof(T));
	memset(tms, 0, sizeof(tms));
	sentlen = nsent = 0;
	wants = 0;
	now_ms = 0;
	snprintf(line, sizeof(line), "%s", cmd);
	argc = cmd_split(line, argv, CMD_MAXARGS, err, sizeof(err));
	if (argc <= 0 || cmd_getopts(m->opts, m->nopts, argc, argv, &a, err,
	    sizeof(err)) != 0)
		abort();	/* the commands above are all valid */
	if ((T.state = m->alloc(&T, &a, err, sizeof(err))) == NULL)
		abort();
	if (m->start(&T, err, sizeof(err)) != 0) {
		m->free_state(T.state);
		return 0;
	}
	if (T.fw != NULL)
		T.fw(&T, (flags & 1) ? EPERM : 0, 40000);
	if (T.dl != NULL && !T.finished)
		T.dl(&T, 0, NULL);
	if (wants && !T.finished) {
		wants = 0;
		(void)m->probe(&T);
	}
	run(m, &in);
	if (!T.finished)
		m->halt(&T);
	if ((obj = m->result(&T, &type)) != NULL) {
		if (scamper_json_obj(type, obj, &s) == 0)
			free(s);
		if (scamper_text_obj(type, obj, &s) == 0) {
			if (getenv("FUZZ_TBIT_SHOW") != NULL)	/* seeds */
				fputs(s, stderr);
			free(s);
		}
	}
	m->free_state(T.state);
	return 0;
}
