/*
 * test_loop.c: the event loop with each backend built here: descriptor
 * readiness, deletion inside a callback, timers, signals, loop_stop and
 * the "nothing left to do" exit.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "loop.h"
#include "../lib/check_table.h"

static const enum loop_kind kinds[] = { LOOP_POLL, LOOP_SELECT, LOOP_EPOLL,
    LOOP_DEFAULT };
#define NKINDS ((int)(sizeof(kinds) / sizeof(kinds[0])))

struct ctx {
	struct loop *l;
	struct loop_fd *lfd;
	int reads;
	int timers;
	int sigs;
	char buf[16];
	int order[8];
	int norder;
};

static struct loop *
mkloop(int i)
{
	struct loop *l;

	if (!loop_kind_available(kinds[i]))
		return NULL;
	l = loop_new(kinds[i]);
	ck_assert_ptr_nonnull(l);
	return l;
}

static void
on_read(struct loop_fd *lfd, int fd, int events, void *arg)
{
	struct ctx *c = arg;
	ssize_t n = read(fd, c->buf, sizeof(c->buf));

	ck_assert(events & LOOP_READ);
	if (n > 0)
		c->reads++;
	loop_fd_del(c->l, lfd);	/* deleting itself is safe */
}

START_TEST(fd_ready)
{
	struct ctx c = { 0 };
	int p[2];

	if ((c.l = mkloop(_i)) == NULL)
		return;
	ck_assert_int_eq(pipe(p), 0);
	c.lfd = loop_fd_add(c.l, p[0], LOOP_READ, on_read, &c);
	ck_assert_ptr_nonnull(c.lfd);
	/* the same descriptor twice is refused */
	ck_assert_ptr_null(loop_fd_add(c.l, p[0], LOOP_READ, on_read, &c));
	ck_assert_int_eq(errno, EEXIST);
	ck_assert_int_eq(write(p[1], "x", 1), 1);
	ck_assert_int_eq(loop_run(c.l), 0);	/* returns: nothing left */
	ck_assert_int_eq(c.reads, 1);
	/* the descriptor can be watched again after deletion */
	ck_assert_ptr_nonnull(loop_fd_add(c.l, p[0], LOOP_READ, on_read, &c));
	ck_assert_int_eq(write(p[1], "y", 1), 1);
	ck_assert_int_eq(loop_run(c.l), 0);
	ck_assert_int_eq(c.reads, 2);
	loop_free(c.l);
	close(p[0]);
	close(p[1]);
}
END_TEST

struct tctx {
	struct ctx *c;
	int id;
	struct timer t;
};

static void
on_timer(void *arg)
{
	struct tctx *t = arg;

	t->c->order[t->c->norder++] = t->id;
	t->c->timers++;
}

START_TEST(timers)
{
	struct ctx c = { 0 };
	struct tctx t[3];
	int64_t delay[3] = { 30, 5, 15 };

	if ((c.l = mkloop(_i)) == NULL)
		return;
	for (int i = 0; i < 3; i++) {
		t[i].c = &c;
		t[i].id = i;
		timer_init(&t[i].t, on_timer, &t[i]);
		ck_assert_int_eq(loop_timer_after(c.l, &t[i].t, delay[i]), 0);
	}
	ck_assert_int_eq(loop_run(c.l), 0);
	ck_assert_int_eq(c.timers, 3);
	ck_assert_int_eq(c.order[0], 1);
	ck_assert_int_eq(c.order[1], 2);
	ck_assert_int_eq(c.order[2], 0);
	loop_free(c.l);
}
END_TEST

struct busy {
	struct loop *l;
	int wfd;
	int passes;
	struct monotime first, last;
};

/* Always busy: each pass reads its byte and writes the next. */
static void
on_busy(struct loop_fd *lfd, int fd, int events, void *arg)
{
	struct busy *b = arg;
	char ch;

	ck_assert_int_eq(read(fd, &ch, 1), 1);
	b->last = monotime_now();
	if (b->passes++ == 0)
		b->first = b->last;
	if (b->passes == 6)
		loop_fd_del(b->l, lfd);
	else
		ck_assert_int_eq(write(b->wfd, "x", 1), 1);
}

/* With a tick, a loop that is always busy passes at most once a tick;
 * nothing is lost and timers still fire in order.  The loop calls itself
 * busy after a wait shorter than a tick, so on a loaded machine a wait
 * that took longer (the process was not run) skips the next tick's sleep:
 * but that long wait itself took a tick.  Of the five intervals between
 * six passes at most every other one can be short, so they add up to two
 * ticks at least, loaded or not (without the tick: microseconds). */
START_TEST(tick)
{
	struct busy b = { 0 };
	struct ctx c = { 0 };
	struct tctx t[2];
	int p[2];

	if ((b.l = c.l = mkloop(_i)) == NULL)
		return;
	loop_set_tick(b.l, 20 * 1000000LL);
	ck_assert_int_eq(pipe(p), 0);
	b.wfd = p[1];
	ck_assert_ptr_nonnull(loop_fd_add(b.l, p[0], LOOP_READ, on_busy, &b));
	for (int i = 0; i < 2; i++) {
		t[i].c = &c;
		t[i].id = i;
		timer_init(&t[i].t, on_timer, &t[i]);
		ck_assert_int_eq(loop_timer_after(c.l, &t[i].t, 10 - 5 * i), 0);
	}
	ck_assert_int_eq(write(p[1], "x", 1), 1);
	ck_assert_int_eq(loop_run(b.l), 0);
	ck_assert_int_eq(b.passes, 6);
	ck_assert(monotime_sub_ns(b.last, b.first) >= 2 * 20 * 1000000LL);
	ck_assert_int_eq(c.timers, 2);
	ck_assert_int_eq(c.order[0], 1);
	ck_assert_int_eq(c.order[1], 0);
	loop_free(b.l);
	close(p[0]);
	close(p[1]);
}
END_TEST

/* Read the pipe's byte and stop watching it. */
static void
on_once(struct loop_fd *lfd, int fd, int events, void *arg)
{
	struct ctx *c = arg;
	char ch;

	ck_assert_int_eq(read(fd, &ch, 1), 1);
	c->reads++;
	loop_fd_del(c->l, lfd);
}

/* A reply makes the loop busy, and the last timer falls due in the
 * tick's sleep that follows: with nothing left to wait for, the loop
 * returns (it used to wait for ever on no descriptor). */
START_TEST(tick_last_timer)
{
	struct ctx c = { 0 };
	struct tctx t = { .c = &c, .id = 0 };
	int p[2];

	if ((c.l = mkloop(_i)) == NULL)
		return;
	loop_set_tick(c.l, 20 * 1000000LL);
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_ptr_nonnull(loop_fd_add(c.l, p[0], LOOP_READ, on_once, &c));
	ck_assert_int_eq(write(p[1], "x", 1), 1);
	timer_init(&t.t, on_timer, &t);
	ck_assert_int_eq(loop_timer_after(c.l, &t.t, 10), 0);
	ck_assert_int_eq(loop_run(c.l), 0);
	ck_assert_int_eq(c.reads, 1);
	ck_assert_int_eq(c.timers, 1);
	loop_free(c.l);
	close(p[0]);
	close(p[1]);
}
END_TEST

static void
on_sig(int signo, void *arg)
{
	struct ctx *c = arg;

	ck_assert_int_eq(signo, SIGUSR1);
	c->sigs++;
	loop_stop(c->l);
}

static void
raise_usr1(void *arg)
{
	raise(SIGUSR1);
}

START_TEST(signals_and_stop)
{
	struct ctx c = { 0 };
	struct timer kick, never;
	int p[2];

	if ((c.l = mkloop(_i)) == NULL)
		return;
	ck_assert_int_eq(loop_signal(c.l, SIGUSR1, on_sig, &c), 0);
	/* a watched pipe that never becomes readable keeps the loop alive,
	 * so only the signal's loop_stop() can end this run */
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_ptr_nonnull(loop_fd_add(c.l, p[0], LOOP_READ, on_read, &c));
	timer_init(&kick, raise_usr1, NULL);
	timer_init(&never, raise_usr1, NULL);
	loop_timer_after(c.l, &kick, 1);
	loop_timer_after(c.l, &never, 3600 * 1000);
	ck_assert_int_eq(loop_run(c.l), 0);
	ck_assert_int_eq(c.sigs, 1);
	ck_assert_int_eq(c.reads, 0);
	ck_assert(timer_pending(&never));
	loop_timer_cancel(c.l, &never);
	ck_assert(!timer_pending(&never));
	loop_free(c.l);
	close(p[0]);
	close(p[1]);
}
END_TEST

START_TEST(names)
{
	enum loop_kind k;

	ck_assert_int_eq(loop_kind_parse("epoll", &k), 0);
	ck_assert_int_eq(k, LOOP_EPOLL);
	ck_assert_int_eq(loop_kind_parse("select", &k), 0);
	ck_assert_int_eq(k, LOOP_SELECT);
	ck_assert_int_eq(loop_kind_parse("kqueue", &k), 0);
	ck_assert_int_eq(loop_kind_parse("warts", &k), -1);
	ck_assert_str_eq(loop_kind_name(LOOP_POLL), "poll");
	ck_assert(loop_kind_available(LOOP_POLL));
	ck_assert(loop_kind_available(LOOP_SELECT));
	ck_assert_int_eq(loop_kind_available(LOOP_EPOLL), HAVE_EPOLL);
	ck_assert_int_eq(loop_kind_available(LOOP_KQUEUE), HAVE_KQUEUE);
	if (!HAVE_KQUEUE) {
		ck_assert_ptr_null(loop_new(LOOP_KQUEUE));
		ck_assert_int_eq(errno, ENOSYS);
	}
}
END_TEST

START_TEST(empty_loop_returns)
{
	struct loop *l;

	if ((l = mkloop(_i)) == NULL)
		return;
	ck_assert_int_eq(loop_run(l), 0);
	ck_assert(monotime_cmp(loop_now(l), (struct monotime){ 0 }) > 0);
	loop_free(l);
}
END_TEST

int
main(void)
{
	const TTest *each_kind[] = {
		fd_ready, timers, signals_and_stop, empty_loop_returns, tick,
		tick_last_timer
	};
	TCase *tc = tcase_create("backends");

	tcase_set_timeout(tc, 20);
	check_add_loops(tc, each_kind, CHECK_N(each_kind), 0, NKINDS);
	tcase_add_test(tc, names);
	return unit_run(check_suite("loop", tc));
}
