/*
 * sc_warts2json: print each measurement in warts files as one JSON object
 * per line, as CAIDA's sc_warts2json does.
 *
 * usage: sc_warts2json [file ...]     (no file, or "-": standard input)
 */
#include "scamper_json.h"
#include "wartsread.h"

int
main(int argc, char **argv)
{
	return wr_render_main("sc_warts2json", "usage: sc_warts2json [file ...]",
	    argc, argv, scamper_json_obj, 1);
}
