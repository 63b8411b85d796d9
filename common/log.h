/*
 * log.h: diagnostics for the scamper daemons and tools.
 *
 * Messages go to stderr (prefixed with the program name) and, when a debug
 * file is open, to that file with a wall-clock timestamp.  log_warn appends
 * strerror(errno); log_warnx does not.  fatal/fatalx are for broken
 * invariants and IPC protocol violations only: bad input from outside is
 * reported and survived, never fatal.
 */
#ifndef COMMON_LOG_H
#define COMMON_LOG_H

#include <stdarg.h>
#include <stddef.h>

#define LOG_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Set the program name used as a prefix; the string must outlive logging. */
void log_init(const char *progname);

/* Open PATH as the debug file (append if APPEND, else truncate).
 * Returns 0, or -1 with errno set; the previous debug file stays open on
 * failure.  Does not block beyond the open(2) itself. */
int log_open_debugfile(const char *path, int append);

/* Close the debug file, if any. */
void log_close_debugfile(void);

/* 0 = warnings only, 1 = info, 2 = debug (debug always reaches the file). */
void log_set_verbosity(int level);

/* Stop writing to stderr (after daemonising); the debug file remains. */
void log_stderr_off(void);

void log_warn(const char *fmt, ...) LOG_PRINTF(1, 2);
void log_warnx(const char *fmt, ...) LOG_PRINTF(1, 2);
void log_info(const char *fmt, ...) LOG_PRINTF(1, 2);
void log_debug(const char *fmt, ...) LOG_PRINTF(1, 2);
/* log_warnx, for a tool's refusal of its input: returns -1, so that
 * option parsers can end with "return log_fail(...)". */
int log_fail(const char *fmt, ...) LOG_PRINTF(1, 2);
_Noreturn void fatal(const char *fmt, ...) LOG_PRINTF(1, 2);
_Noreturn void fatalx(const char *fmt, ...) LOG_PRINTF(1, 2);

/* A message for the caller to report, formatted into ERR (LEN bytes, cut
 * to fit; nothing logged).  Returns -1, so that parsers can end with
 * "return errf(...)". */
int errf(char *err, size_t len, const char *fmt, ...) LOG_PRINTF(3, 4);

#endif
