/*
 * fz_prefixscan.c: sc_prefixscan compiled in for fuzz-aliasdump
 * (fuzz_aliasdump.c), through fz_driver.h.
 */
#define FZ_FUNC		fz_prefixscan
#define FZ_MAIN		sc_prefixscan_main
#define FZ_SOURCE	"../../tools/sc_prefixscan/sc_prefixscan.c"
#define FZ_WANTS_DUMP	(o.readfile != NULL)
#define FZ_DUMP(pathp)	adrv_each_dealias("sc_prefixscan", (pathp), 1, \
			    read_one, NULL)
#include "fz_driver.h"
