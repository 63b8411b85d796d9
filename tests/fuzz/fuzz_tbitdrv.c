/*
 * fuzz_tbitdrv.c: the tbit drivers' reader of what scamper sends
 * (sc_tbitblind, sc_tbitpmtud, sc_filterpolicy: OK, ERR, MORE, DATA with
 * uuencoded warts, the tbit records decoded for the driver) on arbitrary
 * bytes, fed in pieces as reads give them; and tbitdrv_decode on the
 * input as one tbit record body.  tbitdrv.c is compiled in here; its
 * messages go nowhere (drv_fail is defined here), its output file is
 * /dev/null.
 *
 * Input: the stream from scamper; byte 0 also sets how many commands
 * the driver has to give (0-3) before it says done.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#include "../../tools/tbitdrv/tbitdrv.c"
#include "fuzz_feed.h"

int
drv_fail(const char *fmt, ...)
{
	(void)fmt;
	return -1;
}

void
drv_prog(const char *prog)
{
	(void)prog;
}

static int ncmds;

static int
want(void *arg, char **cmd)
{
	(void)arg;
	if (ncmds == 0)
		return TBITDRV_DONE;
	if (ncmds-- == 2)
		return TBITDRV_LATER;
	*cmd = strdup("tbit -t blind-rst -u http://s/ 192.0.2.2");
	return *cmd != NULL ? TBITDRV_CMD : TBITDRV_DONE;
}

static void
result(const struct tbitdrv_result *r)
{
	if (r->result_name == NULL)
		abort();	/* every result is named, if only "unknown" */
}

static void
record(void *arg, uint16_t type, const uint8_t *b, size_t len)
{
	(void)arg; (void)type; (void)b; (void)len;
}

static void
refused(void *arg, const char *line)
{
	(void)arg; (void)line;
}

/* fuzz_feed's EAT: the driver reads what it has. */
static int
eat(void *arg)
{
	return on_input(arg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tbitdrv_result r;
	struct tbitdrv d;

	if (size == 0)
		return 0;
	memset(&r, 0, sizeof(r));
	if (tbitdrv_decode(data, size, &r) == 0 && r.result_name == NULL)
		abort();
	memset(&d, 0, sizeof(d));
	d.prog = "fuzz";
	d.out = "/dev/null";
	d.single = 1;
	d.fd = -1;
	d.want = want;
	d.result = result;
	d.record = record;
	d.refused = refused;
	ncmds = data[0] & 3;
	ctl_lb_init(&d.lb);
	fuzz_feed(&d.lb, data, 1, size, 89, eat, &d);
	close_all(&d);
	return 0;
}
