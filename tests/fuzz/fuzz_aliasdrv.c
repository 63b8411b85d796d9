/*
 * fuzz_aliasdrv.c: what the alias-resolution drivers (sc_ally,
 * sc_radargun, sc_prefixscan, sc_speedtrap) read through
 * tools/aliasdrv, on arbitrary bytes: their address-set files (-a, and
 * sc_speedtrap's skip file), the warts files of their dump modes (-d,
 * -r: every dealias object walked), and a dealias record from scamper's
 * control socket decoded after its list and cycle records.  What comes
 * out is used as the drivers use it: IP-ID samples taken and judged,
 * pairs joined into sets and printed (to /dev/null).  aliasdrv.c is
 * compiled in here; its messages go to /dev/null.
 *
 * Input: byte 0 & 7 picks: 0 an IPv4 set file, 1 an IPv6 one, 2 either
 * (or 5-7), 3 a warts file, 4 a record: a u16 (big-endian) length of
 * the list and cycle records, they, then the record's body.  Bit 3 of
 * byte 0: pairs printed as sets (-O tc).  Seeds: make-aliasdrv-seeds.py.
 */
#include <sys/socket.h>

#include "fuzz_file.h"

#undef stderr
#define stderr fuzz_null
#include "../../tools/aliasdrv/aliasdrv.c"
#undef stderr
#define stderr stderr

static int tc;

/* A set file under AF: refused with the file and line, or sets whose
 * every pair is joined and printed. */
static void
sets(const uint8_t *p, size_t n, int af)
{
	struct adrv_pairs pairs;
	struct adrv_sets s;
	char path[64], err[256];
	int fd = fuzz_file(p, n, path);

	err[0] = '\0';
	if (adrv_read_sets(path, af, &s, err, sizeof(err)) == -1) {
		if (strncmp(err, path, strlen(path)) != 0)
			abort();	/* every refusal names the file */
		close(fd);
		return;
	}
	close(fd);
	if (s.naddrs == 0 || s.nsets == 0 || s.sets[0] != 0 ||
	    s.sets[s.nsets] != s.naddrs)
		abort();
	memset(&pairs, 0, sizeof(pairs));
	for (size_t i = 0; i < s.nsets; i++) {
		if (s.sets[i] >= s.sets[i + 1])
			abort();	/* no empty set */
		for (size_t a = s.sets[i]; a + 1 < s.sets[i + 1]; a++) {
			if (af != 0 && s.addrs[a].af != af)
				abort();
			if (adrv_pairs_add(&pairs, s.addrs[a].str,
			    s.addrs[a + 1].str) == -1)
				abort();
		}
	}
	if (adrv_pairs_print(&pairs, tc, fuzz_null) == -1)
		abort();
	adrv_pairs_free(&pairs);
	adrv_sets_free(&s);
}

/* D used as the drivers' inference does: samples judged per address
 * and per pair of definitions; pairs that pass printed. */
static void
judge(void *arg, const struct scamper_dealias *d)
{
	struct ipid_rules r = { .fudge = 500, .bits = 16, .nobs = 0 };
	struct adrv_pairs pairs;
	struct ipid_sample *s, *two;
	char a[48], b[48];
	long n = adrv_samples(d, &s);

	(void)arg;
	if (n < 0)
		return;
	if ((size_t)n > d->probec || (two = calloc((size_t)n + 1,
	    sizeof(*two))) == NULL)
		abort();
	memset(&pairs, 0, sizeof(pairs));
	for (uint32_t i = 0; i < d->defc && i < 8; i++) {
		r.bits = d->defs[i].dst.type == SCAMPER_ADDR_IPV6 ? 32 : 16;
		(void)adrv_counter(s, (size_t)n, i, 2, &r);
		for (uint32_t j = i + 1; j < d->defc && j < 8; j++) {
			size_t k = adrv_pick2(s, (size_t)n, i, j, two);

			if (k > (size_t)n)
				abort();
			if (k >= 2 && ipid_series(two, k, &r) != IPID_NO)
				(void)adrv_pairs_add(&pairs,
				    adrv_addr_str(&d->defs[i].dst, a),
				    adrv_addr_str(&d->defs[j].dst, b));
		}
	}
	(void)adrv_pairs_print(&pairs, tc, fuzz_null);
	adrv_pairs_free(&pairs);
	free(two);
	free(s);
}

/* A warts file walked as the dump modes do. */
static void
warts(const uint8_t *p, size_t n)
{
	char path[64], *files[1] = { path };
	int fd = fuzz_file(p, n, path);

	(void)adrv_each_dealias("fuzz-aliasdrv", files, 1, judge, NULL);
	close(fd);
}

/* A record from the control socket after its list and cycle records. */
static void
record(const uint8_t *p, size_t n)
{
	struct scamper_dealias *d;
	size_t hl;

	if (n < 2)
		return;
	hl = (size_t)(p[0] << 8 | p[1]);
	p += 2;
	n -= 2;
	if (hl > n)
		hl = n;
	if ((d = adrv_decode(p, hl, p + hl, n - hl)) != NULL) {
		judge(NULL, d);
		scamper_dealias_free(d);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	fuzz_quiet();
	tc = (data[0] & 8) != 0;
	switch (data[0] & 7) {
	case 0:
		sets(data + 1, size - 1, AF_INET);
		break;
	case 1:
		sets(data + 1, size - 1, AF_INET6);
		break;
	case 3:
		warts(data + 1, size - 1);
		break;
	case 4:
		record(data + 1, size - 1);
		break;
	default:
		sets(data + 1, size - 1, 0);
		break;
	}
	return 0;
}
