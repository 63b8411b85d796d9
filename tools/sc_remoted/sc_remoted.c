/*
 * sc_remoted: the controller end of "scamper -R": accept connections
 * from remote scampers on -P [ip:]port (TLS with -c cert -p key), and
 * give each vantage point a unix socket in the -U directory that speaks
 * the control socket's attach mode (sc_attach -R).  Options as CAIDA's
 * sc_remoted 20211212; see sc_remoted(1).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl_proto.h"
#include "daemon.h"
#include "log.h"
#include "rd.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: sc_remoted [-?46D] [-O option] -P [ip:]port [-U dir] "
	    "[-M mux-socket]\n"
	    "                  [-c tls-cert -p tls-key [-C client-ca]] "
	    "[-e pidfile]\n"
	    "                  [-Z zombie-time]\n"
	    "     -4 only listen for connections over IPv4\n"
	    "     -6 only listen for connections over IPv6\n"
	    "     -D operate as a daemon\n"
	    "     -e write process ID to specified file\n"
	    "     -O options\n"
	    "        allowgroup: allow group access to sockets\n"
	    "        allowother: allow other access to sockets\n"
	    "        debug: print debugging messages\n"
	    "        select: use select\n"
	    "     -P [ip:]port to accept remote scamper connections\n"
	    "     -U directory for unix domain sockets\n"
	    "     -M one unix domain socket for every vantage point\n"
	    "     -c TLS certificate (PEM) to present to scampers\n"
	    "     -C CA file (PEM): scampers must present a certificate "
	    "from it\n"
	    "     -p TLS private key (PEM) of the certificate\n"
	    "     -Z seconds to retain state for a disconnected scamper "
	    "(default 900)\n");
}

static int
parse_opts(int argc, char **argv, struct rd_conf *c)
{
	uint32_t v;
	int ch;

	memset(c, 0, sizeof(*c));
	c->zombie_s = 15 * 60;
	while ((ch = getopt(argc, argv, "?46c:C:De:M:O:p:P:U:Z:")) != -1) {
		switch (ch) {
		case '4': c->v4only = 1; break;
		case '6': c->v6only = 1; break;
		case 'c': c->cert = optarg; break;
		case 'C': c->client_ca = optarg; break;
		case 'D': c->daemon = 1; break;
		case 'e': c->pidfile = optarg; break;
		case 'M': c->mux = optarg; break;
		case 'p': c->key = optarg; break;
		case 'P': c->listen = optarg; break;
		case 'U': c->dir = optarg; break;
		case 'O':
			if (strcmp(optarg, "allowgroup") == 0)
				c->allowgroup = 1;
			else if (strcmp(optarg, "allowother") == 0)
				c->allowother = 1;
			else if (strcmp(optarg, "debug") == 0)
				c->debug = 1;
			else if (strcmp(optarg, "select") == 0)
				c->loop = LOOP_SELECT;
			else
				return log_fail("-O %s: unknown option "
				    "(allowgroup, allowother, debug or select)",
				    optarg);
			break;
		case 'Z':
			if (ctl_uint(optarg, 1, 86400 * 7, &v) != 0)
				return log_fail("-Z %s: not a number of "
				    "seconds (1 to 604800)", optarg);
			c->zombie_s = v;
			break;
		default:
			usage(optopt == 0 || optopt == '?' ? stdout : stderr);
			exit(optopt == 0 || optopt == '?' ? 0 : 1);
		}
	}
	if (optind != argc)
		return log_fail("unexpected argument '%s'", argv[optind]);
	if (c->listen == NULL || (c->dir == NULL && c->mux == NULL))
		return log_fail("-P, and -U or -M, are required (see "
		    "sc_remoted -?)");
	if (c->v4only && c->v6only)
		return log_fail("-4 and -6 exclude each other");
	if ((c->cert == NULL) != (c->key == NULL))
		return log_fail("TLS needs both -c certificate and -p key");
	if (c->client_ca != NULL && c->cert == NULL)
		return log_fail("-C %s: client certificates need TLS (-c "
		    "and -p)", c->client_ca);
	return 0;
}

/* One listening socket on ADDR (NULL: any of FAMILY) and PORT.
 * Returns the descriptor or -1. */
static int
listen_on(int family, const char *addr, uint16_t port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t sl;
	int fd, one = 1;

	memset(&ss, 0, sizeof(ss));
	ss.ss_family = (sa_family_t)family;
	if (family == AF_INET) {
		sin->sin_port = htons(port);
		if (addr != NULL && inet_pton(AF_INET, addr,
		    &sin->sin_addr) != 1)
			return -1;
		sl = sizeof(*sin);
	} else {
		sin6->sin6_port = htons(port);
		sin6->sin6_addr = in6addr_any;
		if (addr != NULL && inet_pton(AF_INET6, addr,
		    &sin6->sin6_addr) != 1)
			return -1;
		sl = sizeof(*sin6);
	}
	if ((fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		return -1;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
		    sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) == -1 ||
	    listen(fd, 128) == -1) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* SS as "ip:port" ("ip6.port") in BUF, and its address alone in IP. */
static void
peer_name(const struct sockaddr_storage *ss, char *buf, size_t len,
    char ip[RD_IPLEN])
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s = (const void *)ss;
		inet_ntop(AF_INET, &s->sin_addr, ip, RD_IPLEN);
		snprintf(buf, len, "%s:%u", ip, ntohs(s->sin_port));
	} else {
		const struct sockaddr_in6 *s = (const void *)ss;
		inet_ntop(AF_INET6, &s->sin6_addr, ip, RD_IPLEN);
		/* IPv6: a dot before the port, as 20211212 */
		snprintf(buf, len, "%s.%u", ip, ntohs(s->sin6_port));
	}
}

static void
on_accept(struct loop_fd *lfd, int lfdnum, int events, void *arg)
{
	struct rd *rd = arg;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char peer[80], ip[RD_IPLEN];
	int fd, one = 1;

	(void)lfd;
	(void)events;
	if ((fd = accept4(lfdnum, (struct sockaddr *)&ss, &sl,
	    SOCK_NONBLOCK | SOCK_CLOEXEC)) == -1) {
		if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
			log_warn("accept");
		return;
	}
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
	    sizeof(one));
	peer_name(&ss, peer, sizeof(peer), ip);
	rd_conn_new(rd, fd, peer, ip);
}

/* The listeners of -P, -4 and -6.  Returns how many, or -1. */
static int
listen_all(const struct rd_conf *c, int *fds)
{
	const char *colon = strrchr(c->listen, ':');
	char addr[64];
	uint32_t port;
	int n = 0, fd;

	if (ctl_uint(colon != NULL ? colon + 1 : c->listen, 1, 65535,
	    &port) != 0)
		return log_fail("-P %s: invalid port", c->listen);
	if (colon != NULL) {
		size_t len = (size_t)(colon - c->listen);
		const char *a = c->listen;
		int fam;

		if (len >= 2 && a[0] == '[' && a[len - 1] == ']') {
			a++;
			len -= 2;
		}
		if (len == 0 || len >= sizeof(addr))
			return log_fail("-P %s: invalid address", c->listen);
		memcpy(addr, a, len);
		addr[len] = '\0';
		fam = strchr(addr, ':') != NULL ? AF_INET6 : AF_INET;
		if ((fds[0] = listen_on(fam, addr, (uint16_t)port)) == -1)
			return log_fail("-P %s: %s", c->listen, errno != 0 ?
			    strerror(errno) : "not an IP address");
		return 1;
	}
	if (!c->v6only) {
		if ((fd = listen_on(AF_INET, NULL, (uint16_t)port)) == -1)
			return log_fail("-P %s (IPv4): %s", c->listen,
			    strerror(errno));
		fds[n++] = fd;
	}
	if (!c->v4only) {
		if ((fd = listen_on(AF_INET6, NULL, (uint16_t)port)) != -1)
			fds[n++] = fd;
		else if (c->v6only)
			return log_fail("-P %s (IPv6): %s", c->listen,
			    strerror(errno));
	}
	return n;
}

static void
on_signal(int signo, void *arg)
{
	log_info("signal %d: exiting", signo);
	loop_stop(arg);
}

static int
run(const struct rd_conf *c)
{
	struct rd rd;
	struct stat st;
	char err[512];
	int fds[2], n, i, rc = 1;

	memset(&rd, 0, sizeof(rd));
	rd.c = c;
	TAILQ_INIT(&rd.vps);
	TAILQ_INIT(&rd.conns);
	if (c->dir != NULL && (stat(c->dir, &st) == -1 ||
	    !S_ISDIR(st.st_mode)))
		return log_fail("-U %s: %s", c->dir, errno != 0 && !S_ISDIR(
		    st.st_mode) ? strerror(errno) : "not a directory");
	if (c->cert != NULL && (rd.tls = tls_ctx_server(c->cert, c->key,
	    c->client_ca, err, sizeof(err))) == NULL)
		return log_fail("%s", err);
	if ((n = listen_all(c, fds)) <= 0)
		goto out;
	if ((rd.l = loop_new(c->loop)) == NULL) {
		log_fail("event loop: %s", strerror(errno));
		goto out;
	}
	if (c->mux != NULL && rd_mux_open(&rd) == -1)
		goto out;
	for (i = 0; i < n; i++)
		if (loop_fd_add(rd.l, fds[i], LOOP_READ, on_accept, &rd) ==
		    NULL) {
			log_fail("event loop: %s", strerror(errno));
			goto out;
		}
	signal(SIGPIPE, SIG_IGN);
	loop_signal(rd.l, SIGINT, on_signal, rd.l);
	loop_signal(rd.l, SIGTERM, on_signal, rd.l);
	if (c->daemon) {
		if (daemon_detach() == -1) {
			log_fail("-D: %s", strerror(errno));
			goto out;
		}
		log_stderr_off();
	}
	if (c->pidfile != NULL &&
	    daemon_pidfile_write(c->pidfile, getpid()) == -1) {
		log_fail("-e %s: %s", c->pidfile, strerror(errno));
		goto out;
	}
	log_info("listening on %s%s, sockets in %s%s%s", c->listen,
	    rd.tls != NULL ? " with TLS" : "", c->dir != NULL ? c->dir : "-",
	    c->mux != NULL ? ", multiplexed socket " : "",
	    c->mux != NULL ? c->mux : "");
	rc = loop_run(rd.l) == -1 ? 1 : 0;
	if (c->pidfile != NULL)
		unlink(c->pidfile);
out:
	rd_free_all(&rd);
	rd_mux_close(&rd);
	if (rd.l != NULL)
		loop_free(rd.l);
	if (rd.tls != NULL)
		tls_ctx_free(rd.tls);
	for (i = 0; i < n; i++)
		close(fds[i]);
	return rc;
}

int
main(int argc, char **argv)
{
	struct rd_conf c;

	log_init("sc_remoted");
	if (parse_opts(argc, argv, &c) == -1)
		return 1;
	log_set_verbosity(c.debug ? 2 : 1);
	return run(&c);
}
