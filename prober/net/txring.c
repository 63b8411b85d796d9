/*
 * txring.c: a packet socket's transmit ring (see txring.h).
 *
 * HEAD is the oldest frame written and not yet taken, TAIL the next to
 * write; PENDING frames lie from HEAD to TAIL.  A frame's status word is
 * read and written with acquire and release order: the kernel reads the
 * frame's bytes after it sees "send request", and writes the status
 * last when it gives a frame back.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "txring.h"

#ifdef __linux__
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <sys/mman.h>

#ifndef SOL_PACKET
#define SOL_PACKET	263
#endif

/* The packet's offset in a frame: the kernel's TPACKET2_HDRLEN less
 * the address it leaves room for (what tpacket_fill_skb reads). */
#define FRAME_DATA	(TPACKET_ALIGN(sizeof(struct tpacket2_hdr)))
#define ST_MASK		(TP_STATUS_SEND_REQUEST | TP_STATUS_SENDING | \
			 TP_STATUS_WRONG_FORMAT)

struct txring {
	uint8_t		*base;
	size_t		 maplen;	/* 0: not ours to unmap */
	uint32_t	 nframes, fsize;
	uint32_t	 head, tail, pending;
};

static struct tpacket2_hdr *
frame(const struct txring *r, uint32_t i)
{
	return (struct tpacket2_hdr *)(void *)(r->base +
	    (size_t)(i & (r->nframes - 1)) * r->fsize);
}

static uint32_t
status(const struct tpacket2_hdr *h)
{
	return __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) & ST_MASK;
}

static void
set_status(struct tpacket2_hdr *h, uint32_t st)
{
	__atomic_store_n(&h->tp_status, st, __ATOMIC_RELEASE);
}

struct txring *
txring_over(void *mem, uint32_t nframes, uint32_t fsize)
{
	struct txring *r;

	if (nframes == 0 || (nframes & (nframes - 1)) != 0 ||
	    fsize < FRAME_DATA + 64 || fsize % TPACKET_ALIGNMENT != 0) {
		errno = EINVAL;
		return NULL;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->base = mem;
	r->nframes = nframes;
	r->fsize = fsize;
	return r;
}

struct txring *
txring_new(int fd)
{
	struct tpacket_req req;
	struct txring *r;
	int v = TPACKET_V2;
	size_t len = (size_t)TXRING_FRAMES * TXRING_FSIZE;
	void *mem;

	memset(&req, 0, sizeof(req));
	req.tp_block_size = 4096;	/* a page: two frames */
	req.tp_block_nr = (unsigned)(len / req.tp_block_size);
	req.tp_frame_size = TXRING_FSIZE;
	req.tp_frame_nr = TXRING_FRAMES;
	if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) == -1 ||
	    setsockopt(fd, SOL_PACKET, PACKET_TX_RING, &req,
	    sizeof(req)) == -1)
		return NULL;
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (mem == MAP_FAILED)
		return NULL;
	if ((r = txring_over(mem, TXRING_FRAMES, TXRING_FSIZE)) == NULL) {
		int save = errno;
		munmap(mem, len);
		errno = save;
		return NULL;
	}
	r->maplen = len;
	return r;
}

void
txring_free(struct txring *r)
{
	if (r == NULL)
		return;
	if (r->maplen != 0)
		munmap(r->base, r->maplen);
	free(r);
}

int
txring_room(const struct txring *r)
{
	return r->pending < r->nframes && status(frame(r, r->tail)) == 0;
}

int
txring_put(struct txring *r, const uint8_t *hdr, size_t hlen,
    const uint8_t *pkt, size_t len)
{
	struct tpacket2_hdr *h;
	uint8_t *d;

	if (hlen + len > r->fsize - FRAME_DATA) {
		errno = EMSGSIZE;
		return -1;
	}
	if (!txring_room(r)) {
		errno = EAGAIN;
		return -1;
	}
	h = frame(r, r->tail);
	d = (uint8_t *)h + FRAME_DATA;
	memcpy(d, hdr, hlen);
	memcpy(d + hlen, pkt, len);
	h->tp_len = (uint32_t)(hlen + len);
	set_status(h, TP_STATUS_SEND_REQUEST);
	r->tail++;
	r->pending++;
	return 0;
}

uint32_t
txring_pending(const struct txring *r)
{
	return r->pending;
}

int
txring_kick(struct txring *r, int fd, uint16_t proto, uint32_t ifindex)
{
	struct sockaddr_ll sll;

	(void)r;
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(proto);
	sll.sll_ifindex = (int)ifindex;
	return (int)sendto(fd, NULL, 0, MSG_DONTWAIT,
	    (struct sockaddr *)&sll, sizeof(sll));
}

uint32_t
txring_reap(struct txring *r, int *refused)
{
	uint32_t taken = 0, st;

	*refused = 0;
	while (r->pending > 0) {
		struct tpacket2_hdr *h = frame(r, r->head);

		if ((st = status(h)) == TP_STATUS_SEND_REQUEST)
			break;
		r->head++;
		r->pending--;
		if (st & TP_STATUS_WRONG_FORMAT) {
			set_status(h, 0);
			*refused = 1;
			break;
		}
		taken++;
	}
	return taken;
}

void
txring_drop(struct txring *r)
{
	if (r->pending == 0)
		return;
	set_status(frame(r, r->head), 0);
	r->head++;
	r->pending--;
}

#else	/* no packet rings */

struct txring {
	int	 unused;
};

struct txring *
txring_new(int fd)
{
	(void)fd;
	errno = EOPNOTSUPP;
	return NULL;
}

struct txring *
txring_over(void *mem, uint32_t nframes, uint32_t fsize)
{
	(void)mem;
	(void)nframes;
	(void)fsize;
	errno = EOPNOTSUPP;
	return NULL;
}

void
txring_free(struct txring *r)
{
	free(r);
}

int
txring_put(struct txring *r, const uint8_t *hdr, size_t hlen,
    const uint8_t *pkt, size_t len)
{
	(void)r;
	(void)hdr;
	(void)hlen;
	(void)pkt;
	(void)len;
	errno = EOPNOTSUPP;
	return -1;
}

uint32_t
txring_pending(const struct txring *r)
{
	(void)r;
	return 0;
}

int
txring_room(const struct txring *r)
{
	(void)r;
	return 0;
}

int
txring_kick(struct txring *r, int fd, uint16_t proto, uint32_t ifindex)
{
	(void)r;
	(void)fd;
	(void)proto;
	(void)ifindex;
	errno = EOPNOTSUPP;
	return -1;
}

uint32_t
txring_reap(struct txring *r, int *refused)
{
	(void)r;
	*refused = 0;
	return 0;
}

void
txring_drop(struct txring *r)
{
	(void)r;
}

#endif
