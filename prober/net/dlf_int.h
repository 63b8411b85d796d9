/*
 * dlf_int.h: inside dlfilter: classic BPF instructions (the kernel's
 * and BPF's layout and opcodes, defined here so that no system header
 * is needed), the expression compiler (dlf_expr.c) and its jump
 * threading (dlf_opt.c).
 */
#ifndef PROBER_NET_DLF_INT_H
#define PROBER_NET_DLF_INT_H

#include <stddef.h>
#include <stdint.h>

/* One instruction: struct sock_filter's and struct bpf_insn's layout. */
struct dlf_insn {
	uint16_t	code;
	uint8_t		jt;
	uint8_t		jf;
	uint32_t	k;
};

/* Instruction classes, sizes, modes, operations and sources. */
#define DLF_LD		0x00
#define DLF_LDX		0x01
#define DLF_ST		0x02
#define DLF_STX		0x03
#define DLF_ALU		0x04
#define DLF_JMP		0x05
#define DLF_RET		0x06
#define DLF_MISC	0x07
#define DLF_CLASS(c)	((c) & 0x07)

#define DLF_W		0x00
#define DLF_H		0x08
#define DLF_B		0x10
#define DLF_SIZE(c)	((c) & 0x18)

#define DLF_IMM		0x00
#define DLF_ABS		0x20
#define DLF_IND		0x40
#define DLF_MEM		0x60
#define DLF_LEN		0x80
#define DLF_MSH		0xa0
#define DLF_MODE(c)	((c) & 0xe0)

#define DLF_ADD		0x00
#define DLF_SUB		0x10
#define DLF_MUL		0x20
#define DLF_DIV		0x30
#define DLF_OR		0x40
#define DLF_AND		0x50
#define DLF_LSH		0x60
#define DLF_RSH		0x70
#define DLF_JA		0x00
#define DLF_JEQ		0x10
#define DLF_JGT		0x20
#define DLF_JGE		0x30
#define DLF_JSET	0x40
#define DLF_OP(c)	((c) & 0xf0)

#define DLF_K		0x00
#define DLF_X		0x08
#define DLF_SRC(c)	((c) & 0x08)
#define DLF_A		0x10		/* RET: return A */
#define DLF_TAX		0x00		/* MISC */
#define DLF_TXA		0x80

#define DLF_MEMWORDS	16
#define DLF_MAXINSNS	4096

/* Compile pcap expression EXPR (the subset dlfilter.h describes) for
 * frames whose network header starts at byte LINKLEN (14: Ethernet;
 * 0: raw IP) into *PROG (malloc'd, *N instructions).  Returns 0, or -1
 * with the problem and its place in ERR. */
int dlf_expr_compile(const char *expr, int linklen, struct dlf_insn **prog,
    size_t *n, char *err, size_t errlen);

/* Shorten program P (*N instructions, forward jumps only, as
 * dlf_expr_compile makes them) in place without changing its meaning;
 * *N the new length.  Returns 0, or -1 with P unchanged. */
int dlf_opt(struct dlf_insn *p, size_t *n);

#endif
