/*
 * m_tbit.c: tbit (TCP behaviour inference), as scamper's tbit command:
 * its options, their checks and defaults (as scamper 20211212 records
 * them: type null, application http with file "/", port 80 or 179 for
 * bgp with ASN 1, client MSS from the interface's MTU, TTL 255; pmtud
 * MTU 1280 with 4 Packet Too Big retransmissions, none with blackhole;
 * blind offsets 10 (rst, syn) and -70000 (data, fin) with 3 attempts),
 * and the method descriptor.
 *
 * tbit crafts its TCP connection by hand, so it needs the firewall
 * (-F): without it the command is refused, saying so.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "method.h"
#include "pkt.h"
#include "scamper_file.h"
#include "scamper_tbit.h"
#include "task.h"
#include "tbit_int.h"

static const char *const tbit_types[] = { "pmtud", "ecn", "null",
    "sack-rcvr", "icw", "abc", "blind-data", "blind-rst", "blind-syn",
    "blind-fin", NULL };
static const char *const tbit_apps[] = { "http", "bgp", NULL };
enum { O_BLACKHOLE, O_TCPTS, O_IPTS, O_IPRR, O_IPQS, O_SACK, O_FO,
    O_FOEXP };
static const char *const tbit_Oopts[] = { "blackhole", "tcpts",
    "ipts-syn", "iprr-syn", "ipqs-syn", "sack", "fo", "fo-exp", NULL };

static const struct cmd_optspec tbit_opts[] = {
	{ 'a', CMD_UINT, 1, 16, NULL, 0 },
	{ 'b', CMD_UINT, 1, UINT32_MAX, NULL, 0 },
	{ 'd', CMD_UINT, 1, 65535, NULL, 0 },
	{ 'f', CMD_HEX, 0, 16, NULL, 0 },
	{ 'i', CMD_UINT, 1, 64, NULL, 0 },
	{ 'L', CMD_UINT, 1, 16, NULL, 0 },
	{ 'm', CMD_UINT, 64, 65495, NULL, 0 },
	{ 'M', CMD_UINT, 68, 65535, NULL, 0 },
	{ 'o', CMD_STR, 0, 0, NULL, 0 },
	{ 'O', CMD_WORD, 0, 0, tbit_Oopts, 1 },
	{ 'p', CMD_WORD, 0, 0, tbit_apps, 0 },
	{ 'P', CMD_ADDR, 0, 0, NULL, 0 },
	{ 'q', CMD_UINT, 1, 3, NULL, 0 },
	{ 's', CMD_UINT, 1024, 65535, NULL, 0 },
	{ 'S', CMD_ADDR, 0, 0, NULL, 0 },
	{ 't', CMD_WORD, 0, 0, tbit_types, 0 },
	{ 'T', CMD_UINT, 1, 255, NULL, 0 },
	{ 'u', CMD_STR, 0, 0, NULL, 0 },
	{ 'U', CMD_UINT, 0, UINT32_MAX, NULL, 0 },
	{ 'w', CMD_UINT, 0, 14, NULL, 0 },
};

static int
is_blind(uint8_t type)
{
	return type >= SCAMPER_TBIT_TYPE_BLIND_DATA &&
	    type <= SCAMPER_TBIT_TYPE_BLIND_FIN;
}

/* Refuse option OPT unless ALLOWED: it would be ignored. */
static int
only_with(const struct cmd_args *a, char opt, int allowed, const char *what,
    char *err, size_t len)
{
	if (cmd_opt(a, opt) == NULL || allowed)
		return 0;
	return cmd_err(err, len, "-%c: only applies %s", opt, what);
}

static int
tbit_target(struct tbit_state *s, const struct cmd_args *a, char *err,
    size_t len)
{
	uint8_t ptbsrc[16];
	int ptb;

	if ((s->af = cmd_target(a, s->dst, err, len)) == 0 ||
	    (s->have_src = cmd_opt_addr(a, 'S', s->af, s->src, err,
	    len)) == -1 ||
	    (ptb = cmd_opt_addr(a, 'P', s->af, ptbsrc, err, len)) == -1)
		return -1;
	if (ptb)
		scamper_addr_set(&s->t->pmtud_ptbsrc, task_addr_type(s->af),
		    ptbsrc);
	return 0;
}

/* -p, -u, -b, -d: the application and its port. */
static int
tbit_app(struct tbit_state *s, const struct cmd_args *a, char *err,
    size_t len)
{
	struct scamper_tbit *t = s->t;
	const struct cmd_optval *u = cmd_opt(a, 'u');
	uint16_t port = 0;
	int bgp = cmd_optu(a, 'p', 0) == 1;

	t->app_proto = bgp ? SCAMPER_TBIT_APP_BGP : SCAMPER_TBIT_APP_HTTP;
	if (only_with(a, 'u', !bgp, "to -p http", err, len) == -1 ||
	    only_with(a, 'b', bgp, "to -p bgp", err, len) == -1)
		return -1;
	if (bgp)
		t->bgp_asn = cmd_optu(a, 'b', 1);
	else if (u != NULL) {
		if (tbit_app_url(t, u->s, &port, err, len) == -1)
			return -1;
	} else if ((t->http_file = strdup("/")) == NULL)
		return cmd_err(err, len, "out of memory");
	if (port == 0)
		port = bgp ? 179 : 80;
	t->dport = (uint16_t)cmd_optu(a, 'd', port);
	return 0;
}

/* -o: a signed offset within 32 bits. */
static int
tbit_offset(const char *v, int32_t *off, char *err, size_t len)
{
	char *end;
	long long n;

	errno = 0;
	n = strtoll(v, &end, 10);
	if (*v == '\0' || *end != '\0' || errno != 0 || n < INT32_MIN ||
	    n > INT32_MAX)
		return cmd_err(err, len, "-o: invalid value '%s' (expected a "
		    "signed 32-bit offset)", v);
	*off = (int32_t)n;
	return 0;
}

/* The type's own options and defaults. */
static int
tbit_type_opts(struct tbit_state *s, const struct cmd_args *a, char *err,
    size_t len)
{
	struct scamper_tbit *t = s->t;
	int pmtud = t->type == SCAMPER_TBIT_TYPE_PMTUD;
	int abc = t->type == SCAMPER_TBIT_TYPE_ABC;
	const struct cmd_optval *v;

	if (only_with(a, 'M', pmtud, "to -t pmtud", err, len) == -1 ||
	    only_with(a, 'P', pmtud, "to -t pmtud", err, len) == -1 ||
	    only_with(a, 'o', is_blind(t->type), "to the blind-* types",
	    err, len) == -1 ||
	    only_with(a, 'a', abc, "to -t abc", err, len) == -1 ||
	    only_with(a, 'i', abc, "to -t abc", err, len) == -1 ||
	    only_with(a, 'L', abc, "to -t abc", err, len) == -1)
		return -1;
	if (cmd_has_word(a, 'O', O_BLACKHOLE) && !pmtud)
		return cmd_err(err, len, "-O blackhole: only applies to -t "
		    "pmtud");
	if (pmtud) {
		t->pmtud_mtu = (uint16_t)cmd_optu(a, 'M', 1280);
		if (s->af == AF_INET6 && t->pmtud_mtu < 1280)
			return cmd_err(err, len, "-M: invalid value '%u' (IPv6 "
			    "needs at least 1280)", t->pmtud_mtu);
		if (cmd_has_word(a, 'O', O_BLACKHOLE))
			t->pmtud_options |= 0x01;
		else
			t->pmtud_ptb_retx = 4;
	}
	if (is_blind(t->type)) {
		t->blind_off = (t->type == SCAMPER_TBIT_TYPE_BLIND_RST ||
		    t->type == SCAMPER_TBIT_TYPE_BLIND_SYN) ? 10 : -70000;
		t->blind_retx = 3;
		if ((v = cmd_opt(a, 'o')) != NULL &&
		    tbit_offset(v->s, &t->blind_off, err, len) == -1)
			return -1;
	}
	if (abc) {
		s->abc_icw = cmd_optu(a, 'i', 3);
		s->abc_acks = cmd_optu(a, 'a', 2);
		s->abc_limit = cmd_optu(a, 'L', 2);
	}
	return 0;
}

/* -O's TCP and IP options, -f, -w. */
static int
tbit_tcpopts(struct tbit_state *s, const struct cmd_args *a, char *err,
    size_t len)
{
	struct scamper_tbit *t = s->t;
	const struct cmd_optval *f = cmd_opt(a, 'f');
	int nip = cmd_has_word(a, 'O', O_IPTS) + cmd_has_word(a, 'O', O_IPRR) +
	    cmd_has_word(a, 'O', O_IPQS);
	int fo = cmd_has_word(a, 'O', O_FO) || f != NULL;
	int foexp = cmd_has_word(a, 'O', O_FOEXP);

	if (cmd_has_word(a, 'O', O_TCPTS)) {
		t->options |= SCAMPER_TBIT_OPT_TCPTS;
		s->c.offer |= TCPCONN_O_TS;
	}
	if (cmd_has_word(a, 'O', O_SACK) ||
	    t->type == SCAMPER_TBIT_TYPE_SACK_RCVR) {
		t->options |= SCAMPER_TBIT_OPT_SACK;
		s->c.offer |= TCPCONN_O_SACK;
	}
	if ((nip > 0 || fo || foexp) && t->type != SCAMPER_TBIT_TYPE_NULL)
		return cmd_err(err, len, "-O %s: only applies to -t null",
		    nip > 0 ? "ipts-syn/iprr-syn/ipqs-syn" : "fo/fo-exp");
	if (nip > 1)
		return cmd_err(err, len, "-O ipts-syn, iprr-syn, ipqs-syn: "
		    "choose one (each needs the IP option space)");
	if (nip > 0 && s->af != AF_INET)
		return cmd_err(err, len, "-O ipts-syn/iprr-syn/ipqs-syn: IP "
		    "options are IPv4 only");
	if (fo && foexp)
		return cmd_err(err, len, "-O fo: conflicts with -O fo-exp");
	if (cmd_has_word(a, 'O', O_IPTS)) {
		t->null_options |= 0x02;
		s->ipoptlen = pkt_ipopt_ts(s->ipopts, sizeof(s->ipopts),
		    PKT_TS_TSONLY, NULL, 0);
	} else if (cmd_has_word(a, 'O', O_IPRR)) {
		t->null_options |= 0x04;
		s->ipoptlen = pkt_ipopt_rr(s->ipopts, sizeof(s->ipopts));
	} else if (cmd_has_word(a, 'O', O_IPQS)) {
		/* quick-start request (RFC 4782): rate 1, QS TTL, nonce */
		t->null_options |= 0x08;
		s->ipopts[0] = 25;
		s->ipopts[1] = 8;
		s->ipopts[2] = 0x01;
		s->ipopts[3] = (uint8_t)task_random(s->task);
		memset(s->ipopts + 4, 0, 4);
		s->ipoptlen = 8;
	}
	if (fo) {
		t->null_options |= 0x20;
		s->c.offer |= TCPCONN_O_FO;
	} else if (foexp) {
		t->null_options |= 0x40;
		s->c.offer |= TCPCONN_O_FOEXP;
	}
	if (f != NULL) {
		t->fo_cookielen = (uint8_t)cmd_hex(f->s, t->fo_cookie,
		    sizeof(t->fo_cookie));
		if (t->fo_cookielen < 4)
			return cmd_err(err, len, "-f: a fast-open cookie has 4 "
			    "to 16 bytes");
		memcpy(s->c.fo_cookie, t->fo_cookie, t->fo_cookielen);
		s->c.fo_len = t->fo_cookielen;
	}
	if (cmd_opt(a, 'w') != NULL) {
		t->wscale = (uint8_t)cmd_optu(a, 'w', 0);
		s->c.wscale = t->wscale;
		s->c.offer |= TCPCONN_O_WSCALE;
	}
	return 0;
}

static int
tbit_init(struct task *task, void *state, const struct cmd_args *a,
    char *err, size_t len)
{
	struct tbit_state *s = state;
	struct scamper_tbit *t;

	s->task = task;
	if (task_fw_needed(task, "tbit", err, len) == -1)
		return -1;
	if ((s->t = t = scamper_tbit_alloc()) == NULL)
		return cmd_err(err, len, "out of memory");
	task_result(task, SCAMPER_FILE_OBJ_TBIT, t);
	t->type = (uint8_t)(cmd_optu(a, 't', 2) + 1);
	t->userid = cmd_optu(a, 'U', 0);
	t->ttl = (uint8_t)cmd_optu(a, 'T', 255);
	t->client_mss = (uint16_t)cmd_optu(a, 'm', 0);
	s->attempts = (uint8_t)cmd_optu(a, 'q', 3);
	s->want_sport = (uint16_t)cmd_optu(a, 's', 0);
	s->ops = tbit_ops_of(t->type);
	if (tbit_target(s, a, err, len) == -1 ||
	    tbit_app(s, a, err, len) == -1 ||
	    tbit_type_opts(s, a, err, len) == -1 ||
	    tbit_tcpopts(s, a, err, len) == -1)
		return -1;
	if (s->ops == NULL)
		return cmd_err(err, len, "-t %s: not implemented yet",
		    scamper_tbit_type_tostr(t->type));
	return 0;
}

const struct method method_tbit = {
	.name = "tbit",
	METHOD_CALLS(tbit),
	.free_state = tbit_state_clear,
	.reply = tbit_reply,
	.sent = tbit_sent,
	.refused = tbit_refused,
};
