/*
 * cmd.c: the measurement command tokeniser and option checker (cmd.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "log.h"

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int
cmd_split(char *line, char **argv, int max, char *err, size_t errlen)
{
	char *r = line, *w = line;
	int n = 0;

	for (;;) {
		while (is_space(*r))
			r++;
		if (*r == '\0')
			return n;
		if (n == max)
			return errf(err, errlen, "too many words (at most %d)",
			    max);
		argv[n++] = w;
		while (*r != '\0' && !is_space(*r)) {
			if (*r == '\'' || *r == '"') {
				char q = *r++;
				while (*r != '\0' && *r != q)
					*w++ = *r++;
				if (*r != q)
					return errf(err, errlen,
					    "unbalanced %c quote", q);
				r++;
			} else
				*w++ = *r++;
		}
		if (*r != '\0')
			r++;
		*w++ = '\0';
	}
}

int
cmd_addr(const char *s, uint8_t *addr)
{
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, s, addr) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, s, addr) == 1)
		return AF_INET6;
	return 0;
}

int
cmd_target(const struct cmd_args *a, uint8_t *dst, char *err, size_t len)
{
	int af;

	if (a->noperands != 1) {
		errf(err, len, "expected one target address, got %d",
		    a->noperands);
		return 0;
	}
	if ((af = cmd_addr(a->operands[0], dst)) == 0)
		errf(err, len, "'%s' is not an IPv4 or IPv6 address",
		    a->operands[0]);
	return af;
}

int
cmd_opt_addr(const struct cmd_args *a, char opt, int af, uint8_t *addr,
    char *err, size_t len)
{
	const struct cmd_optval *v = cmd_opt(a, opt);

	if (v == NULL)
		return 0;
	if (v->af != af)
		return errf(err, len, "-%c: %s is not of the target's address "
		    "family", opt, v->s);
	memcpy(addr, v->addr, 16);
	return 1;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t
cmd_hex(const char *s, uint8_t *buf, size_t cap)
{
	size_t n = 0;

	for (; s[0] != '\0' && s[1] != '\0' && n < cap; s += 2)
		buf[n++] = (uint8_t)(hexval(s[0]) << 4 | hexval(s[1]));
	return n;
}

static const struct cmd_optspec *
find(const struct cmd_optspec *spec, size_t nspec, char c)
{
	for (size_t i = 0; i < nspec; i++)
		if (spec[i].opt == c)
			return &spec[i];
	return NULL;
}

static int
value(const struct cmd_optspec *o, const char *s, struct cmd_optval *v,
    char *err, size_t errlen)
{
	char *end;
	unsigned long long u;
	size_t len;

	v->opt = o->opt;
	v->s = s;
	switch (o->type) {
	case CMD_FLAG:
		return 0;
	case CMD_UINT:
		errno = 0;
		u = strtoull(s, &end, 10);
		if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 ||
		    u < o->min || u > o->max)
			return errf(err, errlen, "-%c: invalid value '%s' "
			    "(expected %u to %u)", o->opt, s, o->min, o->max);
		v->u = (uint32_t)u;
		return 0;
	case CMD_STR:
		if (*s == '\0')
			return errf(err, errlen, "-%c: empty value", o->opt);
		return 0;
	case CMD_ADDR:
		if ((v->af = cmd_addr(s, v->addr)) == 0)
			return errf(err, errlen, "-%c: '%s' is not an IPv4 or "
			    "IPv6 address", o->opt, s);
		return 0;
	case CMD_HEX:
		len = strlen(s);
		for (size_t i = 0; i < len; i++)
			if (hexval(s[i]) < 0)
				return errf(err, errlen, "-%c: '%s' is not hex",
				    o->opt, s);
		if (len == 0 || len % 2 != 0 || len / 2 > o->max)
			return errf(err, errlen, "-%c: hex value must be 1 to "
			    "%u whole bytes", o->opt, o->max);
		v->u = (uint32_t)(len / 2);
		return 0;
	case CMD_WORD:
		for (uint32_t i = 0; o->words[i] != NULL; i++)
			if (strcasecmp(s, o->words[i]) == 0) {
				v->u = i;
				return 0;
			}
		len = 0;
		char list[256] = "";
		for (uint32_t i = 0; o->words[i] != NULL; i++)
			len += (size_t)snprintf(list + len, len < sizeof(list) ?
			    sizeof(list) - len : 0, "%s%s", i ? ", " : "",
			    o->words[i]);
		return errf(err, errlen, "-%c: unknown value '%s' (expected %s)",
		    o->opt, s, list);
	}
	return errf(err, errlen, "-%c: bad option spec", o->opt);
}

static int
seen(const struct cmd_args *a, char c)
{
	for (int i = 0; i < a->nv; i++)
		if (a->v[i].opt == c)
			return 1;
	return 0;
}

/* Handle the option word ARGV[*I] ("-x", "-xVALUE", "-QT"). */
static int
one_word(const struct cmd_optspec *spec, size_t nspec, int argc, char **argv,
    int *i, struct cmd_args *out, char *err, size_t errlen)
{
	const char *w = argv[*i];

	for (size_t k = 1; w[k] != '\0'; k++) {
		const struct cmd_optspec *o = find(spec, nspec, w[k]);
		struct cmd_optval *v;
		const char *val = NULL;

		if (o == NULL)
			return errf(err, errlen, "-%c: unknown option", w[k]);
		if (!o->repeat && seen(out, o->opt))
			return errf(err, errlen, "-%c: given more than once",
			    o->opt);
		if (out->nv == CMD_MAXARGS)
			return errf(err, errlen, "too many options");
		v = &out->v[out->nv];
		memset(v, 0, sizeof(*v));
		if (o->type != CMD_FLAG) {
			if (w[k + 1] != '\0')
				val = w + k + 1;
			else if (*i + 1 < argc)
				val = argv[++*i];
			else
				return errf(err, errlen, "-%c: requires a "
				    "value", o->opt);
		}
		if (value(o, val, v, err, errlen) == -1)
			return -1;
		out->nv++;
		if (val != NULL)
			return 0;
	}
	return 0;
}

int
cmd_getopts(const struct cmd_optspec *spec, size_t nspec, int argc,
    char **argv, struct cmd_args *out, char *err, size_t errlen)
{
	int i;

	out->nv = 0;
	out->noperands = 0;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (argv[i][0] != '-' || argv[i][1] == '\0')
			break;
		if (one_word(spec, nspec, argc, argv, &i, out, err, errlen)
		    == -1)
			return -1;
	}
	for (; i < argc; i++) {
		if (out->noperands == CMD_MAXARGS)
			return errf(err, errlen, "too many targets");
		out->operands[out->noperands++] = argv[i];
	}
	return 0;
}

const struct cmd_optval *
cmd_opt(const struct cmd_args *a, char opt)
{
	for (int i = a->nv - 1; i >= 0; i--)
		if (a->v[i].opt == opt)
			return &a->v[i];
	return NULL;
}

uint32_t
cmd_optu(const struct cmd_args *a, char opt, uint32_t def)
{
	const struct cmd_optval *v = cmd_opt(a, opt);

	return v != NULL ? v->u : def;
}

int
cmd_has_word(const struct cmd_args *a, char opt, uint32_t word)
{
	for (int i = 0; i < a->nv; i++)
		if (a->v[i].opt == opt && a->v[i].u == word)
			return 1;
	return 0;
}

