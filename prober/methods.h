/*
 * methods.h: the techniques this scamper is built with (methods.c).
 * main hands the table to the core through measure_prepare() and
 * ctl_prepare(); the core itself links no technique.
 */
#ifndef PROBER_METHODS_H
#define PROBER_METHODS_H

#include "method.h"

/* Every technique, NULL-terminated. */
extern const struct method *const prober_methods[];

#endif
