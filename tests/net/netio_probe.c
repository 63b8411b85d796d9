/*
 * netio_probe.c: a lab tool that exercises the probe path end to end:
 * build one probe with pkt_build, send it with netio on raw sockets it
 * opens itself (it runs as root inside a lab namespace), match the reply
 * with the match table, and print what came back:
 *
 *   netio_probe SRC DST TTL udp|icmp|tcp
 *   -> "reply SRC icmp TYPE CODE qttl N" | "reply SRC tcp FLAGS" | "timeout"
 *   then "time tx=kernel|before rtt_ns=N": where the send time came
 *   from (the kernel's transmit timestamp, or the clock read before the
 *   send) and the reply's kernel receive time less it.
 *
 * Waits at most 3 seconds.  Not installed; used by test_netio.sh.
 */
#include "config.h"

#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "loop.h"
#include "match.h"
#include "netio.h"
#include "pkt.h"

struct ctx {
	struct loop		*l;
	struct match_table	*mt;
	struct match_entry	 me;
	int			 done;
	struct stamp		 tx;
	int			 kernel;	/* tx is the kernel's */
};

static void
on_tx(void *arg, void *token, uint32_t tag, enum netio_txev ev, int err,
    const struct stamp *tx)
{
	struct ctx *c = token;

	if (ev == NETIO_TX_STAMPED) {
		c->tx = *tx;
		c->kernel = 1;
	}
}

static void
on_reply(void *arg, const struct pkt_reply *r, const struct stamp *rx)
{
	struct ctx *c = arg;
	struct match_key k;
	char a[INET6_ADDRSTRLEN];

	if (!match_key_of_reply(r, &k) || match_find(c->mt, &k) != &c->me)
		return;		/* not ours: somebody else's traffic */
	inet_ntop(r->af, r->src, a, sizeof(a));
	if (r->proto == IPPROTO_TCP)
		printf("reply %s tcp %02x\n", a, r->tcp_flags);
	else
		printf("reply %s icmp %u %u qttl %u\n", a, r->icmp_type,
		    r->icmp_code, r->has_quote ? r->q.ttl : 0);
	printf("time tx=%s rtt_ns=%lld\n", c->kernel ? "kernel" : "before",
	    (long long)stamp_sub_ns(*rx, c->tx));
	c->done = 1;
	loop_stop(c->l);
}

static void
on_timeout(void *arg)
{
	struct ctx *c = arg;

	printf("timeout\n");
	loop_stop(c->l);
}

static int
open_fds(struct netio_fds *f)
{
	netio_fds_init(f);
	f->send4 = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	f->icmp4 = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	f->tcp4 = socket(AF_INET, SOCK_RAW, IPPROTO_TCP);
	f->send6 = socket(AF_INET6, SOCK_RAW, IPPROTO_RAW);
	f->icmp6 = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
	f->tcp6 = socket(AF_INET6, SOCK_RAW, IPPROTO_TCP);
	return (f->send4 == -1 || f->icmp4 == -1 || f->send6 == -1 ||
	    f->icmp6 == -1) ? -1 : 0;
}

int
main(int argc, char **argv)
{
	struct ctx c = { 0 };
	struct netio_fds fds;
	struct netio *n;
	struct pkt_probe p;
	struct timer t;
	uint8_t buf[256], pay[16] = { 0 };
	size_t len;

	if (argc != 5) {
		fprintf(stderr, "usage: netio_probe SRC DST TTL udp|icmp|tcp\n");
		return 2;
	}
	memset(&p, 0, sizeof(p));
	p.af = strchr(argv[2], ':') ? AF_INET6 : AF_INET;
	if (inet_pton(p.af, argv[1], p.src) != 1 ||
	    inet_pton(p.af, argv[2], p.dst) != 1) {
		fprintf(stderr, "netio_probe: bad address\n");
		return 2;
	}
	p.ttl = (uint8_t)atoi(argv[3]);
	p.ipid = 1;
	p.flowlabel = 1;
	p.sport = (uint16_t)(0x8000 | (getpid() & 0x7fff));
	p.dport = 33435;
	p.payload = pay;
	p.paylen = sizeof(pay);
	if (strcmp(argv[4], "udp") == 0)
		p.proto = IPPROTO_UDP;
	else if (strcmp(argv[4], "tcp") == 0) {
		p.proto = IPPROTO_TCP;
		p.tcp_flags = 0x02;
		p.dport = 80;
		p.paylen = 0;
	} else {
		p.proto = p.af == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
		p.icmp_type = p.af == AF_INET ? 8 : 128;
		p.icmp_id = p.sport;
		p.icmp_seq = 1;
		p.fix_cksum = 1;	/* Paris: a constant checksum */
		p.cksum = 0x1234;
	}
	if (open_fds(&fds) == -1) {
		perror("netio_probe: socket");
		return 2;
	}
	c.l = loop_new(LOOP_DEFAULT);
	c.mt = match_new();
	c.me.key.af = (uint8_t)p.af;
	c.me.key.proto = p.proto;
	c.me.key.id = p.proto == IPPROTO_UDP || p.proto == IPPROTO_TCP ?
	    p.sport : p.icmp_id;
	memcpy(c.me.key.dst, p.dst, 16);
	if (c.l == NULL || c.mt == NULL || match_add(c.mt, &c.me) == -1 ||
	    (n = netio_new(c.l, &fds, on_reply, &c)) == NULL) {
		perror("netio_probe: setup");
		return 2;
	}
	netio_set_txcb(n, on_tx);
	len = pkt_build(&p, buf, sizeof(buf));
	if (len == 0 || netio_send(n, buf, len, &c.tx, &c, 0) == -1) {
		perror("netio_probe: send");
		return 2;
	}
	timer_init(&t, on_timeout, &c);
	loop_timer_after(c.l, &t, 3000);
	loop_run(c.l);
	netio_free(n);
	match_free(c.mt);
	loop_free(c.l);
	return c.done ? 0 : 1;
}
