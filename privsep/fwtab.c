/*
 * fwtab.c: policy, ids, ownership and held ports of the helper's
 * firewall rules; the backend (fw.h) only installs and removes them.
 *
 * The table is a fixed array searched linearly: at most FWTAB_MAX
 * rules and rule changes are rare (one per tbit/sting task), so O(N)
 * keeps the privileged code simple.
 */
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "fd.h"
#include "fw.h"
#include "fwtab.h"
#include "log.h"

struct fw_entry {
	uint32_t	id;		/* 0: free */
	uint32_t	client;
	uint64_t	handle;		/* the backend's name for it */
	int		sock;		/* holds the local address and port */
};

static struct fw_entry	fw_rules[FWTAB_MAX];
static uint32_t		fw_next_id = 1;
static int		fw_ready;

/* Room for a descriptor per rule, besides the clients' sockets. */
static void
raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur <
	    FWTAB_MAX + 256) {
		rl.rlim_cur = rl.rlim_max < FWTAB_MAX + 256 ? rl.rlim_max :
		    FWTAB_MAX + 256;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

int
fwtab_init(void)
{
	char err[256] = "";

	raise_nofile();
	if (fw_backend.init(err, sizeof(err)) == -1) {
		log_warnx("firewall %s unavailable: %s", fw_backend.name, err);
		return -1;
	}
	fw_ready = 1;
	return 0;
}

int
fwtab_ready(void)
{
	return fw_ready;
}

/* Nonzero if the address A of FAMILY names exactly one unicast host. */
static int
unicast(uint8_t family, const uint8_t *a)
{
	static const uint8_t zero[16];

	if (family == PRIV_AF_INET)
		return memcmp(a, zero, 4) != 0 && (a[0] & 0xf0) != 0xe0 &&
		    !(a[0] == 255 && a[1] == 255 && a[2] == 255 && a[3] == 255);
	return memcmp(a, zero, 16) != 0 && a[0] != 0xff;
}

int
fwtab_check(const struct priv_fw_rule *r)
{
	if ((r->family != PRIV_AF_INET && r->family != PRIV_AF_INET6) ||
	    (r->proto != PRIV_P_TCP && r->proto != PRIV_P_UDP) ||
	    !unicast(r->family, r->laddr) || !unicast(r->family, r->raddr) ||
	    r->rport == 0 || (r->lport != 0 && r->lport < FWTAB_MIN_LPORT)) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

static int
client_count(uint32_t client)
{
	int n = 0;

	for (size_t i = 0; i < FWTAB_MAX; i++)
		if (fw_rules[i].id != 0 && fw_rules[i].client == client)
			n++;
	return n;
}

/* Next rule id: never 0, never one in use. */
static uint32_t
next_id(void)
{
	for (;;) {
		uint32_t id = fw_next_id++;
		size_t i;

		if (id == 0)
			continue;
		for (i = 0; i < FWTAB_MAX && fw_rules[i].id != id; i++)
			;
		if (i == FWTAB_MAX)
			return id;
	}
}

/* Bind a socket of R's protocol to R's local address and port (0: any
 * free one), without any address or port sharing, and put the port in
 * *LPORT.  Returns the socket, or -1 with errno (bind's). */
static int
hold_port(const struct priv_fw_rule *r, uint16_t *lport)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t sl;
	int fd, on = 1;

	memset(&ss, 0, sizeof(ss));
	if (r->family == PRIV_AF_INET) {
		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, r->laddr, 4);
		sin->sin_port = htons(r->lport);
		sl = sizeof(*sin);
	} else {
		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, r->laddr, 16);
		sin6->sin6_port = htons(r->lport);
		sl = sizeof(*sin6);
	}
	if ((fd = socket(ss.ss_family, (r->proto == PRIV_P_TCP ?
	    SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if ((ss.ss_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &on, sizeof(on)) == -1) ||
	    bind(fd, (struct sockaddr *)&ss, sl) == -1 ||
	    getsockname(fd, (struct sockaddr *)&ss, &sl) == -1)
		return fd_close_fail(fd);
	*lport = ntohs(ss.ss_family == AF_INET ? sin->sin_port :
	    sin6->sin6_port);
	return fd;
}

int
fwtab_add(uint32_t client, const struct priv_fw_rule *r, uint32_t *id,
    uint16_t *lport)
{
	struct priv_fw_rule held = *r;
	struct fw_entry *e = NULL;
	int e2;

	*id = 0;
	*lport = 0;
	if (fwtab_check(r) == -1)
		return -1;
	if (!fw_ready) {
		errno = EOPNOTSUPP;
		return -1;
	}
	for (size_t i = 0; i < FWTAB_MAX && e == NULL; i++)
		if (fw_rules[i].id == 0)
			e = &fw_rules[i];
	if (e == NULL || client_count(client) >= FWTAB_PER_CLIENT) {
		errno = ENOSPC;
		return -1;
	}
	if ((e->sock = hold_port(r, &held.lport)) == -1) {
		if (errno == EMFILE || errno == ENFILE)
			errno = ENOSPC;
		return -1;
	}
	if (fw_backend.add(&held, &e->handle) == -1) {
		e2 = errno;
		close(e->sock);
		memset(e, 0, sizeof(*e));
		errno = e2;
		return -1;
	}
	e->id = next_id();
	e->client = client;
	*id = e->id;
	*lport = held.lport;
	return 0;
}

/* Remove entry E from the backend and the table; its port is free. */
static void
entry_remove(struct fw_entry *e)
{
	if (fw_backend.del(e->handle) == -1)
		log_warn("firewall rule %u", e->id);
	close(e->sock);
	memset(e, 0, sizeof(*e));
}

int
fwtab_del(uint32_t client, uint32_t id)
{
	for (size_t i = 0; i < FWTAB_MAX; i++)
		if (id != 0 && fw_rules[i].id == id &&
		    fw_rules[i].client == client) {
			entry_remove(&fw_rules[i]);
			return 0;
		}
	errno = ENOENT;
	return -1;
}

int
fwtab_del_client(uint32_t client)
{
	int n = 0;

	for (size_t i = 0; i < FWTAB_MAX; i++)
		if (fw_rules[i].id != 0 && fw_rules[i].client == client) {
			entry_remove(&fw_rules[i]);
			n++;
		}
	return n;
}

void
fwtab_fini(void)
{
	if (!fw_ready)
		return;
	fw_backend.fini();
	for (size_t i = 0; i < FWTAB_MAX; i++)
		if (fw_rules[i].id != 0)
			close(fw_rules[i].sock);
	memset(fw_rules, 0, sizeof(fw_rules));
	fw_ready = 0;
}
