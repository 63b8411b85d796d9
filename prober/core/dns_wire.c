/*
 * dns_wire.c: the DNS wire codec of dns.h: PTR queries, replies, and
 * resolv.conf text.  Pure code: no sockets, no clock, no allocation.
 *
 * Replies come from the network: every offset is checked against the
 * message's length before it is read, and names are read with a bounded
 * number of compression pointers that must point backwards, so a name is
 * at most 255 bytes and reading one always ends.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns_wire.h"
#include "wire.h"

#define HDR		12
#define T_CNAME		5
#define T_PTR		12
#define C_IN		1
#define WIRE_MAX	255	/* a name's wire length, with the root */
#define CNAME_MAX	8	/* CNAMEs followed from the question's name */
#define PTRS_MAX	64	/* compression pointers in one name */

/* ---- queries ----------------------------------------------------------- */

/* Append label S (length N) to BUF at *OFF.  Returns 0 or -1 (no room). */
static int
put_label(uint8_t *buf, size_t len, size_t *off, const char *s, size_t n)
{
	if (*off + 1 + n > len)
		return -1;
	buf[(*off)++] = (uint8_t)n;
	memcpy(buf + *off, s, n);
	*off += n;
	return 0;
}

/* The reverse name of ADDR as labels at *OFF (without the root label). */
static int
put_revname(uint8_t *buf, size_t len, size_t *off, int af,
    const uint8_t *addr)
{
	static const char hex[] = "0123456789abcdef";
	char s[4];

	if (af == AF_INET) {
		for (int i = 3; i >= 0; i--)
			if (put_label(buf, len, off, s, (size_t)snprintf(s,
			    sizeof(s), "%u", addr[i])) == -1)
				return -1;
		return put_label(buf, len, off, "in-addr", 7);
	}
	for (int i = 15; i >= 0; i--) {
		s[0] = hex[addr[i] & 0xf];
		s[1] = hex[addr[i] >> 4];
		if (put_label(buf, len, off, s, 1) == -1 ||
		    put_label(buf, len, off, s + 1, 1) == -1)
			return -1;
	}
	return put_label(buf, len, off, "ip6", 3);
}

int
dns_ptr_query(uint8_t *buf, size_t len, uint16_t id, int af,
    const uint8_t *addr)
{
	size_t off = HDR;

	if (af != AF_INET && af != AF_INET6) {
		errno = EINVAL;
		return -1;
	}
	if (len < HDR || put_revname(buf, len, &off, af, addr) == -1 ||
	    put_label(buf, len, &off, "arpa", 4) == -1 || off + 5 > len) {
		errno = ENOSPC;
		return -1;
	}
	memset(buf, 0, HDR);
	wire_set_be16(buf, id);
	wire_set_be16(buf + 2, 0x0100);		/* query, recursion desired */
	wire_set_be16(buf + 4, 1);		/* one question */
	buf[off++] = 0;			/* the root label */
	wire_set_be16(buf + off, T_PTR);
	wire_set_be16(buf + off + 2, C_IN);
	return (int)(off + 4);
}

/* ---- names in replies -------------------------------------------------- */

/* Read the name at *OFF of M (LEN bytes) into WIRE (WIRE_MAX bytes,
 * uncompressed, root label included; *WLEN its length); *OFF moves past
 * the name as it is in M.  Pointers must point before themselves, so with
 * the 255-byte limit the walk ends.  Returns 0 or -1 (malformed). */
static int
name_read(const uint8_t *m, size_t len, size_t *off, uint8_t *wire,
    size_t *wlen)
{
	size_t p = *off, n = 0, end = 0, q;
	int ptrs = 0;
	uint8_t c;

	for (;;) {
		if (p >= len)
			return -1;
		c = m[p];
		if ((c & 0xc0) == 0xc0) {
			if (p + 1 >= len || ++ptrs > PTRS_MAX)
				return -1;
			q = (size_t)(c & 0x3f) << 8 | m[p + 1];
			if (q >= p)
				return -1;
			if (end == 0)
				end = p + 2;
			p = q;
			continue;
		}
		if ((c & 0xc0) != 0 || n + 1 + c > WIRE_MAX || p + 1 + c > len)
			return -1;	/* 0x40, 0x80: unused label types */
		memcpy(wire + n, m + p, (size_t)c + 1);
		n += (size_t)c + 1;
		p += (size_t)c + 1;
		if (c == 0)
			break;
	}
	*off = end != 0 ? end : p;
	*wlen = n;
	return 0;
}

/* Two wire names are equal, ignoring the case of ASCII letters (length
 * bytes are at most 63, below every letter, so they compare as is). */
static int
name_eq(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	if (alen != blen)
		return 0;
	for (size_t i = 0; i < alen; i++)
		if (tolower(a[i]) != tolower(b[i]))
			return 0;
	return 1;
}

static int
plain(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* WIRE (a whole name) in presentation form into OUT (LEN bytes). */
static int
name_present(const uint8_t *wire, char *out, size_t len)
{
	size_t p = 0, o = 0;

	if (len < 2)
		return -1;
	if (wire[0] == 0) {
		strcpy(out, ".");
		return 0;
	}
	while (wire[p] != 0) {
		uint8_t n = wire[p++];
		if (p > 1)
			out[o++] = '.';
		for (uint8_t i = 0; i < n; i++, p++) {
			if (o + 5 > len)
				return -1;
			if (plain(wire[p]))
				out[o++] = (char)wire[p];
			else
				o += (size_t)snprintf(out + o, 5, "\\%03u",
				    wire[p]);
		}
		if (o + 2 > len)
			return -1;
	}
	out[o] = '\0';
	return 0;
}

/* ---- replies ----------------------------------------------------------- */

/* One resource record of the answer section. */
struct rr {
	uint8_t		 owner[WIRE_MAX];
	size_t		 ownerlen;
	uint16_t	 type, class;
	size_t		 rdata, rdlen;	/* in the message */
};

/* Read the record at *OFF, moving past it.  Returns 0 or -1. */
static int
rr_read(const uint8_t *m, size_t len, size_t *off, struct rr *r)
{
	if (name_read(m, len, off, r->owner, &r->ownerlen) == -1 ||
	    *off + 10 > len)
		return -1;
	r->type = wire_be16(m + *off);
	r->class = wire_be16(m + *off + 2);
	r->rdlen = wire_be16(m + *off + 8);
	r->rdata = *off + 10;
	if (r->rdata + r->rdlen > len)
		return -1;
	*off = r->rdata + r->rdlen;
	return 0;
}

/* The name in R's data, which must fill the data exactly. */
static int
rr_name(const uint8_t *m, size_t len, const struct rr *r, uint8_t *wire,
    size_t *wlen)
{
	size_t off = r->rdata;

	if (name_read(m, len, &off, wire, wlen) == -1 ||
	    off != r->rdata + r->rdlen)
		return -1;
	return 0;
}

/* Look through the AN answers at OFF for a PTR of TARGET (or a CNAME of
 * it, which becomes the new TARGET).  Returns DNS_NAME, DNS_NONAME (no
 * record of TARGET), 2 (TARGET changed) or DNS_BAD. */
static int
answers(const uint8_t *m, size_t len, size_t off, unsigned an,
    uint8_t *target, size_t *tlen, char *name, size_t namelen)
{
	uint8_t next[WIRE_MAX];
	size_t nlen = 0;
	struct rr r;

	for (unsigned i = 0; i < an; i++) {
		if (rr_read(m, len, &off, &r) == -1)
			return DNS_BAD;
		if (r.class != C_IN ||
		    !name_eq(r.owner, r.ownerlen, target, *tlen))
			continue;
		if (r.type == T_PTR) {
			if (rr_name(m, len, &r, next, &nlen) == -1 ||
			    name_present(next, name, namelen) == -1)
				return DNS_BAD;
			return DNS_NAME;
		}
		if (r.type == T_CNAME && rr_name(m, len, &r, next, &nlen) == -1)
			return DNS_BAD;
	}
	if (nlen == 0)
		return DNS_NONAME;
	memcpy(target, next, nlen);
	*tlen = nlen;
	return 2;
}

int
dns_ptr_parse(const uint8_t *m, size_t len, const uint8_t *query,
    size_t qlen, char *name, size_t namelen)
{
	uint8_t target[WIRE_MAX];
	size_t off = HDR, tlen;
	uint16_t flags;
	int rc = 2;

	if (len < HDR || qlen < HDR + 5 || namelen < DNS_NAME_MAX ||
	    wire_be16(m) != wire_be16(query))
		return DNS_BAD;
	flags = wire_be16(m + 2);
	if (!(flags & 0x8000) || (flags >> 11 & 0xf) != 0 ||
	    wire_be16(m + 4) != 1)
		return DNS_BAD;		/* not one answered question */
	if (name_read(m, len, &off, target, &tlen) == -1 || off + 4 > len ||
	    !name_eq(target, tlen, query + HDR, qlen - HDR - 4) ||
	    memcmp(m + off, query + qlen - 4, 4) != 0)
		return DNS_BAD;		/* not our question */
	off += 4;
	if ((flags & 0xf) != 0)
		return DNS_NONAME;	/* NXDOMAIN, SERVFAIL, REFUSED, ... */
	for (int i = 0; rc == 2 && i <= CNAME_MAX; i++)
		rc = answers(m, len, off, wire_be16(m + 6), target, &tlen, name,
		    namelen);
	return rc == 2 ? DNS_NONAME : rc;
}

/* ---- resolv.conf ------------------------------------------------------- */

/* Address text S (with an optional %scope for IPv6) into SS, port 53. */
static int
dns_ns_addr(const char *s, struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	char buf[INET6_ADDRSTRLEN + IF_NAMESIZE + 2], *pct;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, buf, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(53);
		return 0;
	}
	if ((pct = strchr(buf, '%')) != NULL)
		*pct++ = '\0';
	if (inet_pton(AF_INET6, buf, &sin6->sin6_addr) != 1)
		return -1;
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(53);
	if (pct != NULL && (sin6->sin6_scope_id = if_nametoindex(pct)) == 0)
		sin6->sin6_scope_id = (uint32_t)strtoul(pct, NULL, 10);
	return 0;
}

int
dns_resolv_parse(const char *text, struct sockaddr_storage *ns, int max)
{
	char line[256], word[16], addr[64];
	const char *p = text;
	size_t n;
	int c = 0;

	while (*p != '\0' && c < max) {
		n = strcspn(p, "\n");
		/* a line longer than the buffer is cut: no nameserver
		 * line is that long */
		snprintf(line, sizeof(line), "%.*s", (int)(n < 255 ? n : 255),
		    p);
		if (sscanf(line, "%15s %63s", word, addr) == 2 &&
		    strcmp(word, "nameserver") == 0 &&
		    dns_ns_addr(addr, &ns[c]) == 0)
			c++;
		p += n;
		if (*p == '\n')
			p++;
	}
	return c;
}
