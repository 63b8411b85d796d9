/*
 * dealias_ipid.c: the IP-ID sequence tests of ipid.h.
 */
#include <stdlib.h>

#include "ipid.h"

uint32_t
ipid_swap(uint32_t v, int bits)
{
	if (bits == 16)
		return ((v & 0xff) << 8) | ((v >> 8) & 0xff);
	return ((v & 0xff) << 24) | ((v & 0xff00) << 8) |
	    ((v >> 8) & 0xff00) | (v >> 24);
}

static uint64_t
space(int bits)
{
	return (uint64_t)1 << bits;
}

/* The step from A to B modulo 2^BITS. */
static uint64_t
step(uint32_t a, uint32_t b, int bits)
{
	return ((uint64_t)b - a) & (space(bits) - 1);
}

/* Nonzero if one step of STEP that spans PLACES places is allowed. */
static int
step_ok(uint64_t st, uint64_t places, const struct ipid_rules *r)
{
	if (st == 0)
		return 0;
	if (r->fudge == 0)
		return st < space(r->bits) / 2;
	return st <= (uint64_t)r->fudge * places;
}

int
ipid_inseq(const uint32_t *v, size_t n, const struct ipid_rules *r)
{
	uint64_t total = 0;

	if (n < 2)
		return 0;
	for (size_t i = 1; i < n; i++) {
		uint64_t st = step(v[i - 1], v[i], r->bits);

		if (!step_ok(st, 1, r))
			return 0;
		total += st;
	}
	return total < space(r->bits);
}

/* In sequence, values swapped (SWAP) or not, counting only the samples
 * of WHO; the bound of a step grows with the places it spans. */
static int
own_inseq(const struct ipid_sample *s, size_t n, uint32_t who, int swap,
    const struct ipid_rules *r)
{
	uint64_t total = 0;
	size_t prev = n, count = 0;

	for (size_t i = 0; i < n; i++) {
		uint32_t a, b;
		uint64_t st;

		if (s[i].who != who)
			continue;
		count++;
		if (prev == n) {
			prev = i;
			continue;
		}
		a = swap ? ipid_swap(s[prev].id, r->bits) : s[prev].id;
		b = swap ? ipid_swap(s[i].id, r->bits) : s[i].id;
		st = step(a, b, r->bits);
		if (!step_ok(st, i - prev, r))
			return 0;
		total += st;
		prev = i;
	}
	return count >= 2 && total < space(r->bits);
}

int
ipid_shows_swapped(const struct ipid_sample *s, size_t n, uint32_t who,
    const struct ipid_rules *r)
{
	return own_inseq(s, n, who, 1, r) && !own_inseq(s, n, who, 0, r);
}

int
ipid_all_zero(const struct ipid_sample *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i].id != 0)
			return 0;
	return 1;
}

/* The values of S, swapped or not, into V. */
static void
values(const struct ipid_sample *s, size_t n, int swap, int bits,
    uint32_t *v)
{
	for (size_t i = 0; i < n; i++)
		v[i] = swap ? ipid_swap(s[i].id, bits) : s[i].id;
}

enum ipid_verdict
ipid_series(const struct ipid_sample *s, size_t n,
    const struct ipid_rules *r)
{
	enum ipid_verdict out = IPID_NO;
	uint32_t *v;

	if (n < 2 || (v = malloc(n * sizeof(*v))) == NULL)
		return IPID_NO;
	values(s, n, 0, r->bits, v);
	if (ipid_inseq(v, n, r))
		out = IPID_YES;
	else if (!r->nobs && r->bits == 16) {
		int every = 1;

		/* every address must show the swap by itself */
		for (size_t i = 0; i < n && every; i++)
			every = ipid_shows_swapped(s, n, s[i].who, r);
		values(s, n, 1, r->bits, v);
		if (every && ipid_inseq(v, n, r))
			out = IPID_YES_SWAPPED;
	}
	free(v);
	return out;
}

int
ipid_surely_not(const struct ipid_sample *s, size_t n,
    const struct ipid_rules *r)
{
	uint32_t *v;
	int out;

	if (n < 2 || (v = malloc(n * sizeof(*v))) == NULL)
		return 0;
	values(s, n, 0, r->bits, v);
	out = !ipid_inseq(v, n, r);
	if (out && !r->nobs && r->bits == 16) {
		values(s, n, 1, r->bits, v);
		out = !ipid_inseq(v, n, r);
	}
	free(v);
	return out;
}
