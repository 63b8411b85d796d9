/*
 * sc_warts2text: print traceroutes and pings in warts files as text, in
 * the format scamper prints with -O text.
 *
 * usage: sc_warts2text [file ...]     (no file, or "-": standard input)
 */
#include "scamper_text.h"
#include "wartsread.h"

int
main(int argc, char **argv)
{
	return wr_render_main("sc_warts2text", "usage: sc_warts2text [file ...]",
	    argc, argv, scamper_text_obj, 0);
}
