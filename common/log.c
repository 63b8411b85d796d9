/*
 * log.c: stderr and debug-file logging (see log.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

/* One logging context per process: diagnostics are process-wide. */
static const char *log_prog = "scamper";
static FILE *log_file;
static int log_verbosity;
static int log_to_stderr = 1;

void
log_init(const char *progname)
{
	log_prog = progname;
}

int
log_open_debugfile(const char *path, int append)
{
	int fd;
	FILE *f;

	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY |
	    (append ? O_APPEND : O_TRUNC), 0644);
	if (fd == -1)
		return -1;
	if ((f = fdopen(fd, append ? "a" : "w")) == NULL) {
		int save = errno;
		close(fd);
		errno = save;
		return -1;
	}
	setvbuf(f, NULL, _IOLBF, 0);
	log_close_debugfile();
	log_file = f;
	return 0;
}

void
log_close_debugfile(void)
{
	if (log_file != NULL) {
		fclose(log_file);
		log_file = NULL;
	}
}

void
log_set_verbosity(int level)
{
	log_verbosity = level;
}

void
log_stderr_off(void)
{
	log_to_stderr = 0;
}

static void
log_emit(int to_stderr, const char *fmt, va_list ap, const char *suffix)
{
	char msg[1024];
	struct timeval tv;
	struct tm tm;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (to_stderr && log_to_stderr) {
		if (suffix != NULL)
			fprintf(stderr, "%s: %s: %s\n", log_prog, msg, suffix);
		else
			fprintf(stderr, "%s: %s\n", log_prog, msg);
	}
	if (log_file != NULL) {
		gettimeofday(&tv, NULL);
		localtime_r(&tv.tv_sec, &tm);
		fprintf(log_file, "[%02d:%02d:%02d:%03d] %s%s%s\n",
		    tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(tv.tv_usec / 1000),
		    msg, suffix != NULL ? ": " : "",
		    suffix != NULL ? suffix : "");
	}
}

/* The body the wrappers below share: their message (FMT and the
 * arguments after it) through log_emit with SHOW and SUFFIX. */
#define LOG_EMIT(show, suffix) do {					\
	va_list ap;							\
									\
	va_start(ap, fmt);						\
	log_emit((show), fmt, ap, (suffix));				\
	va_end(ap);							\
} while (0)

void
log_warn(const char *fmt, ...)
{
	const char *e = strerror(errno);

	LOG_EMIT(1, e);
}

void
log_warnx(const char *fmt, ...)
{
	LOG_EMIT(1, NULL);
}

int
log_fail(const char *fmt, ...)
{
	LOG_EMIT(1, NULL);
	return -1;
}

void
log_info(const char *fmt, ...)
{
	LOG_EMIT(log_verbosity >= 1, NULL);
}

void
log_debug(const char *fmt, ...)
{
	LOG_EMIT(log_verbosity >= 2, NULL);
}

void
fatal(const char *fmt, ...)
{
	const char *e = strerror(errno);

	LOG_EMIT(1, e);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	LOG_EMIT(1, NULL);
	exit(1);
}

int
errf(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}
