/*
 * netsim.h: sc_netsim's simulated Internet, as a library.
 *
 * A struct netsim holds a topology (generated from a seed and parameters,
 * or read from a topology file) and its run-time state (IP-ID counters,
 * rate-limit buckets, per-packet balancer state, counters).  Packets are
 * fed one at a time to netsim_input(), which returns at most one reply.
 * Nothing here touches a descriptor, a clock or a signal: the caller
 * passes the time in, so tests are exact and need no privilege.
 */
#ifndef NETSIM_H
#define NETSIM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Every counter, in the order they are printed. */
#define NETSIM_COUNTERS(X)						\
	X(in_pkts) X(in_v4) X(in_v6) X(in_icmp) X(in_udp) X(in_tcp)	\
	X(in_other)							\
	X(out_pkts) X(out_time_exceeded) X(out_echo_reply)		\
	X(out_port_unreach) X(out_dest_unreach) X(out_too_big)		\
	X(out_syn_ack) X(out_rst)					\
	X(drop_malformed) X(drop_no_route) X(drop_anon)			\
	X(drop_ratelimit) X(drop_loss) X(drop_silent)			\
	X(drop_pmtud_blackhole) X(drop_ttl0) X(drop_fragment)		\
	X(drop_bad_cksum) X(drop_ignored)				\
	X(in_too_big) X(out_fragments)

struct netsim_counters {
#define NETSIM_CTR_FIELD(n) uint64_t n;
	NETSIM_COUNTERS(NETSIM_CTR_FIELD)
#undef NETSIM_CTR_FIELD
};

/*
 * Parameters of a generated topology and of run-time behaviour.  Shares
 * are per mille (0..1000).  netsim_params_default() fills the defaults
 * documented in sc_netsim(1).
 */
struct netsim_params {
	uint64_t	seed;
	uint8_t		pfx4[4];	/* destination space, IPv4 */
	int		plen4;
	int		leaf4;		/* prefix length of a leaf (site) */
	uint8_t		pfx6[16];
	int		plen6;
	int		leaf6;
	int		v4, v6;		/* generate this family */
	int		hops_min, hops_max;	/* destination hop count */
	int		lb_share;	/* element of a shared segment is a
					   load balancer */
	int		lb_nested;	/* branch holds a nested balancer */
	int		lb_perpkt;	/* balancer is per packet */
	int		lb_maxwidth;	/* 2..16 */
	int		anon_share;
	int		mpls_share;
	int		rl_share;	/* rate-limited routers */
	int		rl_rate;	/* their rate (replies/s) */
	int		rl_burst;
	int		mtu_share;	/* leaves behind a smaller-MTU link */
	int		silent_share;	/* silent destinations */
	int		loss_ppm;	/* probes lost, parts per million */
	int		delay_min_us;	/* one-way delay per link */
	int		delay_max_us;
	int		jitter_us;	/* added to each reply, uniform */
	/* IP-ID behaviours of generated routers, per mille: the rest have
	 * one shared counter */
	int		ipid_perif;	/* one counter per interface */
	int		ipid_random;
	int		ipid_zero;
	int		ipid_bswap;	/* counters written byte-swapped */
	int		velocity_max;	/* counter steps per second from
					   other traffic: 1 to this */
	int		unreach_inbound; /* port unreachable from the
					   interface facing the prober */
};

/* How much earlier than its designed delay a reply may leave, in
 * microseconds: the runners read the clock once they hold the packet,
 * and release replies only when due, so none. */
#define NETSIM_TICK_US	0

/* What a packet fed to the simulator produced. */
struct netsim_reply {
	const uint8_t	*pkt;		/* in the simulator; valid until the
					   next netsim_* call */
	size_t		 len;
	int64_t		 delay_ns;	/* release after this long */
	const uint8_t	*pkt2;		/* a second packet (the second
					   fragment of a fragmented reply)
					   released with the first, or NULL */
	size_t		 len2;
};

struct netsim;

/* Fill P with the defaults. */
void netsim_params_default(struct netsim_params *p);

/* Build a simulator from P.  Returns NULL and writes a message to ERR
 * (size ERRLEN) on failure.  Caller frees with netsim_free(). */
struct netsim *netsim_generate(const struct netsim_params *p, char *err,
    size_t errlen);

/* Build a simulator from the topology file text BUF (LEN bytes, need not
 * be NUL-terminated); run-time parameters (seed, loss, jitter) come from P.
 * On a syntax error returns NULL and ERR names the line and the problem. */
struct netsim *netsim_parse(const char *buf, size_t len,
    const struct netsim_params *p, char *err, size_t errlen);

/* Free S (NULL is fine). */
void netsim_free(struct netsim *s);

/* Feed the IP packet PKT (LEN bytes) arriving at monotonic time NOW (ns).
 * Returns 1 and fills R when a reply is to be sent, 0 when not.  Never
 * fails: a malformed packet is counted and dropped.  No allocation. */
int netsim_input(struct netsim *s, const uint8_t *pkt, size_t len,
    int64_t now, struct netsim_reply *r);

/* The counters so far. */
const struct netsim_counters *netsim_counters(const struct netsim *s);

/* Write the counters as one line of name=value pairs to F. */
void netsim_counters_print(const struct netsim *s, FILE *f);

/* Write the ground truth as JSON lines (see sc_netsim(1)) to F.
 * Returns 0, or -1 if a write failed. */
int netsim_truth_write(const struct netsim *s, FILE *f);

/* Print the hops a flow takes (see --path in sc_netsim(1)) to F.  SRC and
 * DST are addresses of one family, PROTO a protocol name or number, L4HDR
 * 8 hex digits.  Returns 0, or -1 with a message in ERR. */
int netsim_path_print(const struct netsim *s, const char *src,
    const char *dst, const char *proto, const char *l4hdr, FILE *f,
    char *err, size_t errlen);

/* Print every interface and link any flow to DST can see when probing
 * with PROTO ("icmp", "udp" or "tcp"): the MDA truth (see --lbtruth in
 * sc_netsim(1)).  Returns 0, or -1 with a message in ERR. */
int netsim_lbtruth_print(const struct netsim *s, const char *dst,
    const char *proto, FILE *f, char *err, size_t errlen);

/* The flow hash of a load balancer, as documented: exposed for tests. */
uint32_t netsim_flow_hash(uint32_t lbid, int af, const uint8_t *src,
    const uint8_t *dst, uint8_t proto, const uint8_t l4[4]);

#endif
