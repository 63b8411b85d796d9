/*
 * main.c: scamper's entry point: parse the command line, set up the
 * process (debug file, event loop, signals, daemon, pid file) and run the
 * loop until the work is done or a signal asks us to stop: measurements
 * from the command line (measure.h), a control socket (ctl.h) or a
 * remote controller (-R, remote.h: the control socket's attach mode over
 * channels of one outgoing connection).
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "daemon.h"
#include "dns.h"
#include "iftab.h"
#include "ndcache.h"
#include "log.h"
#include "loop.h"
#include "measure.h"
#include "methods.h"
#include "netio.h"
#include "opts.h"
#include "priv_fwlease.h"
#include "priv_start.h"
#include "remote.h"

static void
on_stop_signal(int signo, void *arg)
{
	log_info("signal %d: stopping", signo);
	loop_stop(arg);
}

/* Nonzero if the work O asks for sends or receives probes, which needs
 * raw sockets from scamper-helper.  Work on files alone does not. */
static int
needs_privilege(const struct opts *o)
{
	return o->input != INPUT_NONE;
}

/* The prober's link to scamper-helper, watched by the loop. */
struct prober_priv {
	struct loop		*l;
	struct priv_client	*pc;	/* NULL: no privilege was needed */
	struct loop_fd		*lfd;	/* watching its socket */
	struct netio_fds	 fds;	/* raw sockets from the helper */
	int			 want_fds;
	netio_lost_fn		*lost;	/* told if the helper goes away */
	void			*lost_arg;
	uint32_t		 fw_max;	/* -F's bound, 0 = none */
	uint32_t		 fw_held;	/* leases now */
};

/* The raw sockets measurements use, asked of the helper before the
 * privilege drop (priv_drop's step 1).  Returns 0 or -1. */
static int
open_sockets(struct priv_client *pc, void *arg)
{
	struct prober_priv *pp = arg;
	struct netio_fds *f = &pp->fds;
	static const struct {
		uint8_t family, proto;
		const char *what;
	} want[] = {
		{ PRIV_AF_INET, PRIV_P_RAW, "IPv4 raw" },
		{ PRIV_AF_INET, PRIV_P_ICMP, "ICMP" },
		{ PRIV_AF_INET, PRIV_P_TCP, "IPv4 TCP" },
		{ PRIV_AF_INET6, PRIV_P_RAW, "IPv6 raw" },
		{ PRIV_AF_INET6, PRIV_P_ICMP6, "ICMPv6" },
		{ PRIV_AF_INET6, PRIV_P_TCP, "IPv6 TCP" },
	};
	int *slot[] = { &f->send4, &f->icmp4, &f->tcp4, &f->send6,
	    &f->icmp6, &f->tcp6 };

	if (!pp->want_fds)
		return 0;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if ((*slot[i] = priv_open_raw_sync(pc, want[i].family,
		    want[i].proto)) == -1) {
			log_warn("scamper-helper: %s socket", want[i].what);
			return -1;
		}
	return 0;
}

/* The helper's replies to asynchronous requests arrive here. */
static void
on_helper(struct loop_fd *lfd, int fd, int events, void *arg)
{
	struct prober_priv *pp = arg;

	(void)lfd;
	(void)fd;
	(void)events;
	if (priv_client_read(pp->pc) == -1) {
		/* its socket stays readable (EOF): stop watching it */
		loop_fd_del(pp->l, pp->lfd);
		pp->lfd = NULL;
		if (pp->lost != NULL) {
			pp->lost(pp->lost_arg);
			return;
		}
		log_warnx("scamper-helper has gone away; stopping");
		loop_stop(pp->l);
	}
}

/* netio_fds.on_lost: whoever probes with the helper's sockets hears of
 * its loss through CB(ARG). */
static void
on_lost(void *ctx, netio_lost_fn *cb, void *arg)
{
	struct prober_priv *pp = ctx;

	pp->lost = cb;
	pp->lost_arg = arg;
}

/* The file server's replies (files for the control socket) arrive
 * here.  If it has gone, pending and later file requests fail with a
 * reason; probing goes on. */
static void
on_files(struct loop_fd *lfd, int fd, int events, void *arg)
{
	struct prober_priv *pp = arg;

	(void)fd;
	(void)events;
	if (priv_client_read(priv_file_client()) == -1) {
		log_warnx("the file server has gone away; no more files can "
		    "be opened");
		loop_fd_del(pp->l, lfd);
	}
}

/* If the work needs privilege, reach scamper-helper: as root by starting
 * it, else through the service socket or a helper with file
 * capabilities.  Done before -D detaches, so a failure naming the three
 * ways reaches the terminal.  PP->pc stays NULL if no privilege is
 * needed.  Returns 0 or -1, with the reason reported. */
static int
prober_helper(const struct opts *o, struct prober_priv *pp)
{
	enum priv_mode mode;
	char err[1024];

	pp->pc = NULL;
	if (!needs_privilege(o))
		return 0;
	if ((pp->pc = priv_start(&mode, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		return -1;
	}
	log_debug("scamper-helper pid %ld, %s mode",
	    (long)priv_client_helper_pid(pp->pc), priv_mode_name(mode));
	return 0;
}

/* A datalink socket on IFINDEX from the helper (netio_fds.dl_open):
 * measurements ask for one when they first need it (trace -r, -O dl). */
static int
open_dl(void *ctx, uint32_t ifindex, netio_dl_done *done, void *arg)
{
	struct prober_priv *pp = ctx;

	return priv_open_dl(pp->pc, ifindex, done, arg);
}

/* What the prober takes from the system while /proc can still be read:
 * the interfaces (libdnet) and, unless -O noinitndc, the neighbour
 * tables (libdnet's ARP table, IPv6 neighbours by netlink). */
static void
snapshot_system(const struct opts *o)
{
	int n;

	if (iftab_snapshot() == -1)
		log_debug("interfaces: libdnet listed none (%s); asking the "
		    "kernel when needed", strerror(errno));
	if (o->oflags & OPT_O_NOINITNDC)
		return;
	if ((n = ndcache_init()) == -1)
		log_debug("neighbour cache: the system's tables could not be "
		    "read (%s)", strerror(errno));
	else
		log_debug("neighbour cache: %d entries from the system", n);
}

/* A firewall lease for a measurement (netio_fds.fw_lease, -F). */
static void *
fw_lease(void *ctx, const struct netio_fw_rule *r, netio_fw_done *done,
    void *arg)
{
	struct prober_priv *pp = ctx;
	struct priv_fw_rule fr;
	struct priv_fwlease *l;

	if (pp->fw_max != 0 && pp->fw_held >= pp->fw_max) {
		errno = ENOSPC;	/* the -F range or pf NUM is used up */
		return NULL;
	}
	memset(&fr, 0, sizeof(fr));
	fr.family = r->af == AF_INET ? PRIV_AF_INET : PRIV_AF_INET6;
	fr.proto = PRIV_P_TCP;
	memcpy(fr.laddr, r->src, sizeof(fr.laddr));
	memcpy(fr.raddr, r->dst, sizeof(fr.raddr));
	fr.lport = r->sport;
	fr.rport = r->dport;
	if ((l = priv_fwlease_new(pp->pc, &fr, done, arg)) == NULL)
		return NULL;
	pp->fw_held++;
	return l;
}

static void
fw_release(void *ctx, void *lease)
{
	struct prober_priv *pp = ctx;

	priv_fwlease_release(lease);
	pp->fw_held--;
}

/* -F: measurements may lease firewall rules, if the helper has a
 * firewall.  Returns 0 or -1 (reported). */
static int
prober_fw(const struct opts *o, struct prober_priv *pp)
{
	if (o->firewall == NULL || pp->pc == NULL)
		return 0;
	if (!priv_client_has_fw(pp->pc)) {
		log_warnx("-F %s: scamper-helper has no firewall (its log says "
		    "why: e.g. a kernel without nftables table ownership, "
		    "Linux 5.12, or no CAP_NET_ADMIN)", o->firewall);
		return -1;
	}
	pp->fw_max = o->fw_max;
	pp->fds.fw_lease = fw_lease;
	pp->fds.fw_release = fw_release;
	pp->fds.fw_ctx = pp;
	return 0;
}

/* How probes leave (netio_fds.send_packet), from -O and -p (opts.h). */
static int
send_path(const struct opts *o)
{
	switch (opts_send_path(o)) {
	case OPTS_SEND_RING:
		log_debug("probes leave on packet sockets by transmit rings");
		return NETIO_PKT_RING;
	case OPTS_SEND_MMSG:
		log_debug("probes leave on packet sockets by sendmmsg");
		return NETIO_PKT_MMSG;
	case OPTS_SEND_RAW:
		break;
	}
	return NETIO_PKT_NONE;
}

/* How replies come (netio_fds.recv_packet), from -O and -p: the tiny
 * rings below OPTS_RXTINY_PPS, the small ones below OPTS_RXSMALL_PPS
 * (opts.h). */
static int
recv_path(const struct opts *o)
{
	if ((o->oflags & OPT_O_PKTRECV) == 0)
		return NETIO_RX_NONE;
	if (o->pps < OPTS_RXTINY_PPS)
		return NETIO_RX_TINY;
	return o->pps < OPTS_RXSMALL_PPS ? NETIO_RX_SMALL : NETIO_RX_LARGE;
}

/* Drop privilege for good (user, chroot, sandbox; see priv_drop), after
 * detaching and writing the pid file, before any input is read, and
 * watch the helper's socket for replies.  FILES: the control socket will
 * open files (the file server is started); SEND_PACKET: probes go out on
 * packet sockets (NETIO_PKT_RING or _MMSG: send_path);
 * RECV_PACKET: replies come through receive rings (-O pktrecv:
 * NETIO_RX_TINY, _SMALL or _LARGE, recv_path).
 * Returns 0 or -1. */
static int
prober_drop(struct prober_priv *pp, int files, int send_packet,
    int recv_packet)
{
	struct priv_drop_conf dc;
	char err[1024];

	if (pp->pc == NULL)
		return 0;
	memset(&dc, 0, sizeof(dc));
	dc.pc = pp->pc;
	dc.files = files;
	dc.open = open_sockets;
	dc.open_arg = pp;
	if (priv_drop(&dc, err, sizeof(err)) == -1) {
		log_warnx("dropping privilege: %s", err);
		return -1;
	}
	if ((pp->lfd = loop_fd_add(pp->l, priv_client_sock(pp->pc), LOOP_READ,
	    on_helper, pp)) == NULL || (priv_file_client() != NULL &&
	    loop_fd_add(pp->l, priv_client_sock(priv_file_client()),
	    LOOP_READ, on_files, pp) == NULL)) {
		log_warn("watching the helper's socket");
		return -1;
	}
	pp->fds.dl_open = open_dl;
	pp->fds.dl_ctx = pp;
	pp->fds.on_lost = on_lost;
	pp->fds.send_packet = send_packet;
	pp->fds.recv_packet = recv_packet;
	return 0;
}

static void
close_fds(struct netio_fds *f)
{
	int fds[] = { f->send4, f->icmp4, f->tcp4, f->send6, f->icmp6,
	    f->tcp6 };

	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fds[i] != -1)
			close(fds[i]);
	netio_fds_init(f);
}

/* Set up the process per O and run the event loop.  Returns the exit
 * status. */
static int
prober_run(const struct opts *o)
{
	struct prober_priv pp;
	struct measure *m = NULL;
	struct ctl *ctl = NULL;
	struct loop *l = NULL;
	int rc = 1, pidfd = -1;

	memset(&pp, 0, sizeof(pp));
	netio_fds_init(&pp.fds);
	/* files and listening sockets are opened now: after the drop there
	 * may be no file system */
	if (measure_needs_sockets(o)) {
		if ((m = measure_prepare(o, prober_methods)) == NULL)
			return 1;
		pp.want_fds = 1;
	} else if (o->input == INPUT_CTL_INET || o->input == INPUT_CTL_UNIX ||
	    o->input == INPUT_REMOTE) {
		if ((ctl = ctl_prepare(o, prober_methods)) == NULL)
			return 1;
		pp.want_fds = 1;
		/* -R: the name is resolved and the TLS files are read now */
		if (o->input == INPUT_REMOTE) {
			struct remote *r = remote_prepare(o);

			if (r == NULL) {
				ctl_free(ctl);
				return 1;
			}
			ctl_set_remote(ctl, r);
		}
	}

	if (o->debugfile != NULL && log_open_debugfile(o->debugfile,
	    (o->oflags & OPT_O_DEBUGAPPEND) != 0) == -1) {
		log_warn("-d %s", o->debugfile);
		return 1;
	}
	if ((l = loop_new(o->loop)) == NULL) {
		log_warn("event loop %s", loop_kind_name(o->loop));
		goto out;
	}
	if (loop_signal(l, SIGINT, on_stop_signal, l) == -1 ||
	    loop_signal(l, SIGTERM, on_stop_signal, l) == -1) {
		log_warn("signal handlers");
		goto out;
	}
	signal(SIGPIPE, SIG_IGN);
	pp.l = l;
	if (prober_helper(o, &pp) == -1)
		goto out;
	if (o->daemon) {
		if (daemon_detach() == -1) {
			log_warn("-D");
			goto out;
		}
		log_stderr_off();
	}
	if (o->pidfile != NULL &&
	    (pidfd = daemon_pidfile_open(o->pidfile, getpid())) == -1) {
		log_warn("-e %s", o->pidfile);
		goto out;
	}
	dns_setup(l);	/* trace -O ptr: resolv.conf, while files can be read */
	if (needs_privilege(o))
		snapshot_system(o);
	/* files: only a control socket's commands name them (not -R's) */
	if (prober_drop(&pp, o->input == INPUT_CTL_INET ||
	    o->input == INPUT_CTL_UNIX, send_path(o), recv_path(o)) == -1 || prober_fw(o, &pp) == -1)
		goto out;
	log_debug("scamper %s running, event loop %s", SCAMPER_VERSION,
	    loop_kind_name(loop_kind(l)));
	if (m != NULL) {
		rc = measure_run(m, l, &pp.fds);	/* consumes both */
		m = NULL;
		netio_fds_init(&pp.fds);
		goto out;
	}
	if (ctl != NULL) {
		/* after the drop no file can be opened (chroot, sandbox) */
		rc = ctl_run(ctl, l, &pp.fds, pp.pc != NULL);
		ctl = NULL;
		netio_fds_init(&pp.fds);
		goto out;
	}
	if (loop_run(l) == -1) {
		log_warn("event loop");
		goto out;
	}
	rc = 0;
out:
	if (o->pidfile != NULL)
		daemon_pidfile_remove(o->pidfile, pidfd);
	measure_free(m);
	ctl_free(ctl);
	close_fds(&pp.fds);
	loop_free(l);
	priv_client_free(pp.pc);
	log_close_debugfile();
	return rc;
}

int
main(int argc, char **argv)
{
	struct opts o;
	char err[512];
	int rc;

	log_init("scamper");
	memset(&o, 0, sizeof(o));
	if (opts_parse(argc, argv, &o, err, sizeof(err)) == -1 ||
	    (!o.help && !o.version &&
	    (opts_check(&o, err, sizeof(err)) == -1 ||
	    opts_check_implemented(&o, err, sizeof(err)) == -1))) {
		fprintf(stderr, "scamper: %s\n", err);
		opts_free(&o);
		return 1;
	}
	if (o.version) {
		printf("scamper version %s\n", SCAMPER_VERSION);
		rc = 0;
	} else if (o.help) {
		opts_usage(stdout);
		rc = 0;
	} else
		rc = prober_run(&o);
	opts_free(&o);
	return rc;
}
