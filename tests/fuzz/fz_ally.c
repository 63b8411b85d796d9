/*
 * fz_ally.c: sc_ally compiled in for fuzz-aliasdump (fuzz_aliasdump.c),
 * through fz_driver.h.
 */
#define FZ_FUNC		fz_ally
#define FZ_MAIN		sc_ally_main
#define FZ_SOURCE	"../../tools/sc_ally/sc_ally.c"
#define FZ_WANTS_DUMP	(o.dump != 0)
#define FZ_DUMP(pathp)	dump((pathp), 1)
#include "fz_driver.h"
