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
#define HELPER_MAXCLIENTS	64	/* service: connections in all */
#define HELPER_MAXPERUID	8	/* service: connections of one user */
#define HELPER_HELLO_SECS	10	/* service: HELLO within this */

struct helper_conf {
	int		 child;		/* 1: one client on PRIV_CHILD_FD */
	const char	*sock_path;	/* service: where to listen */
	const char	*group;		/* service: who may connect */
	const char	*user;		/* started as root: run as this user
					 * (NULL: the build's unpriv_user) */
	int		 hello_secs;	/* service: HELLO deadline (0: the
					 * default) */
};

/* Run the helper as CONF says until its only client leaves (child mode)
 * or SIGTERM/SIGINT/SIGHUP (service mode).  Service mode is refused
 * unless root (or systemd) started us.  Before the first request the
 * helper becomes CONF->user (if root) with CAP_NET_RAW and CAP_NET_ADMIN
 * only, under its system-call filter.  Every firewall rule it installed
 * goes when it returns or exits, or dies.  Returns the exit status; an
 * IPC violation in child mode is fatal. */
int helper_run(const struct helper_conf *conf);

#endif
