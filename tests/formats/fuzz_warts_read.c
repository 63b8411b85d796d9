/*
 * fuzz_warts_read.c: feed arbitrary bytes to the warts reader and render
 * every object it returns as JSON, text and warts again.  Any crash, hang
 * or sanitizer report is a bug; errors are expected and fine.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "scamper_file.h"
#include "scamper_json.h"
#include "scamper_text.h"
#include "scamper_trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Text prints a line per TTL up to a trace's hop count (with -Q, a star
 * per attempt on each silent one): a record claiming 65535 hops of 255
 * attempts renders 33 MB, slowly but correctly, as 20211212's does.  A
 * prober never probes past TTL 255, so larger ones are not rendered. */
static int
text_ok(uint16_t type, const void *obj)
{
	return type != SCAMPER_FILE_OBJ_TRACE ||
	    ((const struct scamper_trace *)obj)->hop_count <= 255;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *in = tmpfile(), *out = tmpfile();
	struct scamper_file *r, *w;
	uint16_t type;
	void *obj;
	char *s;

	if (in == NULL || out == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, in) != size)
		abort();
	fflush(in);
	lseek(fileno(in), 0, SEEK_SET);
	r = scamper_file_fdopen_read(dup(fileno(in)));
	w = scamper_file_fdopen_write(dup(fileno(out)));
	if (r == NULL || w == NULL)
		abort();
	while (scamper_file_read(r, &type, &obj) == 1) {
		if (scamper_json_obj(type, obj, &s) == 0)
			free(s);
		if (text_ok(type, obj) && scamper_text_obj(type, obj, &s) == 0)
			free(s);
		(void)scamper_file_write_obj(w, type, obj);
		scamper_file_obj_free(type, obj);
	}
	scamper_file_close(r);
	scamper_file_close(w);
	fclose(in);
	fclose(out);
	return 0;
}
