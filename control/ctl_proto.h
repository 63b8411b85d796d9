/*
 * ctl_proto.h: the pure pieces of the control-socket protocol, shared by
 * scamper's control socket and sc_attach: splitting a byte stream into
 * bounded, checked lines; "keyword value" parameter lists; the uuencoding
 * of DATA payloads.  No I/O, no globals.
 */
#ifndef CONTROL_CTL_PROTO_H
#define CONTROL_CTL_PROTO_H

#include <stddef.h>
#include <stdint.h>

/* The longest line a client may send, without its newline. */
#define CTL_LINEMAX	8191

/* A line splitter over a fixed buffer: read into ctl_lb_space(), tell
 * ctl_lb_commit() how much arrived, take lines with ctl_lb_next(). */
struct ctl_linebuf {
	char	 buf[CTL_LINEMAX + 2];
	size_t	 len;		/* bytes held */
	size_t	 off;		/* start of the unread part */
	int	 skip;		/* discarding the rest of a too-long line */
};

enum ctl_lb_rc {
	CTL_LB_NONE = 0,	/* no complete line yet */
	CTL_LB_LINE,		/* *LINE is a line (NUL-terminated, no \r\n) */
	CTL_LB_TOOLONG,		/* a line over CTL_LINEMAX was dropped */
	CTL_LB_BADCHAR,		/* a line with an unprintable byte was dropped */
};

void ctl_lb_init(struct ctl_linebuf *lb);

/* Where to read to, and how many bytes fit (at least 1 once
 * ctl_lb_next() has returned CTL_LB_NONE). */
char *ctl_lb_space(struct ctl_linebuf *lb, size_t *room);

/* N bytes were read into the space. */
void ctl_lb_commit(struct ctl_linebuf *lb, size_t n);

/* The next line or problem.  A line is valid until the next call.  Lines
 * end with \n; a \r before it is dropped; every other byte must be
 * printable ASCII (0x20-0x7e).  A line longer than CTL_LINEMAX is
 * reported once (CTL_LB_TOOLONG) and skipped up to its newline. */
enum ctl_lb_rc ctl_lb_next(struct ctl_linebuf *lb, char **line);

/* Bytes held that are not yet a complete line. */
size_t ctl_lb_pending(const struct ctl_linebuf *lb);

/* Nonzero if a whole line (ending in a newline) waits in LB. */
int ctl_lb_has_line(const struct ctl_linebuf *lb);

/* Parse "key value" pairs ARGV[0..ARGC-1] against the NKEYS keywords
 * KEYS (case-insensitive); VALS[i] gets the value of KEYS[i] or NULL.
 * Returns -1 if every word was used, else the index of the first bad
 * word (unknown keyword, keyword given twice, keyword without value). */
int ctl_params(char **argv, int argc, const char *const *keys, int nkeys,
    const char **vals);

/* Decimal S in [MIN, MAX] into *V.  Returns 0; -1 if S is not a decimal
 * number; -2 if it is out of range. */
int ctl_uint(const char *s, uint32_t min, uint32_t max, uint32_t *v);

/* Characters the uuencoding of an N-byte object takes, with newlines and
 * the final "`\n" line. */
size_t ctl_uuenc_len(size_t n);

/* Uuencode IN[0..N-1] into OUT (at least ctl_uuenc_len(N) bytes, not
 * NUL-terminated): lines of 45 bytes, zero as '`', then a "`\n" line.
 * Returns the length written. */
size_t ctl_uuencode(const uint8_t *in, size_t n, char *out);

/* Decode a whole uuencoded payload IN[0..LEN-1] into OUT (CAP bytes).
 * Returns the number of bytes decoded, or -1 if the text is malformed or
 * OUT is too small. */
long ctl_uudecode(const char *in, size_t len, uint8_t *out, size_t cap);

#endif
