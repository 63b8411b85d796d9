/*
 * mda_stop.c: MDA's stopping points and the confidence of a node's next
 * hop set (see mda_stop.h).
 */
#include <stdlib.h>
#include <string.h>

#include "mda_stop.h"

/* Occupancy: p[d] is the chance that the draws so far saw exactly d of
 * the N cells.  One more draw keeps d with chance d/N and moves to d + 1
 * with chance (N - d)/N. */
static void
draw(double *p, unsigned n)
{
	for (unsigned d = n; d > 0; d--)
		p[d] = p[d] * d / n + p[d - 1] * (n - d + 1) / n;
	p[0] = 0;
}

static double
unseen(const double *p, unsigned n)
{
	double s = 0;

	for (unsigned d = 0; d < n; d++)
		s += p[d];
	return s;
}

double
mda_miss(unsigned n, unsigned m)
{
	double *p, r;

	if (n <= 1)
		return 0;
	if ((p = calloc(n + 1, sizeof(*p))) == NULL)
		return 1;
	p[0] = 1;
	for (unsigned i = 0; i < m; i++)
		draw(p, n);
	r = unseen(p, n);
	free(p);
	return r;
}

/* k(n) at ALPHA, computed: draw until the chance of an unseen cell is
 * at most ALPHA.  The chance falls by about (1 - 1/n) per draw, so the
 * loop ends; the cap only guards against an ALPHA too small for
 * doubles. */
static uint16_t
compute_k(double alpha, unsigned n)
{
	double *p;
	unsigned m = 0;

	if ((p = calloc(n + 1, sizeof(*p))) == NULL)
		return UINT16_MAX;
	p[0] = 1;
	do {
		draw(p, n);
		m++;
	} while (unseen(p, n) > alpha && m < UINT16_MAX - 1);
	free(p);
	return (uint16_t)m;
}

#define CACHE_ALPHAS	4

static struct {
	double		 alpha;
	uint16_t	 k[MDA_STOP_NMAX + 1];	/* 0: not computed yet */
} cache[CACHE_ALPHAS];
static unsigned cache_next;

uint16_t
mda_stop_k(double alpha, unsigned n)
{
	unsigned i;

	if (n < 2)
		return 0;
	if (n > MDA_STOP_NMAX || !(alpha > 0 && alpha < 1))
		return UINT16_MAX;
	for (i = 0; i < CACHE_ALPHAS; i++)
		if (cache[i].alpha == alpha)
			break;
	if (i == CACHE_ALPHAS) {
		/* a new alpha takes the oldest slot */
		i = cache_next;
		cache_next = (cache_next + 1) % CACHE_ALPHAS;
		memset(&cache[i], 0, sizeof(cache[i]));
		cache[i].alpha = alpha;
	}
	if (cache[i].k[n] == 0)
		cache[i].k[n] = compute_k(alpha, n);
	return cache[i].k[n];
}

double
mda_confidence(unsigned s, unsigned m)
{
	if (m == 0)
		return 0;
	return 1 - mda_miss(s + 1, m);
}

uint8_t
mda_ppkt_repeats(double alpha)
{
	uint16_t k2 = mda_stop_k(alpha, 2);

	return (uint8_t)(k2 > 256 ? 255 : k2 - 1);
}
