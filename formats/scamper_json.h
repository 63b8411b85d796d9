/*
 * scamper_json.h: JSON renderings of measurement objects, one object per
 * line, matching scamper 20211212's sc_warts2json byte for byte.
 *
 * Each function renders into a new NUL-terminated string (no trailing
 * newline) stored in *OUT, which the caller frees with free().  They
 * return 0, or -1 on ENOMEM with *OUT = NULL.  Timestamps rendered as
 * "ftime" use the local time zone (set TZ for reproducible output).
 */
#ifndef SCAMPER_JSON_H
#define SCAMPER_JSON_H

#include <stdint.h>

struct scamper_cycle;

/* TYPE is SCAMPER_FILE_OBJ_CYCLE_START or SCAMPER_FILE_OBJ_CYCLE_STOP. */
int scamper_json_cycle(const struct scamper_cycle *c, uint16_t type,
    char **out);
/* Any object returned by scamper_file_read(); types sc_warts2json does not
 * print (lists, cycle definitions, undecoded records) give 0 and
 * *OUT = NULL. */
int scamper_json_obj(uint16_t type, const void *obj, char **out);

#endif
