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

/* Point *L and *C at the hostile list and cycle. */
static void
relist(struct scamper_list **l, struct scamper_cycle **c)
{
	scamper_list_free(*l);
	scamper_cycle_free(*c);
	*l = scamper_list_use(cycle->list);
	*c = scamper_cycle_use(cycle);
}

static void
hops(struct scamper_trace_hops *h)
{
	for (uint16_t i = 0; i < h->hopc; i++)
		rename_str(&h->hops[i].name);
}

/* Make OBJ (of TYPE) hostile; 1 if it is a measurement, else 0. */
static int
make_hostile(uint16_t type, void *obj)
{
	struct scamper_trace *t = obj;
	struct scamper_tracelb *lb = obj;
	struct scamper_tbit *tb = obj;

	switch (type) {
	case SCAMPER_FILE_OBJ_TRACE:
		relist(&t->list, &t->cycle);
		hops(&t->hops);
		return 1;
	case SCAMPER_FILE_OBJ_TRACELB:
		relist(&lb->list, &lb->cycle);
		for (uint16_t i = 0; i < lb->nodec; i++)
			rename_str(&lb->nodes[i].name);
		return 1;
	case SCAMPER_FILE_OBJ_TBIT:
		relist(&tb->list, &tb->cycle);
		rename_str(&tb->http_host);
		rename_str(&tb->http_file);
		return 1;
	case SCAMPER_FILE_OBJ_PING:
		relist(&((struct scamper_ping *)obj)->list,
		    &((struct scamper_ping *)obj)->cycle);
		return 1;
	case SCAMPER_FILE_OBJ_DEALIAS:
		relist(&((struct scamper_dealias *)obj)->list,
		    &((struct scamper_dealias *)obj)->cycle);
		return 1;
	case SCAMPER_FILE_OBJ_NEIGHBOURDISC:
		relist(&((struct scamper_neighbourdisc *)obj)->list,
		    &((struct scamper_neighbourdisc *)obj)->cycle);
		return 1;
	case SCAMPER_FILE_OBJ_STING:
		relist(&((struct scamper_sting *)obj)->list,
		    &((struct scamper_sting *)obj)->cycle);
		return 1;
	case SCAMPER_FILE_OBJ_SNIFF:
		relist(&((struct scamper_sniff *)obj)->list,
		    &((struct scamper_sniff *)obj)->cycle);
		return 1;
	}
	return 0;
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
