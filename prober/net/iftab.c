/*
 * iftab.c: the interface table (see iftab.h): a libdnet snapshot taken
 * before the privilege drop, refreshed from getifaddrs(3) after it.
 */
#include "config.h"

#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#ifdef HAVE_DUMBNET_H
#include <dumbnet.h>
#else
#include <dnet.h>
#endif

#ifdef __linux__
#include <linux/if_arp.h>
#include <linux/if_packet.h>
#endif

#include "iftab.h"

#define IFTAB_MAXIF	1024
#define IFTAB_MAXADDR	4096

struct ifaddr_ent {
	uint32_t	 ifindex;
	int		 af;
	uint8_t		 addr[16];
	uint8_t		 plen;		/* prefix length */
};

struct iftab {
	struct iftab_if		*ifs;
	size_t			 nifs;
	struct ifaddr_ent	*addrs;
	size_t			 naddrs;
	int			 loaded;
};

static struct iftab tab;

static int
alen(int af)
{
	return af == AF_INET ? 4 : 16;
}

static void
tab_free(struct iftab *t)
{
	free(t->ifs);
	free(t->addrs);
	memset(t, 0, sizeof(*t));
}

void
iftab_clear(void)
{
	tab_free(&tab);
}

/* The entry for IFINDEX in T, added (zeroed but for the index) if new;
 * NULL if the table is full or out of memory. */
static struct iftab_if *
tab_if(struct iftab *t, uint32_t ifindex)
{
	struct iftab_if *n;

	for (size_t i = 0; i < t->nifs; i++)
		if (t->ifs[i].ifindex == ifindex)
			return &t->ifs[i];
	if (t->nifs == IFTAB_MAXIF ||
	    (n = realloc(t->ifs, (t->nifs + 1) * sizeof(*n))) == NULL)
		return NULL;
	t->ifs = n;
	n = &t->ifs[t->nifs++];
	memset(n, 0, sizeof(*n));
	n->ifindex = ifindex;
	return n;
}

static int
tab_addr(struct iftab *t, uint32_t ifindex, int af, const void *a,
    unsigned plen)
{
	struct ifaddr_ent *n;

	if (t->naddrs == IFTAB_MAXADDR ||
	    (n = realloc(t->addrs, (t->naddrs + 1) * sizeof(*n))) == NULL)
		return -1;
	t->addrs = n;
	n = &t->addrs[t->naddrs++];
	memset(n, 0, sizeof(*n));
	n->ifindex = ifindex;
	n->af = af;
	memcpy(n->addr, a, (size_t)alen(af));
	n->plen = (uint8_t)(plen > (unsigned)alen(af) * 8 ?
	    (unsigned)alen(af) * 8 : plen);
	return 0;
}

/* ---- the snapshot: libdnet ------------------------------------------- */

static void
dnet_addr(struct iftab *t, uint32_t ifindex, const struct addr *a)
{
	if (a->addr_type == ADDR_TYPE_IP)
		(void)tab_addr(t, ifindex, AF_INET, &a->addr_ip, a->addr_bits);
	else if (a->addr_type == ADDR_TYPE_IP6)
		(void)tab_addr(t, ifindex, AF_INET6, &a->addr_ip6,
		    a->addr_bits);
}

static int
on_dnet_if(const struct intf_entry *e, void *arg)
{
	struct iftab *t = arg;
	struct iftab_if *i;
	uint32_t ifindex = if_nametoindex(e->intf_name);

	if (ifindex == 0 || (i = tab_if(t, ifindex)) == NULL)
		return 0;
	snprintf(i->name, sizeof(i->name), "%s", e->intf_name);
	i->mtu = e->intf_mtu;
	switch (e->intf_type) {
	case INTF_TYPE_ETH:
		i->kind = NEIGH_LINK_ETHER;
		break;
	case INTF_TYPE_LOOPBACK:
		i->kind = NEIGH_LINK_LOOP;
		break;
	case INTF_TYPE_TUN:
		i->kind = NEIGH_LINK_RAWIP;
		break;
	default:
		i->kind = NEIGH_LINK_OTHER;
	}
	if (e->intf_link_addr.addr_type == ADDR_TYPE_ETH)
		memcpy(i->mac, &e->intf_link_addr.addr_eth, NEIGH_MACLEN);
	dnet_addr(t, ifindex, &e->intf_addr);
	for (u_int k = 0; k < e->intf_alias_num; k++)
		dnet_addr(t, ifindex, &e->intf_alias_addrs[k]);
	return 0;
}

int
iftab_snapshot(void)
{
	struct iftab t;
	intf_t *h;
	int rc;

	memset(&t, 0, sizeof(t));
	if ((h = intf_open()) == NULL)
		return -1;
	rc = intf_loop(h, on_dnet_if, &t);
	intf_close(h);
	if (rc < 0 || t.nifs == 0) {
		tab_free(&t);
		if (errno == 0)
			errno = ENODEV;
		return -1;
	}
	tab_free(&tab);
	tab = t;
	tab.loaded = 1;
	return (int)tab.nifs;
}

/* ---- the refresh: getifaddrs ----------------------------------------- */

static unsigned
mask_bits(const struct sockaddr *m, int af)
{
	const uint8_t *b;
	unsigned n = 0;

	if (m == NULL || m->sa_family != af)
		return (unsigned)alen(af) * 8;
	b = af == AF_INET ? (const uint8_t *)&((const struct sockaddr_in *)
	    m)->sin_addr : (const uint8_t *)&((const struct sockaddr_in6 *)
	    m)->sin6_addr;
	for (int i = 0; i < alen(af); i++)
		for (int k = 7; k >= 0 && (b[i] >> k) & 1; k--)
			n++;
	return n;
}

static void
ifa_link(struct iftab_if *i, const struct ifaddrs *a)
{
#ifdef __linux__
	const struct sockaddr_ll *ll = (const struct sockaddr_ll *)a->ifa_addr;

	switch (ll->sll_hatype) {
	case ARPHRD_ETHER:
		i->kind = NEIGH_LINK_ETHER;
		break;
	case ARPHRD_LOOPBACK:
		i->kind = NEIGH_LINK_LOOP;
		break;
	case ARPHRD_NONE:
	case ARPHRD_RAWIP:
		i->kind = NEIGH_LINK_RAWIP;
		break;
	default:
		i->kind = NEIGH_LINK_OTHER;
	}
	if (ll->sll_halen == NEIGH_MACLEN)
		memcpy(i->mac, ll->sll_addr, NEIGH_MACLEN);
#else
	(void)i;
	(void)a;
#endif
}

static uint32_t
ifmtu(const char *name)
{
	struct ifreq ifr;
	uint32_t mtu = 0;
	int fd;

	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		return 0;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, SIOCGIFMTU, &ifr) == 0 && ifr.ifr_mtu > 0)
		mtu = (uint32_t)ifr.ifr_mtu;
	close(fd);
	return mtu;
}

static void
ifa_one(struct iftab *t, const struct ifaddrs *a)
{
	uint32_t ifindex = if_nametoindex(a->ifa_name);
	struct iftab_if *i;
	int af = a->ifa_addr->sa_family;

	if (ifindex == 0 || (i = tab_if(t, ifindex)) == NULL)
		return;
	if (i->name[0] == '\0') {
		snprintf(i->name, sizeof(i->name), "%s", a->ifa_name);
		i->mtu = ifmtu(a->ifa_name);
	}
#ifdef __linux__
	if (af == AF_PACKET)
		ifa_link(i, a);
#endif
	if (af == AF_INET)
		(void)tab_addr(t, ifindex, af,
		    &((const struct sockaddr_in *)a->ifa_addr)->sin_addr,
		    mask_bits(a->ifa_netmask, af));
	else if (af == AF_INET6)
		(void)tab_addr(t, ifindex, af,
		    &((const struct sockaddr_in6 *)a->ifa_addr)->sin6_addr,
		    mask_bits(a->ifa_netmask, af));
}

/* Read the table again from the kernel.  Returns 0 or -1 with errno. */
static int
iftab_refresh(void)
{
	struct ifaddrs *ifa, *a;
	struct iftab t;

	if (getifaddrs(&ifa) == -1)
		return -1;
	memset(&t, 0, sizeof(t));
	for (a = ifa; a != NULL; a = a->ifa_next)
		if (a->ifa_addr != NULL)
			ifa_one(&t, a);
	freeifaddrs(ifa);
	tab_free(&tab);
	tab = t;
	tab.loaded = 1;
	return 0;
}

/* ---- lookups ---------------------------------------------------------- */

static const struct iftab_if *
find_name(const char *name)
{
	for (size_t i = 0; i < tab.nifs; i++)
		if (strcmp(tab.ifs[i].name, name) == 0)
			return &tab.ifs[i];
	return NULL;
}

static const struct iftab_if *
find_index(uint32_t ifindex)
{
	for (size_t i = 0; i < tab.nifs; i++)
		if (tab.ifs[i].ifindex == ifindex)
			return &tab.ifs[i];
	return NULL;
}

static int
prefix_holds(const struct ifaddr_ent *e, int af, const uint8_t *a)
{
	unsigned bits = e->plen, whole = bits / 8;

	if (e->af != af || memcmp(e->addr, a, whole) != 0)
		return 0;
	if (bits % 8 == 0)
		return 1;
	return ((e->addr[whole] ^ a[whole]) &
	    (uint8_t)(0xff << (8 - bits % 8))) == 0;
}

int
iftab_byname(const char *name, struct iftab_if *out)
{
	const struct iftab_if *i = find_name(name);
	uint32_t now = if_nametoindex(name);

	/* a name not seen, or seen with another index: ask again */
	if ((i == NULL || i->ifindex != now) && iftab_refresh() == 0)
		i = find_name(name);
	if (i == NULL || now == 0) {
		errno = ENODEV;
		return -1;
	}
	*out = *i;
	return 0;
}

int
iftab_byindex(uint32_t ifindex, struct iftab_if *out)
{
	const struct iftab_if *i = find_index(ifindex);

	if (i == NULL && iftab_refresh() == 0)
		i = find_index(ifindex);
	if (i == NULL) {
		errno = ENODEV;
		return -1;
	}
	*out = *i;
	return 0;
}

static const struct ifaddr_ent *
find_addr(int af, const uint8_t *addr)
{
	for (size_t i = 0; i < tab.naddrs; i++)
		if (tab.addrs[i].af == af &&
		    memcmp(tab.addrs[i].addr, addr, (size_t)alen(af)) == 0)
			return &tab.addrs[i];
	return NULL;
}

/* The interface of the entry FIND(AF, ADDR) gives (the table refreshed
 * once when there is none) into OUT: 0, or -1 with errno ERR. */
static int
iface_of(const struct ifaddr_ent *(*find)(int, const uint8_t *), int af,
    const uint8_t *addr, int err, struct iftab_if *out)
{
	const struct ifaddr_ent *e = find(af, addr);
	const struct iftab_if *i;

	if (e == NULL && iftab_refresh() == 0)
		e = find(af, addr);
	if (e == NULL || (i = find_index(e->ifindex)) == NULL) {
		errno = err;
		return -1;
	}
	*out = *i;
	return 0;
}

int
iftab_byaddr(int af, const uint8_t *addr, struct iftab_if *out)
{
	return iface_of(find_addr, af, addr, EADDRNOTAVAIL, out);
}

static int
is_global(int af, const uint8_t *a)
{
	if (af == AF_INET6)
		return !(a[0] == 0xfe && (a[1] & 0xc0) == 0x80);
	return 1;
}

/* The address of family AF on IFINDEX as iftab_addr chooses it. */
static const struct ifaddr_ent *
pick_addr(uint32_t ifindex, int af, const uint8_t *near)
{
	const struct ifaddr_ent *any = NULL, *global = NULL;

	for (size_t i = 0; i < tab.naddrs; i++) {
		const struct ifaddr_ent *e = &tab.addrs[i];

		if (e->ifindex != ifindex || e->af != af)
			continue;
		if (near != NULL && prefix_holds(e, af, near))
			return e;
		if (global == NULL && is_global(af, e->addr))
			global = e;
		if (any == NULL)
			any = e;
	}
	return global != NULL ? global : any;
}

int
iftab_addr(uint32_t ifindex, int af, const uint8_t *near, uint8_t *addr)
{
	const struct ifaddr_ent *e = pick_addr(ifindex, af, near);

	if (e == NULL && iftab_refresh() == 0)
		e = pick_addr(ifindex, af, near);
	if (e == NULL) {
		errno = EADDRNOTAVAIL;
		return -1;
	}
	memset(addr, 0, 16);
	memcpy(addr, e->addr, (size_t)alen(af));
	return 0;
}

static const struct ifaddr_ent *
find_onlink(int af, const uint8_t *addr)
{
	for (size_t i = 0; i < tab.naddrs; i++)
		if (tab.addrs[i].plen < alen(af) * 8 &&
		    prefix_holds(&tab.addrs[i], af, addr))
			return &tab.addrs[i];
	return NULL;
}

int
iftab_onlink(int af, const uint8_t *addr, struct iftab_if *out)
{
	return iface_of(find_onlink, af, addr, EHOSTUNREACH, out);
}
