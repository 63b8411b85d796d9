/*
 * test_rxring.c: the receive ring's pieces that need no privilege
 * (prober/net/rxring.c): the hand-built filters (ICMP, TCP, IPv6
 * behind extension headers), run by the kernel on an AF_UNIX datagram
 * socket (whose data is the packet, link header first), and the walk over a TPACKET_V3 block laid out here as the
 * kernel lays it out (frames, link header, stamps, an outgoing frame
 * skipped or handed to a callback of its own, blocks still the
 * kernel's).  The copies filter (outgoing probes) is run the same way;
 * the kernel marks no AF_UNIX packet outgoing, so the combined filter
 * is seen there to act as the replies filter.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rxring.h"
#include "../lib/check_table.h"

#ifdef __linux__
#include <linux/if_packet.h>

/* An IPv4 (V 4) or IPv6 (V 6) packet after HLEN bytes of link header,
 * protocol or next header PROTO, IPv4 fragment field FRAG, into BUF;
 * returns its length. */
static size_t
packet(uint8_t *buf, int hlen, int v, uint8_t proto, uint16_t frag)
{
	uint8_t *ip = buf + hlen;

	memset(buf, 0, 128);
	if (hlen == 14)
		buf[12] = v == 4 ? 0x08 : 0x86, buf[13] = v == 4 ? 0 : 0xdd;
	if (v == 4) {
		ip[0] = 0x45;
		ip[3] = 60;
		ip[6] = (uint8_t)(frag >> 8);
		ip[7] = (uint8_t)frag;
		ip[9] = proto;
	} else {
		ip[0] = 0x60;
		ip[5] = 20;
		ip[6] = proto;
	}
	return (size_t)hlen + 60;
}

/* An IPv6 packet after HLEN bytes of link header into BUF whose
 * headers after the fixed one are the N extension headers EXT (a
 * fragment's offset field FRAG, the others 16 bytes long), then PROTO;
 * returns its length. */
static size_t
chain6(uint8_t *buf, int hlen, const uint8_t *ext, int n, uint8_t proto,
    uint16_t frag)
{
	size_t off = (size_t)hlen + 40;

	(void)packet(buf, hlen, 6, n > 0 ? ext[0] : proto, 0);
	memset(buf + off, 0, 96);
	for (int i = 0; i < n; i++) {
		buf[off] = i + 1 < n ? ext[i + 1] : proto;
		if (ext[i] == 44) {
			buf[off + 2] = (uint8_t)(frag >> 8);
			buf[off + 3] = (uint8_t)frag;
			off += 8;
		} else {
			buf[off + 1] = 1;	/* (1 + 1) x 8 bytes */
			off += 16;
		}
	}
	return off + 24;
}

/* Nonzero if the filter PROG keeps of BUF (LEN) exactly WANT bytes (0:
 * drops it). */
static int
keeps(const struct rxring_insn *prog, int n, const uint8_t *buf,
    size_t len, size_t want)
{
	int sv[2];
	uint8_t got[256];
	ssize_t r;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	ck_assert_int_eq(rxring_attach(sv[1], prog, n), 0);
	ck_assert_int_eq(send(sv[0], buf, len, 0), (ssize_t)len);
	r = recv(sv[1], got, sizeof(got), MSG_DONTWAIT);
	close(sv[0]);
	close(sv[1]);
	return want == 0 ? r == -1 : r == (ssize_t)want;
}

/* Nonzero if the filter PROG lets through the packet of BUF (LEN). */
static int
passes(const struct rxring_insn *prog, int n, const uint8_t *buf,
    size_t len)
{
	return keeps(prog, n, buf, len, len);
}

START_TEST(replies_filter)
{
	struct rxring_insn prog[RXRING_PROGMAX];
	uint8_t buf[160];
	int hlen = _i == 0 ? 0 : 14, n;

	n = rxring_filter_replies(hlen, prog);
	ck_assert_int_le(n, RXRING_PROGMAX);
	ck_assert(passes(prog, n, buf, packet(buf, hlen, 4, 1, 0)));
	ck_assert(passes(prog, n, buf, packet(buf, hlen, 4, 1, 0x4000)));
	ck_assert(passes(prog, n, buf, packet(buf, hlen, 4, 1, 0x2000)));
	ck_assert(!passes(prog, n, buf, packet(buf, hlen, 4, 1, 0x0010)));
	ck_assert(!passes(prog, n, buf, packet(buf, hlen, 4, 17, 0)));
	ck_assert(passes(prog, n, buf, packet(buf, hlen, 4, 6, 0)));
	ck_assert(passes(prog, n, buf, packet(buf, hlen, 4, 6, 0x4000)));
	ck_assert(!passes(prog, n, buf, packet(buf, hlen, 4, 6, 0x0010)));
	ck_assert(passes(prog, n, buf, packet(buf, hlen, 6, 58, 0)));
	ck_assert(passes(prog, n, buf, packet(buf, hlen, 6, 6, 0)));
	ck_assert(!passes(prog, n, buf, packet(buf, hlen, 6, 17, 0)));
	ck_assert(!passes(prog, n, buf, packet(buf, hlen, 6, 1, 0)));
	buf[hlen] = 0x50;	/* neither version */
	ck_assert(!passes(prog, n, buf, 60 + (size_t)hlen));
	/* frames for another host (a promiscuous interface) are dropped:
	 * an AF_UNIX packet is the host's, so only the test is seen here */
	ck_assert_uint_eq(prog[0].k, (uint32_t)(-0x1000 + 4));
	ck_assert_uint_eq(prog[1].k, 3);
	ck_assert_uint_eq(prog[2 + prog[1].jt].code, 0x06);	/* ret 0 */
	ck_assert_uint_eq(prog[2 + prog[1].jt].k, 0);
}
END_TEST

/* IPv6 behind extension headers: ICMPv6 and TCP after up to
 * RXRING_EXT6 - 1 of them (a first fragment among them), nothing else,
 * nothing after a later fragment. */
START_TEST(replies_filter_ext6)
{
	static const uint8_t hbh[] = { 0 }, hbh_dst[] = { 0, 60 },
	    rt_frag[] = { 43, 44 }, three[] = { 0, 43, 60 },
	    four[] = { 0, 43, 60, 60 };
	struct rxring_insn prog[RXRING_PROGMAX];
	uint8_t buf[256];
	int hlen = _i == 0 ? 0 : 14, n;

	n = rxring_filter_replies(hlen, prog);
	ck_assert_int_le(n, RXRING_PROGMAX);
	ck_assert(passes(prog, n, buf, chain6(buf, hlen, hbh, 1, 58, 0)));
	ck_assert(passes(prog, n, buf, chain6(buf, hlen, hbh_dst, 2, 6, 0)));
	ck_assert(!passes(prog, n, buf, chain6(buf, hlen, hbh_dst, 2, 17,
	    0)));
	ck_assert(passes(prog, n, buf, chain6(buf, hlen, rt_frag, 2, 58,
	    0x0001)));	/* offset 0, more fragments: the first */
	ck_assert(!passes(prog, n, buf, chain6(buf, hlen, rt_frag, 2, 58,
	    0x0008)));	/* offset 1: a later fragment */
	ck_assert(passes(prog, n, buf, chain6(buf, hlen, three, 3, 58, 0)));
	ck_assert(!passes(prog, n, buf, chain6(buf, hlen, four, 4, 58, 0)));
	/* a chain cut short by the packet's end */
	ck_assert(!passes(prog, n, buf, (size_t)hlen + 40 + 1));
}
END_TEST

/* Copies: the probe protocols' first RXRING_COPY bytes, nothing else;
 * the combined filter on a packet not outgoing: the replies'. */
START_TEST(copies_filter)
{
	static const uint8_t v4[] = { 17, 1, 6 }, v6[] = { 17, 58, 6, 44, 0,
	    60, 43 };
	struct rxring_insn prog[RXRING_PROGMAX], tail[RXRING_PROGMAX];
	uint8_t buf[256];
	int hlen = _i == 0 ? 0 : 14, n;
	size_t cut = (size_t)hlen + RXRING_COPY, len;

	n = rxring_filter_copies(hlen, prog);
	for (size_t i = 0; i < sizeof(v4); i++) {
		len = packet(buf, hlen, 4, v4[i], 0) + 40;
		ck_assert(keeps(prog, n, buf, len, cut));
	}
	for (size_t i = 0; i < sizeof(v6); i++) {
		len = packet(buf, hlen, 6, v6[i], 0) + 40;
		ck_assert(keeps(prog, n, buf, len, cut));
	}
	ck_assert(keeps(prog, n, buf, packet(buf, hlen, 4, 17, 0) - 20,
	    (size_t)hlen + 40));
	ck_assert(keeps(prog, n, buf, packet(buf, hlen, 4, 47, 0), 0));
	ck_assert(keeps(prog, n, buf, packet(buf, hlen, 6, 47, 0), 0));
	buf[hlen] = 0x50;
	ck_assert(keeps(prog, n, buf, 60 + (size_t)hlen, 0));
	n = rxring_filter_both(hlen, prog);
	ck_assert_int_le(n, RXRING_PROGMAX);
	ck_assert(passes(prog, n, buf, packet(buf, hlen, 4, 1, 0)));
	ck_assert(!passes(prog, n, buf, packet(buf, hlen, 4, 17, 0)));
	ck_assert(passes(prog, n, buf, packet(buf, hlen, 6, 58, 0)));
	ck_assert(!passes(prog, n, buf, packet(buf, hlen, 6, 17, 0)));
	/* outgoing packets jump to the copies filter */
	ck_assert_uint_eq(prog[0].k, (uint32_t)(-0x1000 + 4));
	ck_assert_uint_eq(prog[1].k, 4);
	/* (the copies' length from a buffer of its own: past the combined
	 * filter's end PROG has no room for a second copy of it) */
	ck_assert_int_eq(2 + prog[1].jt, n - rxring_filter_copies(hlen,
	    tail));
}
END_TEST

START_TEST(not_ifs_filter)
{
	struct rxring_insn prog[RXRING_PROGMAX];
	const uint32_t ifs[3] = { 7, 9, 11 };
	uint8_t buf[160];
	size_t len = packet(buf, 0, 4, 1, 0);
	int n;

	/* the kernel takes it; an AF_UNIX packet has no device, and a
	 * filter reading the interface drops such a packet: the lab tests
	 * it on the raw sockets */
	n = rxring_filter_not_ifs(ifs, 3, prog);
	ck_assert_int_eq(n, 6);
	ck_assert(!passes(prog, n, buf, len));
	ck_assert_uint_eq(prog[1].k, 7);
	ck_assert_uint_eq(prog[1].jt, 3);	/* to the drop */
	ck_assert_uint_eq(prog[2].jt, 2);
	ck_assert_uint_eq(prog[3].jt, 1);
	ck_assert_uint_eq(prog[4].k, 262144);	/* accept */
	ck_assert_uint_eq(prog[5].k, 0);	/* drop */
	/* no interface named: everything, without reading the device */
	n = rxring_filter_not_ifs(NULL, 0, prog);
	ck_assert_int_eq(n, 1);
	ck_assert(passes(prog, n, buf, len));
}
END_TEST

#define BS	4096
#define NB	3
static _Alignas(64) uint8_t mem[NB * BS];

struct got {
	int	 n;
	size_t	 len[8];
	uint8_t	 first[8];
	uint32_t ifindex[8];
	int64_t	 ns[8];		/* -1: no stamp */
	int	 ends[8];	/* frames handed on at each block's end */
	int	 nends;
};

static void
on_frame(void *arg, const uint8_t *net, size_t len, uint32_t ifindex,
    const struct stamp *ts)
{
	struct got *g = arg;

	ck_assert_int_lt(g->n, 8);
	g->len[g->n] = len;
	g->first[g->n] = net[0];
	g->ifindex[g->n] = ifindex;
	g->ns[g->n] = ts != NULL ? ts->ns : -1;
	g->n++;
}

/* A block's end: its frames all handed on, the block still ours. */
static void
on_end(void *arg)
{
	struct got *g = arg;
	int b = (g->nends + 1) % NB;	/* the second read starts at 1 */
	const struct tpacket_block_desc *d = (const void *)(mem + b * BS);

	ck_assert_int_lt(g->nends, 8);
	ck_assert_uint_eq(d->hdr.bh1.block_status, TP_STATUS_USER);
	g->ends[g->nends++] = g->n;
}

/* Lay frame I (IP length LEN, link header HLEN) at OFF of block B;
 * returns the offset after it. */
static uint32_t
lay(int b, uint32_t off, int i, uint32_t len, uint16_t hlen, uint32_t st,
    uint8_t pkttype)
{
	struct tpacket3_hdr *f = (void *)(mem + b * BS + off);
	struct sockaddr_ll *sll = (void *)((uint8_t *)f +
	    TPACKET_ALIGN(sizeof(*f)));
	uint16_t mac = (uint16_t)TPACKET_ALIGN(sizeof(*f) + sizeof(*sll));

	f->tp_mac = mac;
	f->tp_net = (uint16_t)(mac + hlen);
	f->tp_snaplen = f->tp_len = len + hlen;
	f->tp_sec = 100 + (uint32_t)i;
	f->tp_nsec = 5;
	f->tp_status = st;
	sll->sll_ifindex = 3;
	sll->sll_pkttype = pkttype;
	((uint8_t *)f)[f->tp_net] = (uint8_t)(0x40 + i);
	f->tp_next_offset = (uint32_t)TPACKET_ALIGN(f->tp_net + len);
	return off + f->tp_next_offset;
}

static void
block(int b, uint32_t npkts, uint32_t status)
{
	struct tpacket_block_desc *d = (void *)(mem + b * BS);

	d->hdr.bh1.num_pkts = npkts;
	d->hdr.bh1.offset_to_first_pkt = 64;
	d->hdr.bh1.block_status = status;
}

START_TEST(walks_blocks)
{
	struct rxring *r;
	struct got g;
	uint32_t off;

	memset(mem, 0, sizeof(mem));
	memset(&g, 0, sizeof(g));
	ck_assert_ptr_nonnull(r = rxring_over(mem, NB, BS));
	/* block 0: three frames, the second outgoing, the third coarse */
	off = lay(0, 64, 0, 60, 14, TP_STATUS_USER | TP_STATUS_TS_SOFTWARE,
	    PACKET_HOST);
	off = lay(0, off, 1, 80, 14, TP_STATUS_USER | TP_STATUS_TS_SOFTWARE,
	    PACKET_OUTGOING);
	(void)lay(0, off, 2, 100, 0, TP_STATUS_USER, PACKET_HOST);
	block(0, 3, TP_STATUS_USER);
	/* block 1: still the kernel's */
	block(1, 1, TP_STATUS_KERNEL);
	ck_assert_int_eq(rxring_read(r, 8, on_frame, NULL, &g), 2);
	ck_assert_int_eq(g.n, 2);
	ck_assert_uint_eq(g.len[0], 60);
	ck_assert_uint_eq(g.first[0], 0x40);
	ck_assert_uint_eq(g.ifindex[0], 3);
	ck_assert_int_eq(g.ns[0], 100 * 1000000000LL + 5);
	ck_assert_uint_eq(g.len[1], 100);
	ck_assert_uint_eq(g.first[1], 0x42);
	ck_assert_int_eq(g.ns[1], -1);
	/* block 0 went back to the kernel */
	ck_assert_uint_eq(((struct tpacket_block_desc *)(void *)mem)->
	    hdr.bh1.block_status, TP_STATUS_KERNEL);
	/* block 1 comes; then block 2, then block 0 again (wrapping) */
	(void)lay(1, 64, 3, 40, 0, TP_STATUS_TS_SOFTWARE, PACKET_HOST);
	block(1, 1, TP_STATUS_USER);
	(void)lay(2, 64, 4, 40, 0, TP_STATUS_TS_SOFTWARE, PACKET_HOST);
	block(2, 1, TP_STATUS_USER);
	(void)lay(0, 64, 5, 40, 0, TP_STATUS_TS_SOFTWARE, PACKET_HOST);
	block(0, 1, TP_STATUS_USER);
	g.n = 0;
	ck_assert_int_eq(rxring_read(r, 2, on_frame, on_end, &g), 2);
	ck_assert_int_eq(rxring_read(r, 8, on_frame, on_end, &g), 1);
	/* an end after each block's frame, before it went back */
	ck_assert_int_eq(g.nends, 3);
	ck_assert_int_eq(g.ends[0], 1);
	ck_assert_int_eq(g.ends[1], 2);
	ck_assert_int_eq(g.ends[2], 3);
	ck_assert_uint_eq(g.first[0], 0x43);
	ck_assert_uint_eq(g.first[1], 0x44);
	ck_assert_uint_eq(g.first[2], 0x45);
	rxring_free(r);
}
END_TEST

static struct got G_out;

/* An outgoing frame: into G_out. */
static void
on_out(void *arg, const uint8_t *net, size_t len, uint32_t ifindex,
    const struct stamp *ts)
{
	(void)arg;
	on_frame(&G_out, net, len, ifindex, ts);
}

/* With a callback for them, outgoing frames go to it, not with the
 * replies, and are not counted with them. */
START_TEST(outgoing_to_its_callback)
{
	struct rxring *r;
	struct got g;
	uint32_t off;

	memset(mem, 0, sizeof(mem));
	memset(&g, 0, sizeof(g));
	memset(&G_out, 0, sizeof(G_out));
	ck_assert_ptr_nonnull(r = rxring_over(mem, NB, BS));
	rxring_set_out(r, on_out);
	off = lay(0, 64, 0, 60, 14, TP_STATUS_USER | TP_STATUS_TS_SOFTWARE,
	    PACKET_OUTGOING);
	off = lay(0, off, 1, 80, 14, TP_STATUS_USER | TP_STATUS_TS_SOFTWARE,
	    PACKET_HOST);
	(void)lay(0, off, 2, 64, 0, TP_STATUS_USER, PACKET_OUTGOING);
	block(0, 3, TP_STATUS_USER);
	ck_assert_int_eq(rxring_read(r, 8, on_frame, NULL, &g), 1);
	ck_assert_int_eq(g.n, 1);
	ck_assert_uint_eq(g.first[0], 0x41);
	ck_assert_int_eq(G_out.n, 2);
	ck_assert_uint_eq(G_out.first[0], 0x40);
	ck_assert_uint_eq(G_out.len[0], 60);
	ck_assert_uint_eq(G_out.ifindex[0], 3);
	ck_assert_int_eq(G_out.ns[0], 100 * 1000000000LL + 5);
	ck_assert_uint_eq(G_out.first[1], 0x42);
	ck_assert_int_eq(G_out.ns[1], -1);	/* the coarse clock */
	rxring_free(r);
}
END_TEST

START_TEST(bad_frame_ends_block)
{
	struct rxring *r;
	struct got g;
	struct tpacket3_hdr *f;

	memset(mem, 0, sizeof(mem));
	memset(&g, 0, sizeof(g));
	ck_assert_ptr_nonnull(r = rxring_over(mem, NB, BS));
	(void)lay(0, 64, 0, 60, 14, TP_STATUS_TS_SOFTWARE, PACKET_HOST);
	f = (void *)(mem + 64);
	f->tp_snaplen = BS;	/* runs past the block */
	block(0, 1, TP_STATUS_USER);
	ck_assert_int_eq(rxring_read(r, 8, on_frame, NULL, &g), 0);
	ck_assert_int_eq(g.n, 0);
	ck_assert_uint_eq(((struct tpacket_block_desc *)(void *)mem)->
	    hdr.bh1.block_status, TP_STATUS_KERNEL);
	rxring_free(r);
	ck_assert_ptr_null(rxring_over(mem, 0, BS));
	ck_assert_int_eq(errno, EINVAL);
	/* a block size no whole number of frames is refused first */
	errno = 0;
	ck_assert_ptr_null(rxring_new(-1, RXRING_FRAME + 1, 0));
	ck_assert_int_eq(errno, EINVAL);
	_Static_assert(RXRING_BLOCK_TINY % RXRING_FRAME == 0 &&
	    RXRING_BLOCK_SMALL % RXRING_FRAME == 0 &&
	    RXRING_BLOCK % RXRING_FRAME == 0, "blocks hold whole frames");
}
END_TEST

int
main(void)
{
	const TTest *const plain[] = { not_ifs_filter, walks_blocks,
	    outgoing_to_its_callback,
	    bad_frame_ends_block };
	Suite *s = suite_create("rxring");
	TCase *tc = check_case("rxring", plain, CHECK_N(plain));

	tcase_add_loop_test(tc, replies_filter, 0, 2);
	tcase_add_loop_test(tc, replies_filter_ext6, 0, 2);
	tcase_add_loop_test(tc, copies_filter, 0, 2);
	suite_add_tcase(s, tc);
	return unit_run(s);
}

#else

START_TEST(no_rings)
{
	ck_assert_ptr_null(rxring_new(-1, RXRING_BLOCK, 0));
}
END_TEST

CHECK_MAIN("rxring", "none", no_rings)

#endif
