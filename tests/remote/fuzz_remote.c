/*
 * fuzz_remote.c: the remote-control protocol's decoder on arbitrary
 * bytes, as both ends meet them: the stream is split into messages
 * (rp_frame), channel-0 payloads are decoded (rp_ctl_decode) and
 * re-encoded, and acks, sequence numbers and resume values are applied
 * to a link holding messages (rp_link_*), checking its invariants.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "remote_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_link(const struct rp_link *k)
{
	const struct rp_msg *m;
	uint32_t seq = rp_link_una(k), n = 0;

	TAILQ_FOREACH(m, &k->held, e) {
		if (m->seq != seq++)
			abort();
		n++;
	}
	if (n != k->nheld || (n > 0 && seq != k->snd_nxt))
		abort();
}

static void
one(struct rp_link *k, const struct rp_hdr *h, const uint8_t *p)
{
	uint8_t out[RP_HDRLEN + 300];
	struct rp_ctl c, c2;
	char err[256];

	if (h->chan != 0) {
		(void)rp_link_recv(k, h->seq);
		(void)rp_link_send(k, h->chan, p, h->len);
		return;
	}
	if (rp_ctl_decode(p, h->len, &c, err, sizeof(err)) == -1) {
		if (strlen(err) == 0)
			abort();
		return;
	}
	/* what decodes re-encodes to the same bytes and decodes again */
	if (rp_ctl_encode(&c, h->seq, out) != RP_HDRLEN + (size_t)h->len ||
	    memcmp(out + RP_HDRLEN, p, h->len) != 0 ||
	    rp_ctl_decode(out + RP_HDRLEN, h->len, &c2, err, sizeof(err)) != 0)
		abort();
	switch (c.type) {
	case RP_ACK:
		(void)rp_link_ack(k, c.num);
		break;
	case RP_MASTER_RES:
		(void)rp_link_resume_ok(k, c.rcv_nxt, c.snd_una, c.snd_nxt,
		    err, sizeof(err));
		break;
	case RP_MASTER_OK:
		(void)rp_link_peer_has(k, c.num);
		break;
	case RP_CHANNEL_NEW: case RP_CHANNEL_FIN:
		(void)rp_link_send_ctl(k, &c);
		break;
	default:
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rp_link k;
	struct rp_hdr h;
	size_t off = 0;
	long n;

	rp_link_init(&k);
	while ((n = rp_frame(data + off, size - off, &h)) > 0) {
		if ((size_t)n > size - off || h.len == 0)
			abort();
		one(&k, &h, data + off + RP_HDRLEN);
		check_link(&k);
		off += (size_t)n;
	}
	rp_link_reset(&k);
	return 0;
}
