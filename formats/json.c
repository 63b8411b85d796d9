/*
 * json.c: the string buffer, cycle records and dispatch for the JSON
 * writer.  Separators follow sc_warts2json 20211212 exactly (mostly ", "
 * between members, none in a few places).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "scamper_file.h"
#include "scamper_json.h"
#include "scamper_list.h"
#include "sbuf.h"

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
		size_t na = sb->alloc == 0 ? 1024 : sb->alloc * 2;
		char *p;

		while (na - sb->len <= (size_t)n)
			na *= 2;
		if ((p = realloc(sb->s, na)) == NULL) {
			sb->oom = 1;
			return;
		}
		sb->s = p;
		sb->alloc = na;
	}
}

static int
sb_room(struct sbuf *sb, size_t n)
{
	if (sb->oom)
		return -1;
	if (sb->alloc - sb->len <= n) {
		size_t na = sb->alloc == 0 ? 1024 : sb->alloc * 2;
		char *p;

		while (na - sb->len <= n)
			na *= 2;
		if ((p = realloc(sb->s, na)) == NULL) {
			sb->oom = 1;
			return -1;
		}
		sb->s = p;
		sb->alloc = na;
	}
	return 0;
}

/* The hot path of the writers: a plain copy, no format parsing. */
void
sb_cat(struct sbuf *sb, const char *s)
{
	size_t n = strlen(s);

	if (sb_room(sb, n) != 0)
		return;
	memcpy(sb->s + sb->len, s, n + 1);
	sb->len += n;
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
	for (size_t i = 0; i < n; i++)
		sb_printf(sb, "%02x", p[i]);
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

void
json_icmpext(struct sbuf *sb, const uint8_t *p, uint16_t len)
{
	size_t off = 0;
	int first = 1;

	sb_cat(sb, ", \"icmpext\":[");
	while (len - off >= 4) {
		uint16_t dl = (uint16_t)(p[off] << 8 | p[off + 1]);
		uint8_t cn = p[off + 2], ct = p[off + 3];
		const uint8_t *d = p + off + 4;

		if (len - off - 4 < dl)
			break;
		sb_printf(sb, "%s{\"ie_cn\":%u,\"ie_ct\":%u,\"ie_dl\":%u",
		    first ? "" : ",", cn, ct, dl);
		if (cn == 1 && ct == 1) {
			sb_cat(sb, ",\"mpls_labels\":[");
			for (uint16_t i = 0; i + 4 <= dl; i += 4) {
				uint32_t w = (uint32_t)d[i] << 24 |
				    (uint32_t)d[i + 1] << 16 |
				    (uint32_t)d[i + 2] << 8 | d[i + 3];

				sb_printf(sb, "%s{\"mpls_ttl\":%u,\"mpls_s\":%u,"
				    "\"mpls_exp\":%u,\"mpls_label\":%u}",
				    i == 0 ? "" : ",", w & 0xff,
				    (w >> 8) & 1, (w >> 9) & 7, w >> 12);
			}
			sb_cat(sb, "]");
		}
		sb_cat(sb, "}");
		first = 0;
		off += 4 + (size_t)dl;
	}
	sb_cat(sb, "]");
}

void
json_ftime(struct sbuf *sb, const struct timeval *tv)
{
	char ftime[32];
	struct tm tm;
	time_t sec = tv->tv_sec;

	if (localtime_r(&sec, &tm) == NULL ||
	    strftime(ftime, sizeof(ftime), "%Y-%m-%d %H:%M:%S", &tm) == 0)
		ftime[0] = '\0';
	sb_printf(sb, "\"start\":{\"sec\":%lu, \"usec\":%lu, \"ftime\":\"%s\"}",
	    (unsigned long)tv->tv_sec, (unsigned long)tv->tv_usec, ftime);
}

void
json_addr(struct sbuf *sb, const char *key, const struct scamper_addr *a)
{
	if (!scamper_addr_isset(a))
		return;
	sb_printf(sb, ", \"%s\":\"", key);
	sb_addr(sb, a);
	sb_cat(sb, "\"");
}

int
scamper_json_cycle(const struct scamper_cycle *c, uint16_t type, char **out)
{
	struct sbuf sb = { 0 };
	int stop = type == SCAMPER_FILE_OBJ_CYCLE_STOP;

	sb_printf(&sb, "{\"type\":\"cycle-%s\", \"list_name\":\"%s\", "
	    "\"id\":%u", stop ? "stop" : "start",
	    c->list != NULL && c->list->name != NULL ? c->list->name : "",
	    c->id);
	if (c->hostname != NULL)
		sb_printf(&sb, ", \"hostname\":\"%s\"", c->hostname);
	sb_printf(&sb, ", \"%s_time\":%u}", stop ? "stop" : "start",
	    stop ? c->stop_time : c->start_time);
	return sb_finish(&sb, out);
}

int
scamper_json_obj(uint16_t type, const void *obj, char **out)
{
	*out = NULL;
	switch (type) {
	case SCAMPER_FILE_OBJ_CYCLE_START:
	case SCAMPER_FILE_OBJ_CYCLE_STOP:
		return scamper_json_cycle(obj, type, out);
	case SCAMPER_FILE_OBJ_TRACE:
		return scamper_json_trace(obj, out);
	case SCAMPER_FILE_OBJ_PING:
		return scamper_json_ping(obj, out);
	case SCAMPER_FILE_OBJ_TRACELB:
		return scamper_json_tracelb(obj, out);
	case SCAMPER_FILE_OBJ_DEALIAS:
		return scamper_json_dealias(obj, out);
	case SCAMPER_FILE_OBJ_TBIT:
		return scamper_json_tbit(obj, out);
	}
	return 0;
}
