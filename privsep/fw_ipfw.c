/*
 * fw_ipfw.c: the ipfw firewall backend (FreeBSD), driving ipfw(8) in a
 * rule-number range of its own (FW_IPFW_BASE .. +FW_IPFW_COUNT-1), the
 * handle being the rule number.  The whole range is deleted at start and
 * at exit.  Built only where ipfw exists.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fw.h"
#include "log.h"

#define IPFW		"/sbin/ipfw"
#define FW_IPFW_BASE	60000
#define FW_IPFW_COUNT	4096

static uint8_t	ipfw_used[FW_IPFW_COUNT];

static int
ipfw(const char *const argv[])
{
	int status;
	pid_t pid;

	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		execv(IPFW, (char *const *)(uintptr_t)argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) == -1 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		errno = EIO;
		return -1;
	}
	return 0;
}

static void
ipfw_delete_range(void)
{
	char range[32];
	const char *argv[] = { "ipfw", "-q", "delete", range, NULL };

	snprintf(range, sizeof(range), "%d-%d", FW_IPFW_BASE,
	    FW_IPFW_BASE + FW_IPFW_COUNT - 1);
	(void)ipfw(argv);
}

static int
fw_ipfw_init(char *err, size_t len)
{
	(void)err;
	(void)len;
	ipfw_delete_range();
	return 0;
}

static int
fw_ipfw_add(const struct priv_fw_rule *r, uint64_t *handle)
{
	char num[16], la[INET6_ADDRSTRLEN], ra[INET6_ADDRSTRLEN], lp[8], rp[8];
	int af = r->family == PRIV_AF_INET ? AF_INET : AF_INET6;
	const char *argv[] = { "ipfw", "-q", "add", num, "deny",
	    r->proto == PRIV_P_TCP ? "tcp" : "udp", "from", ra, rp, "to", la,
	    lp, "in", NULL };

	inet_ntop(af, r->laddr, la, sizeof(la));
	inet_ntop(af, r->raddr, ra, sizeof(ra));
	snprintf(lp, sizeof(lp), "%u", r->lport);
	snprintf(rp, sizeof(rp), "%u", r->rport);
	for (int i = 0; i < FW_IPFW_COUNT; i++) {
		if (ipfw_used[i])
			continue;
		snprintf(num, sizeof(num), "%d", FW_IPFW_BASE + i);
		if (ipfw(argv) == -1)
			return -1;
		ipfw_used[i] = 1;
		*handle = (uint64_t)(FW_IPFW_BASE + i);
		return 0;
	}
	errno = ENOSPC;
	return -1;
}

static int
fw_ipfw_del(uint64_t handle)
{
	char num[16];
	const char *argv[] = { "ipfw", "-q", "delete", num, NULL };

	if (handle < FW_IPFW_BASE || handle >= FW_IPFW_BASE + FW_IPFW_COUNT) {
		errno = ENOENT;
		return -1;
	}
	snprintf(num, sizeof(num), "%u", (unsigned)handle);
	ipfw_used[handle - FW_IPFW_BASE] = 0;
	return ipfw(argv);
}

static void
fw_ipfw_fini(void)
{
	ipfw_delete_range();
}

const struct fw_backend fw_backend = {
	"ipfw", fw_ipfw_init, fw_ipfw_add, fw_ipfw_del, fw_ipfw_fini,
};
