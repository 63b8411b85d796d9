/*
 * drvutil.h: the small parts every tbit driver (sc_tbitblind,
 * sc_tbitpmtud, sc_filterpolicy) has alike: error messages named by the
 * program, the time-stamped log, the input file read line by line, the
 * "ID,LABEL SIZE ADDR URL" web-server lines, the file of systems done,
 * the shuffle and the getopt fallback.
 */
#ifndef TOOLS_DRVUTIL_H
#define TOOLS_DRVUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* One system to test: its address as given and decoded, and the tbit
 * application options ("-u 'URL' -U ID", malloc'd). */
struct drv_target {
	char	 addr[64];
	uint8_t	 bin[16];
	int	 af;
	char	*app;
};

/* The options sc_tbitblind and sc_tbitpmtud share: -a addressfile,
 * -c completed, -o outfile, -p port, -t logfile. */
struct drv_opts {
	const char	*addrfile, *donefile, *outfile, *port, *logfile;
};

/* Take getopt's option C (argument ARG) into D if it is one of those.
 * Returns 1 if it was, else 0. */
int drv_opt(struct drv_opts *d, int c, const char *arg);

/* Open D's log (-t) and done file (-c), those given, for appending.
 * Returns 0 or -1 (reported). */
int drv_open_files(const struct drv_opts *d);

/* Name the program that drv_fail's messages start with. */
void drv_prog(const char *prog);

/* "PROG: message" on stderr (PROG from drv_prog).  Returns -1. */
int drv_fail(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* Open PATH (option -OPT) for appending into *F; no PATH leaves *F NULL.
 * Returns 0 or -1 (reported). */
int drv_append(char opt, const char *path, FILE **f);

/* Open the log PATH (option -OPT; NULL: no log).  Returns 0 or -1. */
int drv_log_open(char opt, const char *path);

/* Create (or truncate) the log PATH.  Returns 0 or -1 (reported). */
int drv_log_create(const char *path);

/* "SECONDS message" on the log, flushed; nothing without a log. */
void drv_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The message alone on the log, flushed; nothing without a log. */
void drv_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Nonzero if ADDR is a line (up to a blank) of the done file PATH. */
int drv_done_has(const char *path, const char *addr);

/* Open the done file PATH (option -OPT; NULL: none) for appending.
 * Returns 0 or -1 (reported). */
int drv_done_open(char opt, const char *path);

/* Add ADDR to the done file, if there is one. */
void drv_done_mark(const char *addr);

/* Close the log and the done file. */
void drv_close(void);

/* Called for each line (no end of line) of a file, N counting from 1.
 * Returns 0 to go on or -1 to stop (reported). */
typedef int drv_line_cb(char *line, unsigned long n, void *arg);

/* Feed the lines of PATH (option -OPT) that are neither blank nor start
 * with '#' to CB.  Returns 0 or -1 (reported). */
int drv_read_lines(char opt, const char *path, drv_line_cb *cb, void *arg);

/* Split LINE at blanks into at most MAX words W.  Returns how many. */
int drv_words(char *line, char **w, int max);

/* T's address from its addr (FILE:N in the error).  Returns 0 or -1. */
int drv_target_addr(struct drv_target *t, const char *file, unsigned long n);

/* T from the words W (NW of them) of a "ID,LABEL SIZE ADDR URL" line N
 * of FILE.  Returns 0 or -1 (reported). */
int drv_http_target(char **w, int nw, const char *file, unsigned long n,
    struct drv_target *t);

/* Nonzero (and T's app freed) if T's address is in the done file PATH
 * already. */
int drv_target_done(const char *path, struct drv_target *t);

/* Append the element E (SIZE bytes) to the array at *(void **)ARR of *N
 * elements.  Returns 0 or -1 (reported). */
int drv_push(void *arr, size_t *n, const void *e, size_t size);

/* Shuffle the N elements of SIZE bytes at BASE with random(). */
void drv_shuffle(void *base, size_t n, size_t size);

/* Where scamper's control socket is, from -p or -U (once). */
struct drv_sock {
	const char	*port;		/* as tbitdrv_init takes it, or NULL */
	char		 path[4096];	/* -U's path, with a '/' */
};

/* Take -p PORT (C 'p') or -U PATH (C 'U', a path without a '/' made
 * "./PATH") into S; a second one is refused.  Returns 0 or -1
 * (reported). */
int drv_sock_opt(struct drv_sock *s, int c, const char *arg);

/* Check TEXT, the value of option -OPT that a driver puts into scamper
 * commands: at most MAX - 1 characters, letters, digits, blanks and
 * ".:/_-" only (no quote, separator or line end).  Returns 0 or -1
 * (reported). */
int drv_cmd_text(char opt, const char *text, size_t max);

/* getopt over ARGV (ARGC words) with OPTS, each option C (argument
 * ARG) given to ONE, which returns 0 or -1 (reported); then no operand
 * may be left.  Returns 0, 1 for -? (the caller prints its usage), or
 * -1 (reported). */
int drv_getopts(int argc, char **argv, const char *opts,
    int (*one)(int c, const char *arg));

/* After getopt: no word left in ARGV (ARGC words).  Returns 0 or -1
 * (reported). */
int drv_no_operands(int argc, char **argv);

/* -a, -o and -p were all given (A, OUT and PORT are not NULL).  Returns
 * 0 or -1 (reported). */
int drv_need_aop(const char *a, const char *out, const char *port);

/* getopt's unknown option (or -?): USAGE to stdout and exit 0 for -?,
 * to stderr and exit 1 otherwise. */
void drv_usage_exit(void (*usage)(FILE *f), int optopt_seen)
    __attribute__((noreturn));

#endif
