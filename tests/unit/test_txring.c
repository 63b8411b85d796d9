/*
 * test_txring.c: the transmit ring's frame walking (prober/net/txring.c)
 * over plain memory, the test playing the kernel's part by setting each
 * frame's status: frames written in order, taken in part, refused
 * ("wrong format"), held by the kernel (no room), wrapping, too large.
 * Setting up a real ring needs CAP_NET_RAW: lab-pktsend does that.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <string.h>

#include "txring.h"
#include "../lib/check_table.h"

#ifdef __linux__
#include <linux/if_packet.h>

#define NF	8
#define FS	256
#define DATA	(TPACKET_ALIGN(sizeof(struct tpacket2_hdr)))

static _Alignas(16) unsigned char mem[NF * FS];

static struct tpacket2_hdr *
fr(int i)
{
	return (struct tpacket2_hdr *)(void *)(mem + (size_t)(i % NF) * FS);
}

static struct txring *
fresh(void)
{
	struct txring *r;

	memset(mem, 0, sizeof(mem));
	ck_assert_ptr_nonnull(r = txring_over(mem, NF, FS));
	return r;
}

/* Write frame I: a 2-byte header and a packet of one byte, I. */
static int
put(struct txring *r, int i)
{
	const unsigned char hdr[2] = { 0xee, 0xff };
	const unsigned char pkt[1] = { (unsigned char)i };

	return txring_put(r, hdr, sizeof(hdr), pkt, sizeof(pkt));
}

START_TEST(put_writes_frames)
{
	struct txring *r = fresh();

	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(put(r, i), 0);
	ck_assert_uint_eq(txring_pending(r), 3);
	for (int i = 0; i < 3; i++) {
		unsigned char *d = (unsigned char *)fr(i) + DATA;

		ck_assert_uint_eq(fr(i)->tp_status, TP_STATUS_SEND_REQUEST);
		ck_assert_uint_eq(fr(i)->tp_len, 3);
		ck_assert_uint_eq(d[0], 0xee);
		ck_assert_uint_eq(d[1], 0xff);
		ck_assert_uint_eq(d[2], (unsigned)i);
	}
	ck_assert_uint_eq(fr(3)->tp_status, 0);
	txring_free(r);
}
END_TEST

START_TEST(reap_counts_what_was_taken)
{
	struct txring *r = fresh();
	int refused = -1;

	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(put(r, i), 0);
	/* nothing taken yet */
	ck_assert_uint_eq(txring_reap(r, &refused), 0);
	ck_assert_int_eq(refused, 0);
	/* the kernel took two: one released, one still in a queue */
	fr(0)->tp_status = TP_STATUS_AVAILABLE;
	fr(1)->tp_status = TP_STATUS_SENDING;
	ck_assert_uint_eq(txring_reap(r, &refused), 2);
	ck_assert_int_eq(refused, 0);
	ck_assert_uint_eq(txring_pending(r), 2);
	/* the rest, a timestamp flag with one */
	fr(2)->tp_status = TP_STATUS_AVAILABLE | TP_STATUS_TS_SOFTWARE;
	fr(3)->tp_status = TP_STATUS_AVAILABLE;
	ck_assert_uint_eq(txring_reap(r, &refused), 2);
	ck_assert_uint_eq(txring_pending(r), 0);
	ck_assert_uint_eq(txring_reap(r, &refused), 0);
	txring_free(r);
}
END_TEST

START_TEST(refused_frame_is_freed)
{
	struct txring *r = fresh();
	int refused = 0;

	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(put(r, i), 0);
	fr(0)->tp_status = TP_STATUS_AVAILABLE;
	fr(1)->tp_status = TP_STATUS_WRONG_FORMAT;
	ck_assert_uint_eq(txring_reap(r, &refused), 1);
	ck_assert_int_eq(refused, 1);
	ck_assert_uint_eq(fr(1)->tp_status, 0);
	ck_assert_uint_eq(txring_pending(r), 1);
	/* the one after it is still waiting */
	ck_assert_uint_eq(txring_reap(r, &refused), 0);
	ck_assert_int_eq(refused, 0);
	txring_drop(r);
	ck_assert_uint_eq(txring_pending(r), 0);
	ck_assert_uint_eq(fr(2)->tp_status, 0);
	txring_free(r);
}
END_TEST

START_TEST(full_and_held_frames)
{
	struct txring *r = fresh();
	int refused;

	for (int i = 0; i < NF; i++)
		ck_assert_int_eq(put(r, i), 0);
	ck_assert_int_eq(txring_room(r), 0);
	errno = 0;
	ck_assert_int_eq(put(r, NF), -1);
	ck_assert_int_eq(errno, EAGAIN);
	/* taken, but the first still in the device's queue: no room */
	for (int i = 0; i < NF; i++)
		fr(i)->tp_status = TP_STATUS_SENDING;
	ck_assert_uint_eq(txring_reap(r, &refused), NF);
	ck_assert_int_eq(txring_room(r), 0);
	fr(0)->tp_status = TP_STATUS_AVAILABLE;
	ck_assert_int_eq(txring_room(r), 1);
	ck_assert_int_eq(put(r, NF), 0);
	ck_assert_int_eq(txring_room(r), 0);
	txring_free(r);
}
END_TEST

START_TEST(wraps_around)
{
	struct txring *r = fresh();
	int refused;

	for (int round = 0; round < 5; round++) {
		for (int i = 0; i < 3; i++)
			ck_assert_int_eq(put(r, round * 3 + i), 0);
		for (int i = 0; i < 3; i++) {
			int f = round * 3 + i;

			ck_assert_uint_eq(fr(f)->tp_status,
			    TP_STATUS_SEND_REQUEST);
			ck_assert_uint_eq(((unsigned char *)fr(f) + DATA)[2],
			    (unsigned)f);
			fr(f)->tp_status = TP_STATUS_AVAILABLE;
		}
		ck_assert_uint_eq(txring_reap(r, &refused), 3);
	}
	ck_assert_uint_eq(txring_pending(r), 0);
	txring_free(r);
}
END_TEST

START_TEST(too_large_or_bad_shape)
{
	static unsigned char big[FS];
	struct txring *r = fresh();

	errno = 0;
	ck_assert_int_eq(txring_put(r, big, 0, big, FS - DATA + 1), -1);
	ck_assert_int_eq(errno, EMSGSIZE);
	ck_assert_int_eq(txring_put(r, big, 0, big, FS - DATA), 0);
	ck_assert_uint_eq(txring_pending(r), 1);
	txring_free(r);
	ck_assert_ptr_null(txring_over(mem, 6, FS));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(txring_over(mem, NF, 17));
}
END_TEST

CHECK_MAIN("txring", "frames", put_writes_frames, reap_counts_what_was_taken,
    refused_frame_is_freed, full_and_held_frames, wraps_around,
    too_large_or_bad_shape)

#else

START_TEST(no_rings)
{
	ck_assert_ptr_null(txring_new(-1));
}
END_TEST

CHECK_MAIN("txring", "none", no_rings)

#endif
