/*
 * test_netio.c: netio's send queue without a network or privilege.  The
 * "raw" send socket is an ordinary UDP socket, which refuses the port-0
 * destination netio gives it before anything is sent: so a queued
 * probe's refusal must come back through the tx callback, in order, with
 * its token and tag, while an unqueued send fails at once.  (Probes that do go out are checked in
 * the lab: lab-netio, lab-trace, lab-ping.)
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "loop.h"
#include "memtrim.h"
#include "netio.h"
#include "pkt.h"
#include "../lib/check_table.h"

struct seen {
	int		n;
	void		*token[8];
	uint32_t	tag[8];
	int		err[8];
};

static void
on_tx(void *arg, void *token, uint32_t tag, enum netio_txev ev, int err,
    const struct stamp *tx)
{
	struct seen *s = arg;

	ck_assert_int_lt(s->n, 8);
	ck_assert(ev == NETIO_TX_REFUSED ? err != 0 && tx == NULL :
	    err == 0 && tx != NULL);
	s->token[s->n] = token;
	s->tag[s->n] = tag;
	s->err[s->n] = err;
	s->n++;
}

static void
on_reply(void *arg, const struct pkt_reply *r, const struct stamp *rx)
{
}

/* Minimal UDP probes' headers: IPv4 to 192.0.2.1, IPv6 to 2001:db8::1. */
static const uint8_t pkt4[28] = {
	0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 0, 0, 0, 0, 192, 0, 2, 1,
};
static const uint8_t pkt6[48] = {
	0x60, 0, 0, 0, 0, 8, 17, 64, [24] = 0x20, 0x01, 0x0d, 0xb8,
	[39] = 1,
};

/* A netio on a new loop *L over FDS (its send sockets already set),
 * counting into S, with the tx callback set when TXCB. */
static struct netio *
open_netio(struct loop **l, struct netio_fds *fds, struct seen *s, int txcb)
{
	struct netio *n;

	*l = loop_new(LOOP_DEFAULT);
	ck_assert_ptr_nonnull(*l);
	n = netio_new(*l, fds, on_reply, s);
	ck_assert_ptr_nonnull(n);
	if (txcb)
		netio_set_txcb(n, on_tx);
	return n;
}

START_TEST(unqueued_and_queued)
{
	struct loop *l;
	struct netio_fds fds;
	struct netio *n;
	struct seen s = { 0 };
	struct stamp tx;
	const uint8_t *pkt = pkt4;
	size_t len = sizeof(pkt4);
	int tok[3];

	/* an unprivileged UDP socket: sends to 192.0.2.1 port 0 are refused
	 * (EINVAL) before anything leaves the host */
	netio_fds_init(&fds);
	fds.send4 = socket(AF_INET, SOCK_DGRAM, 0);
	ck_assert_int_ge(fds.send4, 0);
	n = open_netio(&l, &fds, &s, 0);

	/* without a callback nothing is queued: the error is immediate */
	netio_batch(n, 1);
	ck_assert_int_eq(netio_send(n, pkt, len, &tx, &tok[0], 7), -1);
	netio_batch(n, 0);
	ck_assert_int_eq(s.n, 0);

	netio_set_txcb(n, on_tx);
	netio_batch(n, 1);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(netio_send(n, pkt, len, &tx, &tok[i],
		    (uint32_t)(10 + i)), 0);
	ck_assert_int_eq(s.n, 0);		/* nothing until the flush */
	netio_batch(n, 0);
	ck_assert_int_eq(s.n, 3);
	for (int i = 0; i < 3; i++) {
		ck_assert_ptr_eq(s.token[i], &tok[i]);
		ck_assert_uint_eq(s.tag[i], (uint32_t)(10 + i));
		ck_assert_int_ne(s.err[i], 0);
	}
	ck_assert_uint_eq(netio_stats(n)->send_errors, 4);
	ck_assert_uint_eq(netio_stats(n)->sent, 0);
	netio_free(n);
	loop_free(l);
}
END_TEST

/* One queue per socket: IPv4 and IPv6 probes queued in turn stay queued
 * (no flush at each change of family) and each socket's go out in the
 * order they were queued, IPv4's first at the flush. */
START_TEST(queue_per_socket)
{
	struct loop *l;
	struct netio_fds fds;
	struct netio *n;
	struct seen s = { 0 };
	struct stamp tx;
	int tok[6];
	static const uint32_t order[6] = { 0, 2, 4, 1, 3, 5 };

	netio_fds_init(&fds);
	fds.send4 = socket(AF_INET, SOCK_DGRAM, 0);
	fds.send6 = socket(AF_INET6, SOCK_DGRAM, 0);
	ck_assert_int_ge(fds.send4, 0);
	ck_assert_int_ge(fds.send6, 0);
	n = open_netio(&l, &fds, &s, 1);
	netio_batch(n, 1);
	for (int i = 0; i < 6; i++)
		ck_assert_int_eq(netio_send(n, i % 2 ? pkt6 : pkt4, i % 2 ?
		    sizeof(pkt6) : sizeof(pkt4), &tx, &tok[i], (uint32_t)i),
		    0);
	ck_assert_int_eq(s.n, 0);		/* nothing until the flush */
	netio_batch(n, 0);
	ck_assert_int_eq(s.n, 6);
	for (int i = 0; i < 6; i++) {
		ck_assert_ptr_eq(s.token[i], &tok[order[i]]);
		ck_assert_uint_eq(s.tag[i], order[i]);
	}
	netio_free(n);
	loop_free(l);
}
END_TEST

/* An idle trim (mem_trim_idle, through netio's hook) keeps what is
 * queued, frees the empty queue after the flush, and the next batch
 * makes it again. */
START_TEST(trim)
{
	struct loop *l;
	struct netio_fds fds;
	struct netio *n;
	struct seen s = { 0 };
	struct stamp tx;
	int tok[4];

	netio_fds_init(&fds);
	fds.send4 = socket(AF_INET, SOCK_DGRAM, 0);
	ck_assert_int_ge(fds.send4, 0);
	n = open_netio(&l, &fds, &s, 1);
	netio_batch(n, 1);
	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(netio_send(n, pkt4, sizeof(pkt4), &tx,
		    &tok[i], (uint32_t)i), 0);
	mem_trim_idle();			/* busy: nothing freed */
	netio_batch(n, 0);
	ck_assert_int_eq(s.n, 2);
	mem_trim_idle();
	netio_trim(n);				/* twice: nothing left */
	netio_batch(n, 1);
	for (int i = 2; i < 4; i++)
		ck_assert_int_eq(netio_send(n, pkt4, sizeof(pkt4), &tx,
		    &tok[i], (uint32_t)i), 0);
	netio_batch(n, 0);
	ck_assert_int_eq(s.n, 4);
	for (int i = 0; i < 4; i++)
		ck_assert_ptr_eq(s.token[i], &tok[i]);
	netio_free(n);
	mem_trim_idle();			/* unhooked: not called */
	loop_free(l);
}
END_TEST

static int counted;

static void
on_tx_count(void *arg, void *token, uint32_t tag, enum netio_txev ev, int err,
    const struct stamp *tx)
{
	counted++;
}

/* A full batch is sent by netio_make_room, between probes, and not by
 * the send that would not fit (a send that flushed itself and found the
 * buffer full was refused with EAGAIN, which ended its trace): the 64
 * probes of a batch go only when room is made, and the next probe is
 * queued without a flush. */
START_TEST(make_room)
{
	struct loop *l;
	struct netio_fds fds;
	struct netio *n;
	struct seen s = { 0 };
	struct stamp tx;
	int tok;

	netio_fds_init(&fds);
	fds.send4 = socket(AF_INET, SOCK_DGRAM, 0);
	ck_assert_int_ge(fds.send4, 0);
	n = open_netio(&l, &fds, &s, 0);
	netio_set_txcb(n, on_tx_count);
	counted = 0;
	netio_batch(n, 1);
	ck_assert_int_eq(netio_make_room(n), 0);
	for (uint32_t i = 0; i < 64; i++)
		ck_assert_int_eq(netio_send(n, pkt4, sizeof(pkt4), &tx, &tok,
		    i), 0);
	ck_assert_int_eq(counted, 0);		/* full, not yet sent */
	ck_assert_int_eq(netio_make_room(n), 0);
	ck_assert_int_eq(counted, 64);		/* sent (each refused) */
	ck_assert_int_eq(netio_send(n, pkt4, sizeof(pkt4), &tx, &tok, 64), 0);
	ck_assert_int_eq(netio_make_room(n), 0);
	ck_assert_int_eq(counted, 64);		/* one queued: room left */
	netio_batch(n, 0);
	ck_assert_int_eq(counted, 65);
	netio_free(n);
	loop_free(l);
}
END_TEST

CHECK_MAIN("netio", "netio", unqueued_and_queued, queue_per_socket, trim,
    make_room)
