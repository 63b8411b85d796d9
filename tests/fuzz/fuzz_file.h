/*
 * fuzz_file.h: what the targets of the drivers' input files share: the
 * input as a file, the drivers' messages silenced (FUZZ_VERBOSE=1 shows
 * them), and the checks on a system a tbit driver took from its file.
 * Static: each target includes it once, before the driver's source.
 */
#ifndef TESTS_FUZZ_FILE_H
#define TESTS_FUZZ_FILE_H

#include <arpa/inet.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "drvutil.h"

/* The entry point every target defines (libFuzzer's, or driver.c's). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_UNUSED __attribute__((unused))

/* P[0..N-1] as a file (a memfd); its name into PATH (64 bytes).
 * Returns its descriptor, to close when done. */
FUZZ_UNUSED static int
fuzz_file(const uint8_t *p, size_t n, char *path)
{
	int fd = memfd_create("fuzz-input", MFD_CLOEXEC);

	if (fd == -1 || (n > 0 && write(fd, p, n) != (ssize_t)n))
		abort();
	snprintf(path, 64, "/proc/self/fd/%d", fd);
	return fd;
}

/* The files of a tbit driver's systems (-a, -c) from P[0..N-1]: the
 * address file, then after a NUL the done file, named in D (PATHS holds
 * the names); their descriptors into FD[0] and FD[1] (-1: none), for
 * fuzz_close.  Returns 1 if there is a done file, else 0. */
FUZZ_UNUSED static int
fuzz_sysfiles(const uint8_t *p, size_t n, struct drv_opts *d,
    char paths[2][64], int fd[2])
{
	const uint8_t *nul = memchr(p, '\0', n);

	fd[0] = fuzz_file(p, nul != NULL ? (size_t)(nul - p) : n, paths[0]);
	d->addrfile = paths[0];
	fd[1] = -1;
	if (nul == NULL)
		return 0;
	fd[1] = fuzz_file(nul + 1, n - (size_t)(nul - p) - 1, paths[1]);
	d->donefile = paths[1];
	return 1;
}

/* Close the descriptors FD[0..1] that are open (not -1). */
FUZZ_UNUSED static void
fuzz_close(const int fd[2])
{
	for (int i = 0; i < 2; i++)
		if (fd[i] != -1)
			close(fd[i]);
}

/* Where the drivers' messages go: a target compiles a driver in with
 * "#define stderr fuzz_null" (they are many, and libFuzzer's and the
 * sanitizers' reports must stay on the real stderr). */
static FILE *fuzz_null;

FUZZ_UNUSED static void
fuzz_quiet(void)
{
	if (fuzz_null == NULL && (fuzz_null = fopen(getenv("FUZZ_VERBOSE") !=
	    NULL ? "/dev/stderr" : "/dev/null", "w")) == NULL)
		abort();
}

/* Arguments and a file from P[0..N-1]: words ending in NUL up to an
 * empty one (at most MAX - 2 of them) into ARGV after ARGV0, the rest
 * the file at *REST (*RESTLEN bytes).  The words are copied into *TEXT
 * (free it).  Returns how many words ARGV holds, ARGV0 included. */
FUZZ_UNUSED static int
fuzz_args(const uint8_t *p, size_t n, char *argv0, char **argv, int max,
    char **text, const uint8_t **rest, size_t *restlen)
{
	size_t i = 0;
	int argc = 1;

	if ((*text = malloc(n + 1)) == NULL)
		abort();
	memcpy(*text, p, n);
	(*text)[n] = '\0';
	argv[0] = argv0;
	while (i < n && p[i] != '\0' && argc < max - 1) {
		argv[argc++] = *text + i;
		i += strlen(*text + i) + 1;
	}
	argv[argc] = NULL;
	if (i < n && p[i] == '\0')
		i++;		/* the empty word */
	*rest = p + (i < n ? i : n);
	*restlen = i < n ? n - i : 0;
	return argc;
}

/* Nonzero if P[0..N-1] has a line that is neither blank nor a '#'
 * comment (what the drivers' line readers hand on). */
FUZZ_UNUSED static int
fuzz_has_line(const uint8_t *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t j = i;

		while (j < n && (p[j] == ' ' || p[j] == '\t'))
			j++;
		if (j < n && p[j] != '\n' && p[j] != '\r' && p[i] != '#')
			return 1;
		while (i < n && p[i] != '\n')
			i++;
		i++;
	}
	return 0;
}

/* A system taken from a file: an address of its family, and tbit
 * options that stay one argument of one command line. */
FUZZ_UNUSED static void
fuzz_check_target(const struct drv_target *t)
{
	uint8_t b[16];

	if ((t->af != AF_INET && t->af != AF_INET6) ||
	    inet_pton(t->af, t->addr, b) != 1 ||
	    memcmp(b, t->bin, t->af == AF_INET ? 4 : 16) != 0)
		abort();
	if (t->app != NULL && strpbrk(t->app, "\"\n\r") != NULL)
		abort();
	if (t->app != NULL && strncmp(t->app, "-u '", 4) == 0 &&
	    strchr(t->app + 4, '\'') != strrchr(t->app, '\''))
		abort();	/* a quote inside the URL */
}

#endif
