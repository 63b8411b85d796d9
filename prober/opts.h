/*
 * opts.h: scamper's command line, parsed into a plain structure.
 *
 * The parser knows every option of scamper(1) (and -n, which 20211212
 * also accepts).  It is pure: no I/O, no globals, so unit tests drive it
 * directly.  Checking happens in three steps, each with a message that
 * names the option: values (opts_parse), availability on this system and
 * combinations (opts_check), and whether the feature is built yet
 * (opts_check_implemented).
 */
#ifndef PROBER_OPTS_H
#define PROBER_OPTS_H

#include <stddef.h>
#include <stdint.h>

#include "loop.h"

/* -O flags */
#define OPT_O_TEXT		0x00001
#define OPT_O_WARTS		0x00002
#define OPT_O_JSON		0x00004
#define OPT_O_PLANETLAB		0x00008
#define OPT_O_RAWTCP		0x00010
#define OPT_O_TSPS		0x00020
#define OPT_O_CMDFILE		0x00040
#define OPT_O_NOINITNDC		0x00080
#define OPT_O_OUTCOPY		0x00100
#define OPT_O_DEBUGAPPEND	0x00200
#define OPT_O_TLS		0x00400
#define OPT_O_NOTLS		0x00800
#define OPT_O_NOTLS_REMOTE	0x01000
#define OPT_O_ICMP_RXERR	0x02000
#define OPT_O_LOOP		0x04000	/* select, poll, epoll or kqueue */
#define OPT_O_TCPFILES		0x08000	/* file commands over -P */
#define OPT_O_RAWSEND		0x10000	/* probes on raw sockets */
#define OPT_O_PKTSEND		0x20000	/* probes on packet sockets */
#define OPT_O_PKTMMSG		0x40000	/* ... by sendmmsg, no TX ring */
#define OPT_O_PKTRECV		0x80000	/* replies through RX rings */
#define OPT_O_PKTRING		0x100000 /* packet sockets, always the TX ring */

/* -O pktsend's transmit ring from this -p up; sendmmsg below (at -p
 * 10000 on a TUN device the ring cost more per probe: RESULTS.md h22lo) */
#define OPTS_RING_PPS		100000
/* -O pktrecv's receive rings are 1 MB below this -p, 4 MB from it:
 * 64 blocks of 16 KB hold 250 ms of replies at 25,000 a second (the
 * 4 ms block timeout's 256 ms at a trickle), the large ones as long at
 * 100,000 (netio.h NETIO_RX_SMALL). */
#define OPTS_RXSMALL_PPS	25000
/* ... and 512 KB below this -p: with the probes' outgoing copies in the
 * ring beside the replies (about 160 bytes a frame either), 64 blocks
 * of 8 KB hold 128 ms at 12,500 probes a second, as the 1 MB ones at
 * 25,000 (RESULTS.md, "the rings' sizes") */
#define OPTS_RXTINY_PPS		12500

/* How probes leave (opts_send_path). */
enum opts_send { OPTS_SEND_RAW, OPTS_SEND_RING, OPTS_SEND_MMSG };

/* Where the work comes from; at most one may be given. */
enum opts_input {
	INPUT_NONE = 0,
	INPUT_ADDRS,		/* -i: addresses on the command line */
	INPUT_CMDS,		/* -I: whole commands on the command line */
	INPUT_FILE,		/* -f or a bare argument: a list file */
	INPUT_CTL_INET,		/* -P [ip:]port */
	INPUT_REMOTE,		/* -R name:port */
	INPUT_CTL_UNIX,		/* -U path */
};

#define OPTS_MAXSEEN 32

struct opts {
	int		 help;		/* -? */
	int		 version;	/* -v */
	int		 daemon;	/* -D */
	const char	*command;	/* -c, default "trace" */
	uint32_t	 pps;		/* -p, default 20 */
	uint32_t	 window;	/* -w, 0 = unlimited */
	const char	*monitorname;	/* -M */
	const char	*listname;	/* -l */
	uint32_t	 listid;	/* -L */
	uint32_t	 cycleid;	/* -C */
	const char	*outfile;	/* -o */
	const char	*firewall;	/* -F */
	char		 fw_kind[8];	/* -F's kind: "nft", "ipfw", "pf" */
	uint32_t	 fw_max;	/* rules at once (ipfw range, pf num),
					   0 = the helper's own limit */
	const char	*debugfile;	/* -d */
	const char	*pidfile;	/* -e */
	const char	*nameserver;	/* -n */
	unsigned	 oflags;	/* OPT_O_* */
	const char	*oloop_name;	/* the -O word that picked the loop */
	enum loop_kind	 loop;		/* from -O select/poll/epoll/kqueue */
	enum opts_input	 input;
	char		 ctl_addr[64];	/* -P address part, "" if none */
	uint16_t	 ctl_port;	/* -P port */
	const char	*remote;	/* -R argument as given */
	uint16_t	 remote_port;	/* -R port */
	const char	*unix_path;	/* -U */
	const char	*cafile;	/* -O cafile=: CAs for -R's TLS */
	const char	*certfile;	/* -O certfile=: client certificate */
	const char	*keyfile;	/* -O keyfile=: its private key */
	char	       **args;		/* operands; array owned (opts_free) */
	int		 nargs;
	char		 seen[OPTS_MAXSEEN + 1];	/* options given, in order */
	int		 nseen;
};

/* Parse ARGV (GNU style: options and operands may mix; "--" ends options).
 * Fills O (strings point into ARGV).  Returns 0, or -1 with a message
 * naming the option in ERR. */
int opts_parse(int argc, char **argv, struct opts *o, char *err, size_t len);

/* Free what opts_parse allocated in O (safe after a failed parse). */
void opts_free(struct opts *o);

/* Check combinations and what this system supports (e.g. -O kqueue on
 * Linux).  Returns 0, or -1 with a message in ERR. */
int opts_check(const struct opts *o, char *err, size_t len);

/* Refuse the first option (in command-line order) whose feature is not
 * built yet: "-X: not implemented yet".  Returns 0 or -1. */
int opts_check_implemented(const struct opts *o, char *err, size_t len);

/* How probes leave, from -O rawsend, pktsend, pktring, pktmmsg and -p:
 * -O pktsend takes the ring at -p OPTS_RING_PPS and above. */
enum opts_send opts_send_path(const struct opts *o);

/* Write the -? text to F (a FILE *, as void * to keep stdio out). */
void opts_usage(void *f);

#endif
