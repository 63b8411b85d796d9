/*
 * cmd.h: the measurement command grammar shared by -I, -c, list files
 * with -O cmdfile, and the control socket: "method [options] targets".
 *
 * Pure code (no I/O, no allocation beyond what the caller hands in):
 * cmd_split tokenises a line in place, honouring single and double quotes
 * (so dealias's nested probe definitions survive), and cmd_getopts checks
 * the options of one method against its spec table.  Errors are messages
 * that name the option and the problem.
 */
#ifndef PROBER_CORE_CMD_H
#define PROBER_CORE_CMD_H

#include <stddef.h>
#include <stdint.h>

#include "log.h"

#define CMD_MAXARGS 256

enum cmd_argtype {
	CMD_FLAG,		/* no value */
	CMD_UINT,		/* decimal in [min, max] */
	CMD_STR,		/* any non-empty string */
	CMD_ADDR,		/* an IPv4 or IPv6 address */
	CMD_HEX,		/* an even number of hex digits, at most max bytes */
	CMD_WORD,		/* one of words[], case-insensitive */
};

struct cmd_optspec {
	char			 opt;
	enum cmd_argtype	 type;
	uint32_t		 min, max;
	const char *const	*words;		/* CMD_WORD: NULL-terminated */
	int			 repeat;	/* may be given more than once */
};

struct cmd_optval {
	char		 opt;
	uint32_t	 u;		/* CMD_UINT value; CMD_WORD index;
					   CMD_HEX byte count */
	const char	*s;		/* the argument as written */
	uint8_t		 addr[16];	/* CMD_ADDR */
	int		 af;		/* CMD_ADDR: AF_INET or AF_INET6 */
};

struct cmd_args {
	struct cmd_optval	 v[CMD_MAXARGS];
	int			 nv;
	char			*operands[CMD_MAXARGS];
	int			 noperands;
};

/* Split LINE in place into at most MAX words at ARGV.  Quotes ' and "
 * group words and are removed; a quote of the other kind inside is kept.
 * Returns the number of words, or -1 with ERR set (unbalanced quote, too
 * many words). */
int cmd_split(char *line, char **argv, int max, char *err, size_t errlen);

/* Parse the options of ARGV[1..ARGC-1] (ARGV[0] is the method name) by
 * SPEC (NSPEC entries) into OUT: options first, then operands; "--" ends
 * the options.  Returns 0, or -1 with ERR naming the option ("-q: invalid
 * value 'x' (expected 1 to 20)"). */
int cmd_getopts(const struct cmd_optspec *spec, size_t nspec, int argc,
    char **argv, struct cmd_args *out, char *err, size_t errlen);

/* The last value given for OPT, or NULL. */
const struct cmd_optval *cmd_opt(const struct cmd_args *a, char opt);

/* The value (CMD_UINT) or word index (CMD_WORD) last given for OPT, or
 * DEF when OPT was not given. */
uint32_t cmd_optu(const struct cmd_args *a, char opt, uint32_t def);

/* Nonzero if word number WORD of OPT's word list was given (for options
 * that may repeat, such as -O). */
int cmd_has_word(const struct cmd_args *a, char opt, uint32_t word);

/* Format a message into ERR (LEN bytes) and return -1: the shape of every
 * option checker's failure path (common/log.h's errf). */
#define cmd_err errf

/* Decode hex string S (validated by cmd_getopts) into BUF; returns the
 * number of bytes. */
size_t cmd_hex(const char *s, uint8_t *buf, size_t cap);

/* Parse S as an IPv4 or IPv6 address into ADDR (16 bytes).  Returns the
 * family, or 0 if S is not an address. */
int cmd_addr(const char *s, uint8_t *addr);

/* The one target address of A (its only operand) into DST (16 bytes).
 * Returns its family, AF_INET or AF_INET6, or 0 with a message in ERR. */
int cmd_target(const struct cmd_args *a, uint8_t *dst, char *err,
    size_t len);

/* Address option OPT of A into ADDR (16 bytes), if given: it must be of
 * the target's family AF.  Returns 1 if given, 0 if not, or -1 with a
 * message in ERR. */
int cmd_opt_addr(const struct cmd_args *a, char opt, int af, uint8_t *addr,
    char *err, size_t len);

#endif
