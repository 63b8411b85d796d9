/*
 * run.h: sc_netsim's event loop: read packets from the TUN device, feed
 * them to the simulator, write replies now or when their delay expires.
 */
#ifndef NS_RUN_H
#define NS_RUN_H

#include <stdio.h>

#include "netsim.h"

/* Serve S on the TUN descriptor FD until SIGINT or SIGTERM; SIGUSR1
 * prints the counters to COUNTERS.  One thread, epoll, a timer heap for
 * delayed replies.  Returns 0, or -1 with a message printed. */
int run_loop(struct netsim *s, int fd, FILE *counters);

#endif
