/*
 * source.h: where commands come from.  A source yields one command line
 * at a time (an address becomes "<default command> <address>"), so a list
 * of millions of targets is read as it is probed, never held whole.
 */
#ifndef PROBER_CORE_SOURCE_H
#define PROBER_CORE_SOURCE_H

#include <stddef.h>

struct source;

/* Addresses (not copied: they must outlive the source) measured with
 * the command template CMD ("trace", "ping -c 3"). */
struct source *source_addrs(const char *cmd, char **addrs, int n);

/* Whole commands (not copied). */
struct source *source_cmds(char **cmds, int n);

/* A list file: one address per line (or one command per line when
 * CMDFILE), '#' comments and blank lines skipped.  Returns NULL with errno
 * set if PATH cannot be opened. */
struct source *source_file(const char *cmd, const char *path, int cmdfile);

/* A -O tsps list file: each line is a target followed by the addresses
 * (1 to 4, separated by blanks or commas) whose IPv4 timestamps are
 * prespecified; it becomes "CMD -T tsprespec=A,B TARGET" (CMD is a ping
 * command).  Returns NULL with errno set if PATH cannot be opened. */
struct source *source_file_tsps(const char *cmd, const char *path);

/* A list file already open on FD (owned from now on), e.g. opened by
 * scamper-helper after the privilege drop; NAME (not copied) names it
 * in messages.  As source_file otherwise.  Returns NULL with errno set
 * (FD closed). */
struct source *source_fd(const char *cmd, const char *name, int fd);

/* Start S's file again from its first line (another cycle).  Returns 0,
 * or -1 with errno. */
int source_rewind(struct source *s);

/* Put the next command line in BUF and a description of where it came
 * from ("-i argument 3", "list.txt:17") in WHERE.  Returns 1; 0 when the
 * source is exhausted; -1 when this entry is bad (too long: never
 * truncated into another command), with the reason in BUF, and the
 * source goes on.  May block reading a local file. */
int source_next(struct source *s, char *buf, size_t len, char *where,
    size_t wlen);

/* Free S (closing its file). */
void source_free(struct source *s);

/* How many commands S will give (bad lines of a file counted too), or
 * -1 if that cannot be known without using it up (standard input, a
 * pipe).  A file is read through and rewound. */
long source_count(struct source *s);

#endif
