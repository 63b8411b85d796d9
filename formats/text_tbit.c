/*
 * text_tbit.c: tbit as text, as scamper 20211212 prints it (only an
 * http application gets a line).  Not yet: the per-packet lines
 * ("[  0.000] TX SYN ...") Debian prints when the record holds packets.
 */
#include <stdio.h>

#include "scamper_tbit.h"
#include "scamper_text.h"
#include "sbuf.h"

int
scamper_text_tbit(const struct scamper_tbit *t, char **out)
{
	struct sbuf sb = { 0 };
	const char *r = scamper_tbit_result_tostr(t->result);
	const char *a = scamper_tbit_app_tostr(t->app_proto);

	sb_cat(&sb, "tbit from ");
	sb_addr(&sb, &t->src);
	sb_cat(&sb, " to ");
	sb_addr(&sb, &t->dst);
	sb_printf(&sb, "\n server-mss %u, result: ", t->server_mss);
	if (r != NULL)
		sb_printf(&sb, "%s\n", r);
	else
		sb_printf(&sb, "%u\n", t->result);
	if (t->app_proto == SCAMPER_TBIT_APP_HTTP && t->http_host != NULL)
		sb_printf(&sb, " app: %s, url: %s://%s%s\n", a,
		    t->http_type == 1 ? "https" : "http", t->http_host,
		    t->http_file != NULL ? t->http_file : "");
	return sb_finish(&sb, out);
}
