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

struct scamper_trace;
struct scamper_ping;
struct scamper_tracelb;
struct scamper_dealias;
struct scamper_tbit;
struct scamper_sting;

int scamper_text_trace(const struct scamper_trace *t, char **out);
int scamper_text_ping(const struct scamper_ping *p, char **out);
int scamper_text_tracelb(const struct scamper_tracelb *t, char **out);
int scamper_text_dealias(const struct scamper_dealias *d, char **out);
int scamper_text_tbit(const struct scamper_tbit *t, char **out);
int scamper_text_sting(const struct scamper_sting *s, char **out);
/* Any object from scamper_file_read(); types with no text form give 0
 * and *OUT = NULL. */
int scamper_text_obj(uint16_t type, const void *obj, char **out);

#endif
