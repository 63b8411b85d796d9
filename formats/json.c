/*
 * json.c: cycle records, shared pieces and dispatch for the JSON
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
#include "wire.h"

void
json_icmpext(struct sbuf *sb, const uint8_t *p, uint16_t len)
{
	size_t off = 0;
	int first = 1;

	sb_cat(sb, ", \"icmpext\":[");
	while (len - off >= 4) {
		uint16_t dl = wire_be16(p + off);
		uint8_t cn = p[off + 2], ct = p[off + 3];
		const uint8_t *d = p + off + 4;

		if (len - off - 4 < dl)
			break;
		sb_printf(sb, "%s{\"ie_cn\":%u,\"ie_ct\":%u,\"ie_dl\":%u",
		    first ? "" : ",", cn, ct, dl);
		if (cn == 1 && ct == 1) {
			sb_cat(sb, ",\"mpls_labels\":[");
			for (uint16_t i = 0; i + 4 <= dl; i += 4) {
				uint32_t w = wire_be32(d + i);

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

void
json_bits(struct sbuf *sb, const char *key, uint32_t v,
    const char *const *n, unsigned nn)
{
	int first = 1;

	sb_printf(sb, ", \"%s\":[", key);
	for (unsigned i = 0; i < nn; i++) {
		if ((v & (1U << i)) == 0)
			continue;
		sb_printf(sb, "%s\"%s\"", first ? "" : ",", n[i]);
		first = 0;
	}
	sb_cat(sb, "]");
}

int
scamper_json_cycle(const struct scamper_cycle *c, uint16_t type, char **out)
{
	struct sbuf sb = { 0 };
	int stop = type == SCAMPER_FILE_OBJ_CYCLE_STOP;

	sb_printf(&sb, "{\"type\":\"cycle-%s\", ", stop ? "stop" : "start");
	sb_json_member(&sb, "\"list_name\":",
	    c->list != NULL && c->list->name != NULL ? c->list->name : "");
	sb_printf(&sb, ", \"id\":%u", c->id);
	if (c->hostname != NULL)
		sb_json_member(&sb, ", \"hostname\":", c->hostname);
	sb_printf(&sb, ", \"%s_time\":%u}", stop ? "stop" : "start",
	    stop ? c->stop_time : c->start_time);
	return sb_finish(&sb, out);
}
