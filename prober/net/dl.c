/*
 * dl.c: datalink frames: parsing, filters, reading with timestamps and
 * sending (see dl.h, dl_int.h).  Packet sockets as Linux has them
 * (AF_PACKET, SOCK_RAW); elsewhere reading and sending fail with
 * EOPNOTSUPP.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dl_int.h"
#include "wire.h"

#ifdef __linux__
#include <linux/if_packet.h>
#endif

#define DL_FRAME_MAX	65536
#define DL_FP_BYTES	64	/* upper-layer bytes in a fingerprint */

size_t
dl_linkhdr(enum neigh_link kind)
{
	return kind == NEIGH_LINK_RAWIP ? 0 : 14;
}

/* ---- parsing ---------------------------------------------------------- */

/* The fragment header of the IPv6 packet B (LEN bytes), if it has one
 * before its upper layer: returns its offset, or 0. */
static size_t
ip6_fraghdr(const uint8_t *b, size_t len)
{
	uint8_t nh = b[6];
	size_t off = 40;

	for (int guard = 0; guard < 8; guard++) {
		if (nh == 44)
			return off + 8 <= len ? off : 0;
		if (nh != 0 && nh != 43 && nh != 60)	/* hbh, rt, dst */
			return 0;
		if (off + 8 > len)
			return 0;
		nh = b[off];
		off += ((size_t)b[off + 1] + 1) * 8;
	}
	return 0;
}

/* Rewrite R (our packet leaving) as the quotation an ICMP error would
 * carry of it. */
static void
as_quote(struct pkt_reply *r)
{
	struct pkt_quote *q = &r->q;

	memset(q, 0, sizeof(*q));
	q->af = r->af;
	memcpy(q->src, r->src, 16);
	memcpy(q->dst, r->dst, 16);
	q->proto = r->proto;
	q->ttl = r->ttl;
	q->tos = r->tos;
	q->ipid = r->ipid;
	q->len = r->size;
	q->flowlabel = r->flowlabel;
	q->ipopts = r->ipopts;
	q->ipoptlen = r->ipoptlen;
	pkt_quote_l4(q, r->l4, r->l4 != NULL ? r->l4len : 0);
	r->has_quote = 1;
}

int
dl_parse_frame(const uint8_t *f, size_t len, size_t linkhdr, int outgoing,
    struct pkt_reply *r, int *frag, uint32_t *fragid)
{
	const uint8_t *ip = f + linkhdr;
	size_t iplen, fh;
	uint16_t et;

	*frag = 0;
	*fragid = 0;
	if (len < linkhdr + 20)
		return -1;
	iplen = len - linkhdr;
	if (linkhdr >= 2) {
		et = wire_be16(f + linkhdr - 2);
		if ((et == 0x0800 && (ip[0] >> 4) != 4) ||
		    (et == 0x86dd && (ip[0] >> 4) != 6) ||
		    (et != 0x0800 && et != 0x86dd))
			return -1;
	}
	/* of a fragmented packet, the first fragment only */
	if ((ip[0] >> 4) == 4) {
		if ((wire_be16(ip + 6) & 0x1fff) != 0)
			return -1;
	} else if ((ip[0] >> 4) == 6) {
		if (iplen < 40)
			return -1;
		if ((fh = ip6_fraghdr(ip, iplen)) != 0) {
			if ((wire_be16(ip + fh + 2) & 0xfff8) != 0)
				return -1;
			*frag = 1;
			*fragid = wire_be32(ip + fh + 4);
		}
	} else
		return -1;
	if (pkt_parse(ip, iplen, r) == -1)
		return -1;
	if (outgoing)
		as_quote(r);
	return 0;
}

uint64_t
dl_fingerprint(const struct pkt_reply *r)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */
	uint8_t head[2] = { (uint8_t)r->af, r->proto };
	size_t n;

	if (r->l4 == NULL || r->l4len == 0)
		return 0;
	n = r->l4len < DL_FP_BYTES ? r->l4len : DL_FP_BYTES;
	for (size_t i = 0; i < sizeof(head); i++)
		h = (h ^ head[i]) * 1099511628211ULL;
	for (size_t i = 0; i < 16; i++)
		h = (h ^ r->src[i]) * 1099511628211ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ r->l4[i]) * 1099511628211ULL;
	return h == 0 ? 1 : h;
}

/* ---- sockets ---------------------------------------------------------- */

#ifdef __linux__

int
dl_sock_prep(int fd, int rx)
{
	int fl, on = 1, buf = 1 << 20;

	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) == -1)
		return -1;
	if (!rx)
		return 0;
	/* a bigger buffer is a wish: the system's limit may cap it */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	return setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
}

int
dl_sock_filter(int fd, const struct dlfilter *f, int drain)
{
	uint8_t junk[64];

	if (dlfilter_attach(fd, f) == -1)
		return -1;
	/* what arrived before the first filter is of no use to anyone */
	for (int i = 0; drain && i < 100000 && recv(fd, junk, sizeof(junk),
	    MSG_DONTWAIT | MSG_TRUNC) >= 0; i++)
		;
	return 0;
}

int
dl_sock_read(int fd, enum neigh_link kind, dl_frame_cb *cb, void *arg,
    dl_raw_cb *raw, void *rawarg, int *used, uint64_t *fp)
{
	static uint8_t buf[DL_FRAME_MAX];
	struct sockaddr_ll sll;
	union {
		struct cmsghdr align;
		uint8_t b[128];
	} cbuf;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr m;
	struct cmsghdr *c;
	struct stamp ts = { 0 };
	struct pkt_reply r;
	ssize_t len;
	uint32_t fragid;
	int out, frag;

	*used = 0;
	*fp = 0;
	memset(&m, 0, sizeof(m));
	m.msg_name = &sll;
	m.msg_namelen = sizeof(sll);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = cbuf.b;
	m.msg_controllen = sizeof(cbuf.b);
	if ((len = recvmsg(fd, &m, 0)) == -1)
		return errno == EINTR ? 1 : 0;
	if ((m.msg_flags & MSG_TRUNC) || sll.sll_pkttype == PACKET_OTHERHOST)
		return 1;
	for (c = CMSG_FIRSTHDR(&m); c != NULL; c = CMSG_NXTHDR(&m, c))
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_TIMESTAMPNS &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct timespec))) {
			struct timespec t;
			memcpy(&t, CMSG_DATA(c), sizeof(t));
			ts = stamp_of_ts(&t);
		}
	if (ts.ns == 0)
		return 1;	/* no timestamp: the raw socket has it too */
	out = sll.sll_pkttype == PACKET_OUTGOING;
	if (raw != NULL)
		raw(rawarg, buf, (size_t)len, &ts, out);
	if (cb == NULL || dl_parse_frame(buf, (size_t)len, dl_linkhdr(kind),
	    out, &r, &frag, &fragid) == -1)
		return 1;
	*used = cb(arg, &r, &ts, out, frag ? &fragid : NULL);
	if (!out)
		*fp = dl_fingerprint(&r);
	return 1;
}

int
dl_sock_send(int fd, enum neigh_link kind, const uint8_t *dst,
    const uint8_t *src, const uint8_t *pkt, size_t len, struct stamp *tx)
{
	static uint8_t f[DL_FRAME_MAX];
	size_t hl = dl_linkhdr(kind);
	ssize_t w;

	if (len == 0 || len + hl > sizeof(f)) {
		errno = EMSGSIZE;
		return -1;
	}
	if (hl != 0) {
		memcpy(f, dst, NEIGH_MACLEN);
		memcpy(f + 6, src, NEIGH_MACLEN);
		f[12] = (pkt[0] >> 4) == 6 ? 0x86 : 0x08;
		f[13] = (pkt[0] >> 4) == 6 ? 0xdd : 0x00;
	}
	memcpy(f + hl, pkt, len);
	*tx = stamp_now();
	if ((w = send(fd, f, hl + len, 0)) != (ssize_t)(hl + len)) {
		if (w >= 0)
			errno = EMSGSIZE;
		return -1;
	}
	return 0;
}

int
dl_sock_send_frame(int fd, const uint8_t *frame, size_t len,
    struct stamp *tx)
{
	ssize_t w;

	*tx = stamp_now();
	if ((w = send(fd, frame, len, 0)) != (ssize_t)len) {
		if (w >= 0)
			errno = EMSGSIZE;
		return -1;
	}
	return 0;
}

#else	/* !__linux__ */

int
dl_sock_prep(int fd, int rx)
{
	(void)fd;
	(void)rx;
	errno = EOPNOTSUPP;
	return -1;
}

int
dl_sock_filter(int fd, const struct dlfilter *f, int drain)
{
	(void)fd;
	(void)f;
	(void)drain;
	errno = EOPNOTSUPP;
	return -1;
}

int
dl_sock_read(int fd, enum neigh_link kind, dl_frame_cb *cb, void *arg,
    dl_raw_cb *raw, void *rawarg, int *used, uint64_t *fp)
{
	(void)fd;
	(void)kind;
	(void)cb;
	(void)arg;
	(void)raw;
	(void)rawarg;
	*used = 0;
	*fp = 0;
	return 0;
}

int
dl_sock_send(int fd, enum neigh_link kind, const uint8_t *dst,
    const uint8_t *src, const uint8_t *pkt, size_t len, struct stamp *tx)
{
	(void)fd;
	(void)kind;
	(void)dst;
	(void)src;
	(void)pkt;
	(void)len;
	(void)tx;
	errno = EOPNOTSUPP;
	return -1;
}

int
dl_sock_send_frame(int fd, const uint8_t *frame, size_t len,
    struct stamp *tx)
{
	(void)fd;
	(void)frame;
	(void)len;
	(void)tx;
	errno = EOPNOTSUPP;
	return -1;
}

#endif
