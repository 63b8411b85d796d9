/*
 * tbit_app.c: what tbit asks of the server: an HTTP/1.0 GET for -u's
 * file (the server closes after its response) or a BGP OPEN from -b's
 * AS (RFC 4271; a four-octet AS as AS_TRANS with the capability of RFC
 * 6793).
 */
#include "config.h"

#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "scamper_tbit.h"
#include "tbit_int.h"
#include "wire.h"

#define BGP_AS_TRANS	23456
#define BGP_HOLDTIME	180

int
tbit_app_url(struct scamper_tbit *t, const char *url, uint16_t *port,
    char *err, size_t len)
{
	const char *h, *e, *slash, *colon;
	unsigned long p;
	char *end;

	if (strncmp(url, "https://", 8) == 0)
		return cmd_err(err, len, "-u %s: https is not implemented (tbit "
		    "speaks no TLS)", url);
	if (strncmp(url, "http://", 7) != 0)
		return cmd_err(err, len, "-u %s: expected http://host[:port]"
		    "[/path]", url);
	h = url + 7;
	slash = strchr(h, '/');
	e = slash != NULL ? slash : h + strlen(h);
	colon = memchr(h, ':', (size_t)(e - h));
	if (h[0] == '[') {	/* an IPv6 literal */
		const char *rb = memchr(h, ']', (size_t)(e - h));

		colon = rb != NULL && rb + 1 < e && rb[1] == ':' ? rb + 1 :
		    NULL;
		if (rb == NULL)
			return cmd_err(err, len, "-u %s: unbalanced '['", url);
	}
	if ((colon != NULL ? colon : e) == h)
		return cmd_err(err, len, "-u %s: no host", url);
	if (colon != NULL) {
		p = strtoul(colon + 1, &end, 10);
		if (end != e || p == 0 || p > 65535)
			return cmd_err(err, len, "-u %s: invalid port", url);
		*port = (uint16_t)p;
	}
	if ((t->http_host = strndup(h, (size_t)((colon != NULL ? colon : e) -
	    h))) == NULL ||
	    (t->http_file = strdup(slash != NULL ? slash : "/")) == NULL)
		return cmd_err(err, len, "out of memory");
	for (const char *c = url; *c != '\0'; c++)
		if ((unsigned char)*c <= ' ' || *c == 0x7f)
			return cmd_err(err, len, "-u: a URL has no blanks or "
			    "control characters");
	return 0;
}

static int
http_request(struct tbit_state *s, char *err, size_t len)
{
	struct scamper_tbit *t = s->t;
	char host[INET6_ADDRSTRLEN + 2], *r;
	int n;

	if (t->http_host != NULL)
		snprintf(host, sizeof(host), "%s", t->http_host);
	else {
		char a[INET6_ADDRSTRLEN];

		inet_ntop(s->af, s->dst, a, sizeof(a));
		snprintf(host, sizeof(host), s->af == AF_INET6 ? "[%s]" : "%s",
		    a);
	}
	n = asprintf(&r, "GET %s HTTP/1.0\r\nHost: %s\r\n"
	    "User-Agent: scamper/%s\r\nAccept: */*\r\n\r\n",
	    t->http_file != NULL ? t->http_file : "/", host, SCAMPER_VERSION);
	if (n < 0)
		return cmd_err(err, len, "out of memory");
	s->req = (uint8_t *)r;
	s->reqlen = (size_t)n;
	return 0;
}

/* A BGP OPEN: marker, length, type 1, version 4, AS, hold time, BGP
 * identifier (our IPv4 address, or the last four bytes of our IPv6
 * one), and the four-octet AS capability when the AS needs it. */
static int
bgp_request(struct tbit_state *s, char *err, size_t len)
{
	uint32_t asn = s->t->bgp_asn;
	int big = asn > 65535;
	size_t n = 29 + (big ? 8 : 0);
	uint8_t *b = calloc(1, n);

	if (b == NULL)
		return cmd_err(err, len, "out of memory");
	memset(b, 0xff, 16);
	wire_set_be16(b + 16, (uint32_t)n);
	b[18] = 1;
	b[19] = 4;
	wire_set_be16(b + 20, big ? BGP_AS_TRANS : asn);
	wire_set_be16(b + 22, BGP_HOLDTIME);
	memcpy(b + 24, s->af == AF_INET ? s->src : s->src + 12, 4);
	b[28] = big ? 8 : 0;
	if (big) {
		b[29] = 2;		/* capabilities */
		b[30] = 6;
		b[31] = 65;		/* four-octet AS */
		b[32] = 4;
		b[33] = (uint8_t)(asn >> 24);
		b[34] = (uint8_t)(asn >> 16);
		b[35] = (uint8_t)(asn >> 8);
		b[36] = (uint8_t)asn;
	}
	s->req = b;
	s->reqlen = n;
	return 0;
}

int
tbit_app_request(struct tbit_state *s, char *err, size_t len)
{
	free(s->req);
	s->req = NULL;
	if (s->t->app_proto == SCAMPER_TBIT_APP_BGP)
		return bgp_request(s, err, len);
	return http_request(s, err, len);
}
