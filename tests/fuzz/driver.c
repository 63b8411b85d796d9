/*
 * driver.c: a main() for libFuzzer-style targets, so every fuzz target
 * also runs as an ordinary bounded test under gcc (and ASan/UBSan in CI).
 *
 * usage: fuzz-X [-runs=N] [-seed=S] [FILE|DIR...]
 * Each FILE (a corpus entry; a DIR gives every file in it, in name order)
 * is fed as is, then N inputs are generated:
 * random bytes, and mutations (bit flips, truncations, splices, byte
 * overwrites) of the corpus entries.  The run is deterministic for a seed.
 * With clang and -Dfuzz=true the same target links against libFuzzer.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXIN 4096
#define MAXCORPUS 1024

static uint64_t rng_state;

static uint64_t
rng(void)
{
	/* splitmix64: small, fast and deterministic */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

struct blob {
	uint8_t	*b;
	size_t	 n;
};

static int
load(const char *path, struct blob *out)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b;
	size_t n;

	if (f == NULL) {
		perror(path);
		return -1;
	}
	if ((b = malloc(1 << 20)) == NULL) {
		fclose(f);
		return -1;
	}
	n = fread(b, 1, 1 << 20, f);
	fclose(f);
	/* keep only what was read */
	if ((out->b = malloc(n > 0 ? n : 1)) == NULL) {
		free(b);
		return -1;
	}
	memcpy(out->b, b, n);
	free(b);
	out->n = n;
	return 0;
}

static struct blob corpus[MAXCORPUS];
static size_t ncorpus;

/* Load PATH as a corpus entry and run it once. */
static void
add_file(const char *path)
{
	if (ncorpus >= MAXCORPUS) {
		fprintf(stderr, "%s: corpus full (%d), not used\n", path,
		    MAXCORPUS);
		return;
	}
	/* a corpus file named but unreadable: the run would test less than
	 * it says, so it fails */
	if (load(path, &corpus[ncorpus]) != 0)
		exit(1);
	LLVMFuzzerTestOneInput(corpus[ncorpus].b, corpus[ncorpus].n);
	ncorpus++;
}

static int
by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Load every regular file in DIR (not recursing), in name order. */
static void
add_dir(const char *dir)
{
	struct dirent **ents;
	char path[4096];
	struct stat st;
	int n = scandir(dir, &ents, NULL, by_name);

	if (n < 0) {
		perror(dir);
		return;
	}
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
		if (ents[i]->d_name[0] != '.' && stat(path, &st) == 0 &&
		    S_ISREG(st.st_mode))
			add_file(path);
		free(ents[i]);
	}
	free(ents);
}

static size_t
mutate(uint8_t *buf, const struct blob *c, size_t nc)
{
	size_t n;

	if (nc == 0 || rng() % 4 == 0) {
		n = rng() % MAXIN;
		for (size_t i = 0; i < n; i++)
			buf[i] = (uint8_t)rng();
		return n;
	}
	const struct blob *s = &c[rng() % nc];
	n = s->n < MAXIN ? s->n : MAXIN;
	memcpy(buf, s->b, n);
	switch (rng() % 5) {
	case 0:		/* truncate */
		return n == 0 ? 0 : rng() % n;
	case 1:		/* splice another entry's tail */
		if (n > 0) {
			const struct blob *t = &c[rng() % nc];
			size_t at = rng() % n, k = t->n < MAXIN - at ?
			    t->n : MAXIN - at;
			memcpy(buf + at, t->b, k);
			return at + k;
		}
		return n;
	default: {	/* flip bits / overwrite bytes */
		int k = 1 + (int)(rng() % 8);
		for (int i = 0; i < k && n > 0; i++) {
			size_t at = rng() % n;
			buf[at] = (rng() % 2) ? (uint8_t)(buf[at] ^
			    (1u << (rng() % 8))) : (uint8_t)rng();
		}
		return n;
	}
	}
}

int
main(int argc, char **argv)
{
	static uint8_t buf[MAXIN];
	unsigned long runs = 20000;
	struct stat st;

	rng_state = 1;
	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "-runs=", 6) == 0)
			runs = strtoul(argv[i] + 6, NULL, 10);
		else if (strncmp(argv[i], "-seed=", 6) == 0)
			rng_state = strtoull(argv[i] + 6, NULL, 10);
		else if (argv[i][0] == '-')
			continue;	/* a libFuzzer flag: not ours */
		else if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			add_dir(argv[i]);
		else
			add_file(argv[i]);
	}
	for (unsigned long r = 0; r < runs; r++) {
		size_t n = mutate(buf, corpus, ncorpus);
		/* a fresh heap copy so ASan sees reads past the end */
		uint8_t *copy = malloc(n > 0 ? n : 1);
		if (copy == NULL)
			return 1;
		memcpy(copy, buf, n);
		LLVMFuzzerTestOneInput(copy, n);
		free(copy);
	}
	printf("fuzz driver: %zu corpus inputs, %lu generated inputs, no "
	    "crash\n", ncorpus, runs);
	for (size_t i = 0; i < ncorpus; i++)
		free(corpus[i].b);
	return 0;
}
