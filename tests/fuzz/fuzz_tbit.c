/*
 * fuzz_tbit.c: tbit's and sting's state machines (and tcpconn's segment
 * parser under them) fed what a hostile server may send.  The technique
 * runs on the real core through the in-process harness
 * (tests/harness/harness.h): a simulated firewall and datalink,
 * simulated time; the input plays the server.
 *
 * Input: byte 0 picks the command (a tbit type or sting, IPv4 or IPv6),
 * byte 1 bit 0 refuses the firewall lease; then operations, each one
 * byte OP and its operands:
 *   OP & 3 == 0  run to the next thing due (a timer, mostly)
 *   OP & 3 == 1  a TCP segment from the server, built well formed:
 *                flags, tos, seq (IRS + u32), ack (the last sent
 *                segment's seq + u32; OP & 4: the u32 as is), window
 *                u16, options (length byte, at most 40, NOP padded),
 *                payload (u16 length, at most 1460, its bytes from the
 *                input or 'x');
 *                OP & 8: from another address
 *   OP & 3 == 2  raw bytes (u16 length) delivered as an IP packet
 *   OP & 3 == 3  the kernel's word on the probes sent from now on: a
 *                byte B; OP & 4: the next probe is refused (EPERM), else
 *                their transmit timestamps come B us after the clock
 *                (B 0: none at all, the clock's time stands)
 * Each packet arrives 1 ms after the previous operation.  The task is
 * halted at the end if it still runs, and must then end; its result
 * (read back from the warts the core wrote) is rendered as JSON and
 * text (the text on standard error if FUZZ_TBIT_SHOW is set: to check
 * the seeds).  FUZZ_TBIT_LAST=FILE keeps each input in FILE before it
 * runs: after a crash, the input that crashed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "log.h"
#include "pkt.h"
#include "scamper_file.h"
#include "scamper_json.h"
#include "scamper_text.h"
#include "tcpconn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PKTMAX	1600

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

/* The server is beside the prober: the simulator answers nothing. */
static const char topo[] =
    "router r1 addr 198.19.0.1\n"
    "path 198.18.0.0/24 r1 dest silent\n";

struct in {
	const uint8_t	*p;
	size_t		 n;
};

static int refuse_next;

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

/* The kernel refuses the next probe if the input said so. */
static int
on_probe(void *arg, const uint8_t *pkt, size_t len, uint32_t no)
{
	(void)arg; (void)pkt; (void)len; (void)no;
	if (!refuse_next)
		return 0;
	refuse_next = 0;
	return EPERM;
}

/* A segment from the server (or, FOREIGN, another host) of the
 * connection the last sent packet belongs to. */
static size_t
segment(struct harness *h, struct in *in, uint8_t op, uint8_t *buf,
    size_t cap)
{
	static uint8_t opts[40], pay[1460];
	struct pkt_reply last;
	struct tcpconn_seg g;
	struct pkt_probe p;
	const uint8_t *sent;
	size_t sentlen = 0;
	uint32_t seq, ack, n = harness_nprobes(h);

	memset(&p, 0, sizeof(p));
	memset(&last, 0, sizeof(last));
	memset(&g, 0, sizeof(g));
	if (n == 0 || (sent = harness_probe(h, n - 1, &sentlen, NULL)) ==
	    NULL || pkt_parse(sent, sentlen, &last) != 0 ||
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
run(struct harness *h, struct in *in)
{
	static uint8_t buf[PKTMAX];
	int64_t at;
	size_t len;
	int ops = 0;
	uint8_t op, b;

	while (!harness_finished(h, 0) && in->n > 0 && ops++ < 256) {
		op = in_u8(in);
		len = 0;
		switch (op & 3) {
		case 0:
			(void)harness_step(h);
			break;
		case 1:
			len = segment(h, in, op, buf, sizeof(buf));
			break;
		case 2:
			len = in_be(in, 2) % (sizeof(buf) + 1);
			in_bytes(in, buf, len, 0);
			break;
		case 3:
			b = in_u8(in);
			if (op & 4)
				refuse_next = 1;
			else {
				harness_set_nostamp(h, b == 0);
				harness_set_stamp_lag(h, (int64_t)b * 1000);
			}
			break;
		}
		if (len > 0) {
			at = harness_now(h) + HARNESS_MS;
			harness_inject(h, at, buf, len);
			(void)harness_run_to(h, at);
		}
	}
}

/* Render result 0 as JSON and text. */
static void
render(struct harness *h)
{
	static const uint16_t types[] = { SCAMPER_FILE_OBJ_TBIT,
	    SCAMPER_FILE_OBJ_STING };
	const void *obj;
	char *s;

	for (size_t i = 0; i < 2; i++) {
		if ((obj = harness_result(h, 0, types[i])) == NULL)
			continue;
		if (scamper_json_obj(types[i], obj, &s) == 0)
			free(s);
		if (scamper_text_obj(types[i], obj, &s) == 0) {
			if (getenv("FUZZ_TBIT_SHOW") != NULL)	/* seeds */
				fputs(s, stderr);
			free(s);
		}
		return;
	}
	abort();	/* every command ends with a result */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { data, size };
	struct harness *h;
	char err[256];
	const char *cmd, *last;
	static int once;
	FILE *f;
	uint8_t flags;

	if (!once) {
		once = 1;
		log_stderr_off();	/* refusals are logged: not wanted */
	}
	if ((last = getenv("FUZZ_TBIT_LAST")) != NULL &&
	    (f = fopen(last, "wb")) != NULL) {	/* the one that crashed */
		fwrite(data, 1, size, f);
		fclose(f);
	}
	cmd = cmds[in_u8(&in) % NCMDS];
	flags = in_u8(&in);
	refuse_next = 0;
	if ((h = harness_new(topo, err, sizeof(err))) == NULL)
		abort();
	harness_set_firewall(h, 1, (flags & 1) ? EPERM : 0);
	harness_set_datalink(h, 1, 0);
	harness_on_probe(h, on_probe, NULL);
	if (harness_command(h, cmd) != 0)
		abort();	/* the commands above are all valid */
	(void)harness_run_to(h, 0);
	run(h, &in);
	if (!harness_finished(h, 0))
		harness_halt_at(h, harness_now(h), 0);
	if (harness_run(h, harness_now(h) + 3600 * HARNESS_S) != 0 ||
	    !harness_finished(h, 0))
		abort();	/* a task that does not end when halted */
	render(h);
	harness_free(h);
	return 0;
}
