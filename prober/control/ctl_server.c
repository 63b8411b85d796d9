/*
 * ctl_server.c: the control socket's listeners, clients, buffered I/O
 * and shutdown (see ctl.h).  Commands are in ctl_cmds.c and
 * ctl_attach.c.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "ctl_int.h"
#include "log.h"
#include "mem.h"
#include "remote.h"

#define EXIT_DRAIN_MS	5000	/* at most this long to flush clients */

static void client_free(struct ctl_client *cl);
static void on_client(struct loop_fd *lfd, int fd, int events, void *arg);
static void on_hello(void *arg);

/* ---- listening sockets (before the privilege drop) ------------------ */

static int
listen_tcp(const struct opts *o)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	const char *a = o->ctl_addr[0] != '\0' ? o->ctl_addr : "127.0.0.1";
	socklen_t sl;
	int fd, one = 1;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, a, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(o->ctl_port);
		sl = sizeof(*sin);
	} else if (inet_pton(AF_INET6, a, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(o->ctl_port);
		sl = sizeof(*sin6);
	} else {
		log_warnx("-P %s:%u: not an IP address", a, o->ctl_port);
		return -1;
	}
	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1) {
		log_warn("-P: socket");
		return -1;
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss.ss_family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
		    sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) == -1 ||
	    listen(fd, 128) == -1) {
		log_warn("-P %s:%u", a, o->ctl_port);
		close(fd);
		return -1;
	}
	return fd;
}

/* Remove PATH if it is a unix socket nobody listens on (left by a scamper
 * that could not unlink it from its sandbox).  Returns 0, or -1 if PATH
 * is something else or in use. */
static int
unix_stale(const char *path, const struct sockaddr_un *sun)
{
	struct stat st;
	int fd, rc;

	if (lstat(path, &st) == -1)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode)) {
		errno = EEXIST;
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	rc = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	close(fd);
	if (rc == 0) {
		errno = EADDRINUSE;
		return -1;
	}
	return unlink(path);
}

static int
listen_unix(const char *path)
{
	struct sockaddr_un sun;
	mode_t old;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		log_warnx("-U %s: path too long (at most %zu bytes)", path,
		    sizeof(sun.sun_path) - 1);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path));
	if (unix_stale(path, &sun) == -1) {
		log_warn("-U %s", path);
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1) {
		log_warn("-U: socket");
		return -1;
	}
	old = umask(0077);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		log_warn("-U %s", path);
		umask(old);
		close(fd);
		return -1;
	}
	umask(old);
	if (chmod(path, 0600) == -1 || listen(fd, 128) == -1) {
		log_warn("-U %s", path);
		close(fd);
		unlink(path);
		return -1;
	}
	return fd;
}

static struct ctl_outfile *
outfile_new(const char *alias, const char *path, struct output *out)
{
	struct ctl_outfile *of = calloc(1, sizeof(*of));

	if (of == NULL || (of->alias = strdup(alias)) == NULL ||
	    (of->path = strdup(path)) == NULL) {
		if (of != NULL)
			free(of->alias);
		free(of);
		return NULL;
	}
	of->out = out;
	of->refcnt = 1;
	return of;
}

struct ctl *
ctl_prepare(const struct opts *o, const struct method *const *methods)
{
	struct ctl *ctl = calloc(1, sizeof(*ctl));
	struct ctl_outfile *of;
	struct output *out;

	if (ctl == NULL) {
		log_warn("control socket");
		return NULL;
	}
	ctl->o = o;
	ctl->methods = methods;
	ctl->lfd[0] = ctl->lfd[1] = -1;
	TAILQ_INIT(&ctl->clients);
	TAILQ_INIT(&ctl->outfiles);
	TAILQ_INIT(&ctl->fsrcs);
	TAILQ_INIT(&ctl->fileops);
	if (o->input == INPUT_CTL_INET &&
	    (ctl->lfd[ctl->nlisten++] = listen_tcp(o)) == -1)
		goto fail;
	if ((o->input == INPUT_CTL_UNIX || o->unix_path != NULL) &&
	    (ctl->lfd[ctl->nlisten++] = listen_unix(o->unix_path)) == -1)
		goto fail;
	if ((out = output_open_opts(o)) == NULL) {
		log_warn("-o %s", o->outfile != NULL ? o->outfile : "stdout");
		goto fail;
	}
	if ((of = outfile_new("-", o->outfile != NULL ? o->outfile : "-",
	    out)) == NULL) {
		output_close(out);
		log_warn("control socket");
		goto fail;
	}
	TAILQ_INSERT_HEAD(&ctl->outfiles, of, e);
	if ((ctl->command = strdup(o->command)) == NULL ||
	    (o->monitorname != NULL &&
	    (ctl->monitorname = strdup(o->monitorname)) == NULL)) {
		log_warn("control socket");
		goto fail;
	}
	if (gethostname(ctl->hostname, sizeof(ctl->hostname)) != 0)
		ctl->hostname[0] = '\0';
	ctl->hostname[sizeof(ctl->hostname) - 1] = '\0';
	return ctl;
fail:
	ctl_free(ctl);
	return NULL;
}

void
ctl_free(struct ctl *ctl)
{
	struct ctl_outfile *of;

	if (ctl == NULL)
		return;
	while (!TAILQ_EMPTY(&ctl->clients))
		client_free(TAILQ_FIRST(&ctl->clients));
	ctl_fsrc_free_all(ctl);
	for (int i = 0; i < 2; i++) {
		if (ctl->lw[i] != NULL)
			loop_fd_del(ctl->l, ctl->lw[i]);
		if (ctl->lfd[i] != -1)
			close(ctl->lfd[i]);
	}
	while ((of = TAILQ_FIRST(&ctl->outfiles)) != NULL) {
		TAILQ_REMOVE(&ctl->outfiles, of, e);
		if (output_close(of->out) == -1)
			log_warnx("outfile '%s': results could not all be "
			    "written", of->alias);
		free(of->alias);
		free(of->path);
		free(of);
	}
	remote_free(ctl->remote);
	free(ctl->monitorname);
	free(ctl->command);
	free(ctl);
}

void
ctl_set_remote(struct ctl *ctl, struct remote *r)
{
	ctl->remote = r;
}

/* ---- client output ---------------------------------------------------- */

/* Room for N more bytes in CL's output queue.  Returns a pointer to
 * them, or NULL (ENOMEM: the client is closed). */
static char *
wq_reserve(struct ctl_client *cl, size_t n)
{
	if (cl->wq_off > 0 && cl->wq_off == cl->wq_len)
		cl->wq_off = cl->wq_len = 0;
	if (cl->wq_len + n > cl->wq_cap && cl->wq_off > 0) {
		memmove(cl->wq, cl->wq + cl->wq_off, cl->wq_len - cl->wq_off);
		cl->wq_len -= cl->wq_off;
		cl->wq_off = 0;
	}
	if (mem_grow(&cl->wq, &cl->wq_cap, cl->wq_len + n, 1, 4096) != 0) {
		log_warnx("%s: out of memory for output; closing", cl->name);
		return NULL;
	}
	return cl->wq + cl->wq_len;
}

static size_t
wq_bytes(const struct ctl_client *cl)
{
	return cl->wq_len - cl->wq_off;
}

/* Output was queued: apply the high-water mark and watch for writing. */
static void
wq_queued(struct ctl_client *cl)
{
	if (!cl->wpaused && wq_bytes(cl) > CTL_WQ_HIGH) {
		cl->wpaused = 1;
		if (cl->src != NULL)
			core_src_pause(cl->src, 1);
	}
	ctl_client_watch(cl);
}

void
ctl_printf(struct ctl_client *cl, const char *fmt, ...)
{
	char line[CTL_LINEMAX + 64], *p;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	if ((p = wq_reserve(cl, (size_t)n)) == NULL) {
		ctl_client_closing(cl);
		return;
	}
	memcpy(p, line, (size_t)n);
	cl->wq_len += (size_t)n;
	wq_queued(cl);
}

int
ctl_data(struct ctl_client *cl, const void *buf, size_t len, int uuenc)
{
	size_t elen = uuenc ? ctl_uuenc_len(len) : len;
	char hdr[32], *p;
	int h = snprintf(hdr, sizeof(hdr), "DATA %zu\n", elen);

	if ((p = wq_reserve(cl, (size_t)h + elen)) == NULL) {
		ctl_client_closing(cl);
		return -1;
	}
	memcpy(p, hdr, (size_t)h);
	if (uuenc)
		ctl_uuencode(buf, len, p + h);
	else
		memcpy(p + h, buf, len);
	cl->wq_len += (size_t)h + elen;
	wq_queued(cl);
	return 0;
}

void
ctl_event(struct ctl *ctl, const char *fmt, ...)
{
	struct ctl_client *cl;
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	TAILQ_FOREACH(cl, &ctl->clients, e)
		if (cl->observing && !cl->closing)
			ctl_printf(cl, "EVENT %lld %s", (long long)time(NULL),
			    msg);
}

/* ---- clients -------------------------------------------------------- */

int
ctl_client_can_take(const struct ctl_client *cl)
{
	/* a file asked for: its reply comes before the next line's */
	if (cl->closing || cl->wpaused || cl->fileop != NULL)
		return 0;
	if (cl->src != NULL && core_src_queued(cl->src) >= CTL_MAXQUEUE)
		return 0;
	return 1;
}

void
ctl_client_watch(struct ctl_client *cl)
{
	int ev = 0;

	if (!cl->eof && !cl->closing && cl->lb_drained &&
	    ctl_client_can_take(cl))
		ev |= LOOP_READ;
	if (wq_bytes(cl) > 0)
		ev |= LOOP_WRITE;
	if (cl->vio != NULL) {
		/* always told: the owner re-checks its readiness */
		cl->events = ev;
		cl->vio->watch(cl->vio_arg, ev);
	} else if (ev != cl->events &&
	    loop_fd_set(cl->ctl->l, cl->lfd, ev) == 0)
		cl->events = ev;
}

void
ctl_client_closing(struct ctl_client *cl)
{
	cl->closing = 1;
	ctl_client_watch(cl);
}

static void
client_free(struct ctl_client *cl)
{
	struct ctl *ctl = cl->ctl;

	TAILQ_REMOVE(&ctl->clients, cl, e);
	ctl->nclients--;
	ctl_cmd_client_gone(cl);
	if (cl->attached)
		ctl_attach_free(cl);
	if (cl->lfd != NULL)
		loop_fd_del(ctl->l, cl->lfd);
	loop_timer_cancel(ctl->l, &cl->kick);
	loop_timer_cancel(ctl->l, &cl->hello);
	if (cl->vio != NULL)
		cl->vio->close(cl->vio_arg);
	else
		close(cl->fd);
	free(cl->wq);
	free(cl);
}

/* Take the lines CL has sent, as far as its limits allow. */
static void
client_lines(struct ctl_client *cl)
{
	enum ctl_lb_rc rc;
	char *line;

	cl->lb_drained = 0;
	while (ctl_client_can_take(cl)) {
		rc = ctl_lb_next(&cl->lb, &line);
		if (rc == CTL_LB_NONE) {
			cl->lb_drained = 1;
			break;
		}
		if (!cl->spoke) {
			cl->spoke = 1;
			loop_timer_cancel(cl->ctl->l, &cl->hello);
		}
		if (rc == CTL_LB_TOOLONG)
			ctl_printf(cl, "ERR line too long (at most %d bytes)",
			    CTL_LINEMAX);
		else if (rc == CTL_LB_BADCHAR)
			ctl_printf(cl, "ERR invalid character in line");
		else if (cl->attached)
			ctl_attach_line(cl, line);
		else
			ctl_cmd_line(cl, line);
	}
	if (cl->attached)
		ctl_attach_more(cl);
}

/* Close CL now if it is finished; returns 1 if it was freed. */
static int
client_reap(struct ctl_client *cl)
{
	struct ctl *ctl = cl->ctl;

	if (!(cl->closing && wq_bytes(cl) == 0))
		return 0;
	client_free(cl);
	ctl_check_exit(ctl);
	return 1;
}

static void
client_read(struct ctl_client *cl)
{
	size_t room;
	char *p = ctl_lb_space(&cl->lb, &room);
	ssize_t n = cl->vio != NULL ? cl->vio->read(cl->vio_arg, p, room) :
	    read(cl->fd, p, room);

	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n == 0 && cl->vio != NULL && cl->attached && !cl->done_rcvd) {
		/* a remote channel's end: as "done", the results still go
		 * out (as 20211212) */
		cl->eof = 1;
		cl->done_rcvd = 1;
		ctl_attach_check_done(cl, 0);
		ctl_client_watch(cl);
		return;
	}
	if (n <= 0) {
		if (n == -1)
			log_debug("%s: %s", cl->name, strerror(errno));
		cl->eof = 1;
		if (n == -1)
			cl->wq_off = cl->wq_len = 0;
		/* an attached client that said "done" still gets its
		 * results; otherwise its queued commands and running
		 * tasks are dropped (at close) */
		if (n == -1 || !cl->attached || !cl->done_rcvd)
			cl->closing = 1;
		ctl_client_watch(cl);
		return;
	}
	ctl_lb_commit(&cl->lb, (size_t)n);
	client_lines(cl);
	ctl_client_watch(cl);
}

static void
client_write(struct ctl_client *cl)
{
	ssize_t n = cl->vio != NULL ?
	    cl->vio->write(cl->vio_arg, cl->wq + cl->wq_off, wq_bytes(cl)) :
	    write(cl->fd, cl->wq + cl->wq_off, wq_bytes(cl));

	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n == -1) {
		log_debug("%s: %s", cl->name, strerror(errno));
		cl->wq_off = cl->wq_len = 0;
		cl->closing = 1;
		return;
	}
	cl->wq_off += (size_t)n;
	if (cl->wpaused && wq_bytes(cl) < CTL_WQ_LOW) {
		cl->wpaused = 0;
		if (cl->src != NULL)
			core_src_pause(cl->src, 0);
		client_lines(cl);
	}
}

void
ctl_client_kick(struct ctl_client *cl)
{
	if (!cl->lb_drained && ctl_client_can_take(cl))
		loop_timer_after(cl->ctl->l, &cl->kick, 0);
}

/* Lines were left waiting for a limit; take them now. */
static void
on_kick(void *arg)
{
	struct ctl_client *cl = arg;

	client_lines(cl);
	if (client_reap(cl))
		return;
	ctl_client_watch(cl);
}

void
ctl_client_io(struct ctl_client *cl, int events)
{
	if ((events & LOOP_WRITE) && wq_bytes(cl) > 0)
		client_write(cl);
	if ((events & LOOP_READ) && !cl->closing && !cl->eof)
		client_read(cl);
	if (client_reap(cl))
		return;
	ctl_client_watch(cl);
}

static void
on_client(struct loop_fd *lfd, int fd, int events, void *arg)
{
	(void)lfd;
	(void)fd;
	ctl_client_io(arg, events);
}

/* A client of CTL named NAME on the stream VIO/ARG (not a socket of
 * ours: no deadline, no caps), listed; NULL if scamper is exiting or out
 * of memory. */
static struct ctl_client *
stream_client(struct ctl *ctl, const char *name, const struct ctl_vio *vio,
    void *arg)
{
	struct ctl_client *cl;

	if (ctl->exiting || (cl = calloc(1, sizeof(*cl))) == NULL)
		return NULL;
	cl->ctl = ctl;
	cl->fd = -1;
	cl->vio = vio;
	cl->vio_arg = arg;
	cl->lb_drained = 1;
	cl->spoke = 1;		/* no deadline: its owner watches the link */
	timer_init(&cl->kick, on_kick, cl);
	timer_init(&cl->hello, on_hello, cl);
	ctl_lb_init(&cl->lb);
	TAILQ_INIT(&cl->jobs);
	snprintf(cl->name, sizeof(cl->name), "%s", name);
	snprintf(cl->peer, sizeof(cl->peer), "stream");
	TAILQ_INSERT_TAIL(&ctl->clients, cl, e);
	ctl->nclients++;
	return cl;
}

struct ctl_client *
ctl_client_stream(struct ctl *ctl, const char *name,
    const struct ctl_vio *vio, void *arg)
{
	struct ctl_client *cl = stream_client(ctl, name, vio, arg);

	if (cl != NULL)
		ctl_client_watch(cl);
	return cl;
}

struct ctl_client *
ctl_client_virtual(struct ctl *ctl, const char *name,
    const struct ctl_vio *vio, void *arg)
{
	struct ctl_client *cl;

	if ((cl = stream_client(ctl, name, vio, arg)) == NULL) {
		log_warnx("%s: refusing a remote channel", name);
		return NULL;
	}
	ctl_attach_start(cl, NULL, 0);
	if (!cl->attached) {
		/* no vio->close: the caller sees NULL */
		cl->vio = NULL;
		cl->fd = -1;
		TAILQ_REMOVE(&ctl->clients, cl, e);
		ctl->nclients--;
		free(cl->wq);
		free(cl);
		return NULL;
	}
	ctl_client_watch(cl);
	log_debug("control: remote channel %s", cl->name);
	return cl;
}

static void
client_name(struct ctl_client *cl, const struct sockaddr_storage *ss)
{
	char a[INET6_ADDRSTRLEN];

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s = (const void *)ss;
		inet_ntop(AF_INET, &s->sin_addr, a, sizeof(a));
		snprintf(cl->name, sizeof(cl->name), "%s:%u", a,
		    ntohs(s->sin_port));
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const void *)ss;
		inet_ntop(AF_INET6, &s->sin6_addr, a, sizeof(a));
		snprintf(cl->name, sizeof(cl->name), "%s:%u", a,
		    ntohs(s->sin6_port));
	} else
		snprintf(cl->name, sizeof(cl->name), "%s:%d",
		    cl->ctl->o->unix_path, cl->fd);
}

/* The peer a client counts against (CTL_MAXPERPEER): a TCP client's
 * address, a unix socket client's uid. */
static void
client_peer(struct ctl_client *cl, const struct sockaddr_storage *ss)
{
	char a[INET6_ADDRSTRLEN] = "?";
	uid_t uid = (uid_t)-1;

	if (ss->ss_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)
		    ss)->sin_addr, a, sizeof(a));
	else if (ss->ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)
		    (const void *)ss)->sin6_addr, a, sizeof(a));
	else {
#if defined(SO_PEERCRED)
		struct ucred uc;
		socklen_t len = sizeof(uc);

		if (getsockopt(cl->fd, SOL_SOCKET, SO_PEERCRED, &uc,
		    &len) == 0)
			uid = uc.uid;
#else
		gid_t gid;

		if (getpeereid(cl->fd, &uid, &gid) != 0)
			uid = (uid_t)-1;
#endif
		snprintf(cl->peer, sizeof(cl->peer), "uid %ld", (long)uid);
		return;
	}
	snprintf(cl->peer, sizeof(cl->peer), "%s", a);
}

/* Close CL at once, telling it WHY (best effort: never blocks). */
static void
client_drop(struct ctl_client *cl, const char *why)
{
	char line[256];
	int n = snprintf(line, sizeof(line), "ERR %s\n", why);

	log_info("control: %s: %s", cl->name, why);
	if (cl->fd != -1 && !cl->spoke)
		(void)send(cl->fd, line, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL);
	client_free(cl);
}

/* The first client, oldest first, that has sent nothing yet and (if PEER
 * is not NULL) comes from PEER; NULL if none. */
static struct ctl_client *
idle_client(struct ctl *ctl, const char *peer)
{
	struct ctl_client *cl;

	TAILQ_FOREACH(cl, &ctl->clients, e)
		if (cl->vio == NULL && !cl->spoke && !cl->closing &&
		    (peer == NULL || strcmp(cl->peer, peer) == 0))
			return cl;
	return NULL;
}

/* Make room for a client from PEER within the caps, closing a client of
 * that peer (or any, when the total is reached) that has sent nothing.
 * Returns 0, or -1 with the reason in WHY if there is no room. */
static int
client_room(struct ctl *ctl, const char *peer, char *why, size_t len)
{
	struct ctl_client *cl, *idle;
	uint32_t n = 0;

	TAILQ_FOREACH(cl, &ctl->clients, e)
		if (cl->vio == NULL && strcmp(cl->peer, peer) == 0)
			n++;
	if (n >= CTL_MAXPERPEER) {
		if ((idle = idle_client(ctl, peer)) == NULL) {
			snprintf(why, len, "too many connections from %s "
			    "(at most %d)", peer, CTL_MAXPERPEER);
			return -1;
		}
		client_drop(idle, "closed: a newer connection from your "
		    "address took its place (no command sent yet)");
	}
	if (ctl->nclients >= CTL_MAXCLIENTS) {
		if ((idle = idle_client(ctl, NULL)) == NULL) {
			snprintf(why, len, "too many connections (at most %d)",
			    CTL_MAXCLIENTS);
			return -1;
		}
		client_drop(idle, "closed: a newer connection took its place "
		    "(no command sent yet)");
	}
	return 0;
}

/* CTL_HELLO_S passed without a whole line from the client. */
static void
on_hello(void *arg)
{
	struct ctl_client *cl = arg;
	struct ctl *ctl = cl->ctl;
	char why[64];

	snprintf(why, sizeof(why), "no command within %d s: closing",
	    CTL_HELLO_S);
	client_drop(cl, why);
	ctl_check_exit(ctl);
}

static void
on_relisten(void *arg)
{
	struct ctl *ctl = arg;

	for (int i = 0; i < ctl->nlisten; i++)
		loop_fd_set(ctl->l, ctl->lw[i], LOOP_READ);
}

static void
on_accept(struct loop_fd *lfd, int lfdnum, int events, void *arg)
{
	struct ctl *ctl = arg;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	struct ctl_client *cl;
	char why[128], line[160];
	int fd;

	(void)events;
	if ((fd = accept4(lfdnum, (struct sockaddr *)&ss, &sl,
	    SOCK_NONBLOCK | SOCK_CLOEXEC)) == -1) {
		if (errno == EAGAIN || errno == EINTR ||
		    errno == ECONNABORTED)
			return;
		/* EMFILE and friends: stop accepting for a second */
		log_warn("control socket: accept");
		for (int i = 0; i < ctl->nlisten; i++)
			loop_fd_set(ctl->l, ctl->lw[i], 0);
		loop_timer_after(ctl->l, &ctl->relisten, 1000);
		return;
	}
	(void)lfd;
	if (ctl->exiting || (cl = calloc(1, sizeof(*cl))) == NULL) {
		log_warnx("control socket: refusing a client (%u connected)",
		    ctl->nclients);
		close(fd);
		return;
	}
	cl->ctl = ctl;
	cl->fd = fd;
	cl->lb_drained = 1;
	timer_init(&cl->kick, on_kick, cl);
	timer_init(&cl->hello, on_hello, cl);
	ctl_lb_init(&cl->lb);
	TAILQ_INIT(&cl->jobs);
	client_name(cl, &ss);
	cl->inet = ss.ss_family == AF_INET || ss.ss_family == AF_INET6;
	client_peer(cl, &ss);
	if (client_room(ctl, cl->peer, why, sizeof(why)) == -1) {
		log_warnx("control socket: refusing %s: %s", cl->name, why);
		snprintf(line, sizeof(line), "ERR %s\n", why);
		(void)send(fd, line, strlen(line), MSG_DONTWAIT |
		    MSG_NOSIGNAL);
		close(fd);
		free(cl);
		return;
	}
	if ((cl->lfd = loop_fd_add(ctl->l, fd, LOOP_READ, on_client, cl)) ==
	    NULL) {
		log_warn("control socket: watching a client");
		close(fd);
		free(cl);
		return;
	}
	cl->events = LOOP_READ;
	TAILQ_INSERT_TAIL(&ctl->clients, cl, e);
	ctl->nclients++;
	loop_timer_after(ctl->l, &cl->hello, CTL_HELLO_S * 1000);
	log_debug("control: %s connected", cl->name);
}

/* ---- shutdown ---------------------------------------------------------- */

static void
on_exit_timer(void *arg)
{
	struct ctl *ctl = arg;

	log_warnx("control socket: clients did not take their output in "
	    "time; exiting");
	loop_stop(ctl->l);
}

/* Finish every client (attached ones get their cycle stop), stop taking
 * connections, stop the loop once every client's output is out. */
static void
begin_exit(struct ctl *ctl)
{
	struct ctl_client *cl, *next;

	if (!ctl->exiting) {
		ctl->exiting = 1;
		for (int i = 0; i < ctl->nlisten; i++)
			loop_fd_set(ctl->l, ctl->lw[i], 0);
		loop_timer_after(ctl->l, &ctl->exit_timer, EXIT_DRAIN_MS);
		TAILQ_FOREACH(cl, &ctl->clients, e) {
			if (cl->attached)
				ctl_attach_check_done(cl, 1);
			ctl_client_closing(cl);
		}
	}
	for (cl = TAILQ_FIRST(&ctl->clients); cl != NULL; cl = next) {
		next = TAILQ_NEXT(cl, e);
		if (cl->closing && wq_bytes(cl) == 0)
			client_free(cl);
	}
	if (TAILQ_EMPTY(&ctl->clients))
		loop_stop(ctl->l);
}

void
ctl_check_exit(struct ctl *ctl)
{
	if (ctl->exiting) {
		if (TAILQ_EMPTY(&ctl->clients))
			loop_stop(ctl->l);
		return;
	}
	if (ctl->shutdown == CTL_NOW ||
	    ((ctl->shutdown == CTL_DONE || ctl->shutdown == CTL_FLUSH) &&
	    core_idle(ctl->core) && !ctl_fsrc_busy(ctl)))
		begin_exit(ctl);
}

static void
on_idle(void *arg)
{
	ctl_check_exit(arg);
}

static void
on_signal(int signo, void *arg)
{
	struct ctl *ctl = arg;

	log_info("signal %d: halting measurements", signo);
	/* running tasks end; their partial results still go out */
	core_halt_all(ctl->core);
	ctl->shutdown = CTL_FLUSH;
	ctl_fsrc_shutdown(ctl, 0);
	ctl_check_exit(ctl);
}

/* scamper-helper is gone: what is in flight is written with stop reason
 * error (EPIPE) and goes out to its clients, each client is told, and
 * scamper exits (non-zero) once their output is out. */
static void
on_helper_lost(void *arg)
{
	struct ctl *ctl = arg;
	struct ctl_client *cl;

	log_warnx("scamper-helper has gone away: stopping the measurements "
	    "and the control socket");
	core_fail(ctl->core, EPIPE);
	TAILQ_FOREACH(cl, &ctl->clients, e)
		if (!cl->closing)
			ctl_printf(cl, "ERR scamper-helper has gone away: "
			    "measurements stopped, scamper is exiting");
	ctl->shutdown = CTL_FLUSH;
	ctl_fsrc_shutdown(ctl, 1);
	ctl_check_exit(ctl);
}

int
ctl_start(struct ctl *ctl, struct loop *l, const struct netio_fds *fds,
    int nofiles)
{
	struct core_conf conf = { .pps = ctl->o->pps,
	    .window = ctl->o->window, .methods = ctl->methods,
	    .rawtcp = (ctl->o->oflags & OPT_O_RAWTCP) != 0 };
	struct ctl_outfile *def = TAILQ_FIRST(&ctl->outfiles);

	ctl->l = l;
	ctl->nofiles = nofiles;
	timer_init(&ctl->relisten, on_relisten, ctl);
	timer_init(&ctl->exit_timer, on_exit_timer, ctl);
	if ((ctl->core = core_new(l, &conf, fds, def->out, NULL)) == NULL) {
		log_warn("start-up");
		return -1;
	}
	core_on_idle(ctl->core, on_idle, ctl);
	if (fds->on_lost != NULL)
		fds->on_lost(fds->dl_ctx, on_helper_lost, ctl);
	if (ctl->remote != NULL && remote_start(ctl->remote, ctl, l) == -1)
		return -1;
	for (int i = 0; i < ctl->nlisten; i++)
		if ((ctl->lw[i] = loop_fd_add(l, ctl->lfd[i], LOOP_READ,
		    on_accept, ctl)) == NULL) {
			log_warn("control socket");
			return -1;
		}
	loop_signal(l, SIGINT, on_signal, ctl);
	loop_signal(l, SIGTERM, on_signal, ctl);
	return 0;
}

void
ctl_finish(struct ctl *ctl)
{
	if (ctl->l != NULL) {
		loop_timer_cancel(ctl->l, &ctl->relisten);
		loop_timer_cancel(ctl->l, &ctl->exit_timer);
	}
	while (!TAILQ_EMPTY(&ctl->clients))
		client_free(TAILQ_FIRST(&ctl->clients));
	ctl_fsrc_free_all(ctl);		/* their core sources go first */
	core_free(ctl->core);
	ctl->core = NULL;
	ctl_free(ctl);
}

int
ctl_run(struct ctl *ctl, struct loop *l, const struct netio_fds *fds,
    int nofiles)
{
	struct ctl_outfile *def;
	int rc = 1;

	if (ctl_start(ctl, l, fds, nofiles) == -1)
		goto out;
	if (core_run(ctl->core) == -1) {
		log_warn("event loop");
		goto out;
	}
	rc = 0;
	if (core_failed(ctl->core) != 0) {
		(void)core_lost_say(core_lost(ctl->core), "scamper-helper lost");
		rc = 1;
	}
	/* results that could not be written make the run a failure */
	TAILQ_FOREACH(def, &ctl->outfiles, e)
		if (output_failed(def->out))
			rc = 1;
out:
	ctl_finish(ctl);
	return rc;
}
