/*
 * priv_sock.c: the allowlist of raw sockets the helper hands out.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <unistd.h>

#include "fd.h"
#include "priv_proto.h"
#include "priv_sock.h"

#define PRIV_RCVBUF (4 * 1024 * 1024)	/* bytes, for receiving sockets */

/* Every kind of socket the helper opens; nothing else is ever opened. */
static const struct {
	uint8_t	family, proto;
	int	domain, ipproto, hdrincl;
} raw_kinds[] = {
	{ PRIV_AF_INET,  PRIV_P_ICMP,  AF_INET,  IPPROTO_ICMP,   0 },
	{ PRIV_AF_INET,  PRIV_P_UDP,   AF_INET,  IPPROTO_UDP,    0 },
	{ PRIV_AF_INET,  PRIV_P_TCP,   AF_INET,  IPPROTO_TCP,    0 },
	{ PRIV_AF_INET,  PRIV_P_RAW,   AF_INET,  IPPROTO_RAW,    1 },
	{ PRIV_AF_INET6, PRIV_P_ICMP6, AF_INET6, IPPROTO_ICMPV6, 0 },
	{ PRIV_AF_INET6, PRIV_P_UDP,   AF_INET6, IPPROTO_UDP,    0 },
	{ PRIV_AF_INET6, PRIV_P_TCP,   AF_INET6, IPPROTO_TCP,    0 },
	{ PRIV_AF_INET6, PRIV_P_RAW,   AF_INET6, IPPROTO_RAW,    0 },
};

/*
 * A receiving socket gets a large buffer: a busy prober reads once a tick
 * (prober/loop.c), and the replies of a tick's probes must fit meanwhile.
 * SO_RCVBUFFORCE passes net.core.rmem_max (the helper has CAP_NET_ADMIN
 * as root; with file capabilities it may not: then rmem_max caps it).
 */
static void
grow_rcvbuf(int fd)
{
	int sz = PRIV_RCVBUF;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) == -1)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
}

int
priv_sock_open_raw(uint8_t family, uint8_t proto)
{
	int fd, on = 1;

	for (size_t i = 0; i < sizeof(raw_kinds) / sizeof(raw_kinds[0]); i++) {
		if (raw_kinds[i].family != family || raw_kinds[i].proto != proto)
			continue;
		fd = socket(raw_kinds[i].domain, SOCK_RAW | SOCK_CLOEXEC,
		    raw_kinds[i].ipproto);
		if (fd == -1)
			return -1;
		if (raw_kinds[i].hdrincl && setsockopt(fd, IPPROTO_IP,
		    IP_HDRINCL, &on, sizeof(on)) == -1)
			return fd_close_fail(fd);
		if (raw_kinds[i].proto != PRIV_P_RAW)
			grow_rcvbuf(fd);
		return fd;
	}
	errno = EINVAL;
	return -1;
}
