/*
 * tun.c: open sc_netsim's TUN device, and refuse namespaces that have a
 * route out (a default route), so simulated replies and the probes that
 * caused them stay inside a lab.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tun.h"

static int
tun_up(const char *dev, int mtu, char *err, size_t errlen)
{
	struct ifreq ifr;
	int s;

	if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	ifr.ifr_mtu = mtu;
	if (ioctl(s, SIOCSIFMTU, &ifr) == -1) {
		snprintf(err, errlen, "%s: setting MTU %d: %s", dev, mtu,
		    strerror(errno));
		close(s);
		return -1;
	}
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == -1 ||
	    (ifr.ifr_flags |= IFF_UP | IFF_RUNNING,
	    ioctl(s, SIOCSIFFLAGS, &ifr) == -1)) {
		snprintf(err, errlen, "%s: bringing it up: %s", dev,
		    strerror(errno));
		close(s);
		return -1;
	}
	close(s);
	return 0;
}

int
tun_open(const char *name, int mtu, char *dev, size_t devlen, char *err,
    size_t errlen)
{
	struct ifreq ifr;
	int fd;

	if (strlen(name) >= IFNAMSIZ) {
		snprintf(err, errlen, "device name '%s' is longer than %d",
		    name, IFNAMSIZ - 1);
		return -1;
	}
	if ((fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC)) ==
	    -1) {
		snprintf(err, errlen, "/dev/net/tun: %s%s", strerror(errno),
		    errno == EACCES || errno == EPERM ?
		    " (sc_netsim needs root or CAP_NET_ADMIN)" : "");
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) == -1) {
		snprintf(err, errlen, "creating TUN device %s: %s", name,
		    strerror(errno));
		close(fd);
		return -1;
	}
	snprintf(dev, devlen, "%s", ifr.ifr_name);
	if (tun_up(dev, mtu, err, errlen) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
check_v4(char *why, size_t len)
{
	char line[512], ifn[64];
	unsigned int dst, gw, flags, mask;
	FILE *f;

	if ((f = fopen("/proc/net/route", "r")) == NULL) {
		snprintf(why, len, "/proc/net/route: %s", strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%63s %x %x %x %*d %*d %*d %x", ifn, &dst, &gw,
		    &flags, &mask) != 5)
			continue;	/* the header line */
		if (dst == 0 && mask == 0 && (flags & 0x1) &&
		    !(flags & 0x200)) {
			snprintf(why, len, "an IPv4 default route via %s",
			    ifn);
			fclose(f);
			return 1;
		}
	}
	fclose(f);
	return 0;
}

static int
check_v6(char *why, size_t len)
{
	char line[512], dst[40], ifn[64];
	unsigned int plen, flags;
	FILE *f;

	if ((f = fopen("/proc/net/ipv6_route", "r")) == NULL) {
		if (errno == ENOENT)	/* no IPv6 in this kernel */
			return 0;
		snprintf(why, len, "/proc/net/ipv6_route: %s", strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%32s %x %*s %*s %*s %*s %*s %*s %x %63s",
		    dst, &plen, &flags, ifn) != 4)
			continue;
		if (plen == 0 && strspn(dst, "0") == 32 && (flags & 0x1) &&
		    !(flags & 0x200)) {
			snprintf(why, len, "an IPv6 default route via %s", ifn);
			fclose(f);
			return 1;
		}
	}
	fclose(f);
	return 0;
}

int
tun_has_default_route(char *why, size_t len)
{
	int rc;

	if ((rc = check_v4(why, len)) != 0)
		return rc;
	return check_v6(why, len);
}
