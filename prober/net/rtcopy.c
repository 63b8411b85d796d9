/*
 * rtcopy.c: the copy of the routing tables, read by route netlink dumps
 * and dropped at every change notification (see rtcopy.h).  Linux only;
 * elsewhere nothing is watched and the kernel answers every lookup.
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "neigh.h"
#include "rtcopy.h"

static unsigned long n_copy, n_asked, nh_copy, nh_asked;
static uint32_t copy_gen;	/* copies read so far (route keys) */

void
rtcopy_counts(unsigned long *copy, unsigned long *asked)
{
	*copy = n_copy;
	*asked = n_asked;
}

void
rtcopy_nh_counts(unsigned long *copy, unsigned long *asked)
{
	*copy = nh_copy;
	*asked = nh_asked;
}

#ifdef __linux__

#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

enum copy_state {
	COPY_DIRTY,	/* read it at the next lookup */
	COPY_OK,
	COPY_OFF,	/* could not be read: the kernel answers, until the
			 * next change */
};

struct fam {
	enum copy_state	 state;
	struct rtable	*t;
	uint32_t	 tabid[RTABLE_NTAB];	/* kernel table ids, in order */
	int		 ntab;
	uint32_t	 gif;		/* IPv6: the one global address's
					 * interface, 0 if not exactly one */
};

static struct {
	struct loop	*l;
	struct loop_fd	*lfd;
	int		 fd;
	struct fam	 f[2];		/* AF_INET, AF_INET6 */
} rc = { .fd = -1 };

/* What a dump's callbacks share. */
struct dump_ctx {
	struct fam	*fam;
	int		 af;
	int		 bad;		/* the copy cannot be used */
	/* rules */
	struct { uint32_t prio, table; } rule[8];
	int		 nrule;
	/* IPv6 addresses */
	int		 nglobal;
	uint32_t	 gif;
};

static int
alen(int af)
{
	return af == AF_INET ? 4 : 16;
}

/* A message of a dump that changed under it: read again later. */
static int
interrupted(const struct nlmsghdr *h, struct dump_ctx *c)
{
	if (h->nlmsg_flags & NLM_F_DUMP_INTR) {
		c->bad = 1;
		return 1;
	}
	return 0;
}

/* ---- rules -------------------------------------------------------- */

/* Whether rule attribute A is one a default rule has. */
static int
rule_attr_default(const struct rtattr *a)
{
	int32_t v;

	switch (a->rta_type) {
	case FRA_TABLE:
	case FRA_PRIORITY:
	case FRA_PROTOCOL:
	case FRA_PAD:
		return 1;
	case FRA_SUPPRESS_PREFIXLEN:
	case FRA_SUPPRESS_IFGROUP:
		if (RTA_PAYLOAD(a) < 4)
			return 0;
		memcpy(&v, RTA_DATA(a), 4);
		return v == -1;
	}
	return 0;
}

static int
on_rule(const void *msg, void *arg)
{
	const struct nlmsghdr *h = msg;
	struct dump_ctx *c = arg;
	const struct fib_rule_hdr *r = NLMSG_DATA(h);
	const struct rtattr *a;
	uint32_t prio = 0, table;
	int len;

	if (interrupted(h, c))
		return 1;
	if (h->nlmsg_type != RTM_NEWRULE ||
	    h->nlmsg_len < NLMSG_LENGTH(sizeof(*r)))
		return 0;
	table = r->table;
	if (r->action != FR_ACT_TO_TBL || r->dst_len != 0 ||
	    r->src_len != 0 || r->tos != 0 ||
	    (r->flags & ~(uint32_t)FIB_RULE_PERMANENT) != 0 ||
	    c->nrule == (int)(sizeof(c->rule) / sizeof(c->rule[0]))) {
		c->bad = 1;
		return 1;
	}
	len = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof(*r)));
	for (a = (const struct rtattr *)((const uint8_t *)r +
	    NLMSG_ALIGN(sizeof(*r))); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (!rule_attr_default(a)) {
			c->bad = 1;
			return 1;
		}
		if (a->rta_type == FRA_TABLE && RTA_PAYLOAD(a) >= 4)
			memcpy(&table, RTA_DATA(a), 4);
		else if (a->rta_type == FRA_PRIORITY && RTA_PAYLOAD(a) >= 4)
			memcpy(&prio, RTA_DATA(a), 4);
	}
	c->rule[c->nrule].prio = prio;
	c->rule[c->nrule++].table = table;
	return 0;
}

/* The tables in rule order into C->fam, if the rules are the default
 * ones: local first, then main, then default (if there). */
static int
rules_default(struct dump_ctx *c)
{
	static const uint32_t want[RTABLE_NTAB] = { RT_TABLE_LOCAL,
	    RT_TABLE_MAIN, RT_TABLE_DEFAULT };
	int n = 0;

	/* a few rules: sort by priority in place */
	for (int i = 1; i < c->nrule; i++)
		for (int j = i; j > 0 && c->rule[j - 1].prio >
		    c->rule[j].prio; j--) {
			uint32_t p = c->rule[j].prio, t = c->rule[j].table;
			c->rule[j] = c->rule[j - 1];
			c->rule[j - 1].prio = p;
			c->rule[j - 1].table = t;
		}
	for (int i = 0; i < c->nrule; i++) {
		while (n < RTABLE_NTAB && want[n] != c->rule[i].table)
			n++;
		if (n == RTABLE_NTAB || (i == 0 && n != 0))
			return 0;
		c->fam->tabid[i] = c->rule[i].table;
		n++;
	}
	c->fam->ntab = c->nrule;
	return c->nrule >= 2;
}

/* ---- IPv6 addresses ------------------------------------------------ */

static int
on_addr(const void *msg, void *arg)
{
	const struct nlmsghdr *h = msg;
	struct dump_ctx *c = arg;
	const struct ifaddrmsg *ifa = NLMSG_DATA(h);
	const struct rtattr *a;
	uint32_t flags;
	int len;

	if (interrupted(h, c))
		return 1;
	if (h->nlmsg_type != RTM_NEWADDR ||
	    h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifa)) ||
	    ifa->ifa_family != AF_INET6 || ifa->ifa_scope != RT_SCOPE_UNIVERSE)
		return 0;
	flags = ifa->ifa_flags;
	len = (int)IFA_PAYLOAD(h);
	for (a = IFA_RTA(ifa); RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type == IFA_FLAGS && RTA_PAYLOAD(a) >= 4)
			memcpy(&flags, RTA_DATA(a), 4);
	if (flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED))
		return 0;
	c->nglobal++;
	c->gif = ifa->ifa_index;
	return 0;
}

/* ---- routes -------------------------------------------------------- */

/* Index of kernel table TABLE in the lookup order, or -1. */
static int
tab_index(const struct fam *f, uint32_t table)
{
	for (int i = 0; i < f->ntab; i++)
		if (f->tabid[i] == table)
			return i;
	return -1;
}

static int
on_route(const void *msg, void *arg)
{
	const struct nlmsghdr *h = msg;
	struct dump_ctx *c = arg;
	const struct rtmsg *rt = NLMSG_DATA(h);
	const struct rtattr *a;
	uint8_t dst[16];
	uint32_t table;
	struct rtable_nh nh;
	int len, tab, plain, prefsrc = 0, nh_odd = 0;

	if (interrupted(h, c))
		return 1;
	if (h->nlmsg_type != RTM_NEWROUTE ||
	    h->nlmsg_len < NLMSG_LENGTH(sizeof(*rt)) ||
	    rt->rtm_family != c->af || (rt->rtm_flags & RTM_F_CLONED))
		return 0;
	memset(dst, 0, sizeof(dst));
	memset(&nh, 0, sizeof(nh));
	table = rt->rtm_table;
	plain = rt->rtm_type == RTN_UNICAST && rt->rtm_tos == 0 &&
	    rt->rtm_src_len == 0 &&
	    (rt->rtm_flags & (RTNH_F_DEAD | RTNH_F_LINKDOWN)) == 0;
	len = (int)RTM_PAYLOAD(h);
	for (a = RTM_RTA(rt); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		switch (a->rta_type) {
		case RTA_TABLE:
			if (RTA_PAYLOAD(a) >= 4)
				memcpy(&table, RTA_DATA(a), 4);
			break;
		case RTA_DST:
			if (RTA_PAYLOAD(a) == (size_t)alen(c->af))
				memcpy(dst, RTA_DATA(a), RTA_PAYLOAD(a));
			break;
		case RTA_OIF:
			if (RTA_PAYLOAD(a) >= 4)
				memcpy(&nh.oif, RTA_DATA(a), 4);
			break;
		case RTA_GATEWAY:
			if (RTA_PAYLOAD(a) != (size_t)alen(c->af)) {
				nh_odd = 1;
				break;
			}
			memcpy(nh.gw, RTA_DATA(a), RTA_PAYLOAD(a));
			nh.has_gw = 1;
			break;
		case RTA_VIA:
		case RTA_ENCAP:
		case RTA_ENCAP_TYPE:
			nh_odd = 1;	/* the kernel's to frame */
			break;
		case RTA_PREFSRC:
			prefsrc = 1;
			break;
		case RTA_MULTIPATH:
		case RTA_NH_ID:
			plain = 0;	/* the path depends on the flow */
			break;
		}
	}
	if ((tab = tab_index(c->fam, table)) == -1)
		return 0;
	/* IPv6: the source is chosen per destination unless the route
	 * names one, or only one address can win (rtcopy.h) */
	if (c->af == AF_INET6 && !prefsrc && (c->fam->gif == 0 ||
	    nh.oif != c->fam->gif))
		plain = 0;
	/* the next hop only of a plain route, one path, nothing odd */
	if (!plain || nh_odd)
		nh.oif = 0;
	if (rtable_add_nh(c->fam->t, tab, dst, rt->rtm_dst_len, plain,
	    &nh) == -1) {
		c->bad = 1;
		return 1;
	}
	return 0;
}

/* Read family AF's copy; its state says whether it can be used. */
static void
fam_read(int af, struct fam *f)
{
	struct dump_ctx c;

	memset(&c, 0, sizeof(c));
	c.fam = f;
	c.af = af;
	rtable_free(f->t);
	f->state = COPY_OFF;
	f->gif = 0;
	if ((f->t = rtable_new(af)) == NULL)
		return;
	if (neigh_nl_dump(RTM_GETRULE, af, on_rule, &c) == -1 || c.bad ||
	    !rules_default(&c))
		return;
	if (af == AF_INET6) {
		if (neigh_nl_dump(RTM_GETADDR, af, on_addr, &c) == -1 ||
		    c.bad)
			return;
		f->gif = c.nglobal == 1 ? c.gif : 0;
	}
	if (neigh_nl_dump(RTM_GETROUTE, af, on_route, &c) == -1 || c.bad)
		return;
	rtable_finish(f->t);
	f->state = COPY_OK;
	copy_gen++;
}

/* Destinations the copy never answers for: IPv4 0/8, loopback,
 * multicast and the limited broadcast; IPv6 anything not global
 * unicast (2000::/3 and fc00::/7). */
static int
special(int af, const uint8_t *d)
{
	if (af == AF_INET)
		return d[0] == 0 || d[0] == 127 || d[0] >= 224;
	return (d[0] & 0xe0) != 0x20 && (d[0] & 0xfe) != 0xfc;
}

/* The copy's plain route towards DST (family AF) into *F: its id, or
 * -1 (ask the kernel). */
static int
copy_lookup(int af, const uint8_t *dst, struct fam **fp)
{
	struct fam *f;

	if (rc.fd == -1 || (af != AF_INET && af != AF_INET6) ||
	    special(af, dst))
		return -1;
	f = &rc.f[af == AF_INET ? 0 : 1];
	if (f->state == COPY_DIRTY)
		fam_read(af, f);
	if (f->state != COPY_OK)
		return -1;
	*fp = f;
	return rtable_lookup(f->t, dst);
}

struct rtable_src *
rtcopy_src(int af, const uint8_t *dst)
{
	struct fam *f = NULL;
	int id;

	if ((id = copy_lookup(af, dst, &f)) == -1) {
		n_asked++;
		return NULL;
	}
	n_copy++;
	return rtable_src(f->t, id);
}

int
rtcopy_nexthop(int af, const uint8_t *dst, struct rtable_nh *nh)
{
	uint64_t route;

	return rtcopy_nexthop_route(af, dst, nh, &route);
}

int
rtcopy_nexthop_route(int af, const uint8_t *dst, struct rtable_nh *nh,
    uint64_t *route)
{
	struct fam *f = NULL;
	int id;

	if ((id = copy_lookup(af, dst, &f)) == -1 ||
	    rtable_nexthop(f->t, id, nh) == -1) {
		nh_asked++;
		return -1;
	}
	nh_copy++;
	/* ids are per family and per copy; every copy read is counted */
	*route = ((uint64_t)copy_gen << 33) | ((uint64_t)(uint32_t)id << 1) |
	    (af == AF_INET6);
	return 0;
}

/* A change (or lost notifications): read both families again when next
 * asked. */
static void
on_change(struct loop_fd *lfd, int fd, int events, void *arg)
{
	uint8_t buf[8192];
	ssize_t n;

	(void)lfd;
	(void)events;
	(void)arg;
	while ((n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) != 0) {
		if (n == -1 && errno != ENOBUFS && errno != EINTR)
			break;
	}
	rc.f[0].state = COPY_DIRTY;
	rc.f[1].state = COPY_DIRTY;
}

int
rtcopy_watch(struct loop *l)
{
	struct sockaddr_nl sa;
	int fd;

	if (rc.fd != -1)
		return 0;
	if ((fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    NETLINK_ROUTE)) == -1)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	sa.nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV4_ROUTE |
	    RTMGRP_IPV4_RULE | RTMGRP_IPV6_IFADDR | RTMGRP_IPV6_ROUTE |
	    (1U << (RTNLGRP_IPV6_RULE - 1));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    (rc.lfd = loop_fd_add(l, fd, LOOP_READ, on_change, NULL)) ==
	    NULL) {
		int save = errno;
		close(fd);
		errno = save;
		return -1;
	}
	/* bound before the first dump: every change after it is heard */
	rc.l = l;
	rc.fd = fd;
	rc.f[0].state = COPY_DIRTY;
	rc.f[1].state = COPY_DIRTY;
	return 0;
}

void
rtcopy_stop(struct loop *l)
{
	if (rc.fd == -1 || l != rc.l)
		return;
	loop_fd_del(l, rc.lfd);
	close(rc.fd);
	rc.fd = -1;
	rc.lfd = NULL;
	rc.l = NULL;
	for (int i = 0; i < 2; i++) {
		rtable_free(rc.f[i].t);
		rc.f[i].t = NULL;
		rc.f[i].state = COPY_DIRTY;
	}
}

#else	/* !__linux__ */

int
rtcopy_watch(struct loop *l)
{
	(void)l;
	errno = EOPNOTSUPP;
	return -1;
}

void
rtcopy_stop(struct loop *l)
{
	(void)l;
}

struct rtable_src *
rtcopy_src(int af, const uint8_t *dst)
{
	(void)af;
	(void)dst;
	n_asked++;
	return NULL;
}

int
rtcopy_nexthop(int af, const uint8_t *dst, struct rtable_nh *nh)
{
	(void)af;
	(void)dst;
	(void)nh;
	nh_asked++;
	return -1;
}

int
rtcopy_nexthop_route(int af, const uint8_t *dst, struct rtable_nh *nh,
    uint64_t *route)
{
	(void)route;
	return rtcopy_nexthop(af, dst, nh);
}

#endif
