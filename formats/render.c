/*
 * render.c: one table of the result types' JSON and text renderers, for
 * scamper_json_obj() and scamper_text_obj().
 */
#include <stddef.h>
#include <stdint.h>

#include "render_int.h"
#include "scamper_file.h"
#include "scamper_json.h"
#include "scamper_text.h"

typedef int (*render_fn)(const void *obj, char **out);

struct render {
	uint16_t	 type;		/* SCAMPER_FILE_OBJ_* */
	render_fn	 json, text;	/* NULL: no such form */
};

static const struct render renders[] = {
	{ SCAMPER_FILE_OBJ_TRACE, json_trace, text_trace },
	{ SCAMPER_FILE_OBJ_PING, json_ping, text_ping },
	{ SCAMPER_FILE_OBJ_TRACELB, json_tracelb, text_tracelb },
	{ SCAMPER_FILE_OBJ_DEALIAS, json_dealias, text_dealias },
	{ SCAMPER_FILE_OBJ_TBIT, json_tbit, text_tbit },
	{ SCAMPER_FILE_OBJ_STING, NULL, text_sting },
};

/* TYPE's renderers, or NULL. */
static const struct render *
render_find(uint16_t type)
{
	for (size_t i = 0; i < sizeof(renders) / sizeof(renders[0]); i++)
		if (renders[i].type == type)
			return &renders[i];
	return NULL;
}

int
scamper_json_obj(uint16_t type, const void *obj, char **out)
{
	const struct render *r = render_find(type);

	*out = NULL;
	if (type == SCAMPER_FILE_OBJ_CYCLE_START ||
	    type == SCAMPER_FILE_OBJ_CYCLE_STOP)
		return scamper_json_cycle(obj, type, out);
	return r != NULL && r->json != NULL ? r->json(obj, out) : 0;
}

int
scamper_text_obj(uint16_t type, const void *obj, char **out)
{
	const struct render *r = render_find(type);

	*out = NULL;
	return r != NULL && r->text != NULL ? r->text(obj, out) : 0;
}
