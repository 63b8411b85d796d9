/*
 * wartsobj.h: what the warts tools ask of any object read from a file:
 * its time, its list and cycle, whether it is a measurement.
 */
#ifndef TOOLS_WARTSOBJ_H
#define TOOLS_WARTSOBJ_H

#include <stdint.h>
#include <sys/time.h>

struct scamper_list;
struct scamper_cycle;

/* The time OBJ (TYPE) sorts by: a measurement's start, a cycle's start
 * or stop; zero for lists and records not decoded. */
struct timeval wartsobj_start(uint16_t type, const void *obj);

/* Nonzero for a measurement (trace, ping, ..., host). */
int wartsobj_is_measurement(uint16_t type);

/* The list and cycle measurement OBJ (TYPE) belongs to (NULL if none or
 * not a measurement). */
void wartsobj_list_cycle(uint16_t type, const void *obj,
    const struct scamper_list **l, const struct scamper_cycle **c);

#endif
