/*
 * wartsdump.h: the parts of sc_wartsdump shared by its source files
 * (sc_wartsdump.c: helpers, lists, cycles, traces, pings;
 * wartsdump_lb.c: tracelb and dealias; wartsdump_misc.c: neighbourdisc,
 * tbit, sting, sniff; wartsdump_host.c: host).  Everything prints to standard output in the
 * layout of CAIDA's sc_wartsdump 20211212.
 */
#ifndef WARTSDUMP_H
#define WARTSDUMP_H

#include <stdint.h>
#include <sys/time.h>
#include <time.h>

#include "scamper_addr.h"
#include "scamper_list.h"
#include "scamper_dealias.h"
#include "scamper_neighbourdisc.h"
#include "scamper_sniff.h"
#include "scamper_sting.h"
#include "scamper_tbit.h"
#include "scamper_tracelb.h"

/* The text of A in one of four rotating static buffers. */
const char *wd_addr(const struct scamper_addr *a);
/* ctime(3) without its newline, in a static buffer. */
const char *wd_when(time_t t);
/* V as 0x%02x and, when nonzero, the names of its set bits. */
void wd_flags(unsigned v, const char *const *names, unsigned n);
/* The list and cycle lines of a measurement record. */
void wd_list_cycle(const struct scamper_list *l, const struct scamper_cycle *c);
/* " user-id: U" and " start: ctime usec" lines. */
void wd_user_start(uint32_t userid, const struct timeval *start);
/* TV as seconds.microseconds. */
void wd_tv(const struct timeval *tv);
/* RX - TX as seconds.microseconds. */
void wd_rtt(const struct timeval *tx, const struct timeval *rx);
/* "( name ... )" for the set TCP flags in F. */
void wd_tcp_flags(uint8_t f);

/* Each dumps one record of its type. */
void wd_tracelb(const struct scamper_tracelb *t);
void wd_dealias(const struct scamper_dealias *d);
void wd_neighbourdisc(const struct scamper_neighbourdisc *n);
void wd_tbit(const struct scamper_tbit *t);
void wd_sting(const struct scamper_sting *s);
void wd_sniff(const struct scamper_sniff *s);
struct scamper_host;
void wd_host(const struct scamper_host *h);

#endif
