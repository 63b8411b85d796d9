/*
 * scamper_tbit.c: allocation and names for tbit results.
 */
#include <stdlib.h>

#include "scamper_tbit.h"

struct scamper_tbit *
scamper_tbit_alloc(void)
{
	struct scamper_tbit *t = calloc(1, sizeof(struct scamper_tbit));

	if (t != NULL)
		t->ttl = 255;
	return t;
}

void
scamper_tbit_free(struct scamper_tbit *t)
{
	if (t == NULL)
		return;
	scamper_list_free(t->list);
	scamper_cycle_free(t->cycle);
	for (uint32_t i = 0; t->pkts != NULL && i < t->pktc; i++)
		free(t->pkts[i].data);
	free(t->pkts);
	free(t->http_host);
	free(t->http_file);
	free(t);
}

const char *
scamper_tbit_type_tostr(uint8_t type)
{
	static const char *m[] = { NULL, "pmtud", "ecn", "null", "sack-rcvr",
	    "icw", "abc", "blind-data", "blind-rst", "blind-syn",
	    "blind-fin" };

	return type < sizeof(m) / sizeof(m[0]) ? m[type] : NULL;
}

const char *
scamper_tbit_result_tostr(uint16_t r)
{
	static const struct { uint16_t v; const char *s; } m[] = {
		{ 0, "none" }, { 1, "tcp-noconn" }, { 2, "tcp-rst" },
		{ 3, "tcp-error" }, { 4, "sys-error" }, { 5, "aborted" },
		{ 6, "tcp-noconn-rst" }, { 7, "halted" }, { 8, "tcp-badopt" },
		{ 9, "tcp-fin" }, { 10, "tcp-zerowin" },
		{ 20, "pmtud-noack" }, { 21, "pmtud-nodata" },
		{ 22, "pmtud-toosmall" }, { 23, "pmtud-nodf" },
		{ 24, "pmtud-fail" }, { 25, "pmtud-success" },
		{ 26, "pmtud-cleardf" },
		{ 30, "ecn-success" }, { 31, "ecn-incapable" },
		{ 32, "ecn-badsynack" }, { 33, "ecn-noece" },
		{ 34, "ecn-noack" }, { 35, "ecn-nodata" },
		{ 40, "null-success" }, { 41, "null-nodata" },
		{ 50, "sack-incapable" }, { 51, "sack-rcvr-success" },
		{ 52, "sack-rcvr-shifted" }, { 53, "sack-rcvr-timeout" },
		{ 54, "sack-rcvr-nosack" },
		{ 60, "icw-success" }, { 61, "icw-tooshort" },
		{ 70, "abc-success" }, { 71, "abc-tooshort" },
		{ 72, "abc-badicw" },
		{ 80, "blind-accepted" }, { 81, "blind-challenge" },
		{ 82, "blind-ignored" }, { 83, "blind-rst" },
		{ 84, "blind-synnew" },
	};

	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (m[i].v == r)
			return m[i].s;
	return NULL;
}

const char *
scamper_tbit_app_tostr(uint8_t app)
{
	static const char *m[] = { NULL, "http", "smtp", "dns", "ftp",
	    "bgp" };

	return app < sizeof(m) / sizeof(m[0]) ? m[app] : NULL;
}
