/*
 * ep_opts.c: sc_erosprober's options, address file and address set
 * (ep.h).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ep.h"

#define CMD_LEN		256
#define MAX_PERIOD	(7 * 86400)


void
ep_usage(FILE *f)
{
	fprintf(f,
	    "usage: sc_erosprober [-?] [-a addrfile] [-c command] "
	    "[-I interval] [-l logfile]\n"
	    "                     [-o outfile] [-O option] [-p port] "
	    "[-R rotation]\n"
	    "                     [-U unix-scamper] [-x unix-control]\n"
	    "  -a  the addresses, one a line\n"
	    "  -c  the scamper command for each address (ping or trace)\n"
	    "  -I  seconds between two probes of an address (at least 10)\n"
	    "  -R  seconds between two output files (at least 10)\n"
	    "  -o  the output files' prefix: PREFIX.SECONDS.warts\n"
	    "  -O  noshuffle: keep the file's order; nooutfile: no output\n"
	    "  -p  scamper's control port ([address:]port); -U its socket\n"
	    "  -x  a unix socket taking +ADDRESS and -ADDRESS lines\n"
	    "  -l  the log file\n");
}

/* The number VAL of option -C into *OUT, from 10 to MAX_PERIOD. */
static int
opt_seconds(int c, const char *val, unsigned *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(val, &end, 10);
	if (errno != 0 || end == val || *end != '\0' || val[0] == '-' ||
	    v < 10 || v > MAX_PERIOD)
		return drv_fail("-%c %s: expected seconds, from 10 to %d", c,
		    val, MAX_PERIOD);
	*out = (unsigned)v;
	return 0;
}

/* The -c command VAL: a ping or a trace with options, no address. */
static int
opt_command(const char *val)
{
	size_t n = strcspn(val, " ");

	if (!((n == 4 && strncmp(val, "ping", 4) == 0) ||
	    (n == 5 && strncmp(val, "trace", 5) == 0)))
		return drv_fail("-c '%s': expected a ping or trace command",
		    val);
	if (drv_cmd_text('c', val, CMD_LEN) == -1)
		return -1;
	ep_o.command = val;
	return 0;
}

static int
opt_option(const char *val)
{
	if (strcmp(val, "noshuffle") == 0)
		ep_o.noshuffle = 1;
	else if (strcmp(val, "nooutfile") == 0)
		ep_o.nooutfile = 1;
	else
		return drv_fail("-O %s: unknown option (noshuffle, "
		    "nooutfile)", val);
	return 0;
}

static int
opt_one(int c, const char *arg)
{
	switch (c) {
	case 'a': ep_o.addrfile = arg; return 0;
	case 'l': ep_o.logfile = arg; return 0;
	case 'o': ep_o.outfile = arg; return 0;
	case 'x': ep_o.ctlpath = arg; return 0;
	case 'p':
	case 'U': return drv_sock_opt(&ep_o.sock, c, arg);
	case 'c': return opt_command(arg);
	case 'O': return opt_option(arg);
	case 'I': return opt_seconds('I', arg, &ep_o.interval);
	case 'R': return opt_seconds('R', arg, &ep_o.rotation);
	}
	ep_usage(stderr);
	return -1;
}

/* What the options together must be. */
static int
check(void)
{
	if (ep_o.addrfile == NULL || ep_o.command == NULL ||
	    ep_o.interval == 0 || ep_o.sock.port == NULL)
		return drv_fail("-a, -c, -I and -p or -U are required "
		    "(see sc_erosprober -?)");
	if (ep_o.nooutfile && (ep_o.outfile != NULL || ep_o.rotation != 0))
		return drv_fail("-O nooutfile: no -o or -R");
	if (!ep_o.nooutfile && (ep_o.outfile == NULL || ep_o.rotation == 0))
		return drv_fail("-o and -R are required (or -O nooutfile)");
	return 0;
}

int
ep_parse(int argc, char **argv)
{
	int rc = drv_getopts(argc, argv, "?a:c:I:l:o:O:p:R:U:x:", opt_one);

	return rc != 0 ? rc : check();
}

/* ---- the address set ------------------------------------------------ */

int
ep_addr_parse(const char *text, struct drv_target *t, char *err,
    size_t errlen)
{
	memset(t, 0, sizeof(*t));
	if (strlen(text) < sizeof(t->addr)) {
		strcpy(t->addr, text);
		if (inet_pton(AF_INET, text, t->bin) == 1)
			t->af = AF_INET;
		else if (inet_pton(AF_INET6, text, t->bin) == 1)
			t->af = AF_INET6;
	}
	if (t->af == 0) {
		snprintf(err, errlen, "'%.64s' is not an address", text);
		return -1;
	}
	return 0;
}

struct ep_addr *
ep_set_find(struct ep_set *s, int af, const uint8_t *bin)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->a[i].t.af == af && memcmp(s->a[i].t.bin, bin,
		    af == AF_INET ? 4 : 16) == 0)
			return &s->a[i];
	return NULL;
}

int
ep_set_add(struct ep_set *s, const struct drv_target *t)
{
	struct ep_addr *a = ep_set_find(s, t->af, t->bin), e;

	if (a != NULL) {
		if (a->live)
			return 0;
		a->live = 1;
		return 1;
	}
	memset(&e, 0, sizeof(e));
	e.t = *t;
	e.live = 1;
	return drv_push(&s->a, &s->n, &e, sizeof(e)) == -1 ? -1 : 1;
}

size_t
ep_set_live(const struct ep_set *s)
{
	size_t n = 0;

	for (size_t i = 0; i < s->n; i++)
		n += s->a[i].live != 0;
	return n;
}

void
ep_set_free(struct ep_set *s)
{
	free(s->a);
	s->a = NULL;
	s->n = 0;
}

/* One line of the address file: one address. */
static int
one_line(char *line, unsigned long n, void *arg)
{
	struct drv_target t;
	char *w[2], err[128];

	(void)arg;
	if (drv_words(line, w, 2) != 1)
		return drv_fail("%s:%lu: expected one address a line",
		    ep_o.addrfile, n);
	if (ep_addr_parse(w[0], &t, err, sizeof(err)) == -1)
		return drv_fail("%s:%lu: %s", ep_o.addrfile, n, err);
	switch (ep_set_add(&ep_set, &t)) {
	case -1:
		return drv_fail("out of memory");
	case 0:
		drv_log("%s: repeated, probed once", t.addr);
	}
	return 0;
}

int
ep_read_addrs(void)
{
	if (ep_o.logfile != NULL && drv_log_create(ep_o.logfile) == -1)
		return -1;
	if (drv_read_lines('a', ep_o.addrfile, one_line, NULL) == -1)
		return -1;
	if (ep_set.n == 0 && ep_o.ctlpath == NULL)
		return drv_fail("%s: no address (and no -x to add some)",
		    ep_o.addrfile);
	if (!ep_o.noshuffle)
		drv_shuffle(ep_set.a, ep_set.n, sizeof(*ep_set.a));
	return 0;
}
