/*
 * ep_ctl.c: sc_erosprober's control socket (-x): a unix-domain stream
 * socket whose clients change the address set with lines "+ADDRESS"
 * (add it, or probe it again) and "-ADDRESS" (stop probing it), each
 * answered "OK" or "ERR why".  Served without waiting, a tick at a time
 * (ep.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ep.h"

#define MAX_CLIENTS	16
#define LINE_MAX_LEN	256

struct client {
	int	 fd;
	size_t	 len;
	char	 buf[LINE_MAX_LEN];
};

static int lfd = -1;
static struct client cl[MAX_CLIENTS];
static size_t ncl;

int
ep_ctl_open(void)
{
	struct sockaddr_un sun;
	const char *p = ep_o.ctlpath;

	if (p == NULL)
		return 0;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(p) >= sizeof(sun.sun_path) || p[0] == '\0')
		return drv_fail("-x '%s': not a socket's path", p);
	memcpy(sun.sun_path, p, strlen(p));
	if ((lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1 ||
	    bind(lfd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    listen(lfd, 8) == -1) {
		drv_fail("-x %s: %s", p, strerror(errno));
		if (lfd != -1)
			close(lfd);
		lfd = -1;
		return -1;
	}
	return 0;
}

static void
reply(struct client *c, const char *s)
{
	/* a client that does not read its answers loses them */
	(void)!write(c->fd, s, strlen(s));
}

/* One line from client C. */
static void
command(struct client *c, const char *line)
{
	struct drv_target t;
	struct ep_addr *a;
	char err[128], msg[160];

	if ((line[0] != '+' && line[0] != '-') ||
	    ep_addr_parse(line + 1, &t, err, sizeof(err)) == -1) {
		if (line[0] != '+' && line[0] != '-')
			snprintf(err, sizeof(err), "expected +address or "
			    "-address");
		snprintf(msg, sizeof(msg), "ERR %s\n", err);
		reply(c, msg);
		return;
	}
	if (line[0] == '+') {
		if (ep_set_add(&ep_set, &t) == -1) {
			reply(c, "ERR out of memory\n");
			return;
		}
	} else if ((a = ep_set_find(&ep_set, t.af, t.bin)) != NULL)
		a->live = 0;
	drv_log("control: %s", line);
	ep_set_changed();
	reply(c, "OK\n");
}

/* Read what client C sent; its complete lines served.  Returns 0, or
 * -1 when it is gone (or sent a line too long). */
static int
serve_client(struct client *c)
{
	ssize_t n = read(c->fd, c->buf + c->len, sizeof(c->buf) - c->len);
	char *nl;

	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0)
		return -1;
	c->len += (size_t)n;
	while ((nl = memchr(c->buf, '\n', c->len)) != NULL) {
		size_t k = (size_t)(nl - c->buf) + 1;

		*nl = '\0';
		if (nl > c->buf && nl[-1] == '\r')
			nl[-1] = '\0';
		if (c->buf[0] != '\0')
			command(c, c->buf);
		memmove(c->buf, c->buf + k, c->len - k);
		c->len -= k;
	}
	if (c->len == sizeof(c->buf)) {
		reply(c, "ERR line too long\n");
		return -1;
	}
	return 0;
}

int
ep_ctl_serve(void)
{
	int fd;

	while (lfd != -1 && (fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK |
	    SOCK_CLOEXEC)) != -1) {
		if (ncl == MAX_CLIENTS) {
			close(fd);
			continue;
		}
		memset(&cl[ncl], 0, sizeof(cl[ncl]));
		cl[ncl++].fd = fd;
	}
	for (size_t i = 0; i < ncl; i++)
		if (serve_client(&cl[i]) == -1) {
			close(cl[i].fd);
			cl[i--] = cl[--ncl];
		}
	return 0;
}

void
ep_ctl_close(void)
{
	for (size_t i = 0; i < ncl; i++)
		close(cl[i].fd);
	ncl = 0;
	if (lfd != -1) {
		close(lfd);
		unlink(ep_o.ctlpath);
	}
	lfd = -1;
}
