/*
 * dlf_opt.c: shorten a program dlf_expr.c made (see dlf_int.h).
 *
 * dlf_expr.c makes every condition a conditional jump over one or two
 * BPF_JA, so that no conditional offset is ever over 1.  Here each jump
 * is pointed straight at where its chain of BPF_JA ends, the BPF_JA no
 * one reaches any more (and those that jump to the next instruction
 * left) are removed, and the offsets are recomputed.  A conditional
 * jump whose offset would then exceed 255 keeps its BPF_JA (the whole
 * is done again until none does).  The program's meaning does not change: only jumps are removed,
 * and no instruction's successor does.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dlf_int.h"

static int
is_ja(const struct dlf_insn *in)
{
	return in->code == (DLF_JMP | DLF_JA);
}

static int
is_cond(const struct dlf_insn *in)
{
	return DLF_CLASS(in->code) == DLF_JMP && !is_ja(in);
}

/* The absolute targets of P's jumps into TT and TF (N instructions),
 * each followed to the end of its chain of BPF_JA but for the
 * conditional jumps marked SLOW. */
static void
thread(const struct dlf_insn *p, size_t n, size_t *tt, size_t *tf,
    size_t *fin, const uint8_t *slow)
{
	for (size_t i = 0; i < n; i++) {
		tt[i] = tf[i] = i + 1;
		if (is_ja(&p[i]))
			tt[i] = i + 1 + p[i].k;
		else if (is_cond(&p[i])) {
			tt[i] = i + 1 + p[i].jt;
			tf[i] = i + 1 + p[i].jf;
		}
	}
	/* the jumps go forwards: where a chain ends is known from the end */
	for (size_t i = n; i-- > 0;)
		fin[i] = is_ja(&p[i]) ? fin[tt[i]] : i;
	for (size_t i = 0; i < n; i++) {
		if (is_ja(&p[i]) || (is_cond(&p[i]) && !slow[i]))
			tt[i] = fin[tt[i]];
		if (is_cond(&p[i]) && !slow[i])
			tf[i] = fin[tf[i]];
	}
}

/* Mark in LIVE what is reached from the start and does something (not a
 * BPF_JA to the next instruction kept); MAP: each one's new index. */
static size_t
mark(const struct dlf_insn *p, size_t n, const size_t *tt, const size_t *tf,
    uint8_t *live, size_t *map)
{
	size_t m = 0;

	live[0] = 1;
	for (size_t i = 0; i < n; i++) {
		if (!live[i])
			continue;
		if (is_ja(&p[i]))
			live[tt[i]] = 1;
		else if (is_cond(&p[i]))
			live[tt[i]] = live[tf[i]] = 1;
		else if (DLF_CLASS(p[i].code) != DLF_RET && i + 1 < n)
			live[i + 1] = 1;
	}
	for (size_t i = 0; i < n; i++) {
		size_t j = i + 1;

		if (live[i] && is_ja(&p[i])) {
			while (j < tt[i] && !live[j])
				j++;
			if (j == tt[i])
				live[i] = 0;	/* to the next one kept */
		}
	}
	for (size_t i = 0; i < n; i++) {
		map[i] = m;
		m += live[i];
	}
	return m;
}

/* Shorten P (*N instructions) in place; *N the new length.  Returns 0,
 * or -1 (out of memory) with P unchanged. */
int
dlf_opt(struct dlf_insn *p, size_t *np)
{
	size_t n = *np, *tt = malloc(n * sizeof(*tt)),
	    *tf = malloc(n * sizeof(*tf)), *aux = malloc(n * sizeof(*aux));
	uint8_t *live = malloc(n), *slow = calloc(n, 1);
	int rc = -1, again = 1;

	if (n == 0 || tt == NULL || tf == NULL || aux == NULL ||
	    live == NULL || slow == NULL)
		goto out;
	while (again) {
		again = 0;
		thread(p, n, tt, tf, aux, slow);
		memset(live, 0, n);
		(void)mark(p, n, tt, tf, live, aux);	/* aux: the map now */
		for (size_t i = 0; i < n; i++)
			if (live[i] && is_cond(&p[i]) && !slow[i] &&
			    (aux[tt[i]] - aux[i] - 1 > 255 ||
			    aux[tf[i]] - aux[i] - 1 > 255))
				slow[i] = again = 1;
	}
	for (size_t i = 0; i < n; i++) {
		struct dlf_insn q = p[i];

		if (!live[i])
			continue;
		if (is_ja(&q))
			q.k = (uint32_t)(aux[tt[i]] - aux[i] - 1);
		else if (is_cond(&q)) {
			q.jt = (uint8_t)(aux[tt[i]] - aux[i] - 1);
			q.jf = (uint8_t)(aux[tf[i]] - aux[i] - 1);
		}
		p[aux[i]] = q;
	}
	*np = aux[n - 1] + live[n - 1];
	rc = 0;
out:
	free(tt);
	free(tf);
	free(aux);
	free(live);
	free(slow);
	return rc;
}
