/*
 * test_remote_proto.c: the remote-control protocol's pure pieces:
 * framing, every control message against the bytes 20211212 sends
 * (scamper-behaviour.md b.4, b.5), malformed messages, and the
 * reliable-delivery state: acks in order, resume checks, retransmission
 * after a resume.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "remote_proto.h"
#include "../lib/check_table.h"

static size_t
unhex(const char *h, uint8_t *out)
{
	size_t n = 0;
	unsigned v;

	while (*h != '\0') {
		if (*h == ' ') {
			h++;
			continue;
		}
		sscanf(h, "%2x", &v);
		out[n++] = (uint8_t)v;
		h += 2;
	}
	return n;
}

/* MASTER_NEW observed from 20211212 with -M vp1.test. */
START_TEST(master_new_observed)
{
	uint8_t in[128], out[RP_HDRLEN + 300];
	size_t n = unhex("00000000 00000000 0014 00 08 646a4a2a66ceca24 09 "
	    "7670312e7465737400", in);
	struct rp_hdr h;
	struct rp_ctl c;
	char err[128];

	ck_assert_int_eq(rp_frame(in, n, &h), (long)n);
	ck_assert_uint_eq(h.chan, 0);
	ck_assert_uint_eq(h.len, 20);
	ck_assert_int_eq(rp_frame(in, n - 1, &h), 0);
	ck_assert_int_eq(rp_ctl_decode(in + RP_HDRLEN, h.len, &c, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(c.type, RP_MASTER_NEW);
	ck_assert_str_eq(c.name, "vp1.test");
	ck_assert_int_eq(rp_ctl_encode(&c, 0, out), n);
	ck_assert_mem_eq(out, in, n);
}
END_TEST

START_TEST(others_observed)
{
	static const char *const msgs[] = {
		"00000000 00000000 0012 01 10 3132372e302e302e313a343437373200",
		"00000000 00000000 0005 02 00000001",
		"0000000d 00000000 0005 03 00000001",
		"00000004 00000000 0001 04",
		"00000002 00000000 0005 05 00000000",
		"00000000 00000000 0016 06 08 646a4a2a66ceca24 00000004 "
		    "0000000e 0000000e",
		"00000000 00000000 0001 07",
		"00000000 00000000 0005 08 0000000e",
	};
	uint8_t in[128], out[RP_HDRLEN + 300];
	struct rp_hdr h;
	struct rp_ctl c;
	char err[128];

	for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		size_t n = unhex(msgs[i], in);

		ck_assert_int_eq(rp_frame(in, n, &h), (long)n);
		ck_assert_msg(rp_ctl_decode(in + RP_HDRLEN, h.len, &c, err,
		    sizeof(err)) == 0, "%s: %s", msgs[i], err);
		ck_assert_int_eq(c.type, (int)i + 1);
		ck_assert_int_eq(rp_ctl_encode(&c, h.seq, out), n);
		ck_assert_mem_eq(out, in, n);
	}
}
END_TEST

START_TEST(malformed)
{
	static const char *const bad[] = {
		"",			/* empty */
		"09",			/* unknown type */
		"05 000000",		/* short ACK */
		"05 0000000000",	/* long ACK */
		"02 00000000",		/* channel 0 */
		"00 07 0102030405060708 00",	/* magic length 7 */
		"00 08 0102030405060708 05 6162630000",	/* embedded NUL */
		"00 08 0102030405060708 04 616263",	/* no NUL */
		"00 08 0102030405060708 09 6162",	/* truncated */
		"00 08 0102030405060708 00 ff",	/* trailing byte */
		"01 00",		/* empty id */
		"01 01 00",		/* empty id, as its NUL only */
		"00 08 0102030405060708 01 00",	/* name of its NUL only */
		"01 02 0a00",		/* unprintable */
		"04 00",		/* keepalive with payload */
	};
	uint8_t in[64];
	struct rp_ctl c;
	char err[128];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t n = unhex(bad[i], in);

		err[0] = '\0';
		ck_assert_msg(rp_ctl_decode(in, n, &c, err, sizeof(err)) == -1,
		    "accepted %s", bad[i]);
		ck_assert_msg(err[0] != '\0', "no reason for %s", bad[i]);
	}
	{
		struct rp_hdr h;
		size_t n = unhex("00000000 00000001 0000", in);
		ck_assert_int_eq(rp_frame(in, n, &h), -1);
	}
}
END_TEST

START_TEST(names)
{
	ck_assert(rp_name_ok("vp1.test-2"));
	ck_assert(!rp_name_ok(""));
	ck_assert(!rp_name_ok("a b"));
	ck_assert(!rp_name_ok("a/b"));
	ck_assert(!rp_name_ok("a_b"));
}
END_TEST

/* Acks in order; held copies; the sequence wraps. */
START_TEST(link_acks)
{
	struct rp_link k;
	struct rp_msg *m;

	rp_link_init(&k);
	k.snd_nxt = 0xfffffffe;
	ck_assert_ptr_nonnull(rp_link_send(&k, 1, "abc", 3));
	ck_assert_ptr_nonnull(m = rp_link_send(&k, 1, "de", 2));
	ck_assert_uint_eq(m->seq, 0xffffffff);
	ck_assert_uint_eq(m->len, RP_HDRLEN + 2);
	ck_assert_ptr_nonnull(rp_link_send(&k, 2, "f", 1));
	ck_assert_uint_eq(k.snd_nxt, 1);
	ck_assert_uint_eq(rp_link_una(&k), 0xfffffffe);
	ck_assert_int_eq(rp_link_ack(&k, 0xffffffff), -1);	/* not oldest */
	ck_assert_int_eq(rp_link_ack(&k, 0xfffffffe), 0);
	ck_assert_int_eq(rp_link_ack(&k, 0xffffffff), 0);
	ck_assert_uint_eq(k.nheld, 1);
	ck_assert_int_eq(rp_link_ack(&k, 0), 0);
	ck_assert_int_eq(rp_link_ack(&k, 1), -1);	/* nothing held */
	ck_assert_uint_eq(rp_link_una(&k), 1);
	ck_assert_ptr_null(rp_link_send(&k, 1, "", 0));
	ck_assert_int_eq(rp_link_recv(&k, 0), 0);
	ck_assert_int_eq(rp_link_recv(&k, 2), -1);
	ck_assert_int_eq(rp_link_recv(&k, 1), 0);
	rp_link_reset(&k);
}
END_TEST

/* A resume as in b.5: remoted checks, scamper drops what remoted has
 * and sends the rest again. */
START_TEST(link_resume)
{
	struct rp_link s, r;
	char err[128];

	rp_link_init(&s);
	rp_link_init(&r);
	for (int i = 0; i < 5; i++)
		rp_link_send(&s, 1, "x", 1);	/* scamper sent 0..4 */
	r.rcv_nxt = 3;				/* remoted got 0..2 */
	rp_link_send(&r, 0, "\x02\0\0\0\x01", 5);	/* remoted sent 0 */
	s.rcv_nxt = 0;				/* scamper never got it */
	ck_assert_int_eq(rp_link_resume_ok(&r, s.rcv_nxt, rp_link_una(&s),
	    s.snd_nxt, err, sizeof(err)), 0);
	ck_assert_int_eq(rp_link_peer_has(&s, r.rcv_nxt), 0);
	ck_assert_uint_eq(s.nheld, 2);
	ck_assert_uint_eq(rp_link_una(&s), 3);
	/* remoted's rcv_nxt outside scamper's window */
	ck_assert_int_eq(rp_link_resume_ok(&r, 0, 4, 5, err, sizeof(err)), -1);
	ck_assert(strstr(err, "we expect") != NULL);
	/* scamper expects what remoted no longer holds */
	ck_assert_int_eq(rp_link_resume_ok(&r, 7, 3, 5, err, sizeof(err)), -1);
	ck_assert_int_eq(rp_link_peer_has(&s, 9), -1);
	ck_assert_int_eq(rp_link_peer_has(&s, 5), 0);
	ck_assert_uint_eq(s.nheld, 0);
	rp_link_reset(&s);
	rp_link_reset(&r);
}
END_TEST

CHECK_MAIN("remote_proto", "core", master_new_observed, others_observed,
    malformed, names, link_acks, link_resume)
