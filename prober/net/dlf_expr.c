/*
 * dlf_expr.c: compile the pcap expressions the prober makes into
 * classic BPF (see dlf_int.h), without libpcap.
 *
 * The subset (dlfilter.h lists it) is parsed by recursive descent and
 * compiled in the same pass: a boolean part jumps to a "true" or a
 * "false" label; arithmetic leaves its value in A, with the scratch
 * words as its stack.  Every condition is two or three instructions (a
 * conditional jump over one or two BPF_JA), so no conditional jump
 * needs an offset over 1 and a program of any length is reachable; the
 * labels of the BPF_JA are resolved at the end.  A load past the end of
 * the frame makes the program return 0, as in libpcap's programs.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlf_int.h"
#include "dlfilter.h"

struct cc {
	const char	*s;		/* the expression */
	const char	*p;		/* the next character */
	uint32_t	 link;		/* network header's offset */
	struct dlf_insn	*ins;
	size_t		 n, cap;
	int		*lab;		/* label -> instruction, -1 unplaced */
	int		 nlab, labcap;
	uint32_t	 sp;		/* scratch words in use */
	char		*err;
	size_t		 errlen;
	int		 failed;
};

/* The first problem found, with its place. */
static void
fail(struct cc *c, const char *fmt, ...)
{
	char m[160];
	va_list ap;

	if (c->failed)
		return;
	c->failed = 1;
	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errlen, "%s at character %d of '%s'", m,
	    (int)(c->p - c->s) + 1, c->s);
}

static void
emit(struct cc *c, uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
	if (c->failed)
		return;
	if (c->n == c->cap) {
		size_t ncap = c->cap == 0 ? 64 : c->cap * 2;
		struct dlf_insn *v = realloc(c->ins, ncap * sizeof(*v));

		if (v == NULL) {
			fail(c, "out of memory");
			return;
		}
		c->ins = v;
		c->cap = ncap;
	}
	c->ins[c->n].code = code;
	c->ins[c->n].jt = jt;
	c->ins[c->n].jf = jf;
	c->ins[c->n].k = k;
	c->n++;
}

static int
newlab(struct cc *c)
{
	if (c->nlab == c->labcap) {
		int ncap = c->labcap == 0 ? 32 : c->labcap * 2;
		int *v = realloc(c->lab, (size_t)ncap * sizeof(*v));

		if (v == NULL) {
			fail(c, "out of memory");
			return 0;
		}
		c->lab = v;
		c->labcap = ncap;
	}
	c->lab[c->nlab] = -1;
	return c->nlab++;
}

static void
place(struct cc *c, int l)
{
	if (!c->failed)
		c->lab[l] = (int)c->n;
}

static void
jump(struct cc *c, int l)
{
	emit(c, DLF_JMP | DLF_JA, 0, 0, (uint32_t)l);
}

/* Jump to T if condition CODE (against K or X) holds, else to F. */
static void
test(struct cc *c, uint16_t code, uint32_t k, int t, int f)
{
	emit(c, code, 0, 1, k);
	jump(c, t);
	jump(c, f);
}

/* Go on if condition CODE holds, else jump to F. */
static void
need(struct cc *c, uint16_t code, uint32_t k, int f)
{
	emit(c, code, 1, 0, k);
	jump(c, f);
}

/* ---- lexing ------------------------------------------------------------ */

static void
skipws(struct cc *c)
{
	while (isspace((unsigned char)*c->p))
		c->p++;
}

/* The length of the operator at P (the longest), 0 for none. */
static size_t
oplen(const char *p)
{
	static const char *const ops[] = { "==", "!=", ">=", "<=", "<<",
	    ">>", "&&", "||", "=", ">", "<", "+", "-", "*", "/", "&", "|",
	    "(", ")", "[", "]", ":", "!" };

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strncmp(p, ops[i], strlen(ops[i])) == 0)
			return strlen(ops[i]);
	return 0;
}

/* Consume operator OP if it is the one next. */
static int
accept_op(struct cc *c, const char *op)
{
	size_t n;

	skipws(c);
	n = oplen(c->p);
	if (n == 0 || n != strlen(op) || strncmp(c->p, op, n) != 0)
		return 0;
	c->p += n;
	return 1;
}

static void
expect_op(struct cc *c, const char *op)
{
	if (!accept_op(c, op))
		fail(c, "syntax error: expected '%s'", op);
}

/* The length of the word (letters, digits, '_') at P. */
static size_t
wordlen(const char *p)
{
	size_t n = 0;

	while (isalnum((unsigned char)p[n]) || p[n] == '_')
		n++;
	return n;
}

/* Consume word W if it is the one next. */
static int
accept_word(struct cc *c, const char *w)
{
	size_t n;

	skipws(c);
	n = wordlen(c->p);
	if (n == 0 || n != strlen(w) || strncmp(c->p, w, n) != 0)
		return 0;
	c->p += n;
	return 1;
}

/* ---- protocols --------------------------------------------------------- */

enum proto { P_NONE, P_ETHER, P_IP, P_IP6, P_ARP, P_ICMP, P_ICMP6 };

/* The protocol named by the word next (not consumed), or P_NONE. */
static enum proto
proto_at(struct cc *c)
{
	static const struct {
		const char	*name;
		enum proto	 p;
	} t[] = { { "ether", P_ETHER }, { "ip", P_IP }, { "ip6", P_IP6 },
	    { "arp", P_ARP }, { "icmp", P_ICMP }, { "icmp6", P_ICMP6 } };
	size_t n;

	skipws(c);
	n = wordlen(c->p);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (n == strlen(t[i].name) && strncmp(c->p, t[i].name, n) == 0)
			return t[i].p;
	return P_NONE;
}

/* Go on if the frame's network layer is ethertype ET (Ethernet) or IP
 * version V (raw IP; V 0: none there), else jump to F. */
static void
need_net(struct cc *c, uint32_t et, uint32_t v, int f)
{
	if (c->link != 0) {
		emit(c, DLF_LD | DLF_H | DLF_ABS, 0, 0, 12);
		need(c, DLF_JMP | DLF_JEQ | DLF_K, et, f);
	} else if (v != 0) {
		emit(c, DLF_LD | DLF_B | DLF_ABS, 0, 0, 0);
		emit(c, DLF_ALU | DLF_AND | DLF_K, 0, 0, 0xf0);
		need(c, DLF_JMP | DLF_JEQ | DLF_K, v << 4, f);
	} else
		fail(c, "arp on a raw IP link");
}

/* Go on if the frame is of protocol P, else jump to F; FRAG: IPv4
 * fragments after the first fail too (their transport header is not
 * there). */
static void
need_proto(struct cc *c, enum proto p, int frag, int f)
{
	switch (p) {
	case P_ETHER:
		if (c->link == 0)
			fail(c, "ether on a raw IP link");
		break;
	case P_IP:
	case P_ICMP:
		need_net(c, 0x0800, 4, f);
		if (p == P_ICMP) {
			emit(c, DLF_LD | DLF_B | DLF_ABS, 0, 0, c->link + 9);
			need(c, DLF_JMP | DLF_JEQ | DLF_K, 1, f);
		}
		if (p == P_ICMP && frag) {
			emit(c, DLF_LD | DLF_H | DLF_ABS, 0, 0, c->link + 6);
			emit(c, DLF_JMP | DLF_JSET | DLF_K, 0, 1, 0x1fff);
			jump(c, f);
		}
		break;
	case P_IP6:
	case P_ICMP6:
		need_net(c, 0x86dd, 6, f);
		if (p == P_ICMP6) {
			emit(c, DLF_LD | DLF_B | DLF_ABS, 0, 0, c->link + 6);
			need(c, DLF_JMP | DLF_JEQ | DLF_K, 58, f);
		}
		break;
	case P_ARP:
		need_net(c, 0x0806, 0, f);
		break;
	case P_NONE:
		break;
	}
}

/* ---- arithmetic -------------------------------------------------------- */

static void arith(struct cc *c, int f, int minprec);

static void
push(struct cc *c)
{
	if (c->sp == DLF_MEMWORDS) {
		fail(c, "expression nested too deeply");
		return;
	}
	emit(c, DLF_ST, 0, 0, c->sp++);
}

/* X = A (the right side), A = the word pushed last (the left side). */
static void
pop_x(struct cc *c)
{
	emit(c, DLF_MISC | DLF_TAX, 0, 0, 0);
	emit(c, DLF_LD | DLF_W | DLF_MEM, 0, 0, --c->sp);
}

/* PROTO[INDEX] or PROTO[INDEX : SIZE], the protocol word consumed: the
 * value in A (F if the frame is not of PROTO). */
static void
load(struct cc *c, enum proto p, int f)
{
	uint32_t size = 1, off;
	uint16_t sz;

	need_proto(c, p, 1, f);
	arith(c, f, 1);
	if (accept_op(c, ":")) {
		skipws(c);
		if (strncmp(c->p, "1", 1) == 0 || strncmp(c->p, "2", 1) == 0 ||
		    strncmp(c->p, "4", 1) == 0) {
			size = (uint32_t)(*c->p - '0');
			c->p++;
		} else
			fail(c, "syntax error: the size must be 1, 2 or 4");
	}
	expect_op(c, "]");
	sz = size == 1 ? DLF_B : size == 2 ? DLF_H : DLF_W;
	off = p == P_ETHER ? 0 : p == P_ICMP6 ? c->link + 40 : c->link;
	if (p == P_ICMP) {
		/* A += the IPv4 header's length */
		push(c);
		emit(c, DLF_LDX | DLF_B | DLF_MSH, 0, 0, c->link);
		c->sp--;
		emit(c, DLF_LD | DLF_W | DLF_MEM, 0, 0, c->sp);
		emit(c, DLF_ALU | DLF_ADD | DLF_X, 0, 0, 0);
	}
	emit(c, DLF_MISC | DLF_TAX, 0, 0, 0);
	emit(c, DLF_LD | sz | DLF_IND, 0, 0, off);
}

/* A number, a load or a parenthesised expression: its value in A. */
static void
primary(struct cc *c, int f)
{
	enum proto p;
	unsigned long v;
	char *end;

	skipws(c);
	if (accept_op(c, "(")) {
		arith(c, f, 1);
		expect_op(c, ")");
		return;
	}
	if (isdigit((unsigned char)*c->p)) {
		/* as pcap: 0x hexadecimal, 0 octal, else decimal */
		v = strtoul(c->p, &end, 0);
		if (v > 0xffffffffUL || isalnum((unsigned char)*end)) {
			fail(c, "bad number");
			return;
		}
		c->p = end;
		emit(c, DLF_LD | DLF_W | DLF_IMM, 0, 0, (uint32_t)v);
		return;
	}
	if ((p = proto_at(c)) != P_NONE) {
		const char *save = c->p;

		c->p += wordlen(c->p);
		if (accept_op(c, "[")) {
			load(c, p, f);
			return;
		}
		c->p = save;
	}
	fail(c, "syntax error: expected a number or a load such as "
	    "icmp[0]");
}

/* The precedence of binary operator OP (0: none) and its ALU code. */
static int
binop(const char *op, size_t n, uint16_t *code)
{
	static const struct {
		const char	*op;
		int		 prec;
		uint16_t	 code;
	} t[] = { { "|", 1, DLF_OR }, { "&", 2, DLF_AND }, { "<<", 3, DLF_LSH },
	    { ">>", 3, DLF_RSH }, { "+", 4, DLF_ADD }, { "-", 4, DLF_SUB },
	    { "*", 5, DLF_MUL }, { "/", 5, DLF_DIV } };

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strlen(t[i].op) == n && strncmp(op, t[i].op, n) == 0) {
			*code = t[i].code;
			return t[i].prec;
		}
	return 0;
}

/* An arithmetic expression of operators of MINPREC or above: its value
 * in A (F where a load's protocol is not the frame's). */
static void
arith(struct cc *c, int f, int minprec)
{
	uint16_t code;
	int prec;
	size_t n;

	primary(c, f);
	while (!c->failed) {
		skipws(c);
		n = oplen(c->p);
		if ((prec = binop(c->p, n, &code)) == 0 || prec < minprec)
			return;
		c->p += n;
		push(c);
		arith(c, f, prec + 1);
		pop_x(c);
		/* A = left, X = right */
		emit(c, DLF_ALU | code | DLF_X, 0, 0, 0);
	}
}

/* ---- boolean ----------------------------------------------------------- */

static void bool_or(struct cc *c, int t, int f);

/* Jump to T if the frame is IP(v4 or 6) from or to ADDR, else to F. */
static void
host(struct cc *c, enum proto q, int t, int f)
{
	char a[INET6_ADDRSTRLEN];
	uint8_t b[16];
	size_t n = 0;
	int af;

	skipws(c);
	while (n + 1 < sizeof(a) && (isxdigit((unsigned char)c->p[n]) ||
	    c->p[n] == ':' || c->p[n] == '.'))
		n++;
	memcpy(a, c->p, n);
	a[n] = '\0';
	if (inet_pton(AF_INET, a, b) == 1)
		af = 4;
	else if (inet_pton(AF_INET6, a, b) == 1)
		af = 6;
	else {
		fail(c, "expected an IPv4 or IPv6 address after 'host'");
		return;
	}
	if ((q == P_IP && af != 4) || (q == P_IP6 && af != 6)) {
		fail(c, "an IPv%d address for '%s host'", af,
		    q == P_IP ? "ip" : "ip6");
		return;
	}
	c->p += n;
	need_proto(c, af == 4 ? P_IP : P_IP6, 0, f);
	for (int dir = 0; dir < 2; dir++) {
		int words = af == 4 ? 1 : 4, next = newlab(c);
		uint32_t off = c->link + (af == 4 ? 12 : 8) +
		    (uint32_t)dir * (af == 4 ? 4 : 16);

		for (int w = 0; w < words; w++) {
			uint32_t k = (uint32_t)b[4 * w] << 24 |
			    (uint32_t)b[4 * w + 1] << 16 |
			    (uint32_t)b[4 * w + 2] << 8 | b[4 * w + 3];

			emit(c, DLF_LD | DLF_W | DLF_ABS, 0, 0, off + 4 * w);
			need(c, DLF_JMP | DLF_JEQ | DLF_K, k, next);
		}
		jump(c, t);
		place(c, next);
	}
	jump(c, f);
}

/* Jump to T if the relation next (the left side's value in A) holds,
 * else to F. */
static void
relation(struct cc *c, int t, int f)
{
	static const struct {
		const char	*op;
		uint16_t	 code;
		int		 neg;
	} r[] = { { "==", DLF_JEQ, 0 }, { "=", DLF_JEQ, 0 },
	    { "!=", DLF_JEQ, 1 }, { ">", DLF_JGT, 0 }, { ">=", DLF_JGE, 0 },
	    { "<", DLF_JGE, 1 }, { "<=", DLF_JGT, 1 } };

	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		if (!accept_op(c, r[i].op))
			continue;
		push(c);
		arith(c, f, 1);
		pop_x(c);
		/* A = left, X = right */
		test(c, DLF_JMP | r[i].code | DLF_X, 0, r[i].neg ? f : t,
		    r[i].neg ? t : f);
		return;
	}
	fail(c, "syntax error: expected a relation (==, !=, <, <=, >, >=)");
}

/* A primitive, a relation, a negation or a parenthesised expression. */
static void
factor(struct cc *c, int t, int f)
{
	enum proto p;

	if (c->failed)
		return;
	if (accept_word(c, "not") || accept_op(c, "!")) {
		factor(c, f, t);
		return;
	}
	if (accept_op(c, "(")) {
		struct cc save = *c;
		char err0[256];

		bool_or(c, t, f);
		expect_op(c, ")");
		if (!c->failed)
			return;
		/* "(a + b) == c": parsed again as arithmetic */
		snprintf(err0, sizeof(err0), "%s", c->err);
		save.ins = c->ins;
		save.cap = c->cap;
		save.lab = c->lab;
		save.labcap = c->labcap;
		*c = save;
		c->p--;
		arith(c, f, 1);
		relation(c, t, f);
		if (c->failed)
			snprintf(c->err, c->errlen, "%s", err0);
		return;
	}
	if (accept_word(c, "host")) {
		host(c, P_NONE, t, f);
		return;
	}
	if ((p = proto_at(c)) != P_NONE) {
		const char *save = c->p;

		c->p += wordlen(c->p);
		skipws(c);
		if (*c->p != '[') {
			if ((p == P_IP || p == P_IP6) &&
			    accept_word(c, "host")) {
				host(c, p, t, f);
				return;
			}
			if (p == P_ETHER) {
				fail(c, "syntax error: 'ether' alone");
				return;
			}
			need_proto(c, p, 0, f);
			jump(c, t);
			return;
		}
		c->p = save;
	} else if (isalpha((unsigned char)*c->p)) {
		fail(c, "'%.*s' is not a primitive this filter compiler "
		    "knows (ip, ip6, icmp, icmp6, arp, host, ether)",
		    (int)wordlen(c->p), c->p);
		return;
	}
	arith(c, f, 1);
	relation(c, t, f);
}

/* FACTOR (and FACTOR)*: to T if all hold, else to F. */
static void
bool_and(struct cc *c, int t, int f)
{
	for (;;) {
		int next = newlab(c);

		factor(c, next, f);
		place(c, next);
		if (c->failed || !(accept_word(c, "and") ||
		    accept_op(c, "&&"))) {
			jump(c, t);
			return;
		}
	}
}

/* TERM (or TERM)*: to T if one holds, else to F. */
static void
bool_or(struct cc *c, int t, int f)
{
	for (;;) {
		int next = newlab(c);

		bool_and(c, t, next);
		place(c, next);
		if (c->failed || !(accept_word(c, "or") ||
		    accept_op(c, "||"))) {
			jump(c, f);
			return;
		}
	}
}

/* Turn the label numbers of the BPF_JA into offsets, and shorten the
 * program (dlf_opt.c). */
static void
resolve(struct cc *c)
{
	for (size_t i = 0; i < c->n && !c->failed; i++) {
		struct dlf_insn *in = &c->ins[i];

		if (in->code != (DLF_JMP | DLF_JA))
			continue;
		if (in->k >= (uint32_t)c->nlab || c->lab[in->k] < (int)i + 1) {
			fail(c, "internal error: a jump backwards");
			return;
		}
		in->k = (uint32_t)c->lab[in->k] - (uint32_t)(i + 1);
	}
	if (!c->failed)
		(void)dlf_opt(c->ins, &c->n);	/* -1: left as it is */
	if (c->n > DLF_MAXINSNS)
		fail(c, "the filter is too long (%zu instructions, at most "
		    "%d)", c->n, DLF_MAXINSNS);
}

int
dlf_expr_compile(const char *expr, int linklen, struct dlf_insn **prog,
    size_t *n, char *err, size_t errlen)
{
	struct cc c;
	int t, f;

	memset(&c, 0, sizeof(c));
	c.s = c.p = expr;
	c.link = (uint32_t)linklen;
	c.err = err;
	c.errlen = errlen;
	skipws(&c);
	if (*c.p == '\0')
		emit(&c, DLF_RET | DLF_K, 0, 0, DLFILTER_SNAPLEN);
	else {
		t = newlab(&c);
		f = newlab(&c);
		bool_or(&c, t, f);
		skipws(&c);
		if (!c.failed && *c.p != '\0')
			fail(&c, "syntax error: unexpected '%c'", *c.p);
		place(&c, t);
		emit(&c, DLF_RET | DLF_K, 0, 0, DLFILTER_SNAPLEN);
		place(&c, f);
		emit(&c, DLF_RET | DLF_K, 0, 0, 0);
		resolve(&c);
	}
	free(c.lab);
	if (c.failed) {
		free(c.ins);
		return -1;
	}
	*prog = c.ins;
	*n = c.n;
	return 0;
}
