/*
 * m_sting.c: sting (one-way loss with TCP, Savage 1999), as scamper's
 * sting command: -c samples (48), -d port (80), -f distribution
 * (uniform; the others are not implemented, as in 20211212), -H the
 * initial hole in bytes (3), -i the pause between the phases in ms
 * (2000), -m the mean time between samples in ms (100), -s our port
 * (else the helper picks one).  -h (the request) is not implemented,
 * as in 20211212.  Like tbit it needs the firewall (-F).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "method.h"
#include "scamper_file.h"
#include "scamper_sting.h"
#include "sting_int.h"
#include "task.h"

static const char *const sting_dists[] = { "uniform", "exponential",
    "periodic", NULL };

static const struct cmd_optspec sting_opts[] = {
	{ 'c', CMD_UINT, 1, 65000, NULL, 0 },
	{ 'd', CMD_UINT, 1, 65535, NULL, 0 },
	{ 'f', CMD_WORD, 0, 0, sting_dists, 0 },
	{ 'h', CMD_STR, 0, 0, NULL, 0 },
	{ 'H', CMD_UINT, 1, 255, NULL, 0 },
	{ 'i', CMD_UINT, 1, 65535, NULL, 0 },
	{ 'm', CMD_UINT, 1, 65535, NULL, 0 },
	{ 's', CMD_UINT, 1024, 65535, NULL, 0 },
	{ 'U', CMD_UINT, 0, UINT32_MAX, NULL, 0 },
};

/* The request: an HTTP GET, repeated to the length the hole and the
 * samples need (one byte per sample). */
static int
sting_request(struct scamper_sting *s, char *err, size_t len)
{
	static const char req[] = "GET / HTTP/1.0\r\n";
	size_t n = (size_t)s->seqskip + s->count;

	if (n > 65535)
		return cmd_err(err, len, "-c %u with -H %u: more than 65535 "
		    "bytes of request", s->count, s->seqskip);
	if ((s->data = malloc(n)) == NULL)
		return cmd_err(err, len, "out of memory");
	for (size_t i = 0; i < n; i++)
		s->data[i] = (uint8_t)req[i % (sizeof(req) - 1)];
	s->datalen = (uint16_t)n;
	return 0;
}

static int
sting_init(struct task *task, void *state, const struct cmd_args *a,
    char *err, size_t len)
{
	struct sting_state *st = state;
	struct scamper_sting *s;

	st->task = task;
	if (task_fw_needed(task, "sting", err, len) == -1)
		return -1;
	if (cmd_opt(a, 'h') != NULL)
		return cmd_err(err, len, "-h: not implemented");
	if (cmd_optu(a, 'f', 0) != 0)
		return cmd_err(err, len, "-f %s: not implemented (only uniform)",
		    sting_dists[cmd_optu(a, 'f', 0)]);
	if ((st->s = s = scamper_sting_alloc()) == NULL)
		return cmd_err(err, len, "out of memory");
	task_result(task, SCAMPER_FILE_OBJ_STING, s);
	if ((st->af = cmd_target(a, st->dst, err, len)) == 0)
		return -1;
	s->userid = cmd_optu(a, 'U', 0);
	s->dport = (uint16_t)cmd_optu(a, 'd', 80);
	s->count = (uint16_t)cmd_optu(a, 'c', 48);
	s->mean = (uint16_t)cmd_optu(a, 'm', 100);
	s->inter = (uint16_t)cmd_optu(a, 'i', 2000);
	s->dist = SCAMPER_STING_DISTRIBUTION_UNIFORM;
	s->seqskip = (uint8_t)cmd_optu(a, 'H', 3);
	s->synretx = STING_SYN_RETX;
	s->dataretx = STING_DATA_RETX;
	st->want_sport = (uint16_t)cmd_optu(a, 's', 0);
	if (sting_request(s, err, len) == -1)
		return -1;
	if ((st->txidx = calloc(s->count, sizeof(*st->txidx))) == NULL)
		return cmd_err(err, len, "out of memory");
	return 0;
}

const struct method method_sting = {
	.name = "sting",
	METHOD_CALLS(sting),
	.free_state = sting_state_clear,
	.reply = sting_reply,
	.sent = sting_sent,
	.refused = sting_refused,
};
