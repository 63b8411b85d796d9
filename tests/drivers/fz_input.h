/*
 * fz_input.h: the entry point a tool's fuzz target shares when the tool
 * is compiled in through fz_driver.h and takes its options and one input
 * file.  Include it after fz_driver.h (it calls FZ_FUNC).
 */
#ifndef TESTS_DRIVERS_FZ_INPUT_H
#define TESTS_DRIVERS_FZ_INPUT_H

#define FZ_INPUT_ARGS	32

/* DATA (SIZE bytes) run through FZ_FUNC: the words ending in NUL up to
 * an empty one (at most MAX - 2, MAX <= FZ_INPUT_ARGS - 2) as the
 * options after ARGV0, the rest as the input file; FILEOPT (NULL: none)
 * and the file's name are added to the options. */
static void
fz_input(const uint8_t *data, size_t size, char *argv0, int max,
    char *fileopt)
{
	const uint8_t *rest;
	char *argv[FZ_INPUT_ARGS], *text, path[64];
	size_t restlen;
	int argc, fd;

	fuzz_quiet();
	argc = fuzz_args(data, size, argv0, argv, max, &text, &rest,
	    &restlen);
	fd = fuzz_file(rest, restlen, path);
	if (fileopt != NULL) {
		argv[argc++] = fileopt;
		argv[argc++] = path;
		argv[argc] = NULL;
	}
	(void)FZ_FUNC(argc, argv, path);
	close(fd);
	free(text);
}

#endif
