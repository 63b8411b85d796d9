/*
 * fuzz_tbitblind.c: sc_tbitblind's input files on arbitrary bytes: the
 * address file (-a: "ID,LABEL SIZE ADDR URL" lines, or with -A bgp
 * "ADDR ASN" lines) read through tbitdrv's line reader, and the file of
 * systems done (-c) that skips them.  Every system taken must have an
 * address of its family and tbit options free of quotes and newlines.
 * sc_tbitblind.c (and tbitdrv's drvutil.c and tbitdrv.c) are compiled in
 * here with main() renamed; their messages go to /dev/null.
 *
 * Input: byte 0 bit 0: -A bgp; the rest up to the first NUL is the
 * address file, what follows it the done file.
 */
#define FZ_MAIN sc_tbitblind_main
#define FZ_SOURCE "../../tools/sc_tbitblind/sc_tbitblind.c"
#define FZ_TBITDRV 1
#include "fuzz_tool.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char paths[2][64];
	int fd[2], done;

	if (size == 0)
		return 0;
	fuzz_quiet();
	memset(&o, 0, sizeof(o));
	o.bgp = data[0] & 1;
	o.noshuffle = 1;
	data++;
	size--;
	done = fuzz_sysfiles(data, size, &o.f, paths, fd);
	if (read_systems() == 0 && nsys == 0 && !done &&
	    fuzz_has_line(data, size))
		abort();	/* a line neither taken nor refused */
	for (size_t i = 0; i < nsys; i++) {
		fuzz_check_target(&sys[i].t);
		free(sys[i].t.app);
	}
	free(sys);
	sys = NULL;
	nsys = 0;
	fuzz_close(fd);
	return 0;
}
