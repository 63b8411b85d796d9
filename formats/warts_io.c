/*
 * warts_io.c: read a file descriptor, decompressing gzip (zlib), bzip2
 * (libbz2) or xz (liblzma) when the first bytes carry one of their magic
 * numbers.  Memory use is constant: one 64 KiB input buffer plus the
 * decompressor's own state.  Concatenated compressed streams are read one
 * after another, as gzip(1) does.
 */
#include <bzlib.h>
#include <errno.h>
#include <lzma.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "warts_io.h"

enum { C_UNKNOWN, C_NONE, C_GZIP, C_BZIP2, C_XZ };

#define INBUF	65536

struct wio {
	int		 fd;
	int		 comp;
	int		 eof;		/* fd reached EOF */
	int		 done;		/* decompressor finished, no more data */
	uint8_t		 in[INBUF];
	size_t		 inoff, inlen;
	z_stream	 z;
	bz_stream	 bz;
	lzma_stream	 xz;
	int		 init;
	int		 boundary;	/* between compressed streams */
};

struct wio *
wio_new(int fd)
{
	struct wio *w = calloc(1, sizeof(*w));

	if (w != NULL)
		w->fd = fd;
	return w;
}

static int
fill(struct wio *w, char *err, size_t errlen)
{
	ssize_t n;

	if (w->inoff > 0 && w->inoff < w->inlen)
		memmove(w->in, w->in + w->inoff, w->inlen - w->inoff);
	w->inlen -= w->inoff;
	w->inoff = 0;
	while (!w->eof && w->inlen < INBUF) {
		n = read(w->fd, w->in + w->inlen, INBUF - w->inlen);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "read: %s", strerror(errno));
			return -1;
		}
		if (n == 0)
			w->eof = 1;
		w->inlen += (size_t)n;
		if (n > 0)
			break;
	}
	return 0;
}

static int
detect(struct wio *w, char *err, size_t errlen)
{
	static const uint8_t xzm[] = { 0xfd, '7', 'z', 'X', 'Z', 0 };

	while (!w->eof && w->inlen < 6)
		if (fill(w, err, errlen) != 0)
			return -1;
	w->comp = C_NONE;
	if (w->inlen >= 2 && w->in[0] == 0x1f && w->in[1] == 0x8b) {
		w->comp = C_GZIP;
		if (inflateInit2(&w->z, 15 + 32) != Z_OK)
			goto nomem;
	} else if (w->inlen >= 3 && memcmp(w->in, "BZh", 3) == 0) {
		w->comp = C_BZIP2;
		if (BZ2_bzDecompressInit(&w->bz, 0, 0) != BZ_OK)
			goto nomem;
	} else if (w->inlen >= 6 && memcmp(w->in, xzm, 6) == 0) {
		lzma_stream init = LZMA_STREAM_INIT;

		w->comp = C_XZ;
		w->xz = init;
		if (lzma_stream_decoder(&w->xz, UINT64_MAX,
		    LZMA_CONCATENATED) != LZMA_OK)
			goto nomem;
	}
	w->init = w->comp != C_NONE;
	return 0;
nomem:
	snprintf(err, errlen, "cannot start the decompressor");
	w->comp = C_NONE;
	return -1;
}

static ssize_t
rd_none(struct wio *w, uint8_t *buf, size_t n, char *err, size_t errlen)
{
	size_t got = 0;

	while (got < n) {
		if (w->inoff == w->inlen) {
			if (w->eof)
				break;
			if (fill(w, err, errlen) != 0)
				return -1;
			continue;
		}
		size_t k = w->inlen - w->inoff;

		if (k > n - got)
			k = n - got;
		memcpy(buf + got, w->in + w->inoff, k);
		w->inoff += k;
		got += k;
	}
	return (ssize_t)got;
}

/* One decompression step into OUT; returns bytes produced or -1. */
static ssize_t
step(struct wio *w, uint8_t *out, size_t n, char *err, size_t errlen)
{
	size_t avail = w->inlen - w->inoff, used = 0, made = 0;
	int rc;

	switch (w->comp) {
	case C_GZIP:
		w->z.next_in = w->in + w->inoff;
		w->z.avail_in = (uInt)avail;
		w->z.next_out = out;
		w->z.avail_out = (uInt)n;
		rc = inflate(&w->z, Z_NO_FLUSH);
		used = avail - w->z.avail_in;
		made = n - w->z.avail_out;
		if (rc == Z_STREAM_END) {
			inflateReset(&w->z);
			w->boundary = 1;
		} else if (rc != Z_OK && rc != Z_BUF_ERROR) {
			snprintf(err, errlen, "gzip: corrupt data");
			return -1;
		} else if (used > 0)
			w->boundary = 0;
		break;
	case C_BZIP2:
		w->bz.next_in = (char *)(w->in + w->inoff);
		w->bz.avail_in = (unsigned)avail;
		w->bz.next_out = (char *)out;
		w->bz.avail_out = (unsigned)n;
		rc = BZ2_bzDecompress(&w->bz);
		used = avail - w->bz.avail_in;
		made = n - w->bz.avail_out;
		if (rc == BZ_STREAM_END) {
			BZ2_bzDecompressEnd(&w->bz);
			memset(&w->bz, 0, sizeof(w->bz));
			if (BZ2_bzDecompressInit(&w->bz, 0, 0) != BZ_OK) {
				snprintf(err, errlen, "bzip2: cannot restart");
				return -1;
			}
			w->boundary = 1;
		} else if (rc != BZ_OK) {
			snprintf(err, errlen, "bzip2: corrupt data");
			return -1;
		} else if (used > 0)
			w->boundary = 0;
		break;
	case C_XZ: {
		lzma_ret lr;

		w->xz.next_in = w->in + w->inoff;
		w->xz.avail_in = avail;
		w->xz.next_out = out;
		w->xz.avail_out = n;
		lr = lzma_code(&w->xz, w->eof && avail == 0 ? LZMA_FINISH :
		    LZMA_RUN);
		used = avail - w->xz.avail_in;
		made = n - w->xz.avail_out;
		if (lr == LZMA_STREAM_END)
			w->done = 1;
		else if (lr != LZMA_OK && lr != LZMA_BUF_ERROR) {
			snprintf(err, errlen, "xz: corrupt data");
			return -1;
		}
		break;
	}
	}
	w->inoff += used;
	if (made == 0 && used == 0 && w->eof && w->inoff == w->inlen &&
	    w->boundary) {
		w->done = 1;
		return 0;
	}
	if (made == 0 && used == 0 && w->eof && w->inoff == w->inlen &&
	    !w->done) {
		snprintf(err, errlen, "truncated compressed stream");
		return -1;
	}
	return (ssize_t)made;
}

static ssize_t
rd_comp(struct wio *w, uint8_t *buf, size_t n, char *err, size_t errlen)
{
	size_t got = 0, before;
	ssize_t k;
	int stuck = 0;

	while (got < n && !w->done) {
		if ((w->inoff == w->inlen || stuck) && !w->eof &&
		    fill(w, err, errlen) != 0)
			return -1;
		before = w->inoff;
		if ((k = step(w, buf + got, n - got, err, errlen)) < 0)
			return -1;
		stuck = k == 0 && w->inoff == before;
		got += (size_t)k;
	}
	return (ssize_t)got;
}

ssize_t
wio_read(struct wio *w, void *buf, size_t n, char *err, size_t errlen)
{
	if (w->comp == C_UNKNOWN && detect(w, err, errlen) != 0)
		return -1;
	if (w->comp == C_NONE)
		return rd_none(w, buf, n, err, errlen);
	return rd_comp(w, buf, n, err, errlen);
}

const char *
wio_compression(const struct wio *w)
{
	static const char *names[] = { "none", "none", "gzip", "bzip2", "xz" };

	return names[w->comp];
}

void
wio_free(struct wio *w)
{
	if (w == NULL)
		return;
	if (w->init) {
		if (w->comp == C_GZIP)
			inflateEnd(&w->z);
		else if (w->comp == C_BZIP2)
			BZ2_bzDecompressEnd(&w->bz);
		else if (w->comp == C_XZ)
			lzma_end(&w->xz);
	}
	free(w);
}
