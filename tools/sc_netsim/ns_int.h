/*
 * ns_int.h: sc_netsim's topology model, shared by the generator, the
 * topology file parser, the forwarding code and the truth writer.  Not a
 * public interface.
 *
 * The model: routers (each of one address family, with 1..8 interface
 * addresses), load balancers, and leaves.  A leaf is a destination prefix
 * with a path: a list of elements, each a router or a load balancer.  A
 * load balancer holds 2..16 branches, each itself a list of elements, so
 * balancers nest; the router before a balancer is where flows diverge and
 * the element after it is where they merge.  Element lists live in one
 * pool (elems) and are referred to by (offset, length) slices.
 */
#ifndef NS_INT_H
#define NS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "netsim.h"

#define NS_MAXIF	8	/* interface addresses per router */
#define NS_MAXMPLS	4	/* labels in an RFC 4950 stack */
#define NS_MAXBR	16	/* branches per load balancer */
#define NS_MAXHOPS	64	/* routers on a path */
#define NS_MAXNEST	4	/* nesting depth of balancers */
#define NS_NOPRED	UINT32_MAX	/* predecessor of the first hop */
#define NS_ELEM_LB	0x80000000u	/* element is a balancer index */
#define NS_FRAGOFF	65792		/* the fragments of a reply, in rbuf */
#define NS_RBUF		(NS_FRAGOFF + 2 * 65600)

enum ns_ipid {
	NS_IPID_SHARED,		/* one counter for the router */
	NS_IPID_PERIF,		/* one counter per interface */
	NS_IPID_RANDOM,
	NS_IPID_ZERO,
};

/* Destination behaviour bits. */
#define NS_D_ECHO	0x01	/* echo request -> echo reply */
#define NS_D_UDP	0x02	/* UDP -> port unreachable */
#define NS_D_SYNACK	0x04	/* TCP SYN -> SYN-ACK */
#define NS_D_RST	0x08	/* TCP -> RST */
#define NS_D_UNREACH	0x10	/* last router answers host unreachable */
#define NS_D_HASHED	0x80	/* per address, from the seed */

struct ns_addr {
	uint8_t a[16];		/* IPv4 in a[0..3], rest zero */
};

struct ns_slice {
	uint32_t off, len;	/* in netsim.elems */
};

struct ns_router {
	char		*name;		/* file topologies; NULL otherwise */
	uint8_t		 af;		/* 4 or 6 */
	uint8_t		 nif;
	uint8_t		 ittl;		/* initial TTL of what it sends */
	uint8_t		 ipid;		/* enum ns_ipid */
	uint8_t		 anon;		/* never sends time exceeded */
	uint8_t		 nopmtud;	/* drops too-big packets silently */
	uint8_t		 nmpls;
	uint8_t		 quote;		/* bytes of the probe quoted; 0: as
					   many as fit */
	uint8_t		 unreach_inbound; /* port unreachable from the
					   interface facing the prober */
	uint8_t		 ipid_bswap;	/* IP-IDs written byte-swapped */
	uint16_t	 mtu;		/* of the links it forwards onto; 0:
					   no limit */
	uint32_t	 mpls[NS_MAXMPLS];
	uint32_t	 ipid_vel;	/* counter steps per second */
	uint32_t	 delay_us;	/* one-way delay of the link into it */
	uint32_t	 loss_ppm;
	uint32_t	 rl_rate, rl_burst;	/* 0: no ICMP rate limit */
	struct ns_addr	 ifaddr[NS_MAXIF];
	uint32_t	 inl_off, inl_len;	/* in netsim.inl */
	uint32_t	 home_off, home_len;	/* in netsim.home */
	uint8_t		 home_set;
	/* run-time state */
	uint16_t	 ipid_base[NS_MAXIF];
	uint64_t	 ipid_n[NS_MAXIF];
	uint8_t		 rl_init;
	uint16_t	 pmtu6;		/* IPv6: the path MTU to the prober a
					   packet too big told it; 0 none */
	int64_t		 rl_last;
	int64_t		 rl_tokens;	/* in millionths of a reply */
};

struct ns_lb {
	char		*name;
	uint8_t		 af;
	uint8_t		 perpkt;
	uint16_t	 nbr;
	struct ns_slice	 br[NS_MAXBR];
};

struct ns_leaf {
	struct ns_addr	 pfx;
	uint8_t		 af;
	uint8_t		 plen;
	uint8_t		 dflags;	/* NS_D_* */
	uint8_t		 dttl;		/* initial TTL; 0: per address */
	struct ns_slice	 path;
};

/* An in-link: a router answers from interface IFX when the probe came
 * from PRED (a router index, or NS_NOPRED). */
struct ns_inl {
	uint32_t	 pred;
	uint32_t	 rtr;
	uint8_t		 ifx;
};

struct ns_ahent {
	struct ns_addr	 addr;
	uint32_t	 rtr;		/* UINT32_MAX: empty */
	uint8_t		 af;
	uint8_t		 ifx;
};

struct netsim {
	struct netsim_params	 p;
	int			 generated;
	struct ns_router	*rtr;
	uint32_t		 nrtr, caprtr;
	struct ns_lb		*lb;
	uint32_t		 nlb, caplb;
	uint32_t		*elems;
	uint32_t		 nelems, capelems;
	struct ns_leaf		*leaf;
	uint32_t		 nleaf, capleaf;
	struct ns_inl		*inl;
	uint32_t		 ninl;
	uint32_t		*home;
	uint32_t		 nhome;
	uint32_t		 homecap;	/* home's room, in entries */
	struct ns_ahent		*ah;		/* address hash */
	uint32_t		 ahmask;
	/* generated topologies: leaf index straight from the address */
	uint32_t		 gen_first[2];	/* first leaf of family */
	uint32_t		 gen_count[2];	/* slots; UINT32_MAX gaps */
	uint32_t		*gen_map[2];	/* slot -> leaf index */
	/* run time */
	uint64_t		 rng;
	int64_t			 t0;
	int			 t0set;
	struct netsim_counters	 c;
	uint8_t			*rbuf;		/* reply buffer */
	size_t			 rbufsz;
};

/* splitmix64 step: the one PRNG used everywhere. */
static inline uint64_t
ns_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform integer in [0, n) (n > 0). */
static inline uint32_t
ns_randn(uint64_t *state, uint32_t n)
{
	return (uint32_t)(ns_rand(state) % n);
}

/* Nonzero with probability PERMILLE / 1000. */
static inline int
ns_chance(uint64_t *state, int permille)
{
	return (int)ns_randn(state, 1000) < permille;
}

static inline int
ns_alen(int af)
{
	return af == 4 ? 4 : 16;
}

/* ns_topo.c: building and finishing a model. */
struct netsim *ns_topo_new(const struct netsim_params *p);
int ns_topo_add_router(struct netsim *s, int af);	/* index or -1 */
int ns_topo_add_lb(struct netsim *s, int af);		/* index or -1 */
int ns_topo_add_leaf(struct netsim *s);			/* index or -1 */
int ns_topo_push_elem(struct netsim *s, uint32_t e);	/* 0 or -1 */
/* Compute in-links, home paths and the address hash; check the model.
 * Returns 0, or -1 with a message in ERR. */
int ns_topo_finish(struct netsim *s, char *err, size_t errlen);
/* Router and interface owning ADDR, or -1. */
int ns_topo_addr_lookup(const struct netsim *s, int af, const uint8_t *addr,
    int *ifx);
/* Leaf holding DST, or NULL. */
const struct ns_leaf *ns_topo_leaf_lookup(const struct netsim *s, int af,
    const uint8_t *dst);
/* Interface router R answers from when reached from PRED. */
int ns_topo_inl_ifx(const struct netsim *s, uint32_t r, uint32_t pred);
/* Walk a flow along LEAF's path choosing branches by the flow hash (and
 * PPCHOICE(arg, lb) for per-packet balancers).  Stores up to MAX router
 * indexes in HOPS; returns the number of routers on the path. */
typedef uint32_t ns_ppchoice(void *arg, uint32_t lb);
int ns_topo_walk(const struct netsim *s, const struct ns_slice *path,
    int af, const uint8_t *src, const uint8_t *dst, uint8_t proto,
    const uint8_t l4[4], ns_ppchoice *pp, void *arg, uint32_t *hops,
    int max);
/* Destination behaviour of DST in LEAF: NS_D_* bits, and its TTL. */
uint8_t ns_topo_dest(const struct netsim *s, const struct ns_leaf *leaf,
    const uint8_t *dst, uint8_t *ittl);
/* Text form of an address. */
const char *ns_addr_str(int af, const uint8_t *a, char *buf, size_t len);

/* ns_gen.c */
int ns_gen_build(struct netsim *s, char *err, size_t errlen);

#endif
