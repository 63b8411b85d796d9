/*
 * sc_warts2json: print each measurement in warts files as one JSON object
 * per line, as CAIDA's sc_warts2json does.
 *
 * usage: sc_warts2json [file ...]     (no file, or "-": standard input)
 */
#include <stddef.h>

#include "scamper_json.h"
#include "wartsread.h"

#define PROG "sc_warts2json"

static int
print(const char *path, uint16_t type, void *obj)
{
	char *s = NULL;
	int rc = scamper_json_obj(type, obj, &s);

	(void)path;
	return wr_put(PROG, rc, s, 1);
}

int
main(int argc, char **argv)
{
	return wr_main(PROG, "usage: sc_warts2json [file ...]", argc, argv,
	    print);
}
