/*
 * sbuf.h: the growing string buffer of the text and JSON writers
 * (internal; sbuf.c), and the one JSON string escaper.  Allocation
 * failure is sticky: sb_finish() then frees the buffer and returns -1.
 * The buffer always holds a NUL-terminated string once anything was
 * added.
 */
#ifndef SBUF_H
#define SBUF_H

#include <stddef.h>
#include <stdint.h>

#include "scamper_addr.h"

struct sbuf {
	char	*s;
	size_t	 len, alloc;
	int	 oom;
};

/* Append formatted text / the string S / N bytes at P. */
void sb_printf(struct sbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void sb_cat(struct sbuf *sb, const char *s);
void sb_catn(struct sbuf *sb, const void *p, size_t n);
/* "%u.%03u" milliseconds of a microsecond count. */
void sb_rtt(struct sbuf *sb, uint32_t usec);
void sb_addr(struct sbuf *sb, const struct scamper_addr *a);
/* Two lowercase hex digits a byte. */
void sb_hex(struct sbuf *sb, const uint8_t *p, size_t n);
/* Remove trailing spaces. */
void sb_rtrim(struct sbuf *sb);
/* Hand the string to *OUT: 0, or -1 (ENOMEM, *OUT = NULL). */
int sb_finish(struct sbuf *sb, char **out);

/* S (any bytes, NUL-terminated) as the contents of a JSON string, so the
 * output is valid JSON whatever S holds: '"' and '\' get a backslash,
 * control bytes and DEL become \u00XX, well-formed UTF-8 is copied as it
 * is, and each maximal ill-formed subsequence (a byte that cannot start
 * a sequence, or a sequence cut short) becomes \ufffd, the replacement
 * character (Unicode's recommended practice). */
void sb_json_str(struct sbuf *sb, const char *s);
/* PRE (e.g. ", \"name\":") then S as a quoted JSON string. */
void sb_json_member(struct sbuf *sb, const char *pre, const char *s);

/* JSON pieces shared by the writers (json.c): ', "icmpext":[...]' from
 * warts-form extension bytes; '"start":{"sec":S, "usec":U, "ftime":"..."}'
 * in local time; ', "KEY":"ADDR"' when A is set. */
void json_icmpext(struct sbuf *sb, const uint8_t *p, uint16_t len);
struct timeval;
void json_ftime(struct sbuf *sb, const struct timeval *tv);
void json_addr(struct sbuf *sb, const char *key, const struct scamper_addr *a);
/* Text pieces shared by the writers (text.c): 'WHAT from SRC to DST'. */
void text_from_to(struct sbuf *sb, const char *what,
    const struct scamper_addr *src, const struct scamper_addr *dst);
/* ', "KEY":["N0","N2",...]': the names, of N's NN, of V's bits that are
 * set (bit i named N[i]). */
void json_bits(struct sbuf *sb, const char *key, uint32_t v,
    const char *const *n, unsigned nn);

#endif
