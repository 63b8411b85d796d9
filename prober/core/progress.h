/*
 * progress.h: the one-line progress display of a command-line list run
 * on a terminal (done of total, rate, replies, time left), written to
 * standard error only, so never into results.
 */
#ifndef SCAMPER_PROGRESS_H
#define SCAMPER_PROGRESS_H

#include <stdint.h>

struct core;
struct loop;
struct progress;

/* Show C's progress on standard error once a second from L; TOTAL is the
 * number of commands the run has (0: not known).  Returns NULL (nothing
 * shown) unless standard error is a terminal and results do not go to
 * a terminal (TO_TTY nonzero: they do). */
struct progress *progress_start(struct loop *l, const struct core *c,
    uint64_t total, int to_tty);

/* Stop; if the line was shown, show the final state and end the line
 * (P may be NULL). */
void progress_end(struct progress *p);

/* The line for DONE of TOTAL (0: unknown) after SECS seconds with REPLIES
 * replies, into BUF (no newline). */
void progress_format(char *buf, size_t len, uint64_t done, uint64_t total,
    uint64_t replies, double secs);

#endif
