/*
 * m_trace.c: traceroute (UDP, UDP-paris, ICMP, ICMP-paris, TCP, TCP-ack;
 * IPv4 and IPv6), as scamper's trace command.  One probe is outstanding
 * at a time; each hop gets up to -q attempts (all of them with -Q); the
 * stop conditions, gap limit with halt or last-ditch probes, and loop
 * detection follow scamper 20211212 (see docs/scamper-behaviour.md d.2).
 *
 * Probe identity: the flow (addresses, protocol, ports or ICMP id, and for
 * Paris methods the checksum) is constant; a probe's index is carried in
 * the IPv4 IP ID (index + 1), and for IPv6 in the UDP checksum
 * (udp-paris), the UDP destination port (udp), the ICMP sequence (icmp)
 * or the TCP sequence number (tcp) -- never in the flow label, so IPv6
 * Paris traces stay on one ECMP path.
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "log.h"
#include "method.h"
#include "scamper_file.h"
#include "scamper_trace.h"
#include "task.h"
#include "trace_int.h"

static const char *const trace_methods[] = { "udp", "icmp", "udp-paris",
    "icmp-paris", "tcp", "tcp-ack", NULL };
static const char *const trace_Oopts[] = { "dl", "dtree-noback",
    "const-payload", "ptr", NULL };

static const struct cmd_optspec trace_opts[] = {
	{ 'c', CMD_UINT, 95, 99, NULL, 0 },
	{ 'd', CMD_UINT, 0, 65535, NULL, 0 },
	{ 'f', CMD_UINT, 1, 255, NULL, 0 },
	{ 'g', CMD_UINT, 0, 255, NULL, 0 },
	{ 'G', CMD_UINT, 1, 2, NULL, 0 },
	{ 'l', CMD_UINT, 0, 255, NULL, 0 },
	{ 'm', CMD_UINT, 0, 255, NULL, 0 },
	{ 'M', CMD_FLAG, 0, 0, NULL, 0 },
	{ 'o', CMD_UINT, 0, 8190, NULL, 0 },
	{ 'O', CMD_WORD, 0, 0, trace_Oopts, 1 },
	{ 'p', CMD_HEX, 0, 1400, NULL, 0 },
	{ 'P', CMD_WORD, 0, 0, trace_methods, 0 },
	{ 'q', CMD_UINT, 1, 20, NULL, 0 },
	{ 'Q', CMD_FLAG, 0, 0, NULL, 0 },
	{ 'r', CMD_ADDR, 0, 0, NULL, 0 },
	{ 's', CMD_UINT, 0, 65535, NULL, 0 },
	{ 'S', CMD_ADDR, 0, 0, NULL, 0 },
	{ 't', CMD_UINT, 0, 255, NULL, 0 },
	{ 'T', CMD_FLAG, 0, 0, NULL, 0 },
	{ 'U', CMD_UINT, 0, UINT32_MAX, NULL, 0 },
	{ 'w', CMD_UINT, 1, 10, NULL, 0 },
	{ 'W', CMD_UINT, 0, 200, NULL, 0 },
	{ 'z', CMD_ADDR, 0, 0, NULL, 1 },
	{ 'Z', CMD_STR, 0, 0, NULL, 0 },
};

/* ---- options -------------------------------------------------------- */

static int
trace_target(struct trace_state *s, const struct cmd_args *a, char *err,
    size_t len)
{
	uint8_t r[16] = { 0 };
	int src, rtr;

	if ((s->af = (uint8_t)cmd_target(a, s->c.dst, err, len)) == 0 ||
	    (src = cmd_opt_addr(a, 'S', s->af, s->c.src, err,
	    len)) == -1 ||
	    (rtr = cmd_opt_addr(a, 'r', s->af, r, err, len)) == -1)
		return -1;
	s->have_src = src != 0;
	s->have_rtr = rtr != 0;
	if (rtr) {
		if (trace_side(s) == NULL)
			return cmd_err(err, len, "out of memory");
		memcpy(s->x->rtr.addr, r, sizeof(r));
	}
	return 0;
}

/* -U, kept aside if given (few traces have one). */
static int
trace_userid(struct trace_state *s, const struct cmd_args *a, char *err,
    size_t len)
{
	uint32_t u = cmd_optu(a, 'U', 0);

	if (u == 0)
		return 0;
	if (trace_side(s) == NULL)
		return cmd_err(err, len, "out of memory");
	s->x->userid = u;
	return 0;
}

/* -W, -G, -o: kept aside if given. */
static int
trace_rare(struct trace_state *s, const struct cmd_args *a, char *err,
    size_t len)
{
	uint32_t w = cmd_optu(a, 'W', 0), o = cmd_optu(a, 'o', 0),
	    g = cmd_optu(a, 'G', SCAMPER_TRACE_GAPACTION_STOP);

	if (w == 0 && o == 0 && g == SCAMPER_TRACE_GAPACTION_STOP)
		return 0;
	if (trace_side(s) == NULL)
		return cmd_err(err, len, "out of memory");
	s->x->wait_probe = (uint8_t)w;
	s->x->offset = (uint16_t)o;
	s->x->gapaction = (uint8_t)g;
	return 0;
}

static int
trace_payload(struct trace_state *s, const struct cmd_args *a, char *err,
    size_t len)
{
	const struct cmd_optval *v = cmd_opt(a, 'p');

	if (v == NULL)
		return 0;	/* trace_paylen: the default's */
	if (s->method == TRACE_TCP || s->method == TRACE_TCP_ACK)
		return cmd_err(err, len, "-p: a payload is not allowed with TCP "
		    "methods");
	if (trace_side(s) == NULL ||
	    (s->x->payload = malloc(TRACE_PAYLOAD_MAX)) == NULL)
		return cmd_err(err, len, "out of memory");
	s->x->paylen = (uint16_t)cmd_hex(v->s, s->x->payload,
	    TRACE_PAYLOAD_MAX);
	if ((s->method == TRACE_UDP_PARIS || s->method == TRACE_ICMP_PARIS) &&
	    s->x->paylen < 2)
		return cmd_err(err, len, "-p: Paris methods need at least 2 "
		    "payload bytes");
	return 0;
}

static int
trace_flags(struct trace_state *s, const struct cmd_args *a, char *err,
    size_t len)
{
	struct trace_conf *t = &s->c;

	if (cmd_has_word(a, 'O', 2))
		t->flags |= SCAMPER_TRACE_FLAG_CONSTPAYLOAD;
	if (cmd_has_word(a, 'O', 0)) {
		t->flags |= SCAMPER_TRACE_FLAG_DL;
		s->dlts = 1;
	}
	if (cmd_has_word(a, 'O', 3) && trace_ptr_setup(s, err, len) == -1)
		return -1;
	if (cmd_opt(a, 'Q') != NULL)
		t->flags |= SCAMPER_TRACE_FLAG_ALLATTEMPTS;
	if (cmd_opt(a, 'c') != NULL) {
		uint32_t c = cmd_opt(a, 'c')->u;

		if (c != 95 && c != 99)
			return cmd_err(err, len, "-c: confidence must be 95 or 99");
		if (trace_side(s) == NULL)
			return cmd_err(err, len, "out of memory");
		s->x->confidence = (uint8_t)c;
		if (t->flags & SCAMPER_TRACE_FLAG_ALLATTEMPTS)
			return cmd_err(err, len, "-c cannot be combined with -Q");
	}
	if (s->method == TRACE_ICMP_PARIS)
		t->flags |= SCAMPER_TRACE_FLAG_ICMPCSUMDP;	/* as 20211212 */
	if (cmd_opt(a, 'T') != NULL)
		t->flags |= SCAMPER_TRACE_FLAG_IGNORETTLDST;
	if (cmd_opt(a, 'M') != NULL)
		t->flags |= SCAMPER_TRACE_FLAG_PMTUD;
	if (cmd_opt(a, 'o') != NULL && s->af == AF_INET)
		return cmd_err(err, len, "-o: a fragment offset is for IPv6 only");
	if (t->firsthop > t->hoplimit && t->hoplimit != 0)
		return cmd_err(err, len, "-f %u is beyond -m %u", t->firsthop,
		    t->hoplimit);
	return 0;
}

static int
trace_init(struct task *task, void *state, const struct cmd_args *a,
    char *err, size_t len)
{
	struct trace_state *s = state;
	struct trace_conf *t = &s->c;

	s->method = (enum trace_method)cmd_optu(a, 'P', TRACE_UDP_PARIS);
	t->attempts = (uint8_t)cmd_optu(a, 'q', 2);
	t->firsthop = (uint8_t)cmd_optu(a, 'f', 1);
	t->hoplimit = (uint8_t)cmd_optu(a, 'm', 0);
	t->gaplimit = (uint8_t)cmd_optu(a, 'g', 5);
	t->loops = (uint8_t)cmd_optu(a, 'l', 1);
	t->wait = (uint8_t)cmd_optu(a, 'w', 5);
	t->tos = (uint8_t)cmd_optu(a, 't', 0);
	if (trace_userid(s, a, err, len) == -1 ||
	    trace_rare(s, a, err, len) == -1)
		return -1;
	t->sport = (uint16_t)cmd_optu(a, 's', task_default_sport(task));
	t->dport = (uint16_t)cmd_optu(a, 'd', s->method == TRACE_ICMP_PARIS ?
	    t->sport : 33435);
	if (trace_target(s, a, err, len) == -1 ||
	    trace_payload(s, a, err, len) == -1 ||
	    trace_flags(s, a, err, len) == -1 ||
	    trace_dtree_setup(s, a, err, len) == -1)
		return -1;
	return 0;
}

/* ---- the method descriptor ----------------------------------------- */

static const struct method_cmd trace_cmds[] = {
	{ "lss-clear", trace_lss_cmd },
};

const struct method method_trace = {
	.name = "trace",
	METHOD_CALLS(trace),
	.free_state = trace_state_clear,
	.reply = trace_reply,
	.sent = trace_sent,
	.refused = trace_refused,
	.cmds = trace_cmds,
	.ncmds = sizeof(trace_cmds) / sizeof(trace_cmds[0]),
};
