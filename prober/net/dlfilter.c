/*
 * dlfilter.c: datalink filters (see dlfilter.h): compiled by dlf_expr.c,
 * run here by a classic BPF interpreter, or attached to a socket.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "dlf_int.h"
#include "dlfilter.h"

#ifdef __linux__
#include <linux/filter.h>
#endif

struct dlfilter {
	struct dlf_insn	*prog;
	size_t		 n;
};

struct dlfilter *
dlfilter_compile(enum neigh_link kind, const char *expr, char *err,
    size_t errlen)
{
	struct dlfilter *f;
	int link;

	switch (kind) {
	case NEIGH_LINK_ETHER:
	case NEIGH_LINK_LOOP:
		link = 14;
		break;
	case NEIGH_LINK_RAWIP:
		link = 0;
		break;
	default:
		snprintf(err, errlen, "a link type the datalink code does not "
		    "frame");
		return NULL;
	}
	if ((f = calloc(1, sizeof(*f))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (dlf_expr_compile(expr, link, &f->prog, &f->n, err, errlen) == -1) {
		free(f);
		return NULL;
	}
	return f;
}

void
dlfilter_free(struct dlfilter *f)
{
	if (f == NULL)
		return;
	free(f->prog);
	free(f);
}

/* Load SIZE (DLF_W, DLF_H, DLF_B) bytes at OFF of P (LEN bytes) into
 * *V; -1 past the end. */
static int
ld(const uint8_t *p, size_t len, uint32_t off, int size, uint32_t *v)
{
	size_t n = size == DLF_W ? 4 : size == DLF_H ? 2 : 1;

	if (off > len || len - off < n)
		return -1;
	*v = 0;
	for (size_t i = 0; i < n; i++)
		*v = *v << 8 | p[off + i];
	return 0;
}

/* A op= V for ALU operation OP; -1 for a division by zero. */
static int
alu(uint32_t *a, uint16_t op, uint32_t v)
{
	switch (op) {
	case DLF_ADD: *a += v; break;
	case DLF_SUB: *a -= v; break;
	case DLF_MUL: *a *= v; break;
	case DLF_DIV: if (v == 0) return -1; *a /= v; break;
	case DLF_OR: *a |= v; break;
	case DLF_AND: *a &= v; break;
	case DLF_LSH: *a = v < 32 ? *a << v : 0; break;
	case DLF_RSH: *a = v < 32 ? *a >> v : 0; break;
	default: return -1;
	}
	return 0;
}

/* Whether jump OP holds for A against V. */
static int
cond(uint16_t op, uint32_t a, uint32_t v)
{
	switch (op) {
	case DLF_JEQ: return a == v;
	case DLF_JGT: return a > v;
	case DLF_JGE: return a >= v;
	default: return (a & v) != 0;		/* DLF_JSET */
	}
}

/* Run PROG (N instructions, as dlf_expr.c makes them: forward jumps
 * only) over P (LEN bytes); what it returns (0 on a fault). */
static uint32_t
run(const struct dlf_insn *prog, size_t n, const uint8_t *p, size_t len)
{
	uint32_t a = 0, x = 0, v, mem[DLF_MEMWORDS] = { 0 };

	for (size_t pc = 0; pc < n; pc++) {
		const struct dlf_insn *in = &prog[pc];
		uint16_t c = in->code;

		switch (DLF_CLASS(c)) {
		case DLF_LD:
			if (DLF_MODE(c) == DLF_IMM)
				a = in->k;
			else if (DLF_MODE(c) == DLF_MEM)
				a = mem[in->k % DLF_MEMWORDS];
			else if (DLF_MODE(c) == DLF_LEN)
				a = (uint32_t)len;
			else if (ld(p, len, in->k + (DLF_MODE(c) == DLF_IND ?
			    x : 0), DLF_SIZE(c), &a) == -1)
				return 0;
			break;
		case DLF_LDX:
			if (DLF_MODE(c) == DLF_IMM)
				x = in->k;
			else if (DLF_MODE(c) == DLF_MEM)
				x = mem[in->k % DLF_MEMWORDS];
			else if (DLF_MODE(c) == DLF_LEN)
				x = (uint32_t)len;
			else if (ld(p, len, in->k, DLF_B, &v) == -1)
				return 0;
			else
				x = (v & 0xf) << 2;		/* DLF_MSH */
			break;
		case DLF_ST:
			mem[in->k % DLF_MEMWORDS] = a;
			break;
		case DLF_STX:
			mem[in->k % DLF_MEMWORDS] = x;
			break;
		case DLF_ALU:
			if (alu(&a, DLF_OP(c), DLF_SRC(c) == DLF_X ? x : in->k) ==
			    -1)
				return 0;
			break;
		case DLF_JMP:
			if (DLF_OP(c) == DLF_JA)
				pc += in->k;
			else
				pc += cond(DLF_OP(c), a, DLF_SRC(c) == DLF_X ?
				    x : in->k) ? in->jt : in->jf;
			break;
		case DLF_RET:
			return (c & DLF_A) != 0 ? a : in->k;
		default:
			if ((c & DLF_TXA) != 0)
				a = x;
			else
				x = a;
			break;
		}
	}
	return 0;
}

int
dlfilter_match(const struct dlfilter *f, const uint8_t *frame, size_t caplen,
    size_t wirelen)
{
	(void)wirelen;
	return run(f->prog, f->n, frame, caplen) != 0;
}

size_t
dlfilter_len(const struct dlfilter *f)
{
	return f->n;
}

#ifdef __linux__

int
dlfilter_attach(int fd, const struct dlfilter *f)
{
	static struct sock_filter none[] = {
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog;

	/* the instructions have the kernel's layout and opcodes */
	_Static_assert(sizeof(struct dlf_insn) == sizeof(struct sock_filter),
	    "dlf_insn and sock_filter differ");
	_Static_assert(BPF_LD == DLF_LD && BPF_MSH == DLF_MSH &&
	    BPF_JSET == DLF_JSET && BPF_TXA == DLF_TXA && BPF_X == DLF_X &&
	    BPF_MEMWORDS == DLF_MEMWORDS, "BPF opcodes differ");
	if (f == NULL) {
		prog.len = 1;
		prog.filter = none;
	} else {
		if (f->n > 0xffff) {
			errno = E2BIG;
			return -1;
		}
		prog.len = (unsigned short)f->n;
		prog.filter = (struct sock_filter *)f->prog;
	}
	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
	    sizeof(prog));
}

#else

int
dlfilter_attach(int fd, const struct dlfilter *f)
{
	(void)fd;
	(void)f;
	errno = EOPNOTSUPP;
	return -1;
}

#endif
