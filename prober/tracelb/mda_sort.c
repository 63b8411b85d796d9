/*
 * mda_sort.c: an in-place heapsort with a context argument.  The
 * prober's sandbox refuses the system call glibc's qsort() makes (it
 * asks sysinfo() how much memory there is before choosing its
 * algorithm), and a context saves a global for the comparison.
 */
#include <stdint.h>

#include "mda.h"

static void
swap(unsigned char *a, unsigned char *b, size_t size)
{
	while (size-- > 0) {
		unsigned char t = *a;
		*a++ = *b;
		*b++ = t;
	}
}

static void
sift(unsigned char *base, size_t i, size_t n, size_t size,
    int (*cmp)(const void *, const void *, void *), void *arg)
{
	for (;;) {
		size_t c = 2 * i + 1, m = i;

		if (c < n && cmp(base + c * size, base + m * size, arg) > 0)
			m = c;
		if (c + 1 < n &&
		    cmp(base + (c + 1) * size, base + m * size, arg) > 0)
			m = c + 1;
		if (m == i)
			return;
		swap(base + i * size, base + m * size, size);
		i = m;
	}
}

void
mda_sort(void *base, size_t n, size_t size,
    int (*cmp)(const void *, const void *, void *), void *arg)
{
	unsigned char *b = base;

	if (n < 2)
		return;
	for (size_t i = n / 2; i-- > 0;)
		sift(b, i, n, size, cmp, arg);
	for (size_t end = n - 1; end > 0; end--) {
		swap(b, b + end * size, size);
		sift(b, 0, end, size, cmp, arg);
	}
}
