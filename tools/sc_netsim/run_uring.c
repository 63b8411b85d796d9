/*
 * run_uring.c: sc_netsim's io_uring event loop, with raw system calls
 * (no liburing).  One multishot read of the TUN device (Linux 6.7) fills
 * the buffers of a provided-buffer ring: one entry on the device's wait
 * queue.  (NREAD plain reads in flight, the fallback for older kernels,
 * are NREAD entries, each woken by every packet a sender writes, in the
 * sender's system call.)  Each packet read is answered at once and its
 * reply goes out as a write request from a pool of buffers; all of them,
 * and the signalfd poll,
 * are submitted together with one io_uring_enter(2) per loop turn, which
 * also waits (with a nanosecond timeout from the timer heap) for the next
 * completion.  This saves the two system calls per packet of the epoll
 * loop; the kernel's own per-packet work is the same.  One thread: the
 * ring is set up single-issuer with deferred task work, so completions
 * run in this thread when it enters the kernel.
 *
 * A queued reply is handed to the kernel by the next io_uring_enter(2):
 * its send time, for sc_netsim's lateness (run_late.c), is the clock read
 * just before that call.
 *
 * --poll-us (run.c says why): within POLL_US of the last packet read a
 * loop turn does not wait.  With deferred task work a read's completion
 * is queued as task work and wakes this thread only when it waits for
 * completions; the ring is set up with IORING_SETUP_TASKRUN_FLAG, so
 * such work shows as IORING_SQ_TASKRUN in the ring's flags: the turn
 * reads them (no system call) and enters the kernel, without waiting,
 * only when there is work or something to submit.  A kernel without the
 * flag gets an io_uring_enter(2) without waiting each turn instead.
 */
#include <errno.h>
#include <linux/io_uring.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "run_int.h"

#define NREAD		128	/* reads in flight (no multishot read) */
#define NRBUF		256	/* the multishot read's buffers */
#define BGID		1	/* their buffer group */
/* IORING_OP_READ_MULTISHOT (Linux 6.7), past this system's headers */
#define OP_READ_MULTISHOT	49
#define NWBUF		4096	/* write buffers */
#define RING_ENTRIES	1024

#define UD_READ		1ULL
#define UD_WRITE	2ULL
#define UD_SIGNAL	3ULL
#define UD_MREAD	4ULL
#define UD(type, idx)	((type) << 32 | (uint64_t)(idx))

struct uring {
	int			 fd;
	void			*sqp, *cqp;
	size_t			 sqsz, cqsz, sqesz;
	unsigned		*sq_head, *sq_tail, *sq_mask, *sq_array;
	unsigned		*sq_flags;	/* NULL: no TASKRUN flag */
	unsigned		*cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe	*sqes;
	struct io_uring_cqe	*cqes;
	unsigned		 entries;
	unsigned		 pending;	/* SQEs not yet submitted */
	uint8_t			*rbuf;		/* NRBUF x bufsz */
	struct io_uring_buf_ring *br;	/* NULL: NREAD plain reads */
	size_t			 brsz;
	uint8_t			*wbuf;		/* NWBUF x bufsz */
	size_t			 bufsz;
	uint32_t		 wfree[NWBUF];	/* stack of free buffers */
	uint32_t		 nwfree;
	uint32_t		 wq[NWBUF];	/* writes not yet submitted */
	uint32_t		 nwq;
	uint32_t		 wlen[NWBUF];
	struct reply_meta	 wmeta[NWBUF];
	struct runner		*run;
	int			 sfd;
};

static int
sys_setup(unsigned entries, struct io_uring_params *p)
{
	return (int)syscall(__NR_io_uring_setup, entries, p);
}

static int
sys_enter(int fd, unsigned submit, unsigned wait, unsigned flags, void *arg,
    size_t argsz)
{
	return (int)syscall(__NR_io_uring_enter, fd, submit, wait, flags, arg,
	    argsz);
}

static int
sys_register(int fd, unsigned op, void *arg, unsigned n)
{
	return (int)syscall(__NR_io_uring_register, fd, op, arg, n);
}

static int
ring_map(struct uring *u, struct io_uring_params *p)
{
	u->sqsz = p->sq_off.array + p->sq_entries * sizeof(unsigned);
	u->cqsz = p->cq_off.cqes + p->cq_entries * sizeof(struct io_uring_cqe);
	if (p->features & IORING_FEAT_SINGLE_MMAP)
		u->sqsz = u->cqsz = u->sqsz > u->cqsz ? u->sqsz : u->cqsz;
	u->sqp = mmap(NULL, u->sqsz, PROT_READ | PROT_WRITE, MAP_SHARED |
	    MAP_POPULATE, u->fd, IORING_OFF_SQ_RING);
	if (u->sqp == MAP_FAILED)
		return -1;
	if (p->features & IORING_FEAT_SINGLE_MMAP)
		u->cqp = u->sqp;
	else if ((u->cqp = mmap(NULL, u->cqsz, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_POPULATE, u->fd, IORING_OFF_CQ_RING)) ==
	    MAP_FAILED)
		return -1;
	u->sqesz = p->sq_entries * sizeof(struct io_uring_sqe);
	u->sqes = mmap(NULL, u->sqesz, PROT_READ | PROT_WRITE, MAP_SHARED |
	    MAP_POPULATE, u->fd, IORING_OFF_SQES);
	if (u->sqes == MAP_FAILED)
		return -1;
	u->sq_head = (unsigned *)((char *)u->sqp + p->sq_off.head);
	u->sq_tail = (unsigned *)((char *)u->sqp + p->sq_off.tail);
	u->sq_mask = (unsigned *)((char *)u->sqp + p->sq_off.ring_mask);
	u->sq_array = (unsigned *)((char *)u->sqp + p->sq_off.array);
	if (p->flags & IORING_SETUP_TASKRUN_FLAG)
		u->sq_flags = (unsigned *)((char *)u->sqp + p->sq_off.flags);
	u->cq_head = (unsigned *)((char *)u->cqp + p->cq_off.head);
	u->cq_tail = (unsigned *)((char *)u->cqp + p->cq_off.tail);
	u->cq_mask = (unsigned *)((char *)u->cqp + p->cq_off.ring_mask);
	u->cqes = (struct io_uring_cqe *)((char *)u->cqp + p->cq_off.cqes);
	u->entries = p->sq_entries;
	return 0;
}

/* 0, -1 on error, -2 when the kernel has no io_uring. */
static int
ring_open(struct uring *u)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN |
	    IORING_SETUP_TASKRUN_FLAG;
	if ((u->fd = sys_setup(RING_ENTRIES, &p)) == -1 && errno == EINVAL) {
		memset(&p, 0, sizeof(p));
		p.flags = IORING_SETUP_SINGLE_ISSUER |
		    IORING_SETUP_DEFER_TASKRUN;
		u->fd = sys_setup(RING_ENTRIES, &p);
	}
	if (u->fd == -1 && errno == EINVAL) {
		memset(&p, 0, sizeof(p));	/* kernels before 6.1 */
		u->fd = sys_setup(RING_ENTRIES, &p);
	}
	if (u->fd == -1)
		return errno == ENOSYS || errno == EPERM ? -2 : -1;
	if (!(p.features & IORING_FEAT_EXT_ARG)) {
		close(u->fd);
		u->fd = -1;
		return -2;
	}
	return ring_map(u, &p);
}

static void
ring_close(struct uring *u)
{
	if (u->br != NULL)
		munmap(u->br, u->brsz);
	if (u->sqes != NULL && u->sqes != MAP_FAILED)
		munmap(u->sqes, u->sqesz);
	if (u->cqp != NULL && u->cqp != MAP_FAILED && u->cqp != u->sqp)
		munmap(u->cqp, u->cqsz);
	if (u->sqp != NULL && u->sqp != MAP_FAILED)
		munmap(u->sqp, u->sqsz);
	if (u->fd != -1)
		close(u->fd);
}

/* The writes queued since the last io_uring_enter(2) left at T. */
static void
writes_sent(struct uring *u, struct monotime t)
{
	for (uint32_t i = 0; i < u->nwq; i++) {
		uint32_t idx = u->wq[i];

		run_sent(u->run, &u->wmeta[idx], u->wbuf + (size_t)idx *
		    u->bufsz, u->wlen[idx], t);
	}
	u->nwq = 0;
}

/* Submit what is queued without waiting.  0 or -1. */
static int
ring_submit(struct uring *u)
{
	int n;

	while (u->pending > 0) {
		struct monotime t = monotime_now();

		n = sys_enter(u->fd, u->pending, 0, 0, NULL, 0);
		writes_sent(u, t);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EBUSY)
				return 0;	/* completions first */
			return -1;
		}
		u->pending -= (unsigned)n;
	}
	return 0;
}

static struct io_uring_sqe *
ring_sqe(struct uring *u)
{
	unsigned tail = *u->sq_tail, head;
	struct io_uring_sqe *sqe;

	head = __atomic_load_n(u->sq_head, __ATOMIC_ACQUIRE);
	if (tail - head >= u->entries) {
		if (ring_submit(u) == -1)
			return NULL;
		head = __atomic_load_n(u->sq_head, __ATOMIC_ACQUIRE);
		if (tail - head >= u->entries)
			return NULL;
	}
	sqe = &u->sqes[tail & *u->sq_mask];
	memset(sqe, 0, sizeof(*sqe));
	u->sq_array[tail & *u->sq_mask] = tail & *u->sq_mask;
	__atomic_store_n(u->sq_tail, tail + 1, __ATOMIC_RELEASE);
	u->pending++;
	return sqe;
}

static int
queue_read(struct uring *u, int fd, uint32_t idx)
{
	struct io_uring_sqe *sqe = ring_sqe(u);

	if (sqe == NULL)
		return -1;
	sqe->opcode = IORING_OP_READ;
	sqe->fd = fd;
	sqe->addr = (uint64_t)(uintptr_t)(u->rbuf + (size_t)idx * u->bufsz);
	sqe->len = (uint32_t)u->bufsz;
	sqe->off = (uint64_t)-1;
	sqe->user_data = UD(UD_READ, idx);
	return 0;
}

static int
queue_signal_poll(struct uring *u)
{
	struct io_uring_sqe *sqe = ring_sqe(u);

	if (sqe == NULL)
		return -1;
	sqe->opcode = IORING_OP_POLL_ADD;
	sqe->fd = u->sfd;
	sqe->poll32_events = 0x1;	/* POLLIN */
	sqe->user_data = UD(UD_SIGNAL, 0);
	return 0;
}

/* Hand read buffer BID back to the kernel's buffer ring. */
static void
rbuf_recycle(struct uring *u, uint16_t bid)
{
	uint16_t tail = u->br->tail;
	struct io_uring_buf *b = &u->br->bufs[tail & (NRBUF - 1)];

	b->addr = (uint64_t)(uintptr_t)(u->rbuf + (size_t)bid * u->bufsz);
	b->len = (uint32_t)u->bufsz;
	b->bid = bid;
	__atomic_store_n(&u->br->tail, (uint16_t)(tail + 1), __ATOMIC_RELEASE);
}

/* Register the read buffers as a provided-buffer ring; 0, or -1 (an
 * older kernel: plain reads then). */
static int
rbuf_ring(struct uring *u)
{
	struct io_uring_buf_reg reg;

	u->brsz = NRBUF * sizeof(struct io_uring_buf);
	u->br = mmap(NULL, u->brsz, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0);
	if (u->br == MAP_FAILED) {
		u->br = NULL;
		return -1;
	}
	memset(&reg, 0, sizeof(reg));
	reg.ring_addr = (uint64_t)(uintptr_t)u->br;
	reg.ring_entries = NRBUF;
	reg.bgid = BGID;
	if (sys_register(u->fd, IORING_REGISTER_PBUF_RING, &reg, 1) == -1) {
		munmap(u->br, u->brsz);
		u->br = NULL;
		return -1;
	}
	for (uint16_t i = 0; i < NRBUF; i++)
		rbuf_recycle(u, i);
	return 0;
}

/* One multishot read of the TUN device: one entry on its wait queue
 * however many packets it reads, each into a buffer of the ring. */
static int
queue_mread(struct uring *u, int fd)
{
	struct io_uring_sqe *sqe = ring_sqe(u);

	if (sqe == NULL)
		return -1;
	sqe->opcode = OP_READ_MULTISHOT;
	sqe->fd = fd;
	sqe->flags = IOSQE_BUFFER_SELECT;
	sqe->buf_group = BGID;
	sqe->off = (uint64_t)-1;
	sqe->user_data = UD(UD_MREAD, 0);
	return 0;
}

/* Queue the reads: the multishot one, or NREAD plain ones. */
static int
queue_reads(struct uring *u, int fd)
{
	if (u->br != NULL)
		return queue_mread(u, fd);
	for (uint32_t i = 0; i < NREAD; i++)
		if (queue_read(u, fd, i) == -1)
			return -1;
	return 0;
}

/* A multishot read's completion C at NOW: answer its packet, give its
 * buffer back, arm it again when it ended (or fall back to plain reads
 * on a kernel without it).  0 or -1. */
static int
complete_mread(struct runner *r, struct uring *u,
    const struct io_uring_cqe *c, struct monotime now)
{
	struct netsim_reply rep;

	if (c->flags & IORING_CQE_F_BUFFER) {
		uint16_t bid = (uint16_t)(c->flags >> IORING_CQE_BUFFER_SHIFT);
		const uint8_t *pkt = u->rbuf + (size_t)bid * u->bufsz;

		if (c->res > 0) {
			r->last_in = now;
			if (netsim_input(r->s, pkt, (size_t)c->res, now.ns,
			    &rep))
				run_reply(r, &rep, pkt, (size_t)c->res, now);
		}
		rbuf_recycle(u, bid);
	}
	if (c->flags & IORING_CQE_F_MORE)
		return 0;
	if (c->res == -EINVAL || c->res == -EOPNOTSUPP) {
		log_info("no multishot read here; using %d reads", NREAD);
		sys_register(u->fd, IORING_UNREGISTER_PBUF_RING, &(struct
		    io_uring_buf_reg){ .bgid = BGID }, 1);
		munmap(u->br, u->brsz);
		u->br = NULL;
		return queue_reads(u, r->fd);
	}
	if (c->res < 0 && c->res != -ENOBUFS && c->res != -EAGAIN &&
	    c->res != -EINTR) {
		errno = -c->res;
		log_warn("reading the TUN device");
		return -1;
	}
	return queue_mread(u, r->fd);
}

/* The backend's send: copy into a write buffer, queue a write.  Falls
 * back to write(2) when no buffer or slot is free. */
static void
uring_send(struct runner *r, const uint8_t *pkt, size_t len,
    const struct reply_meta *m)
{
	struct uring *u = r->io;
	struct io_uring_sqe *sqe;
	uint32_t idx;
	uint8_t *b;

	if (len > u->bufsz || u->nwfree == 0 || (sqe = ring_sqe(u)) == NULL) {
		struct monotime t = monotime_now();

		if (write(r->fd, pkt, len) != (ssize_t)len)
			r->write_fail++;
		run_sent(r, m, pkt, len, t);
		return;
	}
	idx = u->wfree[--u->nwfree];
	b = u->wbuf + (size_t)idx * u->bufsz;
	memcpy(b, pkt, len);
	u->wlen[idx] = (uint32_t)len;
	u->wmeta[idx] = *m;
	u->wq[u->nwq++] = idx;
	sqe->opcode = IORING_OP_WRITE;
	sqe->fd = r->fd;
	sqe->addr = (uint64_t)(uintptr_t)b;
	sqe->len = (uint32_t)len;
	sqe->off = (uint64_t)-1;
	sqe->user_data = UD(UD_WRITE, idx);
}

/* Handle one completion; returns 1 to stop, -1 on error. */
static int
complete(struct runner *r, struct uring *u, const struct io_uring_cqe *c,
    struct monotime now)
{
	uint32_t type = (uint32_t)(c->user_data >> 32);
	uint32_t idx = (uint32_t)c->user_data;
	struct netsim_reply rep;

	switch (type) {
	case UD_READ:
		if (c->res > 0)
			r->last_in = now;
		if (c->res > 0 && netsim_input(r->s, u->rbuf + (size_t)idx *
		    u->bufsz, (size_t)c->res, now.ns, &rep))
			run_reply(r, &rep, u->rbuf + (size_t)idx * u->bufsz,
			    (size_t)c->res, now);
		else if (c->res < 0 && c->res != -EAGAIN && c->res != -EINTR) {
			errno = -c->res;
			log_warn("reading the TUN device");
			return -1;
		}
		return queue_read(u, r->fd, idx);
	case UD_MREAD:
		return complete_mread(r, u, c, now);
	case UD_WRITE:
		if (c->res < 0)
			r->write_fail++;
		u->wfree[u->nwfree++] = idx;
		return 0;
	case UD_SIGNAL:
		if (run_read_signals(r, u->sfd))
			return 1;
		return queue_signal_poll(u);
	default:
		return 0;
	}
}

/* In the poll phase: 1 when the ring may have something for this turn
 * (work to submit, completions posted or task work queued). */
static int
ring_ready(const struct uring *u)
{
	if (u->pending > 0 || u->sq_flags == NULL)
		return 1;
	if (__atomic_load_n(u->cq_tail, __ATOMIC_ACQUIRE) != *u->cq_head)
		return 1;
	return (__atomic_load_n(u->sq_flags, __ATOMIC_ACQUIRE) &
	    IORING_SQ_TASKRUN) != 0;
}

static void
cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

/* One io_uring_enter(2): submit what is queued and run the completions'
 * task work; wait for one (at most until the next timer) unless POLL.
 * 0 or -1. */
static int
ring_enter(struct runner *r, struct uring *u, int poll)
{
	struct io_uring_getevents_arg arg;
	struct __kernel_timespec ts;
	struct timespec wait;
	struct monotime now;
	int n;

	memset(&arg, 0, sizeof(arg));
	if (poll)
		r->polls++;
	else
		r->waits++;
	if (!poll && run_timeout(r, &wait) != NULL) {
		ts.tv_sec = wait.tv_sec;
		ts.tv_nsec = wait.tv_nsec;
		arg.ts = (uint64_t)(uintptr_t)&ts;
	}
	now = monotime_now();
	n = sys_enter(u->fd, u->pending, poll ? 0 : 1, IORING_ENTER_GETEVENTS |
	    IORING_ENTER_EXT_ARG, &arg, sizeof(arg));
	writes_sent(u, now);
	if (n == -1 && errno != EINTR && errno != ETIME && errno != EAGAIN &&
	    errno != EBUSY) {
		log_warn("io_uring_enter");
		return -1;
	}
	if (n > 0)
		u->pending -= (unsigned)n < u->pending ? (unsigned)n :
		    u->pending;
	return 0;
}

static int
uring_loop(struct runner *r, struct uring *u)
{
	int stop = 0;

	if (queue_reads(u, r->fd) == -1)
		return -1;
	if (queue_signal_poll(u) == -1)
		return -1;
	while (stop == 0) {
		unsigned head, tail;
		struct monotime now = monotime_now();
		int poll = run_polling(r, now);

		if (poll && !ring_ready(u)) {
			r->polls++;
			cpu_relax();
			timer_heap_run(&r->th, now);
			continue;	/* ends poll_ns after the last read */
		}
		if (ring_enter(r, u, poll) == -1)
			return -1;
		now = monotime_now();
		head = *u->cq_head;
		tail = __atomic_load_n(u->cq_tail, __ATOMIC_ACQUIRE);
		for (; head != tail && stop == 0; head++)
			stop = complete(r, u, &u->cqes[head & *u->cq_mask], now);
		__atomic_store_n(u->cq_head, head, __ATOMIC_RELEASE);
		timer_heap_run(&r->th, now);
	}
	return stop < 0 ? -1 : 0;
}

int
run_uring(struct runner *r, int sfd)
{
	struct uring *u;
	int rc;

	if ((u = calloc(1, sizeof(*u))) == NULL)
		return -1;
	u->fd = -1;
	u->sfd = sfd;
	u->run = r;
	u->bufsz = (r->mtu > 1280 ? r->mtu : 1280) + 256;
	u->rbuf = malloc(NRBUF * u->bufsz);
	u->wbuf = malloc(NWBUF * u->bufsz);
	if (u->rbuf == NULL || u->wbuf == NULL) {
		rc = -1;
		goto out;
	}
	for (uint32_t i = 0; i < NWBUF; i++)
		u->wfree[u->nwfree++] = NWBUF - 1 - i;
	if ((rc = ring_open(u)) != 0) {
		if (rc == -1)
			log_warn("io_uring_setup");
		rc = -2;	/* the caller falls back to epoll */
		goto out;
	}
	/* SC_NETSIM_PLAIN_READS=1: the older kernels' way, for the tests */
	if (getenv("SC_NETSIM_PLAIN_READS") != NULL &&
	    strcmp(getenv("SC_NETSIM_PLAIN_READS"), "1") == 0)
		log_info("SC_NETSIM_PLAIN_READS: using %d reads", NREAD);
	else if (rbuf_ring(u) == -1)
		log_info("no provided-buffer ring here; using %d reads", NREAD);
	r->io = u;
	r->send = uring_send;
	rc = uring_loop(r, u);
	r->io = NULL;
out:
	ring_close(u);
	free(u->rbuf);
	free(u->wbuf);
	free(u);
	return rc;
}
