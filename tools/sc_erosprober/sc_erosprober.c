/*
 * sc_erosprober: probe a set of addresses again and again through a
 * running scamper's control socket (attach mode), each once every -I
 * seconds with the commands spread evenly over the interval, the
 * results into a new warts file every -R seconds; the set may change
 * while it runs, through a unix socket of its own (-x, ep_ctl.c).
 *
 * The set is walked in a fixed order (shuffled once unless -O
 * noshuffle): every interval/N seconds the next address is due.  An
 * address whose last command has no result yet is passed over that
 * time (logged), so that one slow target does not hold up the rest.
 * It runs until SIGINT or SIGTERM, then lets scamper finish what is in
 * flight, writes those results and exits.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "drvutil.h"
#include "ep.h"
#include "scamper_file.h"
#include "scamper_ping.h"
#include "scamper_trace.h"
#include "tbitdrv.h"
#include "wire.h"

#define TICK_MS		100
#define WARTS_MAGIC	0x1205

struct ep_opts ep_o;
struct ep_set ep_set;

static struct {
	int64_t	 next_due, gap;		/* ms, monotonic */
	size_t	 cur, inflight;
	time_t	 rot_next;
	FILE	*f;
	size_t	 hdr_done;		/* bytes of drv.hdr in f */
	char	 name[4096];
} st;
static volatile sig_atomic_t stop;
static struct tbitdrv drv;

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The gap between two commands: the interval over the live addresses. */
static void
set_gap(void)
{
	size_t n = ep_set_live(&ep_set);

	st.gap = (int64_t)ep_o.interval * 1000 / (int64_t)(n > 0 ? n : 1);
}

void
ep_set_changed(void)
{
	set_gap();
}

/* ---- output --------------------------------------------------------- */

/* Bring the open file's list and cycle records up to those scamper has
 * sent (they come first, before any result). */
static int
sync_hdr(void)
{
	size_t n = drv.hdrlen - st.hdr_done;

	if (n > 0 && fwrite(drv.hdr + st.hdr_done, 1, n, st.f) != n)
		return drv_fail("%s: %s", st.name, strerror(errno));
	st.hdr_done = drv.hdrlen;
	return 0;
}

/* Write the record of TYPE with body B (LEN bytes) to the open file. */
static int
out_record(uint16_t type, const uint8_t *b, size_t len)
{
	uint8_t h[8];

	wire_set_be16(h, WARTS_MAGIC);
	wire_set_be16(h + 2, type);
	wire_set_be32(h + 4, (uint32_t)len);
	if (sync_hdr() == -1)
		return -1;
	if (fwrite(h, 1, 8, st.f) != 8 || fwrite(b, 1, len, st.f) != len ||
	    fflush(st.f) != 0)
		return drv_fail("%s: %s", st.name, strerror(errno));
	return 0;
}

/* Start the next output file, PREFIX.SECONDS.warts, with the list and
 * cycle records, so that each file can be read alone. */
static int
rotate(void)
{
	time_t now = time(NULL);

	if (st.f != NULL && fclose(st.f) != 0)
		drv_fail("%s: %s", st.name, strerror(errno));
	st.f = NULL;
	snprintf(st.name, sizeof(st.name), "%s.%lld.warts", ep_o.outfile,
	    (long long)now);
	if ((st.f = fopen(st.name, "w")) == NULL)
		return drv_fail("%s: %s", st.name, strerror(errno));
	drv_log("%s", st.name);
	st.rot_next = now + (time_t)ep_o.rotation;
	st.hdr_done = 0;
	if (sync_hdr() == -1 || fflush(st.f) != 0)
		return drv_fail("%s: %s", st.name, strerror(errno));
	return 0;
}

/* ---- probing -------------------------------------------------------- */

/* The live address after the one last probed that has no command out,
 * or NULL (all out, or none live).  Advances the walk. */
static struct ep_addr *
next_addr(void)
{
	for (size_t k = 0; k < ep_set.n; k++) {
		struct ep_addr *a = &ep_set.a[st.cur];

		st.cur = (st.cur + 1) % ep_set.n;
		if (!a->live)
			continue;
		if (!a->busy)
			return a;
		drv_log("%s: the last command's result is still out: "
		    "passed over", a->t.addr);
		return NULL;
	}
	return NULL;
}

static int
want(void *arg, char **cmd)
{
	int64_t now = now_ms();
	struct ep_addr *a;

	(void)arg;
	if (stop)
		return TBITDRV_DONE;
	if (ep_set.n == 0 || now < st.next_due)
		return TBITDRV_LATER;
	/* a late start (scamper slow to ask) does not make a burst */
	st.next_due = st.next_due + st.gap < now - ep_o.interval * 1000LL ?
	    now + st.gap : st.next_due + st.gap;
	if ((a = next_addr()) == NULL)
		return TBITDRV_LATER;
	if (asprintf(cmd, "%s %s", ep_o.command, a->t.addr) < 0)
		return TBITDRV_LATER;
	a->busy = 1;
	st.inflight++;
	drv_log("p %zu w %zu: %s", st.inflight, ep_set_live(&ep_set) -
	    st.inflight, *cmd);
	return TBITDRV_CMD;
}

/* The destination of a ping or trace record (TYPE, body B of LEN bytes)
 * is no longer out. */
static void
result_in(uint16_t type, const uint8_t *b, size_t len)
{
	const struct scamper_addr *dst;
	struct ep_addr *a;
	void *obj;

	if (type != SCAMPER_FILE_OBJ_PING && type != SCAMPER_FILE_OBJ_TRACE)
		return;
	if ((obj = tbitdrv_decode_obj(&drv, type, b, len)) == NULL)
		return;
	dst = type == SCAMPER_FILE_OBJ_PING ?
	    &((struct scamper_ping *)obj)->dst :
	    &((struct scamper_trace *)obj)->dst;
	if ((a = ep_set_find(&ep_set, dst->type == SCAMPER_ADDR_IPV4 ?
	    AF_INET : AF_INET6, dst->addr)) != NULL && a->busy) {
		a->busy = 0;
		st.inflight--;
	}
	scamper_file_obj_free(type, obj);
}

static void
on_record(void *arg, uint16_t type, const uint8_t *b, size_t len)
{
	(void)arg;
	if (st.f != NULL && out_record(type, b, len) == -1)
		stop = 1;
	result_in(type, b, len);
}

/* scamper refused a command: the run cannot go on as asked. */
static void
on_refused(void *arg, const char *line)
{
	(void)arg;
	drv_log("refused: %s", line);
	stop = 1;
}

static int
tick(void *arg)
{
	(void)arg;
	if (st.f != NULL && time(NULL) >= st.rot_next && rotate() == -1)
		return -1;
	return ep_ctl_serve();
}

static void
no_tbit(const struct tbitdrv_result *r)
{
	(void)r;
}

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int
run(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	if (sigaction(SIGINT, &sa, NULL) == -1 ||
	    sigaction(SIGTERM, &sa, NULL) == -1)
		return drv_fail("sigaction: %s", strerror(errno));
	signal(SIGPIPE, SIG_IGN);
	if (tbitdrv_init(&drv, "sc_erosprober", ep_o.sock.port, "/dev/null", 0,
	    want, no_tbit, NULL) == -1)
		return -1;
	tbitdrv_single_file(&drv);
	tbitdrv_on_record(&drv, on_record);
	tbitdrv_on_refused(&drv, on_refused);
	tbitdrv_on_tick(&drv, TICK_MS, tick);
	if (ep_o.outfile != NULL && rotate() == -1)
		return -1;
	set_gap();
	st.next_due = now_ms() + st.gap;
	return tbitdrv_run(&drv);
}

int
main(int argc, char **argv)
{
	int rc;

	drv_prog("sc_erosprober");
	srandom((unsigned)time(NULL) ^ (unsigned)getpid());
	if ((rc = ep_parse(argc, argv)) == 1)
		ep_usage(stdout);
	else if (rc == 0 && (rc = ep_read_addrs()) == 0 &&
	    (rc = ep_ctl_open()) == 0)
		rc = run();
	if (st.f != NULL && fclose(st.f) != 0)
		rc = drv_fail("%s: %s", st.name, strerror(errno));
	ep_ctl_close();
	ep_set_free(&ep_set);
	drv_close();
	return rc == -1 ? 1 : 0;
}
