/*
 * remote_proto.h: the remote-control protocol between "scamper -R" and
 * sc_remoted (scamper-behaviour.md section b), as pure code shared by
 * both ends: message framing, the control messages of channel 0, and
 * the reliable-delivery state of one link (sequence numbers, held copies
 * of unacknowledged messages, the resume checks).  No I/O, no globals.
 *
 * Wire format of every message, both directions (big-endian):
 *
 *	+-----------+-----------+--------+------------------+
 *	| u32 seq   | u32 chan  | u16 len| len payload bytes|
 *	+-----------+-----------+--------+------------------+
 *
 * chan 0 carries control messages (first payload byte = enum rp_type);
 * any other channel carries the bytes of one attached control session.
 * Channel data, CHANNEL_NEW and CHANNEL_FIN are reliable: they take the
 * sender's next sequence number, are acknowledged (ACK) in order, and
 * are kept until then so they can be sent again after a reconnect.
 */
#ifndef CONTROL_REMOTE_PROTO_H
#define CONTROL_REMOTE_PROTO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>

#define RP_HDRLEN	10
#define RP_MAXPAYLOAD	65535
#define RP_MAXMSG	(RP_HDRLEN + RP_MAXPAYLOAD)
#define RP_MAGICLEN	8
#define RP_NAMEMAX	255	/* monitor name or id, with its NUL */

/* Timers (seconds), as 20211212. */
#define RP_KEEPALIVE_S	30	/* send KEEPALIVE after this long silent */
#define RP_DEAD_S	60	/* peer gone after this long unheard */
#define RP_NEWDEAD_S	30	/* a new connection must identify by then */

enum rp_type {
	RP_MASTER_NEW = 0,	/* scamper: magic, monitor name */
	RP_MASTER_ID = 1,	/* remoted: the VP's id ("ip:port") */
	RP_CHANNEL_NEW = 2,	/* remoted: u32 channel (reliable) */
	RP_CHANNEL_FIN = 3,	/* both: u32 channel (reliable) */
	RP_KEEPALIVE = 4,
	RP_ACK = 5,		/* both: u32 sequence acknowledged */
	RP_MASTER_RES = 6,	/* scamper: magic, rcv_nxt, snd_una, snd_nxt */
	RP_MASTER_REJ = 7,	/* remoted: resume refused */
	RP_MASTER_OK = 8,	/* remoted: resume accepted, its rcv_nxt */
};

struct rp_hdr {
	uint32_t	 seq;
	uint32_t	 chan;
	uint16_t	 len;
};

/* A decoded control message; which fields mean something depends on
 * TYPE (see enum rp_type). */
struct rp_ctl {
	enum rp_type	 type;
	uint8_t		 magic[RP_MAGICLEN];
	char		 name[RP_NAMEMAX + 1];	/* "" if none */
	uint32_t	 num;		/* channel, acked seq, or rcv_nxt */
	uint32_t	 rcv_nxt, snd_una, snd_nxt;	/* MASTER_RES */
};

/* Sequence order (modulo 2^32): nonzero if A comes before B. */
int rp_seq_lt(uint32_t a, uint32_t b);

/* Write a header into OUT[0..RP_HDRLEN-1]. */
void rp_hdr_put(uint8_t *out, uint32_t seq, uint32_t chan, uint16_t len);

/* Look at the start of BUF[0..LEN-1].  Returns the length of the whole
 * first message (header + payload) with *H filled, 0 if more bytes are
 * needed, or -1 if the header is invalid (an empty payload). */
long rp_frame(const uint8_t *buf, size_t len, struct rp_hdr *h);

/* Decode the channel-0 payload P[0..LEN-1] into *C, checking its exact
 * length and contents (names NUL-terminated, printable).  Returns 0, or
 * -1 with the problem in ERR. */
int rp_ctl_decode(const uint8_t *p, size_t len, struct rp_ctl *c,
    char *err, size_t errlen);

/* Encode *C as a whole message with sequence SEQ on channel 0 into OUT
 * (at least RP_HDRLEN + 300 bytes).  Returns its length. */
size_t rp_ctl_encode(const struct rp_ctl *c, uint32_t seq, uint8_t *out);

/* Nonzero if messages of TYPE are reliable (sequenced and acked). */
int rp_ctl_reliable(enum rp_type type);

/* Nonzero if NAME is a valid monitor name: 1-254 characters of
 * letters, digits, '.' and '-'. */
int rp_name_ok(const char *name);

/* ---- one link's reliable-delivery state ----------------------------- */

/* A reliable message kept until acknowledged: BUF holds it whole. */
struct rp_msg {
	TAILQ_ENTRY(rp_msg)	 e;
	uint32_t		 seq;
	uint32_t		 chan;
	size_t			 len;
	uint8_t			 buf[];
};

/* Invariant: the held messages have consecutive sequence numbers ending
 * at snd_nxt - 1; the oldest is snd_una (snd_nxt when none is held). */
struct rp_link {
	uint32_t		 snd_nxt;	/* next sequence to send */
	uint32_t		 rcv_nxt;	/* next sequence expected */
	TAILQ_HEAD(, rp_msg)	 held;		/* sent, not yet acked */
	size_t			 held_bytes;
	uint32_t		 nheld;
};

void rp_link_init(struct rp_link *k);

/* Forget every held message; both sequence numbers back to 0. */
void rp_link_reset(struct rp_link *k);

/* A new reliable message on CHAN with payload P[0..LEN-1] (1 to
 * RP_MAXPAYLOAD bytes), sequence snd_nxt (which advances).  The link
 * holds it until acked.  Returns it, or NULL (ENOMEM, EINVAL). */
struct rp_msg *rp_link_send(struct rp_link *k, uint32_t chan,
    const void *p, size_t len);

/* The reliable control message C (CHANNEL_NEW / CHANNEL_FIN), as
 * rp_link_send(). */
struct rp_msg *rp_link_send_ctl(struct rp_link *k, const struct rp_ctl *c);

/* The peer acknowledged SEQ, which must be the oldest held message.
 * Returns 0 (it is freed), or -1 if SEQ is not that message. */
int rp_link_ack(struct rp_link *k, uint32_t seq);

/* A reliable message with sequence SEQ arrived.  Returns 0 if it is
 * the one expected (rcv_nxt advances), else -1. */
int rp_link_recv(struct rp_link *k, uint32_t seq);

/* The oldest unacknowledged sequence (snd_nxt if none is held). */
uint32_t rp_link_una(const struct rp_link *k);

/* On resume: the peer has everything before SEQ; drop those held
 * messages.  Returns 0, or -1 if SEQ is neither snd_nxt nor the
 * sequence of a held message (the links cannot be joined). */
int rp_link_peer_has(struct rp_link *k, uint32_t seq);

/* sc_remoted's check of a MASTER_RES against its link K: scamper's
 * RCV_NXT must be K's snd_nxt or a held sequence, and K's rcv_nxt must
 * lie in scamper's [SND_UNA, SND_NXT].  Returns 0 if the link can be
 * resumed, else -1 with the reason in ERR. */
int rp_link_resume_ok(const struct rp_link *k, uint32_t rcv_nxt,
    uint32_t snd_una, uint32_t snd_nxt, char *err, size_t errlen);

#endif
