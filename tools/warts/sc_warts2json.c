/*
 * sc_warts2json: print each measurement in warts files as one JSON object
 * per line, as CAIDA's sc_warts2json does.
 *
 * usage: sc_warts2json [file ...]     (no file, or "-": standard input)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scamper_file.h"
#include "scamper_json.h"

static int
dump(const char *path)
{
	struct scamper_file *f = scamper_file_open_read(path);
	uint16_t type;
	void *obj;
	char *s;
	int rc;

	if (f == NULL) {
		fprintf(stderr, "sc_warts2json: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((rc = scamper_file_read(f, &type, &obj)) == 1) {
		if (scamper_json_obj(type, obj, &s) != 0) {
			scamper_file_obj_free(type, obj);
			fprintf(stderr, "sc_warts2json: out of memory\n");
			rc = -1;
			break;
		}
		scamper_file_obj_free(type, obj);
		if (s != NULL) {
			fputs(s, stdout);
			fputc('\n', stdout);
			free(s);
		}
	}
	if (rc < 0 && scamper_file_error(f)[0] != '\0')
		fprintf(stderr, "sc_warts2json: %s: %s\n", path,
		    scamper_file_error(f));
	scamper_file_close(f);
	return rc;
}

int
main(int argc, char **argv)
{
	int rc = 0;

	if (argc > 1 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0)) {
		fprintf(stderr, "usage: sc_warts2json [file ...]\n");
		return 0;
	}
	if (argc < 2)
		rc = dump("-");
	for (int i = 1; i < argc; i++)
		if (dump(argv[i]) != 0)
			rc = -1;
	if (fflush(stdout) != 0)
		rc = -1;
	return rc == 0 ? 0 : 1;
}
