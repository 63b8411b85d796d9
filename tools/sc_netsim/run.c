/*
 * run.c: sc_netsim's event loop: what both backends share (delayed
 * replies, signals, counters) and the epoll backend.
 *
 * A reply whose delay is zero is sent at once; others wait in a slot in
 * the timer heap.  Slots are kept on free lists by size class, so the
 * steady state allocates nothing.  The epoll backend watches the TUN
 * descriptor and a signalfd; each wake-up reads up to a batch of packets
 * (one per read(2), as TUN gives them) and answers each through
 * netsim_input().  epoll_pwait2 takes a nanosecond timeout, so delays are
 * not rounded to milliseconds.  The io_uring backend is run_uring.c.
 *
 * --poll-us: a packet written into the TUN device wakes a reader asleep
 * on it, and that wake-up (try_to_wake_up, an IPI to the other CPU) is
 * done in the sender's system call, charged to the prober.  For POLL_US
 * after each packet read the loop therefore does not sleep: it looks
 * again (epoll_pwait2 with a zero timeout here, the ring's flags in
 * run_uring.c) and runs the timers each turn; past that it waits in the
 * kernel as before.  A sender's next packet then finds nobody to wake.
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "monotime.h"
#include "run.h"
#include "run_int.h"
#include "timer.h"

#define BATCH		256	/* packets read per wake-up */
#define SLOT_SMALL	256
#define SLOT_LARGE	2048
#define MAX_QUEUED	(1u << 20)

struct slot {
	struct timer	 t;
	struct runner	*run;
	struct slot	*next;		/* free list */
	struct reply_meta meta;
	size_t		 cap, len;
	uint8_t		 data[];
};

static void
write_now(struct runner *r, const uint8_t *pkt, size_t len,
    const struct reply_meta *m)
{
	struct monotime t = monotime_now();

	if (write(r->fd, pkt, len) != (ssize_t)len)
		r->write_fail++;
	run_sent(r, m, pkt, len, t);	/* its log line after the write */
}

static void
slot_put(struct runner *r, struct slot *sl)
{
	if (sl->cap == SLOT_SMALL) {
		sl->next = r->free_small;
		r->free_small = sl;
	} else if (sl->cap == SLOT_LARGE) {
		sl->next = r->free_large;
		r->free_large = sl;
	} else
		free(sl);
	r->queued--;
}

static void
slot_fire(void *arg)
{
	struct slot *sl = arg;

	sl->run->send(sl->run, sl->data, sl->len, &sl->meta);
	slot_put(sl->run, sl);
}

static struct slot *
slot_get(struct runner *r, size_t len)
{
	struct slot **fl = NULL, *sl;
	size_t cap;

	if (len <= SLOT_SMALL) {
		fl = &r->free_small;
		cap = SLOT_SMALL;
	} else if (len <= SLOT_LARGE) {
		fl = &r->free_large;
		cap = SLOT_LARGE;
	} else
		cap = len;
	if (fl != NULL && *fl != NULL) {
		sl = *fl;
		*fl = sl->next;
	} else if ((sl = malloc(sizeof(*sl) + cap)) == NULL)
		return NULL;
	sl->cap = cap;
	sl->run = r;
	timer_init(&sl->t, slot_fire, sl);
	return sl;
}

static void
reply_one(struct runner *r, const struct netsim_reply *rep,
    const struct reply_meta *m, struct monotime now)
{
	struct slot *sl;

	if (rep->delay_ns <= 0 || r->queued >= MAX_QUEUED ||
	    (sl = slot_get(r, rep->len)) == NULL) {
		if (rep->delay_ns > 0)
			r->queue_full++;
		r->send(r, rep->pkt, rep->len, m);
		return;
	}
	memcpy(sl->data, rep->pkt, rep->len);
	sl->len = rep->len;
	sl->meta = *m;
	r->queued++;
	r->delayed++;
	if (timer_schedule(&r->th, &sl->t, monotime_add_ns(now,
	    rep->delay_ns)) == -1) {
		r->send(r, rep->pkt, rep->len, m);
		slot_put(r, sl);
	}
}

void
run_reply(struct runner *r, const struct netsim_reply *rep,
    const uint8_t *probe, size_t plen, struct monotime now)
{
	struct reply_meta m;

	run_meta(&m, probe, plen, now, rep->delay_ns);
	reply_one(r, rep, &m, now);
	if (rep->pkt2 != NULL) {	/* the second fragment, alike */
		struct netsim_reply second = *rep;

		second.pkt = rep->pkt2;
		second.len = rep->len2;
		second.pkt2 = NULL;
		reply_one(r, &second, &m, now);
	}
}

static void
read_batch(struct runner *r, uint8_t *buf, size_t bufsz)
{
	struct monotime now;
	struct netsim_reply rep;

	for (int i = 0; i < BATCH; i++) {
		ssize_t n = read(r->fd, buf, bufsz);

		if (n <= 0)
			return;
		/* read after the packet: a reply never leaves before its
		 * designed delay (NETSIM_TICK_US) */
		now = monotime_now();
		r->last_in = now;
		if (netsim_input(r->s, buf, (size_t)n, now.ns, &rep))
			run_reply(r, &rep, buf, (size_t)n, now);
	}
}

void
run_print_counters(struct runner *r)
{
	fprintf(r->counters, "sc_netsim: ");
	netsim_counters_print(r->s, r->counters);
	fprintf(r->counters, "sc_netsim: out_delayed=%llu queued=%llu "
	    "queue_full=%llu write_fail=%llu loop_waits=%llu loop_polls=%llu ",
	    (unsigned long long)r->delayed, (unsigned long long)r->queued,
	    (unsigned long long)r->queue_full,
	    (unsigned long long)r->write_fail,
	    (unsigned long long)r->waits, (unsigned long long)r->polls);
	run_late_print(r, r->counters);
	fprintf(r->counters, "\n");
	fflush(r->counters);
	if (r->replylog != NULL)	/* complete up to now for a reader */
		fflush(r->replylog);
}

/* One --rate-log line: "K MONO IN OUT": the line's number, the
 * monotonic clock (seconds) as it is written, the packets read and the
 * replies made so far (cumulative: a second's rate is the difference of
 * two lines over the difference of their times). */
static void
rate_line(struct runner *r)
{
	const struct netsim_counters *c = netsim_counters(r->s);
	struct monotime now = monotime_now();

	fprintf(r->ratelog, "%llu %lld.%09lld %llu %llu\n",
	    (unsigned long long)r->rate_sec, (long long)(now.ns / 1000000000),
	    (long long)(now.ns % 1000000000),
	    (unsigned long long)c->in_pkts, (unsigned long long)c->out_pkts);
	fflush(r->ratelog);
}

/* --rate-log: a line at each whole second of the loop.  A loop kept
 * waiting writes late lines (their times say so), never wrong counts. */
static void
rate_fire(void *arg)
{
	struct runner *r = arg;

	r->rate_sec++;
	rate_line(r);
	fflush(r->ratelog);
	(void)timer_schedule(&r->th, &r->ratet, monotime_add_ns(r->start,
	    (int64_t)(r->rate_sec + 1) * 1000000000));
}

static void
free_list(struct slot *sl)
{
	while (sl != NULL) {
		struct slot *n = sl->next;
		free(sl);
		sl = n;
	}
}

int
run_read_signals(struct runner *r, int sfd)
{
	struct signalfd_siginfo si;
	int stop = 0;

	while (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGUSR1)
			run_print_counters(r);
		else
			stop = 1;
	}
	return stop;
}

static int
setup_signals(int *sfd)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1 ||
	    (*sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) == -1)
		return -1;
	return 0;
}

/* The epoll loop: one read(2) per packet, one write(2) per reply. */
static int
run_epoll(struct runner *r, int sfd)
{
	struct epoll_event ev[4];
	size_t bufsz = 65536;
	uint8_t *buf;
	int epfd, stop = 0, rc = -1;

	if ((buf = malloc(bufsz)) == NULL ||
	    (epfd = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		log_warn("setting up the event loop");
		free(buf);
		return -1;
	}
	memset(ev, 0, sizeof(ev));
	ev[0].events = EPOLLIN;
	ev[0].data.fd = r->fd;
	ev[1].events = EPOLLIN;
	ev[1].data.fd = sfd;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, r->fd, &ev[0]) == -1 ||
	    epoll_ctl(epfd, EPOLL_CTL_ADD, sfd, &ev[1]) == -1) {
		log_warn("epoll_ctl");
		goto out;
	}
	while (!stop) {
		struct timespec ts, zero = { 0, 0 }, *tp;
		int n;

		if (run_polling(r, monotime_now())) {
			tp = &zero;
			r->polls++;
		} else {
			tp = run_timeout(r, &ts);
			r->waits++;
		}
		n = epoll_pwait2(epfd, ev, 4, tp, NULL);
		if (n == -1 && errno != EINTR) {
			log_warn("epoll_pwait2");
			goto out;
		}
		for (int i = 0; i < n; i++) {
			if (ev[i].data.fd == r->fd)
				read_batch(r, buf, bufsz);
			else if (run_read_signals(r, sfd))
				stop = 1;
		}
		timer_heap_run(&r->th, monotime_now());
	}
	rc = 0;
out:
	close(epfd);
	free(buf);
	return rc;
}

int
run_polling(const struct runner *r, struct monotime now)
{
	return r->poll_ns > 0 && monotime_sub_ns(now, r->last_in) <
	    r->poll_ns;
}

struct timespec *
run_timeout(struct runner *r, struct timespec *ts)
{
	struct timer *t = timer_heap_peek(&r->th);
	int64_t ns;

	if (t == NULL)
		return NULL;
	if ((ns = monotime_sub_ns(t->when, monotime_now())) < 0)
		ns = 0;
	ts->tv_sec = ns / 1000000000;
	ts->tv_nsec = ns % 1000000000;
	return ts;
}

/* Wall clock less monotonic clock, in ns, for --reply-truth's times. */
static int64_t
realtime_offset(void)
{
	struct timespec ts;
	struct monotime m = monotime_now();

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec - m.ns;
}

int
run_loop(struct netsim *s, int fd, size_t mtu, int use_uring, long poll_us,
    FILE *counters, FILE *ratelog, FILE *replylog)
{
	struct runner r;
	int sfd = -1, rc = -1;

	memset(&r, 0, sizeof(r));
	r.s = s;
	r.fd = fd;
	r.mtu = mtu;
	r.poll_ns = (int64_t)poll_us * 1000;
	r.counters = counters;
	r.replylog = replylog;
	r.rt_off = realtime_offset();
	r.send = write_now;
	timer_heap_init(&r.th);
	timer_init(&r.ratet, rate_fire, &r);
	if ((r.ratelog = ratelog) != NULL) {
		r.start = monotime_now();
		rate_line(&r);
		(void)timer_schedule(&r.th, &r.ratet, monotime_add_ns(r.start,
		    1000000000));
	}
	if (setup_signals(&sfd) == -1) {
		log_warn("signalfd");
		return -1;
	}
	if (use_uring) {
		rc = run_uring(&r, sfd);
		if (rc == -2)
			log_info("io_uring is not available; using epoll");
	}
	if (!use_uring || rc == -2) {
		r.send = write_now;
		rc = run_epoll(&r, sfd);
	}
	run_print_counters(&r);
	timer_cancel(&r.th, &r.ratet);
	for (struct timer *t; (t = timer_heap_peek(&r.th)) != NULL;) {
		timer_cancel(&r.th, t);
		/* the slot it is embedded in */
		free((char *)t - offsetof(struct slot, t));
	}
	free_list(r.free_small);
	free_list(r.free_large);
	timer_heap_fini(&r.th);
	close(sfd);
	return rc;
}
