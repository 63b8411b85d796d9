/*
 * sc_attach: feed the commands of a file to a running scamper over its
 * control socket (-p [ip:]port or -U path) in attach mode and write the
 * results: a warts file (the DATA payloads decoded and concatenated), or
 * with -j the JSON objects one per line.  Options as CAIDA's sc_attach.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "ctl_proto.h"
#include "log.h"
#include "mem.h"

#define DATA_MAX	(64 * 1024 * 1024)	/* one payload, encoded */

struct opts {
	const char	*command;	/* -c */
	const char	*infile;	/* -i */
	const char	*outfile;	/* -o */
	const char	*port;		/* -p */
	const char	*unix_path;	/* -U, or -R's socket */
	int		 remote;	/* -R: an sc_remoted socket */
	unsigned	 priority;	/* -P, 0 = not given */
	int		 debug;		/* -d */
	int		 daemon;	/* -D */
	int		 json;		/* -j */
	int		 random;	/* -O random */
	int		 impatient;	/* -O impatient */
};

struct state {
	char		**cmds;
	size_t		 ncmds, next;
	int		 done_sent;
	int		 fd;
	FILE		*out;
	char		*wbuf;		/* to scamper */
	size_t		 wlen, wcap;
	struct ctl_linebuf lb;
	char		*data;		/* a DATA payload being read */
	size_t		 dlen, dhave;
	uint8_t		*raw;
	int		 attached, failed;
	unsigned long	 results, errors;
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: sc_attach [-?dDjv] [-c command] [-i infile] [-o outfile]\n"
	    "                 [-O options] [-p [ip:]port] [-P priority]\n"
	    "                 [-R unix | -U unix]\n\n"
	    "     -? give an overview of the usage of sc_attach\n"
	    "     -d output debugging information to stderr\n"
	    "     -D operate as a daemon\n"
	    "     -j write results as JSON lines instead of warts\n"
	    "     -v give the version string of sc_attach\n"
	    "     -c command to use with addresses in input file\n"
	    "     -i input file ('-' for stdin)\n"
	    "     -o output file ('-' for stdout)\n"
	    "     -O options\n"
	    "        random: send commands in random order\n"
	    "        impatient: send commands in bulk\n"
	    "     -p [ip:]port to find scamper on\n"
	    "     -P priority\n"
	    "     -R unix domain socket of a remote scamper (sc_remoted)\n"
	    "     -U unix domain socket for local scamper\n");
}

static int
parse_opts(int argc, char **argv, struct opts *o)
{
	int c;
	uint32_t v;

	memset(o, 0, sizeof(*o));
	while ((c = getopt(argc, argv, "?c:dDi:jo:O:p:P:R:U:v")) != -1) {
		switch (c) {
		case 'c': o->command = optarg; break;
		case 'd': o->debug = 1; break;
		case 'D': o->daemon = 1; break;
		case 'i': o->infile = optarg; break;
		case 'j': o->json = 1; break;
		case 'o': o->outfile = optarg; break;
		case 'p': o->port = optarg; break;
		case 'U':
			if (o->remote)
				return log_fail("give one of -R and -U");
			o->unix_path = optarg;
			break;
		case 'O':
			if (strcmp(optarg, "random") == 0)
				o->random = 1;
			else if (strcmp(optarg, "impatient") == 0)
				o->impatient = 1;
			else
				return log_fail("-O %s: unknown option "
				    "(random or impatient)", optarg);
			break;
		case 'P':
			if (ctl_uint(optarg, 1, 100000, &v) != 0)
				return log_fail("-P %s: not a priority (1 to "
				    "100000)", optarg);
			o->priority = v;
			break;
		case 'R':
			/* sc_remoted's socket: already attached */
			if (o->unix_path != NULL && !o->remote)
				return log_fail("give one of -R and -U");
			o->unix_path = optarg;
			o->remote = 1;
			break;
		case 'v':
			printf("sc_attach version %s\n", SCAMPER_VERSION);
			exit(0);
		case '?':
		default:
			usage(optopt == 0 || optopt == '?' ? stdout : stderr);
			exit(optopt == 0 || optopt == '?' ? 0 : 1);
		}
	}
	if (optind != argc)
		return log_fail("unexpected argument '%s'", argv[optind]);
	if (o->infile == NULL || o->outfile == NULL)
		return log_fail("-i and -o are required (see sc_attach -?)");
	if ((o->port == NULL) == (o->unix_path == NULL))
		return log_fail("give one of -p [ip:]port, -U path and -R "
		    "path");
	if (o->remote && (o->json || o->priority > 0))
		return log_fail("%s: a remote scamper's socket is attached "
		    "already (warts, priority 1)", o->json ? "-j" : "-P");
	return 0;
}

/* ---- input -------------------------------------------------------------- */

static int
read_cmds(const struct opts *o, struct state *st)
{
	FILE *f = strcmp(o->infile, "-") == 0 ? stdin :
	    fopen(o->infile, "r");
	char line[CTL_LINEMAX + 2];
	unsigned long n = 0;

	if (f == NULL)
		return log_fail("-i %s: %s", o->infile, strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL) {
		size_t len = strlen(line);
		char *p = line, *c, **v;

		n++;
		if (len > 0 && line[len - 1] != '\n' && !feof(f))
			return log_fail("%s:%lu: line too long", o->infile, n);
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r' || line[len - 1] == ' '))
			line[--len] = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#')
			continue;
		if (o->command != NULL) {
			size_t cl = strlen(o->command) + strlen(p) + 2;
			if ((c = malloc(cl)) != NULL)
				snprintf(c, cl, "%s %s", o->command, p);
		} else
			c = strdup(p);
		v = realloc(st->cmds, (st->ncmds + 1) * sizeof(*v));
		if (c == NULL || v == NULL)
			return log_fail("out of memory");
		st->cmds = v;
		st->cmds[st->ncmds++] = c;
	}
	if (f != stdin)
		fclose(f);
	if (o->random) {
		srandom((unsigned)time(NULL) ^ (unsigned)getpid());
		for (size_t i = st->ncmds; i > 1; i--) {
			size_t j = (size_t)random() % i;
			char *t = st->cmds[i - 1];
			st->cmds[i - 1] = st->cmds[j];
			st->cmds[j] = t;
		}
	}
	return 0;
}

/* ---- connection --------------------------------------------------------- */

static int
connect_to(const struct opts *o)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd;

	memset(&ss, 0, sizeof(ss));
	if (o->unix_path != NULL) {
		struct sockaddr_un *sun = (struct sockaddr_un *)&ss;
		if (strlen(o->unix_path) >= sizeof(sun->sun_path))
			return log_fail("-U %s: path too long", o->unix_path);
		sun->sun_family = AF_UNIX;
		memcpy(sun->sun_path, o->unix_path, strlen(o->unix_path));
		sl = sizeof(*sun);
	} else {
		char addr[64] = "127.0.0.1";
		const char *p = strrchr(o->port, ':');
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
		uint32_t port;

		if (p != NULL) {
			size_t n = (size_t)(p - o->port);
			if (n == 0 || n >= sizeof(addr))
				return log_fail("-p %s: bad address", o->port);
			memcpy(addr, o->port, n);
			addr[n] = '\0';
			p++;
		} else
			p = o->port;
		if (ctl_uint(p, 1, 65535, &port) != 0)
			return log_fail("-p %s: bad port", o->port);
		if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
			sin->sin_family = AF_INET;
			sin->sin_port = htons((uint16_t)port);
			sl = sizeof(*sin);
		} else if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
			sin6->sin6_family = AF_INET6;
			sin6->sin6_port = htons((uint16_t)port);
			sl = sizeof(*sin6);
		} else
			return log_fail("-p %s: bad address", o->port);
	}
	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return log_fail("socket: %s", strerror(errno));
	if (connect(fd, (struct sockaddr *)&ss, sl) == -1) {
		log_fail("connecting to %s: %s", o->unix_path != NULL ?
		    o->unix_path : o->port, strerror(errno));
		close(fd);
		return -1;
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1) {
		close(fd);
		return log_fail("fcntl: %s", strerror(errno));
	}
	return fd;
}

static int
send_line(struct state *st, const char *s)
{
	size_t n = strlen(s) + 1;

	if (mem_grow(&st->wbuf, &st->wcap, st->wlen + n, 1, 4096) != 0)
		return log_fail("out of memory");
	memcpy(st->wbuf + st->wlen, s, n - 1);
	st->wbuf[st->wlen + n - 1] = '\n';
	st->wlen += n;
	return 0;
}

/* Send the next command, or "done" when none is left. */
static int
send_next(const struct opts *o, struct state *st)
{
	if (st->next < st->ncmds) {
		const char *c = st->cmds[st->next++];
		if (o->debug)
			fprintf(stderr, "%ld: %s\n", (long)time(NULL), c);
		return send_line(st, c);
	}
	if (!st->done_sent) {
		st->done_sent = 1;
		return send_line(st, "done");
	}
	return 0;
}

/* A complete DATA payload. */
static int
payload(const struct opts *o, struct state *st)
{
	long n;

	st->results++;
	if (o->json)
		return fwrite(st->data, 1, st->dlen, st->out) == st->dlen ? 0 :
		    log_fail("writing %s: %s", o->outfile, strerror(errno));
	if ((n = ctl_uudecode(st->data, st->dlen, st->raw, st->dlen)) < 0)
		return log_fail("malformed DATA payload from scamper");
	if (fwrite(st->raw, 1, (size_t)n, st->out) != (size_t)n)
		return log_fail("writing %s: %s", o->outfile, strerror(errno));
	return 0;
}

static int
on_line(const struct opts *o, struct state *st, const char *line)
{
	unsigned long n;
	char *end;

	if (strncmp(line, "DATA ", 5) == 0) {
		n = strtoul(line + 5, &end, 10);
		if (*end != '\0' || n == 0 || n > DATA_MAX)
			return log_fail("bad line from scamper: %s", line);
		if ((st->data = malloc(n)) == NULL ||
		    (st->raw = malloc(n)) == NULL)
			return log_fail("out of memory");
		st->dlen = n;
		st->dhave = 0;
	} else if (strcmp(line, "MORE") == 0) {
		if (!o->impatient)
			return send_next(o, st);
	} else if (strcmp(line, "OK") == 0) {
		if (!st->attached) {
			st->attached = 1;
			if (o->impatient)
				while (!st->done_sent)
					if (send_next(o, st) == -1)
						return -1;
		}
	} else if (strncmp(line, "OK id-", 6) == 0 ||
	    strncmp(line, "OK halted", 9) == 0) {
		/* accepted */
	} else if (strncmp(line, "ERR", 3) == 0) {
		st->errors++;
		fprintf(stderr, "sc_attach: scamper: %s\n", line);
		if (!st->attached)
			return -1;
		/* a refused command earns no MORE: go on with the next */
		if (!o->impatient)
			return send_next(o, st);
	} else if (o->debug)
		fprintf(stderr, "sc_attach: unexpected line: %s\n", line);
	return 0;
}

/* Take what arrived in the line buffer: lines, and DATA payload bytes
 * (which are not lines: they are taken by count). */
static int
on_input(const struct opts *o, struct state *st)
{
	enum ctl_lb_rc rc;
	char *line;
	int prc;

	for (;;) {
		if (st->data != NULL) {
			size_t have = ctl_lb_pending(&st->lb), need =
			    st->dlen - st->dhave, take = have < need ? have :
			    need;
			memcpy(st->data + st->dhave, st->lb.buf + st->lb.off,
			    take);
			st->lb.off += take;
			st->dhave += take;
			if (st->dhave < st->dlen)
				return 0;
			prc = payload(o, st);
			free(st->data);
			free(st->raw);
			st->data = NULL;
			st->raw = NULL;
			if (prc == -1)
				return -1;
			continue;
		}
		rc = ctl_lb_next(&st->lb, &line);
		if (rc == CTL_LB_NONE)
			return 0;
		if (rc != CTL_LB_LINE)
			return log_fail("bad line from scamper");
		if (on_line(o, st, line) == -1)
			return -1;
	}
}

static int
run(const struct opts *o, struct state *st)
{
	struct pollfd pfd;
	size_t room;
	ssize_t n;
	char *p;

	char a[64];
	int al = snprintf(a, sizeof(a), "attach%s", o->json ?
	    " format json" : "");

	if (o->priority > 0)
		snprintf(a + al, sizeof(a) - (size_t)al, " priority %u",
		    o->priority);
	if (o->remote) {
		/* no "attach" and no "OK": MORE asks for the first command */
		st->attached = 1;
		if (o->impatient)
			while (!st->done_sent)
				if (send_next(o, st) == -1)
					return -1;
	} else if (send_line(st, a) == -1)
		return -1;
	for (;;) {
		pfd.fd = st->fd;
		pfd.events = POLLIN | (st->wlen > 0 ? POLLOUT : 0);
		if (poll(&pfd, 1, -1) == -1) {
			if (errno == EINTR)
				continue;
			return log_fail("poll: %s", strerror(errno));
		}
		if ((pfd.revents & POLLOUT) && st->wlen > 0) {
			n = write(st->fd, st->wbuf, st->wlen);
			if (n == -1 && errno != EAGAIN && errno != EINTR)
				return log_fail("writing to scamper: %s",
				    strerror(errno));
			if (n > 0) {
				memmove(st->wbuf, st->wbuf + n,
				    st->wlen - (size_t)n);
				st->wlen -= (size_t)n;
			}
		}
		if (!(pfd.revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		p = ctl_lb_space(&st->lb, &room);
		n = read(st->fd, p, room);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0) {
			if (n == -1)
				return log_fail("reading from scamper: %s",
				    strerror(errno));
			if (st->data != NULL || !st->done_sent)
				return log_fail("scamper closed the connection "
				    "early");
			return 0;
		}
		ctl_lb_commit(&st->lb, (size_t)n);
		if (on_input(o, st) == -1)
			return -1;
	}
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct state st;
	int rc;

	memset(&st, 0, sizeof(st));
	ctl_lb_init(&st.lb);
	log_init("sc_attach");
	signal(SIGPIPE, SIG_IGN);
	if (parse_opts(argc, argv, &o) == -1 || read_cmds(&o, &st) == -1)
		return 1;
	if (strcmp(o.outfile, "-") == 0)
		st.out = stdout;
	else if ((st.out = fopen(o.outfile, "w")) == NULL) {
		log_fail("-o %s: %s", o.outfile, strerror(errno));
		return 1;
	}
	if ((st.fd = connect_to(&o)) == -1)
		return 1;
	if (o.daemon && daemon(1, 0) == -1) {
		log_fail("-D: %s", strerror(errno));
		return 1;
	}
	rc = run(&o, &st);
	if (fflush(st.out) != 0 || (st.out != stdout && fclose(st.out) != 0))
		rc = log_fail("writing %s: %s", o.outfile, strerror(errno));
	close(st.fd);
	if (o.debug)
		fprintf(stderr, "sc_attach: %zu commands sent, %lu payloads, "
		    "%lu errors\n", st.next, st.results, st.errors);
	for (size_t i = 0; i < st.ncmds; i++)
		free(st.cmds[i]);
	free(st.cmds);
	free(st.wbuf);
	free(st.data);
	free(st.raw);
	return rc == 0 ? 0 : 1;
}
