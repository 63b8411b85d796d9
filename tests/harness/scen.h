/*
 * scen.h: helpers the harness scenarios share (tests/harness/test_*.c):
 * set up a harness on a topology, run commands to the end, and look at
 * the results' hops and replies with messages that show the whole result
 * (as JSON) when a check fails.
 */
#ifndef TESTS_HARNESS_SCEN_H
#define TESTS_HARNESS_SCEN_H

#include <check.h>
#include <stdint.h>

#include "harness.h"

struct scamper_trace;

/* A harness on TOPO; fails the test if TOPO does not parse. */
struct harness *scen_new(const char *topo);

/* Queue CMD; fails the test if the core refuses it. */
int scen_cmd(struct harness *h, const char *cmd);

/* Run to the end within LIMIT_S simulated seconds (fails the test
 * otherwise) and return result I as a trace (fails if it is not one). */
void scen_run(struct harness *h, int limit_s);
const struct scamper_trace *scen_trace(struct harness *h, int i);

/* The address that answered trace T at TTL (the first reply), as text in
 * BUF, or "" if nothing answered there. */
const char *scen_hop(const struct scamper_trace *t, int ttl, char *buf,
    size_t len);

/* Replies recorded at TTL. */
int scen_hopc(const struct scamper_trace *t, int ttl);

/* The hop addresses of T as "1:ADDR 2:* 3:ADDR ..." up to hop_count,
 * '*' where nothing answered, ADDR of the first reply. */
const char *scen_path(const struct scamper_trace *t, char *buf, size_t len);

/* A probe hook (harness_on_probe): the kernel refuses (EPERM) the probe
 * numbered *ARG (a uint32_t), or every probe if ARG is NULL. */
int scen_refuse(void *arg, const uint8_t *pkt, size_t len, uint32_t no);

#endif
