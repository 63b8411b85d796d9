/*
 * adrv_cli.h: what the alias-resolution drivers (sc_ally, sc_radargun,
 * sc_prefixscan, sc_speedtrap) have alike beyond drvutil.h (whose
 * drv_prog and drv_fail name their messages, and whose drv_note writes
 * their log of commands and results): numeric options checked against
 * a range, the collect-or-dump choice, the attach-mode run feeding
 * dealias commands to scamper, and the job list of the drivers that run
 * one dealias command a job (sc_ally, sc_prefixscan): jobs started in
 * order as the driver allows, one that ends with no result tried again
 * with its next method, one scamper refuses ended for good.
 */
#ifndef TOOLS_ADRV_CLI_H
#define TOOLS_ADRV_CLI_H

#include <stddef.h>
#include <time.h>

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

/* A job's state: its method (an index into the driver's methods). */
struct adrv_job {
	int		 method;
	int		 busy, done;
};

/* The driver's N jobs (J, allocated by adrv_jobs_alloc) and its hooks,
 * each given a job's index K. */
struct adrv_jobs {
	struct adrv_job	*j;
	size_t		 n, first_open, inflight, last_sent;
	int		 nmethods;
	/* Nonzero if job K may start at NOW. */
	int		(*ready)(size_t k, time_t now);
	/* Job K's command (malloc'd; its user id K), NULL if none now. */
	char		*(*command)(size_t k);
	/* Job K started (may be NULL). */
	void		(*started)(size_t k);
	/* Job K ended; RETRY: its result was none and it has methods left.
	 * Returns nonzero if it is tried again with its next method. */
	int		(*ended)(size_t k, int retry);
};

/* An alias driver's run: PARSE the command line (0 or -1, reported);
 * if *DUMPING (nonzero once parsed) then DUMP the files named after the
 * options, else COLLECT; then FINISH (frees, closes) given what that
 * returned, which it returns (0 or -1). */
struct adrv_run {
	const char	*prog;
	int		(*parse)(int argc, char **argv);
	const unsigned	*dumping;
	int		(*dump)(char **files, int nfiles);
	int		(*collect)(void);
	int		(*finish)(int rc);
};

/* main() of the driver R describes, with ARGC and ARGV: its exit code. */
int adrv_main(const struct adrv_run *r, int argc, char **argv);

/* Define main() as adrv_main of the driver PROG, the rest as in struct
 * adrv_run. */
#define ADRV_MAIN(prog, parse, dumping, dump, collect, finish)		\
int									\
main(int argc, char **argv)						\
{									\
	static const struct adrv_run r_ = { (prog), (parse), (dumping),	\
	    (dump), (collect), (finish) };				\
									\
	return adrv_main(&r_, argc, argv);				\
}

/* Room for Q's N jobs, none started.  Returns 0 or -1 (reported). */
int adrv_jobs_alloc(struct adrv_jobs *q, size_t n);

/* adrv_collect (PROG, DRV, C) running Q's jobs: each result names its
 * job by user id; a refusal ends the job last sent.  Returns what
 * adrv_collect returns. */
int adrv_jobs_collect(struct adrv_jobs *q, struct tbitdrv *drv,
    const char *prog, const struct adrv_cli *c);

#endif
