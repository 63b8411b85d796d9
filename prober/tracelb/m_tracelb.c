/*
 * m_tracelb.c: MDA traceroute (scamper's tracelb command): every
 * per-flow load-balanced path to a target, IPv4 and IPv6, probing with
 * UDP (the destination or the source port varied), ICMP echo (the
 * checksum varied) or TCP SYN/ACK (the source port varied).  The
 * options and the result's header are here; the algorithm is mda.c,
 * the probing lb_run.c.
 *
 * Beyond 20211212: -c also takes a confidence with decimals (99.9999:
 * each node's next hops are looked for until one more would have shown
 * with that probability); -W takes 0 to 200; -O time-limit=SECONDS ends
 * a trace that runs longer (written with what it found).
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "lb_int.h"
#include "mda.h"
#include "method.h"
#include "scamper_file.h"
#include "scamper_tracelb.h"
#include "task.h"

static const char *const lb_methods[] = { "udp-dport", "icmp-echo",
    "udp-sport", "tcp-sport", "tcp-ack-sport", NULL };

static const struct cmd_optspec lb_opts[] = {
	{ 'c', CMD_STR, 0, 0, NULL, 0 },
	{ 'd', CMD_UINT, 0, 65535, NULL, 0 },
	{ 'f', CMD_UINT, 1, 254, NULL, 0 },
	{ 'g', CMD_UINT, 1, 5, NULL, 0 },
	{ 'O', CMD_STR, 0, 0, NULL, 1 },
	{ 'P', CMD_WORD, 0, 0, lb_methods, 0 },
	{ 'q', CMD_UINT, 1, 5, NULL, 0 },
	{ 'Q', CMD_UINT, 50, 65535, NULL, 0 },
	{ 's', CMD_UINT, 0, 65535, NULL, 0 },
	{ 't', CMD_UINT, 0, 255, NULL, 0 },
	{ 'U', CMD_UINT, 0, UINT32_MAX, NULL, 0 },
	{ 'w', CMD_UINT, 1, 10, NULL, 0 },
	{ 'W', CMD_UINT, 0, 200, NULL, 0 },
};

/* -c: 95 or 99 as 20211212, or any confidence from 50 to below 100
 * with up to 12 decimals.  Sets the result's byte (its whole percent,
 * as a record holds) and S->alpha. */
static int
lb_confidence(struct lb_state *s, const char *v, char *err, size_t len)
{
	double x = 0, scale = 1;
	const char *p = v;
	int whole = 0, frac = 0;

	for (; *p >= '0' && *p <= '9' && whole < 3; p++, whole++)
		x = x * 10 + (*p - '0');
	if (*p == '.' && whole > 0)
		for (p++; *p >= '0' && *p <= '9' && frac < 12; p++, frac++) {
			scale /= 10;
			x += (*p - '0') * scale;
		}
	if (whole == 0 || *p != '\0' || (frac == 0 && p[-1] == '.') ||
	    x < 50 || x >= 100)
		return cmd_err(err, len, "-c: invalid confidence '%s' (95 or "
		    "99, or 50 to below 100 with up to 12 decimals)", v);
	s->t->confidence = (uint8_t)x;
	s->alpha = (100 - x) / 100;
	return 0;
}

static int
lb_oopts(struct lb_state *s, const struct cmd_args *a, char *err, size_t len)
{
	for (int i = 0; i < a->nv; i++) {
		const char *w = a->v[i].s;
		char *end;
		unsigned long n;

		if (a->v[i].opt != 'O')
			continue;
		if (strcmp(w, "ptr") == 0) {
			if (s->names == NULL && lb_ptr_setup(s, err, len) != 0)
				return -1;
			continue;
		}
		if (strncmp(w, "time-limit=", 11) == 0) {
			errno = 0;
			n = strtoul(w + 11, &end, 10);
			if (w[11] < '0' || w[11] > '9' || *end != '\0' ||
			    errno != 0 || n < 1 || n > 86400)
				return cmd_err(err, len, "-O %s: invalid time "
				    "limit (1 to 86400 seconds)", w);
			s->time_limit = (uint32_t)n;
			continue;
		}
		return cmd_err(err, len, "-O: unknown option '%s' (ptr, "
		    "time-limit=SECONDS)", w);
	}
	return 0;
}

/* Flow identifiers the method has from the bases: ports up to 65535,
 * checksums 1 to 65535. */
static uint32_t
lb_flows_max(const struct lb_state *s)
{
	switch (s->method) {
	case LB_UDP_DPORT:
		return 65536u - s->t->dport;
	case LB_ICMP_ECHO:
		return 65535u;
	default:
		return 65536u - s->t->sport;
	}
}

static int
lb_init(struct task *task, void *state, const struct cmd_args *a, char *err,
    size_t len)
{
	struct lb_state *s = state;
	struct scamper_tracelb *t;
	const struct cmd_optval *c;

	s->task = task;
	if ((s->t = t = scamper_tracelb_alloc()) == NULL)
		return cmd_err(err, len, "out of memory");
	task_result(task, SCAMPER_FILE_OBJ_TRACELB, t);
	s->method = (enum lb_method)cmd_optu(a, 'P', LB_UDP_DPORT);
	t->type = (uint8_t)(s->method + 1);	/* SCAMPER_TRACELB_TYPE_* */
	t->confidence = 95;
	s->alpha = 0.05;
	t->dport = (uint16_t)cmd_optu(a, 'd', 33435);
	t->sport = (uint16_t)cmd_optu(a, 's', task_default_sport(task));
	t->firsthop = (uint8_t)cmd_optu(a, 'f', 1);
	t->gaplimit = (uint8_t)cmd_optu(a, 'g', 3);
	t->attempts = (uint8_t)cmd_optu(a, 'q', 2);
	t->probec_max = cmd_optu(a, 'Q', 3000);
	t->tos = (uint8_t)cmd_optu(a, 't', 0);
	t->userid = cmd_optu(a, 'U', 0);
	t->wait_timeout = (uint8_t)cmd_optu(a, 'w', 5);
	t->wait_probe = (uint8_t)cmd_optu(a, 'W', 25);
	if ((s->af = (uint8_t)cmd_target(a, t->dst.addr, err, len)) == 0 ||
	    ((c = cmd_opt(a, 'c')) != NULL &&
	    lb_confidence(s, c->s, err, len) == -1) ||
	    lb_oopts(s, a, err, len) == -1)
		return -1;
	s->flows_max = lb_flows_max(s);	/* at least 1 */
	return 0;
}

const struct method method_tracelb = {
	.name = "tracelb",
	METHOD_CALLS(lb),
	.free_state = lb_state_clear,
	.reply = lb_reply,
	.sent = lb_sent,
	.refused = lb_refused,
};
