/*
 * wartsread.h: the loop the warts printing tools share (sc_warts2json,
 * sc_warts2text, sc_wartsdump, sc_tracelb2dot): read every object of
 * each file named on the command line (none, or "-": standard input)
 * and hand it to the tool's printer.
 */
#ifndef WARTSREAD_H
#define WARTSREAD_H

#include <stddef.h>
#include <stdint.h>

/* Print OBJ (of TYPE, read from PATH; it stays the caller's).  Returns
 * 0 to go on, 1 to stop reading PATH quietly, -1 to stop it as failed
 * (the printer has said why). */
typedef int wr_print_fn(const char *path, uint16_t type, void *obj);

/* The whole of such a tool's main(): PROG names it in messages; USAGE
 * (NULL: no -h) is printed for -h or --help as the only argument.
 * Returns the exit status: 0, or 1 if a file could not be opened or
 * read to its end, a printer failed, or standard output could not be
 * written. */
int wr_main(const char *prog, const char *usage, int argc, char **argv,
    wr_print_fn *print);

/* A printer's helper: print the rendering RC/S made (S owned, NULL:
 * nothing), a newline after it if NL.  Returns 0, or -1 after saying
 * "out of memory" (RC -1). */
int wr_put(const char *prog, int rc, char *s, int nl);

/* How a tool renders a whole object into *OUT (malloc'd; NULL for
 * nothing): scamper_json_obj, scamper_text_obj.  Returns 0 or -1. */
typedef int wr_render_fn(uint16_t type, const void *obj, char **out);

/* wr_main for a tool that prints each object as RENDER makes it, a
 * newline after each if NL. */
int wr_render_main(const char *prog, const char *usage, int argc,
    char **argv, wr_render_fn *render, int nl);

/* Called with each MPLS label stack entry E (host order), I: its byte
 * offset in its extension object (0 for the stack's first). */
typedef void wr_mpls_fn(size_t i, uint32_t e);

/* Each MPLS label stack entry among a reply's ICMP extension objects X
 * (LEN bytes as stored: u16 length, u8 class, u8 type, data; X may be
 * NULL) through FN; other objects are passed over. */
void wr_mpls_each(const uint8_t *x, uint16_t len, wr_mpls_fn *fn);

#endif
