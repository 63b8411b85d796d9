/*
 * tapcost: transmit times from a receive ring's copies of outgoing
 * packets against SO_TIMESTAMPING's error queue (a benchmark, not a
 * test).  In a network namespace of its own (unshare; run as root) it
 * sends batches of 64-byte IPv4 UDP packets with sendmmsg(2) on a packet
 * socket bound to a TUN (which it reads and empties itself after each
 * batch), with a TPACKET_V3 receive ring on a second packet socket
 * (ETH_P_ALL, SO_TIMESTAMPNS, as the prober's -O pktrecv), four ways
 * in turns:
 *   plain  no stamps; the ring ignores outgoing packets (the floor)
 *   errq   SO_TIMESTAMPING on the sender, the stamps read back from the
 *          error queue with recvmmsg(2); the ring ignores outgoing
 *          packets (what the prober does today)
 *   tap    no stamps; the ring takes the outgoing copies (a filter: UDP
 *          only, 128 bytes) and they are read from it
 *   sep    no stamps; the ring ignores outgoing packets, and a third
 *          packet socket (never polled) takes the copies alone into a
 *          TPACKET_V2 ring of V2FRAME-byte frames (a filter: outgoing
 *          UDP, V2SNAP bytes), read right after each sendmmsg returns;
 *          how many were there at once, and how many came later, is
 *          printed per round (h22copy)
 * Each round's CPU time (user and system, this thread) per packet is
 * printed, then sep less tap per round, then the medians and the
 * medians of the differences.  First,
 * a check: both on at once, per packet the ring's time (tp_sec/tp_nsec)
 * less the error queue's stamp (the packet's number is in its payload),
 * its distribution, and the frames' TP_STATUS_TS_* bits.  Packets go to
 * 192.0.2.2, inside the namespace.
 *
 * usage: tapcost [-b BATCH] [-n BATCHES_PER_ROUND] [-r ROUNDS]
 * (cc -O2 [-DV2FRAME=128 -DV2SNAP=48] -o tapcost tapcost.c)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <linux/net_tstamp.h>
#include <linux/errqueue.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

#define MAXB	256
#define PKTLEN	64
#define BSIZE	(1u << 16)
#define NBLK	64
#define NCHECK	20000

enum { PLAIN, ERRQ, TAP, SEP, NMODE };
static const char *mname[NMODE] = { "plain", "errq", "tap", "sep" };

#ifndef V2FRAME
#define V2FRAME	256		/* a copies frame: header, V2SNAP bytes */
#endif
#ifndef V2SNAP
#define V2SNAP	64
#endif
#define V2BLOCK	4096
#define V2NBLK	64
#define V2NFR	(V2BLOCK / V2FRAME * V2NBLK)

static int tunfd, ifindex;
static uint8_t pkts[MAXB][PKTLEN];
static struct iovec iov[MAXB];
static struct mmsghdr mm[MAXB], em[MAXB];
static char cbuf[MAXB][256];
static struct sockaddr_ll ll;
static uint32_t seq;

/* ring state */
struct ring {
	int		 fd;
	uint8_t		*base;
	uint32_t	 cur;
};

/* the copies ring of SEP: TPACKET_V2, per-frame status */
struct ring2 {
	int		 fd;
	uint8_t		*base;
	uint32_t	 cur;
};

static long sep_now, sep_late;	/* copies there at once, and later */

/* check-mode data: per packet number, the ring's and the stamp's time */
static int64_t ring_t[NCHECK], errq_t[NCHECK];
static uint32_t ring_st[NCHECK];

static int64_t
cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
die(const char *what)
{
	perror(what);
	exit(1);
}

/* A TUN "tc0" up with 192.0.2.1/24, in a namespace of our own. */
static void
setup_tun(void)
{
	struct ifreq ifr;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
	int s;

	if (unshare(CLONE_NEWNET) == -1)
		die("tapcost: unshare (run as root)");
	if ((tunfd = open("/dev/net/tun", O_RDWR | O_NONBLOCK)) == -1)
		die("tapcost: /dev/net/tun");
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	strcpy(ifr.ifr_name, "tc0");
	if (ioctl(tunfd, TUNSETIFF, &ifr) == -1)
		die("tapcost: TUNSETIFF");
	s = socket(AF_INET, SOCK_DGRAM, 0);
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "tc0");
	sin->sin_family = AF_INET;
	inet_pton(AF_INET, "192.0.2.1", &sin->sin_addr);
	if (ioctl(s, SIOCSIFADDR, &ifr) == -1)
		die("tapcost: SIOCSIFADDR");
	ifr.ifr_flags = IFF_UP | IFF_RUNNING;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) == -1)
		die("tapcost: SIOCSIFFLAGS");
	close(s);
	ifindex = (int)if_nametoindex("tc0");
}

static int
sender(int stamps)
{
	int fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));
	int fl = SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE |
	    SOF_TIMESTAMPING_OPT_ID | SOF_TIMESTAMPING_OPT_TSONLY;
	struct sockaddr_ll a;

	memset(&a, 0, sizeof(a));
	a.sll_family = AF_PACKET;
	a.sll_protocol = htons(ETH_P_IP);
	a.sll_ifindex = ifindex;
	if (fd == -1 || bind(fd, (struct sockaddr *)&a, sizeof(a)) == -1 ||
	    (stamps && setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &fl,
	    sizeof(fl)) == -1))
		die("tapcost: sender");
	return fd;
}

/* A receive ring on the TUN; OUT: it takes outgoing packets (UDP, 128
 * bytes of each), else it ignores them (and takes nothing here). */
static void
ring_open(struct ring *r, int out)
{
	struct sock_filter f[] = {
		{ 0x30, 0, 0, 9 },		/* ldb [9] */
		{ 0x15, 0, 1, 17 },		/* jeq 17 */
		{ 0x06, 0, 0, 128 },		/* ret 128 */
		{ 0x06, 0, 0, 0 },		/* ret 0 */
	};
	struct sock_fprog fp = { 4, f };
	struct tpacket_req3 req;
	struct sockaddr_ll a;
	int v = TPACKET_V3, on = 1;

	r->fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	memset(&a, 0, sizeof(a));
	a.sll_family = AF_PACKET;
	a.sll_protocol = htons(ETH_P_ALL);
	a.sll_ifindex = ifindex;
	memset(&req, 0, sizeof(req));
	req.tp_block_size = BSIZE;
	req.tp_block_nr = NBLK;
	req.tp_frame_size = 2048;
	req.tp_frame_nr = BSIZE / 2048 * NBLK;
	req.tp_retire_blk_tov = 4;
	if (r->fd == -1 ||
	    setsockopt(r->fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp,
	    sizeof(fp)) == -1 ||
	    setsockopt(r->fd, SOL_SOCKET, SO_TIMESTAMPNS, &on,
	    sizeof(on)) == -1 ||
	    (!out && setsockopt(r->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING,
	    &on, sizeof(on)) == -1) ||
	    setsockopt(r->fd, SOL_PACKET, PACKET_VERSION, &v,
	    sizeof(v)) == -1 ||
	    setsockopt(r->fd, SOL_PACKET, PACKET_RX_RING, &req,
	    sizeof(req)) == -1 ||
	    bind(r->fd, (struct sockaddr *)&a, sizeof(a)) == -1)
		die("tapcost: ring");
	r->base = mmap(NULL, (size_t)BSIZE * NBLK, PROT_READ | PROT_WRITE,
	    MAP_SHARED, r->fd, 0);
	if (r->base == MAP_FAILED)
		die("tapcost: mmap");
	r->cur = 0;
}

/* Read the ring's ready blocks; with CHECK keep each frame's time. */
static long
ring_read(struct ring *r, int check)
{
	long n = 0;

	for (;;) {
		uint8_t *b = r->base + (size_t)r->cur * BSIZE;
		struct tpacket_block_desc *d = (void *)b;
		uint32_t off, k;

		if (!(__atomic_load_n(&d->hdr.bh1.block_status,
		    __ATOMIC_ACQUIRE) & TP_STATUS_USER))
			break;
		off = d->hdr.bh1.offset_to_first_pkt;
		for (k = 0; k < d->hdr.bh1.num_pkts; k++) {
			struct tpacket3_hdr *f = (void *)(b + off);
			const uint8_t *ip = (const uint8_t *)f + f->tp_net;
			uint32_t s;

			memcpy(&s, ip + 28, 4);
			if (check && s < NCHECK) {
				ring_t[s] = (int64_t)f->tp_sec * 1000000000 +
				    f->tp_nsec;
				ring_st[s] = f->tp_status;
			}
			n++;
			off += f->tp_next_offset;
		}
		__atomic_store_n(&d->hdr.bh1.block_status, TP_STATUS_KERNEL,
		    __ATOMIC_RELEASE);
		r->cur = (r->cur + 1) % NBLK;
	}
	return n;
}

/* A copies ring: outgoing IPv4 UDP only (64 bytes), TPACKET_V2, never
 * polled. */
static void
ring2_open(struct ring2 *r)
{
	struct sock_filter f[] = {
		{ 0x20, 0, 0, SKF_AD_OFF + SKF_AD_PKTTYPE },	/* ld type */
		{ 0x15, 0, 3, PACKET_OUTGOING },		/* jeq 4 */
		{ 0x30, 0, 0, 9 },				/* ldb [9] */
		{ 0x15, 0, 1, 17 },				/* jeq 17 */
		{ 0x06, 0, 0, V2SNAP },				/* ret snap */
		{ 0x06, 0, 0, 0 },				/* ret 0 */
	};
	struct sock_fprog fp = { 6, f };
	struct tpacket_req req;
	struct sockaddr_ll a;
	int v = TPACKET_V2, on = 1;

	r->fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL));
	memset(&a, 0, sizeof(a));
	a.sll_family = AF_PACKET;
	a.sll_protocol = htons(ETH_P_ALL);
	a.sll_ifindex = ifindex;
	memset(&req, 0, sizeof(req));
	req.tp_block_size = V2BLOCK;
	req.tp_block_nr = V2NBLK;
	req.tp_frame_size = V2FRAME;
	req.tp_frame_nr = V2NFR;
	if (r->fd == -1 ||
	    setsockopt(r->fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp,
	    sizeof(fp)) == -1 ||
	    setsockopt(r->fd, SOL_SOCKET, SO_TIMESTAMPNS, &on,
	    sizeof(on)) == -1 ||
	    setsockopt(r->fd, SOL_PACKET, PACKET_VERSION, &v,
	    sizeof(v)) == -1 ||
	    setsockopt(r->fd, SOL_PACKET, PACKET_RX_RING, &req,
	    sizeof(req)) == -1 ||
	    bind(r->fd, (struct sockaddr *)&a, sizeof(a)) == -1)
		die("tapcost: copies ring");
	r->base = mmap(NULL, (size_t)V2BLOCK * V2NBLK, PROT_READ | PROT_WRITE,
	    MAP_SHARED, r->fd, 0);
	if (r->base == MAP_FAILED)
		die("tapcost: mmap");
	r->cur = 0;
}

/* Read the copies ring's ready frames (their sequence numbers summed
 * into a sink, as a matcher would look at them). */
static long
ring2_read(struct ring2 *r)
{
	static volatile uint32_t sink;
	long n = 0;

	for (;;) {
		struct tpacket2_hdr *f = (void *)(r->base +
		    (size_t)r->cur * V2FRAME);
		uint32_t s;

		if (!(__atomic_load_n(&f->tp_status, __ATOMIC_ACQUIRE) &
		    TP_STATUS_USER))
			break;
		memcpy(&s, (const uint8_t *)f + f->tp_net + 28, 4);
		sink += s + f->tp_nsec;
		__atomic_store_n(&f->tp_status, TP_STATUS_KERNEL,
		    __ATOMIC_RELEASE);
		r->cur = (r->cur + 1) % V2NFR;
		n++;
	}
	return n;
}

static void
build(int b)
{
	for (int i = 0; i < b; i++) {
		uint8_t *p = pkts[i];

		memset(p, 0, PKTLEN);
		p[0] = 0x45;
		p[2] = 0;
		p[3] = PKTLEN;
		p[8] = 64;
		p[9] = 17;
		inet_pton(AF_INET, "192.0.2.1", p + 12);
		inet_pton(AF_INET, "192.0.2.2", p + 16);
		p[20] = 0x80;
		p[22] = 0x82;
		p[24] = 0;
		p[25] = PKTLEN - 20;
		iov[i].iov_base = p;
		iov[i].iov_len = PKTLEN;
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
		mm[i].msg_hdr.msg_name = &ll;
		mm[i].msg_hdr.msg_namelen = sizeof(ll);
	}
	ll.sll_family = AF_PACKET;
	ll.sll_protocol = htons(ETH_P_IP);
	ll.sll_ifindex = ifindex;
}

static int64_t
stamp_of(struct msghdr *m, uint32_t *key)
{
	struct timespec t;
	int64_t ns = 0;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c != NULL;
	    c = CMSG_NXTHDR(m, c)) {
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SO_TIMESTAMPING) {
			memcpy(&t, CMSG_DATA(c), sizeof(t));
			ns = (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
		} else if (c->cmsg_level == SOL_PACKET) {
			struct sock_extended_err ee;

			memcpy(&ee, CMSG_DATA(c), sizeof(ee));
			*key = ee.ee_data;
		}
	}
	return ns;
}

/* Empty the TUN (as sc_netsim would read it). */
static void
tun_drain(void)
{
	uint8_t buf[2048];

	while (read(tunfd, buf, sizeof(buf)) > 0)
		;
}

/* One batch of B on FD; ERRQ: read its stamps back (CHECK: keep them
 * by key; the keys count from KEY0). */
static void
batch(int fd, int b, int errq, int check, uint32_t key0)
{
	int got = 0, r;

	for (int i = 0; i < b; i++) {
		uint32_t s = seq++;

		memcpy(pkts[i] + 28, &s, 4);
	}
	if (sendmmsg(fd, mm, (unsigned int)b, 0) != b)
		die("tapcost: sendmmsg");
	for (int tries = 0; errq && got < b && tries < 1000; tries++) {
		for (int i = 0; i < b - got; i++) {
			memset(&em[i], 0, sizeof(em[i]));
			em[i].msg_hdr.msg_control = cbuf[i];
			em[i].msg_hdr.msg_controllen = sizeof(cbuf[i]);
		}
		r = recvmmsg(fd, em, (unsigned int)(b - got),
		    MSG_ERRQUEUE | MSG_DONTWAIT, NULL);
		for (int i = 0; check && i < r; i++) {
			uint32_t key = 0;
			int64_t ns = stamp_of(&em[i].msg_hdr, &key);
			uint32_t s = key + key0;

			if (s < NCHECK)
				errq_t[s] = ns;
		}
		if (r > 0)
			got += r;
	}
	tun_drain();
}

static int
cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The check: ring time less stamp, per packet, over NCHECK packets. */
static void
check(int b)
{
	struct ring r;
	int fd = sender(1);
	static int64_t d[NCHECK];
	int nd = 0, sw = 0, hw = 0, none = 0;
	int64_t t0 = 0;

	ring_open(&r, 1);
	seq = 0;
	for (uint32_t k = 0; seq + (uint32_t)b <= NCHECK; k += (uint32_t)b) {
		batch(fd, b, 1, 1, 0);
		ring_read(&r, 1);
	}
	usleep(20000);
	ring_read(&r, 1);
	for (int i = 0; i < NCHECK; i++) {
		if (ring_t[i] == 0 || errq_t[i] == 0)
			continue;
		d[nd++] = ring_t[i] - errq_t[i];
		if (ring_st[i] & TP_STATUS_TS_SOFTWARE)
			sw++;
		else if (ring_st[i] & TP_STATUS_TS_RAW_HARDWARE)
			hw++;
		else
			none++;
		if (t0 == 0)
			t0 = errq_t[i];
	}
	qsort(d, (size_t)nd, sizeof(d[0]), cmp64);
	if (nd == 0) {
		printf("check: no packet with both times\n");
		return;
	}
	printf("check: packets=%d ts_software=%d ts_hw=%d ts_none=%d "
	    "ring_less_stamp_ns min=%lld p10=%lld p50=%lld p90=%lld "
	    "p99=%lld max=%lld\n", nd, sw, hw, none, (long long)d[0],
	    (long long)d[nd / 10], (long long)d[nd / 2],
	    (long long)d[nd * 9 / 10], (long long)d[nd * 99 / 100],
	    (long long)d[nd - 1]);
	close(fd);
}

int
main(int argc, char **argv)
{
	int b = 64, n = 500, rounds = 11, o, fd[NMODE];
	struct ring ring[NMODE];
	int64_t *per[NMODE];

	while ((o = getopt(argc, argv, "b:n:r:")) != -1) {
		switch (o) {
		case 'b': b = atoi(optarg); break;
		case 'n': n = atoi(optarg); break;
		case 'r': rounds = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: tapcost [-b BATCH] [-n N] "
			    "[-r ROUNDS]\n");
			return 2;
		}
	}
	if (b < 1 || b > MAXB || n < 1 || rounds < 1)
		return 2;
	setup_tun();
	build(b);
	check(b);
	for (int m = 0; m < NMODE; m++) {
		per[m] = calloc((size_t)rounds, sizeof(int64_t));
		fd[m] = sender(m == ERRQ);
	}
	for (int r = 0; r < rounds; r++) {
		for (int m = 0; m < NMODE; m++) {
			long frames = 0;
			int64_t t0;

			struct ring2 r2;
			long c;

			ring_open(&ring[m], m == TAP);
			if (m == SEP)
				ring2_open(&r2);
			t0 = cpu_ns();
			for (int i = 0; i < n; i++) {
				batch(fd[m], b, m == ERRQ, 0, 0);
				if (m == SEP) {
					/* (batch emptied the TUN after the
					 * send: the copies came before) */
					c = ring2_read(&r2);
					sep_now += c;
					if (c < b)
						sep_late++;
				}
				frames += ring_read(&ring[m], 0);
			}
			per[m][r] = (cpu_ns() - t0) / ((int64_t)n * b);
			usleep(10000);
			frames += ring_read(&ring[m], 0);
			if (m == TAP && frames != (long)n * b)
				fprintf(stderr, "tapcost: ring took %ld of "
				    "%ld\n", frames, (long)n * b);
			if (m == SEP) {
				c = ring2_read(&r2);
				printf("sep: copies there at once %ld, "
				    "later %ld, batches short %ld of %d\n",
				    sep_now, c, sep_late, n);
				sep_now = sep_late = 0;
				munmap(r2.base, (size_t)V2BLOCK * V2NBLK);
				close(r2.fd);
			}
			munmap(ring[m].base, (size_t)BSIZE * NBLK);
			close(ring[m].fd);
		}
		printf("round=%d batch=%d plain=%lld errq=%lld tap=%lld "
		    "sep=%lld (ns per packet)\n", r + 1, b,
		    (long long)per[PLAIN][r], (long long)per[ERRQ][r],
		    (long long)per[TAP][r], (long long)per[SEP][r]);
	}
	printf("sep_less_tap_ns_per_packet");
	for (int r = 0; r < rounds; r++)
		printf(" %lld", (long long)(per[SEP][r] - per[TAP][r]));
	printf("\n");
	for (int r = 0; r < rounds; r++) {
		per[ERRQ][r] -= per[PLAIN][r];
		per[TAP][r] -= per[PLAIN][r];
		per[SEP][r] -= per[PLAIN][r];
	}
	for (int m = 0; m < NMODE; m++)
		qsort(per[m], (size_t)rounds, sizeof(int64_t), cmp64);
	printf("batch=%d median_ns_per_packet plain=%lld errq_cost=%lld "
	    "tap_cost=%lld sep_cost=%lld saving=%lld\n", b,
	    (long long)per[PLAIN][rounds / 2],
	    (long long)per[ERRQ][rounds / 2], (long long)per[TAP][rounds / 2],
	    (long long)per[SEP][rounds / 2],
	    (long long)(per[ERRQ][rounds / 2] - per[TAP][rounds / 2]));
	(void)mname;
	return 0;
}
