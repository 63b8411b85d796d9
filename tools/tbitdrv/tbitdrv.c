/*
 * tbitdrv.c: the tbit drivers' control-socket client (tbitdrv.h).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "drvutil.h"
#include "scamper_file.h"
#include "scamper_tbit.h"
#include "tbitdrv.h"
#include "wire.h"

#define DATA_MAX	(64 * 1024 * 1024)
#define WARTS_MAGIC	0x1205
#define OBJ_TBIT	11

/* ---- decoding a tbit record's parameters ------------------------------ */

/* An address field at B (LEN left): a definition (copied to TAB[*NT])
 * or a reference; its family and bytes into AF/OUT.  Returns its size or
 * -1. */
static int
addr_field(const uint8_t *b, size_t len, uint8_t tab[][17], int *nt,
    int *af, uint8_t *out)
{
	if (len < 1)
		return -1;
	if (b[0] == 0) {
		uint32_t id;

		if (len < 5 || (id = wire_be32(b + 1)) >= (uint32_t)*nt)
			return -1;
		*af = tab[id][0] == 1 ? AF_INET : AF_INET6;
		memcpy(out, tab[id] + 1, 16);
		return 5;
	}
	if ((b[0] != 4 && b[0] != 16) || len < (size_t)b[0] + 2 || *nt >= 2)
		return -1;
	memset(tab[*nt], 0, 17);
	tab[*nt][0] = b[1];
	memcpy(tab[*nt] + 1, b + 2, b[0]);
	*af = b[1] == 1 ? AF_INET : AF_INET6;
	memset(out, 0, 16);
	memcpy(out, b + 2, b[0]);
	(*nt)++;
	return b[0] + 2;
}

int
tbitdrv_decode(const uint8_t *b, size_t len, struct tbitdrv_result *r)
{
	static const uint8_t size[11] = { 0, 4, 4, 4, 0, 0, 2, 2, 8, 2, 1 };
	uint8_t flags[4] = { 0 }, tab[2][17], junk[16];
	size_t k = 0, nf = 0, end;
	int nt = 0, af;

	memset(r, 0, sizeof(*r));
	do {
		if (k >= len || nf == sizeof(flags))
			return -1;
		flags[nf++] = b[k];
	} while (b[k++] & 0x80);
	if (flags[0] == 0 || k + 2 > len)
		return -1;
	end = k + 2 + (size_t)(b[k] << 8 | b[k + 1]);
	k += 2;
	if (end > len)
		return -1;
	for (int fl = 1; fl <= 10; fl++) {
		int n;

		if (!(flags[(fl - 1) / 7] & (1 << ((fl - 1) % 7))))
			continue;
		if (fl == 4 || fl == 5) {
			n = addr_field(b + k, end - k, tab, &nt, &af,
			    fl == 5 ? r->dst : junk);
			if (n < 0)
				return -1;
			if (fl == 5)
				r->af = af;
		} else {
			n = size[fl];
			if (k + (size_t)n > end)
				return -1;
			if (fl == 3)
				r->userid = wire_be32(b + k);
			if (fl == 9)
				r->result = (uint16_t)(b[k] << 8 | b[k + 1]);
			if (fl == 10)
				r->type = b[k];
		}
		k += (size_t)n;
	}
	if (r->af == 0)
		return -1;
	r->result_name = scamper_tbit_result_tostr(r->result);
	if (r->result_name == NULL)
		r->result_name = "unknown";
	return 0;
}

void *
tbitdrv_decode_obj(const struct tbitdrv *d, uint16_t type, const uint8_t *b,
    size_t len)
{
	struct scamper_file *f;
	uint8_t h[8];
	uint16_t t;
	void *obj = NULL;
	int fd;

	if ((fd = memfd_create("tbitdrv", MFD_CLOEXEC)) == -1)
		return NULL;
	wire_set_be16(h, WARTS_MAGIC);
	wire_set_be16(h + 2, type);
	wire_set_be32(h + 4, (uint32_t)len);
	if ((d->hdrlen > 0 &&
	    write(fd, d->hdr, d->hdrlen) != (ssize_t)d->hdrlen) ||
	    write(fd, h, 8) != 8 || write(fd, b, len) != (ssize_t)len ||
	    lseek(fd, 0, SEEK_SET) != 0 ||
	    (f = scamper_file_fdopen_read(fd)) == NULL) {
		close(fd);
		return NULL;
	}
	while (scamper_file_read(f, &t, &obj) == 1 && t != type) {
		scamper_file_obj_free(t, obj);
		obj = NULL;
	}
	scamper_file_close(f);
	return obj;
}

/* ---- output ------------------------------------------------------------ */

/* Write record P (N bytes) of KIND: 0 a list or cycle record, 1 another
 * result, 2 a tbit (counted against the limit: a new file may start). */
static int
out_write(struct tbitdrv *d, const uint8_t *p, size_t n, int kind)
{
	char name[1024];

	if (kind == 2 && d->f != NULL && d->limit != 0 &&
	    d->nrec >= d->limit) {
		if (fclose(d->f) != 0)
			return drv_fail("writing: %s", strerror(errno));
		d->f = NULL;
	}
	if (d->f == NULL && kind != 0) {
		if (d->single)
			snprintf(name, sizeof(name), "%s", d->out);
		else
			snprintf(name, sizeof(name), "%s_%02u.warts", d->out,
			    d->nfile);
		d->nfile++;
		if ((d->f = fopen(name, "w")) == NULL)
			return drv_fail("%s: %s", name, strerror(errno));
		d->nrec = 0;
		if (d->hdrlen > 0 &&
		    fwrite(d->hdr, 1, d->hdrlen, d->f) != d->hdrlen)
			return drv_fail("%s: %s", name, strerror(errno));
	}
	if (kind == 2)
		d->nrec++;
	if (d->f != NULL && fwrite(p, 1, n, d->f) != n)
		return drv_fail("writing: %s", strerror(errno));
	return d->f != NULL ? fflush(d->f) : 0;
}

/* The warts records in a decoded DATA payload: list and cycle records
 * are kept for the head of every file; tbit records go to the driver. */
static int
records(struct tbitdrv *d, const uint8_t *p, size_t n)
{
	struct tbitdrv_result r;

	while (n >= 8) {
		uint16_t type = (uint16_t)(p[2] << 8 | p[3]);
		size_t len = wire_be32(p + 4);
		uint8_t *h;

		if ((p[0] << 8 | p[1]) != WARTS_MAGIC || len > n - 8)
			return drv_fail("malformed warts from scamper");
		if (type != OBJ_TBIT) {
			if (type <= 3 && (h = realloc(d->hdr, d->hdrlen + 8 +
			    len)) != NULL) {
				memcpy(h + d->hdrlen, p, 8 + len);
				d->hdr = h;
				d->hdrlen += 8 + len;
			}
			if (out_write(d, p, 8 + len, type > 4) == -1)
				return -1;
			if (type > 4 && d->record != NULL)
				d->record(d->arg, type, p + 8, len);
		} else {
			if (out_write(d, p, 8 + len, 2) == -1)
				return -1;
			if (tbitdrv_decode(p + 8, len, &r) == 0)
				d->result(&r);
		}
		p += 8 + len;
		n -= 8 + len;
	}
	return 0;
}

/* ---- the connection ---------------------------------------------------- */

static int
send_line(struct tbitdrv *d, const char *s)
{
	size_t n = strlen(s) + 1;

	if (d->wlen + n > d->wcap) {
		size_t cap = d->wcap == 0 ? 4096 : d->wcap;
		char *p;

		while (cap < d->wlen + n)
			cap *= 2;
		if ((p = realloc(d->wbuf, cap)) == NULL)
			return drv_fail("out of memory");
		d->wbuf = p;
		d->wcap = cap;
	}
	memcpy(d->wbuf + d->wlen, s, n - 1);
	d->wbuf[d->wlen + n - 1] = '\n';
	d->wlen += n;
	return 0;
}

/* scamper wants a command: give one, or "done", or wait. */
static int
feed(struct tbitdrv *d)
{
	char *cmd = NULL;
	int rc;

	if (!d->waiting || d->done_sent)
		return 0;
	switch (d->want(d->arg, &cmd)) {
	case TBITDRV_CMD:
		d->waiting = 0;
		rc = send_line(d, cmd);
		free(cmd);
		return rc;
	case TBITDRV_DONE:
		d->waiting = 0;
		d->done_sent = 1;
		return send_line(d, "done");
	}
	return 0;
}

static int
on_line(struct tbitdrv *d, const char *line)
{
	unsigned long n;
	char *end;

	if (strncmp(line, "DATA ", 5) == 0) {
		n = strtoul(line + 5, &end, 10);
		if (*end != '\0' || n == 0 || n > DATA_MAX ||
		    (d->data = malloc(n)) == NULL)
			return drv_fail("bad line from scamper: %s", line);
		d->dlen = n;
		d->dhave = 0;
	} else if (strcmp(line, "MORE") == 0) {
		d->waiting = 1;
		return feed(d);
	} else if (strcmp(line, "OK") == 0) {
		d->attached = 1;
	} else if (strncmp(line, "ERR", 3) == 0) {
		drv_fail("scamper: %s", line);
		if (!d->attached)
			return -1;
		/* a refused command earns no MORE: scamper waits for the
		 * next one */
		if (d->refused != NULL)
			d->refused(d->arg, line);
		d->waiting = 1;
		return feed(d);
	}
	return 0;
}

static int
payload(struct tbitdrv *d)
{
	uint8_t *raw = malloc(d->dlen);
	long n;
	int rc;

	if (raw == NULL)
		return drv_fail("out of memory");
	if ((n = ctl_uudecode(d->data, d->dlen, raw, d->dlen)) < 0)
		rc = drv_fail("malformed DATA from scamper");
	else
		rc = records(d, raw, (size_t)n);
	free(raw);
	return rc;
}

static int
on_input(struct tbitdrv *d)
{
	enum ctl_lb_rc rc;
	char *line;
	int bad;

	for (;;) {
		if (d->data != NULL) {
			size_t have = ctl_lb_pending(&d->lb);
			size_t take = d->dlen - d->dhave;

			take = have < take ? have : take;
			memcpy(d->data + d->dhave, d->lb.buf + d->lb.off, take);
			d->lb.off += take;
			d->dhave += take;
			if (d->dhave < d->dlen)
				return 0;
			bad = payload(d) == -1;
			free(d->data);
			d->data = NULL;
			if (bad)
				return -1;
			continue;
		}
		rc = ctl_lb_next(&d->lb, &line);
		if (rc == CTL_LB_NONE)
			return 0;
		if (rc != CTL_LB_LINE || on_line(d, line) == -1)
			return -1;
	}
}

/* Connect to scamper's control socket at the unix-domain PATH. */
static int
unix_connect(struct tbitdrv *d, const char *path)
{
	struct sockaddr_un sun;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path))
		return drv_fail("%s: path too long", path);
	memcpy(sun.sun_path, path, strlen(path));
	if ((d->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(d->fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		return drv_fail("connecting to scamper at %s: %s", path,
		    strerror(errno));
	return 0;
}

int
tbitdrv_init(struct tbitdrv *d, const char *prog, const char *port,
    const char *out, unsigned limit, tbitdrv_want *want,
    tbitdrv_result_cb *result, void *arg)
{
	struct sockaddr_in sin;
	char addr[64] = "127.0.0.1";
	const char *p = strrchr(port, ':');
	uint32_t pn;

	memset(d, 0, sizeof(*d));
	d->prog = prog;
	drv_prog(prog);
	d->out = out;
	d->limit = limit;
	d->want = want;
	d->result = result;
	d->arg = arg;
	ctl_lb_init(&d->lb);
	if (strchr(port, '/') != NULL)
		return unix_connect(d, port);
	if (p != NULL) {
		snprintf(addr, sizeof(addr), "%.*s", (int)(p - port), port);
		p++;
	} else
		p = port;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	if (ctl_uint(p, 1, 65535, &pn) != 0 ||
	    inet_pton(AF_INET, addr, &sin.sin_addr) != 1)
		return drv_fail("-p %s: expected [IPv4 address:]port", port);
	sin.sin_port = htons((uint16_t)pn);
	if ((d->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(d->fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		return drv_fail("connecting to scamper at %s: %s", port,
		    strerror(errno));
	return 0;
}

void
tbitdrv_on_refused(struct tbitdrv *d, tbitdrv_refused_cb *cb)
{
	d->refused = cb;
}

void
tbitdrv_single_file(struct tbitdrv *d)
{
	d->single = 1;
	d->limit = 0;
}

void
tbitdrv_on_record(struct tbitdrv *d, tbitdrv_record_cb *cb)
{
	d->record = cb;
}

void
tbitdrv_on_tick(struct tbitdrv *d, int ms, tbitdrv_tick_cb *cb)
{
	d->tick_ms = ms;
	d->tick = cb;
}

static void
close_all(struct tbitdrv *d)
{
	if (d->fd > 0)
		close(d->fd);
	if (d->f != NULL && fclose(d->f) != 0)
		drv_fail("writing: %s", strerror(errno));
	free(d->hdr);
	free(d->wbuf);
	free(d->data);
}

/* Attach and serve scamper until DONE and it has finished. */
static int
run_loop(struct tbitdrv *d)
{
	struct pollfd pfd;
	size_t room;
	ssize_t n;
	char *p;

	if (send_line(d, "attach") == -1)
		return -1;
	for (;;) {
		pfd.fd = d->fd;
		pfd.events = POLLIN | (d->wlen > 0 ? POLLOUT : 0);
		if (poll(&pfd, 1, d->tick_ms > 0 ? d->tick_ms :
		    d->waiting ? 1000 : -1) == -1) {
			if (errno == EINTR)
				continue;
			return drv_fail("poll: %s", strerror(errno));
		}
		if (d->tick != NULL && d->tick(d->arg) == -1)
			return -1;
		if (feed(d) == -1)
			return -1;
		if ((pfd.revents & POLLOUT) && d->wlen > 0) {
			if ((n = write(d->fd, d->wbuf, d->wlen)) == -1)
				return drv_fail("writing to scamper: %s",
				    strerror(errno));
			memmove(d->wbuf, d->wbuf + n, d->wlen - (size_t)n);
			d->wlen -= (size_t)n;
		}
		if (!(pfd.revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		p = ctl_lb_space(&d->lb, &room);
		if ((n = read(d->fd, p, room)) <= 0) {
			if (n == -1 && errno == EINTR)
				continue;
			if (n == 0 && d->done_sent && d->data == NULL)
				return 0;
			return drv_fail("scamper closed the connection early");
		}
		ctl_lb_commit(&d->lb, (size_t)n);
		/* a result may have freed what the driver waited for */
		if (on_input(d) == -1 || feed(d) == -1)
			return -1;
	}
}

int
tbitdrv_run(struct tbitdrv *d)
{
	int rc = run_loop(d);

	close_all(d);
	return rc;
}
