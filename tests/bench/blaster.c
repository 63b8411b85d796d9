/*
 * blaster.c: push probes into sc_netsim's TUN device as fast as it takes
 * them and count its replies, to measure sc_netsim's packets per second.
 * A benchmark tool, never a test; run it only inside the lab namespace
 * that holds sc_netsim (tests/bench/netsim_pps).
 *
 * usage: netsim-blaster -i DEV [-x] [-d SECONDS] [-r PPS] [-n DESTS]
 *                       [-m MAXTTL] [-s SRC]
 *
 * Probes are IPv4 ICMP echo requests to DESTS addresses in 198.18.0.0/16
 * with TTLs 1..MAXTTL (mostly time exceeded back, some echo replies),
 * built once and sent round robin with sendmmsg(2) on an AF_PACKET socket
 * bound to DEV, so they go straight into the device (no routing).  The
 * same socket sees the replies sc_netsim writes.  SRC (default
 * 198.51.100.1) is not an address of the namespace, so the kernel drops
 * the replies after the capture without answering them.  With -x the
 * socket captures nothing (a send-only socket, protocol 0), so the only
 * count of replies is sc_netsim's own.  Prints one line: sent=N
 * received=N seconds=S sent_pps=N recv_pps=N.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PKTLEN	44
#define NPKT	8192
#define BATCH	64

static uint8_t pkts[NPKT][PKTLEN];

static uint16_t
cksum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void
build(uint32_t src, int ndst, int maxttl)
{
	for (int i = 0; i < NPKT; i++) {
		uint8_t *p = pkts[i];
		uint32_t dst = 0xc6120000u | (uint32_t)((i % ndst) * 257 % 65536);
		uint16_t c;

		memset(p, 0, PKTLEN);
		p[0] = 0x45;
		p[3] = PKTLEN;
		p[4] = (uint8_t)(i >> 8);
		p[5] = (uint8_t)i;
		p[8] = (uint8_t)(1 + i / ndst % maxttl);
		p[9] = 1;
		src = htonl(src);
		memcpy(p + 12, &src, 4);
		src = ntohl(src);
		dst = htonl(dst);
		memcpy(p + 16, &dst, 4);
		c = cksum(p, 20);
		p[10] = (uint8_t)(c >> 8);
		p[11] = (uint8_t)c;
		p[20] = 8;
		p[24] = 0x12;
		p[25] = 0x34;
		p[26] = (uint8_t)(i >> 8);
		p[27] = (uint8_t)i;
		c = cksum(p + 20, PKTLEN - 20);
		p[22] = (uint8_t)(c >> 8);
		p[23] = (uint8_t)c;
	}
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t
drain(int fd)
{
	static uint8_t buf[BATCH][256];
	struct mmsghdr mm[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_ll from[BATCH];
	uint64_t got = 0;
	int n;

	for (;;) {
		for (int i = 0; i < BATCH; i++) {
			iov[i].iov_base = buf[i];
			iov[i].iov_len = sizeof(buf[i]);
			memset(&mm[i].msg_hdr, 0, sizeof(mm[i].msg_hdr));
			mm[i].msg_hdr.msg_iov = &iov[i];
			mm[i].msg_hdr.msg_iovlen = 1;
			mm[i].msg_hdr.msg_name = &from[i];
			mm[i].msg_hdr.msg_namelen = sizeof(from[i]);
		}
		n = recvmmsg(fd, mm, BATCH, MSG_DONTWAIT, NULL);
		if (n <= 0)
			return got;
		for (int i = 0; i < n; i++)
			if (from[i].sll_pkttype != PACKET_OUTGOING)
				got++;
	}
}

int
main(int argc, char **argv)
{
	struct sockaddr_ll sll;
	struct mmsghdr mm[BATCH];
	struct iovec iov[BATCH];
	const char *dev = NULL;
	double secs = 5, rate = 0, t0, t, end;
	int c, fd, ndst = 1000, maxttl = 16, ifindex, bufsz = 64 << 20;
	int capture = 1;
	uint64_t sent = 0, recv = 0, idx = 0;
	struct in_addr src = { htonl(0xc6336401u) };

	while ((c = getopt(argc, argv, "i:xd:r:n:m:s:")) != -1) {
		switch (c) {
		case 'i': dev = optarg; break;
		case 'x': capture = 0; break;
		case 'd': secs = atof(optarg); break;
		case 'r': rate = atof(optarg); break;
		case 'n': ndst = atoi(optarg); break;
		case 'm': maxttl = atoi(optarg); break;
		case 's':
			if (inet_pton(AF_INET, optarg, &src) != 1) {
				fprintf(stderr, "blaster: -s %s: not an IPv4 "
				    "address\n", optarg);
				return 2;
			}
			break;
		default:
			fprintf(stderr, "usage: netsim-blaster -i DEV [-x] [-d "
			    "SECONDS] [-r PPS] [-n DESTS] [-m MAXTTL] [-s SRC]\n");
			return 2;
		}
	}
	if (dev == NULL || secs <= 0 || secs > 600 || ndst < 1 ||
	    ndst > 65536 || maxttl < 1 || maxttl > 64) {
		fprintf(stderr, "blaster: need -i DEV; 0 < -d <= 600, -n "
		    "1..65536, -m 1..64\n");
		return 2;
	}
	if ((ifindex = (int)if_nametoindex(dev)) == 0) {
		perror(dev);
		return 1;
	}
	build(ntohl(src.s_addr), ndst, maxttl);
	if ((fd = socket(AF_PACKET, SOCK_DGRAM, capture ? htons(ETH_P_IP) :
	    0)) == -1) {
		perror("socket(AF_PACKET)");
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bufsz, sizeof(bufsz));
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = capture ? htons(ETH_P_IP) : 0;
	sll.sll_ifindex = ifindex;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) == -1) {
		perror("bind");
		return 1;
	}
	sll.sll_protocol = htons(ETH_P_IP);	/* of the packets sent */
	for (int i = 0; i < BATCH; i++) {
		memset(&mm[i].msg_hdr, 0, sizeof(mm[i].msg_hdr));
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
		mm[i].msg_hdr.msg_name = &sll;
		mm[i].msg_hdr.msg_namelen = sizeof(sll);
		iov[i].iov_len = PKTLEN;
	}
	t0 = now_s();
	end = t0 + secs;
	while ((t = now_s()) < end) {
		int n = BATCH;

		if (rate > 0 && (double)sent > (t - t0) * rate) {
			recv += drain(fd);
			continue;
		}
		for (int i = 0; i < n; i++)
			iov[i].iov_base = pkts[(idx + (uint64_t)i) % NPKT];
		n = sendmmsg(fd, mm, (unsigned int)n, 0);
		if (n > 0) {
			sent += (uint64_t)n;
			idx += (uint64_t)n;
		}
		recv += drain(fd);
	}
	t = now_s();
	for (double stop = t + 0.5; now_s() < stop;) {	/* stragglers */
		struct pollfd pfd = { fd, POLLIN, 0 };
		if (poll(&pfd, 1, 50) > 0)
			recv += drain(fd);
	}
	printf("sent=%llu received=%llu seconds=%.3f sent_pps=%.0f "
	    "recv_pps=%.0f\n", (unsigned long long)sent,
	    (unsigned long long)recv, t - t0, (double)sent / (t - t0),
	    (double)recv / (t - t0));
	close(fd);
	return 0;
}
