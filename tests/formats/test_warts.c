/*
 * test_warts.c: libscamperfile against the corpus in tests/data.
 *
 * For every corpus file X.warts (written by Debian's scamper 20211212):
 *  - our JSON equals X.json (made by Debian's sc_warts2json), line by line;
 *  - read -> write gives back identical bytes;
 *  - every record is decoded (none is left raw);
 *  - every proper prefix of the file gives an error naming a byte offset
 *    (or a clean end exactly at a record boundary), never a crash.
 * usage: test_warts DATADIR   (TZ must be UTC, as in make-corpus.sh)
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scamper_file.h"
#include "scamper_json.h"
#include "scamper_ping.h"
#include "scamper_trace.h"
#include "../unit/sanitized.h"
#include "../lib/check_table.h"

static const char *datadir;
static char **names;
static int nnames;

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
load_names(void)
{
	DIR *d = opendir(datadir);
	struct dirent *de;

	if (d == NULL) {
		perror(datadir);
		exit(1);
	}
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);

		if (n > 6 && strcmp(de->d_name + n - 6, ".warts") == 0) {
			names = realloc(names, sizeof(*names) * (size_t)(nnames + 1));
			names[nnames++] = strndup(de->d_name, n - 6);
		}
	}
	closedir(d);
	qsort(names, (size_t)nnames, sizeof(*names), cmpstr);
}

static uint8_t *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *b = NULL;
	size_t n = 0, alloc = 0, k;

	if (fp == NULL)
		return NULL;
	do {
		if (alloc - n < 4096)
			b = realloc(b, alloc = alloc * 2 + 4096);
		k = fread(b + n, 1, alloc - n, fp);
		n += k;
	} while (k > 0);
	fclose(fp);
	*len = n;
	return b;
}

static char *
path_of(const char *name, const char *ext)
{
	char *p;

	ck_assert(asprintf(&p, "%s/%s%s", datadir, name, ext) > 0);
	return p;
}

/* A reader over the bytes B[0..N-1] (through a pipe-free temp file). */
static struct scamper_file *
open_bytes(const uint8_t *b, size_t n)
{
	FILE *tmp = tmpfile();
	int fd;

	ck_assert(tmp != NULL);
	ck_assert(n == 0 || fwrite(b, 1, n, tmp) == n);
	fflush(tmp);
	fd = dup(fileno(tmp));
	fclose(tmp);
	lseek(fd, 0, SEEK_SET);
	return scamper_file_fdopen_read(fd);
}

START_TEST(json_matches_debian)
{
	const char *name = names[_i];
	char *wp = path_of(name, ".warts"), *jp = path_of(name, ".json");
	size_t jlen = 0, off = 0;
	uint8_t *expect = slurp(jp, &jlen);
	struct scamper_file *f = scamper_file_open_read(wp);
	uint16_t type;
	void *obj;
	int rc, line = 1;

	ck_assert_msg(expect != NULL, "%s missing", jp);
	ck_assert(f != NULL);
	while ((rc = scamper_file_read(f, &type, &obj)) == 1) {
		char *s;

		ck_assert(scamper_json_obj(type, obj, &s) == 0);
		scamper_file_obj_free(type, obj);
		if (s == NULL)
			continue;
		size_t n = strlen(s);

		ck_assert_msg(off + n < jlen && memcmp(expect + off, s, n) == 0 &&
		    expect[off + n] == '\n', "%s line %d differs:\nours:   %s\n"
		    "debian: %.*s", name, line, s, (int)(jlen - off > n + 1 ?
		    n + 1 : jlen - off), (const char *)expect + off);
		off += n + 1;
		line++;
		free(s);
	}
	ck_assert_msg(rc == 0, "%s: %s", name, scamper_file_error(f));
	ck_assert_msg(off == jlen, "%s: Debian printed more lines", name);
	scamper_file_close(f);
	free(expect);
	free(wp);
	free(jp);
}
END_TEST

START_TEST(round_trip)
{
	const char *name = names[_i];
	char *wp = path_of(name, ".warts");
	size_t len = 0, olen = 0;
	uint8_t *in = slurp(wp, &len), *outb;
	struct scamper_file *r = scamper_file_open_read(wp), *w;
	FILE *tmp = tmpfile();
	uint16_t type;
	void *obj;
	int rc;

	ck_assert(in != NULL && r != NULL && tmp != NULL);
	w = scamper_file_fdopen_write(dup(fileno(tmp)));
	ck_assert(w != NULL);
	while ((rc = scamper_file_read(r, &type, &obj)) == 1) {
		/* every record decodes into its type: none is left raw */
		ck_assert_msg(type != SCAMPER_FILE_OBJ_RAW, "%s: record type "
		    "%u at offset %llu not decoded", name,
		    ((struct scamper_file_raw *)obj)->type,
		    (unsigned long long)scamper_file_offset(r));
		ck_assert_msg(scamper_file_write_obj(w, type, obj) == 0, "%s: %s",
		    name, scamper_file_error(w));
		scamper_file_obj_free(type, obj);
	}
	ck_assert_msg(rc == 0, "%s: %s", name, scamper_file_error(r));
	ck_assert(scamper_file_close(w) == 0);
	scamper_file_close(r);
	rewind(tmp);
	outb = malloc(len + 1);
	olen = fread(outb, 1, len + 1, tmp);
	ck_assert_msg(olen == len, "%s: wrote %zu bytes, read %zu", name, olen,
	    len);
	for (size_t i = 0; i < len; i++)
		ck_assert_msg(in[i] == outb[i], "%s: byte %zu differs: %02x, "
		    "wrote %02x", name, i, in[i], outb[i]);
	fclose(tmp);
	free(in);
	free(outb);
	free(wp);
}
END_TEST

/* Record boundaries of a well-formed file. */
static int
is_boundary(const uint8_t *b, size_t len, size_t at)
{
	size_t off = 0;

	while (off < len) {
		if (off == at)
			return 1;
		off += 8 + ((size_t)b[off + 4] << 24 | (size_t)b[off + 5] << 16 |
		    (size_t)b[off + 6] << 8 | b[off + 7]);
	}
	return off == at;
}

START_TEST(truncated)
{
	const char *name = names[_i];
	char *wp = path_of(name, ".warts");
	size_t len = 0;
	uint8_t *in = slurp(wp, &len);

	ck_assert(in != NULL);
	for (size_t cut = 0; cut < len; cut++) {
		struct scamper_file *f;
		uint16_t type;
		void *obj;
		int rc;

		/* sanitized code is slow: every fifth cut, and every cut
		 * next to a record boundary */
		if (UNIT_SANITIZED && cut % 5 != 0 && !is_boundary(in, len,
		    cut) && !is_boundary(in, len, cut - 1) &&
		    !is_boundary(in, len, cut + 1))
			continue;
		f = open_bytes(in, cut);
		ck_assert(f != NULL);
		while ((rc = scamper_file_read(f, &type, &obj)) == 1)
			scamper_file_obj_free(type, obj);
		if (is_boundary(in, len, cut))
			ck_assert_msg(rc == 0, "%s cut at %zu: %s", name, cut,
			    scamper_file_error(f));
		else
			ck_assert_msg(rc == -1 && strstr(scamper_file_error(f),
			    "offset ") != NULL, "%s cut at %zu: rc %d, '%s'",
			    name, cut, rc, scamper_file_error(f));
		/* reading again after an error or EOF stays put */
		ck_assert(scamper_file_read(f, &type, &obj) == rc);
		scamper_file_close(f);
	}
	free(in);
	free(wp);
}
END_TEST

START_TEST(garbage)
{
	static const uint8_t bad_magic[] = { 0x12, 0x06, 0, 1, 0, 0, 0, 0 };
	static const uint8_t type0[] = { 0x12, 0x05, 0, 0, 0, 0, 0, 0 };
	static const uint8_t huge[] = { 0x12, 0x05, 0, 6, 0x3f, 0, 0, 0, 1 };
	static const uint8_t unknown[] = { 0x12, 0x05, 0, 0x42, 0, 0, 0, 2,
	    0xaa, 0xbb };
	const struct { const uint8_t *b; size_t n; int rc; const char *msg; }
	    cases[] = {
		{ bad_magic, sizeof(bad_magic), -1, "offset 0: bad magic" },
		{ type0, sizeof(type0), -1, "offset 0: record type 0" },
		{ huge, sizeof(huge), -1, "offset 0: truncated record" },
		{ unknown, sizeof(unknown), 1, "" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct scamper_file *f = open_bytes(cases[i].b, cases[i].n);
		uint16_t type;
		void *obj = NULL;
		int rc = scamper_file_read(f, &type, &obj);

		ck_assert_int_eq(rc, cases[i].rc);
		ck_assert_msg(strncmp(scamper_file_error(f), cases[i].msg,
		    strlen(cases[i].msg)) == 0, "case %zu: '%s'", i,
		    scamper_file_error(f));
		if (rc == 1) {
			const struct scamper_file_raw *raw = obj;

			ck_assert_int_eq(type, SCAMPER_FILE_OBJ_RAW);
			ck_assert_int_eq(raw->type, 0x42);
			ck_assert_int_eq(raw->len, 2);
			scamper_file_obj_free(type, obj);
			ck_assert_int_eq(scamper_file_read(f, &type, &obj), 0);
		}
		scamper_file_close(f);
	}
}
END_TEST

/* Two files joined with cat(1): the error names the offset where the
 * second file's list record starts, and says what probably happened. */
START_TEST(concatenated)
{
	char *a = path_of("trace-icmp-v4", ".warts");
	char *b = path_of("ping-icmp-echo-v4", ".warts");
	size_t la = 0, lb = 0;
	uint8_t *ba = slurp(a, &la), *bb = slurp(b, &lb), *j;
	struct scamper_file *f;
	char want[64];
	uint16_t type;
	void *obj;
	int rc;

	ck_assert(ba != NULL && bb != NULL && (j = malloc(la + lb)) != NULL);
	memcpy(j, ba, la);
	memcpy(j + la, bb, lb);
	f = open_bytes(j, la + lb);
	while ((rc = scamper_file_read(f, &type, &obj)) == 1)
		scamper_file_obj_free(type, obj);
	snprintf(want, sizeof(want), "offset %zu: list record with ID 1, "
	    "expected 2", la);
	ck_assert_int_eq(rc, -1);
	ck_assert_msg(strncmp(scamper_file_error(f), want, strlen(want)) == 0
	    && strstr(scamper_file_error(f), "sc_wartscat") != NULL, "%s",
	    scamper_file_error(f));
	scamper_file_close(f);
	free(j);
	free(ba);
	free(bb);
	free(a);
	free(b);
}
END_TEST

/* Appending: the file's lists and cycles carry on (no second list
 * record, the next cycle ID), so the whole reads back; a damaged file is
 * refused. */
START_TEST(append)
{
	char *a = path_of("trace-icmp-v4", ".warts");
	char *b = path_of("ping-icmp-echo-v4", ".warts");
	char tmpl[] = "/tmp/test_warts_appendXXXXXX", err[256];
	size_t la = 0;
	uint8_t *ba = slurp(a, &la);
	struct scamper_file *r, *w;
	int fd = mkstemp(tmpl), lists = 0, cycles = 0, data = 0, rc;
	uint16_t type;
	void *obj;

	ck_assert(fd != -1 && ba != NULL && write(fd, ba, la) == (ssize_t)la);
	close(fd);
	w = scamper_file_open_append(tmpl, err, sizeof(err));
	ck_assert_msg(w != NULL, "%s", err);
	r = scamper_file_open_read(b);
	while ((rc = scamper_file_read(r, &type, &obj)) == 1) {
		ck_assert(scamper_file_write_obj(w, type, obj) == 0);
		scamper_file_obj_free(type, obj);
	}
	scamper_file_close(r);
	ck_assert(scamper_file_close(w) == 0);
	r = scamper_file_open_read(tmpl);
	while ((rc = scamper_file_read(r, &type, &obj)) == 1) {
		lists += type == SCAMPER_FILE_OBJ_LIST;
		cycles += type == SCAMPER_FILE_OBJ_CYCLE_START;
		data += type == SCAMPER_FILE_OBJ_TRACE ||
		    type == SCAMPER_FILE_OBJ_PING;
		scamper_file_obj_free(type, obj);
	}
	ck_assert_msg(rc == 0, "%s", scamper_file_error(r));
	scamper_file_close(r);
	ck_assert_int_eq(lists, 1);
	ck_assert_int_eq(cycles, 2);
	ck_assert_int_eq(data, 2);
	/* a file cut inside a record is not appended to */
	ck_assert(truncate(tmpl, (off_t)la - 3) == 0);
	ck_assert(scamper_file_open_append(tmpl, err, sizeof(err)) == NULL);
	ck_assert_msg(strstr(err, "damaged") != NULL, "%s", err);
	unlink(tmpl);
	free(ba);
	free(a);
	free(b);
}
END_TEST

/* A trace built in memory survives write -> read. */
START_TEST(build_and_read)
{
	struct scamper_trace *t = scamper_trace_alloc();
	struct scamper_trace_hop *h;
	FILE *tmp = tmpfile();
	struct scamper_file *w = scamper_file_fdopen_write(dup(fileno(tmp)));
	struct scamper_file *r;
	uint16_t type;
	void *obj;
	char *js;

	ck_assert(t != NULL && w != NULL);
	t->list = scamper_list_alloc(0, "default", "default", NULL);
	t->cycle = scamper_cycle_alloc(t->list, 0, 1000, "vm");
	scamper_addr_pton(&t->src, "192.0.2.1");
	scamper_addr_pton(&t->dst, "198.51.100.7");
	t->type = SCAMPER_TRACE_TYPE_ICMP_ECHO;
	t->attempts = 2;
	t->firsthop = 1;
	t->hop_count = 1;
	h = scamper_trace_hop_add(&t->hops);
	h->addr = t->dst;
	h->probe_ttl = 1;
	h->probe_id = 1;
	h->rtt = 1234;
	ck_assert(scamper_file_write_trace(w, t) == 0);
	ck_assert(scamper_file_close(w) == 0);
	rewind(tmp);
	r = scamper_file_fdopen_read(dup(fileno(tmp)));
	ck_assert_int_eq(scamper_file_read(r, &type, &obj), 1);
	ck_assert_int_eq(type, SCAMPER_FILE_OBJ_LIST);
	scamper_file_obj_free(type, obj);
	ck_assert_int_eq(scamper_file_read(r, &type, &obj), 1);
	ck_assert_int_eq(type, SCAMPER_FILE_OBJ_CYCLE_DEF);
	scamper_file_obj_free(type, obj);
	ck_assert_int_eq(scamper_file_read(r, &type, &obj), 1);
	ck_assert_int_eq(type, SCAMPER_FILE_OBJ_TRACE);
	ck_assert(scamper_json_obj(type, obj, &js) == 0);
	ck_assert_msg(strstr(js, "\"addr\":\"198.51.100.7\", \"probe_ttl\":1, "
	    "\"probe_id\":1") != NULL, "%s", js);
	ck_assert_int_eq(((struct scamper_trace *)obj)->hops.hops[0].rtt, 1234);
	free(js);
	scamper_file_obj_free(type, obj);
	ck_assert_int_eq(scamper_file_read(r, &type, &obj), 0);
	scamper_file_close(r);
	scamper_trace_free(t);
	fclose(tmp);
}
END_TEST

/* Unsorted PMTUD hops are written in TTL order and the notes follow
 * their hops. */
START_TEST(pmtud_note_remap)
{
	struct scamper_trace *t = scamper_trace_alloc(), *u;
	struct scamper_trace_pmtud *pm;
	FILE *tmp = tmpfile();
	struct scamper_file *w = scamper_file_fdopen_write(dup(fileno(tmp)));
	struct scamper_file *r;
	static const uint8_t ttls[] = { 3, 1, 2 };
	uint16_t type;
	void *obj;

	ck_assert(t != NULL && w != NULL);
	scamper_addr_pton(&t->src, "192.0.2.1");
	scamper_addr_pton(&t->dst, "198.51.100.7");
	t->type = SCAMPER_TRACE_TYPE_UDP;
	t->hop_count = 3;
	t->pmtud = pm = scamper_trace_pmtud_alloc();
	pm->ifmtu = 1500;
	for (int i = 0; i < 3; i++) {
		struct scamper_trace_hop *h = scamper_trace_hop_add(&pm->hops);

		scamper_addr_pton(&h->addr, "203.0.113.9");
		h->addr.addr[3] = ttls[i];
		h->probe_ttl = ttls[i];
		h->probe_id = 1;
	}
	pm->notes = calloc(2, sizeof(*pm->notes));
	pm->notec = 2;
	pm->notes[0].type = SCAMPER_TRACE_PMTUD_NOTE_PTB;
	pm->notes[0].hop = 0;		/* the TTL 3 hop */
	pm->notes[1].type = SCAMPER_TRACE_PMTUD_NOTE_SILENCE;
	pm->notes[1].hop = -1;
	ck_assert(scamper_file_write_trace(w, t) == 0);
	ck_assert(scamper_file_close(w) == 0);
	rewind(tmp);
	r = scamper_file_fdopen_read(dup(fileno(tmp)));
	ck_assert_int_eq(scamper_file_read(r, &type, &obj), 1);
	ck_assert_int_eq(type, SCAMPER_FILE_OBJ_TRACE);
	u = obj;
	ck_assert(u->pmtud != NULL && u->pmtud->hops.hopc == 3);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(u->pmtud->hops.hops[i].probe_ttl, i + 1);
	ck_assert_int_eq(u->pmtud->notes[0].hop, 2);
	ck_assert_int_eq(u->pmtud->hops.hops[2].addr.addr[3], 3);
	ck_assert_int_eq(u->pmtud->notes[1].hop, -1);
	scamper_file_obj_free(type, obj);
	scamper_file_close(r);
	scamper_trace_free(t);
	fclose(tmp);
}
END_TEST

int
main(int argc, char **argv)
{
	Suite *s = suite_create("warts");
	TCase *tc = tcase_create("corpus");
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: test_warts DATADIR\n");
		return 2;
	}
	datadir = argv[1];
	setenv("TZ", "UTC", 1);
	load_names();
	if (nnames == 0) {
		fprintf(stderr, "no corpus files in %s\n", datadir);
		return 1;
	}
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, json_matches_debian, 0, nnames);
	tcase_add_loop_test(tc, round_trip, 0, nnames);
	tcase_add_loop_test(tc, truncated, 0, nnames);
	tcase_add_test(tc, garbage);
	tcase_add_test(tc, concatenated);
	tcase_add_test(tc, append);
	tcase_add_test(tc, build_and_read);
	tcase_add_test(tc, pmtud_note_remap);
	suite_add_tcase(s, tc);
	rc = unit_run(s);
	for (int i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	return rc;
}
