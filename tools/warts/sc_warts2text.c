/*
 * sc_warts2text: print traceroutes and pings in warts files as text, in
 * the format scamper prints with -O text.
 *
 * usage: sc_warts2text [file ...]     (no file, or "-": standard input)
 */
#include <stddef.h>

#include "scamper_text.h"
#include "wartsread.h"

#define PROG "sc_warts2text"

static int
print(const char *path, uint16_t type, void *obj)
{
	char *s = NULL;
	int rc = scamper_text_obj(type, obj, &s);

	(void)path;
	return wr_put(PROG, rc, s, 0);
}

int
main(int argc, char **argv)
{
	return wr_main(PROG, "usage: sc_warts2text [file ...]", argc, argv,
	    print);
}
