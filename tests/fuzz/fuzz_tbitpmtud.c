/*
 * fuzz_tbitpmtud.c: sc_tbitpmtud's input files on arbitrary bytes: the
 * address file (-a, "ID,LABEL SIZE ADDR URL" lines) with the file of
 * systems done (-c), and for its summaries the prefix-to-AS file (-A,
 * "prefix length asn" lines) and the warts files it reads (-d
 * mssresults, asnresults).  sc_tbitpmtud.c (and tbitdrv's drvutil.c and
 * tbitdrv.c) are compiled in here with main() renamed; their messages
 * and the summary go to /dev/null.
 *
 * Input: byte 0 & 3 picks: 0 the address file, then after a NUL the
 * done file; 1 the prefix-to-AS file, then after a NUL a warts file
 * summarised by AS; 2 a warts file summarised by MSS.  Bit 2: -m 0
 * (every MTU) instead of 1280.
 */
#define FZ_MAIN sc_tbitpmtud_main
#define FZ_SOURCE "../../tools/sc_tbitpmtud/sc_tbitpmtud.c"
#define FZ_TBITDRV 1
#include "fuzz_tool.h"

/* The address file P[0..N-1] and after a NUL the done file. */
static void
systems(const uint8_t *p, size_t n)
{
	char paths[2][64];
	int fd[2], done = fuzz_sysfiles(p, n, &o.f, paths, fd);

	if (read_systems() == 0 && nsys == 0 && !done &&
	    fuzz_has_line(p, n))
		abort();	/* a line neither taken nor refused */
	for (size_t i = 0; i < nsys; i++) {
		fuzz_check_target(&sys[i].t);
		while (next_mtu(&sys[i]) != 0)
			sys[i].next++;
		free(sys[i].t.app);
	}
	free(sys);
	sys = NULL;
	nsys = 0;
	fuzz_close(fd);
}

/* A summary (-d DUMP) of the warts file P[0..N-1], by AS after the
 * prefix-to-AS file when DUMP is 2. */
static void
summary(int dump, const uint8_t *p, size_t n)
{
	const uint8_t *nul = dump == 2 ? memchr(p, '\0', n) : NULL;
	char apath[64], wpath[64], *argv[3] = { "sc_tbitpmtud", wpath, NULL };
	int afd = -1, wfd;

	if (dump == 2) {
		afd = fuzz_file(p, nul != NULL ? (size_t)(nul - p) : n, apath);
		o.ip2as = apath;
		if (nul == NULL)
			n = 0;
		else {
			n -= (size_t)(nul - p) + 1;
			p = nul + 1;
		}
	}
	wfd = fuzz_file(p, n, wpath);
	o.dump = (unsigned)dump;
	optind = 1;
	(void)summarise(2, argv);
	for (size_t i = 1; i < nrows; i++)
		if (rows[i - 1].key >= rows[i].key)
			abort();	/* one row a key, in order */
	free(rows);
	rows = NULL;
	nrows = 0;
	free(pfx);
	pfx = NULL;
	npfx = 0;
	if (afd != -1)
		close(afd);
	close(wfd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	fuzz_quiet();
	memset(&o, 0, sizeof(o));
	o.mtu = (data[0] & 4) ? 0 : 1280;
	o.window = 10;
	switch (data[0] & 3) {
	case 0:
		systems(data + 1, size - 1);
		break;
	case 1:
		summary(2, data + 1, size - 1);
		break;
	default:
		summary(1, data + 1, size - 1);
		break;
	}
	return 0;
}
