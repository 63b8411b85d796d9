/*
 * wartsobj.c: times, lists and cycles of warts objects (wartsobj.h).
 */
#include <stddef.h>

#include "scamper_dealias.h"
#include "scamper_file.h"
#include "scamper_host.h"
#include "scamper_list.h"
#include "scamper_neighbourdisc.h"
#include "scamper_ping.h"
#include "scamper_sniff.h"
#include "scamper_sting.h"
#include "scamper_tbit.h"
#include "scamper_trace.h"
#include "scamper_tracelb.h"
#include "wartsobj.h"

/* Every measurement structure, by type: its start, list and cycle. */
#define EACH_MEASUREMENT(X)						\
	X(SCAMPER_FILE_OBJ_TRACE, scamper_trace)			\
	X(SCAMPER_FILE_OBJ_PING, scamper_ping)				\
	X(SCAMPER_FILE_OBJ_TRACELB, scamper_tracelb)			\
	X(SCAMPER_FILE_OBJ_DEALIAS, scamper_dealias)			\
	X(SCAMPER_FILE_OBJ_NEIGHBOURDISC, scamper_neighbourdisc)	\
	X(SCAMPER_FILE_OBJ_TBIT, scamper_tbit)				\
	X(SCAMPER_FILE_OBJ_STING, scamper_sting)			\
	X(SCAMPER_FILE_OBJ_SNIFF, scamper_sniff)			\
	X(SCAMPER_FILE_OBJ_HOST, scamper_host)

struct timeval
wartsobj_start(uint16_t type, const void *obj)
{
	const struct scamper_cycle *c = obj;
	struct timeval tv = { 0, 0 };

	switch (type) {
#define START(T, S)	case T: return ((const struct S *)obj)->start;
	EACH_MEASUREMENT(START)
#undef START
	case SCAMPER_FILE_OBJ_CYCLE_START:
	case SCAMPER_FILE_OBJ_CYCLE_DEF:
		tv.tv_sec = c->start_time;
		break;
	case SCAMPER_FILE_OBJ_CYCLE_STOP:
		tv.tv_sec = c->stop_time;
		break;
	}
	return tv;
}

int
wartsobj_is_measurement(uint16_t type)
{
	switch (type) {
#define IS(T, S)	case T: return 1;
	EACH_MEASUREMENT(IS)
#undef IS
	default:
		return 0;
	}
}

void
wartsobj_list_cycle(uint16_t type, const void *obj,
    const struct scamper_list **l, const struct scamper_cycle **c)
{
	*l = NULL;
	*c = NULL;
	switch (type) {
#define LC(T, S)	case T: *l = ((const struct S *)obj)->list;	\
			*c = ((const struct S *)obj)->cycle; break;
	EACH_MEASUREMENT(LC)
#undef LC
	default:
		break;
	}
}
