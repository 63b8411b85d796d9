/*
 * m_ping.c: ping (ICMP echo and timestamp, TCP SYN/ACK/ACK-sport, UDP
 * and UDP-dport; IPv4 and IPv6 where the method exists), as scamper's
 * ping command: its options, their checks and defaults (see
 * docs/scamper-behaviour.md d.5), and the method descriptor.
 *
 * Probe identity: ICMP probes carry their index in the sequence number
 * (from -d); IPv4 probes also in the IP ID (a random base + index), which
 * ICMP errors quote; TCP SYN probes in the sequence number and TCP ACK
 * probes in the acknowledgment number (a reset echoes them), tcp-ack-sport
 * and udp-dport in the varying port; IPv6 UDP probes in the UDP checksum
 * (two payload bytes chosen for it) unless the payload is the user's.
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "method.h"
#include "pkt.h"
#include "ping_int.h"
#include "scamper_file.h"
#include "scamper_ping.h"
#include "task.h"

static const char *const ping_methods[] = { "icmp-echo", "icmp-time",
    "tcp-syn", "tcp-ack", "tcp-ack-sport", "udp", "udp-dport",
    "tcp-synack", "tcp-rst", NULL };
static const uint8_t ping_types[] = { SCAMPER_PING_METHOD_ICMP_ECHO,
    SCAMPER_PING_METHOD_ICMP_TIME, SCAMPER_PING_METHOD_TCP_SYN,
    SCAMPER_PING_METHOD_TCP_ACK, SCAMPER_PING_METHOD_TCP_ACK_SPORT,
    SCAMPER_PING_METHOD_UDP, SCAMPER_PING_METHOD_UDP_DPORT,
    SCAMPER_PING_METHOD_TCP_SYNACK, SCAMPER_PING_METHOD_TCP_RST };
enum { O_DL, O_SPOOF, O_TBL, O_TBT };
static const char *const ping_Oopts[] = { "dl", "spoof", "tbl", "tbt",
    NULL };

static const struct cmd_optspec ping_opts[] = {
	{ 'B', CMD_HEX, 0, 2000, NULL, 0 },
	{ 'c', CMD_UINT, 1, 65535, NULL, 0 },
	{ 'C', CMD_UINT, 0, 65535, NULL, 0 },
	{ 'd', CMD_UINT, 0, 65535, NULL, 0 },
	{ 'F', CMD_UINT, 0, 65535, NULL, 0 },
	{ 'i', CMD_STR, 0, 0, NULL, 0 },
	{ 'm', CMD_UINT, 1, 255, NULL, 0 },
	{ 'M', CMD_UINT, 68, 65535, NULL, 0 },
	{ 'o', CMD_UINT, 0, 65535, NULL, 0 },
	{ 'O', CMD_WORD, 0, 0, ping_Oopts, 1 },
	{ 'p', CMD_HEX, 0, 16, NULL, 0 },
	{ 'P', CMD_WORD, 0, 0, ping_methods, 0 },
	{ 'R', CMD_FLAG, 0, 0, NULL, 0 },
	{ 's', CMD_UINT, 1, 65535, NULL, 0 },
	{ 'S', CMD_ADDR, 0, 0, NULL, 0 },
	{ 'T', CMD_STR, 0, 0, NULL, 0 },
	{ 'U', CMD_UINT, 0, UINT32_MAX, NULL, 0 },
	{ 'W', CMD_UINT, 1, 255, NULL, 0 },
	{ 'z', CMD_UINT, 0, 255, NULL, 0 },
};

/* ---- helpers -------------------------------------------------------- */

/* Parse a wait in seconds with up to 6 decimals ("1", "0.5") into
 * microseconds.  Returns 0, or -1 if S is not such a number. */
static int
parse_secs(const char *s, uint64_t *us)
{
	uint64_t whole = 0, frac = 0, scale = 1000000;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++)
		if ((whole = whole * 10 + (uint64_t)(*p - '0')) > 1000000)
			return -1;
	if (*p == '.') {
		if (p[1] < '0' || p[1] > '9')
			return -1;
		for (p++; *p >= '0' && *p <= '9'; p++) {
			if (scale == 1)
				return -1;	/* finer than a microsecond */
			scale /= 10;
			frac += (uint64_t)(*p - '0') * scale;
		}
	}
	if (*p != '\0')
		return -1;
	*us = whole * 1000000 + frac;
	return 0;
}

/* ---- options -------------------------------------------------------- */

/* -O tbt, the too-big trick (tbl is the man page's older name for it):
 * the goal is fragmented replies.  -M's Packet Too Big makes the target
 * fragment what it sends back, the datalink gives each first fragment's
 * identification, and -o counts the probes answered by a fragmented
 * reply.  As scamper 20211212: IPv6 only, -M needed and smaller than -s,
 * and it implies -O dl. */
static int
ping_tbt(struct ping_state *s, const struct cmd_args *a, char *err,
    size_t len)
{
	struct scamper_ping *p = s->p;
	const char *name = cmd_has_word(a, 'O', O_TBL) ? "tbl" : "tbt";

	if (!cmd_has_word(a, 'O', O_TBL) && !cmd_has_word(a, 'O', O_TBT))
		return 0;
	if (s->af != AF_INET6)
		return cmd_err(err, len, "-O %s: IPv6 only", name);
	if (cmd_opt(a, 'M') == NULL)
		return cmd_err(err, len, "-O %s: needs -M (the pseudo MTU)", name);
	if (p->probe_size <= p->reply_pmtu)
		return cmd_err(err, len, "-O %s: -s %u must be larger than -M %u",
		    name, p->probe_size, p->reply_pmtu);
	p->flags |= SCAMPER_PING_FLAG_TBT | SCAMPER_PING_FLAG_DL;
	s->dlts = 1;
	s->tbt = 1;
	return 0;
}

static int
ping_target(struct ping_state *s, const struct cmd_args *a, char *err,
    size_t len)
{
	if ((s->af = cmd_target(a, s->dst, err, len)) == 0 ||
	    (s->have_src = cmd_opt_addr(a, 'S', s->af, s->src, err,
	    len)) == -1)
		return -1;
	return 0;
}

static int
ping_wait(struct scamper_ping *p, const struct cmd_args *a, char *err,
    size_t len)
{
	const struct cmd_optval *v = cmd_opt(a, 'i');
	uint64_t us = 1000000;

	if (v != NULL && (parse_secs(v->s, &us) == -1 || us < 1000 ||
	    us > 20000000))
		return cmd_err(err, len, "-i: invalid value '%s' (expected "
		    "seconds from 0.001 to 20)", v->s);
	p->probe_wait = (uint8_t)(us / 1000000);
	p->probe_wait_us = (uint32_t)(us % 1000000);
	p->probe_timeout = (uint8_t)cmd_optu(a, 'W', p->probe_wait == 0 ? 1 :
	    p->probe_wait);
	return 0;
}

/* -T tsonly | tsandaddr | tsprespec=IP[,IP...] (IPv4, at most 4). */
static int
ping_ts(struct ping_state *s, const char *arg, char *err, size_t len)
{
	struct scamper_ping *p = s->p;
	uint8_t addrs[PKT_TS_PRESPEC_MAX * 4], a16[16];
	char buf[256], *tok, *save;
	int n = 0;

	if (strcmp(arg, "tsonly") == 0) {
		p->flags |= SCAMPER_PING_FLAG_TSONLY;
		s->ipoptlen = pkt_ipopt_ts(s->ipopts, sizeof(s->ipopts),
		    PKT_TS_TSONLY, NULL, 0);
		return 0;
	}
	if (strcmp(arg, "tsandaddr") == 0) {
		p->flags |= SCAMPER_PING_FLAG_TSANDADDR;
		s->ipoptlen = pkt_ipopt_ts(s->ipopts, sizeof(s->ipopts),
		    PKT_TS_TSANDADDR, NULL, 0);
		return 0;
	}
	if (strncmp(arg, "tsprespec=", 10) != 0)
		return cmd_err(err, len, "-T: invalid value '%s' (expected "
		    "tsonly, tsandaddr or tsprespec=IP[,IP...])", arg);
	if (snprintf(buf, sizeof(buf), "%s", arg + 10) >= (int)sizeof(buf))
		return cmd_err(err, len, "-T: value too long");
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (n == PKT_TS_PRESPEC_MAX)
			return cmd_err(err, len, "-T tsprespec: at most %d "
			    "addresses", PKT_TS_PRESPEC_MAX);
		if (cmd_addr(tok, a16) != AF_INET)
			return cmd_err(err, len, "-T tsprespec: '%s' is not an "
			    "IPv4 address", tok);
		memcpy(addrs + 4 * n++, a16, 4);
	}
	if (n == 0)
		return cmd_err(err, len, "-T tsprespec: no addresses");
	if ((p->tsps = calloc((size_t)n, sizeof(*p->tsps))) == NULL)
		return cmd_err(err, len, "out of memory");
	for (int i = 0; i < n; i++)
		scamper_addr_set(&p->tsps[i], SCAMPER_ADDR_IPV4, addrs + 4 * i);
	p->tspsc = (uint8_t)n;
	s->ipoptlen = pkt_ipopt_ts(s->ipopts, sizeof(s->ipopts),
	    PKT_TS_PRESPEC, addrs, n);
	return 0;
}

static int
ping_ipopts(struct ping_state *s, const struct cmd_args *a, char *err,
    size_t len)
{
	const struct cmd_optval *t = cmd_opt(a, 'T');
	int rr = cmd_opt(a, 'R') != NULL;

	if ((rr || t != NULL) && s->af != AF_INET)
		return cmd_err(err, len, "-%c: IP options are IPv4 only",
		    rr ? 'R' : 'T');
	if (rr && t != NULL)
		return cmd_err(err, len, "-R: cannot be combined with -T (both "
		    "need the whole option space)");
	if (rr) {
		s->p->flags |= SCAMPER_PING_FLAG_V4RR;
		s->ipoptlen = pkt_ipopt_rr(s->ipopts, sizeof(s->ipopts));
	}
	return t != NULL ? ping_ts(s, t->s, err, len) : 0;
}

/* The probe data (-B or -p) and what precedes it in the payload. */
static int
ping_data(struct ping_state *s, const struct cmd_args *a, char *err,
    size_t len)
{
	struct scamper_ping *p = s->p;
	const struct cmd_optval *b = cmd_opt(a, 'B'), *pat = cmd_opt(a, 'p');
	const struct cmd_optval *v = b != NULL ? b : pat;

	if (b != NULL && pat != NULL)
		return cmd_err(err, len, "-B: cannot be combined with -p");
	if (cmd_opt(a, 'C') != NULL) {
		if (p->probe_method != SCAMPER_PING_METHOD_ICMP_ECHO)
			return cmd_err(err, len, "-C: only with -P icmp-echo");
		p->flags |= SCAMPER_PING_FLAG_ICMPSUM;
		p->probe_icmpsum = (uint16_t)cmd_optu(a, 'C', 0);
		s->fixlen += 2;
	}
	if (p->probe_method == SCAMPER_PING_METHOD_ICMP_TIME)
		s->fixlen += 12;
	if (cmd_has_word(a, 'O', O_DL)) {
		p->flags |= SCAMPER_PING_FLAG_DL;
		s->dlts = 1;
	}
	if (cmd_has_word(a, 'O', O_SPOOF)) {
		p->flags |= SCAMPER_PING_FLAG_SPOOF;
		s->fixlen += s->af == AF_INET ? 4 : 16;
	}
	if (v == NULL)
		return 0;
	if ((s->data = malloc(v->u)) == NULL)
		return cmd_err(err, len, "out of memory");
	s->datalen = cmd_hex(v->s, s->data, v->u);
	if ((p->probe_data = malloc(s->datalen)) == NULL)
		return cmd_err(err, len, "out of memory");
	memcpy(p->probe_data, s->data, s->datalen);
	p->probe_datalen = (uint16_t)s->datalen;
	if (b != NULL)
		p->flags |= SCAMPER_PING_FLAG_PAYLOAD;
	return 0;
}

/* The probe size: -s, or the method's default; checked against what
 * the probe must hold. */
static int
ping_size(struct ping_state *s, const struct cmd_args *a, char *err,
    size_t len)
{
	struct scamper_ping *p = s->p;
	size_t hdr, need, def;

	hdr = (s->af == AF_INET ? 20 + s->ipoptlen : 40) +
	    (ping_is_tcp(s) ? 20 : 8);
	need = hdr + s->fixlen +
	    ((p->flags & SCAMPER_PING_FLAG_PAYLOAD) ? s->datalen : 0);
	if (p->flags & SCAMPER_PING_FLAG_PAYLOAD)
		def = need;
	else if (ping_is_tcp(s))
		def = need;
	else if (ping_is_udp(s))
		def = need + 12;
	else if (p->probe_method == SCAMPER_PING_METHOD_ICMP_TIME)
		def = need + 44;
	else
		def = need + 56;
	p->probe_size = (uint16_t)cmd_optu(a, 's', (uint32_t)def);
	if (p->probe_size < need)
		return cmd_err(err, len, "-s: %u is too small (this probe needs "
		    "at least %zu bytes)", p->probe_size, need);
	if (def > 65535)
		return cmd_err(err, len, "-B: the probe would exceed 65535 bytes");
	return 0;
}

static int
ping_check(struct ping_state *s, const struct cmd_args *a, char *err,
    size_t len)
{
	struct scamper_ping *p = s->p;

	if (p->probe_method == SCAMPER_PING_METHOD_ICMP_TIME &&
	    s->af != AF_INET)
		return cmd_err(err, len, "-P icmp-time: IPv4 only");
	if (cmd_opt(a, 'M') != NULL && s->af == AF_INET6 &&
	    p->reply_pmtu < 1280)
		return cmd_err(err, len, "-M: invalid value '%u' (IPv6 needs at "
		    "least 1280)", p->reply_pmtu);
	return 0;
}

static void
ping_ports(struct ping_state *s, const struct cmd_args *a)
{
	struct scamper_ping *p = s->p;
	uint16_t pid = (uint16_t)task_pid(s->task);

	if (ping_is_tcp(s) || ping_is_udp(s)) {
		p->probe_sport = (uint16_t)cmd_optu(a, 'F', pid | 0x8000);
		p->probe_dport = (uint16_t)cmd_optu(a, 'd', 33435);
	} else {
		p->probe_sport = (uint16_t)cmd_optu(a, 'F', pid);
		p->probe_dport = (uint16_t)cmd_optu(a, 'd', 0);
	}
	s->seq_base = p->probe_dport;
	s->user_sport = cmd_opt(a, 'F') != NULL;
	switch (p->probe_method) {
	case SCAMPER_PING_METHOD_TCP_SYN:
	case SCAMPER_PING_METHOD_TCP_RST:
		p->probe_tcpseq = task_random(s->task);
		break;
	case SCAMPER_PING_METHOD_TCP_ACK:
	case SCAMPER_PING_METHOD_TCP_ACK_SPORT:
	case SCAMPER_PING_METHOD_TCP_SYNACK:
		p->probe_tcpseq = task_random(s->task);
		p->probe_tcpack = task_random(s->task);
		break;
	}
	s->ipid_base = (uint16_t)task_random(s->task);
}

static int
ping_init(struct task *task, void *state, const struct cmd_args *a,
    char *err, size_t len)
{
	struct ping_state *s = state;
	struct scamper_ping *p;

	s->task = task;
	if ((s->p = p = scamper_ping_alloc()) == NULL)
		return cmd_err(err, len, "out of memory");
	task_result(task, SCAMPER_FILE_OBJ_PING, p);
	p->probe_method = ping_types[cmd_optu(a, 'P', 0)];
	p->probe_count = (uint16_t)cmd_optu(a, 'c', 4);
	p->probe_ttl = (uint8_t)cmd_optu(a, 'm', 64);
	p->probe_tos = (uint8_t)cmd_optu(a, 'z', 0);
	p->reply_count = (uint16_t)cmd_optu(a, 'o', 0);
	p->reply_pmtu = (uint16_t)cmd_optu(a, 'M', 0);
	p->userid = cmd_optu(a, 'U', 0);
	if (ping_target(s, a, err, len) == -1 ||
	    ping_wait(p, a, err, len) == -1 ||
	    ping_check(s, a, err, len) == -1 ||
	    ping_ipopts(s, a, err, len) == -1 ||
	    ping_data(s, a, err, len) == -1 ||
	    ping_size(s, a, err, len) == -1 ||
	    ping_tbt(s, a, err, len) == -1)
		return -1;
	ping_ports(s, a);
	return 0;
}

/* ---- the method descriptor ----------------------------------------- */

const struct method method_ping = {
	.name = "ping",
	METHOD_CALLS(ping),
	.free_state = ping_state_clear,
	.reply = ping_reply,
	.sent = ping_sent,
	.refused = ping_refused,
};
