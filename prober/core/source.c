/*
 * source.c: command-line and list-file sources (see source.h).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source.h"

enum source_kind { SRC_ADDRS, SRC_CMDS, SRC_FILE };

struct source {
	enum source_kind kind;
	const char	*cmd;		/* template for addresses */
	char		**v;		/* SRC_ADDRS, SRC_CMDS */
	int		 n, i;
	const char	*path;		/* SRC_FILE */
	FILE		*f;
	unsigned long	 line;
	int		 cmdfile;
	int		 tsps;
};

static struct source *
source_new(enum source_kind kind, const char *cmd)
{
	struct source *s = calloc(1, sizeof(*s));

	if (s != NULL) {
		s->kind = kind;
		s->cmd = cmd;
	}
	return s;
}

struct source *
source_addrs(const char *cmd, char **addrs, int n)
{
	struct source *s = source_new(SRC_ADDRS, cmd);

	if (s != NULL) {
		s->v = addrs;
		s->n = n;
	}
	return s;
}

struct source *
source_cmds(char **cmds, int n)
{
	struct source *s = source_new(SRC_CMDS, NULL);

	if (s != NULL) {
		s->v = cmds;
		s->n = n;
	}
	return s;
}

struct source *
source_file(const char *cmd, const char *path, int cmdfile)
{
	struct source *s;
	FILE *f;

	if (strcmp(path, "-") == 0)
		f = stdin;
	else if ((f = fopen(path, "re")) == NULL)
		return NULL;
	if ((s = source_new(SRC_FILE, cmd)) == NULL) {
		if (f != stdin)
			fclose(f);
		return NULL;
	}
	s->path = path;
	s->f = f;
	s->cmdfile = cmdfile;
	return s;
}

struct source *
source_fd(const char *cmd, const char *name, int fd)
{
	struct source *s;
	FILE *f;
	int save;

	if ((f = fdopen(fd, "r")) == NULL) {
		save = errno;
		close(fd);
		errno = save;
		return NULL;
	}
	if ((s = source_new(SRC_FILE, cmd)) == NULL) {
		fclose(f);
		errno = ENOMEM;
		return NULL;
	}
	s->path = name;
	s->f = f;
	return s;
}

int
source_rewind(struct source *s)
{
	if (s->kind != SRC_FILE || s->f == stdin) {
		errno = ESPIPE;
		return -1;
	}
	if (fseek(s->f, 0, SEEK_SET) == -1)
		return -1;
	clearerr(s->f);
	s->line = 0;
	return 0;
}

struct source *
source_file_tsps(const char *cmd, const char *path)
{
	struct source *s = source_file(cmd, path, 0);

	if (s != NULL)
		s->tsps = 1;
	return s;
}

/* Write "CMD WORD" (or WORD alone for commands) into BUF: by hand, as
 * this runs once per target. */
static int
compose(const struct source *s, const char *word, int whole, char *buf,
    size_t len)
{
	size_t cl = whole ? 0 : strlen(s->cmd), wl = strlen(word);
	size_t n = whole ? wl : cl + 1 + wl;

	if (n >= len) {
		/* never hand on a truncated command */
		snprintf(buf, len, "command too long (at most %zu bytes)",
		    len - 1);
		return -1;
	}
	if (!whole) {
		memcpy(buf, s->cmd, cl);
		buf[cl++] = ' ';
	}
	memcpy(buf + cl, word, wl + 1);
	return 1;
}

/* Write "PATH:LINE" into WHERE (WLEN bytes, truncated if need be). */
static void
file_where(const struct source *s, char *where, size_t wlen)
{
	char num[24], *p = num + sizeof(num);
	unsigned long v = s->line;
	size_t pl = strlen(s->path), nl;

	if (wlen == 0)
		return;
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	*--p = ':';
	nl = (size_t)(num + sizeof(num) - p);
	if (pl + nl >= wlen) {
		snprintf(where, wlen, "%s:%lu", s->path, s->line);
		return;
	}
	memcpy(where, s->path, pl);
	memcpy(where + pl, p, nl);
	where[pl + nl] = '\0';
}

/* Write "CMD -T tsprespec=A,B TARGET" for the tsps line LINE ("TARGET
 * A B") into BUF.  Returns 1, or -1 with the problem in BUF. */
static int
compose_tsps(const struct source *s, char *line, char *buf, size_t len)
{
	char addrs[4096] = "", *tok, *save, *target;
	size_t n = 0;

	if ((target = strtok_r(line, " \t,", &save)) == NULL)
		return -1;
	while ((tok = strtok_r(NULL, " \t,", &save)) != NULL) {
		int w = snprintf(addrs + n, sizeof(addrs) - n, "%s%s",
		    n > 0 ? "," : "", tok);
		if (w < 0 || (size_t)w >= sizeof(addrs) - n)
			break;
		n += (size_t)w;
	}
	if (n == 0) {
		snprintf(buf, len, "tsps: expected a target and the "
		    "addresses to prespecify, got only '%s'", target);
		return -1;
	}
	if (strncmp(s->cmd, "ping", 4) != 0 ||
	    (s->cmd[4] != '\0' && s->cmd[4] != ' ')) {
		snprintf(buf, len, "tsps: the command must be ping, not "
		    "'%s'", s->cmd);
		return -1;
	}
	n = (size_t)snprintf(buf, len, "%s -T tsprespec=%s %s", s->cmd,
	    addrs, target);
	if (n >= len) {
		snprintf(buf, len, "command too long (at most %zu bytes)",
		    len - 1);
		return -1;
	}
	return 1;
}

/* Read the next meaningful line of the file into LINE (trimmed).
 * Returns 1, 0 at the end, or -1 (message in LINE) for a bad line. */
static int
file_line(struct source *s, char *line, size_t len)
{
	int c;

	while (fgets(line, (int)len, s->f) != NULL) {
		size_t n = strlen(line);
		char *p = line, *e;

		s->line++;
		if (n > 0 && line[n - 1] != '\n' && !feof(s->f)) {
			/* too long: skip the rest of it, report it */
			while ((c = fgetc(s->f)) != EOF && c != '\n')
				;
			snprintf(line, len, "line too long (at most %zu "
			    "bytes)", len - 2);
			return -1;
		}
		while (*p == ' ' || *p == '\t')
			p++;
		if ((e = strchr(p, '#')) != NULL && !s->cmdfile)
			*e = '\0';
		e = p + strlen(p);
		while (e > p && (e[-1] == '\n' || e[-1] == '\r' ||
		    e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		if (*p == '\0' || (s->cmdfile && *p == '#'))
			continue;
		memmove(line, p, (size_t)(e - p) + 1);
		return 1;
	}
	return 0;
}

int
source_next(struct source *s, char *buf, size_t len, char *where,
    size_t wlen)
{
	char line[4096];
	int rc;

	switch (s->kind) {
	case SRC_ADDRS:
	case SRC_CMDS:
		if (s->i >= s->n)
			return 0;
		snprintf(where, wlen, "%s argument %d",
		    s->kind == SRC_ADDRS ? "-i" : "-I", s->i + 1);
		return compose(s, s->v[s->i++], s->kind == SRC_CMDS, buf,
		    len);
	case SRC_FILE:
		if ((rc = file_line(s, line, sizeof(line))) == 0)
			return 0;
		file_where(s, where, wlen);
		if (rc == -1) {
			snprintf(buf, len, "%s", line);
			return -1;
		}
		if (s->tsps)
			return compose_tsps(s, line, buf, len);
		return compose(s, line, s->cmdfile, buf, len);
	}
	return 0;
}

long
source_count(struct source *s)
{
	char line[8192];
	long n = 0;

	if (s->kind != SRC_FILE)
		return s->n;
	if (s->f == stdin || fseek(s->f, 0, SEEK_CUR) == -1)
		return -1;
	while (file_line(s, line, sizeof(line)) != 0)
		n++;
	return source_rewind(s) == -1 ? -1 : n;
}

void
source_free(struct source *s)
{
	if (s == NULL)
		return;
	if (s->f != NULL && s->f != stdin)
		fclose(s->f);
	free(s);
}
