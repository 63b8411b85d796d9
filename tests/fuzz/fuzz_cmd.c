/*
 * fuzz_cmd.c: the command tokeniser and option checker on arbitrary text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const words[] = { "a", "bb", NULL };
static const struct cmd_optspec spec[] = {
	{ 'a', CMD_FLAG, 0, 0, NULL, 0 },
	{ 'u', CMD_UINT, 1, 255, NULL, 0 },
	{ 's', CMD_STR, 0, 0, NULL, 1 },
	{ 'i', CMD_ADDR, 0, 0, NULL, 1 },
	{ 'x', CMD_HEX, 0, 16, NULL, 0 },
	{ 'w', CMD_WORD, 0, 0, words, 0 },
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cmd_args a;
	char *line, *argv[CMD_MAXARGS], err[256];
	uint8_t hex[16];
	int argc;

	if ((line = malloc(size + 1)) == NULL)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	argc = cmd_split(line, argv, CMD_MAXARGS, err, sizeof(err));
	if (argc > 0 && cmd_getopts(spec, sizeof(spec) / sizeof(spec[0]),
	    argc, argv, &a, err, sizeof(err)) == 0) {
		const struct cmd_optval *v = cmd_opt(&a, 'x');
		if (v != NULL)
			(void)cmd_hex(v->s, hex, sizeof(hex));
	}
	free(line);
	return 0;
}
