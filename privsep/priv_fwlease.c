/*
 * priv_fwlease.c: firewall rules held by a measurement (priv_fwlease.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "priv_fwlease.h"

struct priv_fwlease {
	struct priv_client	*pc;
	priv_fwlease_cb		*cb;
	void			*arg;
	uint32_t		 rule_id;	/* 0 until the helper said */
	int			 answered;	/* the helper has answered */
	int			 released;	/* the owner let go */
};

static void
del_done(void *arg, int err, int fd, uint32_t value)
{
	(void)arg;
	(void)fd;
	(void)value;
	if (err != 0 && err != EPIPE)
		log_warnx("firewall rule removal: %s", strerror(err));
}

/* Remove L's rule (if any) and free L. */
static void
lease_end(struct priv_fwlease *l)
{
	if (l->rule_id != 0 &&
	    priv_fw_del(l->pc, l->rule_id, del_done, NULL) == -1)
		log_warn("firewall rule %u stays until scamper exits",
		    l->rule_id);
	free(l);
}

static void
add_done(void *arg, int err, uint32_t rule_id, uint16_t lport)
{
	struct priv_fwlease *l = arg;

	l->answered = 1;
	l->rule_id = err == 0 ? rule_id : 0;
	if (l->released) {
		lease_end(l);
		return;
	}
	l->cb(l->arg, err, lport);
}

struct priv_fwlease *
priv_fwlease_new(struct priv_client *pc, const struct priv_fw_rule *r,
    priv_fwlease_cb *cb, void *arg)
{
	struct priv_fwlease *l = calloc(1, sizeof(*l));
	int e;

	if (l == NULL)
		return NULL;
	l->pc = pc;
	l->cb = cb;
	l->arg = arg;
	if (priv_fw_add(pc, r, add_done, l) == -1) {
		e = errno;
		free(l);
		errno = e;
		return NULL;
	}
	return l;
}

void
priv_fwlease_release(struct priv_fwlease *l)
{
	if (l == NULL)
		return;
	if (!l->answered) {
		l->released = 1;	/* add_done ends it */
		return;
	}
	lease_end(l);
}
