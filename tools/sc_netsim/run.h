/*
 * run.h: sc_netsim's event loop: read packets from the TUN device, feed
 * them to the simulator, write replies now or when their delay expires.
 */
#ifndef NS_RUN_H
#define NS_RUN_H

#include <stdio.h>

#include "netsim.h"

/* Serve S on the TUN descriptor FD (whose MTU is MTU) until SIGINT,
 * SIGTERM or SIGHUP; SIGUSR1 prints the counters to COUNTERS; RATELOG,
 * if not NULL, gets a line each second of the run (see run.c); REPLYLOG,
 * if not NULL, a line per reply with its lateness (run_late.c).  One
 * thread: io_uring when USE_URING and the kernel has it, else epoll with
 * a read(2) per packet; a timer heap for delayed replies.  POLL_US > 0:
 * for that long after each packet read, look for the next without
 * sleeping (--poll-us).  Returns 0, or -1 with a message printed. */
int run_loop(struct netsim *s, int fd, size_t mtu, int use_uring,
    long poll_us, FILE *counters, FILE *ratelog, FILE *replylog);

#endif
