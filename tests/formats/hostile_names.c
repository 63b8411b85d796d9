/*
 * hostile_names: rewrite warts files so every name a JSON writer prints
 * is hostile: the list name and description, the cycle's hostname, trace
 * hop names, tracelb node names and tbit HTTP host and file all become
 * NAME (given as hex on the command line, so it may hold any byte but
 * NUL).  Every measurement of the input files goes to OUT, in one cycle
 * of one list, between a cycle start and a cycle stop.
 *
 * usage: hostile_names HEXNAME OUT.warts IN.warts ...
 * Used by test-hostile-json.sh (the libscamperfile public API only).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scamper_dealias.h"
#include "scamper_file.h"
#include "scamper_list.h"
#include "scamper_neighbourdisc.h"
#include "scamper_ping.h"
#include "scamper_sniff.h"
#include "scamper_sting.h"
#include "scamper_tbit.h"
#include "scamper_trace.h"
#include "scamper_tracelb.h"

static char name[256];
static struct scamper_cycle *cycle;

static int
unhex(const char *h)
{
	size_t n = strlen(h);

	if (n % 2 != 0 || n / 2 >= sizeof(name))
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		unsigned v;

		if (sscanf(h + 2 * i, "%2x", &v) != 1 || v == 0)
			return -1;
		name[i] = (char)v;
	}
	return 0;
}

/* Replace *S (owned) with a copy of the hostile name. */
static void
rename_str(char **s)
{
	free(*s);
	if ((*s = strdup(name)) == NULL) {
		perror("hostile_names");
		exit(1);
	}
}

/* Where each measurement type keeps its list and cycle. */
#define M(T, S) { T, offsetof(struct S, list), offsetof(struct S, cycle) }
static const struct {
	uint16_t	 type;
	size_t		 list, cycle;
} types[] = {
	M(SCAMPER_FILE_OBJ_TRACE, scamper_trace),
	M(SCAMPER_FILE_OBJ_PING, scamper_ping),
	M(SCAMPER_FILE_OBJ_TRACELB, scamper_tracelb),
	M(SCAMPER_FILE_OBJ_DEALIAS, scamper_dealias),
	M(SCAMPER_FILE_OBJ_NEIGHBOURDISC, scamper_neighbourdisc),
	M(SCAMPER_FILE_OBJ_TBIT, scamper_tbit),
	M(SCAMPER_FILE_OBJ_STING, scamper_sting),
	M(SCAMPER_FILE_OBJ_SNIFF, scamper_sniff),
};

/* Make OBJ (of TYPE) hostile; 1 if it is a measurement, else 0. */
static int
make_hostile(uint16_t type, void *obj)
{
	struct scamper_trace *t = obj;
	struct scamper_tracelb *lb = obj;
	struct scamper_tbit *tb = obj;
	size_t i = 0;

	while (i < sizeof(types) / sizeof(types[0]) && types[i].type != type)
		i++;
	if (i == sizeof(types) / sizeof(types[0]))
		return 0;
	scamper_list_free(*(struct scamper_list **)((char *)obj +
	    types[i].list));
	scamper_cycle_free(*(struct scamper_cycle **)((char *)obj +
	    types[i].cycle));
	*(struct scamper_list **)((char *)obj + types[i].list) =
	    scamper_list_use(cycle->list);
	*(struct scamper_cycle **)((char *)obj + types[i].cycle) =
	    scamper_cycle_use(cycle);
	if (type == SCAMPER_FILE_OBJ_TRACE)
		for (uint16_t h = 0; h < t->hops.hopc; h++)
			rename_str(&t->hops.hops[h].name);
	else if (type == SCAMPER_FILE_OBJ_TRACELB)
		for (uint16_t n = 0; n < lb->nodec; n++)
			rename_str(&lb->nodes[n].name);
	else if (type == SCAMPER_FILE_OBJ_TBIT) {
		rename_str(&tb->http_host);
		rename_str(&tb->http_file);
	}
	return 1;
}

static int
copy(struct scamper_file *out, const char *path)
{
	struct scamper_file *in = scamper_file_open_read(path);
	uint16_t type;
	void *obj;
	int rc;

	if (in == NULL) {
		perror(path);
		return -1;
	}
	while ((rc = scamper_file_read(in, &type, &obj)) == 1) {
		if (make_hostile(type, obj) &&
		    scamper_file_write_obj(out, type, obj) != 0) {
			fprintf(stderr, "%s: %s\n", path,
			    scamper_file_error(out));
			rc = -1;
		}
		scamper_file_obj_free(type, obj);
		if (rc == -1)
			break;
	}
	if (rc < 0)
		fprintf(stderr, "%s: %s\n", path, scamper_file_error(in));
	scamper_file_close(in);
	return rc;
}

int
main(int argc, char **argv)
{
	struct scamper_file *out;
	struct scamper_list *l;
	int rc = 0;

	if (argc < 4 || unhex(argv[1]) != 0) {
		fprintf(stderr, "usage: hostile_names HEXNAME OUT IN ...\n");
		return 2;
	}
	if ((l = scamper_list_alloc(7, name, name, name)) == NULL ||
	    (cycle = scamper_cycle_alloc(l, 9, 1000000000, name)) == NULL ||
	    (out = scamper_file_open_write(argv[2])) == NULL) {
		perror("hostile_names");
		return 1;
	}
	scamper_list_free(l);
	if (scamper_file_write_cycle_start(out, cycle) != 0)
		rc = -1;
	for (int i = 3; i < argc && rc == 0; i++)
		if (copy(out, argv[i]) != 0)
			rc = -1;
	cycle->stop_time = 1000000100;
	if (rc == 0 && scamper_file_write_cycle_stop(out, cycle) != 0)
		rc = -1;
	if (scamper_file_close(out) != 0)
		rc = -1;
	scamper_cycle_free(cycle);
	return rc == 0 ? 0 : 1;
}
