/*
 * sbuf.c: the string builder every text and JSON writer uses, and the
 * one JSON string escaper (see sbuf.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "sbuf.h"

/* Room for N more bytes and a NUL; 0, or -1 (sticky) on ENOMEM. */
static int
sb_room(struct sbuf *sb, size_t n)
{
	if (sb->oom)
		return -1;
	if (sb->len + n < sb->len ||
	    mem_grow(&sb->s, &sb->alloc, sb->len + n + 1, 1, 1024) != 0) {
		sb->oom = 1;
		return -1;
	}
	return 0;
}

void
sb_printf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (sb->oom)
		return;
	for (;;) {
		size_t room = sb->alloc - sb->len;

		va_start(ap, fmt);
		n = vsnprintf(sb->s != NULL ? sb->s + sb->len : NULL, room, fmt,
		    ap);
		va_end(ap);
		if (n < 0) {
			sb->oom = 1;
			return;
		}
		if ((size_t)n < room) {
			sb->len += (size_t)n;
			return;
		}
		if (sb_room(sb, (size_t)n) != 0)
			return;
	}
}

void
sb_catn(struct sbuf *sb, const void *p, size_t n)
{
	if (sb_room(sb, n) != 0)
		return;
	memcpy(sb->s + sb->len, p, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
}

/* The hot path of the writers: a plain copy, no format parsing. */
void
sb_cat(struct sbuf *sb, const char *s)
{
	sb_catn(sb, s, strlen(s));
}

void
sb_rtt(struct sbuf *sb, uint32_t usec)
{
	char buf[16], *p = buf + sizeof(buf);
	uint32_t ms = usec / 1000, frac = usec % 1000;

	*--p = '\0';
	for (int i = 0; i < 3; i++, frac /= 10)
		*--p = (char)('0' + frac % 10);
	*--p = '.';
	do {
		*--p = (char)('0' + ms % 10);
		ms /= 10;
	} while (ms > 0);
	sb_cat(sb, p);
}

void
sb_addr(struct sbuf *sb, const struct scamper_addr *a)
{
	char buf[SCAMPER_ADDR_STRLEN];

	sb_cat(sb, scamper_addr_tostr(a, buf, sizeof(buf)));
}

void
sb_hex(struct sbuf *sb, const uint8_t *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	if (sb_room(sb, n * 2) != 0)
		return;
	for (size_t i = 0; i < n; i++) {
		sb->s[sb->len++] = hex[p[i] >> 4];
		sb->s[sb->len++] = hex[p[i] & 0xf];
	}
	sb->s[sb->len] = '\0';
}

void
sb_rtrim(struct sbuf *sb)
{
	while (sb->len > 0 && sb->s[sb->len - 1] == ' ')
		sb->s[--sb->len] = '\0';
}

int
sb_finish(struct sbuf *sb, char **out)
{
	*out = NULL;
	if (sb->oom || sb->s == NULL) {
		free(sb->s);
		if (!sb->oom && (*out = strdup("")) != NULL)
			return 0;
		return -1;
	}
	*out = sb->s;
	return 0;
}

/* ---- JSON strings -------------------------------------------------- */

/* The UTF-8 sequence at P (NUL-terminated, P[0] >= 0x80): returns 1
 * with its length in *N if it is well formed (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), else 0 with the length
 * of its maximal ill-formed subpart in *N (at least 1), which becomes
 * one U+FFFD, as Unicode recommends (and Python's "replace" does).  A
 * NUL is never a continuation byte, so nothing past it is read. */
static int
utf8_seq(const unsigned char *p, size_t *n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t need;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		need = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		need = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		need = 4;
	else {
		*n = 1;
		return 0;
	}
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	for (size_t i = 1; i < need; i++) {
		if (p[i] < lo || p[i] > hi) {
			*n = i;
			return 0;
		}
		lo = 0x80;
		hi = 0xbf;
	}
	*n = need;
	return 1;
}

/* Printable ASCII that stands in a JSON string as it is. */
static int
json_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

void
sb_json_str(struct sbuf *sb, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	while (*p != '\0') {
		for (n = 0; json_plain(p[n]); n++)
			;
		if (n > 0) {
			sb_catn(sb, p, n);
			p += n;
		} else if (*p == '"' || *p == '\\') {
			char e[2] = { '\\', (char)*p++ };
			sb_catn(sb, e, 2);
		} else if (*p < 0x80) {		/* control bytes, DEL */
			sb_printf(sb, "\\u%04x", *p++);
		} else if (utf8_seq(p, &n)) {
			sb_catn(sb, p, n);
			p += n;
		} else {			/* not UTF-8: U+FFFD */
			sb_cat(sb, "\\ufffd");
			p += n;
		}
	}
}

void
sb_json_member(struct sbuf *sb, const char *pre, const char *s)
{
	sb_cat(sb, pre);
	sb_cat(sb, "\"");
	sb_json_str(sb, s);
	sb_cat(sb, "\"");
}
