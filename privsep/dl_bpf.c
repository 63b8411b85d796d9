/*
 * dl_bpf.c: datalink (a /dev/bpf device) and route (PF_ROUTE) sockets
 * for the helper on the BSDs and macOS.  Built only there.
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <net/bpf.h>
#include <net/if.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dl.h"
#include "fd.h"

const char dl_backend_name[] = "bpf";

/* Open the first free /dev/bpfN (or the cloning /dev/bpf). */
static int
bpf_open_dev(void)
{
	char path[32];
	int fd;

	if ((fd = open("/dev/bpf", O_RDWR | O_CLOEXEC)) != -1)
		return fd;
	for (int i = 0; i < 256; i++) {
		snprintf(path, sizeof(path), "/dev/bpf%d", i);
		if ((fd = open(path, O_RDWR | O_CLOEXEC)) != -1)
			return fd;
		if (errno != EBUSY)
			break;
	}
	return -1;
}

int
dl_open(uint32_t ifindex, const char *name)
{
	struct ifreq ifr;
	int fd;

	(void)ifindex;
	if ((fd = bpf_open_dev()) == -1)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	strlcpy(ifr.ifr_name, name, sizeof(ifr.ifr_name));
	if (ioctl(fd, BIOCSETIF, &ifr) == -1)
		return fd_close_fail(fd);
	return fd;
}

int
dl_route_open(void)
{
	return socket(PF_ROUTE, SOCK_RAW, 0);
}
