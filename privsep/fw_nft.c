/*
 * fw_nft.c: the nftables firewall backend, in netlink messages built
 * with libnftnl and sent with libmnl: no rule text is parsed in the
 * helper (libnftables' parser, with its JSON and GMP dependencies, is
 * not linked: about 0.23 MB of libraries instead of 1.2 MB).
 *
 * Each helper owns one table, "inet scamper_<helper pid>", created with
 * NFT_TABLE_F_OWNER (Linux 5.12): it belongs to the helper's netlink
 * socket, no other socket may change it, and the kernel deletes it when
 * that socket closes, so the rules vanish when the helper exits or is
 * killed, never later.  One base chain "in" on the input hook at raw
 * priority (before conntrack); one rule per probe's 5-tuple, matched
 * field by field (nfproto, l4proto, addresses, ports), verdict drop.
 */
#include <sys/types.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/table.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>

#include "fw.h"
#include "log.h"

#define NFT_CHAIN	"in"
#define NFT_PRIO_RAW	(-300)		/* NF_IP_PRI_RAW */

static struct mnl_socket	*nl;
static uint32_t			 nl_seq;
static char			 nft_table[32];	/* "scamper_<pid>" */

/* A batch of one message being built in a buffer. */
struct nft_batch {
	char			 buf[8192];
	struct mnl_nlmsg_batch	*b;
};

/* Start a batch and the header of its one message (TYPE, FLAGS). */
static struct nlmsghdr *
batch_start(struct nft_batch *nb, int type, uint16_t flags)
{
	struct nlmsghdr *nlh;

	nb->b = mnl_nlmsg_batch_start(nb->buf, sizeof(nb->buf));
	nftnl_batch_begin(mnl_nlmsg_batch_current(nb->b), nl_seq++);
	mnl_nlmsg_batch_next(nb->b);
	nlh = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(nb->b),
	    (uint16_t)type, NFPROTO_INET, flags | NLM_F_ACK, nl_seq++);
	return nlh;
}

/* The echoed rule: its handle goes to *(uint64_t *)DATA.  (The echo
 * also brings the new generation, NFT_MSG_NEWGEN: not a rule.) */
static int
echo_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nftnl_rule *r;

	if (NFNL_MSG_TYPE(nlh->nlmsg_type) != NFT_MSG_NEWRULE)
		return MNL_CB_OK;
	r = nftnl_rule_alloc();

	if (r != NULL && nftnl_rule_nlmsg_parse(nlh, r) == 0 &&
	    nftnl_rule_is_set(r, NFTNL_RULE_HANDLE))
		*(uint64_t *)data = nftnl_rule_get_u64(r, NFTNL_RULE_HANDLE);
	nftnl_rule_free(r);
	return MNL_CB_OK;
}

/* Close the batch whose message is complete, send it and read the
 * answers up to the acknowledgement.  Returns 0, or -1 with errno (the
 * kernel's).  HANDLE, if not NULL, gets an echoed rule's handle. */
static int
batch_run(struct nft_batch *nb, uint64_t *handle)
{
	char rbuf[8192];
	uint32_t portid = mnl_socket_get_portid(nl);
	ssize_t n;
	int rc;

	mnl_nlmsg_batch_next(nb->b);
	nftnl_batch_end(mnl_nlmsg_batch_current(nb->b), nl_seq++);
	mnl_nlmsg_batch_next(nb->b);
	if (mnl_socket_sendto(nl, mnl_nlmsg_batch_head(nb->b),
	    mnl_nlmsg_batch_size(nb->b)) == -1)
		return -1;
	mnl_nlmsg_batch_stop(nb->b);
	do {
		if ((n = mnl_socket_recvfrom(nl, rbuf, sizeof(rbuf))) == -1)
			return -1;
		rc = mnl_cb_run(rbuf, (size_t)n, 0, portid,
		    handle != NULL ? echo_cb : NULL, handle);
	} while (rc > 0);
	return rc == -1 ? -1 : 0;
}

/* Create our table (owned by our socket) and its chain. */
static int
make_table(void)
{
	struct nftnl_table *t = nftnl_table_alloc();
	struct nftnl_chain *c = nftnl_chain_alloc();
	struct nft_batch nb;
	int rc = -1;

	if (t == NULL || c == NULL) {
		errno = ENOMEM;
		goto out;
	}
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, nft_table);
	nftnl_table_set_u32(t, NFTNL_TABLE_FLAGS, NFT_TABLE_F_OWNER);
	nftnl_table_nlmsg_build_payload(batch_start(&nb, NFT_MSG_NEWTABLE,
	    NLM_F_CREATE | NLM_F_EXCL), t);
	if (batch_run(&nb, NULL) == -1)
		goto out;
	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, nft_table);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, NFT_CHAIN);
	nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, "filter");
	nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, NF_INET_LOCAL_IN);
	nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, NFT_PRIO_RAW);
	nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, NF_ACCEPT);
	nftnl_chain_nlmsg_build_payload(batch_start(&nb, NFT_MSG_NEWCHAIN,
	    NLM_F_CREATE | NLM_F_EXCL), c);
	rc = batch_run(&nb, NULL);
out:
	nftnl_table_free(t);
	nftnl_chain_free(c);
	return rc;
}

static int
fw_nft_init(char *err, size_t len)
{
	if ((nl = mnl_socket_open(NETLINK_NETFILTER)) == NULL ||
	    mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) == -1) {
		snprintf(err, len, "netlink: %s", strerror(errno));
		if (nl != NULL)
			mnl_socket_close(nl);
		nl = NULL;
		return -1;
	}
	nl_seq = (uint32_t)getpid();
	snprintf(nft_table, sizeof(nft_table), "scamper_%ld", (long)getpid());
	if (make_table() == -1) {
		snprintf(err, len, "cannot create table inet %s: %s%s",
		    nft_table, strerror(errno), errno == EOPNOTSUPP ?
		    " (owned tables need Linux 5.12 or later)" : "");
		mnl_socket_close(nl);
		nl = NULL;
		return -1;
	}
	return 0;
}

/* Append expression NAME, set up by SET, to R. */
static int
add_expr(struct nftnl_rule *r, const char *name,
    void (*set)(struct nftnl_expr *, const void *, uint32_t, uint32_t),
    const void *data, uint32_t a, uint32_t b)
{
	struct nftnl_expr *e = nftnl_expr_alloc(name);

	if (e == NULL)
		return -1;
	set(e, data, a, b);
	nftnl_rule_add_expr(r, e);
	return 0;
}

/* meta KEY (A) into register 1 */
static void
set_meta(struct nftnl_expr *e, const void *d, uint32_t a, uint32_t b)
{
	(void)d;
	(void)b;
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, a);
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, NFT_REG_1);
}

/* B bytes at offset A of the header D points to (network/transport)
 * into register 1 */
static void
set_payload(struct nftnl_expr *e, const void *d, uint32_t a, uint32_t b)
{
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, *(const uint32_t *)d);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, a);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, b);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, NFT_REG_1);
}

/* register 1 equals the A bytes at D */
static void
set_cmp(struct nftnl_expr *e, const void *d, uint32_t a, uint32_t b)
{
	(void)b;
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, NFT_CMP_EQ);
	nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, d, a);
}

/* verdict drop */
static void
set_drop(struct nftnl_expr *e, const void *d, uint32_t a, uint32_t b)
{
	(void)d;
	(void)a;
	(void)b;
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, NF_DROP);
}

/* R matches replies to F's probe: from its remote address and port to
 * its local ones, then drops them. */
static int
rule_exprs(struct nftnl_rule *r, const struct priv_fw_rule *f)
{
	static const uint32_t nh = NFT_PAYLOAD_NETWORK_HEADER,
	    th = NFT_PAYLOAD_TRANSPORT_HEADER;
	int v4 = f->family == PRIV_AF_INET;
	uint8_t nfproto = v4 ? NFPROTO_IPV4 : NFPROTO_IPV6;
	uint8_t l4 = f->proto == PRIV_P_TCP ? IPPROTO_TCP : IPPROTO_UDP;
	uint32_t alen = v4 ? 4 : 16, soff = v4 ? 12 : 8, doff = v4 ? 16 : 24;
	uint16_t sport = htons(f->rport), dport = htons(f->lport);

	return (add_expr(r, "meta", set_meta, NULL, NFT_META_NFPROTO, 0) ||
	    add_expr(r, "cmp", set_cmp, &nfproto, 1, 0) ||
	    add_expr(r, "meta", set_meta, NULL, NFT_META_L4PROTO, 0) ||
	    add_expr(r, "cmp", set_cmp, &l4, 1, 0) ||
	    add_expr(r, "payload", set_payload, &nh, soff, alen) ||
	    add_expr(r, "cmp", set_cmp, f->raddr, alen, 0) ||
	    add_expr(r, "payload", set_payload, &nh, doff, alen) ||
	    add_expr(r, "cmp", set_cmp, f->laddr, alen, 0) ||
	    add_expr(r, "payload", set_payload, &th, 0, 2) ||
	    add_expr(r, "cmp", set_cmp, &sport, 2, 0) ||
	    add_expr(r, "payload", set_payload, &th, 2, 2) ||
	    add_expr(r, "cmp", set_cmp, &dport, 2, 0) ||
	    add_expr(r, "immediate", set_drop, NULL, 0, 0)) ? -1 : 0;
}

/* A rule of our chain, for adding or deleting. */
static struct nftnl_rule *
rule_new(void)
{
	struct nftnl_rule *r = nftnl_rule_alloc();

	if (r == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, NFPROTO_INET);
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, nft_table);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, NFT_CHAIN);
	return r;
}

static int
fw_nft_add(const struct priv_fw_rule *f, uint64_t *handle)
{
	struct nftnl_rule *r;
	struct nft_batch nb;
	int rc;

	*handle = 0;
	if (nl == NULL) {
		errno = EOPNOTSUPP;
		return -1;
	}
	if ((r = rule_new()) == NULL)
		return -1;
	if (rule_exprs(r, f) == -1) {
		nftnl_rule_free(r);
		errno = ENOMEM;
		return -1;
	}
	nftnl_rule_nlmsg_build_payload(batch_start(&nb, NFT_MSG_NEWRULE,
	    NLM_F_CREATE | NLM_F_APPEND | NLM_F_ECHO), r);
	nftnl_rule_free(r);
	if ((rc = batch_run(&nb, handle)) == 0 && *handle == 0) {
		log_warnx("nftables: no handle echoed for a new rule");
		errno = EIO;
		return -1;
	}
	return rc;
}

static int
fw_nft_del(uint64_t handle)
{
	struct nftnl_rule *r;
	struct nft_batch nb;

	if (nl == NULL)
		return 0;
	if ((r = rule_new()) == NULL)
		return -1;
	nftnl_rule_set_u64(r, NFTNL_RULE_HANDLE, handle);
	nftnl_rule_nlmsg_build_payload(batch_start(&nb, NFT_MSG_DELRULE, 0),
	    r);
	nftnl_rule_free(r);
	return batch_run(&nb, NULL);
}

/* Closing the socket that owns the table deletes it with its rules. */
static void
fw_nft_fini(void)
{
	if (nl == NULL)
		return;
	mnl_socket_close(nl);
	nl = NULL;
}

const struct fw_backend fw_backend = {
	"nftables", fw_nft_init, fw_nft_add, fw_nft_del, fw_nft_fini,
};
