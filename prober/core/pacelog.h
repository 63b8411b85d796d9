/*
 * pacelog.h: a debugging record of what the pacer let out, per 10 ms,
 * kept in memory and written at exit to the descriptor named by
 * SCAMPER_PACE_LOG_FD in the environment (inherited: the prober opens
 * no file after dropping privilege).  No clock read per probe: the
 * bucket is decided at each pass of the pump, with the time the loop
 * already read.
 *
 * Each line: "MONO PROBES PASSES MAXGAP_US CPU_US CREDIT_US": the
 * bucket's start on the monotonic clock (seconds, the clock sc_netsim's
 * --rate-log uses), the probes taken in it, the pump's passes, the
 * longest time between two passes, the process's CPU time over the
 * bucket (less than 10 ms while the pump stalls: the prober was not
 * running), and the most credit (lateness) a pass began with.
 */
#ifndef PROBER_CORE_PACELOG_H
#define PROBER_CORE_PACELOG_H

#include <stdint.h>

#include "monotime.h"

struct pace_log;

/* A log written at pace_log_close to descriptor FDSTR (decimal),
 * starting at NOW; NULL (and a warning naming the problem) if not. */
struct pace_log *pace_log_open(const char *fdstr, struct monotime now);

/* A pass of the pump at NOW: TAKEN probes taken so far in all, CREDIT_NS
 * the credit it began with. */
void pace_log_pass(struct pace_log *pl, struct monotime now, uint64_t taken,
    int64_t credit_ns);

/* Close the last bucket at TAKEN probes in all, write the log (a
 * warning on failure) and free it; PL may be NULL. */
void pace_log_close(struct pace_log *pl, uint64_t taken);

#endif
