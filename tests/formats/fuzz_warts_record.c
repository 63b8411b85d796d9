/*
 * fuzz_warts_record.c: one measurement record body through its decoder.
 *
 * Input: byte 0 picks the record type (taken modulo 16), the rest is the
 * record body.  The target frames it as a warts file (a list, a cycle
 * start, then the record, so list and cycle ID 1 resolve) and reads it;
 * an object that decodes is rendered as JSON and text and written again,
 * and the written record must decode again.  Seeds in tests/fuzz/corpus/warts-record/ hold
 * real bodies of every type from the corpus.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static const uint8_t head[] = {
	/* list 1 "default" */
	0x12, 0x05, 0x00, 0x01, 0x00, 0x00, 0x00, 0x11,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
	'd', 'e', 'f', 'a', 'u', 'l', 't', 0x00, 0x00,
	/* cycle start 1 of list 1 */
	0x12, 0x05, 0x00, 0x02, 0x00, 0x00, 0x00, 0x11,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x00, 0x6b, 0x03, 0x12, 0x00, 0x00,
};

static struct scamper_file *
reader(const uint8_t *b, size_t n, FILE **tmp)
{
	*tmp = tmpfile();
	if (*tmp == NULL || (n > 0 && fwrite(b, 1, n, *tmp) != n))
		abort();
	fflush(*tmp);
	lseek(fileno(*tmp), 0, SEEK_SET);
	return scamper_file_fdopen_read(dup(fileno(*tmp)));
}

/* Read everything in F; write what decodes to W (if not NULL).  Returns
 * the number of measurement objects. */
static int
drain(struct scamper_file *f, struct scamper_file *w)
{
	uint16_t type;
	void *obj;
	int n = 0;
	char *s;

	while (scamper_file_read(f, &type, &obj) == 1) {
		if (type >= SCAMPER_FILE_OBJ_TRACE &&
		    type <= SCAMPER_FILE_OBJ_HOST)
			n++;
		if (scamper_json_obj(type, obj, &s) == 0)
			free(s);
		if (text_ok(type, obj) && scamper_text_obj(type, obj, &s) == 0)
			free(s);
		if (w != NULL)
			(void)scamper_file_write_obj(w, type, obj);
		scamper_file_obj_free(type, obj);
	}
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *b;
	size_t len;
	FILE *in, *out = tmpfile();
	struct scamper_file *r, *w, *r2;
	int n;

	if (size == 0) {
		if (out != NULL)
			fclose(out);
		return 0;
	}
	if (out == NULL || (b = malloc(sizeof(head) + 8 + size)) == NULL)
		abort();
	len = size - 1;
	memcpy(b, head, sizeof(head));
	b[sizeof(head)] = 0x12;
	b[sizeof(head) + 1] = 0x05;
	b[sizeof(head) + 2] = 0;
	b[sizeof(head) + 3] = data[0] % 16;
	b[sizeof(head) + 4] = (uint8_t)(len >> 24);
	b[sizeof(head) + 5] = (uint8_t)(len >> 16);
	b[sizeof(head) + 6] = (uint8_t)(len >> 8);
	b[sizeof(head) + 7] = (uint8_t)len;
	memcpy(b + sizeof(head) + 8, data + 1, len);
	r = reader(b, sizeof(head) + 8 + len, &in);
	w = scamper_file_fdopen_write(dup(fileno(out)));
	if (r == NULL || w == NULL)
		abort();
	n = drain(r, w);
	scamper_file_close(r);
	scamper_file_close(w);
	/* what we wrote must read back with the same number of objects */
	lseek(fileno(out), 0, SEEK_SET);
	r2 = scamper_file_fdopen_read(dup(fileno(out)));
	if (r2 == NULL)
		abort();
	if (drain(r2, NULL) != n) {
		const char *dump = getenv("FUZZ_DUMP");
		FILE *fp;

		/* keep the input that broke the round trip */
		if (dump != NULL && (fp = fopen(dump, "wb")) != NULL) {
			fwrite(data, 1, size, fp);
			fclose(fp);
		}
		abort();
	}
	scamper_file_close(r2);
	fclose(in);
	fclose(out);
	free(b);
	return 0;
}
