/*
 * sbuf.h: a growing string buffer for the text and JSON writers
 * (internal).  Allocation failure is sticky: sb_finish() then frees the
 * buffer and returns -1.
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

void sb_printf(struct sbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void sb_cat(struct sbuf *sb, const char *s);
/* "%u.%03u" milliseconds of a microsecond count. */
void sb_rtt(struct sbuf *sb, uint32_t usec);
void sb_addr(struct sbuf *sb, const struct scamper_addr *a);
void sb_hex(struct sbuf *sb, const uint8_t *p, size_t n);
/* Remove trailing spaces. */
void sb_rtrim(struct sbuf *sb);
/* JSON pieces shared by the writers (json.c): ', "icmpext":[...]' from
 * warts-form extension bytes; '"start":{"sec":S, "usec":U, "ftime":"..."}'
 * in local time; ', "KEY":"ADDR"' when A is set. */
void json_icmpext(struct sbuf *sb, const uint8_t *p, uint16_t len);
struct timeval;
void json_ftime(struct sbuf *sb, const struct timeval *tv);
void json_addr(struct sbuf *sb, const char *key, const struct scamper_addr *a);
/* Hand the string to *OUT: 0, or -1 (ENOMEM, *OUT = NULL). */
int sb_finish(struct sbuf *sb, char **out);

#endif
