/*
 * fw_pf.c: the pf firewall backend (OpenBSD, macOS), driving pfctl(8)
 * on an anchor of the helper's own, "scamper/<helper pid>".  Each rule
 * is kept in memory with its handle; the anchor is reloaded whole on
 * every change (pf anchors have no per-rule delete) and flushed at exit.
 * Built only where pf exists.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fw.h"
#include "log.h"

#define FW_PF_MAX	4096
#define PFCTL		"/sbin/pfctl"

static struct {
	uint64_t		handle;		/* 0 = free slot */
	struct priv_fw_rule	rule;
} pf_rules[FW_PF_MAX];
static uint64_t	pf_next = 1;
static char	pf_anchor[48];

/* Run pfctl with ARGV, feeding it TEXT on stdin if not NULL. */
static int
pfctl(const char *const argv[], const char *text)
{
	int p[2], status;
	pid_t pid;

	if (pipe(p) == -1)
		return -1;
	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		dup2(p[0], 0);
		close(p[0]);
		close(p[1]);
		execv(PFCTL, (char *const *)(uintptr_t)argv);
		_exit(127);
	}
	close(p[0]);
	if (text != NULL)
		(void)!write(p[1], text, strlen(text));
	close(p[1]);
	if (waitpid(pid, &status, 0) == -1 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		errno = EIO;
		return -1;
	}
	return 0;
}

/* Reload the anchor from pf_rules. */
static int
pf_reload(void)
{
	static char text[FW_PF_MAX * 160];
	const char *argv[] = { "pfctl", "-q", "-a", pf_anchor, "-f", "-",
	    NULL };
	size_t off = 0;

	text[0] = '\0';
	for (size_t i = 0; i < FW_PF_MAX; i++) {
		const struct priv_fw_rule *r = &pf_rules[i].rule;
		char la[INET6_ADDRSTRLEN], ra[INET6_ADDRSTRLEN];
		int af = r->family == PRIV_AF_INET ? AF_INET : AF_INET6;

		if (pf_rules[i].handle == 0)
			continue;
		inet_ntop(af, r->laddr, la, sizeof(la));
		inet_ntop(af, r->raddr, ra, sizeof(ra));
		off += (size_t)snprintf(text + off, sizeof(text) - off,
		    "block drop in quick proto %s from %s port %u "
		    "to %s port %u\n", r->proto == PRIV_P_TCP ? "tcp" : "udp",
		    ra, r->rport, la, r->lport);
	}
	return pfctl(argv, text);
}

static int
fw_pf_init(char *err, size_t len)
{
	const char *argv[] = { "pfctl", "-q", "-a", pf_anchor, "-F", "rules",
	    NULL };

	snprintf(pf_anchor, sizeof(pf_anchor), "scamper/%ld", (long)getpid());
	if (pfctl(argv, NULL) == -1) {
		snprintf(err, len, "pfctl: cannot use anchor %s", pf_anchor);
		return -1;
	}
	return 0;
}

static int
fw_pf_add(const struct priv_fw_rule *r, uint64_t *handle)
{
	for (size_t i = 0; i < FW_PF_MAX; i++) {
		if (pf_rules[i].handle != 0)
			continue;
		pf_rules[i].handle = pf_next++;
		pf_rules[i].rule = *r;
		if (pf_reload() == -1) {
			pf_rules[i].handle = 0;
			return -1;
		}
		*handle = pf_rules[i].handle;
		return 0;
	}
	errno = ENOSPC;
	return -1;
}

static int
fw_pf_del(uint64_t handle)
{
	for (size_t i = 0; i < FW_PF_MAX; i++)
		if (pf_rules[i].handle == handle) {
			pf_rules[i].handle = 0;
			return pf_reload();
		}
	errno = ENOENT;
	return -1;
}

static void
fw_pf_fini(void)
{
	const char *argv[] = { "pfctl", "-q", "-a", pf_anchor, "-F", "all",
	    NULL };

	(void)pfctl(argv, NULL);
}

const struct fw_backend fw_backend = {
	"pf", fw_pf_init, fw_pf_add, fw_pf_del, fw_pf_fini,
};
