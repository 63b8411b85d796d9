/*
 * fuzz_filterpolicy.c: sc_filterpolicy's inputs on arbitrary bytes: the
 * device file (-a: "[name] address..." lines, or with -O tuples "name
 * address" lines) with a -T list, the ping records it reads from
 * scamper's control socket for their user id, and the warts file of
 * its report (-r).  sc_filterpolicy.c (and tbitdrv's drvutil.c and
 * tbitdrv.c) are compiled in here with main() renamed; their messages
 * and the report go to /dev/null.
 *
 * Input: byte 0 & 3 picks: 0 the device file, then after a NUL the -T
 * argument; 1 a ping record body; 2 a warts file reported.  Bit 2:
 * -O tuples (0) or -O incongruent (2); bit 3: -O impatient.
 */
#define FZ_MAIN sc_filterpolicy_main
#define FZ_SOURCE "../../tools/sc_filterpolicy/sc_filterpolicy.c"
#define FZ_TBITDRV 1
#include "fuzz_tool.h"

/* The device file P[0..N-1], then after a NUL a -T list. */
static void
devices(const uint8_t *p, size_t n)
{
	const uint8_t *nul = memchr(p, '\0', n);
	char path[64], t[256];
	size_t tn;
	int fd;

	o.schedule = 1u << 0 | 1u << 11;	/* icmp, http */
	if (nul != NULL) {
		tn = n - (size_t)(nul - p) - 1;
		if (tn >= sizeof(t))
			tn = sizeof(t) - 1;
		memcpy(t, nul + 1, tn);
		t[tn] = '\0';
		(void)adjust(t);
		n = (size_t)(nul - p);
	}
	fd = fuzz_file(p, n, path);
	o.infile = path;
	if (read_devices() == 0) {
		if (o.impatient && ndev > 0)	/* as measure() */
			qsort(devs, ndev, sizeof(*devs), cmp_naddr);
		for (size_t i = 0; i < ndev; i++) {
			struct dev *d = &devs[i];

			if (d->naddr < 1 || d->naddr > 8)
				abort();
			for (int a = 0; a < d->naddr; a++)
				if (!is_addr(d->addr[a]))
					abort();
			while (dev_next(d))	/* every probe it gets */
				d->ai++;
		}
	}
	free(devs);
	devs = NULL;
	ndev = 0;
	close(fd);
}

/* The warts file P[0..N-1] reported. */
static void
reported(const uint8_t *p, size_t n)
{
	char path[64];
	int fd = fuzz_file(p, n, path);

	o.readfile = path;
	(void)report();
	for (size_t i = 0; i < nseen; i++)
		if ((seen[i].answered & ~seen[i].tested) != 0)
			abort();	/* answered what was not tested */
	free(seen);
	seen = NULL;
	nseen = 0;
	close(fd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	fuzz_quiet();
	memset(&o, 0, sizeof(o));
	o.tuples = (data[0] & 7) == 4;
	o.incongruent = (data[0] & 4) != 0;
	o.impatient = (data[0] & 8) != 0;
	switch (data[0] & 3) {
	case 0:
		devices(data + 1, size - 1);
		break;
	case 1:
		(void)ping_userid(data + 1, size - 1);
		break;
	default:
		reported(data + 1, size - 1);
		break;
	}
	return 0;
}
