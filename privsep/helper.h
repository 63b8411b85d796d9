/*
 * helper.h: the scamper-helper core: the request table, its dispatch,
 * the clients and the event loop.  helper_main.c only parses arguments.
 */
#ifndef PRIVSEP_HELPER_H
#define PRIVSEP_HELPER_H

#ifdef PRIV_SOCK_PATH
#define HELPER_SOCK_PATH	PRIV_SOCK_PATH
#else
#define HELPER_SOCK_PATH	"/run/scamper/helper.sock"
#endif
#define HELPER_GROUP		"scamper"
#define HELPER_MAXCLIENTS	64

struct helper_conf {
	int		 child;		/* 1: one client on PRIV_CHILD_FD */
	const char	*sock_path;	/* service: where to listen */
	const char	*group;		/* service: who may connect */
};

/* Run the helper as CONF says until its only client leaves (child mode)
 * or SIGTERM/SIGINT/SIGHUP (service mode).  Every firewall rule it
 * installed is removed before it returns or exits.  Returns the exit
 * status; an IPC violation in child mode is fatal. */
int helper_run(const struct helper_conf *conf);

#endif
