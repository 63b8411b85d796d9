/*
 * tdcraft.c: make warts inputs for the sc_tracediff test from corpus
 * traces, picked and edited in memory, written with our library.
 *
 * usage: tdcraft OUT.warts SPEC...
 * SPEC is IN.warts:N[:EDIT[,EDIT]...]: the Nth trace (0-based) of
 * IN.warts with these edits applied, in order:
 *   userid=U      the trace's userid
 *   first=T       its firsthop (hops below T are kept)
 *   count=C       its hop_count
 *   addr=T/A      the address of every reply at TTL T
 *   addr1=T/A     the address of the first reply at TTL T only
 *   drop=T        no replies at TTL T
 *   icmp=T/Y/C    ICMP type Y code C for every reply at TTL T
 *   start=S       start time, seconds since the epoch
 *   src=A, dst=A  the source or destination address
 * Traces are written in the order given; no list or cycle records.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scamper_file.h"
#include "scamper_trace.h"

static struct scamper_trace *
nth_trace(const char *path, long n)
{
	struct scamper_file *f = scamper_file_open_read(path);
	struct scamper_trace *t = NULL;
	uint16_t type;
	void *obj;

	if (f == NULL) {
		fprintf(stderr, "tdcraft: cannot open %s\n", path);
		exit(1);
	}
	while (t == NULL && scamper_file_read(f, &type, &obj) == 1) {
		if (type == SCAMPER_FILE_OBJ_TRACE && n-- == 0)
			t = obj;
		else
			scamper_file_obj_free(type, obj);
	}
	scamper_file_close(f);
	if (t == NULL) {
		fprintf(stderr, "tdcraft: %s: no such trace\n", path);
		exit(1);
	}
	return t;
}

static void
drop_ttl(struct scamper_trace *t, unsigned ttl)
{
	struct scamper_trace_hops *h = &t->hops;
	uint16_t i, j = 0;

	for (i = 0; i < h->hopc; i++) {
		if (h->hops[i].probe_ttl == ttl) {
			free(h->hops[i].name);
			free(h->hops[i].icmpext);
			continue;
		}
		h->hops[j++] = h->hops[i];
	}
	h->hopc = j;
}

static void
edit(struct scamper_trace *t, char *e)
{
	unsigned a, b, c;
	char addr[64];
	int once = strncmp(e, "addr1=", 6) == 0;

	if (sscanf(e, "userid=%u", &a) == 1) {
		t->userid = a;
	} else if (sscanf(e, "first=%u", &a) == 1) {
		t->firsthop = (uint8_t)a;
	} else if (sscanf(e, "count=%u", &a) == 1) {
		t->hop_count = (uint16_t)a;
	} else if (sscanf(e, "start=%u", &a) == 1) {
		t->start.tv_sec = a;
	} else if (sscanf(e, "src=%63s", addr) == 1 ||
	    sscanf(e, "dst=%63s", addr) == 1) {
		if (scamper_addr_pton(e[0] == 's' ? &t->src : &t->dst,
		    addr) != 0) {
			fprintf(stderr, "tdcraft: bad address %s\n", addr);
			exit(1);
		}
	} else if (sscanf(e, "drop=%u", &a) == 1) {
		drop_ttl(t, a);
	} else if (sscanf(e, once ? "addr1=%u/%63s" : "addr=%u/%63s", &a,
	    addr) == 2) {
		for (uint16_t i = 0; i < t->hops.hopc; i++) {
			if (t->hops.hops[i].probe_ttl != a)
				continue;
			if (scamper_addr_pton(&t->hops.hops[i].addr, addr)) {
				fprintf(stderr, "tdcraft: bad address %s\n",
				    addr);
				exit(1);
			}
			if (once)
				break;
		}
	} else if (sscanf(e, "icmp=%u/%u/%u", &a, &b, &c) == 3) {
		for (uint16_t i = 0; i < t->hops.hopc; i++) {
			if (t->hops.hops[i].probe_ttl != a)
				continue;
			t->hops.hops[i].icmp_type = (uint8_t)b;
			t->hops.hops[i].icmp_code = (uint8_t)c;
			t->hops.hops[i].flags &= (uint8_t)~(
			    SCAMPER_TRACE_HOP_TCP | SCAMPER_TRACE_HOP_UDP);
		}
	} else {
		fprintf(stderr, "tdcraft: bad edit %s\n", e);
		exit(1);
	}
}

int
main(int argc, char **argv)
{
	struct scamper_file *out;

	if (argc < 3) {
		fprintf(stderr, "usage: tdcraft OUT.warts IN.warts:N[:EDITS]"
		    "...\n");
		return 1;
	}
	if ((out = scamper_file_open_write(argv[1])) == NULL) {
		fprintf(stderr, "tdcraft: cannot write %s\n", argv[1]);
		return 1;
	}
	for (int i = 2; i < argc; i++) {
		char *spec = argv[i], *n, *edits, *e;
		struct scamper_trace *t;

		if ((n = strchr(spec, ':')) == NULL) {
			fprintf(stderr, "tdcraft: bad spec %s\n", spec);
			return 1;
		}
		*n++ = '\0';
		edits = strchr(n, ':');
		if (edits != NULL)
			*edits++ = '\0';
		t = nth_trace(spec, strtol(n, NULL, 10));
		scamper_list_free(t->list);
		scamper_cycle_free(t->cycle);
		t->list = NULL;
		t->cycle = NULL;
		while (edits != NULL && (e = strsep(&edits, ",")) != NULL)
			edit(t, e);
		if (scamper_file_write_trace(out, t) != 0) {
			fprintf(stderr, "tdcraft: write failed\n");
			return 1;
		}
		scamper_trace_free(t);
	}
	return scamper_file_close(out) != 0;
}
