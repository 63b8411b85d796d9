/*
 * progress.c: the progress line of command-line list runs (progress.h).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core.h"
#include "loop.h"
#include "progress.h"

#define PROGRESS_MS	1000

struct progress {
	struct loop		*l;
	const struct core	*c;
	uint64_t		 total;
	struct monotime		 start;
	struct timer		 t;
	int			 shown;
};

/* SECS as "1h02m", "3m04s" or "5s". */
static void
dur(char *buf, size_t len, double secs)
{
	unsigned long s = secs < 0 ? 0 : (unsigned long)(secs + 0.5);

	if (s >= 3600)
		snprintf(buf, len, "%luh%02lum", s / 3600, s % 3600 / 60);
	else if (s >= 60)
		snprintf(buf, len, "%lum%02lus", s / 60, s % 60);
	else
		snprintf(buf, len, "%lus", s);
}

void
progress_format(char *buf, size_t len, uint64_t done, uint64_t total,
    uint64_t replies, double secs)
{
	double rate;
	char left[32];

	if (total > 0 && done > total)
		done = total;
	rate = secs > 0 ? (double)done / secs : 0;
	if (total == 0)
		snprintf(left, sizeof(left), "?");
	else if (done == total)
		snprintf(left, sizeof(left), "0s");
	else if (rate <= 0)
		snprintf(left, sizeof(left), "?");
	else
		dur(left, sizeof(left), (double)(total - done) / rate);
	if (total > 0)
		snprintf(buf, len, "%llu of %llu done (%.0f%%), %.1f/s, %llu "
		    "replies, %s left", (unsigned long long)done,
		    (unsigned long long)total, 100.0 * (double)done /
		    (double)total, rate, (unsigned long long)replies, left);
	else
		snprintf(buf, len, "%llu done, %.1f/s, %llu replies",
		    (unsigned long long)done, rate,
		    (unsigned long long)replies);
}

static void
show(struct progress *p)
{
	const struct core_stats *st = core_stats(p->c);
	char line[200], out[220];
	double secs = (double)monotime_sub_ns(monotime_now(), p->start) / 1e9;
	int n;

	progress_format(line, sizeof(line), st->tasks_done, p->total,
	    st->matched, secs);
	p->shown = 1;
	n = snprintf(out, sizeof(out), "\r%s\033[K", line);
	if (n > 0 && write(STDERR_FILENO, out, (size_t)n) < 0)
		return;		/* a terminal that went away: nothing to do */
}

static void
on_tick(void *arg)
{
	struct progress *p = arg;

	show(p);
	loop_timer_after(p->l, &p->t, PROGRESS_MS);
}

struct progress *
progress_start(struct loop *l, const struct core *c, uint64_t total,
    int to_tty)
{
	struct progress *p;

	if (to_tty || !isatty(STDERR_FILENO))
		return NULL;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;	/* a nicety: the run goes on without it */
	p->l = l;
	p->c = c;
	p->total = total;
	p->start = monotime_now();
	timer_init(&p->t, on_tick, p);
	loop_timer_after(l, &p->t, PROGRESS_MS);
	return p;
}

void
progress_end(struct progress *p)
{
	int save = errno;

	if (p == NULL)
		return;
	loop_timer_cancel(p->l, &p->t);
	if (p->shown) {		/* the last state stays on the screen */
		show(p);
		if (write(STDERR_FILENO, "\n", 1) < 0) {
			/* a terminal that went away */
		}
	}
	free(p);
	errno = save;
}
