/*
 * m_neighbourdisc.c: neighbourdisc, the hardware address of a neighbour
 * by ARP (IPv4) or Neighbour Solicitation (IPv6) on a named interface,
 * as scamper's neighbourdisc command: its options, their checks and
 * defaults (as scamper 20211212 has them), and the method descriptor.
 *
 *   -i IF      the interface (required; an Ethernet)
 *   -q N       attempts, 1 to 65535 (default 1)
 *   -w MS      milliseconds after each probe, 100 to 65535 (default 1000)
 *   -o N       replies wanted, 0 to 65535 (default 0: one)
 *   -F         stop at the first reply (with -o at most 1)
 *   -Q         send every attempt, unless -o replies came first (-o then
 *              0 or at least -q)
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "method.h"
#include "nd_int.h"
#include "scamper_file.h"
#include "scamper_list.h"

static const struct cmd_optspec nd_opts[] = {
	{ 'F', CMD_FLAG, 0, 0, NULL, 0 },
	{ 'i', CMD_STR, 0, 0, NULL, 0 },
	{ 'o', CMD_UINT, 0, 65535, NULL, 0 },
	{ 'q', CMD_UINT, 1, 65535, NULL, 0 },
	{ 'Q', CMD_FLAG, 0, 0, NULL, 0 },
	{ 'w', CMD_UINT, 100, 65535, NULL, 0 },
};

/* -F, -Q and -o together, as 20211212 allows them. */
static int
nd_flags(struct scamper_neighbourdisc *nd, const struct cmd_args *a,
    char *err, size_t len)
{
	if (cmd_opt(a, 'F') != NULL && cmd_opt(a, 'Q') != NULL)
		return cmd_err(err, len, "-F and -Q cannot be combined (the "
		    "first reply or every attempt)");
	if (cmd_opt(a, 'F') != NULL) {
		if (nd->replyc > 1)
			return cmd_err(err, len, "-o %u: -F stops at the first "
			    "reply", nd->replyc);
		nd->flags |= SCAMPER_NEIGHBOURDISC_FLAG_FIRSTRESPONSE;
	}
	if (cmd_opt(a, 'Q') != NULL) {
		if (nd->replyc != 0 && nd->replyc < nd->attempts)
			return cmd_err(err, len, "-o %u: with -Q it must be 0 or "
			    "at least -q %u", nd->replyc, nd->attempts);
		nd->flags |= SCAMPER_NEIGHBOURDISC_FLAG_ALLATTEMPTS;
	}
	return 0;
}

/* The interface of -i: it must exist and be an Ethernet. */
static int
nd_iface(struct nd_state *s, const struct cmd_args *a, char *err,
    size_t len)
{
	const struct cmd_optval *v = cmd_opt(a, 'i');
	struct task_iface ifc;

	if (v == NULL)
		return cmd_err(err, len, "-i: the interface is required");
	if (task_iface_byname(s->task, v->s, &ifc) == -1)
		return cmd_err(err, len, "-i %s: no such interface", v->s);
	if (!ifc.ether)
		return cmd_err(err, len, "-i %s: not an Ethernet (ARP and "
		    "neighbour discovery need one)", v->s);
	if ((s->nd->ifname = strdup(ifc.name)) == NULL)
		return cmd_err(err, len, "out of memory");
	s->ifindex = ifc.ifindex;
	memcpy(s->mac, ifc.mac, sizeof(s->mac));
	return 0;
}

/* Our address on the interface: the one the kernel would use towards
 * the target if it is there, else one on the target's prefix, else a
 * global one. */
static int
nd_source(struct nd_state *s, char *err, size_t len)
{
	struct task_iface ifc;
	uint8_t src[16];

	if (task_route_src(s->task, s->af, s->dst, src) == 0 &&
	    task_iface_byaddr(s->task, s->af, src, &ifc) == 0 &&
	    ifc.ifindex == s->ifindex)
		memcpy(s->src, src, 16);
	else if (task_iface_addr(s->task, s->ifindex, s->af, s->dst,
	    s->src) == -1)
		return cmd_err(err, len, "-i %s: the interface has no %s "
		    "address", s->nd->ifname, s->af == AF_INET ? "IPv4" :
		    "IPv6");
	return 0;
}

static int
nd_target(struct nd_state *s, const struct cmd_args *a, char *err,
    size_t len)
{
	struct scamper_neighbourdisc *nd = s->nd;
	int at;

	if ((s->af = cmd_target(a, s->dst, err, len)) == 0 ||
	    nd_iface(s, a, err, len) == -1 || nd_source(s, err, len) == -1)
		return -1;
	at = task_addr_type(s->af);
	nd->method = s->af == AF_INET ? SCAMPER_NEIGHBOURDISC_METHOD_ARP :
	    SCAMPER_NEIGHBOURDISC_METHOD_NSOL;
	scamper_addr_set(&nd->dst_ip, at, s->dst);
	scamper_addr_set(&nd->src_ip, at, s->src);
	scamper_addr_set(&nd->src_mac, SCAMPER_ADDR_ETHERNET, s->mac);
	return 0;
}

static int
nd_init(struct task *task, void *state, const struct cmd_args *a,
    char *err, size_t len)
{
	struct nd_state *s = state;
	struct scamper_neighbourdisc *nd;

	s->task = task;
	if ((s->nd = nd = scamper_neighbourdisc_alloc()) == NULL)
		return cmd_err(err, len, "out of memory");
	task_result(task, SCAMPER_FILE_OBJ_NEIGHBOURDISC, nd);
	nd->attempts = (uint16_t)cmd_optu(a, 'q', 1);
	nd->wait = (uint16_t)cmd_optu(a, 'w', 1000);
	nd->replyc = (uint16_t)cmd_optu(a, 'o', 0);
	if (nd_flags(nd, a, err, len) == -1 ||
	    nd_target(s, a, err, len) == -1)
		return -1;
	task_list_cycle(task, &nd->list, &nd->cycle);
	return 0;
}

const struct method method_neighbourdisc = {
	.name = "neighbourdisc",
	METHOD_CALLS(nd),
	.sent = nd_sent,
	.refused = nd_refused,
};
