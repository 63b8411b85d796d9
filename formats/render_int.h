/*
 * render_int.h: each result type's JSON and text renderer, reached
 * through one table by scamper_json_obj() and scamper_text_obj()
 * (render.c; not installed).
 */
#ifndef RENDER_INT_H
#define RENDER_INT_H

/* json_NAME and text_NAME render OBJ, a struct scamper_NAME, as
 * scamper_json.h and scamper_text.h describe: a new string at *OUT, or
 * -1 (ENOMEM) with *OUT = NULL. */
#define RENDERERS(name) \
	int json_##name(const void *obj, char **out); \
	int text_##name(const void *obj, char **out)

RENDERERS(trace);
RENDERERS(ping);
RENDERERS(tracelb);
RENDERERS(dealias);
RENDERERS(tbit);
/* Sting has a text form only. */
int text_sting(const void *obj, char **out);

#endif
