/*
 * ringstamp: where a PACKET_TX_RING's transmit times are on this kernel
 * (a check, not a test).  In a network namespace of its own (unshare; run
 * as root; it goes when the program exits) it writes 8 IPv4 UDP frames
 * into a TPACKET_V2 transmit ring on a veth (Ethernet) and on a TUN (no
 * link header), asks for the kernel's times both ways the kernel offers
 * them (PACKET_TIMESTAMP on the ring, SO_TIMESTAMPING with OPT_ID on the
 * socket), kicks the ring with one send(2) between two clock reads, and
 * prints each frame's status and header time, and each error-queue
 * timestamp's key and its offset from the read before the send.  Frames
 * go to 192.0.2.2 and 198.51.100.2, inside the namespace.
 *
 * usage: ringstamp
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/errqueue.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <linux/net_tstamp.h>
#include <net/if.h>
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

#define NF	8
#define FS	2048

static long long
now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* One UDP packet from SRC to DST, IPv4 ID ID, after HLEN bytes of
 * Ethernet header (0: none) at D. */
static int
frame(uint8_t *d, int hlen, const char *src, const char *dst, int id)
{
	uint8_t *ip = d + hlen;

	if (hlen) {
		memset(d, 0xff, 6);
		memset(d + 6, 0x02, 6);
		d[12] = 0x08;
		d[13] = 0;
	}
	memset(ip, 0, 28);
	ip[0] = 0x45;
	ip[3] = 28;
	ip[5] = (uint8_t)id;
	ip[8] = 64;
	ip[9] = 17;
	inet_pton(AF_INET, src, ip + 12);
	inet_pton(AF_INET, dst, ip + 16);
	ip[20] = ip[22] = 0x80;
	ip[25] = 8;
	return hlen + 28;
}

static int
run(const char *ifn, int hlen, const char *src, const char *dst)
{
	int fd, v = TPACKET_V2, idx = (int)if_nametoindex(ifn);
	int pts = SOF_TIMESTAMPING_SOFTWARE | SOF_TIMESTAMPING_TX_SOFTWARE;
	int sts = SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE |
	    SOF_TIMESTAMPING_OPT_ID | SOF_TIMESTAMPING_OPT_TSONLY;
	struct tpacket_req req = { 4096, NF * FS / 4096, FS, NF };
	struct sockaddr_ll to = { .sll_family = AF_PACKET,
	    .sll_protocol = htons(0x0800), .sll_ifindex = idx };
	uint8_t *ring;
	long long before, after;
	int r;

	if ((fd = socket(AF_PACKET, SOCK_RAW, 0)) == -1 ||
	    setsockopt(fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) ||
	    setsockopt(fd, SOL_PACKET, PACKET_TIMESTAMP, &pts, sizeof(pts)) ||
	    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &sts, sizeof(sts)) ||
	    setsockopt(fd, SOL_PACKET, PACKET_TX_RING, &req, sizeof(req))) {
		perror(ifn);
		return 1;
	}
	ring = mmap(NULL, NF * FS, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (ring == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (int i = 0; i < NF; i++) {
		struct tpacket2_hdr *h = (void *)(ring + i * FS);

		h->tp_len = (uint32_t)frame((uint8_t *)h +
		    TPACKET_ALIGN(sizeof(*h)), hlen, src, dst, i + 1);
		h->tp_status = TP_STATUS_SEND_REQUEST;
	}
	before = now_ns();
	r = (int)sendto(fd, NULL, 0, MSG_DONTWAIT, (void *)&to, sizeof(to));
	after = now_ns();
	printf("%s: send %d (%s), returned %lld ns after the read before\n",
	    ifn, r, r < 0 ? strerror(errno) : "ok", after - before);
	usleep(20000);
	for (int i = 0; i < NF; i++) {
		struct tpacket2_hdr *h = (void *)(ring + i * FS);

		printf("  frame %d: status %#x (ts flags %s), header time %u.%09u\n",
		    i, h->tp_status, (h->tp_status & (TP_STATUS_TS_SOFTWARE |
		    TP_STATUS_TS_RAW_HARDWARE)) ? "set" : "none", h->tp_sec,
		    h->tp_nsec);
	}
	for (;;) {
		char cb[256];
		struct msghdr m = { .msg_control = cb,
		    .msg_controllen = sizeof(cb) };
		struct scm_timestamping ts = { 0 };
		uint32_t key = UINT32_MAX;

		if (recvmsg(fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
			break;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c != NULL;
		    c = CMSG_NXTHDR(&m, c)) {
			if (c->cmsg_level == SOL_SOCKET &&
			    c->cmsg_type == SCM_TIMESTAMPING)
				memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			else {
				struct sock_extended_err e;
				memcpy(&e, CMSG_DATA(c), sizeof(e));
				key = e.ee_data;
			}
		}
		printf("  error queue: key %u, stamp %+lld ns from the read "
		    "before the send\n", key, (long long)ts.ts[0].tv_sec *
		    1000000000LL + ts.ts[0].tv_nsec - before);
	}
	close(fd);
	return 0;
}

int
main(void)
{
	struct ifreq ifr;
	int tun, rc;

	if (unshare(CLONE_NEWNET) == -1) {
		perror("unshare (run as root)");
		return 1;
	}
	if (system("ip link set lo up && ip link add va type veth peer name vb"
	    " && ip link set va up && ip link set vb up && ip addr add "
	    "192.0.2.1/24 dev va") != 0)
		return 1;
	if ((tun = open("/dev/net/tun", O_RDWR)) == -1) {
		perror("/dev/net/tun");
		return 1;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	strcpy(ifr.ifr_name, "rstun");
	if (ioctl(tun, TUNSETIFF, &ifr) == -1 || system("ip link set rstun up"
	    " && ip addr add 198.51.100.1/24 dev rstun") != 0)
		return 1;
	usleep(200000);
	rc = run("va", 14, "192.0.2.1", "192.0.2.2");
	rc |= run("rstun", 0, "198.51.100.1", "198.51.100.2");
	return rc;
}
