/*
 * fuzz_command.c: the measurement command grammar as the prober meets
 * it: list files (addresses, command files, -O tsps lists) read through
 * the real sources, and each command line given to the core, which
 * parses it with its technique's options and builds the task (trace,
 * ping, tbit and sting alloc).  Nothing is sent: the core has no
 * sockets and its loop never runs; every task is freed with the core.
 *
 * Input: byte 0 picks how the rest is read (0: one command per line
 * straight to the core, 1: a list of addresses for "trace", 2: a command
 * file, 3: a -O tsps list for "ping"); the rest is the text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core.h"
#include "loop.h"
#include "methods.h"
#include "netio.h"
#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct loop *l;

/* The text as a file the sources can open by name (/proc/self/fd/N). */
static int
text_file(const uint8_t *b, size_t n, char *path, size_t plen)
{
	int fd = memfd_create("fuzz-list", 0);

	if (fd == -1 || (n > 0 && write(fd, b, n) != (ssize_t)n) ||
	    lseek(fd, 0, SEEK_SET) == -1)
		abort();
	snprintf(path, plen, "/proc/self/fd/%d", fd);
	return fd;
}

/* Every command S yields, to the core C. */
static void
drain(struct core *c, struct source *s)
{
	char cmd[8192], where[512], err[1024];
	int rc;

	while ((rc = source_next(s, cmd, sizeof(cmd), where,
	    sizeof(where))) != 0) {
		if (strlen(where) >= sizeof(where))
			abort();
		if (rc == 1)
			(void)core_command(c, cmd, where, err, sizeof(err));
	}
	source_free(s);
}

static void
lines(struct core *c, const uint8_t *b, size_t n)
{
	char *text = malloc(n + 1), *line, *save = NULL, err[1024];

	if (text == NULL)
		abort();
	memcpy(text, b, n);
	text[n] = '\0';
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		err[0] = '\0';
		if (core_command(c, line, "fuzz", err, sizeof(err)) == -1 &&
		    err[0] == '\0')
			abort();	/* every refusal says why */
	}
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct core_conf conf = { .pps = 100, .methods = prober_methods };
	struct netio_fds fds;
	struct core *c;
	char path[64];
	int fd;

	if (size == 0)
		return 0;
	if (l == NULL && (l = loop_new(LOOP_POLL)) == NULL)
		abort();
	netio_fds_init(&fds);
	if ((c = core_new(l, &conf, &fds, NULL, NULL)) == NULL)
		abort();
	switch (data[0] % 4) {
	case 0:
		lines(c, data + 1, size - 1);
		break;
	default:
		fd = text_file(data + 1, size - 1, path, sizeof(path));
		drain(c, data[0] % 4 == 3 ? source_file_tsps("ping -c 1",
		    path) : source_file("trace", path, data[0] % 4 == 2));
		close(fd);
		break;
	}
	core_free(c);
	return 0;
}
