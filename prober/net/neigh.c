/*
 * neigh.c: route, link and neighbour lookups over route netlink (see
 * neigh.h).  Linux only; elsewhere every call fails with EOPNOTSUPP.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <netinet/in.h>
#include <unistd.h>

#include "neigh.h"

#ifdef __linux__

#include <linux/if_arp.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#define NL_BUFSZ	65536	/* dumps come in batches of up to 32 KB */
#define NL_WAIT_S	2	/* the kernel answers at once; a guard */

typedef int nl_each(const struct nlmsghdr *h, void *arg);

struct nl_req {
	struct nlmsghdr	 h;
	union {
		struct rtmsg	 rt;
		struct ifinfomsg ifi;
		struct ndmsg	 nd;
	} u;
	uint8_t		 attrs[64];
};

static int
alen(int af)
{
	return af == AF_INET ? 4 : 16;
}

/* Append attribute TYPE with LEN bytes of DATA to R. */
static void
nl_attr(struct nl_req *r, uint16_t type, const void *data, size_t len)
{
	struct rtattr *a = (struct rtattr *)((uint8_t *)r +
	    NLMSG_ALIGN(r->h.nlmsg_len));

	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(a), data, len);
	r->h.nlmsg_len = NLMSG_ALIGN(r->h.nlmsg_len) + RTA_ALIGN(a->rta_len);
}

/* Handle one received batch: returns 1 when the exchange is over (with
 * *RC set), 0 to read more. */
static int
nl_batch(const uint8_t *buf, size_t n, uint32_t seq, int dump, nl_each *each,
    void *arg, int *rc)
{
	const struct nlmsghdr *h = (const struct nlmsghdr *)buf;
	int len = (int)n;

	for (; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
		if (h->nlmsg_seq != seq)
			continue;
		if (h->nlmsg_type == NLMSG_DONE) {
			*rc = 0;
			return 1;
		}
		if (h->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(h);
			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e))) {
				errno = EBADMSG;
				*rc = -1;
			} else if (e->error == 0)
				*rc = 0;
			else {
				errno = -e->error;
				*rc = -1;
			}
			return 1;
		}
		if (each(h, arg) != 0 || !dump) {
			*rc = 0;
			return 1;
		}
	}
	return 0;
}

static int nl_kept = -1;	/* the socket of single-answer requests */

/* A route netlink socket with the reply timeout set, or -1 with errno.
 * One socket serves every single-answer request (the packet send path
 * asks one per destination: opening a socket each time cost more than
 * the question); a dump gets a fresh one, as an abandoned dump would
 * leave the rest of its answer queued. */
static int
nl_socket(int dump)
{
	struct timeval tv = { NL_WAIT_S, 0 };
	int fd;

	if (!dump && nl_kept != -1)
		return nl_kept;
	if ((fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
	    NETLINK_ROUTE)) == -1)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == -1) {
		int save = errno;
		close(fd);
		errno = save;
		return -1;
	}
	if (!dump)
		nl_kept = fd;
	return fd;
}

/* Done with FD: a dump's is closed, and a kept one if the exchange did
 * not end (what is queued on it is then unknown). */
static void
nl_release(int fd, int dump, int ended)
{
	if (dump || !ended) {
		int save = errno;
		close(fd);
		if (!dump)
			nl_kept = -1;
		errno = save;
	}
}

/* Send R and give each answer to EACH(ARG) until the kernel is done
 * (EACH returning nonzero ends it early).  Returns 0 or -1 with errno. */
static int
nl_exchange(struct nl_req *r, nl_each *each, void *arg)
{
	static uint32_t seq;
	static uint8_t buf[NL_BUFSZ];
	struct sockaddr_nl sa;
	int dump = (r->h.nlmsg_flags & NLM_F_DUMP) != 0;
	ssize_t n;
	int fd, rc = -1, ended = 0;

	if ((fd = nl_socket(dump)) == -1)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	r->h.nlmsg_seq = ++seq;
	if (sendto(fd, r, r->h.nlmsg_len, 0, (struct sockaddr *)&sa,
	    sizeof(sa)) == -1)
		goto out;
	for (;;) {
		if ((n = recv(fd, buf, sizeof(buf), 0)) == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				errno = ETIMEDOUT;
			goto out;
		}
		if (n == 0) {
			errno = EPIPE;
			goto out;
		}
		if ((ended = nl_batch(buf, (size_t)n, r->h.nlmsg_seq, dump,
		    each, arg, &rc)) != 0)
			break;
	}
out:
	nl_release(fd, dump, ended);
	return rc;
}

static void
nl_init(struct nl_req *r, uint16_t type, uint16_t flags, size_t body)
{
	memset(r, 0, sizeof(*r));
	r->h.nlmsg_len = (uint32_t)NLMSG_LENGTH(body);
	r->h.nlmsg_type = type;
	r->h.nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags);
}

/* ---- routes ----------------------------------------------------------- */

struct route_ctx {
	int			 af;
	struct neigh_route	*out;
	int			 got, err;
};

static int
on_route(const struct nlmsghdr *h, void *arg)
{
	struct route_ctx *c = arg;
	const struct rtmsg *rt = NLMSG_DATA(h);
	const struct rtattr *a;
	int len;

	if (h->nlmsg_type != RTM_NEWROUTE ||
	    h->nlmsg_len < NLMSG_LENGTH(sizeof(*rt)))
		return 0;
	c->got = 1;
	switch (rt->rtm_type) {
	case RTN_UNICAST:
		break;
	case RTN_LOCAL:
		c->out->local = 1;
		break;
	default:
		c->err = EHOSTUNREACH;	/* unreachable, blackhole, ... */
		return 1;
	}
	len = (int)RTM_PAYLOAD(h);
	for (a = RTM_RTA(rt); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == RTA_OIF && RTA_PAYLOAD(a) >= 4)
			memcpy(&c->out->ifindex, RTA_DATA(a), 4);
		else if (a->rta_type == RTA_GATEWAY &&
		    RTA_PAYLOAD(a) == (size_t)alen(c->af)) {
			memcpy(c->out->gw, RTA_DATA(a), RTA_PAYLOAD(a));
			c->out->has_gw = 1;
		}
	}
	return 1;
}

int
neigh_route_get(int af, const uint8_t *dst, struct neigh_route *out)
{
	struct nl_req r;
	struct route_ctx c = { af, out, 0, 0 };

	memset(out, 0, sizeof(*out));
	nl_init(&r, RTM_GETROUTE, 0, sizeof(r.u.rt));
	r.u.rt.rtm_family = (uint8_t)af;
	r.u.rt.rtm_dst_len = (uint8_t)(alen(af) * 8);
	nl_attr(&r, RTA_DST, dst, (size_t)alen(af));
	if (nl_exchange(&r, on_route, &c) == -1)
		return -1;
	if (c.err != 0 || !c.got || (out->ifindex == 0 && !out->local)) {
		errno = c.err != 0 ? c.err : ENETUNREACH;
		return -1;
	}
	return 0;
}

/* ---- links ------------------------------------------------------------ */

struct link_ctx {
	enum neigh_link	*kind;
	uint8_t		*mac;
	uint32_t	*mtu;
	int		 got;
};

static enum neigh_link
link_kind(unsigned short type)
{
	switch (type) {
	case ARPHRD_ETHER:
		return NEIGH_LINK_ETHER;
	case ARPHRD_LOOPBACK:
		return NEIGH_LINK_LOOP;
	case ARPHRD_NONE:
	case ARPHRD_RAWIP:
		return NEIGH_LINK_RAWIP;
	}
	return NEIGH_LINK_OTHER;
}

static int
on_link(const struct nlmsghdr *h, void *arg)
{
	struct link_ctx *c = arg;
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	const struct rtattr *a;
	int len;

	if (h->nlmsg_type != RTM_NEWLINK ||
	    h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
		return 0;
	c->got = 1;
	*c->kind = link_kind(ifi->ifi_type);
	len = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof(*ifi)));
	for (a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == IFLA_ADDRESS &&
		    RTA_PAYLOAD(a) == NEIGH_MACLEN)
			memcpy(c->mac, RTA_DATA(a), NEIGH_MACLEN);
		else if (a->rta_type == IFLA_MTU && RTA_PAYLOAD(a) >= 4)
			memcpy(c->mtu, RTA_DATA(a), 4);
	}
	return 1;
}

int
neigh_link_get(uint32_t ifindex, enum neigh_link *kind, uint8_t *mac,
    uint32_t *mtu)
{
	struct nl_req r;
	struct link_ctx c = { kind, mac, mtu, 0 };

	*kind = NEIGH_LINK_OTHER;
	memset(mac, 0, NEIGH_MACLEN);
	*mtu = 0;
	nl_init(&r, RTM_GETLINK, 0, sizeof(r.u.ifi));
	r.u.ifi.ifi_family = AF_UNSPEC;
	r.u.ifi.ifi_index = (int)ifindex;
	if (nl_exchange(&r, on_link, &c) == -1)
		return -1;
	if (!c.got) {
		errno = ENODEV;
		return -1;
	}
	return 0;
}

/* ---- neighbours ------------------------------------------------------- */

struct neigh_ctx {
	int		 af;
	neigh_each_cb	*cb;
	void		*arg;
};

static int
on_neigh(const struct nlmsghdr *h, void *arg)
{
	struct neigh_ctx *c = arg;
	const struct ndmsg *nd = NLMSG_DATA(h);
	const struct rtattr *a;
	const uint8_t *dst = NULL, *lladdr = NULL;
	int len;

	if (h->nlmsg_type != RTM_NEWNEIGH ||
	    h->nlmsg_len < NLMSG_LENGTH(sizeof(*nd)) ||
	    nd->ndm_family != c->af ||
	    (nd->ndm_state & (NUD_FAILED | NUD_INCOMPLETE | NUD_NONE)) ||
	    nd->ndm_state == 0)
		return 0;
	len = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof(*nd)));
	for (a = (const struct rtattr *)((const uint8_t *)nd +
	    NLMSG_ALIGN(sizeof(*nd))); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == NDA_DST &&
		    RTA_PAYLOAD(a) == (size_t)alen(c->af))
			dst = RTA_DATA(a);
		else if (a->rta_type == NDA_LLADDR &&
		    RTA_PAYLOAD(a) == NEIGH_MACLEN)
			lladdr = RTA_DATA(a);
	}
	if (dst != NULL && lladdr != NULL)
		c->cb(c->arg, (uint32_t)nd->ndm_ifindex, dst, lladdr);
	return 0;	/* read the dump to its end */
}

int
neigh_dump(int af, neigh_each_cb *cb, void *arg)
{
	struct nl_req r;
	struct neigh_ctx c = { af, cb, arg };

	nl_init(&r, RTM_GETNEIGH, NLM_F_DUMP, sizeof(r.u.nd));
	r.u.nd.ndm_family = (uint8_t)af;
	return nl_exchange(&r, on_neigh, &c);
}

/* ---- any dump -------------------------------------------------------- */

struct any_ctx {
	neigh_nl_cb	*cb;
	void		*arg;
};

static int
on_any(const struct nlmsghdr *h, void *arg)
{
	struct any_ctx *c = arg;

	return c->cb(h, c->arg);
}

int
neigh_nl_dump(int type, int af, neigh_nl_cb *cb, void *arg)
{
	struct nl_req r;
	struct any_ctx c = { cb, arg };

	/* the family is the first byte of every request body; the rest of
	 * an rtmsg's zeros select nothing */
	nl_init(&r, (uint16_t)type, NLM_F_DUMP, sizeof(r.u.rt));
	r.u.rt.rtm_family = (uint8_t)af;
	return nl_exchange(&r, on_any, &c);
}

#else	/* !__linux__ */

int
neigh_nl_dump(int type, int af, neigh_nl_cb *cb, void *arg)
{
	(void)type;
	(void)af;
	(void)cb;
	(void)arg;
	errno = EOPNOTSUPP;
	return -1;
}

int
neigh_route_get(int af, const uint8_t *dst, struct neigh_route *r)
{
	(void)af;
	(void)dst;
	memset(r, 0, sizeof(*r));
	errno = EOPNOTSUPP;
	return -1;
}

int
neigh_link_get(uint32_t ifindex, enum neigh_link *kind, uint8_t *mac,
    uint32_t *mtu)
{
	(void)ifindex;
	(void)mac;
	*kind = NEIGH_LINK_OTHER;
	*mtu = 0;
	errno = EOPNOTSUPP;
	return -1;
}

int
neigh_dump(int af, neigh_each_cb *cb, void *arg)
{
	(void)af;
	(void)cb;
	(void)arg;
	errno = EOPNOTSUPP;
	return -1;
}

#endif
