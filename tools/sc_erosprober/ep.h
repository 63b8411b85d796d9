/*
 * ep.h: sc_erosprober's parts: its options and address set
 * (ep_opts.c), its control socket (ep_ctl.c) and the run
 * (sc_erosprober.c).
 */
#ifndef TOOLS_EP_H
#define TOOLS_EP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "drvutil.h"

struct ep_opts {
	const char	*addrfile, *command, *outfile, *logfile;
	struct drv_sock	 sock;
	const char	*ctlpath;
	unsigned	 interval, rotation;	/* seconds */
	int		 noshuffle, nooutfile;
};

/* One address of the set: live unless removed, busy while a command
 * for it has no result. */
struct ep_addr {
	struct drv_target t;
	int		 live, busy;
};

struct ep_set {
	struct ep_addr	*a;
	size_t		 n;
};

extern struct ep_opts ep_o;
extern struct ep_set ep_set;

/* The options of ARGV into ep_o.  Returns 0, 1 for -? (print the
 * usage), or -1 (reported). */
int ep_parse(int argc, char **argv);

/* The usage on F. */
void ep_usage(FILE *f);

/* Read ep_o.addrfile into ep_set, shuffled unless -O noshuffle.
 * Returns 0 or -1 (reported). */
int ep_read_addrs(void);

/* TEXT (an address) as T; ERR (ERRLEN) says why not.  Returns 0 or -1. */
int ep_addr_parse(const char *text, struct drv_target *t, char *err,
    size_t errlen);

/* Add T to S (or make it live again).  Returns 1 if added, 0 if it was
 * live already, -1 out of memory. */
int ep_set_add(struct ep_set *s, const struct drv_target *t);

/* The address of S that is AF bytes BIN (live or not), or NULL. */
struct ep_addr *ep_set_find(struct ep_set *s, int af, const uint8_t *bin);

/* How many addresses of S are live. */
size_t ep_set_live(const struct ep_set *s);

void ep_set_free(struct ep_set *s);

/* The set changed: the run spreads its commands anew. */
void ep_set_changed(void);

/* Open the control socket ep_o.ctlpath (none: nothing).  Returns 0 or
 * -1 (reported). */
int ep_ctl_open(void);

/* Accept and serve the control socket's clients, without waiting.
 * Returns 0 (a client's error is its own). */
int ep_ctl_serve(void);

/* Close the control socket and its clients, and remove its path. */
void ep_ctl_close(void);

#endif
