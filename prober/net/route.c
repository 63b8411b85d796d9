/*
 * route.c: source addresses and interface MTUs (see route.h); the
 * source of a simple route is asked of the kernel once (rtcopy.h).
 */
#include "config.h"

#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "route.h"
#include "rtcopy.h"

static socklen_t
mkaddr(int af, const uint8_t *a, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (af == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, a, 4);
		return sizeof(*sin);
	}
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	memcpy(&sin6->sin6_addr, a, 16);
	return sizeof(*sin6);
}

/*
 * One UDP socket per family, kept open: connect(2) on it asks the routing
 * table and sends nothing, and connecting again simply re-asks, so a
 * lookup costs two system calls instead of four.  Process-wide because a
 * route lookup has no owner; plain SOCK_DGRAM is what the sandbox allows.
 */
static int route_fd4 = -1, route_fd6 = -1;

/* The kernel's answer: connect a UDP socket towards DST, read its
 * source.  0, or -1 with errno. */
static int
ask_kernel(int af, const uint8_t *dst, uint8_t *src)
{
	struct sockaddr_storage ss;
	socklen_t sl = mkaddr(af, dst, 33434, &ss);
	int *fd = af == AF_INET ? &route_fd4 : &route_fd6;

	struct sockaddr unspec;

	memset(src, 0, 16);
	if (*fd == -1 && (*fd = socket(af, SOCK_DGRAM, 0)) == -1)
		return -1;
	/* dissolve the last lookup's association first: a connected
	 * socket keeps the source address its first connect chose, so
	 * every later destination would get that source */
	memset(&unspec, 0, sizeof(unspec));
	unspec.sa_family = AF_UNSPEC;
	(void)connect(*fd, &unspec, sizeof(unspec));
	if (connect(*fd, (struct sockaddr *)&ss, sl) == -1 ||
	    getsockname(*fd, (struct sockaddr *)&ss, &sl) == -1)
		return -1;
	if (af == AF_INET)
		memcpy(src, &((struct sockaddr_in *)&ss)->sin_addr, 4);
	else
		memcpy(src, &((struct sockaddr_in6 *)&ss)->sin6_addr, 16);
	return 0;
}

int
route_src(int af, const uint8_t *dst, uint8_t *src)
{
	struct rtable_src *rs;

	if ((rs = rtcopy_src(af, dst)) == NULL)
		return ask_kernel(af, dst, src);
	if (!rs->known) {
		if (ask_kernel(af, dst, rs->addr) == -1)
			return -1;
		rs->known = 1;
	}
	memset(src, 0, 16);
	memcpy(src, rs->addr, af == AF_INET ? 4 : 16);
	return 0;
}

static int
same_addr(int af, const struct sockaddr *sa, const uint8_t *a)
{
	if (sa == NULL || sa->sa_family != af)
		return 0;
	if (af == AF_INET)
		return memcmp(&((const struct sockaddr_in *)sa)->sin_addr, a,
		    4) == 0;
	return memcmp(&((const struct sockaddr_in6 *)sa)->sin6_addr, a,
	    16) == 0;
}

int
route_ifmtu(int af, const uint8_t *src, uint16_t *mtu)
{
	struct ifaddrs *ifa, *i;
	struct ifreq ifr;
	int fd, rc = -1, save;

	if (getifaddrs(&ifa) == -1)
		return -1;
	errno = ENOENT;
	for (i = ifa; i != NULL; i = i->ifa_next)
		if (same_addr(af, i->ifa_addr, src))
			break;
	if (i == NULL) {
		freeifaddrs(ifa);
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, i->ifa_name, sizeof(ifr.ifr_name) - 1);
	freeifaddrs(ifa);
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		return -1;
	if (ioctl(fd, SIOCGIFMTU, &ifr) == 0 && ifr.ifr_mtu > 0) {
		*mtu = ifr.ifr_mtu > 65535 ? 65535 : (uint16_t)ifr.ifr_mtu;
		rc = 0;
	}
	save = errno;
	close(fd);
	errno = save;
	return rc;
}
