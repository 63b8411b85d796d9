/*
 * fz_speedtrap.c: sc_speedtrap compiled in for fuzz-aliasdump (fuzz_aliasdump.c),
 * through fz_driver.h.
 */
#define FZ_FUNC		fz_speedtrap
#define FZ_MAIN		sc_speedtrap_main
#define FZ_SOURCE	"../../tools/sc_speedtrap/sc_speedtrap.c"
#define FZ_WANTS_DUMP	(o.dump != 0)
#define FZ_DUMP(pathp)	dump((pathp), 1)
#include "fz_driver.h"
