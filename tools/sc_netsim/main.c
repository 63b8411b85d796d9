/*
 * main.c: sc_netsim, a deterministic simulated Internet on a TUN device.
 * Options, building the topology, the truth file and --path query, the
 * namespace safety check, then the event loop (run.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "netsim.h"
#include "run.h"
#include "tun.h"

#define MAX_TOPO_FILE	(16 * 1024 * 1024)
#define MAX_POLL_US	100000	/* --poll-us: at most 0.1 s */

/* one -P key: the field of struct netsim_params it sets and its range */
#define PARAM(name, field, min, max) \
	{ name, offsetof(struct netsim_params, field), min, max }

static const struct param {
	const char	*name;
	size_t		 off;
	long		 min, max;
} params[] = {
	PARAM("hops-min", hops_min, 2, 32),
	PARAM("hops-max", hops_max, 2, 32),
	PARAM("leaf4", leaf4, 1, 32),
	PARAM("leaf6", leaf6, 1, 128),
	PARAM("lb", lb_share, 0, 1000),
	PARAM("lb-nested", lb_nested, 0, 1000),
	PARAM("lb-per-packet", lb_perpkt, 0, 1000),
	PARAM("lb-max-width", lb_maxwidth, 2, 16),
	PARAM("anon", anon_share, 0, 1000),
	PARAM("mpls", mpls_share, 0, 1000),
	PARAM("ratelimit", rl_share, 0, 1000),
	PARAM("ratelimit-rate", rl_rate, 1, 1000000),
	PARAM("ratelimit-burst", rl_burst, 1, 1000000),
	PARAM("mtu", mtu_share, 0, 1000),
	PARAM("silent", silent_share, 0, 1000),
	PARAM("loss", loss_ppm, 0, 1000000),
	PARAM("delay-min", delay_min_us, 0, 10000000),
	PARAM("delay-max", delay_max_us, 0, 10000000),
	PARAM("jitter", jitter_us, 0, 10000000),
	PARAM("ipid-per-interface", ipid_perif, 0, 1000),
	PARAM("ipid-random", ipid_random, 0, 1000),
	PARAM("ipid-zero", ipid_zero, 0, 1000),
	PARAM("ipid-bswap", ipid_bswap, 0, 1000),
	PARAM("velocity-max", velocity_max, 0, 1000000),
	PARAM("unreach-inbound", unreach_inbound, 0, 1000),
};
#undef PARAM

struct opts {
	struct netsim_params	 p;
	const char		*topo;
	const char		*truth;
	const char		*dev;
	const char		*ready;
	const char		*path_src;
	const char		*paths;
	const char		*lbtruth;
	const char		*ratelog;
	const char		*replytruth;
	int			 mtu;
	int			 dry_run;
	int			 uring;
	long			 poll_us;
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: sc_netsim [-nv] [-s seed] [-t topology] [-T truth] "
	    "[-d dev] [-m mtu]\n"
	    "                 [-P key=value] [-4 prefix] [-6 prefix] "
	    "[-r readyfile]\n"
	    "                 [--no-v4] [--no-v6] [--no-delay] "
	    "[--io uring|epoll]\n"
	    "                 [--rate-log file] [--reply-truth file] "
	    "[--poll-us usec]\n"
	    "       sc_netsim [options] --path SRC DST PROTO L4HDR\n"
	    "       sc_netsim [options] --paths FILE\n"
	    "       sc_netsim [options] --lbtruth FILE\n"
	    "keys for -P:");
	for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++)
		fprintf(f, " %s", params[i].name);
	fprintf(f, "\n");
}

static int
set_param(struct netsim_params *p, const char *kv)
{
	const char *eq = strchr(kv, '=');
	char *end;
	long v;

	if (eq == NULL) {
		log_warnx("-P %s: expected KEY=VALUE", kv);
		return -1;
	}
	for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		if (strlen(params[i].name) != (size_t)(eq - kv) ||
		    strncmp(params[i].name, kv, (size_t)(eq - kv)) != 0)
			continue;
		errno = 0;
		v = strtol(eq + 1, &end, 10);
		if (eq[1] == '\0' || *end != '\0' || errno != 0 ||
		    v < params[i].min || v > params[i].max) {
			log_warnx("-P %s: value must be %ld..%ld", kv,
			    params[i].min, params[i].max);
			return -1;
		}
		*(int *)((char *)p + params[i].off) = (int)v;
		return 0;
	}
	log_warnx("-P %s: unknown key (sc_netsim -h lists them)", kv);
	return -1;
}

static int
set_prefix(uint8_t *pfx, int *plen, int af, const char *arg)
{
	const char *slash = strchr(arg, '/');
	char buf[64], *end;
	long v;

	if (slash == NULL || (size_t)(slash - arg) >= sizeof(buf))
		goto bad;
	memcpy(buf, arg, (size_t)(slash - arg));
	buf[slash - arg] = '\0';
	memset(pfx, 0, af == 4 ? 4 : 16);
	if (inet_pton(af == 4 ? AF_INET : AF_INET6, buf, pfx) != 1)
		goto bad;
	v = strtol(slash + 1, &end, 10);
	if (slash[1] == '\0' || *end != '\0' || v < 1 ||
	    v > (af == 4 ? 29 : 125))
		goto bad;
	*plen = (int)v;
	return 0;
bad:
	log_warnx("-%d %s: expected an IPv%d prefix ADDRESS/LENGTH", af, arg,
	    af);
	return -1;
}

/* --poll-us ARG: microseconds, 0..MAX_POLL_US. */
static int
set_poll_us(struct opts *o, const char *arg)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || errno != 0 || v < 0 ||
	    v > MAX_POLL_US) {
		log_warnx("--poll-us %s: expected microseconds, 0..%d", arg,
		    MAX_POLL_US);
		return -1;
	}
	o->poll_us = v;
	return 0;
}

static int
parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "topology", required_argument, NULL, 't' },
		{ "truth", required_argument, NULL, 'T' },
		{ "dev", required_argument, NULL, 'd' },
		{ "mtu", required_argument, NULL, 'm' },
		{ "param", required_argument, NULL, 'P' },
		{ "prefix4", required_argument, NULL, '4' },
		{ "prefix6", required_argument, NULL, '6' },
		{ "ready", required_argument, NULL, 'r' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "path", required_argument, NULL, 1 },
		{ "paths", required_argument, NULL, 5 },
		{ "no-v4", no_argument, NULL, 2 },
		{ "no-v6", no_argument, NULL, 3 },
		{ "no-delay", no_argument, NULL, 4 },
		{ "io", required_argument, NULL, 6 },
		{ "lbtruth", required_argument, NULL, 7 },
		{ "rate-log", required_argument, NULL, 8 },
		{ "reply-truth", required_argument, NULL, 9 },
		{ "poll-us", required_argument, NULL, 10 },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c, verbose = 0;

	while ((c = getopt_long(argc, argv, "s:t:T:d:m:P:4:6:r:nvh", lopts,
	    NULL)) != -1) {
		switch (c) {
		case 's':
			errno = 0;
			o->p.seed = strtoull(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || errno != 0) {
				log_warnx("-s %s: not a number", optarg);
				return -1;
			}
			break;
		case 't':
			o->topo = optarg;
			break;
		case 'T':
			o->truth = optarg;
			break;
		case 'd':
			o->dev = optarg;
			break;
		case 'm':
			o->mtu = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || o->mtu < 1280 || o->mtu > 65535) {
				log_warnx("-m %s: MTU must be 1280..65535",
				    optarg);
				return -1;
			}
			break;
		case 'P':
			if (set_param(&o->p, optarg) == -1)
				return -1;
			break;
		case '4':
			if (set_prefix(o->p.pfx4, &o->p.plen4, 4, optarg) == -1)
				return -1;
			break;
		case '6':
			if (set_prefix(o->p.pfx6, &o->p.plen6, 6, optarg) == -1)
				return -1;
			break;
		case 'r':
			o->ready = optarg;
			break;
		case 'n':
			o->dry_run = 1;
			break;
		case 'v':
			log_set_verbosity(++verbose);
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 1:
			o->path_src = optarg;
			break;
		case 2:
			o->p.v4 = 0;
			break;
		case 3:
			o->p.v6 = 0;
			break;
		case 5:
			o->paths = optarg;
			break;
		case 7:
			o->lbtruth = optarg;
			break;
		case 8:
			o->ratelog = optarg;
			break;
		case 9:
			o->replytruth = optarg;
			break;
		case 10:
			if (set_poll_us(o, optarg) == -1)
				return -1;
			break;
		case 6:
			if (strcmp(optarg, "uring") == 0)
				o->uring = 1;
			else if (strcmp(optarg, "epoll") == 0)
				o->uring = 0;
			else {
				log_warnx("--io %s: expected uring or epoll",
				    optarg);
				return -1;
			}
			break;
		case 4:
			o->p.delay_min_us = o->p.delay_max_us = 0;
			o->p.jitter_us = 0;
			break;
		default:
			usage(stderr);
			return -1;
		}
	}
	if (o->path_src != NULL ? argc - optind != 3 : argc != optind) {
		log_warnx(o->path_src != NULL ? "--path needs SRC DST PROTO "
		    "L4HDR" : "unexpected argument '%s'", argv[optind]);
		return -1;
	}
	return 0;
}

static struct netsim *
load_topology(const struct opts *o)
{
	struct netsim *s;
	char err[512];
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (o->topo == NULL) {
		if ((s = netsim_generate(&o->p, err, sizeof(err))) == NULL)
			log_warnx("generating the topology: %s", err);
		return s;
	}
	if ((f = fopen(o->topo, "r")) == NULL) {
		log_warn("%s", o->topo);
		return NULL;
	}
	if ((buf = malloc(MAX_TOPO_FILE + 1)) == NULL) {
		fclose(f);
		return NULL;
	}
	len = fread(buf, 1, MAX_TOPO_FILE + 1, f);
	fclose(f);
	if (len > MAX_TOPO_FILE) {
		log_warnx("%s: larger than %d bytes", o->topo, MAX_TOPO_FILE);
		free(buf);
		return NULL;
	}
	if ((s = netsim_parse(buf, len, &o->p, err, sizeof(err))) == NULL)
		log_warnx("%s: %s", o->topo, err);
	free(buf);
	return s;
}

static int
write_truth(const struct netsim *s, const char *path)
{
	FILE *f;
	int rc;

	if ((f = fopen(path, "w")) == NULL) {
		log_warn("%s", path);
		return -1;
	}
	rc = netsim_truth_write(s, f);
	if (fclose(f) != 0 || rc == -1) {
		log_warnx("%s: write failed", path);
		return -1;
	}
	return 0;
}

/* Read FILE ("-" is stdin) a line at a time, handing each line (its end
 * of line cut off) and its number to ANSWER, which prints the answer; a
 * bad query is answered on stdout and does not stop the run. */
static int
query_batch(const struct netsim *s, const char *file,
    void (*answer)(const struct netsim *, const char *, int))
{
	char line[1024];
	FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
	int lineno = 0;

	if (f == NULL) {
		log_warn("%s", file);
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		answer(s, line, ++lineno);
	}
	if (f != stdin)
		fclose(f);
	fflush(stdout);
	return ferror(stdout) ? -1 : 0;
}

/* --paths: one query "SRC DST PROTO L4HDR" a line; each answer is "# "
 * and the query, the hops (or "# error: ..."), and a blank line. */
static void
path_answer(const struct netsim *s, const char *line, int lineno)
{
	char a[4][256], err[256];

	printf("# %s\n", line);
	if (sscanf(line, "%255s %255s %255s %255s", a[0], a[1], a[2],
	    a[3]) != 4)
		printf("# error: line %d: expected SRC DST PROTO L4HDR\n",
		    lineno);
	else if (netsim_path_print(s, a[0], a[1], a[2], a[3], stdout,
	    err, sizeof(err)) == -1)
		printf("# error: line %d: %s\n", lineno, err);
	printf("\n");
}

static int
write_ready(const char *path, const char *dev)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL) {
		log_warn("%s", tmp);
		return -1;
	}
	fprintf(f, "%s %ld\n", dev, (long)getpid());
	if (fclose(f) != 0 || rename(tmp, path) == -1) {
		log_warn("%s", path);
		return -1;
	}
	return 0;
}

/* Close the output file F of option OPT (NULL is fine): 0, or -1 with a
 * message naming it when a write failed. */
static int
close_output(FILE *f, const char *opt, const char *path)
{
	if (f != NULL && fclose(f) != 0) {
		log_warn("%s %s: write failed", opt, path);
		return -1;
	}
	return 0;
}

static int
serve(struct netsim *s, const struct opts *o)
{
	char why[256], dev[64];
	FILE *rate = NULL, *replies = NULL;
	int fd, rc;

	rc = tun_has_default_route(why, sizeof(why));
	if (rc != 0) {
		log_warnx("refusing to run: %s%s", rc == 1 ? "this network "
		    "namespace has " : "", why);
		if (rc == 1)
			log_warnx("start sc_netsim in a namespace with no route "
			    "out (ip netns add ...; see sc_netsim(1))");
		return -1;
	}
	if ((fd = tun_open(o->dev, o->mtu, dev, sizeof(dev), why,
	    sizeof(why))) == -1) {
		log_warnx("%s", why);
		return -1;
	}
	log_info("serving the simulated Internet on %s", dev);
	if (o->ready != NULL && write_ready(o->ready, dev) == -1) {
		close(fd);
		return -1;
	}
	if (o->ratelog != NULL && (rate = fopen(o->ratelog, "w")) == NULL) {
		log_warn("--rate-log %s", o->ratelog);
		close(fd);
		return -1;
	}
	if (o->replytruth != NULL &&
	    (replies = fopen(o->replytruth, "w")) == NULL) {
		log_warn("--reply-truth %s", o->replytruth);
		(void)close_output(rate, "--rate-log", o->ratelog);
		close(fd);
		return -1;
	}
	/* a line a reply, 250,000 a second at the benchmarks' top rate:
	 * one write(2) a megabyte, not one a page */
	if (replies != NULL)
		(void)setvbuf(replies, NULL, _IOFBF, 1 << 20);
	rc = run_loop(s, fd, (size_t)o->mtu, o->uring, o->poll_us, stderr, rate,
	    replies);
	if (close_output(rate, "--rate-log", o->ratelog) == -1)
		rc = -1;
	if (close_output(replies, "--reply-truth", o->replytruth) == -1)
		rc = -1;
	close(fd);
	return rc;
}

/* --lbtruth: one query "DST PROTO" a line; each answer is "# " and the
 * query, node and link lines (or "# error: ..."), and a blank line. */
static void
lbtruth_answer(const struct netsim *s, const char *line, int lineno)
{
	char a[2][256], err[256];

	if (sscanf(line, "%255s %255s", a[0], a[1]) != 2)
		printf("# %s\n# error: line %d: expected DST PROTO\n\n",
		    line, lineno);
	else if (netsim_lbtruth_print(s, a[0], a[1], stdout, err,
	    sizeof(err)) == -1)
		printf("# %s\n# error: line %d: %s\n\n", line, lineno, err);
}

int
main(int argc, char **argv)
{
	struct netsim *s;
	struct opts o;
	char err[256];
	int rc = 1;

	log_init("sc_netsim");
	memset(&o, 0, sizeof(o));
	netsim_params_default(&o.p);
	o.dev = "scsim%d";
	o.mtu = 1500;
	o.uring = 1;
	if (parse_opts(argc, argv, &o) == -1)
		return 1;
	if ((s = load_topology(&o)) == NULL)
		return 1;
	if (o.path_src != NULL) {
		if (netsim_path_print(s, o.path_src, argv[optind],
		    argv[optind + 1], argv[optind + 2], stdout, err,
		    sizeof(err)) == -1)
			log_warnx("%s", err);
		else
			rc = 0;
		goto out;
	}
	if (o.paths != NULL) {
		rc = query_batch(s, o.paths, path_answer) == -1 ? 1 : 0;
		goto out;
	}
	if (o.lbtruth != NULL) {
		rc = query_batch(s, o.lbtruth, lbtruth_answer) == -1 ? 1 : 0;
		goto out;
	}
	if (o.truth != NULL && write_truth(s, o.truth) == -1)
		goto out;
	if (o.dry_run) {
		rc = 0;
		goto out;
	}
	rc = serve(s, &o) == -1 ? 1 : 0;
out:
	netsim_free(s);
	return rc;
}
