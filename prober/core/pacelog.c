/*
 * pacelog.c: the pacer's per-10 ms record (pacelog.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "pacelog.h"

#define PACE_LOG_BUCKET_NS 10000000LL	/* 10 ms */

struct pace_bucket {
	uint32_t	probes;
	uint32_t	passes;
	uint32_t	maxgap_us;
	uint32_t	cpu_us;
	uint32_t	credit_us;
};

struct pace_log {
	FILE			*f;
	int			 fd;
	struct monotime		 start;
	struct monotime		 lastpass;
	uint64_t		 taken;		/* at the bucket's start */
	int64_t			 cpu_ns;	/* at the bucket's start */
	size_t			 cur;		/* the bucket being filled */
	size_t			 n, cap;
	struct pace_bucket	*b;
};

static int64_t
cpu_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) == -1)
		return 0;
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

struct pace_log *
pace_log_open(const char *fdstr, struct monotime now)
{
	struct pace_log *pl = calloc(1, sizeof(*pl));
	char *end;
	long fd;

	errno = 0;
	fd = strtol(fdstr, &end, 10);
	if (end == fdstr || *end != '\0' || errno != 0 || fd < 0 ||
	    fd > INT_MAX) {
		log_warnx("SCAMPER_PACE_LOG_FD: \"%s\" is not a descriptor "
		    "number", fdstr);
		free(pl);
		return NULL;
	}
	if (pl == NULL || (pl->f = fdopen((int)fd, "w")) == NULL) {
		log_warn("SCAMPER_PACE_LOG_FD: descriptor %ld", fd);
		free(pl);
		return NULL;
	}
	pl->fd = (int)fd;
	pl->start = pl->lastpass = now;
	pl->cpu_ns = cpu_ns();
	return pl;
}

/* Make room for bucket I (zeroed); 0, or -1 when memory runs out (the
 * log then stops growing). */
static int
grow(struct pace_log *pl, size_t i)
{
	struct pace_bucket *nb;
	size_t cap = pl->cap;

	if (i < pl->cap)
		return 0;
	while (cap <= i)
		cap = cap == 0 ? 4096 : cap * 2;
	if ((nb = realloc(pl->b, cap * sizeof(*nb))) == NULL)
		return -1;
	memset(nb + pl->cap, 0, (cap - pl->cap) * sizeof(*nb));
	pl->b = nb;
	pl->cap = cap;
	return 0;
}

/* Close the bucket being filled: its probes and CPU time. */
static void
close_bucket(struct pace_log *pl, uint64_t taken)
{
	struct pace_bucket *b = &pl->b[pl->cur];
	int64_t cpu = cpu_ns();

	b->probes = (uint32_t)(taken - pl->taken);
	b->cpu_us = (uint32_t)((cpu - pl->cpu_ns) / 1000);
	pl->taken = taken;
	pl->cpu_ns = cpu;
}

void
pace_log_pass(struct pace_log *pl, struct monotime now, uint64_t taken,
    int64_t credit_ns)
{
	int64_t d = monotime_sub_ns(now, pl->start);
	int64_t gap = monotime_sub_ns(now, pl->lastpass) / 1000;
	size_t i = d > 0 ? (size_t)(d / PACE_LOG_BUCKET_NS) : 0;
	struct pace_bucket *b;

	if (grow(pl, i) == -1)
		return;
	if (i != pl->cur) {
		close_bucket(pl, taken);
		pl->cur = i;
	}
	if (i + 1 > pl->n)
		pl->n = i + 1;
	b = &pl->b[i];
	b->passes++;
	if (gap > (int64_t)b->maxgap_us)
		b->maxgap_us = (uint32_t)gap;
	if (credit_ns / 1000 > (int64_t)b->credit_us)
		b->credit_us = (uint32_t)(credit_ns / 1000);
	pl->lastpass = now;
}

void
pace_log_close(struct pace_log *pl, uint64_t taken)
{
	if (pl == NULL)
		return;
	if (pl->n > 0)
		close_bucket(pl, taken);
	for (size_t i = 0; i < pl->n; i++) {
		const struct pace_bucket *b = &pl->b[i];
		int64_t t = pl->start.ns + (int64_t)i * PACE_LOG_BUCKET_NS;

		fprintf(pl->f, "%lld.%09lld %u %u %u %u %u\n",
		    (long long)(t / 1000000000), (long long)(t % 1000000000),
		    b->probes, b->passes, b->maxgap_us, b->cpu_us,
		    b->credit_us);
	}
	if (fclose(pl->f) == EOF)
		log_warn("SCAMPER_PACE_LOG_FD: descriptor %d", pl->fd);
	free(pl->b);
	free(pl);
}
