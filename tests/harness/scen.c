/*
 * scen.c: helpers the harness scenarios share (see scen.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "scamper_addr.h"
#include "scamper_trace.h"
#include "scen.h"

struct harness *
scen_new(const char *topo)
{
	char err[512];
	struct harness *h = harness_new(topo, err, sizeof(err));

	ck_assert_msg(h != NULL, "topology: %s", err);
	return h;
}

int
scen_cmd(struct harness *h, const char *cmd)
{
	int i = harness_command(h, cmd);

	ck_assert_msg(i >= 0, "'%s' refused: %s", cmd, harness_error(h));
	return i;
}

void
scen_run(struct harness *h, int limit_s)
{
	ck_assert_msg(harness_run(h, (int64_t)limit_s * HARNESS_S) == 0,
	    "run: %s", harness_error(h));
}

const struct scamper_trace *
scen_trace(struct harness *h, int i)
{
	const struct scamper_trace *t = harness_trace(h, i);

	ck_assert_msg(t != NULL, "result %d is not a trace (%d results)", i,
	    harness_nresults(h));
	return t;
}

const char *
scen_hop(const struct scamper_trace *t, int ttl, char *buf, size_t len)
{
	buf[0] = '\0';
	for (uint16_t i = 0; i < t->hops.hopc; i++)
		if (t->hops.hops[i].probe_ttl == ttl) {
			scamper_addr_tostr(&t->hops.hops[i].addr, buf, len);
			break;
		}
	return buf;
}

int
scen_hopc(const struct scamper_trace *t, int ttl)
{
	int n = 0;

	for (uint16_t i = 0; i < t->hops.hopc; i++)
		n += t->hops.hops[i].probe_ttl == ttl;
	return n;
}

const char *
scen_path(const struct scamper_trace *t, char *buf, size_t len)
{
	char a[64];
	size_t off = 0;

	buf[0] = '\0';
	for (int ttl = 1; ttl <= t->hop_count && off < len; ttl++) {
		scen_hop(t, ttl, a, sizeof(a));
		off += (size_t)snprintf(buf + off, len - off, "%s%d:%s",
		    ttl > 1 ? " " : "", ttl, a[0] != '\0' ? a : "*");
	}
	return buf;
}

int
scen_refuse(void *arg, const uint8_t *pkt, size_t len, uint32_t no)
{
	const uint32_t *nth = arg;

	(void)pkt;
	(void)len;
	return nth == NULL || *nth == no ? EPERM : 0;
}
