/*
 * harness.h: the prober's core and techniques driven in-process, without
 * root, sockets or real time.  A harness joins:
 *  - the core (prober/core) on an event loop whose clock is simulated
 *    (loop_set_clock; the loop is driven with loop_run_due, never sleeps);
 *  - a simulated network (a struct core_io, prober/core/io.h) that hands
 *    every probe to sc_netsim's simulator (tools/sc_netsim, netsim_input)
 *    and delivers its replies after their simulated delay, parsed as the
 *    raw sockets would deliver them;
 *  - hooks that let a test drop, delay, duplicate, reorder or rewrite
 *    replies, refuse probes as the kernel would, inject packets of its
 *    own and halt tasks at chosen times.
 * Results are the warts records the core writes, read back with
 * libscamperfile.  Everything is deterministic: the same scenario gives
 * byte-identical results on every run, in milliseconds.
 *
 * The prober's addresses are HARNESS_SRC4 and HARNESS_SRC6; the clock
 * starts at HARNESS_EPOCH (wall) when the harness is made.
 */
#ifndef TESTS_HARNESS_H
#define TESTS_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#define HARNESS_SRC4	"192.0.2.1"
#define HARNESS_SRC6	"2001:db8::1"
#define HARNESS_EPOCH	1767225600	/* 2026-01-01 00:00:00 UTC */
#define HARNESS_MS	1000000LL	/* nanoseconds */
#define HARNESS_S	1000000000LL
#define HARNESS_PKTMAX	2048		/* largest reply a hook may make */

struct harness;
struct netio_fw_rule;
struct netsim;
struct scamper_ping;
struct scamper_trace;

/* The simulator's run-time parameters (harness_new_sim): its seed (1
 * for harness_new), the share of probes it loses (parts per million, 0)
 * and the one-way delay of every link (us; 0: sc_netsim's default). */
struct harness_sim {
	uint64_t	 seed;
	uint32_t	 loss_ppm;
	uint32_t	 delay_us;
};

/* A reply the simulator made, before it is delivered.  A reply hook may
 * rewrite PKT/LEN (up to HARNESS_PKTMAX bytes), change the delay, drop it
 * (COPIES 0) or duplicate it (COPIES > 1, GAP_NS apart). */
struct harness_pkt {
	const uint8_t	*probe;		/* the probe it answers */
	size_t		 probelen;
	uint32_t	 probe_no;	/* that probe's number, from 0 */
	uint8_t		*pkt;
	size_t		 len;
	int64_t		 delay_ns;	/* after the probe left */
	int		 copies;	/* 1 */
	int64_t		 gap_ns;	/* between copies: 0 */
};

typedef void harness_reply_fn(void *arg, struct harness_pkt *p);

/* Called as probe PROBE_NO (PKT, LEN) leaves: 0 sends it, an errno makes
 * the kernel refuse it with that error (the sendmmsg failure path). */
typedef int harness_probe_fn(void *arg, const uint8_t *pkt, size_t len,
    uint32_t probe_no);

/* A harness on the sc_netsim topology TOPO (topology file text, see
 * sc_netsim(1)).  NULL with a message in ERR (e.g. TOPO's line and
 * problem). */
struct harness *harness_new(const char *topo, char *err, size_t errlen);

/* The same with the simulator's parameters SIM (NULL: harness_new's). */
struct harness *harness_new_sim(const char *topo,
    const struct harness_sim *sim, char *err, size_t errlen);

/* Free H and everything in it (NULL is fine). */
void harness_free(struct harness *h);

/* Settings, before the first command: -p (default 10000), the process id
 * techniques see (default 0x123: source port / ICMP id 0x8123) and the
 * interface MTU reported for PMTUD (default 1500).  Randomness
 * (task_random) is seeded: the same every run. */
void harness_set_pps(struct harness *h, uint32_t pps);
void harness_set_pid(struct harness *h, uint32_t pid);
void harness_set_ifmtu(struct harness *h, uint16_t mtu);

/* ON: the simulated kernel gives no transmit timestamps (each probe's
 * send time stays the clock read before it was sent; NOSTAMP in
 * netio.h); off (the default): every probe's comes before any reply. */
void harness_set_nostamp(struct harness *h, int on);

/* The kernel's transmit timestamp of each probe comes NS after the
 * clock read before it was sent (default 0): shows a technique keeps
 * the kernel's time rather than its own. */
void harness_set_stamp_lag(struct harness *h, int64_t ns);

/* ON: keep no probe's bytes (harness_probe then gives NULL), so that a
 * benchmark measuring the core's memory sees only the core's (default
 * off: every probe is kept). */
void harness_set_forget_probes(struct harness *h, int on);

/* Before the first command.  ON: the network has a firewall for
 * connections made by hand (tbit, sting; scamper -F): each lease is
 * answered from the loop, refused with errno ERR if ERR is nonzero; a
 * lease for port 0 gets 40000, 40001, ...  Off (the default): tbit and
 * sting are refused, as without -F. */
void harness_set_firewall(struct harness *h, int on, int err);

/* Before the first command.  ON: tasks may have a datalink (ping -O dl,
 * trace -O dl/-r, dealias, tbit, sting): it is ready from the loop, or
 * refused with errno ERR; probes sent through it go to the same
 * simulated network; a task's datalink sees each reply first, whole
 * (IPv6 header too, which raw sockets never give: tbit and sting need
 * it) and at the same time.  Off (the default): the core refuses a
 * datalink ("no datalink in this network"). */
void harness_set_datalink(struct harness *h, int on, int err);

/* Firewall leases asked for, still held, and the last rule asked for
 * (each may be NULL); datalinks opened and still open. */
void harness_fw_stats(const struct harness *h, uint32_t *leases,
    uint32_t *held, struct netio_fw_rule *last);
void harness_dl_stats(const struct harness *h, uint32_t *opened,
    uint32_t *held);

/* Hooks (NULL removes).  A probe hook may also answer the probe, as a
 * peer would, with harness_inject (tbit's and sting's servers). */
void harness_on_reply(struct harness *h, harness_reply_fn *fn, void *arg);
void harness_on_probe(struct harness *h, harness_probe_fn *fn, void *arg);

/* Queue command CMD (scamper's grammar).  Returns its number (0, 1, ...)
 * or -1 with the core's message in harness_error(). */
int harness_command(struct harness *h, const char *cmd);
const char *harness_error(const struct harness *h);

/* Deliver packet PKT (LEN bytes, a whole IP packet addressed to the
 * prober) AT_NS after the start, as if it had arrived then. */
int harness_inject(struct harness *h, int64_t at_ns, const uint8_t *pkt,
    size_t len);

/* Halt command CMD's task AT_NS after the start, if it still runs. */
void harness_halt_at(struct harness *h, int64_t at_ns, int cmd);

/* Run until every command has finished and its result is written.
 * Returns 0; -1 if LIMIT_NS of simulated time passed first, or nothing
 * was left to happen while work remained (a task that would never end). */
int harness_run(struct harness *h, int64_t limit_ns);

/* Step by step, for a test that plays a peer: run everything due up to
 * AT_NS after the start (the clock then reads AT_NS); or run what is due
 * now and then everything due at the next time anything is (a timer, a
 * reply), -1 if nothing is.  Both return 0 otherwise. */
int harness_run_to(struct harness *h, int64_t at_ns);
int harness_step(struct harness *h);

/* Nonzero once command CMD's task has ended (its result is written). */
int harness_finished(const struct harness *h, int cmd);

/* The simulator (its truth: netsim_truth_print, netsim_lbtruth_print). */
struct netsim *harness_netsim(const struct harness *h);

/* Simulated time since the start, in nanoseconds. */
int64_t harness_now(const struct harness *h);

/* Probes sent so far; probe I's bytes, length and send time (ns after
 * the start), NULL if I is out of range or probes are not kept. */
uint32_t harness_nprobes(const struct harness *h);
const uint8_t *harness_probe(const struct harness *h, uint32_t i,
    size_t *len, int64_t *tx_ns);

/* The harness's own array of the commands it was given (a pointer
 * each, grown by doubling), NULL before the first: for a benchmark that
 * counts the heap without it (trace-mem). */
const void *harness_cmd_array(const struct harness *h);

/* Replies delivered to the core so far (injected ones included). */
uint32_t harness_ndelivered(const struct harness *h);

/* Results, in the order they were written (after harness_run): how many,
 * and result I as a trace or ping (NULL if it is another type), and as
 * JSON (for messages; owned by H). */
int harness_nresults(struct harness *h);
const struct scamper_trace *harness_trace(struct harness *h, int i);
const struct scamper_ping *harness_ping(struct harness *h, int i);
const char *harness_json(struct harness *h, int i);
/* Result I if it is of type TYPE (SCAMPER_FILE_OBJ_*), else NULL. */
const void *harness_result(struct harness *h, int i, uint16_t type);
/* Result 0, which the check test needs to be of type TYPE: else the test
 * fails with "no WHAT result" and how many results there are. */
const void *harness_need_result(struct harness *h, uint16_t type,
    const char *what);

/* Replies that matched no task (core_stats unmatched). */
uint64_t harness_unmatched(const struct harness *h);

#endif
