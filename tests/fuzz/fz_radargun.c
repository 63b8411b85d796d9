/*
 * fz_radargun.c: sc_radargun compiled in for fuzz-aliasdump (fuzz_aliasdump.c),
 * through fz_driver.h.
 */
#define FZ_FUNC		fz_radargun
#define FZ_MAIN		sc_radargun_main
#define FZ_SOURCE	"../../tools/sc_radargun/sc_radargun.c"
#define FZ_WANTS_DUMP	(o.dump != 0)
#define FZ_DUMP(pathp)	dump((pathp), 1)
#include "fz_driver.h"
