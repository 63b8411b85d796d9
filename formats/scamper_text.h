/*
 * scamper_text.h: the human-readable renderings scamper prints with
 * -O text and sc_warts2text prints, for traceroute and ping.
 *
 * Each function renders into a new NUL-terminated string of one or more
 * newline-terminated lines stored in *OUT, which the caller frees with
 * free().  Returns 0, or -1 on ENOMEM with *OUT = NULL.
 */
#ifndef SCAMPER_TEXT_H
#define SCAMPER_TEXT_H

#include <stdint.h>

/* Any object from scamper_file_read(); types with no text form give 0
 * and *OUT = NULL. */
int scamper_text_obj(uint16_t type, const void *obj, char **out);

#endif
