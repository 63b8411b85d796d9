/*
 * fw_nft.c: the nftables firewall backend, through libnftables.
 *
 * Each helper owns one table, "inet scamper_<helper pid>", with one base
 * chain "in" on the input hook at raw priority (before conntrack).  At
 * start, tables "scamper_<pid>" whose helper is gone are deleted; at exit
 * the helper deletes its own.  A rule is added with echo+handle output
 * and the handle read back, so it can be deleted alone later.  Rule text
 * is built only from validated numbers and inet_ntop() output.
 */
#include <sys/types.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <nftables/libnftables.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fw.h"
#include "log.h"

static struct nft_ctx	*nft;
static char		 nft_table[32];	/* "scamper_<pid>" */

/* Run CMD; the echoed output, if any, is left in the context's buffer.
 * Returns 0, or -1 (errno EPERM/EIO) with nft's message logged. */
static int
nft_run(const char *cmd)
{
	if (nft_run_cmd_from_buffer(nft, cmd) != 0) {
		const char *e = nft_ctx_get_error_buffer(nft);

		log_warnx("nft: %s: %s", cmd, e != NULL ? e : "failed");
		errno = (geteuid() != 0 && strstr(e, "ermission") != NULL) ?
		    EPERM : EIO;
		return -1;
	}
	return 0;
}

/* Delete every table "scamper_<pid>" whose helper no longer runs. */
static void
fw_nft_flush_stale(void)
{
	const char *p;
	char *list, cmd[96];
	long pid;

	if (nft_run("list tables inet") == -1)
		return;
	/* copy: every nft_run() below reuses the output buffer */
	if ((list = strdup(nft_ctx_get_output_buffer(nft))) == NULL)
		return;
	for (p = list; (p = strstr(p, "table inet scamper_")) != NULL; p++) {
		char *end;

		pid = strtol(p + strlen("table inet scamper_"), &end, 10);
		if (pid <= 0 || (*end != '\n' && *end != '\0'))
			continue;
		if (pid != (long)getpid() &&
		    (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
			continue;
		log_info("removing stale firewall table inet scamper_%ld", pid);
		snprintf(cmd, sizeof(cmd), "delete table inet scamper_%ld", pid);
		(void)nft_run(cmd);
	}
	free(list);
}

static int
fw_nft_init(char *err, size_t len)
{
	char cmd[256];

	if ((nft = nft_ctx_new(NFT_CTX_DEFAULT)) == NULL) {
		snprintf(err, len, "libnftables: cannot create a context");
		return -1;
	}
	nft_ctx_buffer_output(nft);
	nft_ctx_buffer_error(nft);
	snprintf(nft_table, sizeof(nft_table), "scamper_%ld", (long)getpid());
	fw_nft_flush_stale();
	snprintf(cmd, sizeof(cmd), "add table inet %s\n"
	    "add chain inet %s in { type filter hook input priority raw; "
	    "policy accept; }\n", nft_table, nft_table);
	if (nft_run(cmd) == -1) {
		snprintf(err, len, "nftables: cannot create table inet %s",
		    nft_table);
		nft_ctx_free(nft);
		nft = NULL;
		return -1;
	}
	return 0;
}

/* Read the handle from the echoed "... # handle N" line. */
static int
parse_handle(const char *out, uint64_t *handle)
{
	const char *p = out != NULL ? strstr(out, "# handle ") : NULL;
	char *end;

	if (p == NULL)
		return -1;
	p += strlen("# handle ");
	if (!isdigit((unsigned char)*p))
		return -1;
	*handle = strtoull(p, &end, 10);
	return *handle == 0 ? -1 : 0;
}

static int
fw_nft_add(const struct priv_fw_rule *r, uint64_t *handle)
{
	char la[INET6_ADDRSTRLEN], ra[INET6_ADDRSTRLEN], cmd[512];
	const char *ip = r->family == PRIV_AF_INET ? "ip" : "ip6";
	const char *l4 = r->proto == PRIV_P_TCP ? "tcp" : "udp";
	int af = r->family == PRIV_AF_INET ? AF_INET : AF_INET6;
	unsigned flags;

	if (nft == NULL) {
		errno = EOPNOTSUPP;
		return -1;
	}
	inet_ntop(af, r->laddr, la, sizeof(la));
	inet_ntop(af, r->raddr, ra, sizeof(ra));
	/* a reply to our probe: from the probed address and port to ours */
	snprintf(cmd, sizeof(cmd), "add rule inet %s in %s saddr %s "
	    "%s daddr %s %s sport %u %s dport %u drop", nft_table, ip, ra,
	    ip, la, l4, r->rport, l4, r->lport);
	flags = nft_ctx_output_get_flags(nft);
	nft_ctx_output_set_flags(nft, flags | NFT_CTX_OUTPUT_ECHO |
	    NFT_CTX_OUTPUT_HANDLE);
	if (nft_run(cmd) == -1) {
		nft_ctx_output_set_flags(nft, flags);
		return -1;
	}
	nft_ctx_output_set_flags(nft, flags);
	if (parse_handle(nft_ctx_get_output_buffer(nft), handle) == -1) {
		log_warnx("nft: no handle in the echo of: %s", cmd);
		errno = EIO;
		return -1;
	}
	return 0;
}

static int
fw_nft_del(uint64_t handle)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "delete rule inet %s in handle %" PRIu64,
	    nft_table, handle);
	return nft == NULL ? 0 : nft_run(cmd);
}

static void
fw_nft_fini(void)
{
	char cmd[96];

	if (nft == NULL)
		return;
	snprintf(cmd, sizeof(cmd), "delete table inet %s", nft_table);
	(void)nft_run(cmd);
	nft_ctx_free(nft);
	nft = NULL;
}

const struct fw_backend fw_backend = {
	"nftables", fw_nft_init, fw_nft_add, fw_nft_del, fw_nft_fini,
};
