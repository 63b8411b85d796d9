/*
 * opts.c: the scamper command line (see opts.h).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "opts.h"
#include "log.h"

#define PPS_MAX 100000000u	/* a sanity bound, not a pacing cap */
#define WINDOW_MAX 65535u

/* Parse S as a decimal integer in [MIN, MAX]. */
static int
parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int
num_opt(char c, const char *v, uint32_t min, uint32_t max, uint32_t *out,
    char *err, size_t len)
{
	if (parse_u32(v, min, max, out) == -1)
		return errf(err, len, "-%c: invalid value '%s' (expected an "
		    "integer from %u to %u)", c, v, min, max);
	return 0;
}

static int
is_ip(const char *s)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, s, buf) == 1 ||
	    inet_pton(AF_INET6, s, buf) == 1;
}

static const char *const commands[] = {
	"trace", "ping", "tracelb", "dealias", "neighbourdisc", "sniff",
	"sting", "tbit", "host",
};

static int
check_command(const char *v, char *err, size_t len)
{
	size_t n = strcspn(v, " \t");

	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strlen(commands[i]) == n && strncmp(v, commands[i], n) == 0)
			return 0;
	return errf(err, len, "-c: unknown command '%.*s' (expected trace, "
	    "ping, tracelb, dealias, neighbourdisc, sniff, sting, tbit or "
	    "host)", (int)n, v);
}

static const struct {
	const char *word;
	unsigned flag;
} owords[] = {
	{ "text", OPT_O_TEXT }, { "warts", OPT_O_WARTS },
	{ "json", OPT_O_JSON }, { "planetlab", OPT_O_PLANETLAB },
	{ "rawtcp", OPT_O_RAWTCP }, { "tsps", OPT_O_TSPS },
	{ "cmdfile", OPT_O_CMDFILE }, { "noinitndc", OPT_O_NOINITNDC },
	{ "outcopy", OPT_O_OUTCOPY }, { "debugfileappend", OPT_O_DEBUGAPPEND },
	{ "tls", OPT_O_TLS }, { "notls", OPT_O_NOTLS },
	{ "notls-remote", OPT_O_NOTLS_REMOTE },
	{ "icmp-rxerr", OPT_O_ICMP_RXERR }, { "tcp-files", OPT_O_TCPFILES },
	{ "rawsend", OPT_O_RAWSEND }, { "pktsend", OPT_O_PKTSEND },
	{ "pktmmsg", OPT_O_PKTMMSG }, { "pktrecv", OPT_O_PKTRECV },
	{ "pktring", OPT_O_PKTRING },
};

/* -O WORD=PATH: the TLS files of -R.  Returns 1 if V is one (0 or -1
 * in *RC), 0 if not. */
static int
opt_O_file(struct opts *o, const char *v, int *rc, char *err, size_t len)
{
	static const char *const keys[] = { "cafile=", "certfile=",
	    "keyfile=" };
	const char **dst[] = { &o->cafile, &o->certfile, &o->keyfile };

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		size_t n = strlen(keys[i]);

		if (strncmp(v, keys[i], n) != 0)
			continue;
		if (v[n] == '\0')
			*rc = errf(err, len, "-O %s: a file name is needed "
			    "after '='", keys[i]);
		else if (*dst[i] != NULL && strcmp(*dst[i], v + n) != 0)
			*rc = errf(err, len, "-O %s%s: conflicts with -O %s%s",
			    keys[i], v + n, keys[i], *dst[i]);
		else {
			*dst[i] = v + n;
			*rc = 0;
		}
		return 1;
	}
	return 0;
}

static int
opt_O(struct opts *o, const char *v, char *err, size_t len)
{
	enum loop_kind k;
	int rc;

	if (opt_O_file(o, v, &rc, err, len))
		return rc;
	if (loop_kind_parse(v, &k) == 0) {
		if ((o->oflags & OPT_O_LOOP) && k != o->loop)
			return errf(err, len, "-O %s: conflicts with -O %s "
			    "(choose one event loop)", v, o->oloop_name);
		o->oflags |= OPT_O_LOOP;
		o->loop = k;
		o->oloop_name = v;
		return 0;
	}
	for (size_t i = 0; i < sizeof(owords) / sizeof(owords[0]); i++)
		if (strcmp(v, owords[i].word) == 0) {
			o->oflags |= owords[i].flag;
			return 0;
		}
	return errf(err, len, "-O: unknown option '%s' (see scamper -?)", v);
}

/* Split "[ip:]port" (ip may be "[v6]"); ADDR gets "" when absent. */
static int
opt_P(struct opts *o, const char *v, char *err, size_t len)
{
	const char *colon = strrchr(v, ':');
	const char *port = colon != NULL ? colon + 1 : v;
	uint32_t p;

	if (colon != NULL) {
		const char *a = v;
		size_t n = (size_t)(colon - v);

		if (n >= 2 && a[0] == '[' && a[n - 1] == ']') {
			a++;
			n -= 2;
		}
		if (n == 0 || n >= sizeof(o->ctl_addr))
			return errf(err, len, "-P: invalid address in '%s'", v);
		memcpy(o->ctl_addr, a, n);
		o->ctl_addr[n] = '\0';
		if (!is_ip(o->ctl_addr))
			return errf(err, len, "-P: '%s' is not an IPv4 or IPv6 "
			    "address", o->ctl_addr);
	}
	if (parse_u32(port, 1, 65535, &p) == -1)
		return errf(err, len, "-P: invalid port '%s' (expected 1 to "
		    "65535)", port);
	o->ctl_port = (uint16_t)p;
	return 0;
}

static int
opt_R(struct opts *o, const char *v, char *err, size_t len)
{
	const char *colon = strrchr(v, ':');
	uint32_t p;

	if (colon == NULL || colon == v)
		return errf(err, len, "-R: expected name:port, got '%s'", v);
	if (parse_u32(colon + 1, 1, 65535, &p) == -1)
		return errf(err, len, "-R: invalid port '%s' (expected 1 to "
		    "65535)", colon + 1);
	o->remote = v;
	o->remote_port = (uint16_t)p;
	return 0;
}

/* ipfw:START-END or pf:ANCHOR:NUM, as scamper(1) describes, or nft
 * (Linux).  The kind goes to O->fw_kind; an ipfw range's size or pf's
 * NUM bounds the rules held at once (O->fw_max).  Whether this build's
 * helper has that kind of firewall is checked by opts_check. */
static int
opt_F(struct opts *o, const char *v, char *err, size_t len)
{
	uint32_t a, b;
	char buf[32];

	o->firewall = v;
	if (strcmp(v, "nft") == 0) {
		snprintf(o->fw_kind, sizeof(o->fw_kind), "nft");
		o->fw_max = 0;
		return 0;
	}
	if (strncmp(v, "ipfw:", 5) == 0) {
		const char *dash = strchr(v + 5, '-');
		size_t n = dash != NULL ? (size_t)(dash - (v + 5)) : 0;

		if (dash != NULL && n > 0 && n < sizeof(buf)) {
			memcpy(buf, v + 5, n);
			buf[n] = '\0';
			if (parse_u32(buf, 1, 65534, &a) == 0 &&
			    parse_u32(dash + 1, 1, 65534, &b) == 0 && a <= b) {
				snprintf(o->fw_kind, sizeof(o->fw_kind), "ipfw");
				o->fw_max = b - a + 1;
				return 0;
			}
		}
		return errf(err, len, "-F: invalid ipfw rule range in '%s' "
		    "(expected ipfw:START-END, 1 <= START <= END <= 65534)", v);
	}
	if (strncmp(v, "pf:", 3) == 0) {
		const char *colon = strrchr(v + 3, ':');

		if (colon != NULL && colon > v + 3 &&
		    parse_u32(colon + 1, 1, 65535, &a) == 0) {
			snprintf(o->fw_kind, sizeof(o->fw_kind), "pf");
			o->fw_max = a;
			return 0;
		}
		return errf(err, len, "-F: invalid pf firewall '%s' (expected "
		    "pf:ANCHOR:NUM)", v);
	}
	return errf(err, len, "-F: unknown firewall '%s' (expected nft, "
	    "ipfw:START-END or pf:ANCHOR:NUM)", v);
}

/* -F must name the kind of firewall this build's helper drives. */
static int
check_fw(const struct opts *o, char *err, size_t len)
{
	if (o->firewall == NULL || strcmp(o->fw_kind, SCAMPER_FW) == 0)
		return 0;
	if (strcmp(SCAMPER_FW, "none") == 0)
		return errf(err, len, "-F %s: this scamper was built without a "
		    "firewall (on Linux it needs libnftnl and libmnl)",
		    o->firewall);
	return errf(err, len, "-F %s: this system's firewall is %s: give "
	    "-F %s%s", o->firewall, SCAMPER_FW, SCAMPER_FW,
	    strcmp(SCAMPER_FW, "nft") == 0 ? "" : ":...");
}

static const char *const input_names[] = {
	"", "-i", "-I", "-f", "-P", "-R", "-U",
};

static int
set_input(struct opts *o, enum opts_input in, char *err, size_t len)
{
	if (o->input != INPUT_NONE && o->input != in)
		return errf(err, len, "%s: cannot be combined with %s (give one "
		    "of -i, -I, -f, -P, -R, -U)", input_names[in],
		    input_names[o->input]);
	o->input = in;
	return 0;
}

static int
nonempty(char c, const char *v, char *err, size_t len)
{
	if (*v == '\0')
		return errf(err, len, "-%c: empty argument", c);
	return 0;
}

/* Handle one option C with value V (NULL for flags). */
static int
opt_one(struct opts *o, char c, const char *v, char *err, size_t len)
{
	if (o->nseen < OPTS_MAXSEEN && strchr(o->seen, c) == NULL)
		o->seen[o->nseen++] = c;
	switch (c) {
	case '?': o->help = 1; return 0;
	case 'v': o->version = 1; return 0;
	case 'D': o->daemon = 1; return 0;
	case 'i': return set_input(o, INPUT_ADDRS, err, len);
	case 'I': return set_input(o, INPUT_CMDS, err, len);
	case 'f': return set_input(o, INPUT_FILE, err, len);
	case 'p': return num_opt(c, v, 1, PPS_MAX, &o->pps, err, len);
	case 'w': return num_opt(c, v, 0, WINDOW_MAX, &o->window, err, len);
	case 'L': return num_opt(c, v, 0, UINT32_MAX, &o->listid, err, len);
	case 'C': return num_opt(c, v, 0, UINT32_MAX, &o->cycleid, err, len);
	case 'O': return opt_O(o, v, err, len);
	case 'F': return opt_F(o, v, err, len);
	case 'c':
		o->command = v;
		return check_command(v, err, len);
	case 'n':
		o->nameserver = v;
		if (!is_ip(v))
			return errf(err, len, "-n: '%s' is not an IPv4 or IPv6 "
			    "address", v);
		return 0;
	case 'P':
		if (set_input(o, INPUT_CTL_INET, err, len) == -1)
			return -1;
		return opt_P(o, v, err, len);
	case 'R':
		if (set_input(o, INPUT_REMOTE, err, len) == -1)
			return -1;
		return opt_R(o, v, err, len);
	case 'U':
		if (set_input(o, INPUT_CTL_UNIX, err, len) == -1)
			return -1;
		o->unix_path = v;
		if (strlen(v) >= sizeof(((struct sockaddr_un *)0)->sun_path))
			return errf(err, len, "-U: path too long (at most %zu "
			    "bytes)", sizeof(((struct sockaddr_un *)0)->sun_path)
			    - 1);
		return nonempty(c, v, err, len);
	case 'M': o->monitorname = v; return nonempty(c, v, err, len);
	case 'l': o->listname = v; return nonempty(c, v, err, len);
	case 'o': o->outfile = v; return nonempty(c, v, err, len);
	case 'd': o->debugfile = v; return nonempty(c, v, err, len);
	case 'e': o->pidfile = v; return nonempty(c, v, err, len);
	}
	return errf(err, len, "-%c: unknown option (see scamper -?)", c);
}

/* Options taking a value; the rest of scamper's options are flags. */
static const char optvals[] = "cpwMlLCoFdenOPRU";
static const char optflags[] = "?DviIf";

static int
opts_token(struct opts *o, char **argv, int argc, int *i, char *err,
    size_t len)
{
	const char *tok = argv[*i];

	for (size_t k = 1; tok[k] != '\0'; k++) {
		char c = tok[k];

		if (strchr(optflags, c) != NULL) {
			if (opt_one(o, c, NULL, err, len) == -1)
				return -1;
			continue;
		}
		if (c == ':' || strchr(optvals, c) == NULL)
			return errf(err, len, "-%c: unknown option (see "
			    "scamper -?)", c);
		if (tok[k + 1] != '\0')
			return opt_one(o, c, tok + k + 1, err, len);
		if (*i + 1 >= argc)
			return errf(err, len, "-%c: requires an argument", c);
		return opt_one(o, c, argv[++*i], err, len);
	}
	return 0;
}

static int
check_operands(struct opts *o, char *err, size_t len)
{
	switch (o->input) {
	case INPUT_NONE:
		if (o->nargs > 0)
			o->input = INPUT_FILE;	/* scamper [opts] listfile */
		return 0;
	case INPUT_ADDRS:
		if (o->nargs == 0)
			return errf(err, len, "-i: no addresses given");
		return 0;
	case INPUT_CMDS:
		if (o->nargs == 0)
			return errf(err, len, "-I: no commands given");
		return 0;
	case INPUT_FILE:
		if (o->nargs == 0)
			return errf(err, len, "-f: no list file given");
		return 0;
	default:
		if (o->nargs > 0)
			return errf(err, len, "%s: unexpected argument '%s'",
			    input_names[o->input], o->args[0]);
		return 0;
	}
}

int
opts_parse(int argc, char **argv, struct opts *o, char *err, size_t len)
{
	int only_operands = 0;

	memset(o, 0, sizeof(*o));
	o->command = "trace";
	o->pps = 20;
	o->loop = LOOP_DEFAULT;
	if (argc > 1 && (o->args = calloc((size_t)argc, sizeof(char *))) ==
	    NULL)
		return errf(err, len, "out of memory");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!only_operands && strcmp(a, "--") == 0) {
			only_operands = 1;
			continue;
		}
		if (only_operands || a[0] != '-' || a[1] == '\0') {
			o->args[o->nargs++] = argv[i];
			continue;
		}
		if (opts_token(o, argv, argc, &i, err, len) == -1)
			return -1;
	}
	if (o->help || o->version)
		return 0;
	return check_operands(o, err, len);
}

void
opts_free(struct opts *o)
{
	free(o->args);
	o->args = NULL;
	o->nargs = 0;
}

/* -O cafile=, certfile=, keyfile=: with -R and TLS; a certificate
 * needs its key and a key its certificate. */
static int
check_tls_files(const struct opts *o, char *err, size_t len)
{
	const char *w = o->cafile != NULL ? "cafile" :
	    o->certfile != NULL ? "certfile" :
	    o->keyfile != NULL ? "keyfile" : NULL;

	if (w == NULL)
		return 0;
	if (o->input != INPUT_REMOTE)
		return errf(err, len, "-O %s=: only applies with -R", w);
	if (o->oflags & (OPT_O_NOTLS | OPT_O_NOTLS_REMOTE))
		return errf(err, len, "-O %s=: TLS is off (-O %s)", w,
		    (o->oflags & OPT_O_NOTLS) ? "notls" : "notls-remote");
	if ((o->certfile == NULL) != (o->keyfile == NULL))
		return errf(err, len, "-O %s=: a client certificate needs both "
		    "-O certfile= and -O keyfile=", o->certfile != NULL ?
		    "certfile" : "keyfile");
	return 0;
}

/* The ways to send probes: one of rawsend, pktring and pktmmsg (pktsend
 * goes with either packet way); pktrecv needs a packet way. */
static int
check_send(const struct opts *o, char *err, size_t len)
{
	static const struct {
		unsigned a, b;
		const char *msg;
	} bad[] = {
		{ OPT_O_RAWSEND, OPT_O_PKTSEND, "-O rawsend: conflicts with "
		    "-O pktsend (choose one way to send probes)" },
		{ OPT_O_RAWSEND, OPT_O_PKTMMSG, "-O rawsend: conflicts with "
		    "-O pktmmsg (choose one way to send probes)" },
		{ OPT_O_RAWSEND, OPT_O_PKTRING, "-O rawsend: conflicts with "
		    "-O pktring (choose one way to send probes)" },
		{ OPT_O_PKTRING, OPT_O_PKTMMSG, "-O pktring: conflicts with "
		    "-O pktmmsg (choose the transmit ring or sendmmsg)" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if ((o->oflags & bad[i].a) && (o->oflags & bad[i].b))
			return errf(err, len, "%s", bad[i].msg);
	if ((o->oflags & OPT_O_PKTRECV) && !(o->oflags &
	    (OPT_O_PKTSEND | OPT_O_PKTMMSG | OPT_O_PKTRING)))
		return errf(err, len, "-O pktrecv: needs -O pktsend, pktring or "
		    "pktmmsg (the rings are on the interfaces probes leave by)");
	return 0;
}

enum opts_send
opts_send_path(const struct opts *o)
{
	if (o->oflags & OPT_O_PKTMMSG)
		return OPTS_SEND_MMSG;
	if (o->oflags & OPT_O_PKTRING)
		return OPTS_SEND_RING;
	if (o->oflags & OPT_O_PKTSEND)
		return o->pps >= OPTS_RING_PPS ? OPTS_SEND_RING :
		    OPTS_SEND_MMSG;
	return OPTS_SEND_RAW;
}

int
opts_check(const struct opts *o, char *err, size_t len)
{
	if ((o->oflags & OPT_O_LOOP) && !loop_kind_available(o->loop))
		return errf(err, len, "-O %s: not available on this system",
		    o->oloop_name);
	if (o->oflags & OPT_O_PLANETLAB)
		return errf(err, len, "-O planetlab: not supported: PlanetLab's "
		    "safe raw sockets (its VNET+ kernel) exist on no system "
		    "today; scamper-helper gives the prober its raw and "
		    "datalink sockets instead");
	if ((o->oflags & OPT_O_TLS) && (o->oflags & OPT_O_NOTLS))
		return errf(err, len, "-O tls: conflicts with -O notls");
	if (check_send(o, err, len) == -1)
		return -1;
	if (__builtin_popcount(o->oflags &
	    (OPT_O_TEXT | OPT_O_WARTS | OPT_O_JSON)) > 1)
		return errf(err, len, "-O: choose one of text, warts and json");
	if ((o->oflags & OPT_O_TLS) && o->input != INPUT_REMOTE)
		return errf(err, len, "-O tls: only applies with -R");
	if ((o->oflags & OPT_O_TCPFILES) && o->input != INPUT_CTL_INET)
		return errf(err, len, "-O tcp-files: only applies with -P");
	if (check_tls_files(o, err, len) == -1 || check_fw(o, err, len) == -1)
		return -1;
	if ((o->oflags & (OPT_O_CMDFILE | OPT_O_TSPS)) &&
	    o->input != INPUT_FILE)
		return errf(err, len, "-O %s: only applies to a list file",
		    (o->oflags & OPT_O_CMDFILE) ? "cmdfile" : "tsps");
	if (o->daemon && o->input != INPUT_CTL_INET &&
	    o->input != INPUT_CTL_UNIX && o->input != INPUT_REMOTE)
		return errf(err, len, "-D: needs -P, -U or -R (a daemon takes "
		    "its work from a control socket)");
	if (o->input == INPUT_NONE)
		return errf(err, len, "no input: give -i, -I, -f, -P, -R, -U "
		    "or a list file (see scamper -?)");
	return 0;
}

/* What this build can do; flipped on as each issue lands. */
static const char opts_built[] = "?vdeDiIfcpwlLCMoPRUF";
static const unsigned opts_o_built = OPT_O_LOOP | OPT_O_DEBUGAPPEND |
    OPT_O_TEXT | OPT_O_JSON | OPT_O_WARTS | OPT_O_CMDFILE | OPT_O_TSPS |
    OPT_O_OUTCOPY | OPT_O_TLS | OPT_O_NOTLS | OPT_O_NOTLS_REMOTE |
    OPT_O_TCPFILES | OPT_O_NOINITNDC | OPT_O_RAWTCP | OPT_O_RAWSEND |
    OPT_O_PKTSEND | OPT_O_PKTMMSG | OPT_O_PKTRECV | OPT_O_PKTRING;

int
opts_check_implemented(const struct opts *o, char *err, size_t len)
{
	for (int i = 0; i < o->nseen; i++) {
		char c = o->seen[i];

		if (c == 'O')
			continue;
		if (strchr(opts_built, c) == NULL)
			return errf(err, len, "-%c: not implemented yet", c);
	}
	for (size_t i = 0; i < sizeof(owords) / sizeof(owords[0]); i++)
		if ((o->oflags & owords[i].flag) &&
		    !(opts_o_built & owords[i].flag))
			return errf(err, len, "-O %s: not implemented yet",
			    owords[i].word);
	return 0;
}

void
opts_usage(void *fp)
{
	FILE *f = fp;

	fputs(
"usage: scamper [-?Dv] [-c command] [-p pps] [-w window] [-M monitorname]\n"
"               [-l listname] [-L listid] [-C cycleid] [-o outfile]\n"
"               [-F firewall] [-d debugfile] [-e pidfile] [-n nameserver]\n"
"               [-O option] [-i IPs | -I cmds | -f file | -P [ip:]port |\n"
"                -R name:port | -U unix-socket]\n"
"\n"
"  -?  print this summary and exit\n"
"  -v  print the version and exit\n"
"  -D  detach and run as a daemon (with -P, -U or -R)\n"
"  -c  default command for -i and -f targets (default: trace)\n"
"  -p  packets per second to aim for (default: 20)\n"
"  -w  most tasks probing at once; 0 = no limit (default: 0)\n"
"  -M  name of this vantage point, recorded in warts output\n"
"  -l  name of the command-line list, recorded in warts output\n"
"  -L  numeric id of the command-line list\n"
"  -C  numeric cycle id to start with\n"
"  -o  file to write results to (default: standard output)\n"
"  -F  firewall for tbit and sting: nft (Linux), ipfw:START-END or\n"
"      pf:ANCHOR:NUM\n"
"  -d  write debugging messages to this file\n"
"  -e  write the process id to this file\n"
"  -n  DNS server to use\n"
"  -O  option; may be repeated:\n"
"        text, warts, json     format of the results\n"
"        cmdfile               the list file holds whole commands\n"
"        tsps                  the list file holds ping -T tsprespec sets\n"
"        outcopy               also copy results to the default output\n"
"        rawtcp                send IPv4 TCP probes on a raw socket\n"
"        rawsend, pktsend      send probes on raw IP sockets / on packet\n"
"                              sockets with the frame built here (by a\n"
"                              TX ring at -p 100000 and up, else sendmmsg)\n"
"        pktring, pktmmsg      pktsend always by a TX ring / by sendmmsg\n"
"        pktrecv               with pktsend: ICMP/TCP replies via RX rings\n"
"        planetlab             use PlanetLab safe raw sockets\n"
"        noinitndc             do not prime the neighbour cache\n"
"        icmp-rxerr            receive ICMP errors with IP_RECVERR\n"
"        tls, notls            require / never use TLS with -R\n"
"        cafile=FILE           CA certificates to check the -R controller\n"
"        certfile=FILE         client certificate to present to it\n"
"        keyfile=FILE          the client certificate's private key\n"
"        notls-remote          no TLS on the remote control socket\n"
"        epoll, kqueue, poll, select   choose the event loop\n"
"        debugfileappend       append to the -d file instead of truncating\n"
"        tcp-files             allow outfile open and source add ... file\n"
"                              on the -P control socket (off: any local\n"
"                              user can reach a TCP port)\n"
"  -i  the operands are addresses to probe with the -c command\n"
"  -I  the operands are whole commands\n"
"  -f  the operand is a list file of addresses (also without -f)\n"
"  -P  control socket on [ip:]port (loopback unless ip is given)\n"
"  -R  take commands from a remote controller at name:port\n"
"  -U  control socket at this path in the file system\n",
	    f);
}
