/*
 * txcost: what software transmit timestamps cost per batch (a benchmark,
 * not a test).  In a network namespace of its own (unshare; run as root),
 * it sends batches of raw IPv4 packets with sendmmsg(2) to 127.0.0.1 on
 * two sockets: one as the prober sends without timestamps (one clock read
 * per batch, the fallback), one with SO_TIMESTAMPING as the prober asks
 * for it, reading the batch's timestamps back from the error queue with
 * recvmmsg(2).  The two take turns in rounds; each round's CPU time (user
 * and system, this thread) per batch is printed, then the medians and
 * their difference.  A raw socket of the packets' protocol takes them in
 * with a tiny buffer, so they are dropped without an ICMP reply.
 *
 * It also prints the send path: per stamped batch, the kernel's transmit
 * timestamp of its first packet less the clock read just before the
 * sendmmsg(2) (median and 90th percentile over all batches).  That is
 * what a send time read in user space before the send (iputils ping,
 * scamper 20211212, our fallback) puts into an RTT and the kernel's
 * transmit timestamp leaves out; -b 1 measures it for a lone probe, and
 * -i USEC sleeps that long between batches, as a prober pacing its
 * probes does (the path is slower when the CPU idled before it).
 *
 * usage: txcost [-b BATCH] [-n BATCHES_PER_ROUND] [-r ROUNDS] [-i USEC]
 */
#include <errno.h>
#include <time.h>
#include <linux/net_tstamp.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define PROTO	253		/* RFC 3692 experimental */
#define MAXB	256
#define MAXPATH	(1 << 20)	/* send-path samples kept */

static int64_t *path_ns;	/* first stamp less the clock before */
static size_t npath;

static int64_t
cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* A fresh network namespace with its loopback up. */
static int
own_netns(void)
{
	struct ifreq ifr;
	int fd;

	if (unshare(CLONE_NEWNET) == -1) {
		perror("txcost: unshare(CLONE_NEWNET) (run as root)");
		return -1;
	}
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	ifr.ifr_flags = IFF_UP | IFF_LOOPBACK | IFF_RUNNING;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) == -1) {
		perror("txcost: bringing lo up");
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static int
raw_sender(int stamps)
{
	int fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW), on = 1;
	int fl = SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE |
	    SOF_TIMESTAMPING_OPT_ID | SOF_TIMESTAMPING_OPT_TSONLY;

	if (fd == -1 || setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &on,
	    sizeof(on)) == -1 || (stamps && setsockopt(fd, SOL_SOCKET,
	    SO_TIMESTAMPING, &fl, sizeof(fl)) == -1)) {
		perror("txcost: sender socket");
		return -1;
	}
	return fd;
}

static uint8_t pkt[64];
static struct mmsghdr mm[MAXB], em[MAXB];
static struct iovec iov;
static char cbuf[MAXB][256];
static struct sockaddr_in dst;

static void
build(int b)
{
	struct iphdr *ip = (struct iphdr *)pkt;

	memset(pkt, 0, sizeof(pkt));
	ip->version = 4;
	ip->ihl = 5;
	ip->tot_len = htons(sizeof(pkt));
	ip->ttl = 64;
	ip->protocol = PROTO;
	ip->saddr = htonl(INADDR_LOOPBACK);
	ip->daddr = htonl(INADDR_LOOPBACK);
	dst.sin_family = AF_INET;
	dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	iov.iov_base = pkt;
	iov.iov_len = sizeof(pkt);
	for (int i = 0; i < b; i++) {
		mm[i].msg_hdr.msg_iov = &iov;
		mm[i].msg_hdr.msg_iovlen = 1;
		mm[i].msg_hdr.msg_name = &dst;
		mm[i].msg_hdr.msg_namelen = sizeof(dst);
	}
}

/* The software transmit timestamp in the error-queue message M, in ns
 * (the wall clock), or 0. */
static int64_t
stamp_of(struct msghdr *m)
{
	struct timespec t;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c != NULL;
	    c = CMSG_NXTHDR(m, c))
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SO_TIMESTAMPING &&
		    c->cmsg_len >= CMSG_LEN(sizeof(t))) {
			memcpy(&t, CMSG_DATA(c), sizeof(t));
			return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
		}
	return 0;
}

/* Keep the send path of a batch whose clock read was BEFORE and whose
 * R messages in EM hold stamps: the earliest stamp less BEFORE. */
static void
note_path(const volatile struct timespec *before, int r)
{
	int64_t b = (int64_t)before->tv_sec * 1000000000 + before->tv_nsec;
	int64_t first = 0, t;

	for (int i = 0; i < r; i++)
		if ((t = stamp_of(&em[i].msg_hdr)) != 0 &&
		    (first == 0 || t < first))
			first = t;
	if (first != 0 && path_ns != NULL && npath < MAXPATH)
		path_ns[npath++] = first - b;
}

/* One batch of B on FD; with STAMPS, read its B timestamps back.
 * Returns the timestamps read, or -1. */
static int
batch(int fd, int b, int stamps)
{
	volatile struct timespec before;
	int got = 0, r;

	clock_gettime(CLOCK_REALTIME, (struct timespec *)&before);
	if (sendmmsg(fd, mm, (unsigned int)b, 0) != b) {
		perror("txcost: sendmmsg");
		return -1;
	}
	if (!stamps)
		return 0;
	for (int tries = 0; got < b && tries < 1000; tries++) {
		for (int i = 0; i < b - got; i++) {
			memset(&em[i], 0, sizeof(em[i]));
			em[i].msg_hdr.msg_control = cbuf[i];
			em[i].msg_hdr.msg_controllen = sizeof(cbuf[i]);
		}
		r = recvmmsg(fd, em, (unsigned int)(b - got),
		    MSG_ERRQUEUE | MSG_DONTWAIT, NULL);
		if (r > 0 && got == 0)
			note_path(&before, r);
		if (r > 0)
			got += r;
	}
	return got;
}

static int
cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	int b = 64, n = 2000, rounds = 15, o, fd[2], rx, small = 1;
	long ival = 0;
	int64_t *per[2];
	long lost = 0;

	while ((o = getopt(argc, argv, "b:n:r:i:")) != -1) {
		switch (o) {
		case 'b': b = atoi(optarg); break;
		case 'i': ival = atol(optarg); break;
		case 'n': n = atoi(optarg); break;
		case 'r': rounds = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: txcost [-b BATCH] [-n N] "
			    "[-r ROUNDS] [-i USEC]\n");
			return 2;
		}
	}
	if (b < 1 || b > MAXB || n < 1 || rounds < 1 || ival < 0 ||
	    ival > 1000000) {
		fprintf(stderr, "txcost: -b must be 1..%d, -n and -r >= 1, "
		    "-i 0..1000000\n", MAXB);
		return 2;
	}
	if (own_netns() == -1)
		return 1;
	rx = socket(AF_INET, SOCK_RAW, PROTO);
	if (rx == -1 || setsockopt(rx, SOL_SOCKET, SO_RCVBUF, &small,
	    sizeof(small)) == -1) {
		perror("txcost: receiver socket");
		return 1;
	}
	if ((fd[0] = raw_sender(0)) == -1 || (fd[1] = raw_sender(1)) == -1)
		return 1;
	build(b);
	path_ns = calloc(MAXPATH, sizeof(int64_t));
	per[0] = calloc((size_t)rounds, sizeof(int64_t));
	per[1] = calloc((size_t)rounds, sizeof(int64_t));
	if (per[0] == NULL || per[1] == NULL)
		return 1;
	for (int r = 0; r < rounds; r++) {
		for (int s = 0; s < 2; s++) {
			int64_t t0 = cpu_ns();

			for (int i = 0; i < n; i++) {
				int got;

				if (ival > 0)
					usleep((useconds_t)ival);
				got = batch(fd[s], b, s);

				if (got < 0)
					return 1;
				if (s == 1)
					lost += b - got;
			}
			per[s][r] = (cpu_ns() - t0) / n;
		}
		printf("round=%d batch=%d plain_ns_per_batch=%lld "
		    "stamped_ns_per_batch=%lld\n", r + 1, b,
		    (long long)per[0][r], (long long)per[1][r]);
	}
	/* the cost: the median of the rounds' differences (each round's
	 * pair saw the same machine) */
	for (int r = 0; r < rounds; r++)
		per[1][r] -= per[0][r];
	qsort(per[0], (size_t)rounds, sizeof(int64_t), cmp64);
	qsort(per[1], (size_t)rounds, sizeof(int64_t), cmp64);
	printf("batch=%d median_plain_ns_per_batch=%lld "
	    "cost_ns_per_batch=%lld cost_ns_per_probe=%.0f "
	    "stamps_missing=%ld\n", b, (long long)per[0][rounds / 2],
	    (long long)per[1][rounds / 2],
	    (double)per[1][rounds / 2] / b, lost);
	qsort(path_ns, npath, sizeof(int64_t), cmp64);
	if (npath > 0)
		printf("send_path_ns median=%lld p90=%lld batches=%zu\n",
		    (long long)path_ns[npath / 2],
		    (long long)path_ns[npath * 9 / 10], npath);
	return 0;
}
