/*
 * fuzz_rd.h: the sc_remoted state the remoted fuzz targets start from.
 * Static: a target includes it once, after rd_vp.c.
 */
#ifndef TESTS_REMOTE_FUZZ_RD_H
#define TESTS_REMOTE_FUZZ_RD_H

#include <stdlib.h>

/* RD on CONF as sc_remoted starts: vantage points' sockets in DIR and
 * the multiplexed socket at MUX (either NULL: none), zombies kept 15
 * minutes, a poll loop, no vantage points or connections, and no
 * messages on stderr. */
static void
fuzz_rd_init(struct rd *rd, struct rd_conf *conf, char *dir, char *mux)
{
	conf->dir = dir;
	conf->mux = mux;
	conf->zombie_s = 900;
	rd->c = conf;
	if ((rd->l = loop_new(LOOP_POLL)) == NULL)
		abort();
	TAILQ_INIT(&rd->vps);
	TAILQ_INIT(&rd->conns);
	log_stderr_off();
}

#endif
