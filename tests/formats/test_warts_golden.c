/*
 * test_warts_golden.c: the warts writer's fast paths give the bytes the
 * table-driven code gave.
 *  - golden: warts_gen's traces (tests/bench/warts_write.c, seed 1, 2000
 *    IPv4 and 2000 IPv6) through a warts sink hash to what the writer
 *    made before the fast paths (FNV-1a 64 of its output; Debian's
 *    sc_warts2json reads those files);
 *  - hops: random hops, edge cases among them (TCP, UDP, PTB, unset
 *    address, empty extensions, names, quoted sizes), written by
 *    warts_trace_hop_wr and by the table-driven reference are equal,
 *    in records of up to 400 addresses (past the address hash);
 *  - trace_params: random traces' parameters, written by
 *    warts_trace_params_wr and by the table-driven warts_rec_params,
 *    are equal;
 *  - generations: the address hash stays right across 70,000 records
 *    (its 16-bit generation wraps).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scamper_file.h"
#include "scamper_sink.h"
#include "scamper_trace.h"
#include "warts_gen.h"
#include "warts_int.h"
#include "../unit/unit_main.h"
#include "../lib/check_table.h"

static uint64_t fnv;
static uint64_t nbytes;

static int
hash_cb(void *arg, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	(void)arg;
	for (size_t i = 0; i < len; i++)
		fnv = (fnv ^ p[i]) * 0x100000001b3ULL;
	nbytes += len;
	return 0;
}

static void
golden_one(int v6, uint64_t want, uint64_t wantlen)
{
	struct warts_gen g = { .seed = 1, .v6 = v6 };
	struct scamper_sink *s = scamper_sink_cb(SCAMPER_SINK_WARTS, hash_cb,
	    NULL);

	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(warts_gen_init(&g), 0);
	fnv = 0xcbf29ce484222325ULL;
	nbytes = 0;
	for (int i = 0; i < 2000; i++) {
		struct scamper_trace *t = warts_gen_trace(&g, i);

		ck_assert_ptr_nonnull(t);
		ck_assert_int_eq(scamper_sink_write(s, SCAMPER_FILE_OBJ_TRACE,
		    t), 0);
		scamper_trace_free(t);
	}
	ck_assert_int_eq(scamper_sink_close(s), 0);
	warts_gen_clear(&g);
	ck_assert_uint_eq(nbytes, wantlen);
	ck_assert_msg(fnv == want, "v6=%d: hash %llx, want %llx", v6,
	    (unsigned long long)fnv, (unsigned long long)want);
}

START_TEST(golden)
{
	golden_one(0, 0xd784be4b0d368eb3ULL, 1274119);
	golden_one(1, 0xf6f98eacfacaacdbULL, 1547793);
}
END_TEST

static uint32_t rng = 12345;

static uint32_t
rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng % n;
}

static const uint8_t icmp_types[] = { 0, 1, 2, 3, 4, 11, 129, 3, 11 };

/* A random hop with one of NADDR addresses (its own extension bytes in
 * EXT). */
static void
rand_hop(struct scamper_trace_hop *h, uint8_t *ext, int naddr)
{
	uint8_t b[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	uint32_t r = rnd((uint32_t)naddr), k = rnd(20);

	memset(h, 0, sizeof(*h));
	b[14] = (uint8_t)(r >> 8);
	b[15] = (uint8_t)r;
	if (k == 0)
		;	/* unset */
	else if (k < 10)
		scamper_addr_set(&h->addr, SCAMPER_ADDR_IPV4, b + 12);
	else if (k < 19)
		scamper_addr_set(&h->addr, SCAMPER_ADDR_IPV6, b);
	else
		scamper_addr_set(&h->addr, SCAMPER_ADDR_ETHERNET, b + 10);
	h->probe_ttl = (uint8_t)(1 + rnd(40));
	h->probe_id = (uint8_t)(1 + rnd(3));
	h->probe_size = (uint16_t)(40 + rnd(3));
	h->rtt = rnd(100000);
	h->flags = (uint8_t)rnd(128);
	h->reply_ttl = (uint8_t)rnd(256);
	h->reply_tos = (uint8_t)rnd(4);
	h->reply_size = (uint16_t)rnd(1500);
	h->reply_ipid = (uint16_t)(rnd(2) ? rnd(65536) : 0);
	h->icmp_type = icmp_types[rnd(sizeof(icmp_types))];
	h->icmp_code = (uint8_t)rnd(6);
	h->tcp_flags = (uint8_t)rnd(256);
	h->icmp_q_ttl = (uint8_t)rnd(3);
	h->icmp_q_tos = (uint8_t)rnd(3);
	h->icmp_q_ipl = (uint16_t)(40 + rnd(3));
	h->icmp_nhmtu = (uint16_t)rnd(1500);
	h->tx.tv_sec = rnd(3) ? 1700000000 : 0;
	h->tx.tv_usec = (suseconds_t)rnd(1000000);
	if (rnd(3) == 0) {
		h->icmpext = ext;
		h->icmpext_len = (uint16_t)(rnd(3) == 0 ? 0 : 4 + 4 * rnd(4));
		for (uint16_t i = 0; i < h->icmpext_len; i++)
			ext[i] = (uint8_t)rnd(256);
	}
	if (rnd(8) == 0)
		h->name = rnd(2) ? "" : "router.example.net";
}

START_TEST(hops)
{
	struct wbuf a, b;
	uint8_t ext[32];

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	for (int rec = 0; rec < 300; rec++) {
		int n = 1 + (int)rnd(rec % 10 == 0 ? 600 : 40);
		int naddr = 1 + (int)rnd(rec % 10 == 0 ? 400 : 30);

		wb_tab_reset(&a);
		wb_tab_reset(&b);
		a.len = b.len = 0;
		for (int i = 0; i < n; i++) {
			struct scamper_trace_hop h;

			rand_hop(&h, ext, naddr);
			warts_trace_hop_wr(&a, &h, 41);
			warts_trace_hop_wr_ref(&b, &h, 41);
		}
		ck_assert(!a.oom && !b.oom && !a.toolong && !b.toolong);
		ck_assert_uint_eq(a.len, b.len);
		ck_assert_msg(memcmp(a.buf, b.buf, a.len) == 0,
		    "record %d of %d hops: bytes differ", rec, n);
	}
	free(a.buf);
	free(b.buf);
	waddrtab_clear(&a.tab);
	waddrtab_clear(&b.tab);
}
END_TEST

/* A random trace's parameters (no hops). */
static void
rand_trace(struct scamper_trace *t)
{
	static const char *const a[] = { "192.0.2.1", "2001:db8::1",
	    "198.51.100.7", "2001:db8::2" };

	memset(t, 0, sizeof(*t));
	if (rnd(8) != 0)
		scamper_addr_pton(&t->src, a[rnd(4)]);
	if (rnd(8) != 0)
		scamper_addr_pton(&t->dst, a[rnd(4)]);
	if (rnd(3) == 0)
		scamper_addr_pton(&t->rtr, a[rnd(4)]);
	t->userid = rnd(2) ? rnd(1000) : 0;
	t->start.tv_sec = 1700000000 + rnd(100);
	t->start.tv_usec = (suseconds_t)rnd(1000000);
	t->stop_reason = (uint8_t)rnd(10);
	t->stop_data = (uint8_t)rnd(3);
	t->flags = rnd(2) ? rnd(0x200) : rnd(4);
	t->attempts = (uint8_t)rnd(4);
	t->hoplimit = (uint8_t)rnd(256);
	t->type = (uint8_t)(1 + rnd(6));
	t->firsthop = (uint8_t)rnd(4);
	t->tos = (uint8_t)rnd(4);
	t->wait = (uint8_t)rnd(10);
	t->wait_probe = (uint8_t)rnd(10);
	t->loops = (uint8_t)rnd(3);
	t->loopaction = (uint8_t)rnd(2);
	t->gaplimit = (uint8_t)rnd(6);
	t->gapaction = (uint8_t)rnd(3);
	t->confidence = (uint8_t)(rnd(2) ? 95 : 99);
	t->squeries = (uint8_t)rnd(4);
	t->probe_size = (uint16_t)(20 + rnd(1500));
	t->sport = (uint16_t)rnd(65536);
	t->dport = (uint16_t)rnd(65536);
	t->offset = (uint16_t)(rnd(3) == 0 ? rnd(100) : 0);
	t->hop_count = (uint16_t)rnd(256);
	t->probec = (uint16_t)rnd(600);
}

START_TEST(trace_params)
{
	struct wbuf a, b;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	for (int i = 0; i < 5000; i++) {
		struct scamper_trace t;
		struct wrec_tmp x;

		rand_trace(&t);
		memset(&x, 0, sizeof(x));
		x.listid = rnd(2) ? rnd(5) : 0;
		x.cycleid = rnd(2) ? rnd(5) : 0;
		wb_tab_reset(&a);
		wb_tab_reset(&b);
		a.len = b.len = 0;
		warts_trace_params_wr(&a, &t, &x);
		x.flags = t.flags;
		x.flags8 = (uint8_t)t.flags;
		warts_rec_params(&b, &warts_trace_rec, &t, &x);
		ck_assert(!a.oom && !b.oom);
		ck_assert_uint_eq(a.len, b.len);
		ck_assert_msg(memcmp(a.buf, b.buf, a.len) == 0,
		    "trace %d: bytes differ", i);
	}
	free(a.buf);
	free(b.buf);
	waddrtab_clear(&a.tab);
	waddrtab_clear(&b.tab);
}
END_TEST

START_TEST(generations)
{
	struct scamper_addr x[3];
	struct wbuf w;

	memset(&w, 0, sizeof(w));
	scamper_addr_pton(&x[0], "192.0.2.1");
	scamper_addr_pton(&x[1], "2001:db8::1");
	scamper_addr_pton(&x[2], "192.0.2.2");
	for (int rec = 0; rec < 70000; rec++) {
		const struct scamper_addr *p = &x[rec % 3];

		wb_tab_reset(&w);
		w.len = 0;
		wb_addr(&w, p);		/* new: defined */
		wb_addr(&w, p);		/* then referred to as ID 0 */
		wb_addr(&w, &x[(rec + 1) % 3]);
		ck_assert(!w.oom);
		ck_assert_uint_eq(w.buf[0], p->len);
		ck_assert_uint_eq(w.buf[2 + p->len], 0);
		ck_assert_uint_eq(wire_be32(w.buf + 3 + p->len), 0);
		ck_assert_uint_eq(w.buf[7 + p->len], x[(rec + 1) % 3].len);
	}
	free(w.buf);
	waddrtab_clear(&w.tab);
}
END_TEST

CHECK_MAIN("warts-golden", "writer", golden, hops, trace_params,
    generations)
