/*
 * m_sniff.c: sniff, the capture of the packets that belong to an ICMP
 * echo conversation, as scamper's sniff command: its options, their
 * checks and defaults (as scamper 20211212 has them), and the method
 * descriptor.
 *
 *   -S ADDR    packets arrive with (or leave from) this address of ours,
 *              whose interface is listened on (required; scamper(1)
 *              writes it -s, 20211212 accepts -S: both are taken)
 *   -c N       stop after N packets, 1 to 5000 (default 100)
 *   -G S       stop after S seconds, 1 to 1200 (default 60)
 *   -U N       a number recorded with the result
 *   icmp[icmpid] == X    the expression
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "method.h"
#include "scamper_file.h"
#include "scamper_list.h"
#include "sniff_int.h"

static const struct cmd_optspec sniff_opts[] = {
	{ 'c', CMD_UINT, 1, 5000, NULL, 0 },
	{ 'G', CMD_UINT, 1, 1200, NULL, 0 },
	{ 's', CMD_ADDR, 0, 0, NULL, 0 },
	{ 'S', CMD_ADDR, 0, 0, NULL, 0 },
	{ 'U', CMD_UINT, 0, UINT32_MAX, NULL, 0 },
};

void
sniff_state_clear(void *state)
{
	struct sniff_state *s = state;

	free(s->expr);
}

/* -S (or -s): an address of ours, whose interface we listen on. */
static int
sniff_addr(struct sniff_state *s, const struct cmd_args *a, char *err,
    size_t len)
{
	const struct cmd_optval *lo = cmd_opt(a, 's'), *up = cmd_opt(a, 'S');
	const struct cmd_optval *v = up != NULL ? up : lo;
	struct task_iface ifc;

	if (lo != NULL && up != NULL)
		return cmd_err(err, len, "-s and -S are the same option; give "
		    "it once");
	if (v == NULL)
		return cmd_err(err, len, "-S: the address packets arrive with "
		    "is required");
	if (task_iface_byaddr(s->task, v->af, v->addr, &ifc) == -1)
		return cmd_err(err, len, "-S %s: not an address of any "
		    "interface of this host", v->s);
	s->af = v->af;
	memcpy(s->addr, v->addr, 16);
	s->ifindex = ifc.ifindex;
	snprintf(s->ifname, sizeof(s->ifname), "%s", ifc.name);
	scamper_addr_set(&s->sn->src, task_addr_type(v->af), v->addr);
	return 0;
}

static int
sniff_init(struct task *task, void *state, const struct cmd_args *a,
    char *err, size_t len)
{
	struct sniff_state *s = state;
	struct scamper_sniff *sn;

	s->task = task;
	if ((s->sn = sn = scamper_sniff_alloc()) == NULL)
		return cmd_err(err, len, "out of memory");
	task_result(task, SCAMPER_FILE_OBJ_SNIFF, sn);
	sn->limit_pktc = cmd_optu(a, 'c', 100);
	sn->limit_time = (uint16_t)cmd_optu(a, 'G', 60);
	sn->userid = cmd_optu(a, 'U', 0);
	if (sniff_expr_parse(a->noperands, a->operands, &sn->icmpid, err,
	    len) == -1 || sniff_addr(s, a, err, len) == -1)
		return -1;
	if ((s->expr = sniff_expr_filter(s->af, s->addr, sn->icmpid)) ==
	    NULL)
		return cmd_err(err, len, "out of memory");
	task_list_cycle(task, &sn->list, &sn->cycle);
	return 0;
}

const struct method method_sniff = {
	.name = "sniff",
	METHOD_CALLS(sniff),
	.free_state = sniff_state_clear,
	.refused = sniff_refused,
};
