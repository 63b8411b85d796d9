/*
 * fuzz_tool.h: a tool's source compiled into a fuzz target, its main()
 * renamed, its messages (stderr) and output (stdout, printf, putchar)
 * sent to fuzz_null, after fuzz_file.h (included here).  Define FZ_MAIN
 * (main's new name) and FZ_SOURCE (the tool's source, a string), and
 * FZ_TBITDRV to compile the tbit drivers' drvutil.c and tbitdrv.c in
 * before it.
 * Once per target: there is no include guard.
 */
#include "fuzz_file.h"

int FZ_MAIN(int argc, char **argv);

#define main FZ_MAIN
#undef stderr
#define stderr fuzz_null
#undef stdout
#define stdout fuzz_null
#define printf(...) fprintf(fuzz_null, __VA_ARGS__)
#define putchar(c) fputc(c, fuzz_null)
#ifdef FZ_TBITDRV
#include "../../tools/tbitdrv/drvutil.c"
#include "../../tools/tbitdrv/tbitdrv.c"
#endif
#include FZ_SOURCE
#undef putchar
#undef printf
#undef stdout
#define stdout stdout
#undef stderr
#define stderr stderr
#undef main
