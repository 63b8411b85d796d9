/*
 * adrv_cli.h: what the alias-resolution drivers (sc_ally, sc_radargun,
 * sc_prefixscan, sc_speedtrap) have alike beyond drvutil.h (whose
 * drv_prog and drv_fail name their messages, and whose drv_note writes
 * their log of commands and results): numeric options checked against
 * a range, the collect-or-dump choice, and the attach-mode run feeding
 * dealias commands to scamper.
 */
#ifndef TOOLS_ADRV_CLI_H
#define TOOLS_ADRV_CLI_H

#include "scamper_dealias.h"
#include "tbitdrv.h"

/* The collecting options every alias driver takes. */
struct adrv_cli {
	const char	*infile, *outfile, *port, *logfile;
	int		 daemon;
};

/* Take getopt's option CH (argument ARG) into C if it is one of the
 * collecting options: -D, -INOPT infile, -o, -p or -U, -LOGOPT log.
 * Returns 1 if it was, else 0. */
int adrv_cli_opt(struct adrv_cli *c, int ch, const char *arg, char inopt,
    char logopt);

/* The number VAL of option -C into *OUT if it is in [LO, HI].  Returns 0
 * or -1 (reported). */
int adrv_num(int c, const char *val, unsigned lo, unsigned hi,
    unsigned *out);

/* A numeric option: -C takes a number from LO to HI into *OUT. */
struct adrv_numopt {
	char		 c;
	unsigned	 lo, hi;
	unsigned	*out;
};

/* How many entries the array T holds. */
#define ADRV_N(t)	(sizeof(t) / sizeof((t)[0]))

/* A driver's options: getopt's OPTSTRING; the collecting ones into CLI
 * (-INOPT infile, -LOGOPT log); NNUMS numeric ones in NUMS; OTHER takes
 * the driver's own (returns 0, -1 refused and reported, or 1 not one of
 * them); USAGE is printed for an option none takes. */
struct adrv_opts {
	const char		*optstring;
	struct adrv_cli		*cli;
	char			 inopt, logopt;
	const struct adrv_numopt *nums;
	size_t			 nnums;
	int			(*other)(int c, const char *arg);
	void			(*usage)(void);
};

/* getopt over ARGV (ARGC) with the options A describes, up to the first
 * operand (optind).  Returns 0 or -1 (reported). */
int adrv_getopt(int argc, char **argv, const struct adrv_opts *a);

/* After getopt: a dump run (DUMPING; DUMPWHAT says what it reads, e.g.
 * "-d reads warts files") takes none of C's collecting options; a
 * collecting run needs all of infile (option -INOPT), outfile and port
 * (USAGE printed when one lacks).  Returns 0 or -1 (reported). */
int adrv_cli_check(const struct adrv_cli *c, int dumping,
    const char *dumpwhat, char inopt, void (*usage)(void));

/* Called with each dealias result scamper sends (it stays the caller's),
 * and when scamper refuses the command last sent (logged first). */
typedef void adrv_dealias_cb(const struct scamper_dealias *d);
typedef void adrv_refused_cb(void);

/* The collecting run of PROG: open C's log (truncated), attach to C's
 * port with WANT feeding dealias commands, every dealias result decoded
 * to ON_DEALIAS and every refusal to ON_REFUSED, the records into C's
 * outfile; a daemon with -D.  Returns what tbitdrv_run returns, or -1
 * (reported). */
int adrv_collect(struct tbitdrv *drv, const char *prog,
    const struct adrv_cli *c, tbitdrv_want *want,
    adrv_dealias_cb *on_dealias, adrv_refused_cb *on_refused);

#endif
