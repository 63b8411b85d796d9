/*
 * ctl_counters.c: the control socket's "counters" command: the prober's
 * counters since it started, one INFO line each, for monitoring (the
 * Python package's exporter turns them into Prometheus text).
 *
 *	INFO counter NAME VALUE		only ever grows
 *	INFO gauge NAME VALUE		goes up and down
 *	OK
 *
 * NAME is letters, digits and '_', with ".TECHNIQUE" where the counter
 * is kept per technique (probes_sent.trace).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>

#include "ctl_int.h"
#include "method.h"
#include "netio.h"
#include "output.h"

static void
put(struct ctl_client *cl, const char *kind, const char *name, uint64_t v)
{
	ctl_printf(cl, "INFO %s %s %llu", kind, name, (unsigned long long)v);
}

/* "counters": the lines above; no arguments. */
void
ctl_cmd_counters(struct ctl_client *cl, char **argv, int argc)
{
	const struct core *c = cl->ctl->core;
	const struct core_stats *st = core_stats(c);
	const struct netio_stats *ns = core_netio_stats(c);
	const struct method *const *m = core_methods(c);
	char name[64];

	(void)argv;
	if (argc != 1) {
		ctl_printf(cl, "ERR usage: counters");
		return;
	}
	for (size_t i = 0; m[i] != NULL && i < CORE_NMETHODS; i++) {
		snprintf(name, sizeof(name), "probes_sent.%s", m[i]->name);
		put(cl, "counter", name, st->probes_by_method[i]);
	}
	put(cl, "counter", "packets_sent", ns->sent);
	put(cl, "counter", "send_errors", ns->send_errors);
	put(cl, "counter", "send_waits", ns->send_waits);
	put(cl, "counter", "replies_received", ns->received);
	put(cl, "counter", "replies_matched", st->matched);
	put(cl, "counter", "replies_unmatched", st->unmatched);
	put(cl, "counter", "replies_malformed", ns->malformed);
	put(cl, "counter", "tasks_started", st->tasks_started);
	put(cl, "counter", "tasks_done", st->tasks_done);
	put(cl, "gauge", "tasks_running", core_running(c));
	put(cl, "gauge", "tasks_queued", core_queued(c));
	put(cl, "counter", "commands_refused", st->bad_commands);
	put(cl, "counter", "results_written", st->results);
	put(cl, "counter", "output_bytes", output_bytes_all());
	put(cl, "counter", "send_time.kernel", st->tx_kernel);
	put(cl, "counter", "send_time.before_send", st->tx_before);
	put(cl, "counter", "send_time.datalink", st->tx_dl);
	put(cl, "counter", "kernel_stamps_unused", st->tx_unused);
	put(cl, "counter", "kernel_stamps_stray", ns->tx_stray);
	put(cl, "counter", "replies_without_kernel_time", ns->rx_nostamp);
	put(cl, "counter", "rtt_negative", st->rtt_negative);
	ctl_printf(cl, "OK");
}
