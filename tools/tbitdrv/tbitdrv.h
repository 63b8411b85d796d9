/*
 * tbitdrv.h: what the tbit drivers share: a control-socket client of a
 * running scamper in attach mode (warts), asking its driver for the next
 * command whenever scamper wants one, writing the results to
 * OUT_NN.warts files of at most LIMIT tbit records each (every file
 * starts with the list and cycle records), and telling the driver each
 * tbit result's destination and inference.
 */
#ifndef TOOLS_TBITDRV_H
#define TOOLS_TBITDRV_H

#include <stdint.h>
#include <stdio.h>

#include "ctl_proto.h"

#define TBITDRV_CMD	0	/* *CMD is the command to send (malloc'd) */
#define TBITDRV_LATER	1	/* nothing now: ask again in a second */
#define TBITDRV_DONE	2	/* nothing more: finish */

/* The command to send next into *CMD, or LATER, or DONE. */
typedef int tbitdrv_want(void *arg, char **cmd);

/* A tbit record arrived. */
struct tbitdrv_result {
	int		 af;		/* AF_INET or AF_INET6 */
	uint8_t		 dst[16];
	uint32_t	 userid;
	uint8_t		 type;		/* SCAMPER_TBIT_TYPE_* */
	uint16_t	 result;
	const char	*result_name;	/* "null-success", ... */
};
typedef void tbitdrv_result_cb(const struct tbitdrv_result *r);

/* Any other record arrived (type TYPE, body B of LEN bytes). */
typedef void tbitdrv_record_cb(void *arg, uint16_t type, const uint8_t *b,
    size_t len);

/* scamper refused the last command sent (LINE: its ERR line). */
typedef void tbitdrv_refused_cb(void *arg, const char *line);

/* Called every tick (tbitdrv_on_tick).  Returns 0, or -1 to stop the
 * run (reported). */
typedef int tbitdrv_tick_cb(void *arg);

struct tbitdrv {
	const char	*prog, *out;
	unsigned	 limit, nrec, nfile;
	int		 single;	/* OUT is the file's name itself */
	FILE		*f;
	uint8_t		*hdr;		/* the list and cycle records */
	size_t		 hdrlen;
	int		 fd, attached, waiting, done_sent;
	char		*wbuf;
	size_t		 wlen, wcap;
	struct ctl_linebuf lb;
	char		*data;
	size_t		 dlen, dhave;
	tbitdrv_want	*want;
	tbitdrv_result_cb *result;
	tbitdrv_record_cb *record;
	tbitdrv_refused_cb *refused;
	tbitdrv_tick_cb	*tick;
	int		 tick_ms;
	void		*arg;
};

/* Connect to scamper's control socket PORT ([ip:]port, or a unix-domain
 * socket's path if it holds a '/') for PROG, results
 * to OUT_NN.warts.  Returns 0 or -1 (reported). */
int tbitdrv_init(struct tbitdrv *d, const char *prog, const char *port,
    const char *out, unsigned limit, tbitdrv_want *want,
    tbitdrv_result_cb *result, void *arg);

/* Hear through CB(ARG, ...) when scamper refuses a command (it then
 * asks for the next: the driver must not wait for its result). */
void tbitdrv_on_refused(struct tbitdrv *d, tbitdrv_refused_cb *cb);

/* Write to OUT itself, one file (sc_filterpolicy's -o). */
void tbitdrv_single_file(struct tbitdrv *d);

/* Hear of every record that is neither a list, a cycle nor a tbit (a
 * ping, for sc_filterpolicy) through CB(ARG, ...) too. */
void tbitdrv_on_record(struct tbitdrv *d, tbitdrv_record_cb *cb);

/* Call CB(ARG) at least every MS milliseconds (and after anything
 * scamper sends), and ask the driver for a command as often, whether
 * scamper waits for one or not (a driver on a clock: sc_erosprober). */
void tbitdrv_on_tick(struct tbitdrv *d, int ms, tbitdrv_tick_cb *cb);

/* Attach and run until DONE and scamper has finished, then close the
 * connection and the output.  Returns 0 or -1 (reported). */
int tbitdrv_run(struct tbitdrv *d);

/* Decode the tbit record body B (LEN bytes) into R.  Pure.  Returns 0,
 * or -1 if it is malformed. */
int tbitdrv_decode(const uint8_t *b, size_t len, struct tbitdrv_result *r);

/* The record of TYPE whose body is B (LEN bytes), after the list and
 * cycle records D has had, decoded by libscamperfile, or NULL if it
 * cannot be.  Free it with scamper_file_obj_free(TYPE, obj). */
void *tbitdrv_decode_obj(const struct tbitdrv *d, uint16_t type,
    const uint8_t *b, size_t len);

#endif
