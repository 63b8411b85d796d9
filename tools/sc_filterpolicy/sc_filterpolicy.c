/*
 * sc_filterpolicy: are the addresses of one device (IPv4 and IPv6 of a
 * dual-stack router or server) filtered alike?  (Czyz et al., NDSS 2016.)
 * Through a running scamper's control socket it pings every address of
 * every device of the input with ICMP echo, TCP SYNs to the ports of the
 * chosen applications and UDP requests of NTP, DNS and SNMP, one probe
 * to a device at a time (devices in parallel), into one warts file; -r
 * reads such a file back and prints, for each address, which
 * applications answered, marking those a sibling address answered and
 * this one did not.
 *
 * Each ping carries its device's number as its user id: that groups the
 * addresses again when the file is read.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ctl_proto.h"
#include "scamper_file.h"
#include "scamper_ping.h"
#include "drvutil.h"
#include "tbitdrv.h"
#include "wire.h"

enum { P_ICMP, P_TCP, P_UDP };

struct app {
	const char	*name, *label;	/* -T name, column label */
	int		 proto;
	uint16_t	 port;
	const char	*payload;	/* UDP request, hex */
	unsigned	 classes;	/* 1 router, 2 server */
};

#define R	1
#define S	2
/* NTP: a version 4 client request; DNS: an A query for example.com;
 * SNMP: v2c get of sysDescr.0 with community public. */
static const struct app apps[] = {
	{ "icmp", "ICMP", P_ICMP, 0, NULL, R | S },
	{ "netbios", "NetBIOS", P_TCP, 139, NULL, 0 },
	{ "mssql", "MSSQL", P_TCP, 1433, NULL, 0 },
	{ "ftp", "FTP", P_TCP, 21, NULL, S },
	{ "ssh", "SSH", P_TCP, 22, NULL, R | S },
	{ "telnet", "Telnet", P_TCP, 23, NULL, R | S },
	{ "mysql", "MySQL", P_TCP, 3306, NULL, S },
	{ "rdp", "RDP", P_TCP, 3389, NULL, S },
	{ "https", "HTTPS", P_TCP, 443, NULL, R | S },
	{ "smb", "SMB", P_TCP, 445, NULL, S },
	{ "vnc", "VNC", P_TCP, 5900, NULL, 0 },
	{ "http", "HTTP", P_TCP, 80, NULL, R | S },
	{ "bgp", "BGP", P_TCP, 179, NULL, R },
	{ "ntp", "NTP", P_UDP, 123, "23000000000000000000000000000000"
	    "00000000000000000000000000000000000000000000000000000000000000"
	    "00", R | S },
	{ "dns", "DNS", P_UDP, 53, "123401000001000000000000076578616d706c65"
	    "03636f6d0000010001", R | S },
	{ "snmp", "SNMP", P_UDP, 161, "302902010104067075626c6963a01c02"
	    "041234567802010002010030"
	    "0e300c06082b060102010101000500", R | S },
};
#define NAPP	(sizeof(apps) / sizeof(apps[0]))

struct dev {
	char	 name[128];
	char	 addr[8][64];
	int	 naddr;
	int	 app, ai;	/* the next probe: application, address */
	int	 busy, done;
};

/* scamper's ping records no UDP reply yet: the UDP applications cannot
 * be judged, so they are not built. */
#define UDP_BUILT	0

static struct {
	const char *infile, *outfile, *port, *logfile, *readfile;
	unsigned schedule;	/* bit per application */
	int tuples, impatient, incongruent;
} o;

static struct dev *devs;
static size_t ndev, last;	/* the device of the last command */

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: sc_filterpolicy [-a infile] [-l logfile] [-o outfile]\n"
	    "                       [-O options] [-p port] [-t type] [-T test]\n"
	    "       sc_filterpolicy -r datafile [-O incongruent]\n");
}

/* -T +app,-app,... */
static int
adjust(const char *arg)
{
	char buf[256], *t, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", arg);
	for (t = strtok_r(buf, ",", &save); t != NULL;
	    t = strtok_r(NULL, ",", &save)) {
		size_t i;

		if (t[0] != '+' && t[0] != '-')
			return drv_fail("-T %s: expected +app or -app", t);
		for (i = 0; i < NAPP && strcasecmp(apps[i].name, t + 1); i++)
			;
		if (i == NAPP)
			return drv_fail("-T %s: unknown application", t);
		if (t[0] == '+' && apps[i].proto == P_UDP && !UDP_BUILT)
			return drv_fail("-T %s: not implemented (scamper's "
			    "ping records no UDP reply yet)", t);
		if (t[0] == '+')
			o.schedule |= 1u << i;
		else
			o.schedule &= ~(1u << i);
	}
	return 0;
}

static int
parse_opts(int argc, char **argv)
{
	unsigned cls = 0;
	int c, tflag = 0, udp_left = 0;

	while ((c = getopt(argc, argv, "?a:Dl:o:O:p:r:t:T:U:")) != -1) {
		switch (c) {
		case 'a': o.infile = optarg; break;
		case 'l': o.logfile = optarg; break;
		case 'o': o.outfile = optarg; break;
		case 'p': o.port = optarg; break;
		case 'r': o.readfile = optarg; break;
		case 'D':
			return drv_fail("-D: not implemented");
		case 'U':
			return drv_fail("-U: not implemented (use -p)");
		case 'O':
			if (strcmp(optarg, "tuples") == 0)
				o.tuples = 1;
			else if (strcmp(optarg, "impatient") == 0)
				o.impatient = 1;
			else if (strcmp(optarg, "incongruent") == 0)
				o.incongruent = 1;
			else if (strcmp(optarg, "trace") == 0)
				return drv_fail("-O trace: not implemented");
			else
				return drv_fail("-O %s: unknown option",
				    optarg);
			break;
		case 't':
			cls = strcmp(optarg, "router") == 0 ? R :
			    strcmp(optarg, "server") == 0 ? S :
			    strcmp(optarg, "all") == 0 ? (R | S | 4) : 0;
			if (cls == 0)
				return drv_fail("-t %s: expected router, "
				    "server or all", optarg);
			for (size_t i = 0; i < NAPP; i++)
				if ((apps[i].classes & cls) || (cls & 4)) {
					if (apps[i].proto == P_UDP && !UDP_BUILT)
						udp_left = 1;
					else
						o.schedule |= 1u << i;
				}
			tflag = 1;
			break;
		case 'T':
			if (adjust(optarg) == -1)
				return -1;
			break;
		default:
			drv_usage_exit(usage, optopt);
		}
	}
	(void)tflag;
	if (udp_left && o.readfile == NULL)
		fprintf(stderr, "sc_filterpolicy: NTP, DNS, SNMP: not "
		    "implemented (scamper's ping records no UDP reply yet): "
		    "left out\n");
	if (drv_no_operands(argc, argv) == -1)
		return -1;
	if (o.readfile != NULL)
		return 0;
	if (drv_need_aop(o.infile, o.outfile, o.port) == -1)
		return -1;
	if (o.schedule == 0)
		return drv_fail("nothing to test: give -t or -T +app");
	return 0;
}

/* ---- input ---------------------------------------------------------------- */

static int
is_addr(const char *s)
{
	uint8_t b[16];

	return inet_pton(AF_INET, s, b) == 1 || inet_pton(AF_INET6, s, b) == 1;
}

static struct dev *
dev_named(const char *name)
{
	struct dev *d;

	for (size_t i = 0; o.tuples && i < ndev; i++)
		if (strcmp(devs[i].name, name) == 0)
			return &devs[i];
	if ((d = realloc(devs, (ndev + 1) * sizeof(*devs))) == NULL)
		return NULL;
	devs = d;
	d = &devs[ndev++];
	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%s", name);
	return d;
}

static int
add_addr(struct dev *d, const char *a, unsigned long n)
{
	if (!is_addr(a))
		return drv_fail("%s:%lu: '%s' is not an address", o.infile, n,
		    a);
	if (d->naddr == 8)
		return drv_fail("%s:%lu: more than 8 addresses", o.infile, n);
	snprintf(d->addr[d->naddr++], sizeof(d->addr[0]), "%s", a);
	return 0;
}

static int
read_devices(void)
{
	FILE *f = fopen(o.infile, "r");
	char line[1024], *w, *save;
	unsigned long n = 0;
	struct dev *d;

	if (f == NULL)
		return drv_fail("-a %s: %s", o.infile, strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL) {
		n++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			drv_fail("%s:%lu: line too long", o.infile, n);
			goto bad;
		}
		save = NULL;
		line[strcspn(line, "#\r\n")] = '\0';
		if ((w = strtok_r(line, " \t", &save)) == NULL)
			continue;
		if ((o.tuples && is_addr(w)) ||
		    (d = dev_named(is_addr(w) ? "" : w)) == NULL) {
			fclose(f);
			return drv_fail("%s:%lu: %s", o.infile, n, o.tuples ?
			    "expected 'name address'" : "out of memory");
		}
		if (is_addr(w) && add_addr(d, w, n) == -1)
			goto bad;
		while ((w = strtok_r(NULL, " \t", &save)) != NULL)
			if (add_addr(d, w, n) == -1)
				goto bad;
		if (d->naddr == 0) {
			drv_fail("%s:%lu: no address", o.infile, n);
			goto bad;
		}
	}
	fclose(f);
	return 0;
bad:
	fclose(f);
	return -1;
}

static int
cmp_naddr(const void *a, const void *b)
{
	const struct dev *x = a, *y = b;

	return y->naddr - x->naddr;
}

/* ---- probing -------------------------------------------------------------- */

/* Move D to its next scheduled (application, address); 0 if none left. */
static int
dev_next(struct dev *d)
{
	while ((size_t)d->app < NAPP) {
		if ((o.schedule & (1u << d->app)) && d->ai < d->naddr)
			return 1;
		d->app++;
		d->ai = 0;
	}
	return 0;
}

static int
want_command(void *arg, char **cmd)
{
	int left = 0;

	(void)arg;
	for (size_t i = 0; i < ndev; i++) {
		struct dev *d = &devs[i];
		const struct app *a;
		int rc;

		if (d->done)
			continue;
		left = 1;
		if (d->busy)
			continue;
		if (!dev_next(d)) {
			d->done = 1;
			continue;
		}
		a = &apps[d->app];
		if (a->proto == P_ICMP)
			rc = asprintf(cmd, "ping -c 3 -o 1 -U %zu %s", i + 1,
			    d->addr[d->ai]);
		else if (a->proto == P_TCP)
			rc = asprintf(cmd, "ping -P tcp-syn -d %u -c 3 -o 1 "
			    "-U %zu %s", a->port, i + 1, d->addr[d->ai]);
		else
			rc = asprintf(cmd, "ping -P udp -d %u -B %s -c 3 -o 1 "
			    "-U %zu %s", a->port, a->payload, i + 1,
			    d->addr[d->ai]);
		if (rc < 0)
			return TBITDRV_LATER;
		d->ai++;
		d->busy = 1;
		last = i;
		return TBITDRV_CMD;
	}
	for (size_t i = 0; i < ndev; i++)
		if (!devs[i].done)
			return TBITDRV_LATER;
	return left ? TBITDRV_LATER : TBITDRV_DONE;
}

/* The user id of a ping record body (flag 19), or 0. */
static uint32_t
ping_userid(const uint8_t *b, size_t len)
{
	static const uint8_t size[20] = { 0, 4, 4, 4, 4, 8, 1, 1, 2, 0, 2,
	    2, 1, 1, 2, 2, 1, 2, 2, 4 };
	uint8_t flags[5] = { 0 };
	size_t k = 0, nf = 0, end, datalen = 0;

	do {
		if (k >= len || nf == sizeof(flags))
			return 0;
		flags[nf++] = b[k];
	} while (b[k++] & 0x80);
	if (k + 2 > len)
		return 0;
	end = k + 2 + (size_t)(b[k] << 8 | b[k + 1]);
	k += 2;
	for (int fl = 1; fl <= 19 && end <= len; fl++) {
		size_t n = fl == 9 ? datalen : size[fl];

		if (!(flags[(fl - 1) / 7] & (1 << ((fl - 1) % 7))))
			continue;
		if (k + n > end)
			return 0;
		if (fl == 8)
			datalen = (size_t)(b[k] << 8 | b[k + 1]);
		if (fl == 19)
			return wire_be32(b + k);
		k += n;
	}
	return 0;
}

static void
on_record(void *arg, uint16_t type, const uint8_t *b, size_t len)
{
	uint32_t uid;

	(void)arg;
	if (type != SCAMPER_FILE_OBJ_PING ||
	    (uid = ping_userid(b, len)) == 0 || uid > ndev)
		return;
	devs[uid - 1].busy = 0;
	drv_log("ping done for %s", devs[uid - 1].name[0] != '\0' ?
	    devs[uid - 1].name : devs[uid - 1].addr[0]);
}

/* A probe scamper refused: its device goes on without it. */
static void
on_refused(void *arg, const char *line)
{
	(void)arg;
	(void)line;
	devs[last].busy = 0;
}

static void
on_tbit(const struct tbitdrv_result *r)
{
	(void)r;
}

static int
measure(void)
{
	struct tbitdrv d;
	int rc;

	if (read_devices() == -1)
		return -1;
	if (o.impatient && ndev > 0)	/* qsort of NULL is undefined */
		qsort(devs, ndev, sizeof(*devs), cmp_naddr);
	if (drv_log_open('l', o.logfile) == -1)
		return -1;
	if (tbitdrv_init(&d, "sc_filterpolicy", o.port, o.outfile, 0,
	    want_command, on_tbit, NULL) == -1)
		return -1;
	tbitdrv_on_record(&d, on_record);
	tbitdrv_single_file(&d);
	tbitdrv_on_refused(&d, on_refused);
	rc = tbitdrv_run(&d);
	return rc;
}

/* ---- reading ------------------------------------------------------------- */

struct seen {
	uint32_t	 dev;
	char		 addr[64];
	unsigned	 tested, answered;	/* bit per application */
};

static struct seen *seen;
static size_t nseen;

/* The application a ping probed, or -1. */
static int
app_of(const struct scamper_ping *p)
{
	for (size_t i = 0; i < NAPP; i++) {
		const struct app *a = &apps[i];

		if (a->proto == P_ICMP && p->probe_method ==
		    SCAMPER_PING_METHOD_ICMP_ECHO)
			return (int)i;
		if (a->proto == P_TCP && p->probe_method ==
		    SCAMPER_PING_METHOD_TCP_SYN && p->probe_dport == a->port)
			return (int)i;
		if (a->proto == P_UDP && p->probe_method ==
		    SCAMPER_PING_METHOD_UDP && p->probe_dport == a->port)
			return (int)i;
	}
	return -1;
}

/* Did any reply answer the probe as the application would: an echo
 * reply, a SYN/ACK, a UDP reply? */
static int
answered(const struct scamper_ping *p, const struct app *a)
{
	for (uint16_t i = 0; i < p->replyc; i++) {
		const struct scamper_ping_reply *r = &p->replies[i];

		if (a->proto == P_TCP && r->reply_proto == IPPROTO_TCP &&
		    (r->tcp_flags & 0x12) == 0x12)
			return 1;
		if (a->proto == P_UDP && r->reply_proto == IPPROTO_UDP)
			return 1;
		if (a->proto == P_ICMP && (r->reply_proto == IPPROTO_ICMP ||
		    r->reply_proto == IPPROTO_ICMPV6) && (r->icmp_type == 0 ||
		    r->icmp_type == 129))
			return 1;
	}
	return 0;
}

static void
take(const struct scamper_ping *p)
{
	char a[64];
	int app = app_of(p);
	size_t i;
	struct seen *s;

	if (app < 0 || p->userid == 0 ||
	    inet_ntop(p->dst.type == SCAMPER_ADDR_IPV4 ? AF_INET : AF_INET6,
	    p->dst.addr, a, sizeof(a)) == NULL)
		return;
	for (i = 0; i < nseen; i++)
		if (seen[i].dev == p->userid && strcmp(seen[i].addr, a) == 0)
			break;
	if (i == nseen) {
		if ((s = realloc(seen, (nseen + 1) * sizeof(*seen))) == NULL)
			return;
		seen = s;
		memset(&seen[nseen], 0, sizeof(*seen));
		seen[nseen].dev = p->userid;
		snprintf(seen[nseen].addr, sizeof(seen[0].addr), "%s", a);
		nseen++;
	}
	seen[i].tested |= 1u << app;
	if (answered(p, &apps[app]))
		seen[i].answered |= 1u << app;
}

/* The applications some address of device DEV answered and another did
 * not. */
static unsigned
incongruent(uint32_t dev, unsigned cols)
{
	unsigned any = 0, all = cols;

	for (size_t i = 0; i < nseen; i++)
		if (seen[i].dev == dev) {
			any |= seen[i].answered;
			all &= seen[i].answered | ~seen[i].tested;
		}
	return any & ~all;
}

static void
header(unsigned cols, size_t w)
{
	size_t rows = 0;

	for (size_t i = 0; i < NAPP; i++)
		if ((cols & (1u << i)) && strlen(apps[i].label) > rows)
			rows = strlen(apps[i].label);
	for (size_t r = 0; r < rows; r++) {
		printf("%-*s :", (int)w, "");
		for (size_t i = 0; i < NAPP; i++) {
			size_t l = strlen(apps[i].label);

			if (cols & (1u << i))
				printf("  %c", r >= rows - l ?
				    apps[i].label[r - (rows - l)] : ' ');
		}
		printf("\n");
	}
	for (size_t i = 0; i < NAPP; i++)
		w += (cols & (1u << i)) ? 3 : 0;
	for (size_t i = 0; i < w + 2; i++)
		putchar('=');
	printf("\n");
}

static int
report(void)
{
	struct scamper_file *f = scamper_file_open_read(o.readfile);
	unsigned cols = 0;
	size_t w = 0;
	uint16_t type;
	void *obj;
	int r;

	if (f == NULL)
		return drv_fail("-r %s: %s", o.readfile, strerror(errno));
	while ((r = scamper_file_read(f, &type, &obj)) == 1) {
		if (type == SCAMPER_FILE_OBJ_PING)
			take(obj);
		scamper_file_obj_free(type, obj);
	}
	if (r == -1)
		drv_fail("-r %s: %s", o.readfile, scamper_file_error(f));
	scamper_file_close(f);
	for (size_t i = 0; i < nseen; i++) {
		cols |= seen[i].tested;
		if (strlen(seen[i].addr) > w)
			w = strlen(seen[i].addr);
	}
	header(cols, w);
	for (size_t i = 0; i < nseen; i++) {
		unsigned bad = incongruent(seen[i].dev, cols);

		if (o.incongruent && bad == 0)
			continue;
		printf("%-*s :", (int)w, seen[i].addr);
		for (size_t k = 0; k < NAPP; k++) {
			unsigned bit = 1u << k;

			if (!(cols & bit))
				continue;
			printf("  %c", (seen[i].answered & bit) ? 'O' :
			    (bad & bit) && (seen[i].tested & bit) ? 'X' : ' ');
		}
		printf("\n");
	}
	return r == -1 ? -1 : 0;
}

int
main(int argc, char **argv)
{
	int rc;

	drv_prog("sc_filterpolicy");
	signal(SIGPIPE, SIG_IGN);
	if (parse_opts(argc, argv) == -1)
		return 1;
	if (o.readfile != NULL)
		return report() == 0 ? 0 : 1;
	rc = measure();
	drv_close();
	return rc == 0 ? 0 : 1;
}
