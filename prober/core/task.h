/*
 * task.h: one measurement in progress, and what a technique may ask of
 * the core.  Tasks are created by core_command() and owned by the core;
 * a technique gets its state with task_state() and ends the task with
 * task_finish(), after which the core writes the result and frees both
 * the task and the state (later, from the loop, never inside a callback
 * that still uses them).
 */
#ifndef PROBER_CORE_TASK_H
#define PROBER_CORE_TASK_H

#include <stddef.h>
#include <stdint.h>

#include "method.h"
#include "monotime.h"
#include "pkt.h"
#include "stamp.h"
#include "timer.h"

struct task;
struct scamper_cycle;
struct scamper_list;

/* The technique's state (what its alloc returned). */
void *task_state(const struct task *t);

/* The task whose state (task_state, live) STATE is: the state is kept in
 * the task's allocation, so a technique need not hold its task. */
struct task *task_of_state(void *state);

/* The task's number, unique in this process, from 1. */
uint32_t task_id(const struct task *t);

/* Register the flow the task's probes use, so replies come back to it.
 * A task has one flow or one range (task_flow_range); registering again
 * replaces what it had.  Returns 0, or -1 with errno EEXIST if a running
 * task already uses that flow. */
int task_flow(struct task *t, int af, uint8_t proto, uint16_t id,
    const uint8_t *dst);

/* Register the COUNT flows with ids FIRST, FIRST+1, ... (mod 65536), all
 * or none, for probes that vary the id (tcp-ack-sport): a reply to any of
 * them reaches the task however late it comes.  Replaces what the task
 * had.  Returns 0, or -1 with errno EEXIST (one is in use) or ENOMEM. */
int task_flow_range(struct task *t, int af, uint8_t proto, uint16_t first,
    uint16_t count, const uint8_t *dst);

/* One flow of task_flows: what task_flow takes. */
struct task_flowkey {
	int		 af;
	uint8_t		 proto;
	uint16_t	 id;
	uint8_t		 dst[16];
};

/* Register the N flows at K, all or none, for probes that go to several
 * destinations or vary their id in other ways (dealias); a key given
 * twice counts once.  Replaces what the task had.  Returns 0, or -1 with
 * errno EEXIST (another task uses one), ENOMEM or EINVAL (N is 0). */
int task_flows(struct task *t, const struct task_flowkey *k, size_t n);

/* Ask for a pacing token; method->probe() is called when one is granted.
 * Asking again before the grant is a no-op. */
void task_want_probe(struct task *t);

/* Build and send probe P.  TX gets the clock read before the probe was
 * handed to the kernel (or queued).  Returns 0, or -1 with errno set
 * (the technique decides whether that ends the task).  Probes sent from
 * method->probe() may be queued to go out with the pass's others;
 * method->sent() hears with TAG when they went out, or that the kernel
 * refused them, and later the kernel's own transmit timestamp. */
int task_send(struct task *t, const struct pkt_probe *p, struct stamp *tx,
    uint32_t tag);

/* The round-trip time from TX to RX in microseconds, rounded, as a
 * result's 32-bit RTT field holds it.  A TX later than RX cannot come
 * from the kernel's own times (a clock step can do it): it is counted
 * and logged (-d) with both times, and never clamped: the field gets
 * the negative value's 32 bits (two's complement; readers that take it
 * as unsigned, as 20211212's do, see about 4295 s), so the send time
 * plus the field is still the receive time, mod 2^32 microseconds. */
uint32_t task_rtt_us(struct task *t, struct stamp tx, struct stamp rx);

/* Run CB(ARG) after MS milliseconds using T (embedded in the state).
 * Timers of a finished task are the technique's to cancel; once T has
 * finished, none is started (it would fire into freed state). */
void task_timer(struct task *t, struct timer *tm, int64_t ms);

/* Set up TM (embedded in the state) as T's gap timer: started with
 * task_timer, it asks for a pacing token (task_want_probe) when it
 * fires. */
void task_probe_timer(struct task *t, struct timer *tm);

/* Cancel a timer started with task_timer. */
void task_timer_cancel(struct task *t, struct timer *tm);

/* The loop's current monotonic time. */
struct monotime task_now(const struct task *t);

/* The wall-clock time now, by the loop's clock, for times a result
 * records when no packet carries one (a measurement's start; ICMP
 * timestamps).  Send and receive times come with task_send, method->sent
 * and method->reply, never from here. */
struct timeval task_walltime(const struct task *t);

/* The cycle (and through it the list) results belong to, or NULL.  Take
 * a reference (scamper_cycle_use) to keep it. */
struct scamper_cycle *task_cycle(const struct task *t);

/* The result's *CYCLE and *LIST (each NULL or a reference the result
 * holds, released here): a reference each to the task's cycle and its
 * list; both left as they are when the task has no cycle. */
void task_list_cycle(const struct task *t, struct scamper_list **list,
    struct scamper_cycle **cycle);

/* The type of a result's address (struct scamper_addr) of family AF:
 * SCAMPER_ADDR_IPV4 for AF_INET, else SCAMPER_ADDR_IPV6. */
int task_addr_type(int af);

/* The IP protocol of a probe of family AF: IPPROTO_UDP if UDP, else
 * IPPROTO_TCP if TCP, else ICMP's (IPPROTO_ICMP or IPPROTO_ICMPV6). */
uint8_t task_ip_proto(int af, int udp, int tcp);

/* The default source port / ICMP id for probes: (pid & 0x7fff) | 0x8000,
 * as scamper uses. */
uint16_t task_default_sport(const struct task *t);

/* The prober's process id, for the ids scamper derives from it (ping's
 * ICMP id and source port). */
uint32_t task_pid(const struct task *t);

/* 32 unpredictable bits (TCP sequence numbers, IP-ID bases), from
 * getentropy() 64 values per system call; a test's seed makes them fixed. */
uint32_t task_random(const struct task *t);

/* The source address the kernel would use towards DST (AF_INET or
 * AF_INET6; 16-byte buffers).  Returns 0, or -1 with errno (e.g.
 * ENETUNREACH). */
int task_route_src(const struct task *t, int af, const uint8_t *dst,
    uint8_t *src);

/* For method->start's failure paths: ERR gets "WHAT: " and errno's
 * message, and errno is kept for method->refused.  Returns -1. */
int task_start_fail(char *err, size_t errlen, const char *what);

/* The MTU of the interface holding local address SRC.  Returns 0, or -1
 * with errno. */
int task_ifmtu(const struct task *t, int af, const uint8_t *src,
    uint16_t *mtu);

/* ---- the datalink (trace -r, -O dl) --------------------------------- */

#define TASK_DL_VIA	0x1	/* send probes at layer 2 to a router */
#define TASK_DL_TS	0x2	/* datalink timestamps */

/* The datalink asked for is ready (ERR 0), or cannot be had (ERR an
 * errno, WHY a sentence naming what failed). */
typedef void task_dl_ready(struct task *t, int err, const char *why);

/* A probe of T was seen leaving on the datalink at TS (the kernel's
 * timestamp).  R describes it as a quotation: R->q is the probe as an
 * ICMP error would quote it.  Returns nonzero if TS became the probe's
 * send time. */
typedef int task_dl_sent(struct task *t, const struct pkt_reply *r,
    const struct stamp *ts);

/* Use the datalink for T's probes of family AF to DST: with TASK_DL_VIA
 * every later task_send goes as a frame to router RTR, which must be on
 * a directly connected Ethernet (its hardware address comes from the
 * neighbour table, resolution provoked if needed); with TASK_DL_TS
 * replies are read from the datalink of the interface the probes leave
 * by, with its receive timestamps (replies that arrive elsewhere still
 * come from the raw sockets), and SENT (may be NULL) hears of each probe
 * leaving.  READY is called once, from the loop, never from this call;
 * the task probes only after it said 0.  Returns 0, or -1 with the
 * reason in ERR and errno set (EINVAL: no system call's) if the
 * request is refused at once. */
int task_datalink(struct task *t, int want, int af, const uint8_t *dst,
    const uint8_t *rtr, task_dl_ready *ready, task_dl_sent *sent,
    char *err, size_t errlen);

/* Nonzero while method->reply runs for a reply read from the datalink
 * (its RX is then the datalink's receive timestamp). */
int task_reply_from_dl(const struct task *t);

/* Nonzero, with *ID set, while method->reply runs for the first
 * fragment of an IPv6 reply read from the datalink (R->size is then the
 * fragment's; the rest of the reply is not delivered). */
int task_reply_fragid(const struct task *t, uint32_t *id);

/* ---- interfaces and whole frames (neighbourdisc, sniff) ------------- */

struct task_iface {
	uint32_t	 ifindex;
	char		 name[32];
	int		 ether;		/* Ethernet framing: a 14-byte header */
	uint8_t		 mac[6];	/* the interface's; zeros if none */
	uint32_t	 mtu;		/* 0 if unknown */
};

/* The interface called NAME.  Returns 0, or -1 with errno ENODEV. */
int task_iface_byname(const struct task *t, const char *name,
    struct task_iface *i);

/* The interface holding local address ADDR (family AF).  Returns 0, or
 * -1 with errno EADDRNOTAVAIL. */
int task_iface_byaddr(const struct task *t, int af, const uint8_t *addr,
    struct task_iface *i);

/* An address of family AF of interface IFINDEX into ADDR (16 bytes):
 * one on the same prefix as NEAR if any (NEAR may be NULL), else a
 * global one.  Returns 0, or -1 with errno EADDRNOTAVAIL. */
int task_iface_addr(const struct task *t, uint32_t ifindex, int af,
    const uint8_t *near, uint8_t *addr);

/* A frame T's tap accepted: FRAME (LEN bytes, the first LINKHDR the
 * link header), TS the datalink's timestamp (the kernel's, as it read
 * the frame), OUTGOING if this host sent it. */
typedef void task_frame_cb(struct task *t, const uint8_t *frame, size_t len,
    size_t linkhdr, const struct stamp *ts, int outgoing);

/* A tap on interface IFINDEX for T: FRAME hears of every frame arriving
 * or leaving there that pcap expression EXPR accepts (EXPR NULL: none);
 * with SEND, T may send whole frames (task_dl_send).  The interface's
 * datalink sockets come from scamper-helper and are shared by every
 * measurement using it.  READY is called once, from the loop; frames
 * come only after it said 0.  Replaces any datalink T had.  Returns 0,
 * or -1 with the reason in ERR (no such interface, a link type the
 * datalink does not frame, EXPR refused: libpcap's message). */
int task_dl_tap(struct task *t, uint32_t ifindex, const char *expr,
    int send, task_frame_cb *frame, task_dl_ready *ready, char *err,
    size_t errlen);

/* Send the whole frame FRAME (LEN bytes) on T's tap.  TX gets the clock
 * read before it was handed to the kernel; the kernel's transmit
 * timestamp follows through the method's sent callback with TAG, as for
 * task_send.  Returns 0, or -1 with errno. */
int task_dl_send(struct task *t, const uint8_t *frame, size_t len,
    struct stamp *tx, uint32_t tag);
/* ---- the firewall (tbit, sting: -F) -------------------------------- */

/* 0 if scamper was given a firewall (-F), else -1 with the reason in
 * ERR: techniques that craft TCP connections by hand (NAME, e.g. "tbit")
 * refuse to run without one, as this host's own TCP would reset them. */
int task_fw_needed(const struct task *t, const char *name, char *err,
    size_t errlen);

/* The rule asked for is in place (ERR 0; SPORT the local port it holds
 * for the task: send from it) or was refused (ERR an errno: EADDRINUSE
 * the port is taken, EADDRNOTAVAIL not our address, EOPNOTSUPP no
 * firewall, EPIPE no helper; the lease is then gone). */
typedef void task_fw_ready(struct task *t, int err, uint16_t sport);

/* Lease a firewall rule that keeps the kernel's TCP stack out of T's
 * connection from SRC:SPORT to DST:DPORT (SPORT 0: a free port is
 * chosen): segments from DST:DPORT to SRC:SPORT are dropped before the
 * stack sees them, so they reach T through the datalink only (ask for
 * it with task_datalink TASK_DL_TS).  A task holds one lease; it ends
 * with task_fw_release or when the task finishes, however it finishes.
 * READY is called once, from the loop.  Returns 0, or -1 with errno
 * (EOPNOTSUPP: no -F). */
int task_fw_lease(struct task *t, int af, const uint8_t *src,
    const uint8_t *dst, uint16_t sport, uint16_t dport, task_fw_ready *ready);

/* End T's lease now (nothing if it has none): its rule goes. */
void task_fw_release(struct task *t);

/* T's result, which its technique fills in: OBJ, an object of
 * libscamperfile of TYPE (SCAMPER_FILE_OBJ_*), now the core's.  Once T
 * finishes the core writes it (a technique knows no output format); it
 * frees it with the task's state (after free_state).  Called from
 * method->init or later, before task_finish (a task that finishes
 * without one writes nothing). */
void task_result(struct task *t, uint16_t type, void *obj);

/* T's result (what task_result was last given), or NULL. */
void *task_result_obj(const struct task *t);

/* The task is done: the core writes its result and frees it soon. */
void task_finish(struct task *t);

/* While method->halt runs: 0 if the halt was asked for (a signal,
 * shutdown, the halt command: stop reason halted), else the errno that
 * broke probing (core_fail: stop reason error, with it as the data). */
int task_halt_error(const struct task *t);

#endif
