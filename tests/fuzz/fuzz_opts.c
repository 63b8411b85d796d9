/*
 * fuzz_opts.c: scamper's command line on arbitrary bytes: the input,
 * split at NUL bytes, is the arguments after "scamper" (at most 64),
 * parsed and checked as main() does.  Every refusal must say why.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "opts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *argv[66], err[512];
	struct opts o;
	int argc = 1;

	if (text == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	argv[0] = "scamper";
	for (size_t i = 0; i <= size && argc < 65; ) {
		argv[argc++] = text + i;
		i += strlen(text + i) + 1;
	}
	argv[argc] = NULL;
	memset(&o, 0, sizeof(o));
	err[0] = '\0';
	if (opts_parse(argc, argv, &o, err, sizeof(err)) == -1 ||
	    opts_check(&o, err, sizeof(err)) == -1 ||
	    opts_check_implemented(&o, err, sizeof(err)) == -1) {
		if (err[0] == '\0')
			abort();	/* a refusal without a reason */
	}
	opts_free(&o);
	free(text);
	return 0;
}
