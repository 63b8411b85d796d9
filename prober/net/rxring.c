/*
 * rxring.c: a packet socket's receive ring and the filters around it
 * (see rxring.h).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "rxring.h"

/* classic BPF: the opcodes used here */
#define OP_LDB		0x30	/* BPF_LD | BPF_B | BPF_ABS */
#define OP_LDH		0x28	/* BPF_LD | BPF_H | BPF_ABS */
#define OP_LDW		0x20	/* BPF_LD | BPF_W | BPF_ABS */
#define OP_LDBX		0x50	/* BPF_LD | BPF_B | BPF_IND */
#define OP_LDHX		0x48	/* BPF_LD | BPF_H | BPF_IND */
#define OP_LDI		0x00	/* BPF_LD | BPF_IMM */
#define OP_LDXI		0x01	/* BPF_LDX | BPF_IMM */
#define OP_LDM		0x60	/* BPF_LD | BPF_MEM */
#define OP_ST		0x02	/* BPF_ST */
#define OP_ADD		0x04	/* BPF_ALU | BPF_ADD | BPF_K */
#define OP_ADDX		0x0c	/* BPF_ALU | BPF_ADD | BPF_X */
#define OP_LSH		0x64	/* BPF_ALU | BPF_LSH | BPF_K */
#define OP_AND		0x54	/* BPF_ALU | BPF_AND | BPF_K */
#define OP_TAX		0x07	/* BPF_MISC | BPF_TAX */
#define OP_JA		0x05	/* BPF_JMP | BPF_JA */
#define OP_JEQ		0x15	/* BPF_JMP | BPF_JEQ | BPF_K */
#define OP_JSET		0x45	/* BPF_JMP | BPF_JSET | BPF_K */
#define OP_RET		0x06	/* BPF_RET | BPF_K */
#define AD_PKTTYPE	((uint32_t)(-0x1000 + 4))	/* SKF_AD_OFF + ..PKTTYPE */
#define AD_IFINDEX	((uint32_t)(-0x1000 + 8))	/* SKF_AD_OFF + ..IFINDEX */
#define PKT_OTHERHOST	3				/* PACKET_OTHERHOST */
#define PKT_OUTGOING	4				/* PACKET_OUTGOING */
#define ACCEPT		262144u				/* the whole packet */

/* The replies filter's layout: a prologue, then one step per IPv6
 * header looked at (the fixed header's next header, then each extension
 * header's), then drop and accept. */
#define R_PRO		13		/* prologue's instructions */
#define R_STEP		20		/* a step's */
#define R_DROP		(R_PRO + RXRING_EXT6 * R_STEP)
#define R_ACCEPT	(R_DROP + 1)

_Static_assert(R_ACCEPT + 1 <= RXRING_PROGMAX, "RXRING_PROGMAX too small");
_Static_assert(R_ACCEPT < 256, "a jump of the replies filter too long");

static struct rxring_insn
insn(uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
	return (struct rxring_insn){ code, jt, jf, k };
}

/* The jump offset from instruction AT to instruction TO (after it). */
static uint8_t
to(int at, int dst)
{
	return (uint8_t)(dst - at - 1);
}

/* Step I of the replies filter at P+AT: A holds a next header, X the
 * offset of the header it names.  ICMPv6 and TCP are accepted, an
 * extension header (hop-by-hop, routing, destination options, a first
 * fragment) skipped with A its next header for the step after, anything
 * else (a later fragment, another protocol) dropped. */
static void
step6(struct rxring_insn *p, int at)
{
	int i = at;

	p[i] = insn(OP_JEQ, to(i, R_ACCEPT), 0, 58), i++;	/* ICMPv6 */
	p[i] = insn(OP_JEQ, to(i, R_ACCEPT), 0, 6), i++;	/* TCP */
	p[i] = insn(OP_JEQ, to(i, at + 6), 0, 44), i++;		/* fragment */
	p[i] = insn(OP_JEQ, to(i, at + 10), 0, 0), i++;		/* hop-by-hop */
	p[i] = insn(OP_JEQ, to(i, at + 10), 0, 43), i++;	/* routing */
	p[i] = insn(OP_JEQ, to(i, at + 10), to(i, R_DROP), 60), i++; /* dst */
	/* at + 6: a fragment header, 8 bytes; a later fragment: drop */
	p[i] = insn(OP_LDHX, 0, 0, 2), i++;
	p[i] = insn(OP_JSET, to(i, R_DROP), 0, 0xfff8), i++;
	p[i] = insn(OP_LDI, 0, 0, 8), i++;
	p[i] = insn(OP_JA, 0, 0, (uint32_t)to(i, at + 13)), i++;
	/* at + 10: (length + 1) x 8 bytes */
	p[i] = insn(OP_LDBX, 0, 0, 1), i++;
	p[i] = insn(OP_ADD, 0, 0, 1), i++;
	p[i] = insn(OP_LSH, 0, 0, 3), i++;
	/* at + 13: A is the header's length: X past it, A its next header */
	p[i] = insn(OP_ST, 0, 0, 1), i++;
	p[i] = insn(OP_LDBX, 0, 0, 0), i++;
	p[i] = insn(OP_ST, 0, 0, 0), i++;
	p[i] = insn(OP_LDM, 0, 0, 1), i++;
	p[i] = insn(OP_ADDX, 0, 0, 0), i++;
	p[i] = insn(OP_TAX, 0, 0, 0), i++;
	p[i] = insn(OP_LDM, 0, 0, 0), i++;
}

int
rxring_filter_replies(int hlen, struct rxring_insn *p)
{
	uint32_t h = (uint32_t)hlen;
	int n = 0;

	/* not for this host (a promiscuous interface): no raw socket's */
	p[n++] = insn(OP_LDW, 0, 0, AD_PKTTYPE);		/* 0 */
	p[n++] = insn(OP_JEQ, to(1, R_DROP), 0, PKT_OTHERHOST);	/* 1 */
	p[n++] = insn(OP_LDB, 0, 0, h);				/* 2: version */
	p[n++] = insn(OP_AND, 0, 0, 0xf0);			/* 3 */
	p[n++] = insn(OP_JEQ, 0, to(4, 10), 0x40);		/* 4: IPv4 */
	p[n++] = insn(OP_LDB, 0, 0, h + 9);			/* 5: protocol */
	p[n++] = insn(OP_JEQ, 1, 0, 1);				/* 6: ICMP */
	p[n++] = insn(OP_JEQ, 0, to(7, R_DROP), 6);		/* 7: TCP */
	p[n++] = insn(OP_LDH, 0, 0, h + 6);			/* 8: fragment */
	p[n++] = insn(OP_JSET, to(9, R_DROP), to(9, R_ACCEPT), 0x1fff);
	p[n++] = insn(OP_JEQ, 0, to(10, R_DROP), 0x60);		/* 10: IPv6 */
	p[n++] = insn(OP_LDXI, 0, 0, h + 40);			/* 11 */
	p[n++] = insn(OP_LDB, 0, 0, h + 6);			/* 12: next */
	for (int s = 0; s < RXRING_EXT6; s++, n += R_STEP)
		step6(p, n);
	p[n++] = insn(OP_RET, 0, 0, 0);				/* R_DROP */
	p[n++] = insn(OP_RET, 0, 0, ACCEPT);			/* R_ACCEPT */
	return n;
}

int
rxring_filter_copies(int hlen, struct rxring_insn *p)
{
	static const uint8_t v4[] = { 17, 1, 6 };
	static const uint8_t v6[] = { 17, 58, 6, 44, 0, 60, 43 };
	uint32_t h = (uint32_t)hlen;
	int n, drop = 16, acc = 17;

	p[0] = insn(OP_LDB, 0, 0, h);				/* version */
	p[1] = insn(OP_AND, 0, 0, 0xf0);
	p[2] = insn(OP_JEQ, 0, to(2, 7), 0x40);			/* IPv4 */
	p[3] = insn(OP_LDB, 0, 0, h + 9);			/* protocol */
	for (n = 4; n < 7; n++)
		p[n] = insn(OP_JEQ, to(n, acc), n < 6 ? 0 : to(n, drop),
		    v4[n - 4]);
	p[7] = insn(OP_JEQ, 0, to(7, drop), 0x60);		/* IPv6 */
	p[8] = insn(OP_LDB, 0, 0, h + 6);			/* next */
	for (n = 9; n < 16; n++)
		p[n] = insn(OP_JEQ, to(n, acc), n < 15 ? 0 : to(n, drop),
		    v6[n - 9]);
	p[drop] = insn(OP_RET, 0, 0, 0);
	p[acc] = insn(OP_RET, 0, 0, h + RXRING_COPY);
	return acc + 1;
}

int
rxring_filter_both(int hlen, struct rxring_insn *p)
{
	int n = rxring_filter_replies(hlen, p + 2);

	p[0] = insn(OP_LDW, 0, 0, AD_PKTTYPE);
	p[1] = insn(OP_JEQ, (uint8_t)n, 0, PKT_OUTGOING);
	return 2 + n + rxring_filter_copies(hlen, p + 2 + n);
}

int
rxring_filter_not_ifs(const uint32_t *ifs, int nifs, struct rxring_insn *p)
{
	int n = 0;

	if (nifs > RXRING_MAXIF)
		nifs = RXRING_MAXIF;
	if (nifs > 0)
		p[n++] = insn(OP_LDW, 0, 0, AD_IFINDEX);
	for (int i = 0; i < nifs; i++)
		p[n++] = insn(OP_JEQ, (uint8_t)(nifs - i), 0, ifs[i]);
	p[n++] = insn(OP_RET, 0, 0, ACCEPT);
	if (nifs > 0)
		p[n++] = insn(OP_RET, 0, 0, 0);
	return n;
}

#ifdef __linux__
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <sys/mman.h>

#ifndef SOL_PACKET
#define SOL_PACKET	263
#endif
#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

_Static_assert(sizeof(struct rxring_insn) == sizeof(struct sock_filter),
    "rxring_insn is not sock_filter");

struct rxring {
	uint8_t		*base;
	size_t		 maplen;	/* 0: not ours to unmap */
	uint32_t	 nblocks, bsize;
	uint32_t	 cur;		/* the next block to read */
	rxring_cb	*out;		/* outgoing frames' (NULL: skipped) */
};

int
rxring_attach(int fd, const struct rxring_insn *prog, int len)
{
	struct sock_fprog fp;

	fp.len = (unsigned short)len;
	fp.filter = (struct sock_filter *)(uintptr_t)prog;
	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof(fp));
}

struct rxring *
rxring_over(void *mem, uint32_t nblocks, uint32_t bsize)
{
	struct rxring *r;

	if (nblocks == 0 || bsize < 256 || bsize % 16 != 0) {
		errno = EINVAL;
		return NULL;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->base = mem;
	r->nblocks = nblocks;
	r->bsize = bsize;
	return r;
}

struct rxring *
rxring_new(int fd, uint32_t bsize, int out)
{
	struct tpacket_req3 req;
	struct rxring *r;
	int v = TPACKET_V3, on = 1;
	size_t len = (size_t)RXRING_BLOCKS * bsize;
	void *mem;

	if (bsize < RXRING_FRAME || bsize % RXRING_FRAME != 0) {
		errno = EINVAL;
		return NULL;
	}
	memset(&req, 0, sizeof(req));
	req.tp_block_size = bsize;
	req.tp_block_nr = RXRING_BLOCKS;
	req.tp_frame_size = RXRING_FRAME;
	req.tp_frame_nr = (bsize / RXRING_FRAME) * RXRING_BLOCKS;
	req.tp_retire_blk_tov = RXRING_TMO_MS;
	/* the stamps the stack takes on arrival: asking for them anywhere
	 * has every packet stamped (without, the ring reads a coarse clock) */
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on)) == -1 ||
	    (!out && setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &on,
	    sizeof(on)) == -1) ||
	    setsockopt(fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) == -1 ||
	    setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req,
	    sizeof(req)) == -1)
		return NULL;
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (mem == MAP_FAILED)
		return NULL;
	if ((r = rxring_over(mem, RXRING_BLOCKS, bsize)) == NULL) {
		int save = errno;
		munmap(mem, len);
		errno = save;
		return NULL;
	}
	r->maplen = len;
	return r;
}

void
rxring_set_out(struct rxring *r, rxring_cb *out)
{
	r->out = out;
}

void
rxring_free(struct rxring *r)
{
	if (r == NULL)
		return;
	if (r->maplen != 0)
		munmap(r->base, r->maplen);
	free(r);
}

int
rxring_counts(int fd, uint32_t *got, uint32_t *dropped)
{
	struct tpacket_stats_v3 st;
	socklen_t len = sizeof(st);

	memset(&st, 0, sizeof(st));
	if (getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) == -1)
		return -1;
	*got = st.tp_packets;
	*dropped = st.tp_drops;
	return 0;
}

/* Hand frame F (in a block of BSIZE from B) to CB (an outgoing one to
 * OUT, if not NULL): 1, or 0 if it is outgoing, or -1 if it does not
 * lie within the block. */
static int
frame_read(const uint8_t *b, uint32_t bsize, const struct tpacket3_hdr *f,
    rxring_cb *cb, rxring_cb *out, void *arg)
{
	size_t at = (size_t)((const uint8_t *)f - b);
	size_t lh = (size_t)f->tp_net - f->tp_mac;	/* link header */
	const struct sockaddr_ll *sll;
	struct stamp ts;

	if (at + TPACKET_ALIGN(sizeof(*f)) + sizeof(*sll) > bsize ||
	    f->tp_net < f->tp_mac || at + f->tp_mac + f->tp_snaplen > bsize ||
	    lh > f->tp_snaplen)
		return -1;
	sll = (const struct sockaddr_ll *)(const void *)((const uint8_t *)f +
	    TPACKET_ALIGN(sizeof(*f)));
	ts.ns = (int64_t)f->tp_sec * 1000000000 + f->tp_nsec;
	if (sll->sll_pkttype == PACKET_OUTGOING) {
		if (out != NULL)
			out(arg, (const uint8_t *)f + f->tp_net,
			    f->tp_snaplen - lh, (uint32_t)sll->sll_ifindex,
			    (f->tp_status & TP_STATUS_TS_SOFTWARE) ? &ts :
			    NULL);
		return 0;
	}
	/* (a filter asked for at most RXRING_FRAME: no frame is cut short
	 * of what the raw sockets would have read) */
	cb(arg, (const uint8_t *)f + f->tp_net, f->tp_snaplen - lh,
	    (uint32_t)sll->sll_ifindex,
	    (f->tp_status & (TP_STATUS_TS_SOFTWARE |
	    TP_STATUS_TS_RAW_HARDWARE)) ? &ts : NULL);
	return 1;
}

/* Start fetching the frame after F (at OFF of block B): its header and
 * its packet's first bytes, which the kernel wrote from another core,
 * arrive while F's reply is handled. */
static void
frame_prefetch(const uint8_t *b, uint32_t bsize, uint32_t off,
    const struct tpacket3_hdr *f)
{
	uint32_t next = off + f->tp_next_offset;

	if (f->tp_next_offset == 0 || next > bsize - 192)
		return;
	__builtin_prefetch(b + next);
	__builtin_prefetch(b + next + 64);
	__builtin_prefetch(b + next + 128);
}

int
rxring_read(struct rxring *r, int maxblocks, rxring_cb *cb,
    rxring_end_cb *end, void *arg)
{
	int frames = 0;

	for (int k = 0; k < maxblocks; k++) {
		uint8_t *b = r->base + (size_t)r->cur * r->bsize;
		struct tpacket_block_desc *d = (void *)b;
		const struct tpacket3_hdr *f;
		uint32_t n, off;
		int before = frames;

		if (!(__atomic_load_n(&d->hdr.bh1.block_status,
		    __ATOMIC_ACQUIRE) & TP_STATUS_USER))
			break;
		n = d->hdr.bh1.num_pkts;
		off = d->hdr.bh1.offset_to_first_pkt;
		for (uint32_t i = 0; i < n && off != 0 && off < r->bsize; i++) {
			int got;

			f = (const void *)(b + off);
			frame_prefetch(b, r->bsize, off, f);
			if ((got = frame_read(b, r->bsize, f, cb, r->out,
			    arg)) == -1)
				break;
			frames += got;
			if (f->tp_next_offset == 0)
				break;
			off += f->tp_next_offset;
		}
		if (end != NULL && frames > before)
			end(arg);
		__atomic_store_n(&d->hdr.bh1.block_status, TP_STATUS_KERNEL,
		    __ATOMIC_RELEASE);
		r->cur = (r->cur + 1) % r->nblocks;
	}
	return frames;
}

#else	/* no packet rings */

struct rxring {
	int	 unused;
};

int
rxring_attach(int fd, const struct rxring_insn *prog, int len)
{
	(void)fd;
	(void)prog;
	(void)len;
	errno = EOPNOTSUPP;
	return -1;
}

struct rxring *
rxring_new(int fd, uint32_t bsize, int out)
{
	(void)fd;
	(void)bsize;
	errno = EOPNOTSUPP;
	return NULL;
}

struct rxring *
rxring_over(void *mem, uint32_t nblocks, uint32_t bsize)
{
	(void)mem;
	(void)nblocks;
	(void)bsize;
	errno = EOPNOTSUPP;
	return NULL;
}

void
rxring_set_out(struct rxring *r, rxring_cb *out)
{
	(void)r;
	(void)out;
}

void
rxring_free(struct rxring *r)
{
	free(r);
}

int
rxring_counts(int fd, uint32_t *got, uint32_t *dropped)
{
	(void)fd;
	*got = *dropped = 0;
	errno = EOPNOTSUPP;
	return -1;
}

int
rxring_read(struct rxring *r, int maxblocks, rxring_cb *cb,
    rxring_end_cb *end, void *arg)
{
	(void)r;
	(void)maxblocks;
	(void)cb;
	(void)end;
	(void)arg;
	return 0;
}

#endif
