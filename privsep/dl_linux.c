/*
 * dl_linux.c: datalink (AF_PACKET) and route (NETLINK_ROUTE) sockets
 * for the helper on Linux.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "dl.h"
#include "fd.h"

const char dl_backend_name[] = "linux";

int
dl_open(uint32_t ifindex, const char *name)
{
	struct sockaddr_ll sll;
	int fd;

	(void)name;
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (fd == -1)
		return -1;
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)ifindex;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) == -1)
		return fd_close_fail(fd);
	return fd;
}

int
dl_route_open(void)
{
	return socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
}
