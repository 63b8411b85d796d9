/*
 * methods.c: the table of measurement techniques this scamper is built
 * with.  Adding a technique is its folder under prober/, one line here
 * and one subdir() line in prober/meson.build.
 */
#include <stddef.h>

#include "methods.h"

extern const struct method method_trace;
extern const struct method method_ping;
extern const struct method method_neighbourdisc;
extern const struct method method_sniff;
extern const struct method method_dealias;
extern const struct method method_tbit;
extern const struct method method_sting;
extern const struct method method_tracelb;

const struct method *const prober_methods[] = {
	&method_trace,
	&method_ping,
	&method_neighbourdisc,
	&method_sniff,
	&method_dealias,
	&method_tbit,
	&method_sting,
	&method_tracelb,
	NULL
};
