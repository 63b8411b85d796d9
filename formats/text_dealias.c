/*
 * text_dealias.c: alias resolution as text, as scamper 20211212 prints
 * it: only ally has a text form, "<addr> <addr> <result>".
 */
#include "render_int.h"
#include "scamper_dealias.h"
#include "sbuf.h"

int
text_dealias(const void *obj, char **out)
{
	const struct scamper_dealias *d = obj;
	struct sbuf sb = { 0 };

	*out = NULL;
	if (d->method != SCAMPER_DEALIAS_METHOD_ALLY || d->defc < 2 ||
	    d->defs == NULL)
		return 0;
	sb_addr(&sb, &d->defs[0].dst);
	sb_cat(&sb, " ");
	sb_addr(&sb, &d->defs[1].dst);
	switch (d->result) {
	case SCAMPER_DEALIAS_RESULT_ALIASES:
		sb_cat(&sb, " aliases\n");
		break;
	case SCAMPER_DEALIAS_RESULT_NOTALIASES:
		sb_cat(&sb, " not aliases\n");
		break;
	case SCAMPER_DEALIAS_RESULT_NONE:
		sb_cat(&sb, " none\n");
		break;
	default:
		sb_printf(&sb, " %u\n", d->result);
		break;
	}
	return sb_finish(&sb, out);
}
