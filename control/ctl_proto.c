/*
 * ctl_proto.c: line splitting, parameter lists and uuencoding for the
 * control socket (see ctl_proto.h).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ctl_proto.h"

void
ctl_lb_init(struct ctl_linebuf *lb)
{
	lb->len = lb->off = 0;
	lb->skip = 0;
}

char *
ctl_lb_space(struct ctl_linebuf *lb, size_t *room)
{
	if (lb->off > 0) {
		memmove(lb->buf, lb->buf + lb->off, lb->len - lb->off);
		lb->len -= lb->off;
		lb->off = 0;
	}
	*room = sizeof(lb->buf) - lb->len;
	return lb->buf + lb->len;
}

void
ctl_lb_commit(struct ctl_linebuf *lb, size_t n)
{
	lb->len += n;
}

size_t
ctl_lb_pending(const struct ctl_linebuf *lb)
{
	return lb->len - lb->off;
}

int
ctl_lb_has_line(const struct ctl_linebuf *lb)
{
	return memchr(lb->buf + lb->off, '\n', lb->len - lb->off) != NULL;
}

enum ctl_lb_rc
ctl_lb_next(struct ctl_linebuf *lb, char **line)
{
	char *s, *nl;
	size_t n;

	for (;;) {
		s = lb->buf + lb->off;
		nl = memchr(s, '\n', lb->len - lb->off);
		if (!lb->skip)
			break;
		if (nl == NULL) {
			lb->len = lb->off = 0;
			return CTL_LB_NONE;
		}
		lb->off = (size_t)(nl - lb->buf) + 1;
		lb->skip = 0;
	}
	if (nl == NULL) {
		if (lb->off == 0 && lb->len == sizeof(lb->buf)) {
			/* full and no end in sight: drop it up to its \n */
			lb->len = lb->off = 0;
			lb->skip = 1;
			return CTL_LB_TOOLONG;
		}
		return CTL_LB_NONE;
	}
	n = (size_t)(nl - s);
	lb->off += n + 1;
	if (n > 0 && s[n - 1] == '\r')
		n--;
	if (n > CTL_LINEMAX)
		return CTL_LB_TOOLONG;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return CTL_LB_BADCHAR;
	s[n] = '\0';
	*line = s;
	return CTL_LB_LINE;
}

int
ctl_params(char **argv, int argc, const char *const *keys, int nkeys,
    const char **vals)
{
	int i, k;

	for (k = 0; k < nkeys; k++)
		vals[k] = NULL;
	for (i = 0; i < argc; i += 2) {
		for (k = 0; k < nkeys; k++)
			if (strcasecmp(argv[i], keys[k]) == 0)
				break;
		if (k == nkeys || vals[k] != NULL || i + 1 >= argc)
			return i;
		vals[k] = argv[i + 1];
	}
	return -1;
}

int
ctl_uint(const char *s, uint32_t min, uint32_t max, uint32_t *v)
{
	unsigned long long x = 0;
	const char *p = s;

	if (*p == '\0')
		return -1;
	for (; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		if (x <= 0xffffffffULL)
			x = x * 10 + (unsigned long long)(*p - '0');
	}
	if (x < min || x > max)
		return -2;
	*v = (uint32_t)x;
	return 0;
}

size_t
ctl_uuenc_len(size_t n)
{
	size_t r = n % 45, len = 62 * (n / 45) + 2;

	if (r > 0)
		len += 2 + 4 * ((r + 2) / 3);
	return len;
}

static char
uuchar(unsigned v)
{
	v &= 0x3f;
	return v == 0 ? '`' : (char)(32 + v);
}

size_t
ctl_uuencode(const uint8_t *in, size_t n, char *out)
{
	size_t o = 0, i = 0;

	while (i < n) {
		size_t ln = n - i > 45 ? 45 : n - i;

		out[o++] = (char)(32 + ln);
		for (size_t j = 0; j < ln; j += 3) {
			unsigned b0 = in[i + j];
			unsigned b1 = j + 1 < ln ? in[i + j + 1] : 0;
			unsigned b2 = j + 2 < ln ? in[i + j + 2] : 0;

			out[o++] = uuchar(b0 >> 2);
			out[o++] = uuchar((b0 << 4) | (b1 >> 4));
			out[o++] = uuchar((b1 << 2) | (b2 >> 6));
			out[o++] = uuchar(b2);
		}
		out[o++] = '\n';
		i += ln;
	}
	out[o++] = '`';
	out[o++] = '\n';
	return o;
}

static int
uuval(char c)
{
	if (c == '`')
		return 0;
	if (c < ' ' || c > '_')
		return -1;
	return (c - ' ') & 0x3f;
}

long
ctl_uudecode(const char *in, size_t len, uint8_t *out, size_t cap)
{
	size_t i = 0, o = 0;

	while (i < len) {
		int n = uuval(in[i]);
		const char *nl = memchr(in + i, '\n', len - i);
		size_t linelen;

		if (n < 0 || nl == NULL)
			return -1;
		linelen = (size_t)(nl - (in + i));
		if (n == 0)
			return nl + 1 == in + len ? (long)o : -1;
		if (linelen < 1 + 4 * (((size_t)n + 2) / 3) ||
		    o + (size_t)n > cap)
			return -1;
		for (int j = 0; j < n; j += 3) {
			const char *g = in + i + 1 + (j / 3) * 4;
			int v[4];

			for (int k = 0; k < 4; k++)
				if ((v[k] = uuval(g[k])) < 0)
					return -1;
			out[o++] = (uint8_t)((v[0] << 2) | (v[1] >> 4));
			if (j + 1 < n)
				out[o++] = (uint8_t)((v[1] << 4) | (v[2] >> 2));
			if (j + 2 < n)
				out[o++] = (uint8_t)((v[2] << 6) | v[3]);
		}
		i += linelen + 1;
	}
	return -1;	/* no terminator line */
}
