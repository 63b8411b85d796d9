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
#define OP_AND		0x54	/* BPF_ALU | BPF_AND | BPF_K */
#define OP_JEQ		0x15	/* BPF_JMP | BPF_JEQ | BPF_K */
#define OP_JSET		0x45	/* BPF_JMP | BPF_JSET | BPF_K */
#define OP_RET		0x06	/* BPF_RET | BPF_K */
#define AD_IFINDEX	((uint32_t)(-0x1000 + 8))	/* SKF_AD_OFF + ..IFINDEX */
#define ACCEPT		262144u				/* the whole packet */

static struct rxring_insn
insn(uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
	return (struct rxring_insn){ code, jt, jf, k };
}

int
rxring_filter_replies(int hlen, struct rxring_insn *p)
{
	uint32_t h = (uint32_t)hlen;
	int n = 0;

	p[n++] = insn(OP_LDB, 0, 0, h);			/* 0: version */
	p[n++] = insn(OP_AND, 0, 0, 0xf0);		/* 1 */
	p[n++] = insn(OP_JEQ, 0, 4, 0x40);		/* 2: IPv4, or 7 */
	p[n++] = insn(OP_LDB, 0, 0, h + 9);		/* 3: protocol */
	p[n++] = insn(OP_JEQ, 0, 6, 1);			/* 4: ICMP, or drop */
	p[n++] = insn(OP_LDH, 0, 0, h + 6);		/* 5: fragment offset */
	p[n++] = insn(OP_JSET, 4, 3, 0x1fff);		/* 6: later: drop */
	p[n++] = insn(OP_JEQ, 0, 3, 0x60);		/* 7: IPv6, or drop */
	p[n++] = insn(OP_LDB, 0, 0, h + 6);		/* 8: next header */
	p[n++] = insn(OP_JEQ, 0, 1, 58);		/* 9: ICMPv6 */
	p[n++] = insn(OP_RET, 0, 0, ACCEPT);		/* 10 */
	p[n++] = insn(OP_RET, 0, 0, 0);			/* 11 */
	return n;
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
rxring_new(int fd)
{
	struct tpacket_req3 req;
	struct rxring *r;
	int v = TPACKET_V3, on = 1;
	size_t len = (size_t)RXRING_BLOCKS * RXRING_BLOCK;
	void *mem;

	memset(&req, 0, sizeof(req));
	req.tp_block_size = RXRING_BLOCK;
	req.tp_block_nr = RXRING_BLOCKS;
	req.tp_frame_size = RXRING_FRAME;
	req.tp_frame_nr = (RXRING_BLOCK / RXRING_FRAME) * RXRING_BLOCKS;
	req.tp_retire_blk_tov = RXRING_TMO_MS;
	/* the stamps the stack takes on arrival: asking for them anywhere
	 * has every packet stamped (without, the ring reads a coarse clock) */
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on)) == -1 ||
	    setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &on,
	    sizeof(on)) == -1 ||
	    setsockopt(fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) == -1 ||
	    setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req,
	    sizeof(req)) == -1)
		return NULL;
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (mem == MAP_FAILED)
		return NULL;
	if ((r = rxring_over(mem, RXRING_BLOCKS, RXRING_BLOCK)) == NULL) {
		int save = errno;
		munmap(mem, len);
		errno = save;
		return NULL;
	}
	r->maplen = len;
	return r;
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

/* Hand frame F (in a block of BSIZE from B) to CB: 1, or 0 if it is
 * one we sent, or -1 if it does not lie within the block. */
static int
frame_read(const uint8_t *b, uint32_t bsize, const struct tpacket3_hdr *f,
    rxring_cb *cb, void *arg)
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
	if (sll->sll_pkttype == PACKET_OUTGOING)
		return 0;
	/* (a filter asked for at most RXRING_FRAME: no frame is cut short
	 * of what the raw sockets would have read) */
	ts.ns = (int64_t)f->tp_sec * 1000000000 + f->tp_nsec;
	cb(arg, (const uint8_t *)f + f->tp_net, f->tp_snaplen - lh,
	    (uint32_t)sll->sll_ifindex,
	    (f->tp_status & (TP_STATUS_TS_SOFTWARE |
	    TP_STATUS_TS_RAW_HARDWARE)) ? &ts : NULL);
	return 1;
}

int
rxring_read(struct rxring *r, int maxblocks, rxring_cb *cb, void *arg)
{
	int frames = 0;

	for (int k = 0; k < maxblocks; k++) {
		uint8_t *b = r->base + (size_t)r->cur * r->bsize;
		struct tpacket_block_desc *d = (void *)b;
		const struct tpacket3_hdr *f;
		uint32_t n, off;

		if (!(__atomic_load_n(&d->hdr.bh1.block_status,
		    __ATOMIC_ACQUIRE) & TP_STATUS_USER))
			break;
		n = d->hdr.bh1.num_pkts;
		off = d->hdr.bh1.offset_to_first_pkt;
		for (uint32_t i = 0; i < n && off != 0 && off < r->bsize; i++) {
			int got;

			f = (const void *)(b + off);
			if ((got = frame_read(b, r->bsize, f, cb, arg)) == -1)
				break;
			frames += got;
			if (f->tp_next_offset == 0)
				break;
			off += f->tp_next_offset;
		}
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
rxring_new(int fd)
{
	(void)fd;
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
rxring_read(struct rxring *r, int maxblocks, rxring_cb *cb, void *arg)
{
	(void)r;
	(void)maxblocks;
	(void)cb;
	(void)arg;
	return 0;
}

#endif
