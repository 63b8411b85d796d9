/*
 * aliasdrv.c: what the alias-resolution drivers share (aliasdrv.h).
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "aliasdrv.h"
#include "scamper_file.h"

#define WARTS_MAGIC	0x1205

/* ---- address sets ------------------------------------------------------ */

static int
grow(void **p, size_t *cap, size_t want, size_t size)
{
	size_t c = *cap == 0 ? 64 : *cap;
	void *n;

	if (want <= *cap)
		return 0;
	while (c < want)
		c *= 2;
	if ((n = realloc(*p, c * size)) == NULL)
		return -1;
	*p = n;
	*cap = c;
	return 0;
}

/* Add the address TOK of line LINE to S. */
static int
add_addr(struct adrv_sets *s, size_t *cap, const char *tok, int af,
    const char *path, unsigned line, char *err, size_t errlen)
{
	struct adrv_addr *a;

	if (grow((void **)&s->addrs, cap, s->naddrs + 1, sizeof(*a)) == -1) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	a = &s->addrs[s->naddrs];
	memset(a, 0, sizeof(*a));
	if (strlen(tok) < sizeof(a->str) &&
	    inet_pton(AF_INET, tok, a->bin) == 1)
		a->af = AF_INET;
	else if (strlen(tok) < sizeof(a->str) &&
	    inet_pton(AF_INET6, tok, a->bin) == 1)
		a->af = AF_INET6;
	if (a->af == 0 || (af != 0 && a->af != af)) {
		snprintf(err, errlen, "%s:%u: '%.60s' is not an %s address",
		    path, line, tok, af == AF_INET6 ? "IPv6" :
		    af == AF_INET ? "IPv4" : "IP");
		return -1;
	}
	inet_ntop(a->af, a->bin, a->str, sizeof(a->str));
	s->naddrs++;
	return 0;
}

int
adrv_read_sets(const char *path, int af, struct adrv_sets *s, char *err,
    size_t errlen)
{
	size_t acap = 0, scap = 0;
	char buf[8192], *tok, *save;
	unsigned line = 0;
	FILE *f;

	memset(s, 0, sizeof(*s));
	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(buf, sizeof(buf), f) != NULL) {
		size_t first = s->naddrs;

		line++;
		if (strchr(buf, '\n') == NULL && !feof(f)) {
			snprintf(err, errlen, "%s:%u: line too long", path,
			    line);
			goto bad;
		}
		if ((tok = strchr(buf, '#')) != NULL)
			*tok = '\0';
		for (tok = strtok_r(buf, " \t\r\n,", &save); tok != NULL;
		    tok = strtok_r(NULL, " \t\r\n,", &save))
			if (add_addr(s, &acap, tok, af, path, line, err,
			    errlen) == -1)
				goto bad;
		if (s->naddrs == first)
			continue;
		if (grow((void **)&s->sets, &scap, s->nsets + 2,
		    sizeof(size_t)) == -1) {
			snprintf(err, errlen, "out of memory");
			goto bad;
		}
		s->sets[s->nsets++] = first;
		s->sets[s->nsets] = s->naddrs;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto bad;
	}
	fclose(f);
	if (s->naddrs == 0) {
		snprintf(err, errlen, "%s: no addresses", path);
		adrv_sets_free(s);
		return -1;
	}
	return 0;
bad:
	fclose(f);
	adrv_sets_free(s);
	return -1;
}

void
adrv_sets_free(struct adrv_sets *s)
{
	free(s->addrs);
	free(s->sets);
	memset(s, 0, sizeof(*s));
}

/* ---- decoding a record -------------------------------------------------- */

struct scamper_dealias *
adrv_decode(const uint8_t *hdr, size_t hdrlen, const uint8_t *b, size_t len)
{
	struct scamper_file *f;
	uint8_t h[8];
	uint16_t type;
	void *obj;
	int fd;

	if ((fd = memfd_create("aliasdrv", MFD_CLOEXEC)) == -1)
		return NULL;
	h[0] = WARTS_MAGIC >> 8;
	h[1] = WARTS_MAGIC & 0xff;
	h[2] = 0;
	h[3] = SCAMPER_FILE_OBJ_DEALIAS;
	h[4] = (uint8_t)(len >> 24);
	h[5] = (uint8_t)(len >> 16);
	h[6] = (uint8_t)(len >> 8);
	h[7] = (uint8_t)len;
	if ((hdrlen > 0 && write(fd, hdr, hdrlen) != (ssize_t)hdrlen) ||
	    write(fd, h, 8) != 8 || write(fd, b, len) != (ssize_t)len ||
	    lseek(fd, 0, SEEK_SET) != 0 ||
	    (f = scamper_file_fdopen_read(fd)) == NULL) {
		close(fd);
		return NULL;
	}
	obj = NULL;
	while (scamper_file_read(f, &type, &obj) == 1) {
		if (type == SCAMPER_FILE_OBJ_DEALIAS)
			break;
		scamper_file_obj_free(type, obj);
		obj = NULL;
	}
	scamper_file_close(f);
	return obj;
}

/* ---- samples ------------------------------------------------------------ */

long
adrv_samples(const struct scamper_dealias *d, struct ipid_sample **out)
{
	struct ipid_sample *v;
	long n = 0;

	*out = NULL;
	if ((v = calloc(d->probec + 1, sizeof(*v))) == NULL)
		return -1;
	for (uint32_t i = 0; i < d->probec; i++) {
		const struct scamper_dealias_probe *p = &d->probes[i];
		const struct scamper_dealias_reply *r;

		if (p->replyc != 1 || p->def >= d->defc)
			continue;
		r = &p->replies[0];
		if (r->src.type == SCAMPER_ADDR_IPV6) {
			if (!(r->flags & SCAMPER_DEALIAS_REPLY_FLAG_IPID32))
				continue;
			v[n].id = r->ipid32;
		} else {
			if (r->ipid == p->ipid)
				continue;	/* our own IP-ID echoed */
			v[n].id = r->ipid;
		}
		v[n++].who = p->def;
	}
	*out = v;
	return n;
}

size_t
adrv_pick2(const struct ipid_sample *s, size_t n, uint32_t a, uint32_t b,
    struct ipid_sample *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (s[i].who == a || s[i].who == b)
			out[k++] = s[i];
	return k;
}

int
adrv_counter(const struct ipid_sample *s, size_t n, uint32_t who,
    size_t min, const struct ipid_rules *r)
{
	struct ipid_sample *v = calloc(n + 1, sizeof(*v));
	size_t k = adrv_pick2(s, n, who, who, v);
	int rc;

	if (v == NULL)
		return 0;
	rc = k >= min && k >= 2 && !ipid_all_zero(v, k) &&
	    ipid_series(v, k, r) != IPID_NO;
	free(v);
	return rc;
}

/* ---- sets of aliases ---------------------------------------------------- */

int
adrv_uf_init(struct adrv_uf *u, size_t n)
{
	if ((u->up = calloc(n + 1, sizeof(size_t))) == NULL)
		return -1;
	for (size_t i = 0; i < n; i++)
		u->up[i] = i;
	u->n = n;
	return 0;
}

size_t
adrv_uf_find(struct adrv_uf *u, size_t i)
{
	while (u->up[i] != i) {
		u->up[i] = u->up[u->up[i]];
		i = u->up[i];
	}
	return i;
}

void
adrv_uf_join(struct adrv_uf *u, size_t a, size_t b)
{
	a = adrv_uf_find(u, a);
	b = adrv_uf_find(u, b);
	if (a != b)
		u->up[a < b ? b : a] = a < b ? a : b;
}

void
adrv_uf_free(struct adrv_uf *u)
{
	free(u->up);
	u->up = NULL;
}

int
adrv_pairs_add(struct adrv_pairs *p, const char *a, const char *b)
{
	size_t cap = p->cap;

	if (p->n + 1 > cap) {
		size_t c = cap == 0 ? 64 : cap * 2;
		char (*na)[48] = realloc(p->a, c * 48);

		if (na == NULL)
			return -1;
		p->a = na;
		if ((na = realloc(p->b, c * 48)) == NULL)
			return -1;
		p->b = na;
		p->cap = c;
	}
	snprintf(p->a[p->n], 48, "%s", a);
	snprintf(p->b[p->n], 48, "%s", b);
	p->n++;
	return 0;
}

static int
cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The index of S in the sorted NAMES (N), which holds it. */
static size_t
name_at(char **names, size_t n, const char *s)
{
	char **p = bsearch(&s, names, n, sizeof(*names), cmp_str);

	return (size_t)(p - names);
}

/* The closure of P's pairs printed as sets, one a line. */
static int
print_tc(struct adrv_pairs *p, FILE *f)
{
	char **names = calloc(2 * p->n + 1, sizeof(char *));
	size_t n = 0, m = 0;
	struct adrv_uf u;

	if (names == NULL)
		return -1;
	for (size_t i = 0; i < p->n; i++) {
		names[n++] = p->a[i];
		names[n++] = p->b[i];
	}
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++)
		if (m == 0 || strcmp(names[m - 1], names[i]) != 0)
			names[m++] = names[i];
	if (adrv_uf_init(&u, m) == -1) {
		free(names);
		return -1;
	}
	for (size_t i = 0; i < p->n; i++)
		adrv_uf_join(&u, name_at(names, m, p->a[i]),
		    name_at(names, m, p->b[i]));
	for (size_t root = 0; root < m; root++) {
		int first = 1;

		if (adrv_uf_find(&u, root) != root)
			continue;
		for (size_t i = root; i < m; i++)
			if (adrv_uf_find(&u, i) == root) {
				fprintf(f, "%s%s", first ? "" : " ", names[i]);
				first = 0;
			}
		fputc('\n', f);
	}
	adrv_uf_free(&u);
	free(names);
	return 0;
}

int
adrv_pairs_print(struct adrv_pairs *p, int tc, FILE *f)
{
	if (tc)
		return print_tc(p, f);
	for (size_t i = 0; i < p->n; i++)
		fprintf(f, "%s %s\n", p->a[i], p->b[i]);
	return 0;
}

void
adrv_pairs_free(struct adrv_pairs *p)
{
	free(p->a);
	free(p->b);
	memset(p, 0, sizeof(*p));
}

/* ---- files -------------------------------------------------------------- */

static int
each_in(const char *prog, const char *path, adrv_each_cb *cb, void *arg)
{
	struct scamper_file *f;
	uint16_t type;
	void *obj;
	int rc;

	f = strcmp(path, "-") == 0 ? scamper_file_fdopen_read(dup(0)) :
	    scamper_file_open_read(path);
	if (f == NULL) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		return -1;
	}
	while ((rc = scamper_file_read(f, &type, &obj)) == 1) {
		if (type == SCAMPER_FILE_OBJ_DEALIAS)
			cb(arg, obj);
		scamper_file_obj_free(type, obj);
	}
	if (rc == -1)
		fprintf(stderr, "%s: %s: %s\n", prog, path,
		    scamper_file_error(f));
	scamper_file_close(f);
	return rc == -1 ? -1 : 0;
}

int
adrv_each_dealias(const char *prog, char **files, int nfiles,
    adrv_each_cb *cb, void *arg)
{
	int rc = 0;

	if (nfiles == 0)
		return each_in(prog, "-", cb, arg);
	for (int i = 0; i < nfiles; i++)
		if (each_in(prog, files[i], cb, arg) == -1)
			rc = -1;
	return rc;
}

const char *
adrv_addr_str(const struct scamper_addr *a, char *buf)
{
	if (scamper_addr_tostr(a, buf, 48) == NULL)
		snprintf(buf, 48, "?");
	return buf;
}
