/*
 * priv_ping.c: a lab test program that starts exactly as scamper does
 * (priv_start, then priv_drop), then sends one ICMP echo on the raw
 * socket the helper gave it and waits for the reply, inside the sandbox.
 *
 * usage: priv_ping [-w] [-x] [-f LOCAL [-p PORT] [-u]] TARGET
 *   -w        after dropping privilege print "ready ..." and wait for a
 *             line on stdin before probing (the test reads /proc then)
 *   -x        after dropping privilege try a forbidden system call
 *   -f LOCAL  also ask the helper for a firewall rule for a TCP probe
 *             LOCAL:40001 -> TARGET:80, and print its id and port
 *   -p PORT   ... from local port PORT instead (0: any free one)
 *   -u        ... for a UDP probe instead
 * Exit: 0 reply received, 1 set-up failed, 2 no reply.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "priv_start.h"

struct ping {
	int		 icmp;		/* the raw socket, from the helper */
	const char	*fw_local;	/* -f */
	uint16_t	 fw_lport;	/* -p */
	uint8_t		 fw_proto;	/* -u: UDP, else TCP */
	struct in_addr	 dst;
	long		 rule;
};

/* Step 1 of priv_drop: what needs privilege, opened by the helper. */
static int
open_sockets(struct priv_client *pc, void *arg)
{
	struct ping *p = arg;
	struct priv_fw_rule r;
	uint16_t lport;

	if ((p->icmp = priv_open_raw_sync(pc, PRIV_AF_INET,
	    PRIV_P_ICMP)) == -1)
		return -1;
	if (p->fw_local == NULL)
		return 0;
	memset(&r, 0, sizeof(r));
	r.family = PRIV_AF_INET;
	r.proto = p->fw_proto;
	if (inet_pton(AF_INET, p->fw_local, r.laddr) != 1) {
		errno = EINVAL;
		return -1;
	}
	memcpy(r.raddr, &p->dst, 4);
	r.lport = p->fw_lport;
	r.rport = 80;
	if ((p->rule = priv_fw_add_sync(pc, &r, &lport)) == -1)
		return -1;
	printf("fw rule %ld port %u\n", p->rule, lport);
	return 0;
}

static uint16_t
cksum(const void *data, size_t len)
{
	const uint8_t *b = data;
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		sum += (uint32_t)(b[len - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

/* Send one echo request; wait up to 3 seconds for its reply. */
static int
ping_once(const struct ping *p)
{
	struct sockaddr_in sin;
	struct icmphdr ic;
	struct pollfd pfd;
	uint8_t buf[1500];
	uint16_t id = (uint16_t)getpid();

	memset(&ic, 0, sizeof(ic));
	ic.type = ICMP_ECHO;
	ic.un.echo.id = htons(id);
	ic.un.echo.sequence = htons(1);
	ic.checksum = cksum(&ic, sizeof(ic));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr = p->dst;
	if (sendto(p->icmp, &ic, sizeof(ic), 0, (struct sockaddr *)&sin,
	    sizeof(sin)) == -1) {
		log_warn("sendto");
		return -1;
	}
	pfd.fd = p->icmp;
	pfd.events = POLLIN;
	for (int tries = 0; tries < 30; tries++) {
		ssize_t n;
		size_t hl;
		struct icmphdr r;

		if (poll(&pfd, 1, 100) <= 0)
			continue;
		if ((n = recv(p->icmp, buf, sizeof(buf), 0)) <= 0)
			continue;
		hl = (size_t)(buf[0] & 0x0f) * 4;
		if ((size_t)n < hl + sizeof(r))
			continue;
		memcpy(&r, buf + hl, sizeof(r));
		if (r.type == ICMP_ECHOREPLY && ntohs(r.un.echo.id) == id) {
			printf("reply from %s\n", inet_ntoa(p->dst));
			return 0;
		}
	}
	return -1;
}

int
main(int argc, char **argv)
{
	struct priv_drop_conf dc;
	struct priv_client *pc;
	struct ping p;
	enum priv_mode mode;
	char err[1024], line[16];
	int ch, wait = 0, violate = 0;

	log_init("priv_ping");
	memset(&p, 0, sizeof(p));
	p.icmp = -1;
	p.fw_lport = 40001;
	p.fw_proto = PRIV_P_TCP;
	while ((ch = getopt(argc, argv, "f:p:uwx")) != -1) {
		switch (ch) {
		case 'f':
			p.fw_local = optarg;
			break;
		case 'p':
			p.fw_lport = (uint16_t)atoi(optarg);
			break;
		case 'u':
			p.fw_proto = PRIV_P_UDP;
			break;
		case 'w':
			wait = 1;
			break;
		case 'x':
			violate = 1;
			break;
		default:
			return 1;
		}
	}
	if (optind + 1 != argc || inet_pton(AF_INET, argv[optind],
	    &p.dst) != 1) {
		fprintf(stderr, "usage: priv_ping [-wx] [-f local [-p port] "
		    "[-u]] target\n");
		return 1;
	}
	if ((pc = priv_start(&mode, err, sizeof(err))) == NULL) {
		fprintf(stderr, "priv_ping: %s\n", err);
		return 1;
	}
	memset(&dc, 0, sizeof(dc));
	dc.open = open_sockets;
	dc.open_arg = &p;
	dc.pc = pc;
	if (priv_drop(&dc, err, sizeof(err)) == -1) {
		fprintf(stderr, "priv_ping: %s\n", err);
		return 1;
	}
	printf("ready pid=%ld helper=%ld mode=%s\n", (long)getpid(),
	    (long)priv_client_helper_pid(pc), priv_mode_name(mode));
	fflush(stdout);
	if (wait && fgets(line, sizeof(line), stdin) == NULL)
		return 1;
	if (violate) {
		char *const av[] = { (char *)"true", NULL };

		execve("/bin/true", av, av + 1);
		return 1;
	}
	return ping_once(&p) == 0 ? 0 : 2;
}
