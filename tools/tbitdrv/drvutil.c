/*
 * drvutil.c: what the tbit drivers have alike (drvutil.h).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ctl_proto.h"
#include "drvutil.h"

static const char *progname = "tbitdrv";
static FILE *logfp, *donef;

int
drv_opt(struct drv_opts *d, int c, const char *arg)
{
	switch (c) {
	case 'a': d->addrfile = arg; return 1;
	case 'c': d->donefile = arg; return 1;
	case 'o': d->outfile = arg; return 1;
	case 'p': d->port = arg; return 1;
	case 't': d->logfile = arg; return 1;
	}
	return 0;
}

void
drv_prog(const char *prog)
{
	progname = prog;
}

int
drv_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

int
drv_append(char opt, const char *path, FILE **f)
{
	*f = NULL;
	if (path != NULL && (*f = fopen(path, "a")) == NULL)
		return drv_fail("-%c %s: %s", opt, path, strerror(errno));
	return 0;
}

int
drv_log_open(char opt, const char *path)
{
	return drv_append(opt, path, &logfp);
}

int
drv_log_create(const char *path)
{
	if ((logfp = fopen(path, "w")) == NULL)
		return drv_fail("%s: %s", path, strerror(errno));
	return 0;
}

/* A line on the log, after the time if STAMP. */
static void
vlog(int stamp, const char *fmt, va_list ap)
{
	if (logfp == NULL)
		return;
	if (stamp)
		fprintf(logfp, "%ld ", (long)time(NULL));
	vfprintf(logfp, fmt, ap);
	fputc('\n', logfp);
	fflush(logfp);
}

void
drv_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(1, fmt, ap);
	va_end(ap);
}

void
drv_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(0, fmt, ap);
	va_end(ap);
}

int
drv_done_has(const char *path, const char *addr)
{
	char line[128];
	FILE *f;
	int found = 0;

	if (path == NULL || (f = fopen(path, "r")) == NULL)
		return 0;
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		int whole = strchr(line, '\n') != NULL;

		line[strcspn(line, " \r\n")] = '\0';
		found = strcmp(line, addr) == 0;
		/* the rest of a long line is not a line of its own */
		while (!whole && fgets(line, sizeof(line), f) != NULL)
			whole = strchr(line, '\n') != NULL;
	}
	fclose(f);
	return found;
}

int
drv_done_open(char opt, const char *path)
{
	return drv_append(opt, path, &donef);
}

void
drv_done_mark(const char *addr)
{
	if (donef == NULL)
		return;
	fprintf(donef, "%s\n", addr);
	fflush(donef);
}

int
drv_open_files(const struct drv_opts *d)
{
	if (drv_log_open('t', d->logfile) == -1 ||
	    drv_done_open('c', d->donefile) == -1)
		return -1;
	return 0;
}

void
drv_close(void)
{
	if (logfp != NULL)
		fclose(logfp);
	if (donef != NULL)
		fclose(donef);
	logfp = donef = NULL;
}

int
drv_read_lines(char opt, const char *path, drv_line_cb *cb, void *arg)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	unsigned long n = 0;

	if (f == NULL)
		return drv_fail("-%c %s: %s", opt, path, strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL) {
		n++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			fclose(f);
			return drv_fail("%s:%lu: line too long (at most %zu "
			    "characters)", path, n, sizeof(line) - 2);
		}
		line[strcspn(line, "\r\n")] = '\0';
		if (line[strspn(line, " \t")] == '\0' || line[0] == '#')
			continue;
		if (cb(line, n, arg) == -1) {
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

int
drv_words(char *line, char **w, int max)
{
	char *save = NULL;
	int nw = 0;

	for (char *t = strtok_r(line, " \t", &save); t != NULL && nw < max;
	    t = strtok_r(NULL, " \t", &save))
		w[nw++] = t;
	return nw;
}

int
drv_target_addr(struct drv_target *t, const char *file, unsigned long n)
{
	if (inet_pton(AF_INET, t->addr, t->bin) == 1)
		t->af = AF_INET;
	else if (inet_pton(AF_INET6, t->addr, t->bin) == 1)
		t->af = AF_INET6;
	else
		return drv_fail("%s:%lu: '%s' is not an address", file, n,
		    t->addr);
	return 0;
}

int
drv_http_target(char **w, int nw, const char *file, unsigned long n,
    struct drv_target *t)
{
	char *comma = nw > 0 ? strchr(w[0], ',') : NULL;
	uint32_t v;

	if (comma != NULL)
		*comma = '\0';	/* the ID; the label is for people */
	if (nw != 4 || comma == NULL ||
	    ctl_uint(w[0], 0, UINT32_MAX, &v) != 0 ||
	    strncmp(w[3], "http://", 7) != 0 ||
	    strpbrk(w[3], "'\"") != NULL)
		return drv_fail("%s:%lu: expected 'id,label size address "
		    "http://url'", file, n);
	snprintf(t->addr, sizeof(t->addr), "%s", w[2]);
	if (drv_target_addr(t, file, n) == -1)
		return -1;
	if (asprintf(&t->app, "-u '%s' -U %u", w[3], v) < 0)
		return drv_fail("out of memory");
	return 0;
}

int
drv_target_done(const char *path, struct drv_target *t)
{
	if (!drv_done_has(path, t->addr))
		return 0;
	free(t->app);
	t->app = NULL;
	return 1;
}

int
drv_push(void *arr, size_t *n, const void *e, size_t size)
{
	unsigned char *a;

	memcpy(&a, arr, sizeof(a));
	if ((a = realloc(a, (*n + 1) * size)) == NULL)
		return drv_fail("out of memory");
	memcpy(a + *n * size, e, size);
	memcpy(arr, &a, sizeof(a));
	(*n)++;
	return 0;
}

void
drv_shuffle(void *base, size_t n, size_t size)
{
	unsigned char *b = base, t;

	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)random() % i;

		for (size_t k = 0; k < size; k++) {
			t = b[(i - 1) * size + k];
			b[(i - 1) * size + k] = b[j * size + k];
			b[j * size + k] = t;
		}
	}
}

void
drv_usage_exit(void (*usage)(FILE *f), int optopt_seen)
{
	int help = optopt_seen == 0 || optopt_seen == '?';

	usage(help ? stdout : stderr);
	exit(help ? 0 : 1);
}

int
drv_no_operands(int argc, char **argv)
{
	if (optind != argc)
		return drv_fail("unexpected argument '%s'", argv[optind]);
	return 0;
}

int
drv_need_aop(const char *a, const char *out, const char *port)
{
	if (a == NULL || out == NULL || port == NULL)
		return drv_fail("-a, -o and -p are required (see %s -?)",
		    progname);
	return 0;
}

int
drv_sock_opt(struct drv_sock *s, int c, const char *arg)
{
	int n;

	if (s->port != NULL)
		return drv_fail("-%c %s: give -p or -U once", c, arg);
	if (c == 'p') {
		s->port = arg;
		return 0;
	}
	n = snprintf(s->path, sizeof(s->path), "%s%s",
	    strchr(arg, '/') != NULL ? "" : "./", arg);
	if (n < 0 || (size_t)n >= sizeof(s->path) || arg[0] == '\0')
		return drv_fail("-U '%s': not a socket's path", arg);
	s->port = s->path;
	return 0;
}

int
drv_cmd_text(char opt, const char *text, size_t max)
{
	if (strlen(text) >= max ||
	    text[strspn(text, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
	    "TUVWXYZ0123456789 .:/_-")] != '\0')
		return drv_fail("-%c '%s': only letters, digits, blanks and "
		    "'.:/_-' (at most %zu characters)", opt, text, max - 1);
	return 0;
}

int
drv_getopts(int argc, char **argv, const char *opts,
    int (*one)(int c, const char *arg))
{
	int c;

	while ((c = getopt(argc, argv, opts)) != -1) {
		if (c == '?' && optopt == 0)
			return 1;
		if (one(c, optarg) == -1)
			return -1;
	}
	return drv_no_operands(argc, argv);
}
