/*
 * fuzz_netsim_packet.c: any bytes fed to netsim_input() are counted and
 * dropped or answered with a well-formed reply (valid IP header, valid
 * upper-layer checksum, within the reply buffer), never a crash.  Each
 * input is fed as is, then with its IPv4 or IPv6 header repaired and its
 * destination moved into the simulated prefixes so that deep paths run.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "netsim.h"
#include "ns_pkt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char topo[] =
    "router r1 addr 198.19.0.1 ittl 64\n"
    "router r2 addr 198.19.0.2 addr 198.19.0.12 ipid per-interface\n"
    "router an addr 198.19.0.3 anon\n"
    "router m addr 198.19.0.4 mpls 16001,16002 quote 28\n"
    "router rl addr 198.19.0.5 ratelimit 1 2 mtu 600\n"
    "router bh addr 198.19.0.7 mtu 576 nopmtud\n"
    "router pa addr 198.19.1.1\n"
    "router pb addr 198.19.1.2\n"
    "lb pp per-packet branch pa branch pb\n"
    "lb fl per-flow branch r2 an branch m\n"
    "path 198.18.0.0/24 r1 fl rl dest echo,udp,synack\n"
    "path 198.18.1.0/24 r1 pp bh dest rst,unreach\n"
    "path 198.18.2.0/23 r1 dest mixed\n"
    "router s1 addr 2001:2:0:ff::1 mpls 7\n"
    "router s2 addr 2001:2:0:ff::2 mtu 1280\n"
    "path 2001:2::/49 s1 s2 dest echo,udp,synack\n";

static struct netsim *sim[2];

static void
check(const struct netsim_reply *r)
{
	struct ns_pkt p;
	uint32_t sum;

	if (r->len < 20 || r->len > 65536 + 256 || r->delay_ns < 0 ||
	    ns_pkt_parse(&p, r->pkt, r->len) != 0 || p.len != r->len ||
	    p.l4 == NULL)
		abort();
	sum = ns_pseudo_sum(p.af, p.src, p.dst, p.proto, p.l4len);
	if (ns_cksum(p.l4, p.l4len, p.proto == NS_PROTO_ICMP ? 0 : sum) != 0)
		abort();
}

static void
feed(const uint8_t *b, size_t n)
{
	struct netsim_reply r;

	for (int i = 0; i < 2; i++)
		if (netsim_input(sim[i], b, n, (int64_t)n * 1000, &r))
			check(&r);
}

static void
repair(uint8_t *b, size_t n)
{
	if (n >= 20 && (b[0] >> 4) == 4) {
		size_t hl = (size_t)(b[0] & 0x0f) * 4;
		if (hl < 20 || hl > n)
			b[0] = 0x45, hl = 20;
		wire_set_be16(b + 2, (uint16_t)n);
		b[16] = 198;
		b[17] = 18 + (b[17] & 1);
		b[10] = b[11] = 0;
		wire_set_be16(b + 10, ns_cksum(b, hl, 0));
	} else if (n >= 40 && (b[0] >> 4) == 6) {
		wire_set_be16(b + 4, (uint16_t)(n - 40));
		b[24] = 0x20;
		b[25] = 0x01;
		b[26] = 0x00;
		b[27] = 0x02;
		b[28] = b[29] = 0;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct netsim_params p;
	char err[256];
	uint8_t *b;

	if (sim[0] == NULL) {
		netsim_params_default(&p);
		sim[0] = netsim_parse(topo, strlen(topo), &p, err, sizeof(err));
		p.leaf4 = 20;
		p.leaf6 = 52;
		sim[1] = netsim_generate(&p, err, sizeof(err));
		if (sim[0] == NULL || sim[1] == NULL)
			abort();
	}
	feed(data, size);
	if (size > 65535 || (b = malloc(size > 0 ? size : 1)) == NULL)
		return 0;
	memcpy(b, data, size);
	repair(b, size);
	feed(b, size);
	free(b);
	return 0;
}
